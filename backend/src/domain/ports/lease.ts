/**
 * Port: a leader lease, so that exactly one beat fires cron jobs while others stand by.
 * Redis implements it with a token under a key with a TTL (acquire with SET NX PX, renew and
 * release in Lua checking the token); the embedded stack has one beat and is always leader.
 *
 * Safety: a holder stops calling itself leader before its lease can have expired in Redis
 * (it counts the TTL from when it *sent* the last successful acquire/renew, minus a margin),
 * so two instances never both believe they lead.
 */
export interface LeaderLease {
  /** Lease name (one per leadership, e.g. `beat`). */
  readonly name: string;
  /** Random token of this contender. */
  readonly token: string;
  /** Try once to take the lease; true when this contender holds it now. */
  acquire(): Promise<boolean>;
  /** Renew a held lease; false (and leadership lost) when it was not ours any more. */
  renew(): Promise<boolean>;
  /** Give the lease up if held, so a standby can take over at once. */
  release(): Promise<void>;
  /** True while the lease is held and not past its safe validity. */
  isLeader(): boolean;
  /** Campaign: acquire when free, renew while held, every `renewEveryMs`. Resolves after the first attempt. */
  start(): Promise<void>;
  /** Stop campaigning and release. */
  stop(): Promise<void>;
  /** Called with true when leadership is gained and false when it is lost or released. Returns an unsubscribe. */
  onChange(listener: (leader: boolean) => void): () => void;
}
