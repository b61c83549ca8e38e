/** The graph's nodes: server and beat, queues with their live numbers, worker units with their controls. */
import { useState, type DragEvent, type ReactNode } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { QUEUE_COLORS } from '../overview/ThroughputChart';
import { unitProcessCounts } from '../overview/process-counts';
import { ProcessBar, ProcessCountsText } from '../overview/ProcessMeter';
import { describeResources, formatNumber } from './format';
import { QUEUE_MIME, readDragged, useGraph } from './graph-context';
import type { GraphNode } from './graph-layout';
import type { RoleService, UnitView } from './graph-model';

const card = 'rounded-lg border bg-white text-zinc-900 shadow-sm dark:bg-zinc-900 dark:text-zinc-100';
const handle = '!size-2 !min-w-0 !border-0 !bg-zinc-400 dark:!bg-zinc-600';

function Dot({ ok }: { ok: boolean }): ReactNode {
  return <span className={`inline-block size-2 rounded-full ${ok ? 'bg-emerald-500' : 'bg-amber-500'}`} />;
}

function RoleNode({ s, title, note }: { s: RoleService; title: string; note: string }): ReactNode {
  const ok = s.running === null ? s.alive > 0 : s.running >= (s.desired ?? 1);
  return (
    <div className={`${card} h-[78px] w-[180px] border-zinc-300 px-3 py-2 dark:border-zinc-700`} data-testid={`topo-${s.kind}`}>
      <div className="flex items-center justify-between">
        <span className="font-mono text-[13px] font-semibold">{title}</span>
        <span className="flex items-center gap-1.5 text-[11px] text-zinc-500" data-testid={`topo-${s.kind}-replicas`}>
          <Dot ok={ok} />
          {s.running === null ? `${s.alive} alive` : `${s.running}/${s.desired ?? 0} running`}
        </span>
      </div>
      <p className="mt-1 truncate text-[11px] text-zinc-500" title={note}>
        {note}
      </p>
      <div className="mt-0.5 flex items-center justify-between gap-1.5">
        <p className="min-w-0 truncate text-[11px] text-zinc-400" title={s.hosts.join(', ')}>
          {s.problem ? <span className="text-red-600 dark:text-red-400">{s.problem}</span> : s.hosts.join(', ') || '—'}
        </p>
        {s.maintainer && (
          <span
            className="shrink-0 rounded bg-violet-100 px-1 text-[10px] font-medium text-violet-700 dark:bg-violet-950 dark:text-violet-300"
            title={`${s.maintainer} maintains the connectors' subscriptions: their messages become tasks on queue #6`}
            data-testid={`topo-${s.kind}-maintainer`}
          >
            subscription maintainer
          </span>
        )}
      </div>
      <Handle type="source" position={Position.Bottom} className={handle} isConnectable={false} />
    </div>
  );
}

export function ServerNode(): ReactNode {
  const { model } = useGraph();
  return <RoleNode s={model.server} title="server" note="API and console; enqueues calls" />;
}

export function BeatNode(): ReactNode {
  const { model } = useGraph();
  return <RoleNode s={model.beat} title="beat" note="Enqueues cron jobs; only 1" />;
}

function Num({ label, value, tone, testId }: { label: string; value: string | number; tone?: string; testId: string }): ReactNode {
  return (
    <div className="min-w-0" title={label}>
      <p className={`text-sm font-semibold leading-tight tabular-nums ${tone ?? ''}`} data-testid={testId}>
        {value}
      </p>
      <p className="text-[9px] uppercase tracking-wide text-zinc-400">{label}</p>
    </div>
  );
}

