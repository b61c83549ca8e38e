/**
 * Port: the live view of running tasks' print / DFF.LOG lines. Workers publish batches under a
 * key (the task id, and a debug run's `liveKey`); servers subscribe for the console
 * (`GET /api/v1/tasks/:id/logs/stream`). Embedded: in process; production: Redis pub/sub.
 *
 * Lossy on purpose: a subscriber that comes late gets the last few batches (a bounded backlog),
 * one that falls behind loses batches; the task record keeps the log (capped) when the task ends.
 */
import type { TaskMessage } from '../tasks/task.js';

export interface LiveLogEvent {
  /** Batch number under its key, from 1 (a late subscriber skips what the backlog already gave). */
  seq: number;
  lines?: string[];
  /** The task ended with this status (its record is stored). */
  end?: string;
}

export interface LiveLogSubscription {
  close(): void;
}

/** Batches kept per key for late subscribers (each at most ~50,000 characters, see dff.py). */
export const LIVE_BACKLOG_EVENTS = 20;
/** A key's backlog is dropped this long after its last batch. */
export const LIVE_BACKLOG_TTL_MS = 120_000;

export interface LiveLogs {
  /** Fire and forget (a failure is reported to the adapter's onError, never thrown). */
  publish(key: string, event: LiveLogEvent): void;
  /**
   * Calls `onEvent` with the backlog of `key`, then each batch published after it, in order
   * (never the same seq twice). Resolves once the subscription is live.
   */
  subscribe(key: string, onEvent: (event: LiveLogEvent) => void): Promise<LiveLogSubscription>;
  close(): Promise<void>;
}

/** What a runner pool tells about the live lines of its tasks (worker/live-log-relay.ts). */
export interface LiveLogSink {
  lines(task: TaskMessage, lines: string[]): void;
}
