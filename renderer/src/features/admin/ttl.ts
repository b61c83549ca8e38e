/** A cache key's time to live as the caches page shows it. */
/** Seconds left → '3 h 5 min', '42 s'; -1: no expiry. */
export function formatTtl(ttl: number): string {
  if (ttl < 0) return 'no expiry';
  if (ttl < 60) return `${ttl} s`;
  const m = Math.floor(ttl / 60);
  if (m < 60) return `${m} min ${ttl % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
