/** Script-set, script and function queries. */
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useApi } from '../../app/session';
import type { Discovery } from './draft-funcs';

export type Row = Record<string, unknown>;

export interface ScriptDetail {
  id: string;
  scriptSetId: string;
  title: string | null;
  code: string | null;
  codeDraft: string;
  codeDraftMD5: string;
  publishVersion: number;
}

export function toScriptDetail(row: Row): ScriptDetail {
  return {
    id: String(row.id),
    scriptSetId: String(row.scriptSetId),
    title: typeof row.title === 'string' ? row.title : null,
    code: typeof row.code === 'string' ? row.code : null,
    codeDraft: typeof row.codeDraft === 'string' ? row.codeDraft : '',
    codeDraftMD5: typeof row.codeDraftMD5 === 'string' ? row.codeDraftMD5 : '',
    publishVersion: typeof row.publishVersion === 'number' ? row.publishVersion : 0,
  };
}

export function useScriptSets(): UseQueryResult<Row[]> {
  const api = useApi();
  return useQuery({ queryKey: ['scriptSets'], queryFn: () => api.listScriptSets({}) });
}

export function useScripts(): UseQueryResult<Row[]> {
  const api = useApi();
  return useQuery({ queryKey: ['scripts'], queryFn: () => api.listScripts({}) });
}

export function useScript(id: string): UseQueryResult<ScriptDetail> {
  const api = useApi();
  return useQuery({ queryKey: ['script', id], queryFn: async () => toScriptDetail(await api.getScript({ params: { id } })), staleTime: Infinity });
}

export function usePublishHistory(scriptId: string, enabled: boolean): UseQueryResult<Row[]> {
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
