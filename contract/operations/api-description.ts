/**
 * DataFlux Func's `GET /api` (its route list in several formats) and its deprecated
 * `GET /api/v1/metrics`, answered from Func's own contract and metrics.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { empty, jsonObject } from '../common.js';

/** The formats DataFlux Func's `/api` offers; `swagger` is the same OpenAPI document there too. */
export const API_DESCRIPTION_FORMATS = ['openapi', 'swagger', 'raw'] as const;

/** One operation as `GET /api?format=raw` lists it. */
export const rawRoute = z.object({
  name: z.string(),
  method: z.string(),
  methods: z.array(z.string()),
  url: z.union([z.string(), z.array(z.string())]),
  requireSignIn: z.boolean(),
  privilege: z.string().nullable(),
  auth: z.enum(['none', 'signedIn', 'api']),
});

export const describeApi = operation('describeApi', 'GET /api', 'none', {
  summary:
    "DataFlux Func's route list: `format=openapi` (the default) and `swagger` answer Func's OpenAPI document (as `/api/v1/openapi.json`, every path under `virtualDir` when given), `raw` the contract's operations by id in the envelope; `lang` is `en` only. Who may read it is the rule of `/api/v1/openapi.json` (checked by the handler)",
  raw: true,
  query: z.object({
    format: z.enum(API_DESCRIPTION_FORMATS).optional(),
    lang: z
      .string()
      .refine((v) => v === 'en', 'Func describes its API in English only: en (DataFlux Func also takes zh-CN)')
      .optional(),
    virtualDir: z.string().max(200).nullable().optional(),
  }),
  output: z.union([jsonObject, z.object({ ok: z.literal(true), data: z.record(z.string(), rawRoute) }).loose()]),
});

export const deprecatedMetrics = operation('deprecatedMetrics', 'GET /api/v1/metrics', 'none', {
  summary: "DataFlux Func's deprecated metrics route: as there, public and answering an OpenMetrics comment saying it is deprecated (no numbers); Func's metrics are at `/metrics`",
  raw: true,
  query: empty,
  output: z.string(),
});
