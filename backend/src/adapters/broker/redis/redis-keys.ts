/**
 * Every Redis key the broker uses, under one prefix (default `func:`). For Redis Cluster put a
 * hash tag in the prefix (`func:{main}:`) so the scripts' keys share a slot.
 */
export interface BrokerKeys {
  readonly prefix: string;
  /** mid -> task JSON. */
  readonly msg: string;
  /** mid -> deliveries so far. */
  readonly att: string;
  /** mid -> JSON array of deliveries ({attempt, consumer, at}). */
  readonly hist: string;
  /** Dead letters, newest first. */
  readonly dead: string;
  /** zset ready-list key -> when the sweep must next look at that queue (its earliest eta or visibility deadline). */
  readonly due: string;
  ready(q: number): string;
  inflight(q: number): string;
  delayed(q: number): string;
  /** zset mid -> enqueue time (eta for a delayed task), for queue positions (ZRANK). */
  waiting(q: number): string;
  wake(q: number): string;
  done(q: number): string;
  rate(q: number, second: number): string;
  reply(taskId: string): string;
  result(taskId: string): string;
  resultsChannel(instanceId: string): string;
}

export function brokerKeys(prefix: string): BrokerKeys {
  return {
    prefix,
    msg: `${prefix}msg`,
    att: `${prefix}att`,
    hist: `${prefix}hist`,
    dead: `${prefix}dead`,
    due: `${prefix}due`,
    ready: (q) => `${prefix}ready:${q}`,
    inflight: (q) => `${prefix}inflight:${q}`,
    delayed: (q) => `${prefix}delayed:${q}`,
    waiting: (q) => `${prefix}waiting:${q}`,
    wake: (q) => `${prefix}wake:${q}`,
    done: (q) => `${prefix}done:${q}`,
    rate: (q, second) => `${prefix}rate:${q}:${second}`,
    reply: (taskId) => `${prefix}reply:${taskId}`,
    result: (taskId) => `${prefix}result:${taskId}`,
    resultsChannel: (instanceId) => `${prefix}results:${instanceId}`,
  };
}
