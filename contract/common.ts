/** Schemas shared by several operations. */
import { z } from 'zod';

export const SCRIPT_SET_ID = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const SCRIPT_ID = /^[a-zA-Z_][a-zA-Z0-9_]*__[a-zA-Z0-9_]+$/;
export const FUNC_ID = /^[a-zA-Z_][a-zA-Z0-9_]*__[a-zA-Z0-9_]+\.[a-zA-Z_][a-zA-Z0-9_]*$/;
export const ENTITY_ID = /^[a-zA-Z0-9_\-.]{1,64}$/;

/** No input (other fields are ignored): what params and query take when an operation declares none. */
export const empty = z.object({}).loose();
/** No body needed (any object may come; nothing in it is read): what body takes when an operation declares none. */
export const noBody = empty.optional();
export const idParams = z.object({ id: z.string().regex(ENTITY_ID, 'invalid id') });
export const jsonObject = z.record(z.string(), z.unknown());
export const anyJson = z.unknown();
export const idResult = z.object({ id: z.string() });

/** A new script set's id: a name without `__` (which separates it from the script's name in a script id). */
export const scriptSetIdField = z
  .string()
  .max(60)
  .regex(SCRIPT_SET_ID, 'must match ^[a-zA-Z_][a-zA-Z0-9_]*$')
  .refine((v) => !v.includes('__'), 'must not contain "__"');
export const scriptIdField = z.string().max(64).regex(SCRIPT_ID, 'must be <scriptSet>__<name>');
export const funcIdField = z.string().regex(FUNC_ID, 'must be <scriptSet>__<script>.<function>');
export const funcIdParams = z.object({ funcId: funcIdField });
export const taskIdField = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'invalid task id');
export const taskIdParams = z.object({ id: taskIdField });

/** Text of at most `max` characters, null or left out. */
export const optionalText = (max: number): z.ZodOptional<z.ZodNullable<z.ZodString>> => z.string().max(max).nullable().optional();

/** Query strings carry text: accept "true"/"1"/"false"/"0" as booleans. */
export const queryBool = z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean());
/**
 * A whole number in a query string: decimal digits, a `-` allowed (`0x10`, `1e1`, ` 1`, `+5`, `5.0`
 * are refused, where `Number()` would take them), each refused saying what it must be; the key
 * given more than once (`k=1&k=2`, an array here) is refused saying so. A number (not text) is
 * left to the number schema.
 */
const decimalWhole = (v: unknown, ctx: z.RefinementCtx): unknown => {
  if (Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: `given ${v.length} times; give it once` });
    return z.NEVER;
  }
  if (typeof v !== 'string') return v;
  return digitsToNumber(v, ctx, 'must be a whole number in decimal digits');
};
/** Decimal digits (a `-` allowed) as their number; other text is an issue saying `mustBe`. */
function digitsToNumber(v: string, ctx: z.RefinementCtx, mustBe: string): unknown {
  if (/^-?\d+$/.test(v)) return Number(v);
  ctx.addIssue({ code: 'custom', message: `${mustBe}, got ${JSON.stringify(v)}` });
  return z.NEVER;
}
/** A whole number from `min` to `max` in a query string (decimal digits only, given once). */
export const queryIntBetween = (min: number, max: number): z.ZodPreprocess<z.ZodNumber> => z.preprocess(decimalWhole, z.number().int().min(min).max(max));
/**
 * A whole number from `min` to `max` in a JSON body, taken also as text of its decimal digits
 * (`"10"`, a `-` allowed), as DataFlux Func `parseInt`s a call's `timeout`, `expires` and `queue`;
 * other text (`"ten"`, `"1.5"`, `" 1"`) is refused saying what it must be.
 */
export const intOrDigitsBetween = (min: number, max: number): z.ZodPreprocess<z.ZodNumber> =>
  z.preprocess((v, ctx) => (typeof v === 'string' ? digitsToNumber(v, ctx, 'must be a whole number, or its decimal digits as text') : v), z.number().int().min(min).max(max));
/**
 * A boolean in a JSON body, taken also as the text a query string or form body carries
 * (`?options[unbox]=true`): "true"/"1" and "false"/"0", as `queryBool`; other text is refused
 * saying what it must be.
 */
export const boolOrText = z.preprocess((v, ctx) => {
  if (typeof v !== 'string') return v;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false (as text: "true", "false", "1" or "0"), got ${JSON.stringify(v)}` });
  return z.NEVER;
}, z.boolean());
/**
 * A number in a JSON body, taken also as text of its decimal digits (`"5"`, `"1.5"`), as a query
 * string or form body carries it (`options[delay]=5`); other text is refused saying what it must be.
 */
export const numberOrDigits = (schema: z.ZodNumber): z.ZodPreprocess<z.ZodNumber> =>
  z.preprocess((v, ctx) => {
    if (typeof v !== 'string') return v;
    if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
    ctx.addIssue({ code: 'custom', message: `must be a number, or its decimal digits as text, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }, schema);
/** Epoch milliseconds in a query string, within what a Date holds. */
export const epochMsQuery = queryIntBetween(0, 8.64e15);
