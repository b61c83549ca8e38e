/**
 * The script set "+ Script" proposes: the one the user is working in, not the first of the list.
 * A set just created wins while the same script stays open (the user made it to put a script in);
 * opening another script moves to that script's set.
 */
export interface CreatedSet {
  set: string;
  /** The script open when the set was created. */
  whileOpen: string | undefined;
}

export function defaultScriptSet(setIds: readonly string[], openScriptId: string | undefined, created: CreatedSet | null): string {
  const known = (id: string | undefined): id is string => id !== undefined && setIds.includes(id);
  const openSet = openScriptId?.split('__')[0];
  if (created && known(created.set) && created.whileOpen === openScriptId) return created.set;
  if (known(openSet)) return openSet;
  if (created && known(created.set)) return created.set;
  return setIds[0] ?? '';
}
