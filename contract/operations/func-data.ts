/**
 * What scripts keep with DFF.CACHE and DFF.STORE, browsed as DataFlux Func's "DFF.CACHE / STORE"
 * management does: `func-caches` (by scope and key) and `func-stores` (by id), list, get, delete
 * (delete by GET as DataFlux Func, or POST).
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { anyJson, idResult, queryBool } from '../common.js';
import { pagingQuery } from './crud.js';

/** At most this many cache keys one list answers (DataFlux Func's bound). */
export const FUNC_CACHE_LIST_MAX = 50;
export const FUNC_STORE_PAGE_MAX = 1000;

const name256 = z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
const search = z.string().max(256, 'must be at most 256 characters').optional();

export const funcCacheInfo = z.object({
  /** The key in the func cache (`func:cache:<scope>:<key>`). */
  fullKey: z.string(),
  scope: z.string(),
  key: z.string(),
  /** string, list, hash, set or zset. */
  type: z.string(),
  /** Seconds left; -1: no expiry. */
  ttl: z.number(),
  memoryUsage: z.number().nullable(),
});

const cacheParams = z.object({ scope: name256.regex(/^[^:]+$/, 'must not contain ":"'), key: name256 });

export const listFuncCaches = operation('listFuncCaches', 'GET /api/v1/func-caches/do/list', 'general_r', {
  summary: `DFF.CACHE keys (at most ${FUNC_CACHE_LIST_MAX}), sorted, with type, TTL and memory usage; scope / key: part of it; _fuzzySearch: part of either`,
  query: z.object({ scope: search, key: search, _fuzzySearch: search }).loose(),
  output: z.array(funcCacheInfo),
});

export const getFuncCache = operation('getFuncCache', 'GET /api/v1/func-caches/:scope/:key/do/get', 'general_r', {
  summary: 'The value of one DFF.CACHE key as its type reads it (string; list, set: array; hash: object; zset: [{score, value}]); preferJSON parses JSON text',
  params: cacheParams,
  query: z.object({ preferJSON: queryBool.optional() }).loose(),
  output: anyJson,
});

export const deleteFuncCache = operation('deleteFuncCache', 'GET|POST /api/v1/func-caches/:scope/:key/do/delete', 'general_w', {
  summary: 'Delete one DFF.CACHE key',
  params: cacheParams,
  output: z.object({ scope: z.string(), key: z.string(), deleted: z.boolean() }),
});

export const funcStoreInfo = z.object({
  /** Opaque: stands for the scope and key (`fnst-…`). */
  id: z.string(),
  scope: z.string(),
  key: z.string(),
  /** Epoch ms; null: never expires. An expired entry shows until deleted or overwritten. */
  expireAt: z.number().nullable(),
  /** Bytes of the value as JSON. */
  dataSize: z.number(),
  createTime: z.number(),
  updateTime: z.number(),
});

const storeIdParams = z.object({
  id: z
    .string()
    .regex(/^fnst-[A-Za-z0-9_-]+$/, 'must be a func store id (fnst-…)')
    .max(2048, 'is too long'),
});

export const listFuncStores = operation('listFuncStores', 'GET /api/v1/func-stores/do/list', 'general_r', {
  summary: 'DFF.STORE entries, newest first, without their values; id: comma list; scope / key: part of it; _fuzzySearch: part of either',
  query: z
    .object({
      id: z.string().max(65_536, 'is too long').optional(),
      scope: search,
      key: search,
      _fuzzySearch: search,
      ...pagingQuery(FUNC_STORE_PAGE_MAX),
    })
    .loose(),
  output: z.array(funcStoreInfo),
});

export const getFuncStore = operation('getFuncStore', 'GET /api/v1/func-stores/:id/do/get', 'general_r', {
  summary: 'One DFF.STORE entry with its value (valueJSON)',
  params: storeIdParams,
  output: funcStoreInfo.extend({ valueJSON: anyJson }),
});

export const deleteFuncStore = operation('deleteFuncStore', 'GET|POST /api/v1/func-stores/:id/do/delete', 'general_w', {
  summary: 'Delete one DFF.STORE entry',
  params: storeIdParams,
  output: idResult,
});
