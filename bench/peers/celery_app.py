"""The Celery peer: one no-op task; broker and result backend from BENCH_CELERY_URL (a dedicated redis-server)."""
import os

from celery import Celery

URL = os.environ.get('BENCH_CELERY_URL', 'redis://127.0.0.1:6399/0')
app = Celery('celery_app', broker=URL, backend=URL)
app.conf.update(task_serializer='json', result_serializer='json', accept_content=['json'], worker_hijack_root_logger=False)


@app.task
def noop():
    return None
