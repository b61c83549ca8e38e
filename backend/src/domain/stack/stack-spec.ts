/**
 * The services of a stack, derived from a topology: `server`, one service per worker unit,
 * `beat` (always 1 replica) and optionally `redis` and `mysql`. The same description feeds the
 * generated docker-stack.yaml and the Docker orchestrator; labels on each service carry its role,
 * unit and queues so the topology can be read back from a running swarm.
 */
import { PRESETS, type QueueRole, type Resources, type Topology, type WorkerUnit } from '../topology/topology.js';

export type ServiceRole = 'server' | 'worker' | 'beat' | 'redis' | 'mysql';

export const LABEL = {
  stack: 'com.docker.stack.namespace',
  role: 'func.role',
  unit: 'func.unit',
  queues: 'func.queues',
  processes: 'func.processes',
  topology: 'func.topology',
  queueMap: 'func.queue-map',
} as const;

export interface StackOptions {
  /** Stack name: services are called `<stack>_<service>`. */
  stack: string;
  image: string;
  /** Environment shared by server, workers and beat (FUNC_REDIS_URL, FUNC_DB_URL, FUNC_SECRET…). */
  env: Record<string, string>;
  /** Add `redis` and `mysql` services (the generated file does; tests use the machine's own). */
  dataServices: boolean;
  serverReplicas?: number;
  /** Environment of the `mysql` service (database, user, password). */
  mysqlEnv?: Record<string, string>;
}

export interface ServiceSpec {
  /** Name inside the stack (`worker-1`); the swarm name is `<stack>_<service>`. */
  service: string;
  role: ServiceRole;
  image: string;
  /** Arguments after the image's entrypoint (`worker --queues 1 --concurrency 5 --name worker-1`). */
  args: string[];
  replicas: number;
  env: Record<string, string>;
  labels: Record<string, string>;
  limits?: Resources;
  reservations?: Resources;
  /** Named volumes (`volume` → path in the container); only the data services have them. */
  volumes?: Record<string, string>;
}

export const DATA_IMAGES = { redis: 'redis:7-bookworm', mysql: 'mariadb:10.11' } as const;

export function swarmName(stack: string, service: string): string {
  return `${stack}_${service}`;
}

export function stackServices(t: Topology, o: StackOptions): ServiceSpec[] {
  const env = { FUNC_TOPOLOGY: t.name, ...o.env };
  const base = (service: string, role: ServiceRole, extra: Record<string, string> = {}): Pick<ServiceSpec, 'service' | 'role' | 'labels'> => ({
    service,
    role,
    labels: { [LABEL.stack]: o.stack, [LABEL.role]: role, [LABEL.topology]: t.name, ...extra },
  });
  const out: ServiceSpec[] = [
    { ...base('server', 'server', { [LABEL.queueMap]: JSON.stringify(t.queueMap) }), image: o.image, args: ['server'], replicas: o.serverReplicas ?? 1, env },
    ...t.units.map((u): ServiceSpec => workerService(u, o, env, base)),
    { ...base('beat', 'beat'), image: o.image, args: ['beat'], replicas: 1, env },
  ];
  if (o.dataServices) {
    out.push(
      {
        ...base('redis', 'redis'),
        image: DATA_IMAGES.redis,
        args: ['redis-server', '--bind', '127.0.0.1', '--port', '6379', '--appendonly', 'yes'],
        replicas: 1,
        env: {},
        volumes: { 'redis-data': '/data' },
      },
      { ...base('mysql', 'mysql'), image: DATA_IMAGES.mysql, args: ['--bind-address=127.0.0.1'], replicas: 1, env: o.mysqlEnv ?? {}, volumes: { 'mysql-data': '/var/lib/mysql' } },
    );
  }
  return out;
}

function workerService(
  u: WorkerUnit,
  o: StackOptions,
  env: Record<string, string>,
  base: (s: string, r: ServiceRole, x?: Record<string, string>) => Pick<ServiceSpec, 'service' | 'role' | 'labels'>,
): ServiceSpec {
  const queues = u.queues.join(',');
  const spec: ServiceSpec = {
    ...base(u.name, 'worker', { [LABEL.unit]: u.name, [LABEL.queues]: queues, [LABEL.processes]: String(u.processes) }),
    image: o.image,
    args: ['worker', '--queues', queues, '--concurrency', String(u.processes), '--name', u.name],
    replicas: u.replicas,
    env,
  };
  if (u.limits) spec.limits = { ...u.limits };
  if (u.reservations) spec.reservations = { ...u.reservations };
  return spec;
}

/** What a running service says about itself, as read back from the engine. */
export interface ObservedService {
  labels: Record<string, string>;
  replicas: number;
  limits?: Resources;
  reservations?: Resources;
}

/**
 * The topology a deployed stack runs, read from its services' labels; undefined when no service
 * of the stack carries them. Units are in queue order (the first queue of each).
 */
export function topologyFromServices(services: ObservedService[]): Topology | undefined {
  const server = services.find((s) => s.labels[LABEL.role] === 'server');
  const workers = services.filter((s) => s.labels[LABEL.role] === 'worker' && s.labels[LABEL.unit]);
  if (!server && workers.length === 0) return undefined;
  const name = server?.labels[LABEL.topology] ?? workers[0]?.labels[LABEL.topology] ?? 'custom';
  const queueMap = parseQueueMap(server?.labels[LABEL.queueMap]) ?? PRESETS[name]?.queueMap ?? PRESETS.standalone!.queueMap;
  const units = workers.map((s): WorkerUnit => {
    const u: WorkerUnit = {
      name: s.labels[LABEL.unit]!,
      queues: (s.labels[LABEL.queues] ?? '').split(',').filter(Boolean).map(Number),
      processes: Number(s.labels[LABEL.processes] ?? 5),
      replicas: s.replicas,
    };
    if (s.limits) u.limits = s.limits;
    if (s.reservations) u.reservations = s.reservations;
    return u;
  });
  units.sort((a, b) => (a.queues[0] ?? 99) - (b.queues[0] ?? 99) || a.name.localeCompare(b.name));
  return { name, queueMap, units };
}

function parseQueueMap(text: string | undefined): Record<QueueRole, number> | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && Object.values(parsed).every((v) => typeof v === 'number')) return parsed as Record<QueueRole, number>;
  } catch {
    // A hand-edited label: fall back to the preset's map.
  }
  return undefined;
}

/** The same worker service listening to other queues (an intermediate step of a change). */
export function withQueues(spec: ServiceSpec, queues: readonly number[]): ServiceSpec {
  const list = queues.join(',');
  const args = [...spec.args];
  const at = args.indexOf('--queues');
  if (spec.role !== 'worker' || at < 0) throw new Error(`${spec.service} is not a worker unit`);
  args[at + 1] = list;
  return { ...spec, args, labels: { ...spec.labels, [LABEL.queues]: list } };
}
