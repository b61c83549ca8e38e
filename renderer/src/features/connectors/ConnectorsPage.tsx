/**
 * Connectors (docs/connectors.md): the list, add/edit with a form per type, a connection test,
 * delete, and — for message types — each connector's subscriptions (topic → handler) with the
 * maintainer's live counters (sub-info, every 2 s).
 */
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { CONNECTOR_TARGET_FIELDS, CONNECTOR_TYPES, MASKED_CONNECTOR_SECRET, MESSAGE_CONNECTOR_TYPES, type ConnectorType } from '@contract/operations/connectors';
import { operations } from '@contract/index';
import type { OutputOf } from '@contract/client/index';
import { useApi } from '../../app/session';
import { usePageApi } from '../../app/permissions';
import { Button, FormButtons } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Dialog } from '../../ui/Dialog';
import { Field, Select, TextArea, TextInput } from '../../ui/Field';
import { Badge, Page } from '../../ui/Page';
import { NoticeBody, Table, cellClass, mutedCellClass } from '../../ui/Table';
import { EmptyState, ErrorBanner, errorMessage, QueryList, Spinner } from '../../ui/States';
import { formatTime } from '../../ui/format';

type Connector = OutputOf<'listConnectors'>[number];
type SubInfo = OutputOf<'listConnectorSubInfo'>[number];

interface FieldDef {
  name: string;
  label: string;
  kind: 'text' | 'number' | 'password' | 'json';
  placeholder?: string;
}

const server = (port: number, user?: string): FieldDef[] => [
  { name: 'host', label: 'Host', kind: 'text', placeholder: '127.0.0.1' },
  { name: 'port', label: 'Port', kind: 'number', placeholder: String(port) },
  { name: 'user', label: 'User', kind: 'text', ...(user ? { placeholder: user } : {}) },
  { name: 'password', label: 'Password', kind: 'password' },
];

/** The config fields of each type (docs/connectors.md), topicHandlers apart. */
const TYPE_FIELDS: Record<ConnectorType, FieldDef[]> = {
  mysql: [...server(3306, 'root'), { name: 'database', label: 'Database', kind: 'text' }, { name: 'charset', label: 'Charset', kind: 'text', placeholder: 'utf8mb4' }],
  postgresql: [...server(5432, 'postgres'), { name: 'database', label: 'Database', kind: 'text' }],
  redis: [...server(6379), { name: 'database', label: 'Database (number)', kind: 'number', placeholder: '0' }],
  mqtt: [...server(1883), { name: 'clientId', label: 'Client ID', kind: 'text', placeholder: 'random when publishing' }],
  amqp: [
    ...server(5672, 'guest'),
    { name: 'vhost', label: 'Virtual host', kind: 'text', placeholder: '/' },
    { name: 'exchange', label: 'Exchange', kind: 'text', placeholder: 'the default exchange' },
  ],
  nats: [...server(4222), { name: 'token', label: 'Token', kind: 'password' }],
  http: [
    { name: 'url', label: 'Base URL', kind: 'text', placeholder: 'https://api.example.com/v1/' },
    { name: 'headers', label: 'Headers (JSON object)', kind: 'json', placeholder: '{"X-Api-Key": "…"}' },
    { name: 'user', label: 'User (basic auth)', kind: 'text' },
    { name: 'password', label: 'Password', kind: 'password' },
  ],
};

const TOPIC_HINT: Partial<Record<ConnectorType, string>> = {
  mqtt: 'MQTT topic filters (+ and # wildcards), QoS 1 on a persistent session',
  redis: 'Channels, or patterns with * ? [ ] (pub/sub: at most once)',
  amqp: 'Queue names (declared durable when missing); acked once the task is queued',
  nats: 'Subjects (* and > wildcards; core NATS: at most once)',
};

interface Handler {
  topic: string;
  funcId: string;
  isDisabled: boolean;
}

