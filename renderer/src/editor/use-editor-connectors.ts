/** Keeps the editor's `DFF.CONN` completions fed with the stored connectors (the Connectors page's query). */
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { operations } from '@contract/index';
import { useApi } from '../app/session';
import { usePermissions } from '../app/permissions';
import { setKnownConnectors } from './conn-completions';

export function useEditorConnectors(): void {
  const api = useApi();
  const { can } = usePermissions();
  const list = useQuery({
    queryKey: ['connectors'],
    queryFn: () => api.listConnectors({}),
    enabled: can(operations.listConnectors.permission ?? 'general_r'),
    staleTime: 30_000,
  });
  useEffect(() => {
    if (list.data) setKnownConnectors(list.data.map((c) => ({ id: c.id, type: c.type, title: c.title })));
  }, [list.data]);
}
