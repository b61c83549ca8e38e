"""
Drives the Celery peer (worker already running): sequential `.delay().get()` round trips, then a
drain of N no-op tasks (consumer paused, N sent, consumer resumed, timed until every result is
stored). Prints one JSON line: {"latencies_ms": [...], "drain_n": N, "drain_s": s, "send_s": s}.
Args: ROUNDTRIPS WARMUP DRAIN_N BUDGET_S
"""
import json
import os
import sys
import time

import redis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from celery_app import URL, app, noop  # noqa: E402


def main():
    n, warmup, drain_n, budget = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    deadline = time.perf_counter() + 30
    while not app.control.ping(timeout=0.5):
        if time.perf_counter() > deadline:
            raise SystemExit('the Celery worker did not answer ping within 30 s')
    lat = []
    start = time.perf_counter()
    for i in range(n + warmup):
        t0 = time.perf_counter()
        noop.delay().get(timeout=10)
        if i >= warmup:
            lat.append((time.perf_counter() - t0) * 1000)
        if time.perf_counter() - start > budget:
            break

    # The drain queue has no consumer until every task is sent; then the worker is told to consume it.
    r = redis.Redis.from_url(URL)
    queue = 'drain-%d' % os.getpid()
    t0 = time.perf_counter()
    ids = [noop.apply_async(queue=queue).id for _ in range(drain_n)]
    send_s = time.perf_counter() - t0
    keys = ['celery-task-meta-' + i for i in ids]
    queued = r.llen(queue)
    if queued != drain_n:
        raise SystemExit(f'{queued} of {drain_n} tasks in the drain queue before the worker consumes it')
    t0 = time.perf_counter()
    if not app.control.add_consumer(queue, reply=True, timeout=5):
        raise SystemExit('no Celery worker answered add_consumer')
    deadline = t0 + budget
    remaining = keys
    while remaining:
        missing = []
        for k in range(0, len(remaining), 5000):
            chunk = remaining[k:k + 5000]
            missing.extend(key for key, v in zip(chunk, r.mget(chunk)) if v is None)
        remaining = missing
        if not remaining:
            break
        if time.perf_counter() > deadline:
            raise SystemExit(f'drain timed out with {len(remaining)} of {drain_n} results missing')
        time.sleep(0.02)
    drain_s = time.perf_counter() - t0
    print(json.dumps({'latencies_ms': lat, 'drain_n': drain_n, 'drain_s': drain_s, 'send_s': send_s}))


if __name__ == '__main__':
    main()
