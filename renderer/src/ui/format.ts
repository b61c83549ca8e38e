/** Display helpers. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A time as formatTime says it, without the date when it is today's ("08:34:58", 24-hour). */
export function formatSince(ms: number, now: number): string {
  const text = formatTime(ms);
  return text.slice(0, 10) === formatTime(now).slice(0, 10) ? text.slice(11) : text;
}

/** An epoch-seconds time (as DataFlux Func answers a cron job's dynamicCronExprExpireTime and pauseExpireTime), shown like formatTime. */
export function formatTimeS(s: number | null | undefined): string {
  return formatTime(s === null || s === undefined ? s : s * 1000);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1) return '<1 ms';
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`; // 999.5 is '1.00 s', never '1000 ms'
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A page title inside a sentence: 'Sync APIs' → 'sync APIs' (acronyms such as APIs keep their capitals). */
export function inSentence(title: string): string {
  return title.replace(/\b([A-Z])([a-z]*)\b/g, (_w, first: string, rest: string) => first.toLowerCase() + rest);
}

export function toJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return '(not serialisable)';
  }
}

/** 1536 → '1.5 KB' (1024-based; bytes as they are under 1 KB). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
