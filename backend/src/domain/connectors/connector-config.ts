/**
 * Connector configs: checked per type (the contract's CONNECTOR_CONFIGS), their secrets
 * (CONNECTOR_SECRET_FIELDS, and every header value of an http connector) encrypted at rest and
 * answered masked; a masked or absent secret sent back on modify keeps the stored one, unless the
 * connector's target (host, port, user, URL) changes.
 */
import { badField, parseInput } from '../../../../contract/errors.js';
import {
  CONNECTOR_CONFIGS,
  CONNECTOR_SECRET_FIELDS,
  CONNECTOR_TARGET_FIELDS,
  MASKED_CONNECTOR_SECRET,
  REDIS_DATABASE,
  type ConnectorType,
} from '../../../../contract/operations/connectors.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { ConnectorSpec } from '../ports/connectors.js';
import type { ConnectorRow, JsonObject } from '../ports/store.js';

/** Validates a plain config for its type (unknown fields dropped); a problem names the field under configJSON. */
export function checkConnectorConfig(type: ConnectorType, config: unknown): JsonObject {
  const parsed = parseInput(CONNECTOR_CONFIGS[type], config, 'configJSON');
  // Plain JSON: strings, numbers, booleans, arrays and objects of them (the schemas allow nothing else).
  const out = JSON.parse(JSON.stringify(parsed)) as JsonObject;
  return out;
}

/** A JSON mapping (not null, not a list): a config, a header map, a parsed YAML mapping. */
export const isJsonObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

type Transform = (s: string, field: string) => string;

/** `config` with each secret value (CONNECTOR_SECRET_FIELDS, an http connector's header values) passed through `f` (null, absent and '' secret fields stay). */
export function mapSecrets(config: JsonObject, f: Transform): JsonObject {
  const out: JsonObject = { ...config };
  for (const k of CONNECTOR_SECRET_FIELDS) {
    const v = out[k];
    if (typeof v === 'string' && v !== '') out[k] = f(v, k);
  }
  const headers = out['headers'];
  if (isJsonObject(headers)) {
    out['headers'] = Object.fromEntries(Object.entries(headers).map(([name, v]) => [name, typeof v === 'string' ? f(v, `headers.${name}`) : v]));
  }
  return out;
}

export const encryptConnectorConfig = (config: JsonObject, box: SecretBox): JsonObject => mapSecrets(config, (s) => box.encrypt(s));
export const decryptConnectorConfig = (config: JsonObject, box: SecretBox): JsonObject => mapSecrets(config, (s) => box.decrypt(s));
export const maskConnectorConfig = (config: JsonObject): JsonObject => mapSecrets(config, () => MASKED_CONNECTOR_SECRET);

/** A config with every secret written empty, and DataFlux Func's `…Cipher` fields too: what an archive, and the history of one, may hold. */
export function blankConnectorSecrets(config: JsonObject): JsonObject {
  const out = mapSecrets(config, () => '');
  for (const k of Object.keys(out)) if (k.endsWith('Cipher') && out[k] !== null) out[k] = '';
  return out;
}

/** Every secret value of a plain config (to scrub them out of a driver's error text). */
export function connectorSecrets(config: JsonObject): string[] {
  const out: string[] = [];
  mapSecrets(config, (s) => (out.push(s), s));
  return out;
}

/** A target field's value as compared: a host case-blind, absent, null and '' alike. */
const targetValue = (field: string, v: unknown): string => {
  if (v === undefined || v === null || v === '') return '';
  const text = typeof v === 'string' ? v.trim() : JSON.stringify(v);
  return field === 'host' ? text.toLowerCase() : text;
};

/** The fields of CONNECTOR_TARGET_FIELDS whose value differs between a plain config and the next one. */
export function changedTargetFields(type: ConnectorType, next: JsonObject, old: JsonObject): string[] {
  return CONNECTOR_TARGET_FIELDS[type].filter((f) => targetValue(f, next[f]) !== targetValue(f, old[f]));
}

