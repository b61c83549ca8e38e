/** Default worker unit names, after the queues they listen to: worker-6, worker-1-5, worker-0-and-4-and-7-9. */

export function unitNameFor(queues: readonly number[]): string {
  const sorted = [...new Set(queues)].sort((a, b) => a - b);
  const ranges: string[] = [];
  let start = sorted[0];
  for (let i = 0; i < sorted.length; i++) {
    const q = sorted[i]!;
    const next = sorted[i + 1];
    if (next === q + 1) continue;
    ranges.push(start === q ? `${q}` : `${String(start)}-${q}`);
    start = next;
  }
  return `worker-${ranges.join('-and-')}`;
}
