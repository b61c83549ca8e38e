/** What scripts keep with DFF.CACHE and DFF.STORE: browse by scope and key, view a value, delete. */
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useParamSetter } from '../../ui/ListPage';
import { FUNC_CACHE_LIST_MAX } from '@contract/operations/func-data';
import { usePageApi } from '../../app/permissions';
import { Badge, Page } from '../../ui/Page';
import { Button } from '../../ui/Button';
import { TextInput } from '../../ui/Field';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Tabs } from '../../ui/Tabs';
import { EmptyState, ErrorBanner, QueryList, Spinner } from '../../ui/States';
import { DetailHeader } from '../../ui/DetailHeader';
import { DetailList, Pre, QueryTable, Table, cellClass, mutedCellClass, rowClass } from '../../ui/Table';
import { formatBytes, formatTime, toJson } from '../../ui/format';
import { formatTtl } from './ttl';

type Tab = 'caches' | 'stores';

function SidePane({
  title,
  onClose,
  onDelete,
  canDelete,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  onDelete: () => void;
  canDelete: boolean;
  children: ReactNode;
  testId: string;
}): ReactNode {
  return (
    <aside className="flex w-[24rem] shrink-0 flex-col border-l border-zinc-200 bg-white 2xl:w-[34rem] dark:border-zinc-800 dark:bg-zinc-900" data-testid={testId}>
      <DetailHeader title={title} tooltip={title} testId={`${testId}-title`} onClose={onClose}>
        {canDelete ? (
          <Button size="sm" variant="danger" onClick={onDelete} data-testid={`${testId}-delete`}>
            Delete
          </Button>
        ) : null}
      </DetailHeader>
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto p-4">{children}</div>
    </aside>
  );
}

function Search({ scope, keyText, set }: { scope: string; keyText: string; set: (k: 'scope' | 'key', v: string) => void }): ReactNode {
  return (
    <div className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-6 py-3 dark:border-zinc-800">
      <label className="w-52 text-xs text-zinc-500">
        Scope contains
        <TextInput className="mt-1" value={scope} placeholder="set__script" onChange={(e) => set('scope', e.target.value)} data-testid="filter-scope" />
      </label>
      <label className="w-64 text-xs text-zinc-500">
        Key contains
        <TextInput className="mt-1" value={keyText} placeholder="user:42" onChange={(e) => set('key', e.target.value)} data-testid="filter-key" />
      </label>
    </div>
  );
}

