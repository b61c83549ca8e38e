/**
 * Connectors (DataFlux Func's `connectors`): a named, stored connection — type + config, secrets
 * encrypted at rest and never answered — that scripts use with `DFF.CONN(id)`. The config is
 * checked per type (CONNECTOR_CONFIGS); add and modify test the connection unless `skipTest`.
 */
import { z } from 'zod';
import { idParams, intOrDigitsBetween, jsonObject, optionalText } from '../common.js';
import { operation } from '../operation.js';
import { crudOperations } from './crud.js';
import { LIST_FILTERS } from './entities.js';

export const CONNECTOR_TYPES = ['mysql', 'postgresql', 'redis', 'mqtt', 'amqp', 'nats', 'http'] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];
/** Types whose brokers deliver messages: they may carry `topicHandlers` (subscriptions). */
export const MESSAGE_CONNECTOR_TYPES: readonly ConnectorType[] = ['redis', 'mqtt', 'amqp', 'nats'];
/** DataFlux's `id` rule: a Python-like name (scripts write `DFF.CONN('id')`). */
export const CONNECTOR_ID = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Config fields stored encrypted and answered masked (DataFlux's cipher fields, plus `token`). */
export const CONNECTOR_SECRET_FIELDS = ['password', 'secretKey', 'accessKeySecret', 'token'] as const;
/** What a secret is answered as; sent back unchanged on modify, it keeps the stored secret (unless the connector's target changes). */
export const MASKED_CONNECTOR_SECRET = '******';

/**
 * The config fields that choose where a connector's secrets are sent: the server (host and port, an
 * http connector's URL) and the identity they prove (user). When a modify changes one, a secret
 * sent back masked or left out is not kept: it must be sent again (else anyone who may modify a
 * connector could point it at their own host and receive the stored password). A database, vhost,
 * exchange or client id is chosen on the same server: not listed.
 */
export const CONNECTOR_TARGET_FIELDS: Record<ConnectorType, readonly string[]> = {
  mysql: ['host', 'port', 'user'],
  postgresql: ['host', 'port', 'user'],
  redis: ['host', 'port', 'user'],
  mqtt: ['host', 'port', 'user'],
  amqp: ['host', 'port', 'user'],
  nats: ['host', 'port', 'user'],
  http: ['url', 'user'],
};

const host = z.string().min(1).max(255);
const port = z.number().int().min(1).max(65535);
const secret = optionalText(4096);
/** A message connector's subscriptions (DataFlux's field), run by the subscription maintainer (queue #6). */
const topicHandlers = z
  .array(z.object({ topic: z.string().min(1).max(1024), funcId: z.string().min(1).max(256), isDisabled: z.boolean().optional() }))
  .max(1000)
  .nullable()
  .optional();
const server = { host: host.optional(), port: port.optional(), user: optionalText(256), password: secret };

/** A Redis database number, in a config or as the `database` a query or DFF.CONN picks (its decimal digits as text taken too; not `" "` or `0x10`, which Number() reads as 0 and 16). */
export const REDIS_DATABASE = intOrDigitsBetween(0, 1000);

export const CONNECTOR_CONFIGS = {
  mysql: z.object({
    ...server,
    database: optionalText(256),
    charset: z
      .string()
      .regex(/^[a-zA-Z0-9_]{1,32}$/, 'letters, digits and _ only')
      .optional(),
  }),
  postgresql: z.object({ ...server, database: optionalText(256) }),
  // An empty field is no choice (database 0), as a form left blank sends it.
  redis: z.object({ ...server, database: z.preprocess((v) => (v === '' ? null : v), REDIS_DATABASE.nullable()).optional(), topicHandlers }),
  mqtt: z.object({ ...server, clientId: optionalText(256), topicHandlers }),
  amqp: z.object({ ...server, vhost: optionalText(256), exchange: optionalText(256), topicHandlers }),
  nats: z.object({ ...server, token: secret, topicHandlers }),
  http: z.object({
    url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(4096),
    /** Sent with every request; their values are secrets (tokens, keys). */
    headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/, 'a header name'), z.string().max(8192)).optional(),
    user: optionalText(256),
    password: secret,
  }),
} as const satisfies Record<ConnectorType, z.ZodType>;

