/**
 * The one error catalogue. Every failure that crosses a boundary (HTTP, IPC, runner) is an
 * ApiError with a code from here; the HTTP status and default message come with the code.
 * Names follow DataFlux Func's reasons where it has one.
 */
import type { z } from 'zod';

export const ERRORS = {
  EClientBadRequest: { status: 400, message: 'Bad request' },
  EClientUnsupported: { status: 415, message: 'Unsupported content type' },
  EClientPayloadTooLarge: { status: 413, message: 'The request body is too large' },
  EClientNotFound: { status: 404, message: 'Not found' },
  EClientDuplicated: { status: 409, message: 'An entity with this id exists already' },
  EClientRateLimit: { status: 429, message: 'Too many requests' },
  EBizCondition: { status: 403, message: 'Not possible in the current state' },
  EBizRequestConflict: { status: 409, message: 'Changed by someone else in the meantime' },
  EUserAuth: { status: 401, message: 'Sign in or sign the request with an access key' },
  EUserPassword: { status: 401, message: 'Wrong username or password' },
  EUserDisabled: { status: 401, message: 'This user is disabled' },
  EUserPrivilege: { status: 403, message: 'Not allowed for this user' },
  EAPIAuth: { status: 401, message: 'The API auth failed' },
  EConnectorFailed: { status: 400, message: 'The connector failed (connecting, or running the command)' },
  EScriptPublishFailed: { status: 400, message: 'The script cannot be published' },
  EBlueprintDeployFailed: { status: 400, message: 'The blueprint cannot be deployed' },
  EFuncFailed: { status: 599, message: 'The function raised an exception' },
  EFuncTimeout: { status: 599, message: 'The function ran out of time' },
  EFuncMemoryLimit: { status: 599, message: 'The function exceeded the memory limit' },
  EFuncResultParsingFailed: { status: 599, message: 'The function returned a value that is not JSON-serialisable' },
  EWorkerNoResponse: { status: 599, message: 'No worker answered in time' },
  EFuncExpired: { status: 599, message: 'The task expired before a worker started it' },
  EFuncCancelled: { status: 599, message: 'The task was cancelled before a worker started it' },
  ESys: { status: 500, message: 'Internal error' },
  ESysDB: { status: 503, message: 'The database cannot be reached' },
  ERedisUnavailable: { status: 503, message: 'The broker (Redis) cannot be reached' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value);
}

/**
 * The error that crosses every boundary. `detail` names the field or carries the function's failure.
 * `subReason` is DataFlux Func's finer reason after the code (`EBizCondition.ConfirmingImportTimeout`):
 * the envelope's `reason` is `reason` (code and sub-reason), its status the code's.
 */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly detail: Record<string, unknown> = {},
    readonly subReason?: string,
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'ApiError';
    this.status = ERRORS[code].status;
  }

  /** The envelope's reason: the code, and DataFlux Func's sub-reason after a dot when there is one. */
  get reason(): string {
    return this.subReason === undefined ? this.code : `${this.code}.${this.subReason}`;
  }
}

/**
 * Whether `value` is an object without a prototype: the fields of a query string or form body
 * (server/bracket-fields.ts). zod names an object it did not expect by its `constructor`'s name,
 * which such an object has only as a field given by the caller (`?x[constructor]=abc` was
 * "received undefined", `?x[constructor][name]=y` "received y").
 */
function isPrototypeless(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === null;
}

/** zod's "Invalid input: expected string, received …" saying it received an object, as it says of a plain one. */
const namedObject = (message: string): string => message.replace(/, received .*$/s, ', received object');

/**
 * What is wrong with a field, in words. A field left out (the issue reports no value: the input
 * was parsed with `reportInput`, as `parseInput` does) is `required`, where zod says "Invalid
 * input: expected record, received undefined"; with the values it takes when it is one of a few
 * (`required (expected one of "a"|"b")`). Anything else: zod's message (a field given as an object
 * without a prototype named an object, see isPrototypeless).
 */
export function issueProblem(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid';
  const leftOut = 'input' in issue && issue.input === undefined;
  if (!leftOut) return issue.code === 'invalid_type' && isPrototypeless(issue.input) ? namedObject(issue.message) : issue.message;
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union') return 'required';
  if (issue.code === 'invalid_value') return `required (${issue.message.replace(/^Invalid (?:option|input): /, '')})`;
  return issue.message;
}

/** The 400 for input a schema refused, naming the first wrong field under `where` (`body.data.id: …`). */
export function zodToApiError(where: string, error: z.ZodError): ApiError {
  const issue = error.issues[0];
  // A key the schema does not know is named itself (`throttlingJSON.byWeek`), not only its object.
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
  const field = [where, ...(issue?.path ?? []).map(String), ...unknownKey].filter((p) => p !== '').join('.');
  return new ApiError('EClientBadRequest', `${field || where}: ${issueProblem(issue)}`, { field: field || where });
}

/**
 * `value` checked by `schema`: its output, or the 400 naming the first wrong field under `where`
 * (a field left out says `required`). Every input a caller sends is checked here.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const r = safeParseReporting(schema, value);
  if (!r.success) throw zodToApiError(where, r.error);
  return r.data;
}

/**
 * `schema.safeParse(value)`, whose issues, when it fails, carry the value each is about (zod's
 * `reportInput`, after any preprocess), which tells a missing field from a wrong one. Only a
 * refused value is parsed again so: a parse with `reportInput` took 1.3–3 µs more per schema than
 * without (zod 4.6, measured for a call's params, query and body; bench/RESULTS.md, session 29),
 * on every call. The schemas' preprocessing is pure, so the second parse meets the same value.
 */
export function safeParseReporting<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  const r = schema.safeParse(value);
  return r.success ? r : schema.safeParse(value, { reportInput: true });
}

/** 400 naming the field that is wrong. */
export function badField(field: string, problem: string): ApiError {
  return new ApiError('EClientBadRequest', `${field}: ${problem}`, { field });
}
