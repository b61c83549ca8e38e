/** Display helpers of the topology page. */

export interface ResourcesLike {
  cpus?: number | undefined;
  memoryMb?: number | undefined;
}

export function queueList(queues: readonly number[]): string {
  return queues.map((q) => `#${q}`).join(', ');
}

function one(r: ResourcesLike | undefined): string {
  const parts: string[] = [];
  if (r?.cpus !== undefined) parts.push(`${formatNumber(r.cpus)} CPU`);
  if (r?.memoryMb !== undefined) parts.push(formatMemory(r.memoryMb));
  return parts.join(' · ');
}

/** `limit 1.5 CPU · 512 MiB, reserved 0.5 CPU`, or '' when nothing is set. */
export function describeResources(limits: ResourcesLike | undefined, reservations: ResourcesLike | undefined): string {
  const l = one(limits);
  const r = one(reservations);
  return [l ? `limit ${l}` : '', r ? `reserved ${r}` : ''].filter(Boolean).join(', ');
}

export function formatMemory(mb: number): string {
  return mb >= 1024 && mb % 256 === 0 ? `${formatNumber(mb / 1024)} GiB` : `${formatNumber(mb)} MiB`;
}

/** Up to 2 decimals, no trailing zeros, thousands separated. */
export function formatNumber(n: number, decimals = 2): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: decimals });
}

/** Tasks per minute: whole numbers from 10 up, one decimal below. */
export function formatRate(perMinute: number): string {
  return formatNumber(perMinute, perMinute >= 10 ? 0 : 1);
}
