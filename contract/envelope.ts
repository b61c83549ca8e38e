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

export interface OkEnvelope<T> {
  ok: true;
  error: 200;
  message: '';
  data: T;
  traceId: string;
  pageInfo?: PageInfo;
}

export interface ErrorEnvelope {
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
