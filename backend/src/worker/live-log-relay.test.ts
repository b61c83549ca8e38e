/** The worker's live-log relay: keys, limits a second with one marker, the end of streamed tasks only. */
import { describe, expect, it } from 'vitest';
import type { LiveLogEvent } from '../domain/ports/live-logs.js';
import { EmbeddedLiveLogs } from '../adapters/broker/embedded/embedded-live-logs.js';
import { sampleTask } from '../adapters/broker/testing/sample-task.js';
import { LiveLogRelay, RELAY_LINES_PER_SEC } from './live-log-relay.js';

describe('live-log relay (worker side)', () => {
  it('publishes under the task id and the liveKey, limits lines a second with one marker, and ends only streamed tasks', () => {
    const live = new EmbeddedLiveLogs();
    const seen: LiveLogEvent[] = [];
    const byKey: LiveLogEvent[] = [];
    void live.subscribe('t-1', (e) => seen.push(e));
    void live.subscribe('live-key-1', (e) => byKey.push(e));
    let now = 1000;
    const relay = new LiveLogRelay(live, () => now);
    const task = { ...sampleTask('t-1', 1, 0), liveKey: 'live-key-1' };
    relay.lines(
      task,
      Array.from({ length: RELAY_LINES_PER_SEC + 50 }, (_, i) => `l${i}`),
    );
    expect(seen[0]!.lines).toHaveLength(RELAY_LINES_PER_SEC);
    now += 1000;
    relay.lines(task, ['next second']);
    expect(seen[1]!.lines).toEqual([expect.stringMatching(/^\[… 50 lines not streamed live/), 'next second']);
    relay.end(task, 'success');
    expect(seen.at(-1)).toEqual({ seq: 3, end: 'success' });
    expect(byKey).toEqual(seen);
    expect(relay.tracked()).toBe(0);
    // A task that never streamed: no end published.
    relay.end(sampleTask('t-2', 1, 0), 'success');
    expect(live.size()).toBe(2);
    void live.close();
  });
});
