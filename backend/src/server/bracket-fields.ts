/**
 * Query strings and form bodies with bracket keys, read as DataFlux Func's Express reads them (the
 * `qs` package's "extended" parsing, its defaults): `a[b]=1` is `{a: {b: "1"}}`, `a[]=1&a[]=2` and
 * `a[0]=1&a[1]=2` are lists, `a[b][c]=1` nests. What axios `params` and jQuery `$.param` send for
 * nested objects. Our own reading of those rules:
 *
 * - A key given again is the list of its values, in order (`a=1&a=2`, `a[b]=1&a[b]=2`).
 * - The name is the text before the first closed `[…]` holding no other bracket (`a[b[c]=1` is
 *   `{"a[b": {c: "1"}}`, as qs); each such `[…]` is one level, at most MAX_BRACKET_DEPTH of them
 *   (a deeper key is refused, naming it). A key starting with `[` or without a closed `[…]` is a
 *   plain key (`a[b` is the key "a[b"; qs reads `[a]=1` as `{a: "1"}`, docs/compatibility.md).
 * - `[]` appends, at any level, and a list under it is that list (`a[][]=1&a[][]=2` and
 *   `a[][0]=1` are the lists `["1","2"]` and `["1"]`, as qs); `[n]` is a list index up to MAX_LIST_INDEX (the list keeps the given values in
 *   index order, without gaps: `a[1]=x` is `["x"]`); a larger one, or any other text, is an
 *   object key, and a list given an object key becomes an object keyed by its indexes.
 * - Two keys reaching the same place join: a value and a list make a longer list; a value (or a
 *   list) and an object make a list of both, where qs answers odd shapes.
 * - `__proto__` anywhere, or `prototype` inside `constructor`, is refused, as in JSON bodies. The
 *   objects made have no prototype, as the flat fields fast-querystring makes (JSON, zod and
 *   Object.keys read them as plain objects).
 */
import { badField } from '../../../contract/errors.js';

/**
 * Most `key=value` pairs in a form body (body-parser's `parameterLimit`, which DataFlux Func keeps
 * at its default: a longer body is refused, 413) and read of a query string (qs's
 * `parameterLimit`: the pairs after it are left out, as DataFlux Func's Express leaves them).
 * Pairs are counted by their `&`, as body-parser counts them, before any is decoded.
 */
export const MAX_PARAMETERS = 1000;

/** Where the MAX_PARAMETERS-th `&` is (the text before it holds the first MAX_PARAMETERS pairs), or -1 if there are fewer. */
export function parameterLimitCut(text: string): number {
  let at = -1;
  for (let count = 0; count < MAX_PARAMETERS; count += 1) {
    at = text.indexOf('&', at + 1);
    if (at === -1) return -1;
  }
  return at;
}

/** Most `[…]` levels after a name (qs's default `depth`). */
export const MAX_BRACKET_DEPTH = 5;
/** The largest `[n]` read as a list index (qs's default `arrayLimit`): `a[99999999]` makes no huge list. */
export const MAX_LIST_INDEX = 20;

export type FieldValue = string | FieldValue[] | { [key: string]: FieldValue };

/**
 * Whether URL-encoded text may hold a bracket key: `[` as it is or percent-encoded (`%5B`). Text
 * without one (nearly every query string) is read flat and pays for nothing else.
 */
export function mayHaveBrackets(text: string): boolean {
  return text.includes('[') || (text.includes('%5') && /%5b/i.test(text));
}

const GROUP = /\[([^[\]]*)\]/g;
const FIRST_GROUP = /\[[^[\]]*\]/;

/** Refuses a key that would reach an object's prototype where the fields are copied. */
function checkSegments(path: readonly string[], where: string): void {
  for (let i = 0; i < path.length; i += 1) {
    const proto = path[i] === '__proto__';
    if (proto || (path[i] === 'prototype' && path[i - 1] === 'constructor')) {
      // Named as JSON bodies name it: the __proto__ key, or the constructor holding prototype.
      throw badField(
        [where, ...path.slice(0, proto ? i + 1 : i)].join('.'),
        'a key named __proto__, or constructor holding prototype, is refused in query strings and form bodies',
      );
    }
  }
}