interface FormState {
  id: string;
  type: ConnectorType;
  title: string;
  description: string;
  values: Record<string, string>;
  handlers: Handler[];
}

/** A config value as form text. */
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v, null, 2));

function formOf(row: Connector | null): FormState {
  if (!row) return { id: '', type: 'mysql', title: '', description: '', values: {}, handlers: [] };
  const values: Record<string, string> = {};
  for (const f of TYPE_FIELDS[row.type]) {
    const v = row.configJSON[f.name];
    if (v === undefined || v === null) continue;
    values[f.name] = text(v);
  }
  const th = Array.isArray(row.configJSON['topicHandlers']) ? (row.configJSON['topicHandlers'] as (Omit<Handler, 'isDisabled'> & { isDisabled?: boolean })[]) : [];
  return { id: row.id, type: row.type, title: row.title ?? '', description: row.description ?? '', values, handlers: th.map((h) => ({ ...h, isDisabled: h.isDisabled === true })) };
}

/** The form as configJSON: empty fields left out (defaults apply); a JSON field that is not JSON throws naming it. */
function configOf(form: FormState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of TYPE_FIELDS[form.type]) {
    const v = (form.values[f.name] ?? '').trim();
    if (v === '') continue;
    if (f.kind === 'number') out[f.name] = Number(v);
    else if (f.kind === 'json') {
      try {
        out[f.name] = JSON.parse(v) as unknown;
      } catch {
        throw new Error(`${f.label}: not valid JSON`);
      }
    } else out[f.name] = v;
  }
  if (MESSAGE_CONNECTOR_TYPES.includes(form.type)) out['topicHandlers'] = form.handlers.filter((h) => h.topic.trim() !== '' || h.funcId.trim() !== '');
  return out;
}

