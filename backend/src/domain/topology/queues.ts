/** The 16 work queues and the `--queues` syntax (`0,4,7-9`). */

export const QUEUE_COUNT = 16;
export const QUEUES: readonly number[] = Array.from({ length: QUEUE_COUNT }, (_, i) => i);

export function isQueue(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < QUEUE_COUNT;
}

/**
 * Parse `0,4,7-9` into unique queue numbers in the order given (a worker's priority: `9,1` takes
 * from #9 first), a repeated one kept where it first appears; throws an Error naming the bad part.
 * Spaces around an item are fine; an empty item (`1,,2`, `,1`, `1,`) is refused, with the list:
 * it is a typo more often than not (a queue left out). Only command-line flags come here
 * (`func worker --queues`, `func stack split --queues`); topologies list their queues as JSON.
 */
export function parseQueueList(text: string): number[] {
  if (text.trim() === '') throw new Error('no queue given');
  const out = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') throw new Error(`"${text}" has an empty item between its commas (use e.g. 0,4,7-9)`);
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`"${part}" is not a queue number or range (use e.g. 0,4,7-9)`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (!isQueue(from) || !isQueue(to)) throw new Error(`"${part}" is outside the queues 0-${QUEUE_COUNT - 1}`);
    if (to < from) throw new Error(`"${part}" is reversed: write the lower queue first (${to}-${from})`);
    for (let q = from; q <= to; q++) out.add(q);
  }
  return [...out];
}

export function formatQueueList(queues: readonly number[]): string {
  return queues.map((q) => `#${q}`).join(', ');
}
