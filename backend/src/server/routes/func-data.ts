/** The func-caches and func-stores routes: what DFF.CACHE and DFF.STORE hold, browsed and deleted. */
import { FUNC_STORE_PAGE_MAX } from '../../../../contract/operations/func-data.js';
import { deleteFuncCache, deleteFuncStore, getFuncCache, getFuncStore, listFuncCaches, listFuncStores } from '../../domain/func-data/func-data-browser.js';
import type { Handlers } from '../handler.js';

const DEFAULT_PAGE_SIZE = 100;

export const funcDataHandlers: Pick<Handlers, 'listFuncCaches' | 'getFuncCache' | 'deleteFuncCache' | 'listFuncStores' | 'getFuncStore' | 'deleteFuncStore'> = {
  listFuncCaches: async ({ query }, { ctx }) => listFuncCaches(ctx.cache, { scope: query.scope, key: query.key, search: query._fuzzySearch }),

  getFuncCache: async ({ params, query }, { ctx }) => getFuncCache(ctx.cache, params.scope, params.key, query.preferJSON === true),

  deleteFuncCache: async ({ params }, { ctx }) => ({ scope: params.scope, key: params.key, deleted: await deleteFuncCache(ctx.cache, params.scope, params.key) }),

  listFuncStores: async ({ query }, { ctx }) => {
    const limit = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, FUNC_STORE_PAGE_MAX);
    const offset = ((query.pageNumber ?? 1) - 1) * limit;
    const ids = query.id
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return listFuncStores(ctx.store.funcStore, { ids, scope: query.scope, key: query.key, search: query._fuzzySearch }, { limit, offset });
  },

  getFuncStore: async ({ params }, { ctx }) => getFuncStore(ctx.store.funcStore, params.id),

  deleteFuncStore: async ({ params }, { ctx }) => deleteFuncStore(ctx.store.funcStore, params.id),
};
