import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LABEL, stackServices, topologyFromServices } from '../../domain/stack/stack-spec.js';
import { applyChange } from '../../domain/topology/topology-change.js';
import { PRESETS } from '../../domain/topology/topology.js';
import { composeDefaults, composeFile } from './compose-file.js';

interface ComposeService {
  image: string;
  command: string[];
  environment?: Record<string, string>;
  networks: string[];
  deploy: { replicas: number; labels: Record<string, string>; resources?: { limits?: Record<string, string>; reservations?: Record<string, string> } };
}
const servicesOf = (yaml: string): Record<string, ComposeService> => (parse(yaml) as { services: Record<string, ComposeService> }).services;

describe('docker-stack.yaml generation', () => {
  it('is the committed stack/docker-stack.yaml for the standalone preset, byte for byte, every time', () => {
    const once = composeFile(PRESETS.standalone!, composeDefaults());
    expect(composeFile(structuredClone(PRESETS.standalone!), composeDefaults())).toBe(once);
    expect(readFileSync(new URL('../../../../stack/docker-stack.yaml', import.meta.url), 'utf8')).toBe(once);
  });
  it('has server, one service per unit, beat at 1 replica, redis and mysql, all on the host network', () => {
    const services = servicesOf(composeFile(PRESETS.legacy!, composeDefaults()));
    expect(Object.keys(services)).toEqual(['server', 'worker-0', 'worker-1-6', 'worker-7', 'worker-8-9', 'beat', 'redis', 'mysql']);
    expect(services['worker-1-6']!.command).toEqual(['worker', '--queues', '1,2,3,4,5,6', '--concurrency', '5', '--name', 'worker-1-6']);
    expect(services['worker-1-6']!.deploy.labels).toMatchObject({ [LABEL.role]: 'worker', [LABEL.unit]: 'worker-1-6', [LABEL.queues]: '1,2,3,4,5,6', [LABEL.stack]: 'func' });
    expect(services.beat!.deploy.replicas).toBe(1);
    expect(services.server!.environment).toMatchObject({ FUNC_TOPOLOGY: 'legacy', FUNC_HOST: '${FUNC_HOST:-127.0.0.1}' });
    for (const s of Object.values(services)) expect(s.networks).toEqual(['hostnet']);
  });
  it('writes limits and reservations, and reads the topology back from the labels', () => {
    let t = applyChange(PRESETS.standalone!, { op: 'limit', unit: 'worker-3', limits: { cpus: 0.5, memoryMb: 512 }, reservations: { memoryMb: 128 } }).topology;
    t = applyChange(t, { op: 'scale', unit: 'worker-2', replicas: 3 }).topology;
    const services = servicesOf(composeFile(t, composeDefaults()));
    expect(services['worker-3']!.deploy.resources).toEqual({ limits: { cpus: '0.5', memory: '512M' }, reservations: { memory: '128M' } });
    const specs = stackServices(t, { ...composeDefaults(), dataServices: false });
    const back = topologyFromServices(specs.map((s) => ({ labels: s.labels, replicas: s.replicas, limits: s.limits, reservations: s.reservations })));
    expect(back).toEqual(t);
  });
});
