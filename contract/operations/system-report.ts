/**
 * DataFlux Func's system report and detailed Redis report, on Func's own store, Redis and queues
 * (docs/operations.md, "Reports"). Keys are DataFlux Func's (upper case) where they line up.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { jsonObject } from '../common.js';

/** Said in place of what only production mode has, in the embedded mode (`func up`). */
export const NO_REDIS_NOTE = 'embedded mode (func up): no Redis; the queues and the func cache live in this process (QUEUES)';

export const getSystemReport = operation('getSystemReport', 'GET /api/v1/system-report', 'general_r', {
  summary:
    "DataFlux Func's system report on Func: IMAGE, CONFIG (secrets masked), NODE, PYTHON, REDIS_CONFIG and REDIS_INFO (production; null with NO_REDIS in the embedded mode), DB_CONFIG, DB_SETTINGS, DB_TABLE_STATUS and DB_ANALYSIS of Func's store, and Func's QUEUES and SERVICES",
  output: z
    .object({
      IMAGE: jsonObject,
      CONFIG: jsonObject,
      NODE: jsonObject,
      PYTHON: jsonObject,
      REDIS_CONFIG: jsonObject.nullable(),
      REDIS_INFO: z.record(z.string(), z.string()).nullable(),
      DB_CONFIG: jsonObject,
      DB_SETTINGS: z.record(z.string(), z.string()),
      DB_TABLE_STATUS: jsonObject,
      DB_ANALYSIS: jsonObject,
      QUEUES: z.array(jsonObject),
      SERVICES: z.array(jsonObject),
      NO_REDIS: z.string().optional(),
    })
    .loose(),
});

export const getDetailedRedisReport = operation('getDetailedRedisReport', 'GET /api/v1/detailed-redis-report', 'general_r', {
  summary:
    "DataFlux Func's detailed Redis report on Func's keys (under its prefix, at most 100,000, KEYS_TRUNCATED beyond): REDIS (INFO), REDIS_KEY_PATTERNS (count, types, memory and element statistics per pattern) and REDIS_ANALYSIS; in the embedded mode REDIS and REDIS_ANALYSIS are null and NO_REDIS says why",
  output: z
    .object({
      REDIS: z.record(z.string(), z.string()).nullable(),
      REDIS_KEY_PATTERNS: jsonObject,
      REDIS_ANALYSIS: jsonObject.nullable(),
      KEYS_TRUNCATED: z.boolean().optional(),
      NO_REDIS: z.string().optional(),
    })
    .loose(),
});