function ConnectorForm({
  row,
  pending,
  error,
  onSubmit,
  onTest,
  testing,
  testResult,
  onCancel,
}: {
  row: Connector | null;
  pending: boolean;
  error: unknown;
  onSubmit: (form: FormState, skipTest: boolean) => void;
  onTest: (form: FormState) => void;
  testing: boolean;
  testResult: string | null;
  onCancel: () => void;
}): ReactNode {
  const [form, setForm] = useState<FormState>(() => formOf(row));
  const set = (patch: Partial<FormState>): void => setForm((f) => ({ ...f, ...patch }));
  const setValue = (name: string, v: string): void => setForm((f) => ({ ...f, values: { ...f.values, [name]: v } }));
  const setHandler = (i: number, patch: Partial<Handler>): void => setForm((f) => ({ ...f, handlers: f.handlers.map((h, j) => (j === i ? { ...h, ...patch } : h)) }));
  const isMessage = MESSAGE_CONNECTOR_TYPES.includes(form.type);
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(form, false);
      }}
      data-testid="connectors-form"
    >
      {error ? <ErrorBanner error={error} /> : null}
      <div className="grid grid-cols-2 gap-3">
        <Field label="ID" hint={row ? undefined : "Scripts write DFF.CONN('id')"}>
          <TextInput value={form.id} disabled={row !== null} required onChange={(e) => set({ id: e.target.value })} placeholder="my_db" data-testid="connectors-field-id" />
        </Field>
        <Field label="Type">
          <Select
            value={form.type}
            disabled={row !== null}
            onChange={(e) => set({ type: e.target.value as ConnectorType, values: {} })}
            options={CONNECTOR_TYPES}
            data-testid="connectors-field-type"
          />
        </Field>
      </div>
      <Field label="Title">
        <TextInput value={form.title} onChange={(e) => set({ title: e.target.value })} data-testid="connectors-field-title" />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        {TYPE_FIELDS[form.type].map((f) => (
          <div key={f.name} className={f.kind === 'json' || f.name === 'url' ? 'col-span-2' : ''}>
            <Field
              label={f.label}
              hint={f.kind === 'password' && row ? `Left as ****** keeps the stored secret, unless the ${CONNECTOR_TARGET_FIELDS[form.type].join(', ')} change` : undefined}
            >
              {f.kind === 'json' ? (
                <TextArea
                  rows={3}
                  value={form.values[f.name] ?? ''}
                  placeholder={f.placeholder}
                  onChange={(e) => setValue(f.name, e.target.value)}
                  data-testid={`connectors-field-${f.name}`}
                />
              ) : (
                <TextInput
                  type={f.kind === 'password' ? 'password' : f.kind === 'number' ? 'number' : 'text'}
                  value={form.values[f.name] ?? ''}
                  placeholder={f.placeholder ?? (f.kind === 'password' && row ? MASKED_CONNECTOR_SECRET : undefined)}
                  onChange={(e) => setValue(f.name, e.target.value)}
                  data-testid={`connectors-field-${f.name}`}
                />
              )}
            </Field>
          </div>
        ))}
      </div>
      {isMessage ? (
        <div className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800" data-testid="connectors-handlers">
          <div className="flex items-center justify-between">
            <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Subscriptions (topic → handler function, run on queue #6)</span>
            <Button size="sm" onClick={() => set({ handlers: [...form.handlers, { topic: '', funcId: '', isDisabled: false }] })} data-testid="connectors-handler-add">
              + Topic
            </Button>
          </div>
          <p className="text-xs text-zinc-500">{TOPIC_HINT[form.type]}. The handler gets the kwargs topic and message.</p>
          {form.handlers.map((h, i) => (
            <div key={i} className="flex items-center gap-2" data-testid={`connectors-handler-${i}`}>
              <TextInput value={h.topic} placeholder="topic" onChange={(e) => setHandler(i, { topic: e.target.value })} data-testid={`connectors-handler-${i}-topic`} />
              <TextInput value={h.funcId} placeholder="script.func" onChange={(e) => setHandler(i, { funcId: e.target.value })} data-testid={`connectors-handler-${i}-func`} />
              <label className="flex items-center gap-1 text-xs whitespace-nowrap">
                <input type="checkbox" checked={h.isDisabled} onChange={(e) => setHandler(i, { isDisabled: e.target.checked })} />
                off
              </label>
              <Button size="sm" variant="dangerGhost" onClick={() => set({ handlers: form.handlers.filter((_, j) => j !== i) })}>
                ✕
              </Button>
            </div>
          ))}
        </div>
      ) : null}
      {testResult ? (
        <p className="text-sm" data-testid="connectors-test-result">
          {testResult}
        </p>
      ) : null}
      <FormButtons onCancel={onCancel} submitLabel="Save" submitDisabled={pending} submitTestId="connectors-save">
        <Button disabled={testing} onClick={() => onTest(form)} data-testid="connectors-test">
          {testing ? 'Testing…' : 'Test connection'}
        </Button>
        <Button disabled={pending} onClick={() => onSubmit(form, true)} data-testid="connectors-save-untested">
          Save without test
        </Button>
      </FormButtons>
    </form>
  );
}

const stateTone = (s: string): 'green' | 'red' | 'amber' | 'zinc' =>
  s === 'subscribed' ? 'green' : s === 'error' ? 'red' : s === 'paused' || s === 'subscribing' ? 'amber' : 'zinc';

