import { afterEach, describe, expect, it, vi } from 'vitest';
import { Beat, type BeatDeps } from './beat.js';

describe('a beat whose ticks fail (its store down)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports it once a minute, saying how many more failed meanwhile, not once a second', async () => {
    vi.useFakeTimers();
    const errors: string[] = [];
    // Every dependency throws on first use, as a store that does not answer fails each tick.
    const down = new Proxy(
      {},
      {
        get: () => {
          throw new Error('store down');
        },
      },
    );
    const deps = { store: down, dispatcher: down, catalog: down, topology: down, onError: (e: unknown) => errors.push(e instanceof Error ? e.message : String(e)) };
    const beat = new Beat(deps as unknown as BeatDeps);
    beat.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(errors).toEqual(['beat: a tick failed: store down']);
    await vi.advanceTimersByTimeAsync(31_000);
    beat.stop();
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatch(/^beat: a tick failed: store down \(and \d+ more since the last report\)$/);
  });
});
