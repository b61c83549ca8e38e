/**
 * Where the nodes go, top to bottom as in the seed's flowchart: server and beat → queues → worker
 * units. Queues are laid out in number order on one row; each unit sits under the queues it
 * listens to, pushed right as needed so units never overlap; the server sits above the queues it
 * feeds, the beat above the cron queue.
 */
import { MarkerType, type Edge, type Node } from '@xyflow/react';
import type { GraphModel } from './graph-model';

export type NodeData = { kind: 'server' } | { kind: 'beat' } | { kind: 'queue'; queue: number } | { kind: 'unit'; name: string };
export type GraphNode = Node<NodeData>;

export const SIZE = {
  role: { w: 180, h: 78 },
  queue: { w: 116, h: 64 },
  unit: { w: 208 },
} as const;
const Y = { role: 0, queue: 150, unit: 300 };
const QUEUE_GAP = 10;
const UNIT_GAP = 12;
const ROLE_GAP = 24;
/** Below the first row of units: taller than any unit card with one or two rows of queue chips. */
const SECOND_ROW = 230;

const rowOf = (n: number): number => n * (SIZE.unit.w + UNIT_GAP) - UNIT_GAP;

const mean = (xs: number[], fallback: number): number => (xs.length === 0 ? fallback : xs.reduce((a, b) => a + b, 0) / xs.length);
const arrow = { type: MarkerType.ArrowClosed, width: 14, height: 14 } as const;

export function layoutNodes(m: GraphModel): GraphNode[] {
  const nodes: GraphNode[] = [];
  const queueX = new Map<number, number>();
  m.queues.forEach((q, i) => queueX.set(q.queue, i * (SIZE.queue.w + QUEUE_GAP)));
  const midOf = (q: number): number => (queueX.get(q) ?? 0) + SIZE.queue.w / 2;
  const rowWidth = Math.max(SIZE.queue.w, m.queues.length * (SIZE.queue.w + QUEUE_GAP) - QUEUE_GAP);

  const fed = m.queues.filter((q) => q.roles.some((r) => r !== 'cronJob')).map((q) => midOf(q.queue));
  const serverX = mean(fed, rowWidth / 2) - SIZE.role.w / 2;
  const cron = m.queueMap.cronJob;
  const beatWanted = cron !== undefined && queueX.has(cron) ? midOf(cron) - SIZE.role.w / 2 : serverX + SIZE.role.w + ROLE_GAP;
  // Beat and server share a row: keep them apart, beat on whichever side it wants to be.
  const beatX = Math.abs(beatWanted - serverX) >= SIZE.role.w + ROLE_GAP ? beatWanted : beatWanted >= serverX ? serverX + SIZE.role.w + ROLE_GAP : serverX - SIZE.role.w - ROLE_GAP;
  nodes.push({ id: 'server', type: 'server', position: { x: serverX, y: Y.role }, data: { kind: 'server' }, width: SIZE.role.w, height: SIZE.role.h });
  nodes.push({ id: 'beat', type: 'beat', position: { x: beatX, y: Y.role }, data: { kind: 'beat' }, width: SIZE.role.w, height: SIZE.role.h });

  for (const q of m.queues) {
    nodes.push({
      id: `q${q.queue}`,
      type: 'queue',
      position: { x: queueX.get(q.queue) ?? 0, y: Y.queue },
      data: { kind: 'queue', queue: q.queue },
      width: SIZE.queue.w,
      height: SIZE.queue.h,
    });
  }

  // Units in the order of where they want to be (the middle of their queues), then pushed right.
  const wanted = m.units.map((u) => ({ u, x: mean(u.queues.filter((q) => queueX.has(q)).map(midOf), rowWidth) - SIZE.unit.w / 2 }));
  wanted.sort((a, b) => a.x - b.x || a.u.name.localeCompare(b.u.name));
  // Many narrow units (one per queue, as in `attached`) would make one row far wider than the
  // queues: they alternate between two staggered rows instead, each still under its queues.
  const oneRow = rowOf(wanted.length) <= rowWidth * 1.15 || wanted.length < 4;
  const rows = oneRow ? [wanted] : [wanted.filter((_, i) => i % 2 === 0), wanted.filter((_, i) => i % 2 === 1)];
  rows.forEach((row, r) => {
    // Centre a row of units under the queues when it is wider than they are.
    const width = rowOf(row.length);
    let right = width > rowWidth ? (rowWidth - width) / 2 - UNIT_GAP : Number.NEGATIVE_INFINITY;
    for (const { u, x } of row) {
      const at = Math.max(right + UNIT_GAP, x);
      right = at + SIZE.unit.w;
      nodes.push({ id: `u-${u.name}`, type: 'unit', position: { x: at, y: Y.unit + r * SECOND_ROW }, data: { kind: 'unit', name: u.name }, width: SIZE.unit.w });
    }
  });
  // Nodes are neither selectable nor draggable, so React Flow would let clicks fall through to the
  // pane: their buttons, tooltips and drop targets need the pointer.
  return nodes.map((n) => ({ ...n, style: { pointerEvents: 'all' } }));
}

export function graphEdges(m: GraphModel): Edge[] {
  const edges: Edge[] = [];
  const cron = m.queueMap.cronJob;
  for (const q of m.queues) {
    const id = `q${q.queue}`;
    const cronOnly = q.roles.length > 0 && q.roles.every((r) => r === 'cronJob');
    // Queues without a role get only calls that name them (a function's `queue=N`): no edge.
    if (!cronOnly && q.roles.length > 0) edges.push({ id: `server-${id}`, source: 'server', target: id, className: 'topo-edge', markerEnd: arrow });
    if (q.queue === cron) edges.push({ id: `beat-${id}`, source: 'beat', target: id, className: 'topo-edge', markerEnd: arrow, label: 'cron' });
  }
  const shown = new Set(m.queues.map((q) => q.queue));
  for (const u of m.units) {
    for (const q of u.queues) {
      if (!shown.has(q)) continue;
      const view = m.queues.find((v) => v.queue === q);
      const active = (view?.inFlight ?? 0) + (view?.length ?? 0) > 0;
      const on = u.desired > 0;
      edges.push({
        id: `q${q}-u-${u.name}`,
        source: `q${q}`,
        target: `u-${u.name}`,
        animated: active && on,
        className: on ? 'topo-edge' : 'topo-edge-faint',
        markerEnd: arrow,
        ...(on ? {} : { style: { strokeDasharray: '4 4' } }),
      });
    }
  }
  return edges;
}
