/** Script-specific operations: draft save with conflict detection, publish, history. */
import { z } from 'zod';
import { operation } from '../operation.js';
import { idParams, jsonObject, queryBool } from '../common.js';
import { commaArray } from './admin.js';
import { pagingQuery } from './crud.js';

/** What publishing and a draft's discovery both tell of a function: its name, decorator texts, `def` line and argument names, order. */
const discoveredFunc = {
  name: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  tags: z.array(z.string()),
  /** `def name(a, b=2, **kw)` */
  definition: z.string(),
  args: z.array(z.string()),
  isHidden: z.boolean(),
  defOrder: z.number(),
};

/** A function publishing found: its signature and decorator options (`extraConfig`: timeout, queue, fixedCronExpr…). */
export const publishedFunc = z.object({ ...discoveredFunc, kwargs: jsonObject, extraConfig: jsonObject });
export type PublishedFunc = z.output<typeof publishedFunc>;

/** One published version of a script. */
export const publishHistoryView = z.object({
  scriptId: z.string(),
  publishVersion: z.number(),
  code: z.string(),
  codeMD5: z.string(),
  note: z.string().nullable(),
  createTime: z.number(),
});

export const publishScript = operation('publishScript', 'POST /api/v1/scripts/:id/do/publish', 'general_w', {
  summary: 'Publish the draft: runs it to discover @DFF.API functions; a syntax or import error refuses with the line',
  params: idParams,
  body: z
    .object({
      data: z
        .object({ note: z.string().max(5000).nullable().optional() })
        .loose()
        .optional(),
    })
    .loose()
    .optional(),
  output: z.object({ id: z.string(), publishVersion: z.number(), apiFuncs: z.array(publishedFunc) }),
});

/** A function of a draft as discovery finds it: its signature as Python sees it (multi-line, keyword-only, **kwargs). */
export const draftFunc = z.object({
  ...discoveredFunc,
  /** Every argument a caller may name, in order, with its default when it has one (defaults JSON-safe, else their repr). */
  kwargs: z.record(z.string(), z.object({ default: z.unknown().optional(), hasDefault: z.boolean() })),
  varKwargs: z.boolean(),
});
export type DraftFunc = z.output<typeof draftFunc>;

export const discoverScriptDraft = operation('discoverScriptDraft', 'POST /api/v1/scripts/:id/do/discover', 'general_w', {
  summary:
    "Run the saved draft's module code as publishing does and list its @DFF.API functions with their arguments; nothing is stored. A draft that does not import answers its error (with the line) instead of functions",
  params: idParams,
  output: z.object({
    id: z.string(),
    /** The draft that was run: a client compares it with the draft it saved. */
    codeDraftMD5: z.string(),
    funcs: z.array(draftFunc),
    error: z.object({ exceptionType: z.string(), message: z.string(), line: z.number().nullable(), traceback: z.string() }).nullable(),
  }),
});

export const listPublishHistory = operation('listPublishHistory', 'GET /api/v1/script-publish-histories/do/list', 'general_r', {
  summary: "A script's published versions, newest first",
  query: z.object({ scriptId: z.string().min(1) }).loose(),
  output: z.array(publishHistoryView),
});

/** One published version as DataFlux Func lists it (its script publish history). */
export const scriptPublishHistoryRow = z.object({
  id: z.string(),
  scriptId: z.string(),
  scriptSetId: z.string(),
  scriptPublishVersion: z.number(),
  scriptCodeMD5: z.string(),
  note: z.string().nullable(),
  createTime: z.number(),
  /** With `_withScriptCode_cache=true` only. */
  scriptCode_cache: z.string().optional(),
});

export const listScriptPublishHistory = operation('listScriptPublishHistory', 'GET /api/v1/script-publish-history/do/list', 'general_r', {
  summary: "Every script's published versions (DataFlux Func's list), newest first; the code with _withScriptCode_cache=true",
  fieldSelecting: true,
  query: z
    .object({
      scriptId: commaArray.optional(),
      scriptPublishVersion: commaArray
        .refine((a) => a.every((v) => /^\d{1,9}$/.test(v)), 'comma-separated version numbers')
        .transform((a) => a.map(Number))
        .optional(),
      _withScriptCode_cache: queryBool.optional(),
      /** DataFlux Func's fuzzy search (server/routes/fuzzy-search.ts says which fields). */
      _fuzzySearch: z.string().max(1000).optional(),
      ...pagingQuery(1000),
    })
    .loose(),
  output: z.array(scriptPublishHistoryRow),
});
