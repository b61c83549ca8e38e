/** Schemas shared by several operations. */
import { z } from 'zod';

export const SCRIPT_SET_ID = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const SCRIPT_ID = /^[a-zA-Z_][a-zA-Z0-9_]*__[a-zA-Z0-9_]+$/;
export const FUNC_ID = /^[a-zA-Z_][a-zA-Z0-9_]*__[a-zA-Z0-9_]+\.[a-zA-Z_][a-zA-Z0-9_]*$/;
export const ENTITY_ID = /^[a-zA-Z0-9_\-.]{1,64}$/;

/** No input (other fields are ignored): what params and query take when an operation declares none. */
export const empty = z.object({}).loose();
/** No body needed (an object, when one comes, is ignored): what body takes when an operation declares none. */
export const noBody = empty.optional();
export const idParams = z.object({ id: z.string().regex(ENTITY_ID, 'invalid id') });
export const jsonObject = z.record(z.string(), z.unknown());
export const anyJson = z.unknown();
export const idResult = z.object({ id: z.string() });

/** Query strings carry text: accept "true"/"1"/"false"/"0" as booleans. */
export const queryBool = z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean());
export const queryInt = z.preprocess((v) => (typeof v === 'string' && v !== '' ? Number(v) : v), z.number().int());