export function QueueNode({ data }: NodeProps<GraphNode>): ReactNode {
  const { model } = useGraph();
  const queue = data.kind === 'queue' ? data.queue : -1;
  const q = model.queues.find((v) => v.queue === queue);
  if (!q) return null;
  const orphan = q.listeners.length === 0;
  return (
    <div
      className={`${card} h-[64px] w-[116px] px-2 py-1.5 ${orphan ? 'border-red-300 dark:border-red-900' : 'border-zinc-200 dark:border-zinc-700'}`}
      data-testid={`topo-queue-${q.queue}`}
    >
      <Handle type="target" position={Position.Top} className={handle} isConnectable={false} />
      <div className="flex items-center justify-between gap-2">
        <span className="flex items-center gap-1.5 font-mono text-[13px] font-semibold">
          <span className="inline-block size-2 rounded-full" style={{ background: QUEUE_COLORS[q.queue % QUEUE_COLORS.length] }} />#{q.queue}
        </span>
        <span className="truncate text-[10px] text-zinc-500" title={q.roles.join(', ')}>
          {orphan ? <span className="text-red-600 dark:text-red-400">no listener</span> : q.roles.join(', ')}
        </span>
      </div>
      <div className="mt-1 grid grid-cols-3 gap-1">
        <Num label="wait" value={q.length} tone={q.length > 0 ? 'text-amber-600 dark:text-amber-400' : ''} testId={`topo-queue-${q.queue}-length`} />
        <Num label="run" value={q.inFlight} tone={q.inFlight > 0 ? 'text-indigo-600 dark:text-indigo-400' : ''} testId={`topo-queue-${q.queue}-inflight`} />
        <Num label="done/s" value={formatNumber(q.rate, 1)} testId={`topo-queue-${q.queue}-rate`} />
      </div>
      <Handle type="source" position={Position.Bottom} className={handle} isConnectable={false} />
    </div>
  );
}

function QueueChip({ unit, queue, draggable }: { unit: string; queue: number; draggable: boolean }): ReactNode {
  const { actions } = useGraph();
  const onDragStart = (e: DragEvent): void => {
    e.dataTransfer.setData(QUEUE_MIME, JSON.stringify({ queue, from: unit }));
    e.dataTransfer.effectAllowed = 'move';
    actions.setDragging({ queue, from: unit });
  };
  return (
    <span
      draggable={draggable}
      onDragStart={draggable ? onDragStart : undefined}
      onDragEnd={() => actions.setDragging(null)}
      title={draggable ? `Drag #${queue} onto another unit to move it there, or onto empty space to give it a unit of its own` : undefined}
      className={`nodrag nopan inline-flex h-6 items-center gap-1 rounded border border-zinc-200 bg-zinc-50 px-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-800 ${draggable ? 'cursor-grab hover:border-indigo-400 active:cursor-grabbing' : ''}`}
      data-testid={`unit-${unit}-queue-${queue}`}
    >
      <span className="inline-block size-1.5 rounded-full" style={{ background: QUEUE_COLORS[queue % QUEUE_COLORS.length] }} />#{queue}
    </span>
  );
}

function Replicas({ u }: { u: UnitView }): ReactNode {
  const { managed, busy, actions } = useGraph();
  const stepper =
    'nodrag flex size-7 items-center justify-center rounded-md border border-zinc-300 text-base leading-none hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-40 dark:border-zinc-700 dark:hover:bg-zinc-800';
  if (!managed) return null;
  return (
    <div className="mt-2 flex items-center justify-between border-t border-zinc-100 pt-2 dark:border-zinc-800">
      <div className="flex items-center gap-1.5">
        <button
          type="button"
          className={stepper}
          aria-label={`Fewer replicas of ${u.name}`}
          disabled={busy || u.desired <= 0}
          onClick={() => actions.scale(u.name, u.desired - 1)}
          data-testid={`unit-${u.name}-scale-down`}
        >
          −
        </button>
        <span className="w-16 text-center text-xs">
          <span className="font-semibold tabular-nums" data-testid={`unit-${u.name}-replicas`}>
            {u.desired}
          </span>{' '}
          replica{u.desired === 1 ? '' : 's'}
        </span>
        <button
          type="button"
          className={stepper}
          aria-label={`More replicas of ${u.name}`}
          disabled={busy || u.desired >= 100}
          onClick={() => actions.scale(u.name, u.desired + 1)}
          data-testid={`unit-${u.name}-scale-up`}
        >
          +
        </button>
      </div>
      <button
        type="button"
        className="nodrag rounded-md px-2 py-1 text-xs font-medium text-indigo-600 hover:bg-indigo-50 disabled:opacity-40 dark:text-indigo-400 dark:hover:bg-indigo-950/50"
        disabled={busy}
        onClick={() => actions.editLimits(u.name)}
        data-testid={`unit-${u.name}-limits-edit`}
      >
        Limits…
      </button>
    </div>
  );
}

