/**
 * The orchestrator port on Docker swarm through dockerode. Services are `<stack>_<service>`,
 * labelled with the stack's namespace (so `docker stack ps <stack>` sees them too); an update
 * inspects first and sends the whole spec with its version, retrying when someone else changed
 * the service in between ("update out of sequence"). Waiting polls the service and its tasks.
 */
import Docker from 'dockerode';
import { ApiError } from '../../../../contract/errors.js';
import type { ObservedStackService, Orchestrator } from '../../domain/ports/orchestrator.js';
import { LABEL, swarmName, type ServiceSpec } from '../../domain/stack/stack-spec.js';
import { displayEndpoint, dockerOptions } from './docker-connection.js';
import { observedService, swarmServiceSpec } from './swarm-spec.js';
import { convergence, FAILURES_TO_GIVE_UP, latestProblem, type SwarmService, type SwarmTask } from './swarm-tasks.js';

const UPDATE_ATTEMPTS = 5;
/** Services are listed server first, then the units, beat, the data services. */
const ROLE_ORDER = ['server', 'worker', 'beat', 'redis', 'mysql'];

export interface DockerOrchestratorOptions {
  /** Between two looks at a service while waiting. */
  pollMs?: number;
  /** A ready client (tests); built from the endpoint otherwise. */
  docker?: Docker;
}

interface DockerFailure {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

export class DockerOrchestrator implements Orchestrator {
  readonly endpoint: string;
  private readonly docker: Docker;
  private readonly pollMs: number;

  constructor(endpoint: string, options: DockerOrchestratorOptions = {}) {
    this.endpoint = displayEndpoint(endpoint);
    this.docker = options.docker ?? new Docker(dockerOptions(endpoint));
    this.pollMs = options.pollMs ?? 1000;
  }

  async listServices(stack: string): Promise<ObservedStackService[]> {
    const services = await this.call('list services', () => this.docker.listServices({ filters: { label: [`${LABEL.stack}=${stack}`] } }));
    if (services.length === 0) return [];
    const tasks = await this.tasksOf(services.map((s) => s.ID));
    const rank = (o: ObservedStackService): number => ROLE_ORDER.indexOf(o.labels[LABEL.role] ?? '');
    return services.map((s) => observedService(stack, s, tasks)).sort((a, b) => rank(a) - rank(b) || a.service.localeCompare(b.service));
  }

  async createService(stack: string, spec: ServiceSpec): Promise<void> {
    await this.call(`create service ${swarmName(stack, spec.service)}`, () => this.docker.createService(swarmServiceSpec(stack, spec)));
  }

  async updateService(stack: string, spec: ServiceSpec): Promise<void> {
    const name = swarmName(stack, spec.service);
    for (let attempt = 1; ; attempt++) {
      const info = await this.inspect(name);
      try {
        await this.docker.getService(info.ID).update({ _query: { version: info.Version?.Index }, _body: swarmServiceSpec(stack, spec, info.Spec) });
        return;
      } catch (err) {
        // Someone changed the service between our inspect and update: read it again.
        if (attempt < UPDATE_ATTEMPTS && /out of sequence/i.test(failureText(err))) continue;
        throw this.failure(`update service ${name}`, err);
      }
    }
  }

  async removeService(stack: string, service: string): Promise<void> {
    const name = swarmName(stack, service);
    try {
      await this.docker.getService(name).remove();
    } catch (err) {
      if ((err as DockerFailure).statusCode !== 404) throw this.failure(`remove service ${name}`, err);
    }
  }

  async waitConverged(stack: string, service: string, timeoutMs: number, progress: (message: string) => void): Promise<void> {
    const name = swarmName(stack, service);
    const since = Date.now();
    let last = '';
    for (;;) {
      const info = await this.inspect(name);
      const c = convergence(service, info, await this.tasksOf([info.ID]), since);
      if (c.line !== last) progress((last = c.line));
      if (c.converged) return;
      if (c.updateFailed) throw new Error(`${service}: ${c.updateFailed}`);
      if (c.failures.length >= FAILURES_TO_GIVE_UP) {
        throw new Error(
          `${service} does not start: ${c.failures.length} of its tasks failed since the change; the latest: ${latestProblem(c.failures, Date.now()) ?? 'no message'}`,
        );
      }
      if (Date.now() - since > timeoutMs) {
        throw new Error(
          `${service} did not converge within ${Math.round(timeoutMs / 1000)} s (${c.running}/${c.desired} running${c.stopping ? `, ${c.stopping} still stopping` : ''}${c.updating ? ', update in progress' : ''}): ${c.problem ?? 'its tasks report no error'}`,
        );
      }
      await sleep(this.pollMs);
    }
  }

  async waitGone(stack: string, timeoutMs: number, progress: (message: string) => void, service?: string): Promise<void> {
    const what = service ?? `stack ${stack}`;
    const containerFilter = { label: [service ? `com.docker.swarm.service.name=${swarmName(stack, service)}` : `${LABEL.stack}=${stack}`] };
    const since = Date.now();
    let last = '';
    for (;;) {
      // A removed service is gone at once; its containers take a moment to stop.
      const services = service ? [] : await this.call('list services', () => this.docker.listServices({ filters: { label: [`${LABEL.stack}=${stack}`] } }));
      const containers = await this.call('list containers', () => this.docker.listContainers({ all: true, filters: containerFilter }));
      if (services.length === 0 && containers.length === 0) {
        progress(service ? `${service} is gone` : `Stack ${stack} is gone: no service, no container left`);
        return;
      }
      const line = `${what}: ${service ? '' : `${services.length} service(s), `}${containers.length} container(s) left`;
      if (line !== last) progress((last = line));
      if (Date.now() - since > timeoutMs) throw new Error(`${what} is still there after ${Math.round(timeoutMs / 1000)} s: ${line}`);
      await sleep(this.pollMs);
    }
  }

  private async inspect(name: string): Promise<SwarmService> {
    return this.call(`inspect service ${name}`, () => this.docker.getService(name).inspect() as Promise<SwarmService>);
  }

  private async tasksOf(serviceIds: string[]): Promise<SwarmTask[]> {
    return this.call('list tasks', () => this.docker.listTasks({ filters: { service: serviceIds } }) as Promise<SwarmTask[]>);
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw this.failure(what, err);
    }
  }

  private failure(what: string, err: unknown): ApiError {
    return new ApiError('ESys', `Docker (${this.endpoint}): ${what}: ${failureText(err)}`, { endpoint: this.endpoint });
  }
}

function failureText(err: unknown): string {
  const e = (err ?? {}) as DockerFailure;
  const text = e.json?.message ?? e.message ?? String(err);
  return e.statusCode ? `${text.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim()} (HTTP ${e.statusCode})` : text;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
