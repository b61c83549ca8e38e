/**
 * DataFlux Func's old field names, in one place. Each maps an old name to the field of the entity it
 * stands for: input under the old name is taken as the new one (the new name wins when both are
 * sent), and list/get answer the old name beside the new one.
 */
import { z } from 'zod';

export const OLD_FIELD_NAMES = {
  /** `crontab` was the cron expression before DataFlux Func named it `cronExpr` ("Crontab Config" → "Cron Job"). */
  cronJobs: { crontab: 'cronExpr' },
  /** DataFlux Func names an API auth `name`; Func's field is `title`. */
  apiAuth: { name: 'title' },
} as const satisfies Record<string, Record<string, string>>;

type OldNames = Readonly<Record<string, string>>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The input under its new names: each old name present is moved to its new name unless that is sent too. */
export function renameOldFields(names: OldNames, v: unknown): unknown {
  if (!isObject(v)) return v;
  const out = Object.fromEntries(Object.entries(v).filter(([k]) => !Object.hasOwn(names, k)));
  for (const [old, current] of Object.entries(names)) if (old in v && out[current] === undefined) out[current] = v[old];
  return out;
}

/** A schema that also takes the old names. */
export function acceptingOldNames<T extends z.ZodType>(names: OldNames, schema: T): z.ZodPreprocess<T> {
  return z.preprocess((v) => renameOldFields(names, v), schema);
}

/** A row as answered: each old name beside its new one, with the same value. */
export function withOldNames<R>(names: OldNames, row: R): R {
  if (!isObject(row)) return row;
  const out: Record<string, unknown> = { ...row };
  for (const [old, current] of Object.entries(names)) if (current in out) out[old] = out[current];
  return out as R;
}
