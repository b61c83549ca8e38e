/** Script-set, script and function queries. */
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { z } from 'zod';
import type { EntityView } from '@contract/operations/entities';
import type { publishHistoryView } from '@contract/operations/scripts';
import { useApi } from '../../app/session';
import { allPages } from './all-pages';
import type { Discovery } from './draft-funcs';

export type PublishedVersion = z.output<typeof publishHistoryView>;

export interface ScriptDetail {
  id: string;
  scriptSetId: string;
  title: string | null;
  code: string | null;
  codeDraft: string;
  codeDraftMD5: string;
  publishVersion: number;
}

/** get answers `code` and `codeDraft` always (list only when asked). */
export function toScriptDetail(row: EntityView<'scripts'>): ScriptDetail {
  return {
    id: row.id,
    scriptSetId: row.scriptSetId,
    title: row.title,
    code: row.code ?? null,
    codeDraft: row.codeDraft ?? '',
    codeDraftMD5: row.codeDraftMD5,
    publishVersion: row.publishVersion,
  };
}

export function useScriptSets(): UseQueryResult<EntityView<'scriptSets'>[]> {
  const api = useApi();
  return useQuery({ queryKey: ['scriptSets'], queryFn: () => allPages((paging) => api.listScriptSets({ query: paging })) });
}

export function useScripts(): UseQueryResult<EntityView<'scripts'>[]> {
  const api = useApi();
  // Every script of every set for the tree: the list pages (1000 rows unless asked).
  return useQuery({ queryKey: ['scripts'], queryFn: () => allPages((paging) => api.listScripts({ query: paging })) });
}

export function useScript(id: string): UseQueryResult<ScriptDetail> {
  const api = useApi();
  return useQuery({ queryKey: ['script', id], queryFn: async () => toScriptDetail(await api.getScript({ params: { id } })), staleTime: Infinity });
}

export function usePublishHistory(scriptId: string, enabled: boolean): UseQueryResult<PublishedVersion[]> {
  const api = useApi();
  return useQuery({ queryKey: ['publishHistory', scriptId], queryFn: () => api.listPublishHistory({ query: { scriptId } }), enabled });
}

/** A save that follows another within this long is discovered once (the last). */
const DISCOVER_DEBOUNCE_MS = 400;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/**
 * The server's discovery of the saved draft (it runs the module code, as publishing does), once per
 * saved version: keyed by the saved draft's MD5, debounced; the previous answer stays meanwhile.
 */
export function useDraftDiscovery(scriptId: string, savedMD5: string, enabled: boolean): UseQueryResult<Discovery> {
  const api = useApi();
  const md5 = useDebounced(savedMD5, DISCOVER_DEBOUNCE_MS);
  return useQuery({
    queryKey: ['draftFuncs', scriptId, md5],
    queryFn: () => api.discoverScriptDraft({ params: { id: scriptId } }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
