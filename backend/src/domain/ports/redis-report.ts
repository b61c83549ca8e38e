/** What the reports (`GET /api/v1/system-report`, `/api/v1/detailed-redis-report`) read of a production server's Redis. */

/** One of Func's keys: its type, its element count (lists, hashes, sets, sorted sets) and its memory. */
export interface RedisKeyFacts {
  key: string;
  type: string;
  elementCount?: number;
  memoryUsage: number;
}

export interface RedisReporter {
  /** The prefix of Func's keys (`func:` unless configured). */
  readonly prefix: string;
  /** Where the Redis is: host, port, database, prefix; never its password. */
  config(): Record<string, string | number>;
  /** `INFO`, field by field. */
  info(): Promise<Record<string, string>>;
  /** Func's keys (under the prefix, found by SCAN), at most `limit`; `truncated` when there were more. */
  keys(limit: number): Promise<{ keys: RedisKeyFacts[]; truncated: boolean }>;
}
