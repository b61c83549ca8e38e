/**
 * The cron load forecast: per queue, how many cron tasks fire in each minute of the next hours
 * against what the queue's units take in a minute (processes × 60000 ÷ T, T measured), the
 * overloaded minutes with the jobs firing then, and offsets that would spread them.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { queryIntBetween } from '../common.js';

const overloadedMinute = z.object({
  minute: z.number(),
  firings: z.number(),
  capacity: z.number(),
  jobs: z.array(z.object({ id: z.string(), funcId: z.string(), firings: z.number() })),
});

export const cronForecastOutput = z.object({
  /** Start of the first minute (epoch ms). */
  from: z.number(),
  minutes: z.number(),
  queues: z.array(
    z.object({
      queue: z.number(),
      processes: z.number(),
      taskMs: z.number().nullable(),
      /** Null when T is unknown: no minute is marked then. 0 when no unit listens. */
      capacityPerMinute: z.number().nullable(),
      /** Firings per minute, one entry per minute from `from`. */
      perMinute: z.array(z.number()),
      peak: z.number(),
      overloadedMinutes: z.number(),
      /** The first 100 overloaded minutes. */
      overloaded: z.array(overloadedMinute),
    }),
  ),
  suggestions: z.array(z.object({ jobId: z.string(), queue: z.number(), offsetMinutes: z.number(), reason: z.string() })),
  /** Jobs whose expression or function is missing (every other job's firings are all counted, sub-minute ones too). */
  skipped: z.array(z.object({ jobId: z.string(), reason: z.string() })),
});
export type CronForecastOutput = z.output<typeof cronForecastOutput>;

export const getCronForecast = operation('getCronForecast', 'GET /api/v1/cron-forecast', 'general_r', {
  summary: "Cron load forecast for the next hours (default 24): firings per minute per queue against the queue's capacity, overloaded minutes with their jobs, suggested offsets",
  query: z.object({ hours: queryIntBetween(1, 168).default(24) }),
  output: cronForecastOutput,
});
