/** The response envelope of every JSON route (DataFlux Func's shape). */
import { z } from 'zod';

export interface OkEnvelope<T> {
  ok: true;
  error: 200;
  message: '';
  data: T;
  traceId: string;
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

export function okEnvelope<T>(data: T, traceId: string): OkEnvelope<T> {
  return { ok: true, error: 200, message: '', data, traceId };
}