export function FuncDataPage(): ReactNode {
  const { api, qc, can } = usePageApi();
  const [params, set, setParams] = useParamSetter();
  const tab: Tab = params.get('tab') === 'stores' ? 'stores' : 'caches';
  const scope = params.get('scope') ?? '';
  const keyText = params.get('key') ?? '';
  /** The open entry: `scope\u0000key` of a cache key, the id of a store entry. */
  const selected = params.get('entry');
  const [deleting, setDeleting] = useState(false);
  const search = { ...(scope ? { scope } : {}), ...(keyText ? { key: keyText } : {}) };

  const caches = useQuery({ queryKey: ['funcCaches', search], queryFn: () => api.listFuncCaches({ query: search }), enabled: tab === 'caches', refetchInterval: 5000 });
  const stores = useQuery({
    queryKey: ['funcStores', search],
    queryFn: () => api.listFuncStores({ query: { ...search, pageSize: 200 } }),
    enabled: tab === 'stores',
    refetchInterval: 5000,
  });

  const [cacheScope, cacheKey] = tab === 'caches' && selected ? (selected.split('\u0000') as [string, string?]) : ['', undefined];
  const cacheValue = useQuery({
    queryKey: ['funcCache', cacheScope, cacheKey],
    queryFn: () => api.getFuncCache({ params: { scope: cacheScope, key: cacheKey ?? '' }, query: { preferJSON: true } }),
    enabled: tab === 'caches' && cacheKey !== undefined,
  });
  const storeValue = useQuery({
    queryKey: ['funcStore', selected],
    queryFn: () => api.getFuncStore({ params: { id: selected ?? '' } }),
    enabled: tab === 'stores' && selected !== null,
  });

  const remove = useMutation({
    mutationFn: async () => {
      if (tab === 'caches') await api.deleteFuncCache({ params: { scope: cacheScope, key: cacheKey ?? '' } });
      else await api.deleteFuncStore({ params: { id: selected ?? '' } });
    },
    onSuccess: async () => {
      setDeleting(false);
      set('entry', '');
      await qc.invalidateQueries({ queryKey: [tab === 'caches' ? 'funcCaches' : 'funcStores'] });
    },
  });

  const cacheList = (
    <QueryList
      query={caches}
      empty={
        <EmptyState title={scope || keyText ? 'No cache key matches' : 'No cache keys'} testId="func-caches-empty">
          Scripts keep values here with <span className="font-mono">DFF.CACHE.set(key, value, expires=…)</span>.
        </EmptyState>
      }
    >
      {(rows) => (
        <div className="space-y-2">
          <Table headers={['Scope', 'Key', 'Type', 'Expires in', 'Memory']} testId="func-caches-table">
            {rows.map((c) => {
              const id = `${c.scope}\u0000${c.key}`;
              return (
                <tr key={c.fullKey} onClick={() => set('entry', id)} className={rowClass(selected === id)} data-testid="func-cache-row" data-key={c.key}>
                  <td className={`${cellClass} max-w-[11rem] truncate font-mono text-[13px]`}>{c.scope}</td>
                  <td className={`${cellClass} max-w-[13rem] truncate font-mono text-[13px]`}>{c.key}</td>
                  <td className={cellClass}>
                    <Badge>{c.type}</Badge>
                  </td>
                  <td className={mutedCellClass}>{formatTtl(c.ttl)}</td>
                  <td className={mutedCellClass}>{formatBytes(c.memoryUsage)}</td>
                </tr>
              );
            })}
          </Table>
          {rows.length >= FUNC_CACHE_LIST_MAX ? <p className="text-xs text-zinc-500">The first {FUNC_CACHE_LIST_MAX} keys in order: narrow the search to see others.</p> : null}
        </div>
      )}
    </QueryList>
  );

  const storeList = (
    <QueryTable
      query={stores}
      empty={
        <EmptyState title={scope || keyText ? 'No store entry matches' : 'No store entries'} testId="func-stores-empty">
          Scripts keep values here with <span className="font-mono">DFF.STORE.set(key, value)</span>: kept in the database, across restarts.
        </EmptyState>
      }
      headers={['Scope', 'Key', 'Size', 'Expires', 'Updated']}
      testId="func-stores-table"
      row={(s) => (
        <tr key={s.id} onClick={() => set('entry', s.id)} className={rowClass(selected === s.id)} data-testid="func-store-row" data-key={s.key}>
          <td className={`${cellClass} max-w-[11rem] truncate font-mono text-[13px]`}>{s.scope}</td>
          <td className={`${cellClass} max-w-[13rem] truncate font-mono text-[13px]`}>{s.key}</td>
          <td className={mutedCellClass}>{formatBytes(s.dataSize)}</td>
          <td className={mutedCellClass}>{s.expireAt === null ? 'never' : formatTime(s.expireAt).slice(5)}</td>
          <td className={mutedCellClass}>
            <span title={formatTime(s.updateTime)}>{formatTime(s.updateTime).slice(5)}</span>
          </td>
        </tr>
      )}
    />
  );

  const pane = (): ReactNode => {
    if (!selected) return null;
    if (tab === 'caches') {
      const info = caches.data?.find((c) => c.scope === cacheScope && c.key === cacheKey);
      return (
        <SidePane
          title={cacheKey ?? ''}
          onClose={() => set('entry', '')}
          onDelete={() => (remove.reset(), setDeleting(true))}
          canDelete={can('general_w')}
          testId="func-cache-detail"
        >
          <DetailList
            rows={[
              ['Scope', <span className="break-all font-mono">{cacheScope}</span>],
              ['Type', info?.type ?? '—'],
              ['Expires in', info ? formatTtl(info.ttl) : '—'],
            ]}
            wrap
          />
          {cacheValue.isPending ? (
            <Spinner />
          ) : cacheValue.error ? (
            <ErrorBanner error={cacheValue.error} />
          ) : (
            <Pre label="Value" testId="func-cache-value">
              {typeof cacheValue.data === 'string' ? cacheValue.data : toJson(cacheValue.data)}
            </Pre>
          )}
        </SidePane>
      );
    }
    return (
      <SidePane
        title={storeValue.data?.key ?? selected}
        onClose={() => set('entry', '')}
        onDelete={() => (remove.reset(), setDeleting(true))}
        canDelete={can('general_w')}
        testId="func-store-detail"
      >
        {storeValue.isPending ? (
          <Spinner />
        ) : storeValue.error ? (
          <ErrorBanner error={storeValue.error} />
        ) : (
          <>
            <DetailList
              rows={[
                ['Scope', <span className="break-all font-mono">{storeValue.data.scope}</span>],
                ['Created', formatTime(storeValue.data.createTime)],
                ['Updated', formatTime(storeValue.data.updateTime)],
                ['Expires', storeValue.data.expireAt === null ? 'never' : formatTime(storeValue.data.expireAt)],
              ]}
              wrap
            />
            <Pre label="Value (JSON)" testId="func-store-value">
              {toJson(storeValue.data.valueJSON)}
            </Pre>
          </>
        )}
      </SidePane>
    );
  };

  return (
    <Page title="Caches & stores" description="What scripts keep with DFF.CACHE (in the cache, with an expiry) and DFF.STORE (in the database). Refreshed every 5 seconds.">
      <Tabs
        tabs={[
          ['caches', 'DFF.CACHE'],
          ['stores', 'DFF.STORE'],
        ]}
        tab={tab}
        onTab={(t) => setParams(t === 'caches' ? {} : { tab: t }, { replace: true })}
        testIdPrefix="func-data"
      />
      <Search scope={scope} keyText={keyText} set={set} />
      <div className="flex min-h-0 flex-1">
        <div className="min-w-0 flex-1 overflow-auto p-4 xl:p-6">{tab === 'caches' ? cacheList : storeList}</div>
        {pane()}
      </div>
      <ConfirmDialog
        open={deleting}
        title={tab === 'caches' ? 'Delete the cache key?' : 'Delete the store entry?'}
        confirmLabel="Delete"
        onConfirm={() => remove.mutate()}
        onClose={() => setDeleting(false)}
        pending={remove.isPending}
        error={remove.error}
        testId="func-data-delete"
      >
        <p>
          Delete <span className="font-mono font-medium">{tab === 'caches' ? `${cacheScope} / ${cacheKey ?? ''}` : (storeValue.data?.key ?? selected)}</span>? Scripts reading it
          get nothing afterwards.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
