import { describe, expect, it } from 'vitest';
import type { GraphModel, QueueView, UnitView } from './graph-model';
import { graphEdges, layoutNodes, SIZE, type GraphNode } from './graph-layout';

const q = (queue: number, roles: string[] = [], extra: Partial<QueueView> = {}): QueueView => ({
  queue,
  roles,
  length: 0,
  delayed: 0,
  inFlight: 0,
  rate: 0,
  listeners: [],
  ...extra,
});
const u = (name: string, queues: number[], desired = 1): UnitView => ({ name, queues, processes: 1, desired, running: null, alive: 1, busy: 0, capacity: 1, tasksDone: 0 });

function model(queues: QueueView[], units: UnitView[], queueMap: Record<string, number>): GraphModel {
  const role = { alive: 1, desired: null, running: null, hosts: [] };
  return { name: 't', queueMap, queues, hiddenQueues: [], units, server: { kind: 'server', ...role }, beat: { kind: 'beat', ...role } };
}

const byId = (nodes: GraphNode[], id: string): GraphNode => nodes.find((n) => n.id === id)!;
const unitNodes = (nodes: GraphNode[]): GraphNode[] => nodes.filter((n) => n.data.kind === 'unit');

/** Units on one row never overlap (a gap between neighbours). */
function expectNoOverlap(nodes: GraphNode[]): void {
  const rows = new Map<number, GraphNode[]>();
  for (const n of unitNodes(nodes)) rows.set(n.position.y, [...(rows.get(n.position.y) ?? []), n]);
  for (const row of rows.values()) {
    const xs = row.map((n) => n.position.x).sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(SIZE.unit.w);
  }
}

const DEFAULT_MAP = { direct: 1, syncAPI: 1, asyncAPI: 2, cronJob: 3, debugger: 4 };

describe('layoutNodes', () => {
  it('puts queues in one row in the given order, units under their queues, everything clickable', () => {
    const m = model([q(1, ['direct', 'syncAPI']), q(2, ['asyncAPI']), q(3, ['cronJob']), q(4, ['debugger'])], [u('a', [1, 2]), u('b', [3, 4])], DEFAULT_MAP);
    const nodes = layoutNodes(m);
    const xs = [1, 2, 3, 4].map((n) => byId(nodes, `q${n}`).position.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set([1, 2, 3, 4].map((n) => byId(nodes, `q${n}`).position.y)).size).toBe(1);
    const mid = (id: string, w: number): number => byId(nodes, id).position.x + w / 2;
    // Unit a sits centred under queues 1 and 2.
    expect(mid('u-a', SIZE.unit.w)).toBeCloseTo((mid('q1', SIZE.queue.w) + mid('q2', SIZE.queue.w)) / 2);
    expectNoOverlap(nodes);
    expect(nodes.every((n) => n.style?.pointerEvents === 'all')).toBe(true);
  });

  it('keeps server and beat apart on their row even when the cron queue is under the server', () => {
    const m = model([q(1, ['direct', 'cronJob'])], [u('a', [1])], { direct: 1, cronJob: 1 });
    const nodes = layoutNodes(m);
    const server = byId(nodes, 'server').position;
    const beat = byId(nodes, 'beat').position;
    expect(server.y).toBe(beat.y);
    expect(Math.abs(server.x - beat.x)).toBeGreaterThanOrEqual(SIZE.role.w);
  });

  it('places the beat above the cron queue when there is room', () => {
    const queues = [1, 2, 3, 4, 5, 6].map((n) => q(n, n === 6 ? ['cronJob'] : ['direct']));
    const nodes = layoutNodes(model(queues, [], { direct: 1, cronJob: 6 }));
    const beatMid = byId(nodes, 'beat').position.x + SIZE.role.w / 2;
    expect(beatMid).toBeCloseTo(byId(nodes, 'q6').position.x + SIZE.queue.w / 2);
  });

  it('many units sharing a queue are pushed right, never overlapping', () => {
    const units = ['a', 'b', 'c'].map((n) => u(n, [1]));
    expectNoOverlap(layoutNodes(model([q(1, ['direct'])], units, { direct: 1 })));
  });

  it('one unit per queue over many queues: two staggered rows, no overlap, every unit placed', () => {
    const queues = Array.from({ length: 10 }, (_, i) => q(i, ['direct']));
    const units = queues.map((x) => u(`u${x.queue}`, [x.queue]));
    const nodes = layoutNodes(model(queues, units, { direct: 0 }));
    expect(unitNodes(nodes)).toHaveLength(10);
    expect(new Set(unitNodes(nodes).map((n) => n.position.y)).size).toBe(2);
    expectNoOverlap(nodes);
  });

  it('a unit whose queues are all hidden still gets a place', () => {
    const nodes = layoutNodes(model([q(1, ['direct'])], [u('a', [1]), u('ghost', [42])], { direct: 1 }));
    const ghost = byId(nodes, 'u-ghost');
    expect(Number.isFinite(ghost.position.x)).toBe(true);
    expectNoOverlap(nodes);
  });

  it('lays out a topology with no queue shown', () => {
    const nodes = layoutNodes(model([], [], {}));
    expect(nodes.map((n) => n.id)).toEqual(['server', 'beat']);
    expect(nodes.every((n) => Number.isFinite(n.position.x))).toBe(true);
  });
});

describe('graphEdges', () => {
  it('server feeds queues with a non-cron role, beat the cron queue, queues their listening units', () => {
    const m = model([q(1, ['direct']), q(3, ['cronJob']), q(5)], [u('a', [1, 3, 5, 42])], { direct: 1, cronJob: 3 });
    const ids = graphEdges(m)
      .map((e) => e.id)
      .sort();
    expect(ids).toEqual(['beat-q3', 'q1-u-a', 'q3-u-a', 'q5-u-a', 'server-q1'].sort());
  });

  it('animates an edge only when its queue has work and the unit is on; a unit scaled to 0 is dashed', () => {
    const m = model([q(1, ['direct'], { inFlight: 1 }), q(2, ['asyncAPI'])], [u('on', [1, 2]), u('off', [1], 0)], { direct: 1, asyncAPI: 2 });
    const edges = new Map(graphEdges(m).map((e) => [e.id, e]));
    expect(edges.get('q1-u-on')!.animated).toBe(true);
    expect(edges.get('q2-u-on')!.animated).toBe(false);
    expect(edges.get('q1-u-off')!.animated).toBe(false);
    expect(edges.get('q1-u-off')!.style).toEqual({ strokeDasharray: '4 4' });
  });
});