function Subscriptions({ id }: { id: string }): ReactNode {
  const api = useApi();
  const q = useQuery({ queryKey: ['connectorSubInfo', id], queryFn: () => api.listConnectorSubInfo({ params: { id } }), refetchInterval: 2000 });
  if (q.isPending) return <Spinner />;
  if (q.error) return <ErrorBanner error={q.error} />;
  if (q.data.length === 0) return <p className="text-xs text-zinc-500">No topic handlers: add one to subscribe.</p>;
  return (
    <Table headers={['Topic', 'Handler', 'State', 'Received', 'Dispatched', 'Failed', 'Last minute', 'Last message']} testId={`connectors-subs-${id}`}>
      {q.data.map((s: SubInfo) => (
        <tr key={s.topic} data-testid={`connectors-sub-${id}-${s.topic}`}>
          <td className={`${cellClass} font-mono text-xs`}>{s.topic}</td>
          <td className={`${cellClass} font-mono text-xs`}>{s.funcId}</td>
          <td className={cellClass} title={s.error ?? (s.maintainer ? `maintained by ${s.maintainer}` : '')}>
            <Badge tone={stateTone(s.state)} testId="connectors-sub-state">
              {s.state}
            </Badge>
            {s.error ? <span className="ml-2 text-xs text-red-600 dark:text-red-400">{s.error}</span> : null}
          </td>
          <td className={mutedCellClass} data-testid="connectors-sub-received">
            {s.received}
          </td>
          <td className={mutedCellClass} data-testid="connectors-sub-dispatched">
            {s.dispatched}
          </td>
          <td className={mutedCellClass}>{s.failed}</td>
          <td className={mutedCellClass}>{s.lastMinuteCount}/min</td>
          <td className={mutedCellClass}>{s.lastMessageTime ? formatTime(s.lastMessageTime) : '—'}</td>
        </tr>
      ))}
    </Table>
  );
}