/** `name[a][]` as ['name', 'a', '']; a plain key as [key]. */
function keyPath(key: string, where: string): string[] {
  const open = key.indexOf('[') === -1 ? -1 : key.search(FIRST_GROUP);
  const path = [key];
  if (open > 0) {
    const groups = [...key.slice(open).matchAll(GROUP)].map((m) => m[1]!);
    if (groups.length > MAX_BRACKET_DEPTH) {
      const shown = [where, key.slice(0, open), ...groups.slice(0, MAX_BRACKET_DEPTH + 1)].join('.');
      throw badField(shown, `nested deeper than ${MAX_BRACKET_DEPTH} levels of [...] (${key.length > 200 ? `${key.slice(0, 200)}…` : key})`);
    }
    if (groups.length > 0) path.splice(0, 1, key.slice(0, open), ...groups);
  }
  checkSegments(path, where);
  return path;
}

const isListIndex = (segment: string): boolean => /^\d{1,2}$/.test(segment) && String(Number(segment)) === segment && Number(segment) <= MAX_LIST_INDEX;

/** An object of fields without a prototype, as fast-querystring makes the flat ones: no key is inherited. */
const fieldObject = (): { [key: string]: FieldValue } => Object.create(null) as { [key: string]: FieldValue };

/** The value `path[from…]` makes of `leaf` alone (a sparse list where an index skips). */
function nested(path: readonly string[], from: number, leaf: string | string[]): FieldValue {
  let node: FieldValue = leaf;
  for (let i = path.length - 1; i >= from; i -= 1) {
    const segment = path[i]!;
    if (segment === '') {
      // `a[]=1&a[]=2`: the values given are the list; a list under `[]` is that list (qs's `[].concat`).
      node = Array.isArray(node) ? node : [node];
    } else if (isListIndex(segment)) {
      const list: FieldValue[] = [];
      list[Number(segment)] = node;
      node = list;
    } else {
      const object = fieldObject();
      object[segment] = node;
      node = object;
    }
  }
  return node;
}

/** A list as an object keyed by its indexes (a list given an object key). */
function listAsObject(list: FieldValue[]): { [key: string]: FieldValue } {
  const out = fieldObject();
  for (const i of Object.keys(list)) out[i] = list[Number(i)]!;
  return out;
}

/** `source` joined into `target` (which it may change): see the rules above. */
function join(target: FieldValue | undefined, source: FieldValue): FieldValue {
  if (target === undefined) return source;
  if (typeof target === 'string') return Array.isArray(source) ? ([target] as FieldValue[]).concat(source) : [target, source];
  if (typeof source === 'string') {
    if (!Array.isArray(target)) return [target, source];
    target.push(source);
    return target;
  }
  if (Array.isArray(target) && Array.isArray(source)) {
    for (const key of Object.keys(source)) {
      const i = Number(key);
      const have = target[i];
      const add = source[i]!;
      if (!Object.hasOwn(target, key)) target[i] = add;
      else if (typeof have === 'object' && typeof add === 'object') target[i] = join(have, add);
      else target.push(add);
    }
    return target;
  }
  const into = Array.isArray(target) ? listAsObject(target) : target;
  const from = Array.isArray(source) ? listAsObject(source) : source;
  for (const key of Object.keys(from)) into[key] = Object.hasOwn(into, key) ? join(into[key], from[key]!) : from[key]!;
  return into;
}

/** Lists without the gaps their indexes left (`a[1]=x` is `["x"]`), throughout. */
function withoutGaps(value: FieldValue): FieldValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const dense: FieldValue[] = [];
    for (const key of Object.keys(value)) dense.push(withoutGaps(value[Number(key)]!));
    return dense;
  }
  for (const key of Object.keys(value)) value[key] = withoutGaps(value[key]!);
  return value;
}

/**
 * The fields of a query string or form body read flat (fast-querystring: decoded, a key given
 * again the list of its values) by the rules above; `where` (`query`, `body`) names a refused key
 * in the 400.
 */
export function bracketFields(flat: Record<string, string | string[]>, where: string): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = fieldObject();
  for (const key of Object.keys(flat)) {
    const path = keyPath(key, where);
    const given = flat[key]!;
    const leaf = Array.isArray(given) ? given.slice() : given; // joined into, not the caller's
    const name = path[0]!;
    out[name] = join(Object.hasOwn(out, name) ? out[name] : undefined, path.length === 1 ? leaf : nested(path, 1, leaf));
  }
  for (const key of Object.keys(out)) out[key] = withoutGaps(out[key]!);
  return out;
}
