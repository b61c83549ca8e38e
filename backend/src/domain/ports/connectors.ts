/**
 * Port: the clients of connectors (DFF.CONN, the connector routes). Drivers are Node clients
 * (adapters/connectors/), pooled per connector and shared by every Python process of a worker;
 * the Python side holds none. Configs reach a driver in clear (decrypted by the caller) and
 * never leave it: errors are scrubbed of their secrets.
 */
import type { ConnectorType } from '../../../../contract/operations/connectors.js';
import type { Json, JsonObject } from './store.js';

/** A connector as a driver needs it: its id (errors name it), type and config in clear. */
export interface ConnectorSpec {
  id: string;
  type: ConnectorType;
  config: JsonObject;
}

/** One message a subscription received (for the subscription maintainer, queue #6). */
export interface ConnectorMessage {
  /** The topic, channel, routing key or subject it came on. */
  topic: string;
  /** The payload as text (UTF-8), as the handler function gets it. */
  message: string;
  /** Redis pattern / MQTT filter / AMQP queue / NATS subject it matched. */
  subscription: string;
}

export interface SubscribeOptions {
  /** Stable across restarts and servers (the connector's id): MQTT's persistent-session client id derives from it. */
  subscriberId: string;
  /** The subscription ended on its own (its connection was lost and the client does not reconnect by itself: AMQP). */
  onLost?: (err: Error) => void;
  /** Messages handed to `onMessage` and not yet acked, at most (AMQP prefetch). */
  prefetch?: number;
}

/** A running subscription; `close()` stops it (unsubscribes, releases its connection). */
export interface ConnectorSubscription {
  /**
   * `unsubscribe`: the subscriptions are not wanted any more (the connector was deleted or its
   * topics changed): a persistent session (MQTT) forgets them. Without it (shutdown, leadership
   * lost) the broker keeps them for the next maintainer.
   */
  close(options?: { unsubscribe?: boolean }): Promise<void>;
}

/** One live client of one connector (a pool of connections for SQL types). */
export interface ConnectorClient {
  /** Opens a connection if none is open and proves it (SELECT 1, PING, CONNACK, …); throws the driver's error. */
  check(): Promise<void>;
  /**
   * Runs one helper command — `query` / `non_query` for SQL, `query` (a raw command) for Redis,
   * `publish` for MQTT/AMQP/NATS/Redis, `request` for HTTP — with positional `args` and `kwargs`;
   * answers JSON. An unknown command throws naming the commands there are.
   */
  command(method: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): Promise<Json>;
  /**
   * Message types only (redis, mqtt, amqp, nats): subscribe `topics` (MQTT filters with
   * wildcards, Redis channels and patterns, AMQP queues, NATS subjects) on a connection of its
   * own and hand each message to `onMessage`; the broker's acknowledgement (MQTT QoS 1 PUBACK,
   * AMQP ack) waits for the promise it returns, so a message is acked only once its task is
   * durably enqueued (a rejection leaves it unacked: AMQP requeues it, MQTT redelivers it on the
   * next session). Redis pub/sub and core NATS have no acknowledgement (at most once).
   */
  subscribe?(topics: readonly string[], onMessage: (m: ConnectorMessage) => Promise<void>, options: SubscribeOptions): Promise<ConnectorSubscription>;
  close(): Promise<void>;
}

/** Limits every driver applies. */
export interface ConnectorTimeouts {
  /** Connecting (TCP + handshake + auth). */
  connectMs: number;
  /** One command, connecting included. */
  commandMs: number;
}

export interface ConnectorDriver {
  readonly type: ConnectorType;
  /** A client of `config` (connects lazily, on check or the first command). `database` overrides the config's (SQL, Redis). */
  create(config: JsonObject, timeouts: ConnectorTimeouts): ConnectorClient;
}

export interface ConnectorClients {
  /** Runs `method` on the pooled client of `connector` (a changed config replaces the client). Failures: ApiError EConnectorFailed naming the connector. */
  run(connector: ConnectorSpec, method: string, args: readonly unknown[], kwargs?: Readonly<Record<string, unknown>>): Promise<Json>;
  /** Connects with a fresh client of `connector` and proves it, then closes it (add/modify's test). Failures: ApiError EConnectorFailed with the driver's message. */
  test(connector: ConnectorSpec): Promise<void>;
  /** Drops the pooled client of connector `id` (deleted or modified). */
  forget(id: string): Promise<void>;
  close(): Promise<void>;
}