export function ConnectorsPage(): ReactNode {
  const { api, qc, can } = usePageApi();
  const writable = can(operations.addConnector.permission ?? 'general_w');
  const list = useQuery({ queryKey: ['connectors'], queryFn: () => api.listConnectors({}) });
  const [editing, setEditing] = useState<Connector | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Connector | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<string | null>(null);
  const refresh = (): Promise<void> => qc.invalidateQueries({ queryKey: ['connectors'] });

  const save = useMutation({
    mutationFn: async ({ form, skipTest }: { form: FormState; skipTest: boolean }) => {
      const base = { title: form.title || null, description: form.description || null, configJSON: configOf(form) };
      if (editing === 'new') await api.addConnector({ body: { data: { id: form.id, type: form.type, ...base }, skipTest } });
      else if (editing) await api.modifyConnector({ params: { id: editing.id }, body: { data: base, skipTest } });
    },
    onSuccess: async () => {
      setNotice(`Connector ${editing === 'new' ? 'added' : 'saved'}`);
      setEditing(null);
      await refresh();
    },
  });
  const test = useMutation({
    mutationFn: async (form: FormState) => {
      // A new connector: test the form's config (nothing stored); a stored one: its stored config (secrets stay on the server).
      if (editing === 'new') await api.addConnector({ body: { data: { id: form.id || 'connection_test', type: form.type, configJSON: configOf(form) }, testOnly: true } });
      else if (editing) await api.queryConnector({ params: { id: editing.id }, body: { command: 'check' } });
    },
    onMutate: () => setTestResult(null),
    onSuccess: () => setTestResult(editing === 'new' ? '✓ Connected' : '✓ Connected (the saved config)'),
    onError: (err) => setTestResult(`✗ ${errorMessage(err)}`),
  });
  const remove = useMutation({
    mutationFn: (row: Connector) => api.deleteConnector({ params: { id: row.id } }),
    onSuccess: async () => {
      setNotice(`Connector ${deleting?.id ?? ''} deleted`);
      setDeleting(null);
      await refresh();
    },
  });
  const startEdit = (row: Connector | 'new'): void => {
    save.reset();
    setTestResult(null);
    setEditing(row);
  };

  const body = (
    <QueryList
      query={list}
      empty={
        <EmptyState title="No connectors yet" testId="connectors-empty">
          Add a database, cache or message broker; scripts use it with DFF.CONN(&apos;id&apos;), message types also subscribe topics to functions.
        </EmptyState>
      }
    >
      {(rows) => (
        <Table headers={['ID', 'Type', 'Title', 'Server', 'Subscriptions', 'Updated', '']} testId="connectors-table" stickyLast>
          {rows.map((c) => {
            const handlers = Array.isArray(c.configJSON['topicHandlers']) ? (c.configJSON['topicHandlers'] as unknown[]).length : 0;
            const host =
              typeof c.configJSON['url'] === 'string'
                ? c.configJSON['url']
                : `${text(c.configJSON['host'] ?? '127.0.0.1')}${c.configJSON['port'] ? `:${text(c.configJSON['port'])}` : ''}`;
            const isMessage = MESSAGE_CONNECTOR_TYPES.includes(c.type);
            return [
              <tr key={c.id} data-testid={`connectors-row-${c.id}`}>
                <td className={`${cellClass} font-mono`}>{c.id}</td>
                <td className={cellClass}>
                  <Badge tone="indigo">{c.type}</Badge>
                </td>
                <td className={mutedCellClass}>{c.title ?? '—'}</td>
                <td className={`${mutedCellClass} font-mono text-xs`}>{host}</td>
                <td className={mutedCellClass}>
                  {isMessage ? (
                    <button
                      type="button"
                      className="text-indigo-600 underline dark:text-indigo-400"
                      onClick={() => setOpen(open === c.id ? null : c.id)}
                      data-testid={`connectors-subs-toggle-${c.id}`}
                    >
                      {handlers} topic{handlers === 1 ? '' : 's'} {open === c.id ? '▾' : '▸'}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td className={mutedCellClass}>{formatTime(c.updateTime)}</td>
                <td className={`${cellClass} text-right`}>
                  {writable && !c.isBuiltin ? (
                    <span className="inline-flex gap-1">
                      <Button size="sm" variant="ghost" onClick={() => startEdit(c)} data-testid={`connectors-edit-${c.id}`}>
                        Edit
                      </Button>
                      <Button size="sm" variant="dangerGhost" onClick={() => setDeleting(c)} data-testid={`connectors-delete-${c.id}`}>
                        Delete
                      </Button>
                    </span>
                  ) : null}
                </td>
              </tr>,
              open === c.id ? (
                <tr key={`${c.id}-subs`}>
                  <td colSpan={7} className="bg-zinc-50 px-4 py-3 dark:bg-zinc-900/60">
                    <Subscriptions id={c.id} />
                  </td>
                </tr>
              ) : null,
            ];
          })}
        </Table>
      )}
    </QueryList>
  );

  return (
    <Page
      title="Connectors"
      description="Stored connections scripts use with DFF.CONN(id); message types (MQTT, Redis, AMQP, NATS) also subscribe topics to handler functions on queue #6."
      actions={
        writable ? (
          <Button variant="primary" onClick={() => startEdit('new')} data-testid="connectors-add">
            + New connector
          </Button>
        ) : null
      }
      testId="connectors-page"
    >
      <NoticeBody notice={notice} onDismiss={() => setNotice(null)} noticeTestId="connectors-notice" padding="p-6">
        {body}
      </NoticeBody>
      <Dialog
        open={editing !== null}
        wide
        title={editing === 'new' ? 'New connector' : `Edit connector ${editing ? editing.id : ''}`}
        onClose={() => setEditing(null)}
        testId="connectors-dialog"
      >
        {editing !== null ? (
          <ConnectorForm
            row={editing === 'new' ? null : editing}
            pending={save.isPending}
            error={save.error}
            testing={test.isPending}
            testResult={testResult}
            onTest={(f) => test.mutate(f)}
            onCancel={() => setEditing(null)}
            onSubmit={(form, skipTest) => save.mutate({ form, skipTest })}
          />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete connector?"
        confirmLabel="Delete"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
        testId="connectors-delete-dialog"
      >
        <p>
          Delete <span className="font-mono font-medium">{deleting?.id}</span>? Scripts using it fail, and its subscriptions stop.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
