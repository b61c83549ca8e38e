/** The audit log: every signed-in write (who, what, when, from where), filtered; one record's redacted request in a side pane. */
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { OutputOf } from '@contract/client/index';
import { useApi } from '../../app/session';
import { Badge, Page } from '../../ui/Page';
import { TextInput } from '../../ui/Field';
import { EmptyState, QueryList } from '../../ui/States';
import { AnySelect, Filter, FilterBar, ListWithDetail, useParamSetter } from '../../ui/ListPage';
import { DetailHeader } from '../../ui/DetailHeader';
import { DetailList, Pre, Table, cellClass, mutedCellClass, rowClass } from '../../ui/Table';
import { formatDuration, formatTime, toJson } from '../../ui/format';
import { OPERATION_FILTER_KEYS, operationFiltersFrom, operationQuery, outcomeMatches, type OperationFilters } from './operation-filters';

type OperationRecord = OutputOf<'listOperationRecords'>[number];

function Detail({ record, onClose }: { record: OperationRecord; onClose: () => void }): ReactNode {
  const rows: [string, ReactNode][] = [
    ['Time', formatTime(record.createTime)],
    ['User', record.username ?? record.userId ?? '—'],
    [
      'Operation',
      <span key="o" className="font-mono">
        {record.operationId}
      </span>,
    ],
    ['Request', <span key="r" className="font-mono">{`${record.reqMethod} ${record.reqURL}`}</span>],
    [
      'Outcome',
      <Badge key="s" tone={record.ok ? 'green' : 'red'} testId="operation-detail-status">{`${record.respStatusCode}${record.respReason ? ` ${record.respReason}` : ''}`}</Badge>,
    ],
    ['Took', formatDuration(record.reqCost)],
    ['From', record.clientIPsJSON.join(', ') || '—'],
    ['Client', record.clientId ?? '—'],
    [
      'Trace',
      <span key="t" className="font-mono text-xs">
        {record.traceId}
      </span>,
    ],
  ];
  return (
    <div className="flex h-full flex-col" data-testid="operation-detail">
      <DetailHeader title={record.operationId} tooltip={record.id} testId="operation-detail-id" onClose={onClose} />
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto p-4">
        <DetailList rows={rows} wrap />
        {record.reqParamsJSON && Object.keys(record.reqParamsJSON).length > 0 ? <Pre label="Path parameters">{toJson(record.reqParamsJSON)}</Pre> : null}
        {record.reqQueryJSON && Object.keys(record.reqQueryJSON).length > 0 ? <Pre label="Query">{toJson(record.reqQueryJSON)}</Pre> : null}
        <Pre label="Body (secrets redacted)" testId="operation-detail-body">
          {record.reqBodyJSON === null || record.reqBodyJSON === undefined ? '(no body)' : toJson(record.reqBodyJSON)}
        </Pre>
      </div>
    </div>
  );
}

export function OperationRecordsPage(): ReactNode {
  const api = useApi();
  const [params, setParam, setParams] = useParamSetter();
  const filters = operationFiltersFrom(params);
  const selected = params.get('record');
  const records = useQuery({
    queryKey: ['operationRecords', operationQuery(filters)],
    queryFn: () => api.listOperationRecords({ query: operationQuery(filters) }),
    refetchInterval: 10_000,
  });
  const set = (key: keyof OperationFilters | 'record', value: string): void => setParam(key, value);
  const anyFilter = OPERATION_FILTER_KEYS.some((k) => filters[k] !== '');
  const record = records.data?.find((r) => r.id === selected) ?? null;

  const list = (
    <QueryList
      query={records}
      filter={(r) => outcomeMatches(filters.outcome, r.ok)}
      empty={
        <EmptyState title={anyFilter ? 'No operation matches these filters' : 'No operations recorded yet'} testId="operations-empty">
          {anyFilter ? 'Change or clear the filters.' : 'Every change made by a signed-in user or an access key (adding, editing, deleting, publishing…) is recorded here.'}
        </EmptyState>
      }
    >
      {(rows) => (
        // With a record open beside it, its request and time taken are in the detail: the table keeps to the room left.
        <Table headers={record ? ['Time', 'User', 'Operation', 'Status'] : ['Time', 'User', 'Operation', 'Request', 'Status', 'Took']} testId="operations-table" stickyLast>
          {rows.map((r) => (
            <tr key={r.id} onClick={() => set('record', r.id)} data-testid={`operation-row-${r.id}`} data-operation={r.operationId} className={rowClass(selected === r.id)}>
              <td className={mutedCellClass}>
                <span title={formatTime(r.createTime)}>{formatTime(r.createTime).slice(5)}</span>
              </td>
              <td className={cellClass}>{r.username ?? <span className="text-zinc-400">—</span>}</td>
              <td className={`${cellClass} font-mono text-[13px]`}>{r.operationId}</td>
              {record ? null : (
                <td className={`${cellClass} max-w-[14rem] truncate font-mono text-xs text-zinc-600 dark:text-zinc-400`} title={r.reqURL}>
                  <span className="mr-1.5 font-semibold">{r.reqMethod}</span>
                  {r.reqRoute}
                </td>
              )}
              <td className={cellClass}>
                <Badge tone={r.ok ? 'green' : 'red'}>{r.respStatusCode}</Badge>
              </td>
              {record ? null : <td className={mutedCellClass}>{formatDuration(r.reqCost)}</td>}
            </tr>
          ))}
        </Table>
      )}
    </QueryList>
  );

  return (
    <Page title="Operation records" description="The audit log: who changed what, when and from where, newest first (bodies with their secrets redacted).">
      <FilterBar testId="operation-filters" active={anyFilter} onClear={() => setParams(selected ? { record: selected } : {}, { replace: true })}>
        <Filter label="User" className="w-32">
          <TextInput className="mt-1" value={filters.username} placeholder="admin" onChange={(e) => set('username', e.target.value)} data-testid="filter-username" />
        </Filter>
        <Filter label="Operation" className="w-40">
          <TextInput className="mt-1" value={filters.operationId} placeholder="addSyncApi" onChange={(e) => set('operationId', e.target.value)} data-testid="filter-operation" />
        </Filter>
        <Filter label="Method" className="w-24">
          <AnySelect className="mt-1" value={filters.reqMethod} options={['POST', 'GET']} onChange={(e) => set('reqMethod', e.target.value)} data-testid="filter-method" />
        </Filter>
        <Filter label="Outcome" className="w-28">
          <AnySelect className="mt-1" value={filters.outcome} options={['ok', 'failed']} onChange={(e) => set('outcome', e.target.value)} data-testid="filter-outcome" />
        </Filter>
        <Filter label="Since" className="w-44">
          <TextInput className="mt-1" type="datetime-local" value={filters.since} onChange={(e) => set('since', e.target.value)} data-testid="filter-since" />
        </Filter>
        <Filter label="Until" className="w-44">
          <TextInput className="mt-1" type="datetime-local" value={filters.until} onChange={(e) => set('until', e.target.value)} data-testid="filter-until" />
        </Filter>
      </FilterBar>
      <ListWithDetail list={list} detail={record ? <Detail record={record} onClose={() => set('record', '')} /> : null} />
    </Page>
  );
}
