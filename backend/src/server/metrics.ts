/** Counters and a latency histogram, written in the Prometheus text format. */

const BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly buckets = new Array<number>(BUCKETS_MS.length + 1).fill(0);
  private sumMs = 0;
  private count = 0;
  private readonly tasks = new Map<string, number>();

  observeRequest(route: string, status: number, ms: number): void {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let i = BUCKETS_MS.findIndex((b) => ms <= b);
    if (i === -1) i = BUCKETS_MS.length;
    this.buckets[i]! += 1;
    this.sumMs += ms;
    this.count += 1;
  }

  countTask(origin: string): void {
    this.tasks.set(origin, (this.tasks.get(origin) ?? 0) + 1);
  }

  /** `extra` lines (gauges read at scrape time) are appended as they are. */
  render(extra: string[] = []): string {
    const out: string[] = [
      '# HELP func_http_requests_total HTTP requests by route and status.',
      '# TYPE func_http_requests_total counter',
      ...[...this.requests].map(([k, v]) => `func_http_requests_total{${k}} ${v}`),
      '# HELP func_http_request_duration_ms HTTP request latency.',
      '# TYPE func_http_request_duration_ms histogram',
    ];
    let cumulative = 0;
    BUCKETS_MS.forEach((b, i) => {
      cumulative += this.buckets[i]!;
      out.push(`func_http_request_duration_ms_bucket{le="${b}"} ${cumulative}`);
    });
    out.push(`func_http_request_duration_ms_bucket{le="+Inf"} ${this.count}`, `func_http_request_duration_ms_sum ${this.sumMs}`, `func_http_request_duration_ms_count ${this.count}`);
    out.push('# HELP func_tasks_submitted_total Tasks submitted by origin.', '# TYPE func_tasks_submitted_total counter');
    for (const [origin, v] of this.tasks) out.push(`func_tasks_submitted_total{origin="${origin}"} ${v}`);
    return `${[...out, ...extra].join('\n')}\n`;
  }
}
