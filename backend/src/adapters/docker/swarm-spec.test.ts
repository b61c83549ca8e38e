import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { LABEL, stackServices, topologyFromServices } from '../../domain/stack/stack-spec.js';
import { applyChange } from '../../domain/topology/topology-change.js';
import { PRESETS } from '../../domain/topology/topology.js';
import { dockerOptions, displayEndpoint } from './docker-connection.js';
import { HOSTNAME_TEMPLATE, observedService, swarmServiceSpec } from './swarm-spec.js';
import { convergence, latestProblem, type SwarmService, type SwarmTask } from './swarm-tasks.js';

const t = applyChange(PRESETS.legacy!, { op: 'limit', unit: 'worker-7', limits: { cpus: 0.5, memoryMb: 512 }, reservations: { memoryMb: 128 } }).topology;
const specs = stackServices(t, { stack: 'demo', image: 'func:local', env: { FUNC_SECRET: 's', FUNC_REDIS_URL: 'redis://x' }, dataServices: false });
const spec = (name: string): (typeof specs)[number] => specs.find((s) => s.service === name)!;
const task = (over: Partial<SwarmTask> & { state: string }, template: unknown): SwarmTask => ({
  ID: Math.random().toString(36),
  ServiceID: 'svc',
  Slot: 1,
  CreatedAt: new Date().toISOString(),
  DesiredState: 'running',
  Spec: template,
  Status: { State: over.state },
  ...over,
});