export function UnitNode({ data }: NodeProps<GraphNode>): ReactNode {
  const { model, managed, dragging, actions } = useGraph();
  const [over, setOver] = useState(false);
  const name = data.kind === 'unit' ? data.name : '';
  const u = model.units.find((v) => v.name === name);
  if (!u) return null;
  const target = dragging !== null && dragging.from !== u.name;
  const onDragOver = (e: DragEvent): void => {
    if (!managed || !e.dataTransfer.types.includes(QUEUE_MIME)) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = 'move';
    setOver(true);
  };
  const onDrop = (e: DragEvent): void => {
    const d = readDragged(e.dataTransfer) ?? dragging;
    setOver(false);
    actions.setDragging(null);
    if (!managed || !d) return;
    e.preventDefault();
    e.stopPropagation();
    if (d.from !== u.name) actions.moveQueue(d.queue, d.from, u.name);
  };
  const replicasText = u.running === null ? `${u.alive} alive` : `${u.running}/${u.desired} running`;
  const healthy = u.running === null ? u.alive >= Math.min(1, u.desired) : u.running >= u.desired;
  const limits = describeResources(u.limits, u.reservations);
  const processes = unitProcessCounts(u);
  const ring =
    over && target
      ? 'border-indigo-500 ring-2 ring-indigo-500/40'
      : target
        ? 'border-dashed border-indigo-400'
        : u.desired === 0
          ? 'border-dashed border-zinc-300 dark:border-zinc-700'
          : 'border-zinc-300 dark:border-zinc-700';
  return (
    <div className={`${card} w-[208px] px-3 py-2.5 ${ring}`} data-testid={`topo-unit-${u.name}`} onDragOver={onDragOver} onDragLeave={() => setOver(false)} onDrop={onDrop}>
      <Handle type="target" position={Position.Top} className={handle} isConnectable={false} />
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-mono text-[13px] font-semibold">{u.name}</span>
        <span className="flex shrink-0 items-center gap-1.5 text-[11px] text-zinc-500" data-testid={`unit-${u.name}-running`}>
          <Dot ok={healthy} />
          {replicasText}
        </span>
      </div>
      <div className="mt-2 flex flex-wrap gap-1">
        {u.queues.map((q) => (
          <QueueChip key={q} unit={u.name} queue={q} draggable={managed} />
        ))}
      </div>
      <div className="mt-2.5">
        <ProcessBar counts={processes} />
      </div>
      <div className="mt-1.5 flex flex-wrap justify-between gap-x-2 text-[11px] text-zinc-500">
        <ProcessCountsText counts={processes} testId={`unit-${u.name}-busy`} />
        <span data-testid={`unit-${u.name}-processes`}>{u.processes} per replica</span>
      </div>
      <p className="mt-1 truncate text-[11px] text-zinc-500" data-testid={`unit-${u.name}-limits`} title={limits || 'No CPU or memory limit'}>
        {limits || 'no limits'} · {formatNumber(u.tasksDone, 0)} done
      </p>
      {u.problem ? (
        <p className="mt-1 truncate text-[11px] text-red-600 dark:text-red-400" title={u.problem} data-testid={`unit-${u.name}-problem`}>
          {u.problem}
        </p>
      ) : null}
      <Replicas u={u} />
    </div>
  );
}

export const NODE_TYPES = { server: ServerNode, beat: BeatNode, queue: QueueNode, unit: UnitNode };
