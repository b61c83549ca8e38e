/** An in-memory orchestrator that converges at once: for tests of the stack manager, CLI and routes. */
import type { ObservedStackService, Orchestrator } from '../domain/ports/orchestrator.js';
import type { ServiceSpec } from '../domain/stack/stack-spec.js';

export class FakeOrchestrator implements Orchestrator {
  readonly endpoint = 'fake://swarm';
  readonly services = new Map<string, ServiceSpec>();
  /** Every call, e.g. `create func/worker-1`. */
  readonly calls: string[] = [];
  /** Make the next waitConverged of this service fail with the message. */
  failing = new Map<string, string>();

  listServices(stack: string): Promise<ObservedStackService[]> {
    const out = [...this.services.entries()]
      .filter(([k]) => k.startsWith(`${stack}/`))
      .map(([, s]): ObservedStackService => {
        const o: ObservedStackService = {
          service: s.service,
          labels: { ...s.labels },
          image: s.image,
          args: [...s.args],
          env: { ...s.env },
          replicas: s.replicas,
          running: s.replicas,
        };
        if (s.limits) o.limits = { ...s.limits };
        if (s.reservations) o.reservations = { ...s.reservations };
        return o;
      });
    return Promise.resolve(out);
  }

  createService(stack: string, spec: ServiceSpec): Promise<void> {
    const key = `${stack}/${spec.service}`;
    if (this.services.has(key)) return Promise.reject(new Error(`service ${key} exists`));
    this.calls.push(`create ${key}`);
    this.services.set(key, structuredClone(spec));
    return Promise.resolve();
  }

  updateService(stack: string, spec: ServiceSpec): Promise<void> {
    const key = `${stack}/${spec.service}`;
    if (!this.services.has(key)) return Promise.reject(new Error(`no service ${key}`));
    this.calls.push(`update ${key}`);
    this.services.set(key, structuredClone(spec));
    return Promise.resolve();
  }

  removeService(stack: string, service: string): Promise<void> {
    this.calls.push(`remove ${stack}/${service}`);
    this.services.delete(`${stack}/${service}`);
    return Promise.resolve();
  }

  waitConverged(stack: string, service: string, _timeoutMs: number, progress: (message: string) => void): Promise<void> {
    const failure = this.failing.get(service);
    if (failure) return Promise.reject(new Error(failure));
    const n = this.services.get(`${stack}/${service}`)?.replicas ?? 0;
    progress(`${service}: ${n}/${n} running`);
    return Promise.resolve();
  }

  waitGone(stack: string, _timeoutMs: number, progress: (message: string) => void, service?: string): Promise<void> {
    progress(service ? `${service} is gone` : `Stack ${stack} is gone`);
    return Promise.resolve();
  }
}
