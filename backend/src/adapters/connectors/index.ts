/**
 * The connector clients of one process (a worker's runner host, or a server's routes): one
 * pooled client per connector, shared by every Python process the worker runs; a changed config
 * replaces it. Every failure becomes EConnectorFailed naming the connector, its text scrubbed of
 * the connector's secrets.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../../../../contract/errors.js';
import type { ConnectorType } from '../../../../contract/operations/connectors.js';
import { connectorSecrets } from '../../domain/connectors/connector-config.js';
import type { ConnectorClient, ConnectorClients, ConnectorDriver, ConnectorSpec, ConnectorTimeouts } from '../../domain/ports/connectors.js';
import type { Json } from '../../domain/ports/store.js';
import { amqpDriver } from './amqp.js';
import { withTimeout } from './driver-kit.js';
import { httpDriver } from './http.js';
import { mqttDriver } from './mqtt.js';
import { mysqlDriver } from './mysql.js';
import { natsDriver } from './nats.js';
import { postgresqlDriver } from './postgresql.js';
import { redisDriver } from './redis.js';

export const CONNECTOR_DRIVERS: Readonly<Record<ConnectorType, ConnectorDriver>> = {
  mysql: mysqlDriver,
  postgresql: postgresqlDriver,
  redis: redisDriver,
  mqtt: mqttDriver,
  amqp: amqpDriver,
  nats: natsDriver,
  http: httpDriver,
};

/** Connecting: 5 s (DataFlux's own DB connect timeout is of this order); one command: 30 s (the task's own timeout bounds it too). */
export const DEFAULT_CONNECTOR_TIMEOUTS: ConnectorTimeouts = { connectMs: 5_000, commandMs: 30_000 };

/** An error's text without the connector's secrets (nor credentials written into a URL). */
export function scrubbed(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(\/\/[^/\s:@]*:)[^@\s/]*@/g, '$1******@');
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('******');
  return out;
}

function failure(spec: ConnectorSpec, err: unknown, secrets: readonly string[]): ApiError {
  if (err instanceof ApiError && err.code === 'EConnectorFailed') return err;
  const e = err as { message?: unknown; code?: unknown; errors?: unknown; cause?: { message?: unknown } };
  // Node's connect errors of a host with several addresses are AggregateErrors with an empty message.
  let text = typeof e?.message === 'string' && e.message !== '' ? e.message : '';
  if (text === '' && Array.isArray(e?.errors)) text = e.errors.map((x: { message?: string }) => x?.message ?? 'error').join('; ');
  if (text === '') text = typeof e?.code === 'string' ? e.code : String(err);
  // fetch's "fetch failed" says why in its cause.
  if (typeof e?.cause?.message === 'string' && e.cause.message !== '' && !text.includes(e.cause.message)) text = `${text}: ${e.cause.message}`;
  return new ApiError('EConnectorFailed', `Connector ${spec.id} (${spec.type}): ${scrubbed(text, secrets)}`, { connectorId: spec.id, type: spec.type });
}

const keyOf = (spec: ConnectorSpec): string =>
  createHash('sha256')
    .update(`${spec.type}\n${JSON.stringify(spec.config)}`)
    .digest('hex');

interface Entry {
  key: string;
  client: ConnectorClient;
  secrets: string[];
}

export function createConnectorClients(opts: { timeouts?: Partial<ConnectorTimeouts>; drivers?: Partial<Record<ConnectorType, ConnectorDriver>> } = {}): ConnectorClients {
  const timeouts: ConnectorTimeouts = { ...DEFAULT_CONNECTOR_TIMEOUTS, ...opts.timeouts };
  const drivers = { ...CONNECTOR_DRIVERS, ...opts.drivers };
  const entries = new Map<string, Entry>();
  const driver = (spec: ConnectorSpec): ConnectorDriver => {
    const d = drivers[spec.type];
    if (!d) throw new ApiError('EConnectorFailed', `Connector ${spec.id}: type ${spec.type} is not supported`, { connectorId: spec.id });
    return d;
  };
  const closeQuietly = (c: ConnectorClient): void => void c.close().catch(() => undefined);

  return {
    async run(spec, method, args, kwargs = {}): Promise<Json> {
      const key = keyOf(spec);
      let entry = entries.get(spec.id);
      if (entry && entry.key !== key) {
        closeQuietly(entry.client);
        entry = undefined;
      }
      if (!entry) {
        entry = { key, client: driver(spec).create(spec.config, timeouts), secrets: connectorSecrets(spec.config) };
        entries.set(spec.id, entry);
      }
      try {
        return await withTimeout(entry.client.command(method, args, kwargs), timeouts.connectMs + timeouts.commandMs, method);
      } catch (err) {
        throw failure(spec, err, entry.secrets);
      }
    },
    async test(spec): Promise<void> {
      const secrets = connectorSecrets(spec.config);
      const client = driver(spec).create(spec.config, timeouts);
      try {
        await withTimeout(client.check(), timeouts.connectMs + timeouts.commandMs, 'the connection test');
      } catch (err) {
        throw failure(spec, err, secrets);
      } finally {
        closeQuietly(client);
      }
    },
    async forget(id): Promise<void> {
      const entry = entries.get(id);
      entries.delete(id);
      await entry?.client.close().catch(() => undefined);
    },
    async close(): Promise<void> {
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map((e) => e.client.close().catch(() => undefined)));
    },
  };
}
