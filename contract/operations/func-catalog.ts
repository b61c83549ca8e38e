/**
 * DataFlux Func's function catalog and documentation routes (func-list, func-tag-list,
 * func-api-list, auth-link-func-list, describe, overview), calling many functions at once
 * (func-many), and a cron job's recent triggers.
 */
import { z } from 'zod';
import { defineOperation, operation } from '../operation.js';
import { funcIdField, funcIdParams, idParams, jsonObject } from '../common.js';
import { callOptions } from './calls.js';
import { funcView } from './entities.js';

const list = z.string().max(10_000).optional();

export const describeFunc = operation('describeFunc', 'GET /api/v1/func/:funcId', 'general_r', {
  summary: 'One published function: its definition, arguments, category, tags',
  params: funcIdParams,
  output: funcView,
});

export const OVERVIEW_SECTIONS = ['services', 'queues', 'bizMetrics', 'bizEntities'] as const;
export const funcOverview = operation('funcOverview', 'GET /api/v1/func/overview', 'general_r', {
  summary: 'Overview: running services, queues (workers, waiting tasks), business metrics and how many of each entity there are (`sections`: comma-separated, all by default)',
  query: z
    .object({
      sections: z
        .string()
        .max(200)
        .refine((v) => v.split(',').every((s) => (OVERVIEW_SECTIONS as readonly string[]).includes(s)), `each one of ${OVERVIEW_SECTIONS.join(', ')}`)
        .optional(),
    })
    .loose(),
  output: z
    .object({
      services: z.array(jsonObject).optional(),
      queues: z
        .array(z.object({ queue: z.number(), workerCount: z.number(), processCount: z.number(), delayQueueLength: z.number(), workerQueueLength: z.number() }).loose())
        .optional(),
      bizMetrics: z.array(z.object({ title: z.string(), subTitle: z.string(), value: z.number() }).loose()).optional(),
      bizEntities: z.array(z.object({ name: z.string(), count: z.number(), countEnabled: z.number().optional() })).optional(),
    })
    .loose(),
});

/** A function as DataFlux Func's func-list documents it: the function, its call URL, its script's and script set's titles. */
export const funcDocEntry = funcView.extend({
  url: z.string(),
  scriptTitle: z.string().nullable(),
  scriptDescription: z.string().nullable(),
  scriptSetTitle: z.string().nullable(),
  scriptSetDescription: z.string().nullable(),
});

/** DataFlux Func's fuzzy search of the function lists: the function's id, title or description contains it, whatever the case. */
const fuzzySearch = z.string().max(1000).optional();

export const funcList = operation('funcList', 'GET /api/v1/func-list', 'general_r', {
  summary:
    'Published functions for documentation, hidden ones (is_hidden) left out (filters: id, category, integration, scriptId, scriptSetId: comma = one of; tags: has all; name, title: contains, whatever the case; _fuzzySearch: id, title or description contains)',
  query: z.object({ id: list, name: list, title: list, category: list, integration: list, tags: list, scriptId: list, scriptSetId: list, _fuzzySearch: fuzzySearch }).loose(),
  output: z.array(funcDocEntry),
});

export const funcTagList = operation('funcTagList', 'GET /api/v1/func-tag-list', 'general_r', {
  summary: "The published functions' tags, sorted, each once (name: contains; tagPattern: wildcard `*`)",
  query: z.object({ scriptSetId: list, scriptId: list, name: z.string().max(256).optional(), tagPattern: z.string().max(256).optional() }).loose(),
  output: z.array(z.string()),
});

const apiListQuery = {
  funcId: list,
  funcName: list,
  funcCategory: list,
  funcTags: list,
  scriptId: list,
  scriptSetId: list,
  _fuzzySearch: fuzzySearch,
};
export const funcApiEntry = z.object({
  url: z.string(),
  apiType: z.enum(['syncAPI', 'asyncAPI']),
  id: z.string(),
  funcCallKwargsJSON: jsonObject,
  expireTime: z.number().nullable(),
  throttlingJSON: jsonObject.nullable(),
  isDisabled: z.boolean(),
  configFuncId: z.string(),
  funcId: z.string().nullable(),
  funcName: z.string().nullable(),
  funcTitle: z.string().nullable(),
  funcDescription: z.string().nullable(),
  funcDefinition: z.string().nullable(),
  funcArgsJSON: z.array(z.string()).nullable(),
  funcKwargsJSON: jsonObject.nullable(),
  funcCategory: z.string().nullable(),
  funcIntegration: z.string().nullable(),
  funcTagsJSON: z.array(z.string()).nullable(),
  apiAuthId: z.string().nullable(),
  apiAuthTitle: z.string().nullable(),
  apiAuthType: z.string().nullable(),
});

export const funcApiList = operation('funcApiList', 'GET /api/v1/func-api-list', 'none', {
  summary: 'The sync and async APIs shown in the API docs (showInDoc), with their functions (public, as in DataFlux Func)',
  query: z.object({ apiType: z.enum(['syncAPI', 'asyncAPI', 'ALL']).optional(), ...apiListQuery }).loose(),
  output: z.array(funcApiEntry),
});

export const authLinkFuncList = operation('authLinkFuncList', 'GET /api/v1/auth-link-func-list', 'none', {
  summary: "func-api-list's sync APIs, under DataFlux Func's old name (auth links)",
  query: z.object(apiListQuery).loose(),
  output: z.array(funcApiEntry),
});

/** Most calls one func-many takes. */
export const MAX_FUNC_MANY = 1000;
export const callFuncMany = operation('callFuncMany', 'POST /api/v1/func-many', 'general_w', {
  summary: 'Enqueue many function calls at once (each checked before any is enqueued); answers their task ids in order',
  body: z
    .object({
      calls: z
        .array(
          z
            .object({
              funcId: funcIdField,
              kwargs: jsonObject.optional(),
              /**
               * DataFlux Func documents `eta` and `delay` here (and ignores the rest); Func takes every option
               * `/api/v1/func/:funcId` takes, checked the same way (`timeout`, `expires`, `queue`, `retry`…); each
               * call is enqueued whatever `async` says, and `unbox` / `returnType` have no result to shape.
               */
              options: callOptions.optional(),
            })
            .loose(),
        )
        .min(1)
        .max(MAX_FUNC_MANY),
    })
    .loose(),
  output: z.object({ ids: z.array(z.string()) }),
});

/** Most triggers recent-triggered answers. */
export const RECENT_TRIGGERED_LIMIT = 3000;
export const listCronJobRecentTriggered = defineOperation('listCronJobRecentTriggered', {
  paths: ['/api/v1/cron-jobs/:id/recent-triggered/do/list', '/api/v1/crontab-configs/:id/recent-triggered/do/list'],
  permission: 'general_r',
  summary:
    "A cron job's recent triggers (its task records), newest first: [epoch seconds, exec mode]; the exec mode is `cronJob` (Func's records do not tell a run by /api/v1/cron/:id from a scheduled one)",
  params: idParams,
  output: z.array(z.tuple([z.number(), z.string()])),
});
