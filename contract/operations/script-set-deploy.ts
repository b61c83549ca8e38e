/**
 * DataFlux Func's deploy of a script set: its example script (`<id>__example`) copied into the
 * startup script set as `startup__<id>`, its config placeholders filled, published, and
 * optionally a cron job for its first function with a fixed cron expression.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { idParams, jsonObject } from '../common.js';

/** DataFlux Func's ids: the startup script set, and the prefix of the cron jobs a deploy adds (its spelling). */
export const STARTUP_SCRIPT_SET_ID = 'startup';
export const STARTUP_CRON_JOB_ID_PREFIX = 'cron-starup-';
/** Task records a deployed cron job keeps (DataFlux Func's number). */
export const DEPLOYED_CRON_JOB_RECORD_LIMIT = 100;

export const deployScriptSet = operation('deployScriptSet', 'POST /api/v1/script-sets/:id/do/deploy', 'general_w', {
  summary:
    'Copy the set\'s example script `<id>__example` (its published code, else its draft) into the startup script set as `startup__<id>` (kept if it exists), each `"<Name>"` placeholder filled from `configReplacer` (others left `""` with the name as a comment), publish it, and with `withCronJob` add a cron job for its first function with a fixed cron expression (kept if one exists); a set without an example script answers nulls and changes nothing; a failed publish or cron job undoes what this deploy added',
  params: idParams,
  body: z
    .object({
      withCronJob: z.boolean().nullable().optional(),
      /** DataFlux Func's old name of withCronJob. */
      withCrontabConfig: z.boolean().nullable().optional(),
      startupScriptTitle: z.string().max(256).nullable().optional(),
      configReplacer: z.record(z.string().max(256), z.string().max(65_535).nullable()).nullable().optional(),
    })
    .optional(),
  output: z.object({
    startupScriptId: z.string().nullable(),
    startupCronJobId: z.string().nullable(),
    startupScriptCronJobFunc: jsonObject.nullable(),
  }),
});