describe('swarm service specs', () => {
  it('maps a unit to a replicated service on the host network with labels, resources and update order', () => {
    const s = swarmServiceSpec('demo', spec('worker-7'));
    const tt = s.TaskTemplate as Docker.ContainerTaskSpec;
    expect(s.Name).toBe('demo_worker-7');
    expect(s.Labels).toMatchObject({ [LABEL.stack]: 'demo', [LABEL.role]: 'worker', [LABEL.unit]: 'worker-7', [LABEL.queues]: '7' });
    expect(s.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(tt.ContainerSpec).toMatchObject({
      Image: 'func:local',
      Args: ['worker', '--queues', '7', '--concurrency', '5', '--name', 'worker-7'],
      Hostname: HOSTNAME_TEMPLATE,
      Labels: { [LABEL.stack]: 'demo' },
    });
    expect(tt.ContainerSpec!.Env).toEqual(['FUNC_READY_FILE=/tmp/func-ready', 'FUNC_REDIS_URL=redis://x', 'FUNC_SECRET=s', 'FUNC_TOPOLOGY=legacy']);
    expect(tt.ContainerSpec).toMatchObject({ Healthcheck: { Test: ['CMD', 'test', '-f', '/tmp/func-ready'] } });
    expect(tt.Resources).toEqual({ Limits: { NanoCPUs: 500_000_000, MemoryBytes: 512 * 1024 * 1024 }, Reservations: { MemoryBytes: 128 * 1024 * 1024 } });
    expect(tt.Networks).toEqual([{ Target: 'host' }]);
    expect(tt.RestartPolicy?.Condition).toBe('any');
    expect(s.UpdateConfig?.Order).toBe('start-first');
    expect(swarmServiceSpec('demo', spec('server')).UpdateConfig?.Order).toBe('stop-first');
    expect(swarmServiceSpec('demo', spec('beat')).UpdateConfig?.Order).toBe('stop-first');
  });

  it('keeps what an operator added by hand on update, and replaces what we own', () => {
    const current = {
      ...swarmServiceSpec('demo', spec('worker-7')),
      TaskTemplate: { Placement: { Constraints: ['node.role==manager'] }, ContainerSpec: { Image: 'old', StopGracePeriod: 30e9 } },
    };
    const next = swarmServiceSpec('demo', { ...spec('worker-7'), limits: undefined, reservations: undefined }, current) as { TaskTemplate: Docker.ContainerTaskSpec };
    expect(next.TaskTemplate.Placement).toEqual({ Constraints: ['node.role==manager'] });
    expect(next.TaskTemplate.ContainerSpec).toMatchObject({ Image: 'func:local', StopGracePeriod: 30e9 });
    expect(next.TaskTemplate.Resources).toEqual({ Limits: {}, Reservations: {} });
  });

  it('reads a service back: name in the stack, env as a record, limits, running tasks, the topology', () => {
    const services = specs.map((s, i): SwarmService => ({ ID: `id${i}`, Spec: swarmServiceSpec('demo', s) }));
    const tasks: SwarmTask[] = services.map((s) => task({ ServiceID: s.ID, state: 'running' }, s.Spec!.TaskTemplate));
    const observed = services.map((s) => observedService('demo', s, tasks));
    const w7 = observed.find((o) => o.service === 'worker-7')!;
    expect(w7).toMatchObject({ image: 'func:local', replicas: 1, running: 1, limits: { cpus: 0.5, memoryMb: 512 }, reservations: { memoryMb: 128 } });
    expect(w7.env).toEqual({ FUNC_REDIS_URL: 'redis://x', FUNC_SECRET: 's', FUNC_TOPOLOGY: 'legacy' });
    expect(topologyFromServices(observed)).toEqual(t);
  });
});

describe('swarm tasks', () => {
  const service: SwarmService = { ID: 'svc', Spec: swarmServiceSpec('demo', { ...spec('worker-0'), replicas: 2 }) };
  const template = service.Spec!.TaskTemplate;
  const old = { ...(template as object), ForceUpdate: 0, ContainerSpec: { Image: 'func:old' } };

  it('has converged when the desired replicas run the current spec and nothing older runs', () => {
    const since = Date.now();
    const running = [task({ state: 'running' }, template), task({ state: 'running', Slot: 2 }, template)];
    expect(convergence('worker-0', service, running, since)).toMatchObject({ converged: true, running: 2, desired: 2, line: 'worker-0: 2/2 running' });
    const rolling = [...running.slice(0, 1), task({ state: 'running', Slot: 2 }, old), task({ state: 'running', Slot: 2, DesiredState: 'shutdown' }, old)];
    expect(convergence('worker-0', service, rolling, since)).toMatchObject({ converged: false, running: 1, stopping: 2, line: 'worker-0: 1/2 running, 2 stopping' });
    const updating = { ...service, UpdateStatus: { State: 'updating' as const, StartedAt: new Date().toISOString() } };
    expect(convergence('worker-0', updating, running, since)).toMatchObject({ converged: false, updating: true });
    const paused = { ...service, UpdateStatus: { State: 'paused' as const, StartedAt: new Date().toISOString(), Message: 'update paused due to failure' } };
    expect(convergence('worker-0', paused, running, since).updateFailed).toMatch(/paused: update paused due to failure/);
  });

  it('reports the latest task error, a failure streak, and a task stuck before it starts', () => {
    const since = Date.now() - 500;
    const failed = [1, 2, 3].map((i) => task({ state: 'rejected', Slot: i, Status: { State: 'rejected', Err: 'No such image: func:nope' } }, template));
    const c = convergence('worker-0', service, failed, since);
    expect(c.failures).toHaveLength(3);
    expect(c.line).toMatch(/worker-0: 0\/2 running \(task \d rejected: No such image: func:nope\)/);
    const pending = task({ state: 'pending', CreatedAt: new Date(Date.now() - 60_000).toISOString(), Status: { State: 'pending', Message: 'pending task scheduling' } }, template);
    expect(latestProblem([pending])).toMatch(/pending: pending task scheduling/);
    expect(latestProblem([task({ state: 'pending', Status: { State: 'pending', Err: 'no suitable node (insufficient resources on 1 node)' } }, template)])).toMatch(
      /insufficient resources/,
    );
    expect(latestProblem([task({ state: 'running' }, template)])).toBeUndefined();
  });
});

describe('Docker endpoints', () => {
  it('connects to a socket, a TCP port or over SSH, and never to what DOCKER_HOST says', () => {
    expect(dockerOptions('unix:///var/run/docker.sock')).toMatchObject({ socketPath: '/var/run/docker.sock', host: undefined });
    expect(dockerOptions('tcp://10.0.0.2:2375')).toMatchObject({ host: '10.0.0.2', port: 2375, protocol: 'http', socketPath: undefined });
    expect(dockerOptions('ssh://ops@manager:2222', { agent: '/tmp/agent.sock' })).toMatchObject({
      protocol: 'ssh',
      host: 'manager',
      port: 2222,
      username: 'ops',
      sshOptions: { agent: '/tmp/agent.sock' },
    });
    expect(() => dockerOptions('ssh://ops@manager', {})).toThrow(/no SSH agent/);
    expect(() => dockerOptions('tcp://host')).toThrow(/host and a port/);
    expect(() => dockerOptions('http://x:1')).toThrow(/unix:\/\/\/path, ssh:\/\/user@host or tcp:\/\/host:port/);
    expect(displayEndpoint('ssh://ops:secret@manager')).toBe('ssh://ops@manager');
  });
});
