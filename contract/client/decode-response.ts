/** Turns an HTTP answer into the operation's data or an ApiError (the one error type). */
import { ApiError, isErrorCode } from '../errors.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function decodeResponse(status: number, text: string): unknown {
  let body: unknown = text;
  try {
    body = text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    if (status >= 400) throw new ApiError(status >= 500 ? 'ESys' : 'EClientBadRequest', text || `HTTP ${status}`, { status });
    return text;
  }
  if (isRecord(body) && body.ok === false) {
    const reason = typeof body.reason === 'string' ? body.reason : '';
    const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    const detail = isRecord(body.detail) ? body.detail : {};
    // `EBizCondition.ConfirmingImportTimeout`: the code, then DataFlux Func's sub-reason.
    const dot = reason.indexOf('.');
    const code = dot < 0 ? reason : reason.slice(0, dot);
    const subReason = dot < 0 ? undefined : reason.slice(dot + 1);
    throw new ApiError(isErrorCode(code) ? code : 'ESys', message, { ...detail, status, reason }, isErrorCode(code) ? subReason : undefined);
  }
  if (status >= 400) throw new ApiError(status >= 500 ? 'ESys' : 'EClientBadRequest', `HTTP ${status}`, { status });
  if (isRecord(body) && body.ok === true && 'data' in body) return body.data;
  return body;
}