export interface MergeSecretsOptions {
  /** An archive's import: Func and DataFlux Func export every secret as '', so '' keeps the stored one too. */
  emptyKeeps?: boolean;
  /**
   * When the config's target changes (changedTargetFields), a secret left to keep is not kept:
   * `refuse` (a modify: 400 naming it, it must be sent again) or `clear` (an import: dropped, as
   * DataFlux Func's import leaves a connector without the secrets its archive does not hold).
   */
  onTargetChange?: 'refuse' | 'clear';
}

/**
 * A modify's new config in clear: a secret sent back masked, or not sent, keeps the stored one
 * (`stored`: the row's config, encrypted); null or '' clears it. Never once the host, port, user
 * or URL changes (CONNECTOR_TARGET_FIELDS): the stored secret is not sent to another server, so it
 * must be sent again (options.onTargetChange).
 */
export function mergeConnectorSecrets(type: ConnectorType, next: JsonObject, stored: JsonObject, box: SecretBox, options: MergeSecretsOptions = {}): JsonObject {
  const old = decryptConnectorConfig(stored, box);
  const out: JsonObject = { ...next };
  const moved = changedTargetFields(type, next, old);
  const keeps = (v: unknown): boolean => v === MASKED_CONNECTOR_SECRET || (options.emptyKeeps === true && v === '');
  /** The value to store for a secret sent as `sent` (masked, left out, or '' on an import) where `before` is stored. */
  const kept = (field: string, sent: unknown, before: unknown): unknown => {
    if (typeof before !== 'string' || before === '') return sent;
    if (moved.length === 0) return before;
    if (options.onTargetChange === 'clear') return sent === MASKED_CONNECTOR_SECRET ? '' : sent;
    const what = moved.join(', ');
    throw badField(
      `configJSON.${field}`,
      `send the ${field} again (or null for none) when the ${what} change${moved.length === 1 ? 's' : ''}: a stored secret is not kept for another server`,
    );
  };
  for (const k of CONNECTOR_SECRET_FIELDS) {
    if (out[k] !== undefined && !keeps(out[k])) continue;
    const v = kept(k, out[k], old[k]);
    if (v !== undefined) out[k] = v;
  }
  const headers = out['headers'];
  const oldHeaders = old['headers'];
  if (isJsonObject(headers) && isJsonObject(oldHeaders)) {
    out['headers'] = Object.fromEntries(Object.entries(headers).map(([name, v]) => [name, keeps(v) ? kept(`headers.${name}`, v, oldHeaders[name]) : v]));
  }
  for (const [k, v] of Object.entries(out)) if (v === MASKED_CONNECTOR_SECRET) throw badField(`configJSON.${k}`, 'masked, but no secret is stored to keep');
  return out;
}

/** A stored connector's config in clear, for a driver. */
export const connectorConfigOf = (row: Pick<ConnectorRow, 'configJSON'>, box: SecretBox): JsonObject => decryptConnectorConfig(row.configJSON, box);

/**
 * What a driver needs of a stored connector: its config in clear, `database` overriding the config's
 * (DFF.CONN(id, database=…), the query route). A Redis connector's is checked as its config's is (a
 * number from 0 to 1000): text that is no number was NaN, and ioredis's SELECT NaN was an unhandled
 * rejection that ended the process. A refusal names `field`, where the caller gave it.
 */
export function connectorSpec(row: Pick<ConnectorRow, 'id' | 'type' | 'configJSON'>, box: SecretBox, database?: string | number | null, field = 'database'): ConnectorSpec {
  const config = connectorConfigOf(row, box);
  if (database !== undefined && database !== null && database !== '') config['database'] = row.type === 'redis' ? redisDatabase(database, field) : String(database);
  return { id: row.id, type: row.type, config };
}

function redisDatabase(database: string | number, field: string): number {
  const r = REDIS_DATABASE.safeParse(database);
  if (!r.success)
    throw badField(
      field,
      `a Redis database is a whole number from 0 to 1000, got ${(JSON.stringify(typeof database === 'string' ? database.slice(0, 100) : database) ?? String(database)).slice(0, 120)}`,
    );
  return r.data;
}
