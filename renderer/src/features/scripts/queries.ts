/** Script-set, script and function queries. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useApi } from '../../app/session';

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
