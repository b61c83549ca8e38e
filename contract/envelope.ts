/** The response envelope of every JSON route (DataFlux Func's shape). */
import { z } from 'zod';

/**
 * Where a page of a list is (DataFlux Func's `pageInfo`, whose console draws its pager from it):
 * answered beside a list when the caller asked for a page size. No total: a pager goes on while a
 * page comes back full.
 */
export interface PageInfo {
  pagingStyle: 'normal';
  pageSize: number;
  pageNumber: number;
  count: number;
  isFirstPage: boolean;
}

/**
 * DataFlux Func's request timing, after `traceId` in every envelope the server sends
 * (`backend/src/server/request-timing.ts`): the caller's `X-Client-Time` echoed (null when not
 * sent), when the request came and the answer left (ISO 8601), and the milliseconds between.
 */
export interface RequestTiming {
  clientTime: string | null;
  reqTime: string;
  respTime: string;
  reqCost: number;
}

export interface OkEnvelope<T> extends Partial<RequestTiming> {
  ok: true;
  error: 200;
  message: '';
  data: T;
  traceId: string;
  pageInfo?: PageInfo;
}

export interface ErrorEnvelope extends Partial<RequestTiming> {
  ok: false;
  error: number;
  reason: string;
  message: string;
  detail: Record<string, unknown>;
  traceId: string;
}

export type Envelope<T> = OkEnvelope<T> | ErrorEnvelope;

export const errorEnvelopeSchema = z.object({
  ok: z.literal(false),
  error: z.number(),
  reason: z.string(),
  message: z.string(),
  detail: z.record(z.string(), z.unknown()),
  traceId: z.string(),
});

export function okEnvelope<T>(data: T, traceId: string, pageInfo?: PageInfo): OkEnvelope<T> {
  return pageInfo ? { ok: true, error: 200, message: '', data, traceId, pageInfo } : { ok: true, error: 200, message: '', data, traceId };
}
