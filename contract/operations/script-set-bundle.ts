/** Script-set export and import: one JSON bundle holding a set and its scripts (published code and draft). */
import { z } from 'zod';
import { operation } from '../operation.js';
import { idParams, scriptIdField, scriptSetIdField } from '../common.js';
import { archiveImportFields, archiveImportResult } from './script-set-archive.js';

export const SCRIPT_SET_BUNDLE_FORMAT = 'func-script-set/1';

const text = (max: number): z.ZodNullable<z.ZodString> => z.string().max(max).nullable();

const bundleScript = z.object({
  id: scriptIdField,
  title: text(256),
  description: text(5000),
  code: z.string().max(5_000_000).nullable(),
  codeDraft: z.string().max(5_000_000),
});

export const scriptSetBundle = z
  .object({
    format: z.literal(SCRIPT_SET_BUNDLE_FORMAT, `must be "${SCRIPT_SET_BUNDLE_FORMAT}"`),
    exportedAt: z.iso.datetime({ offset: true }),
    scriptSet: z.object({
      id: scriptSetIdField,
      title: text(256),
      description: text(5000),
      requirements: text(5000),
    }),
    scripts: z.array(bundleScript).max(1000),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.scripts.forEach((s, i) => {
      if (!s.id.startsWith(`${b.scriptSet.id}__`))
        ctx.addIssue({ code: 'custom', path: ['scripts', i, 'id'], message: `must start with "${b.scriptSet.id}__" (the script set's id)` });
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['scripts', i, 'id'], message: `${s.id} appears twice` });
      seen.add(s.id);
    });
  });

export type ScriptSetBundle = z.output<typeof scriptSetBundle>;

export const exportScriptSet = operation('exportScriptSet', 'GET /api/v1/script-sets/:id/do/export', 'general_r', {
  summary: `A script set and its scripts (published code and draft) as a "${SCRIPT_SET_BUNDLE_FORMAT}" bundle`,
  params: idParams,
  output: scriptSetBundle,
});

const bundleImportResult = z.object({ id: z.string(), scripts: z.array(z.string()), published: z.array(z.string()), deleted: z.array(z.string()) });

export const importScriptSet = operation('importScriptSet', 'POST /api/v1/script-sets/do/import', 'general_w', {
  summary:
    "JSON: write a bundle (refuses an existing set unless overwrite, then the set is replaced; publish publishes each script). multipart/form-data: DataFlux Func's .zip archive in `files` (script-set-archive.ts): checked, then staged for a confirm (`checkOnly`) or imported at once",
  body: z
    .object({
      data: scriptSetBundle.optional(),
      options: z.object({ overwrite: z.boolean().optional(), publish: z.boolean().optional() }).optional(),
      ...archiveImportFields,
    })
    .loose()
    .superRefine((b, ctx) => {
      if (b.data === undefined && b.files === undefined)
        ctx.addIssue({ code: 'custom', path: ['data'], message: 'is required (a JSON bundle), or send a .zip archive as multipart/form-data in files' });
    }),
  output: z.union([bundleImportResult, archiveImportResult]),
});