export type ConnectorConfig<T extends ConnectorType = ConnectorType> = z.output<(typeof CONNECTOR_CONFIGS)[T]>;

/** What list and get answer: secrets masked (MASKED_CONNECTOR_SECRET). */
export const connectorView = z.object({
  id: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  type: z.enum(CONNECTOR_TYPES),
  configJSON: jsonObject,
  isBuiltin: z.boolean(),
  isPinned: z.boolean(),
  pinTime: z.number().nullable(),
  createTime: z.number(),
  updateTime: z.number(),
});

const common = { title: optionalText(256), description: optionalText(5000), isPinned: z.boolean().nullable().optional() };
/** DataFlux's flags beside `data`: skip the connection test; test only (add: nothing stored). */
const flags = { skipTest: z.boolean().nullable().optional() };
const addData = z
  .object({ id: z.string().regex(CONNECTOR_ID, 'letters, digits and _, not starting with a digit').max(64), type: z.enum(CONNECTOR_TYPES), configJSON: jsonObject, ...common })
  .loose();
const modifyData = z.object({ configJSON: jsonObject.optional(), ...common }).loose();

const base = crudOperations({
  segment: 'connectors',
  name: 'Connector',
  filters: LIST_FILTERS.connectors,
  read: 'general_r',
  write: 'general_w',
  output: connectorView,
  add: addData,
  modify: modifyData,
});

/** CRUD's, but add and modify take the connection-test flags beside `data`. */
export const connectors = {
  ...base,
  add: {
    ...base.add,
    summary: 'Add a connector (its connection tested first unless skipTest; testOnly: test, store nothing)',
    body: z.object({ data: addData, ...flags, testOnly: z.boolean().nullable().optional() }).loose(),
  },
  modify: { ...base.modify, summary: 'Modify a connector (a new config tested first unless skipTest)', body: z.object({ data: modifyData, ...flags }).loose() },
};

/** What `:id/do/query` runs: a helper command (`query`, `non_query`, `publish`, `get`…) with its arguments, or a statement. */
export const connectorQueryBody = z
  .object({
    command: z.string().min(1).max(64).nullable().optional(),
    commandArgs: z.array(z.unknown()).max(1000).nullable().optional(),
    commandKwargs: jsonObject.nullable().optional(),
    queryStatement: z.string().min(1).max(1_000_000).nullable().optional(),
    database: z.string().max(256).nullable().optional(),
    returnType: z.enum(['json', 'repr']).nullable().optional(),
  })
  .loose();

export const queryConnector = operation('queryConnector', 'POST /api/v1/connectors/:id/do/query', 'general_w', {
  summary: 'Run a command or a statement on a connector (SQL: query; Redis: a command line)',
  params: idParams,
  body: connectorQueryBody,
  output: z.unknown(),
});

/**
 * One topic handler's subscription (DataFlux's sub-info: connectorId, topic, lastMinuteCount),
 * with the maintainer's state and counters since the stack started maintaining it.
 */
export const subInfoView = z
  .object({
    connectorId: z.string(),
    topic: z.string(),
    funcId: z.string(),
    isDisabled: z.boolean(),
    /** subscribing, subscribed, paused (queue over its backlog), error, disabled, or `not maintained` (no maintainer has it). */
    state: z.string(),
    error: z.string().nullable(),
    received: z.number(),
    dispatched: z.number(),
    failed: z.number(),
    lastMessageTime: z.number().nullable(),
    lastMinuteCount: z.number(),
    lastTaskId: z.string().nullable(),
    maintainer: z.string().nullable(),
    queue: z.number(),
    backlog: z.number().nullable(),
  })
  .loose();

export const listConnectorSubInfo = operation('listConnectorSubInfo', 'GET /api/v1/connectors/:id/sub-info/do/list', 'general_r', {
  summary: "A connector's subscriptions: state and counters (received, dispatched, failed, last message time)",
  params: idParams,
  output: z.array(subInfoView),
});
