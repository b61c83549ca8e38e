"""The ``DFF`` object injected into every user script, and per-task output capture.

Each script module gets its own ``DFF`` instance (it knows its script id, the default
scope of STORE and CACHE). Per-task state (logs, CTX, the running task) lives in the
module-level ``state``.

Host calls (all synchronous, see protocol.py) and their ``args`` arrays:

  ENV    read    [name]                     -> {value, password} or None (no such variable)
         get     [name]                     -> value
  STORE  set     [scope, key, value, expires, notExists]
         get     [scope, key]
         delete  [scope, key]
         keys    [scope, pattern]
  CACHE  get     [scope, key]
         set     [scope, key, value, expires, notExists]
         getset  [scope, key, value]
         delete  [scope, key]
         incr    [scope, key, step]         incrby [scope, key, step]
         expire  [scope, key, expires]      ttl    [scope, key]
         exists  [scope, key]               keys   [scope, pattern]
         hget    [scope, key, field]        hset   [scope, key, field, value, notExists?]
         hmget   [scope, key, [fields]]     hmset  [scope, key, {field: value}]
         hgetall [scope, key]               hdel   [scope, key, [fields]]
         lpush   [scope, key, value, ...]   rpush  [scope, key, value, ...]
         lpop    [scope, key]               rpop   [scope, key]
         llen    [scope, key]               lrange [scope, key, start, stop]
  FUNC   call    [funcId, kwargs, {queue?, timeout?, expires?}]   -> task id

``scope`` is always sent resolved: the ``scope=`` argument, else the calling script id.
"""

import base64
import builtins
import datetime
import fnmatch
import io
import math
import os
import sys
import threading
from collections import deque
from time import perf_counter

from protocol import encode_json

LINE_CAP = 3000
# Print capture caps, in characters of log lines (each counted with its newline). A task keeps
# the first HEAD and the last TAIL characters of its output; the lines in between are dropped as
# they come (Python's memory stays bounded, Node never sees them) and one marker line in their
# place says how many lines and characters were dropped.
LOG_HEAD_CHARS = 20_000  # published runs: what a task record stores anyway (head 20,000 + tail 30,000)
LOG_TAIL_CHARS = 29_000
DEBUG_LOG_HEAD_CHARS = 400_000  # debug (draft) runs: about 1 MB in all, the head streamed
DEBUG_LOG_TAIL_CHARS = 600_000
# Live view (``live`` frames, docs/runner-protocol.md): a copy of the lines, for subscribers while
# the task runs. Sent from LIVE_AFTER_S after the start (at once for debug runs), in batches every
# LIVE_FLUSH_S; at most LIVE_LINES_PER_SEC lines and LIVE_CHARS_PER_SEC characters a second of
# the task's run, the rest counted and replaced by one marker line per second. A task that ends
# sooner sends nothing: its lines come with the outcome only.
LIVE_AFTER_S = 0.5
LIVE_FLUSH_S = 0.2
LIVE_LINES_PER_SEC = 200
LIVE_CHARS_PER_SEC = 50_000

_current_thread = threading.current_thread
_main_thread = threading.main_thread()


class _State:
    __slots__ = ('channel', 'task', 'active', 'memory_limit_mb')

    def __init__(self):
        self.channel = None
        self.task = None  # TaskState while a task runs
        self.active = False  # a run or a discover is in progress (host calls allowed)
        self.memory_limit_mb = 0


state = _State()


class TaskState:
    __slots__ = ('run_id', 'task', 't0', 'logs', 'stream', 'ctx', 'head_left', 'tail', 'tail_chars', 'tail_cap',
                 'dropped_lines', 'dropped_chars', 'pending', 'live_q', 'live_on', 'live_closed', 'live_win',
                 'live_n', 'live_chars', 'live_dropped')

    def __init__(self, run_id, task, stream):
        self.run_id = run_id
        self.task = task
        self.t0 = perf_counter()
        self.logs = []  # the head (empty when streamed)
        self.stream = stream
        self.ctx = None
        self.head_left = DEBUG_LOG_HEAD_CHARS if stream else LOG_HEAD_CHARS
        self.tail = None  # deque of the last lines once the head is full
        self.tail_chars = 0
        self.tail_cap = DEBUG_LOG_TAIL_CHARS if stream else LOG_TAIL_CHARS
        self.dropped_lines = 0
        self.dropped_chars = 0
        self.pending = ['', '']  # the unfinished line of stdout, stderr
        self.live_q = deque()  # lines for the live view not sent yet (bounded by the rate limits)
        self.live_on = False  # sending (past LIVE_AFTER_S, or a debug run)
        self.live_closed = False
        self.live_win = 0  # the second of the run the counts below are for
        self.live_n = 0
        self.live_chars = 0
        self.live_dropped = 0


# -- Which task a thread works for ---------------------------------------------------------
#
# Every thread carries ``_func_task``: the TaskState of the task it works for. The main thread
# gets the running task's; a thread started (threading.Thread.start) gets its starter's; a
# ThreadPoolExecutor work item its submitter's. Output, DFF.LOG, DFF.CTX and host calls of a
# thread whose task has ended are dropped or refused, so they never land in another task.


def owner():
    """The task the calling thread works for (None: the runtime's own, or no task yet)."""
    return getattr(_current_thread(), '_func_task', None)


def begin_task(ts):
    state.task = ts
    _main_thread._func_task = ts


def end_task(ts):
    """The task is over: flush its unfinished lines; its threads are on their own from now on."""
    state.task = None
    _main_thread._func_task = None
    pending = ts.pending
    for i in (0, 1):
        if pending[i]:
            _add(ts, pending[i])
            pending[i] = ''
    if ts.live_on:
        flush_live(ts, True)
    else:
        ts.live_closed = True


# -- Live view ------------------------------------------------------------------------------

_live_lock = threading.Lock()
_flusher = None
# Set when a line waits for the live view: the flusher sleeps on it while there is nothing to send
# (an idle process wakes no thread).
_live_wake = threading.Event()


def _live_marker(n):
    return '[\u2026 %d lines not streamed live (over %d lines or %d characters a second); the task record keeps its log]' % (
        n, LIVE_LINES_PER_SEC, LIVE_CHARS_PER_SEC)


def flush_live(ts, final=False):
    """Send the task's pending live lines as one ``live`` frame (the flusher thread, and the main
    thread once more when the task ends). Nothing for a task not live yet."""
    with _live_lock:
        if ts.live_closed:
            return
        if final:
            ts.live_closed = True
        elif not ts.live_on:
            if not ts.stream and perf_counter() - ts.t0 < LIVE_AFTER_S:
                return
            ts.live_on = True
        q = ts.live_q
        pop = q.popleft
        lines = [pop() for _ in range(len(q))]
        if ts.live_dropped and (final or int(perf_counter() - ts.t0) != ts.live_win):
            lines.append(_live_marker(ts.live_dropped))
            ts.live_dropped = 0
        if lines:
            state.channel.send({'c': 'live', 'id': ts.run_id, 'lines': lines})


def _live_pending(ts):
    return ts is not None and not ts.live_closed and bool(ts.live_q or ts.live_dropped)


def _flush_loop():
    from time import sleep
    while True:
        if not _live_pending(state.task):
            _live_wake.clear()
            # Cleared first, then looked again: a line queued in between sets it again.
            if not _live_pending(state.task):
                _live_wake.wait()
            continue
        sleep(LIVE_FLUSH_S)
        ts = state.task
        if _live_pending(ts):
            try:
                flush_live(ts)
            except Exception:
                pass


def _start_flusher():
    """Started once per process, at start-up (before the memory limit: its stack is not charged
    to a task). One that cannot start leaves the live view off in this process, tasks unharmed."""
    global _flusher
    _flusher = True  # tried: never again
    try:
        t = threading.Thread(target=_flush_loop, name='func-live-logs', daemon=True)
        t._func_task = None  # the runtime's own: never a task's
        _thread_start(t)
        _flusher = t
    except Exception:
        pass


def task_logs(ts):
    """The lines the outcome carries: head (unless streamed), the marker if any dropped, tail."""
    logs = [] if ts.stream else ts.logs
    if ts.dropped_lines:
        logs.append('[\u2026 %d more lines (%d characters) of output dropped]' % (ts.dropped_lines, ts.dropped_chars))
    if ts.tail:
        logs.extend(ts.tail)
    return logs


_thread_start = threading.Thread.start


def _start_owned(self):
    self._func_task = owner()
    return _thread_start(self)


_executor_patched = False


def patch_thread_pool():
    """Work items of a ThreadPoolExecutor (kept in a module across tasks) belong to their
    submitter's task, not to the one whose submit started the worker thread. Patched once the
    module is imported (checked after each task: importing it up front costs 18 ms a process)."""
    global _executor_patched
    mod = sys.modules.get('concurrent.futures.thread')
    if mod is None:
        return
    _executor_patched = True
    submit = mod.ThreadPoolExecutor.submit

    def owned_submit(self, fn, /, *args, **kwargs):
        ts = owner()

        def run_owned():
            t = _current_thread()
            prev = getattr(t, '_func_task', None)
            t._func_task = ts
            try:
                return fn(*args, **kwargs)
            finally:
                t._func_task = prev
        return submit(self, run_owned)
    mod.ThreadPoolExecutor.submit = owned_submit


def after_task():
    if not _executor_patched:
        patch_thread_pool()


MASK = '*****'


# Password values DFF.ENV loaded in this process, longest first (a password that contains another is
# masked whole). The process's, not a task's: a script module is imported once and kept across tasks,
# so a password loaded at module level by the first task is printed by the later ones too.
_masks = []


def mask_in_logs(secret):
    """From now on, ``secret`` (a password env variable's value DFF.ENV loaded) is written as
    ``*****`` in every log line of this process's tasks: print logs, streamed and live lines (all
    made by _add), as DataFlux Func masks every password its env cache loaded in its print log."""
    global _masks
    if not secret or secret in _masks:
        return
    _masks = sorted(_masks + [secret], key=len, reverse=True)


def _add(ts, text):
    for secret in _masks:
        if secret in text:
            text = text.replace(secret, MASK)
    if len(text) > LINE_CAP:
        text = text[:LINE_CAP]
    now = perf_counter()
    line = '[+%dms] %s' % ((now - ts.t0) * 1000, text)
    if len(line) > LINE_CAP:
        line = line[:LINE_CAP - 1] + '\u2026'
    n = len(line) + 1
    # The live view's copy, within its limits per second of the run.
    w = int(now - ts.t0)
    if w != ts.live_win:
        if ts.live_dropped and not ts.live_closed:
            ts.live_q.append(_live_marker(ts.live_dropped))
            ts.live_dropped = 0
        ts.live_win = w
        ts.live_n = 0
        ts.live_chars = 0
    if ts.live_n < LIVE_LINES_PER_SEC and ts.live_chars + n <= LIVE_CHARS_PER_SEC:
        ts.live_n += 1
        ts.live_chars += n
        ts.live_q.append(line)
        if _flusher is None:
            _start_flusher()
    else:
        ts.live_dropped += 1
    if not _live_wake.is_set():
        _live_wake.set()
    if ts.head_left >= n:
        ts.head_left -= n
        if ts.stream:
            state.channel.send({'c': 'log', 'id': ts.run_id, 'line': line})
        else:
            ts.logs.append(line)
        return
    ts.head_left = -1  # later lines, however short, go after this one
    tail = ts.tail
    if tail is None:
        tail = ts.tail = deque()
    tail.append(line)
    ts.tail_chars += n
    while ts.tail_chars > ts.tail_cap:
        n = len(tail.popleft()) + 1
        ts.tail_chars -= n
        ts.dropped_lines += 1
        ts.dropped_chars += n


def add_line(text):
    """Record one log line of the calling thread's task: ``[+12ms] text`` (capped at LINE_CAP chars)."""
    ts = owner()
    if ts is None or ts is not state.task:
        return
    _add(ts, text)


class CaptureStream(io.TextIOBase):
    """Replaces sys.stdout / sys.stderr: text written by a thread of the running task becomes its
    log lines; by a thread of an ended task, dropped; by the runtime (no task), it goes to the real
    stream (which Node drains and discards)."""

    encoding = 'utf-8'
    errors = 'replace'

    def __init__(self, real, fd):
        super().__init__()
        self._real = real
        self._fd = fd
        self._i = fd - 1
        self.buffer = _BinaryCapture(self)

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not %s' % type(s).__name__)
        ts = getattr(_current_thread(), '_func_task', None)
        if ts is None:
            try:
                return self._real.write(s)
            except Exception:
                return len(s)
        if ts is not state.task:
            return len(s)
        pending = ts.pending
        i = self._i
        if '\n' not in s:
            p = pending[i]
            if len(p) < LINE_CAP:
                pending[i] = p + s[:LINE_CAP]
            return len(s)
        parts = s.split('\n')
        _add(ts, pending[i] + parts[0])
        for part in parts[1:-1]:
            _add(ts, part)
        last = parts[-1]
        pending[i] = last[:LINE_CAP] if last else ''
        return len(s)

    def flush(self):
        if owner() is None:
            try:
                self._real.flush()
            except Exception:
                pass

    def isatty(self):
        return False

    def writable(self):
        return True

    def fileno(self):
        return self._fd


class _BinaryCapture:
    def __init__(self, text):
        self._text = text

    def write(self, b):
        self._text.write(bytes(b).decode('utf-8', 'replace'))
        return len(b)

    def flush(self):
        self._text.flush()


stdout_capture = None
stderr_capture = None
_builtin_print = builtins.print


def install_capture():
    global stdout_capture, stderr_capture
    stdout_capture = CaptureStream(sys.stdout, 1)
    stderr_capture = CaptureStream(sys.stderr, 2)
    sys.stdout = stdout_capture
    sys.stderr = stderr_capture
    threading.Thread.start = _start_owned
    if _flusher is None:
        _start_flusher()


def user_print(*args, sep=' ', end='\n', file=None, flush=False):
    """``print`` as seen by user scripts: one call, one write to the capture."""
    out = sys.stdout if file is None else file
    if out is not stdout_capture:
        return _builtin_print(*args, sep=sep, end=end, file=out, flush=flush)
    if sep is None:
        sep = ' '
    if end is None:
        end = '\n'
    if len(args) == 1:
        text = args[0] if type(args[0]) is str else str(args[0])
    else:
        text = sep.join([str(a) for a in args])
    out.write(text + end)


def call_options(queue=None, timeout=None, expires=None, where='DFF.FUNC'):
    """The options of a call another function or an entity makes: only those given, each checked
    as the HTTP API checks it (a wrong one raises ValueError naming it; nothing is queued)."""
    opts = {}
    for name, value, lo, hi in (('queue', queue, 1, 15), ('timeout', timeout, 1, 3600), ('expires', expires, 1, 86400)):
        v = _int_option(name, value, lo, hi, where, ValueError)
        if v is not None:
            opts[name] = v
    return opts


def call_kwargs(kwargs, where='DFF.FUNC'):
    """The keyword arguments of such a call: a dict (None for none)."""
    if kwargs is None:
        return {}
    if not isinstance(kwargs, dict):
        raise TypeError('%s: kwargs must be a dict of keyword arguments, got %s' % (where, type(kwargs).__name__))
    return kwargs


def host_call(member, method, args):
    def check():
        if not state.active or owner() is not state.task:
            raise RuntimeError('DFF.%s.%s is only available while its task runs' % (member, method))
    check()
    # Checked again once the channel is ours: a task ends holding it (Runner.run), so a thread of a
    # task that ended meanwhile is refused here, never sent on as the next task's call.
    return state.channel.call(member, method, args, check)


# -- DFF.API ------------------------------------------------------------------------------


class DFFInvalidOption(ValueError):
    """A wrong argument of @DFF.API."""


def _int_option(name, value, lo, hi, where='DFF.API', error=DFFInvalidOption):
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise error('%s: %s must be an integer between %d and %d, got %r' % (where, name, lo, hi, value))
    return value


_API_OPTIONS = ('title', 'category', 'tags', 'timeout', 'api_timeout', 'expires', 'cache_result', 'queue', 'fixed_cron_expr',
                'is_hidden', 'retry', 'retry_backoff', 'fixed_crontab', 'delayed_cron_job', 'delayed_crontab', 'integration',
                'integration_config')


# DataFlux Func's names of an integration (any case), as it records them.
_INTEGRATIONS = {'signin': 'signIn', 'sign_in': 'signIn', 'login': 'signIn', 'log_in': 'signIn',
                 'autorun': 'autoRun', 'auto_run': 'autoRun'}


def api_meta(title, category, tags, timeout, api_timeout, expires, cache_result, queue, fixed_cron_expr, is_hidden,
             retry=None, retry_backoff=None, integration=None):
    meta = {}
    if title is not None:
        if not isinstance(title, str):
            raise DFFInvalidOption('DFF.API: title must be a string, got %r' % (title,))
        meta['title'] = title
    if category is None:
        category = 'general'
    if not isinstance(category, str):
        raise DFFInvalidOption('DFF.API: category must be a string, got %r' % (category,))
    meta['category'] = category
    if tags is None:
        tags = []
    elif isinstance(tags, str):
        tags = [tags]
    elif isinstance(tags, (list, tuple, set, frozenset)) and all(isinstance(t, str) for t in tags):
        tags = list(tags)
    else:
        raise DFFInvalidOption('DFF.API: tags must be a list of strings, got %r' % (tags,))
    meta['tags'] = sorted(set(tags))  # as DataFlux Func: each tag once, sorted
    t = _int_option('timeout', timeout, 1, 3600)
    if t is None:
        t = _int_option('api_timeout', api_timeout, 1, 3600)
    if t is not None:
        meta['timeout'] = t
    e = _int_option('expires', expires, 1, 86400)
    if e is not None:
        meta['expires'] = e
    if cache_result is not None and cache_result is not False:
        # An int or a float, as DataFlux Func takes it (its server caches for the whole seconds: 0, or
        # anything under 1, caches nothing). A negative number or a NaN means nothing at all.
        if isinstance(cache_result, bool) or not isinstance(cache_result, (int, float)) or not 0 <= cache_result <= 86400:
            raise DFFInvalidOption('DFF.API: cache_result must be a number of seconds from 0 (under 1: no cache) to 86400, not negative, got %r' % (cache_result,))
        meta['cacheResult'] = cache_result
    q = _int_option('queue', queue, 1, 15)
    if q is not None:
        meta['queue'] = q
    if fixed_cron_expr is not None:
        if not isinstance(fixed_cron_expr, str) or not fixed_cron_expr.strip():
            raise DFFInvalidOption('DFF.API: fixed_cron_expr must be a cron expression string, got %r' % (fixed_cron_expr,))
        meta['fixedCronExpr'] = fixed_cron_expr.strip()
    r = _int_option('retry', retry, 0, 10)
    if r:
        meta['retry'] = r
    if retry_backoff is not None:
        if isinstance(retry_backoff, bool) or not isinstance(retry_backoff, (int, float)) or not 0.1 <= retry_backoff <= 3600:
            raise DFFInvalidOption('DFF.API: retry_backoff must be a number of seconds between 0.1 and 3600, got %r' % (retry_backoff,))
        meta['retryBackoff'] = float(retry_backoff)
    meta['isHidden'] = bool(is_hidden)
    if integration is not None:
        # Recorded (func-list shows and filters it), not acted on: integrations are not built.
        if not isinstance(integration, str) or integration.lower() not in _INTEGRATIONS:
            raise DFFInvalidOption('DFF.API: integration must be one of %s, got %r' % (', '.join(sorted(_INTEGRATIONS)), integration))
        meta['integration'] = _INTEGRATIONS[integration.lower()]
    return meta


# -- Responses -------------------------------------------------------------------------


class FuncResponse:
    """What DFF.RESP / RESP_FILE / REDIRECT return; the runner turns it into ``response``."""

    __slots__ = ('kind', 'data', 'status_code', 'content_type', 'headers', 'file_base64', 'download_name', 'url', 'allow_304')

    def __init__(self, kind, data=None, status_code=200, content_type=None, headers=None,
                 file_base64=None, download_name=None, url=None, allow_304=False):
        self.kind = kind
        self.data = data
        self.status_code = status_code
        self.content_type = content_type
        self.headers = headers
        self.file_base64 = file_base64
        self.download_name = download_name
        self.url = url
        self.allow_304 = allow_304

    def to_dict(self):
        d = {'kind': self.kind, 'statusCode': self.status_code}
        if self.kind in ('data', 'largeData') and self.data is not None and self.file_base64 is None:
            d['data'] = self.data
        if self.content_type is not None:
            d['contentType'] = self.content_type
        if self.headers:
            d['headers'] = self.headers  # checked and made text by _headers_arg
        if self.file_base64 is not None:
            d['fileBase64'] = self.file_base64
        if self.download_name is not None:
            d['downloadName'] = self.download_name
        if self.url is not None:
            d['url'] = self.url
        if self.allow_304:
            d['allow304'] = True
        return d

    def __repr__(self):
        return '<DFF response %s %s>' % (self.kind, self.status_code)


def _mimetypes():
    """mimetypes, imported when a response first needs it: it reads the system's type tables,
    ~5 ms of every runner's start otherwise."""
    import mimetypes
    return mimetypes


def _to_bytes(data):
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        return data.encode('utf-8')
    return encode_json(data).encode()


def _content_type(ct):
    """A full MIME type; DataFlux's short names (``html``, ``json``, ``txt``…) as their types."""
    if ct is None or not isinstance(ct, str) or '/' in ct:
        return ct
    guessed = _mimetypes().guess_type('x.' + ct.lstrip('.'))[0]
    if guessed is None:
        return 'application/octet-stream'
    return guessed + '; charset=utf-8' if guessed.startswith('text/') or guessed in ('application/json', 'application/xml') else guessed


def _headers_arg(where, headers):
    """A response's ``headers``: None or a dict of str names to str, int or float values (sent as
    their text); None, a bool or any other value is refused naming the header, not sent as "None"."""
    if headers is None:
        return None
    _dict_arg(where, 'headers', headers)
    out = {}
    for name, value in headers.items():
        if not isinstance(name, str):
            raise TypeError('%s: a header name must be a str, got %r' % (where, name))
        if type(value) is not str:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise TypeError('%s: header %r must be a str, int or float, got %s' % (where, name, type(value).__name__))
            value = str(value)
        out[name] = value
    return out


def make_resp(data=None, status_code=200, content_type=None, headers=None, allow_304=False, download_file=False, download=None):
    headers = _headers_arg('DFF.RESP', headers)
    if download is not None and not download_file:
        download_file = download
    status_code = 200 if status_code is None else status_code
    content_type = _content_type(content_type)
    if download_file:
        name = download_file if isinstance(download_file, str) else ('api-resp.json' if isinstance(data, (dict, list)) else 'api-resp.txt')
        return FuncResponse('file', None, status_code, content_type or _mimetypes().guess_type(name)[0] or 'application/octet-stream',
                            headers, base64.b64encode(_to_bytes(data)).decode('ascii'), name, allow_304=allow_304)
    if isinstance(data, (bytes, bytearray, memoryview)):
        # Binary body: carried base64 in fileBase64 (no download name = inline).
        return FuncResponse('data', None, status_code, content_type or 'application/octet-stream', headers,
                            base64.b64encode(bytes(data)).decode('ascii'), allow_304=allow_304)
    return FuncResponse('data', data, status_code, content_type, headers, allow_304=allow_304)


def make_resp_file(file_path, status_code=200, headers=None, allow_304=False, auto_delete=False, download_file=True, download=None):
    headers = _headers_arg('DFF.RESP_FILE', headers)
    if download is not None:
        download_file = download
    status_code = 200 if status_code is None else status_code
    path = os.fspath(file_path) if isinstance(file_path, os.PathLike) else file_path
    if not isinstance(path, str):
        raise TypeError('DFF.RESP_FILE: file_path must be a str, got %s' % type(file_path).__name__)
    if not os.path.isabs(path):
        # As DataFlux Func, a relative path is in the resources folder (DFF.RSRC's), never the
        # runner's working directory; one leading out of it is refused.
        path = dff_members.resource_path(path, 'DFF.RESP_FILE')
        if not os.path.isfile(path):
            raise FileNotFoundError('DFF.RESP_FILE: no such file in the resources folder: %r' % (file_path,))
    with open(path, 'rb') as f:
        content = f.read()
    if auto_delete:
        try:
            os.remove(path)
        except OSError:
            pass
    base = os.path.basename(path)
    if download_file is True:
        name = base
    elif isinstance(download_file, str) and download_file:
        name = download_file
    else:
        name = None
    content_type = _mimetypes().guess_type(name or base)[0] or 'application/octet-stream'
    if name is None:
        return FuncResponse('data', None, status_code, content_type, headers, base64.b64encode(content).decode('ascii'), allow_304=allow_304)
    return FuncResponse('file', None, status_code, content_type, headers,
                        base64.b64encode(content).decode('ascii'), name, allow_304=allow_304)


def make_redirect(url):
    if not isinstance(url, str):
        raise TypeError('DFF.REDIRECT: url must be a str, got %s' % type(url).__name__)
    if not url.strip():
        raise ValueError('DFF.REDIRECT: url must be a non-empty str, got %r' % (url,))
    return FuncResponse('redirect', None, 302, url=url)


# -- SIGN ------------------------------------------------------------------------------


def _b(s):
    if isinstance(s, bytes):
        return s
    if not isinstance(s, str):
        s = str(s)
    return s.encode('utf-8')


# hashlib, hmac, uuid and decimal are imported where they are used, not at the runner's start:
# hashlib alone loads OpenSSL (~6 ms), and the four take ~12 ms of every start, which most tasks
# never use. A Decimal can only exist once its module is imported (is_decimal).

def is_decimal(v):
    """Whether `v` is a decimal.Decimal, without importing decimal."""
    mod = sys.modules.get('decimal')
    return mod is not None and isinstance(v, mod.Decimal)


def hex_digest(name, s):
    """The hex digest of `s` (str encoded as UTF-8) by hashlib's `name` ('md5', 'sha1', …)."""
    import hashlib
    return getattr(hashlib, name)(_b(s)).hexdigest()


def new_uuid4():
    import uuid
    return uuid.uuid4()


def _hex_digest(name):
    """SIGN's `name(s)`: hex_digest by `name`."""
    def digest(s):
        return hex_digest(name, s)
    return staticmethod(digest)


def _hex_hmac(name):
    """SIGN's `hmac_name(secret, s)`: the hex HMAC of `s` with `secret` by hashlib's `name`."""
    def digest(secret, s):
        import hmac
        return hmac.new(_b(secret), _b(s), name).hexdigest()
    return staticmethod(digest)


class _Sign:
    md5 = _hex_digest('md5')
    sha1 = _hex_digest('sha1')
    sha256 = _hex_digest('sha256')
    sha512 = _hex_digest('sha512')
    hmac_sha1 = _hex_hmac('sha1')
    hmac_sha256 = _hex_hmac('sha256')

    @staticmethod
    def uuid4():
        return new_uuid4().hex


SIGN = _Sign()


# -- SQL -------------------------------------------------------------------------------

_SQL_ESCAPES = {'\0': '\\0', '\n': '\\n', '\r': '\\r', '\\': '\\\\', "'": "\\'", '"': '\\"', '\x1a': '\\Z'}
_SQL_TABLE = str.maketrans(_SQL_ESCAPES)


def sql_value(v, sep=', '):
    """A MySQL literal for a Python value; a list's items joined by ``sep`` (a list in it is a row:
    ``(a, b)``), a dict's ``name = value`` pairs too, as DataFlux Func's format_sql writes them."""
    if v is None:
        return 'NULL'
    if v is True:
        return 'TRUE'
    if v is False:
        return 'FALSE'
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise ValueError('DFF.SQL: cannot use %r as a value' % v)
        return repr(v)
    if is_decimal(v):
        return str(v)
    if isinstance(v, str):
        return "'" + v.translate(_SQL_TABLE) + "'"
    if isinstance(v, (bytes, bytearray)):
        return "X'" + bytes(v).hex() + "'"
    if isinstance(v, datetime.datetime):
        return "'" + v.isoformat(' ') + "'"
    if isinstance(v, (datetime.date, datetime.time)):
        return "'" + v.isoformat() + "'"
    if isinstance(v, (list, tuple, set, frozenset)):
        if not v:
            raise ValueError('DFF.SQL: cannot use an empty list as a value')
        return sep.join('(%s)' % sql_value(x) if isinstance(x, (list, tuple, set, frozenset)) else sql_value(x) for x in v)
    if isinstance(v, dict):
        return sep.join('%s = %s' % (sql_identifier(k), sql_value(x)) for k, x in v.items())
    raise TypeError('DFF.SQL: cannot use a value of type %s' % type(v).__name__)


def sql_identifier(name):
    """A back-quoted MySQL identifier; ``a.b`` becomes `a`.`b`; a list becomes a comma list."""
    if isinstance(name, (list, tuple)):
        return ', '.join(sql_identifier(n) for n in name)
    if not isinstance(name, str):
        raise TypeError('DFF.SQL: an identifier must be a string, got %s' % type(name).__name__)
    return '.'.join('`' + part.replace('`', '``') + '`' for part in name.split('.'))


def sql_format(sql, sql_params=None, pretty=False):
    """DataFlux Func's ``format_sql(sql, sql_params=None, pretty=False)``: ``?`` replaced with the
    escaped values of the list ``sql_params`` (one value that is no list or tuple is a list of it),
    ``??`` with quoted identifiers, in order; ``pretty`` puts each item of a list or dict value on
    its own line. The result is stripped, as DataFlux's."""
    if not isinstance(sql, str):
        raise TypeError('DFF.SQL: sql must be a str, got %s' % type(sql).__name__)
    if not isinstance(pretty, bool):
        # DFF.SQL(sql, a, b), Func's old form: the values go in one list now.
        raise TypeError('DFF.SQL: pretty must be a bool, got %s (the values go in one list: DFF.SQL(sql, [a, b]))'
                        % type(pretty).__name__)
    if sql_params is None or (isinstance(sql_params, (list, tuple)) and not sql_params):
        return sql.strip()
    args = list(sql_params) if isinstance(sql_params, (list, tuple)) else [sql_params]
    sep = ',\n  ' if pretty else ', '
    out = []
    i = 0
    used = 0
    find = sql.find
    while True:
        j = find('?', i)
        if j < 0:
            break
        out.append(sql[i:j])
        if used >= len(args):
            raise ValueError('DFF.SQL: more placeholders than parameters (%d given)' % len(args))
        if sql.startswith('??', j):
            out.append(sql_identifier(args[used]))
            i = j + 2
        else:
            out.append(sql_value(args[used], sep))
            i = j + 1
        used += 1
    if used != len(args):
        raise ValueError('DFF.SQL: %d parameters given for %d placeholders' % (len(args), used))
    out.append(sql[i:])
    return ''.join(out).strip()


# -- Stores ----------------------------------------------------------------------------


class _Store:
    """DFF.STORE: persistent key/value store (host member STORE). ``DFF.STORE(key)`` is ``get``."""

    __slots__ = ('_scope',)

    def __init__(self, scope):
        self._scope = scope

    def __call__(self, key, scope=None):
        return self.get(key, scope=scope)

    def _s(self, method, scope, args, member=None):
        """A host call of STORE: its key (``keys``: its pattern) and scope checked first."""
        where = 'DFF.STORE.' + (member or method)
        _str_arg(where, 'pattern' if method == 'keys' else 'key', args[0])
        return host_call('STORE', method, [_scope_arg(where, scope) or self._scope] + args)

    def set(self, key, value, expires=None, not_exists=False, expire=None, scope=None):
        """None, set or not (``not_exists``), as DataFlux Func's STORE.set answers."""
        if expires is None:
            expires = expire
        self._s('set', scope, [key, value, expires, bool(not_exists)])

    def mset(self, key_values, expires=None, not_exists=False, expire=None, scope=None):
        for key in _dict_arg('DFF.STORE.mset', 'key_values', key_values):  # all checked before the first is written
            _str_arg('DFF.STORE.mset', 'key', key)
        for key, value in key_values.items():
            self.set(key, value, expires=expires, not_exists=not_exists, expire=expire, scope=scope)

    def get(self, key, scope=None):
        return self._s('get', scope, [key])

    def mget(self, keys, scope=None):
        keys = _list(keys)
        for k in keys:
            _str_arg('DFF.STORE.mget', 'key', k)
        return {k: self.get(k, scope=scope) for k in keys}

    def getall(self, scope=None):
        return self.get_pattern('*', scope=scope)

    def get_pattern(self, pattern='*', scope=None):
        return {k: self.get(k, scope=scope) for k in self._s('keys', scope, [pattern], 'get_pattern')}

    def delete(self, key, scope=None):
        """None, there or not, as DataFlux Func's STORE.delete answers."""
        self._s('delete', scope, [key])

    def delete_pattern(self, pattern='*', scope=None):
        for k in self._s('keys', scope, [pattern], 'delete_pattern'):
            self.delete(k, scope=scope)

    def keys(self, pattern='*', scope=None):
        return self._s('keys', scope, [pattern])

    def __repr__(self):
        return '<DFF.STORE scope=%s>' % self._scope


def _list(v):
    return list(v) if isinstance(v, (list, tuple, set, frozenset)) else [v]


# The checks of STORE's and CACHE's arguments, made before anything is sent: Node would take a
# list as several keys, a pattern that is not a str as '*', a None field as the text "null".


def _str_arg(where, name, value):
    """A key, pattern or topic: a str."""
    if not isinstance(value, str):
        raise TypeError('%s: %s must be a str, got %s' % (where, name, type(value).__name__))
    return value


def _cache_key_arg(where, name, value):
    """A CACHE key: a str, or a number taken as its text (DataFlux Func formats its cache keys
    with str(), so DFF.CACHE.set(42, ...) and DFF.CACHE.get('42') are one key there too)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError('%s: %s must be a str (or a number, taken as its text), got %s' % (where, name, type(value).__name__))


def _scope_arg(where, scope):
    """``scope=``: None (the script's) or a str."""
    if scope is not None and not isinstance(scope, str):
        raise TypeError('%s: scope must be a str or None, got %s' % (where, type(scope).__name__))
    return scope


def _dict_arg(where, name, value):
    if not isinstance(value, dict):
        raise TypeError('%s: %s must be a dict, got %s' % (where, name, type(value).__name__))
    return value


def _field_arg(where, field, name='field'):
    """A hash field, set or sorted-set member: a str, or an int or float sent as its text (as redis-py
    sends them); None, a bool or anything else is refused, as redis-py refuses it."""
    if type(field) is str:
        return field
    if isinstance(field, str):
        return str(field)
    if isinstance(field, bool) or not isinstance(field, (int, float)):
        raise TypeError('%s: %s must be a str, int or float, got %s' % (where, name, type(field).__name__))
    return repr(field)


_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


def _int_arg(where, name, value):
    """An integer Redis takes (INCRBY's step, LRANGE's and LTRIM's start and stop): an int, not a
    bool (a whole float such as 2.0 is taken as its int), within Redis's 64 bits."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError('%s: %s must be an integer, got %r' % (where, name, value))
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise ValueError('%s: %s must be a 64-bit integer, got %r' % (where, name, value))
    return value


def _cache_value_arg(where, value, name='value'):
    """A value CACHE stores: a str, an int, a finite float, or data JSON writes (stored as its JSON
    text). Bytes and what JSON cannot write are refused naming the member and the type (DataFlux
    Func's redis-py refuses what it cannot store too), never sent as an obscure encoding error."""
    t = type(value)
    if t is str or t is int or (t is float and math.isfinite(value)):
        return value
    if not isinstance(value, (bytes, bytearray, memoryview)):
        try:
            encode_json(value)
            return value
        except (TypeError, ValueError, RecursionError):
            pass
    raise TypeError('%s: %s must be a str, int, float or data JSON can write, got %s' % (where, name, t.__name__))


def _cache_values(where, value):
    """lpush/rpush's ``value``: a list, tuple or set pushes each item, as DataFlux Func's."""
    values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    return [_cache_value_arg(where, v) for v in values]


# Host methods of CACHE whose first argument is a list of keys; that of ``keys`` is a pattern, of
# ``publish`` a topic, of every other one a key.
_CACHE_KEY_LISTS = frozenset(('delete', 'mget'))
_CACHE_FIRST = {'keys': 'pattern', 'publish': 'topic'}


class _Cache:
    """DFF.CACHE: Redis-like cache (host member CACHE). Every call sends [scope, key, ...]."""

    __slots__ = ('_scope',)

    def __init__(self, scope):
        self._scope = scope

    def _c(self, method, scope, args, member=None):
        """A host call of CACHE, its key(s) (a pattern, a topic) and scope checked first: a wrong
        one raises TypeError naming ``member`` (default: the host method) and the argument."""
        where = 'DFF.CACHE.' + (member or method)
        first = args[0]
        if method in _CACHE_KEY_LISTS:
            first = [_cache_key_arg(where, 'key', k) for k in first]
        elif method in _CACHE_FIRST:
            _str_arg(where, _CACHE_FIRST[method], first)
        else:
            first = _cache_key_arg(where, 'key', first)
        return host_call('CACHE', method, [_scope_arg(where, scope) or self._scope, first] + args[1:])

    def get(self, key, scope=None):
        return self._c('get', scope, [key])

    def set(self, key, value, expires=None, not_exists=False, exists=False, expire=None, scope=None):
        """True, or None when ``not_exists``/``exists`` kept it from being set (redis-py's answer)."""
        if expires is None:
            expires = expire
        value = _cache_value_arg('DFF.CACHE.set', value)
        if exists:
            return self._c('set', scope, [key, value, expires, False, True]) or None
        return self._c('set', scope, [key, value, expires, bool(not_exists)]) or None

    def getset(self, key, value, scope=None):
        return self._c('getset', scope, [key, _cache_value_arg('DFF.CACHE.getset', value)])

    def delete(self, key, scope=None):
        return self._c('delete', scope, [_list(key)])

    def incr(self, key, step=1, scope=None):
        return self._c('incr', scope, [key, _int_arg('DFF.CACHE.incr', 'step', step)])

    def incrby(self, key, step, scope=None):
        return self._c('incrby', scope, [key, _int_arg('DFF.CACHE.incrby', 'step', step)])

    def expire(self, key, expires=None, expire=None, scope=None):
        return self._c('expire', scope, [key, expires if expires is not None else expire])

    def ttl(self, key, scope=None):
        return self._c('ttl', scope, [key])

    def exists(self, key, scope=None):
        return bool(self._c('exists', scope, [key]))

    def keys(self, pattern='*', scope=None):
        return self._c('keys', scope, [pattern])

    def hget(self, key, field, scope=None):
        return self._c('hget', scope, [key, _field_arg('DFF.CACHE.hget', field)])

    def hset(self, key, field, value, not_exists=False, scope=None):
        """``not_exists``: HSETNX (only a field not set yet), as DataFlux Func's; hsetnx's path."""
        value = _cache_value_arg('DFF.CACHE.hset', value)
        if not_exists:
            return self._c('hset', scope, [key, _field_arg('DFF.CACHE.hset', field), value, True])
        return self._c('hset', scope, [key, _field_arg('DFF.CACHE.hset', field), value])

    def hmget(self, key, fields, scope=None):
        """{field: value} (None for a field not set), as DataFlux Func's."""
        fields = [_field_arg('DFF.CACHE.hmget', f) for f in _list(fields)]
        if not fields:
            return {}
        return dict(zip(fields, self._c('hmget', scope, [key, fields])))

    def hmset(self, key, field_values, scope=None):
        """True; False for no fields (nothing written), as DataFlux Func's."""
        field_values = _dict_arg('DFF.CACHE.hmset', 'field_values', field_values)
        if not field_values:
            return False
        return self._c('hmset', scope, [key, {_field_arg('DFF.CACHE.hmset', f): _cache_value_arg('DFF.CACHE.hmset', v)
                                              for f, v in field_values.items()}])

    def hgetall(self, key, scope=None):
        return self._c('hgetall', scope, [key])

    def hdel(self, key, fields=None, scope=None, field=None):
        if fields is None:
            fields = field
        return self._c('hdel', scope, [key, [_field_arg('DFF.CACHE.hdel', f) for f in _list(fields)]])

    def lpush(self, key, value, scope=None):
        values = _cache_values('DFF.CACHE.lpush', value)
        return self._c('lpush', scope, [key] + values) if values else 0

    def rpush(self, key, value, scope=None):
        values = _cache_values('DFF.CACHE.rpush', value)
        return self._c('rpush', scope, [key] + values) if values else 0

    def lpop(self, key, scope=None):
        return self._c('lpop', scope, [key])

    def rpop(self, key, scope=None):
        return self._c('rpop', scope, [key])

    def llen(self, key, scope=None):
        return self._c('llen', scope, [key])

    def lrange(self, key, start=0, stop=-1, scope=None):
        return self._c('lrange', scope, [key, _int_arg('DFF.CACHE.lrange', 'start', start), _int_arg('DFF.CACHE.lrange', 'stop', stop)])

    def __call__(self, key, scope=None):
        return self.get(key, scope=scope)

    def ping(self):
        return True

    def dbsize(self, scope=None):
        return len(self.keys('*', scope=scope))

    def type(self, key, scope=None):
        """'string', 'list', 'hash', 'set', 'zset'; None for no such key (redis-py's 'none'), as DataFlux Func's."""
        t = self._c('type', scope, [key])
        return None if t == 'none' else t

    def expireat(self, key, timestamp, scope=None):
        return self._c('expireat', scope, [key, timestamp])

    def pttl(self, key, scope=None):
        return self._c('pttl', scope, [key])

    def mset(self, key_values, scope=None):
        for k in _dict_arg('DFF.CACHE.mset', 'key_values', key_values):  # all checked before the first is written
            _cache_key_arg('DFF.CACHE.mset', 'key', k)
        for v in key_values.values():
            _cache_value_arg('DFF.CACHE.mset', v)
        for k, v in key_values.items():
            self.set(k, v, scope=scope)
        return bool(key_values)  # False for none, as DataFlux Func's

    def mget(self, keys, scope=None):
        keys = _list(keys)
        return dict(zip(keys, self._c('mget', scope, [keys])))

    def hkeys(self, key, pattern='*', with_values=False, scope=None):
        _str_arg('DFF.CACHE.hkeys', 'pattern', pattern)
        h = self._c('hgetall', scope, [key], 'hkeys') or {}
        if with_values:
            return {f: v for f, v in h.items() if fnmatch.fnmatchcase(f, pattern)}
        return [f for f in h if fnmatch.fnmatchcase(f, pattern)]

    def hsetnx(self, key, field, value, scope=None):
        return self._c('hset', scope, [key, _field_arg('DFF.CACHE.hsetnx', field), _cache_value_arg('DFF.CACHE.hsetnx', value), True], 'hsetnx')

    def hincr(self, key, field, step=1, scope=None):
        return self._c('hincrby', scope, [key, _field_arg('DFF.CACHE.hincr', field), _int_arg('DFF.CACHE.hincr', 'step', step)], 'hincr')

    def hincrby(self, key, field, step, scope=None):
        return self._c('hincrby', scope, [key, _field_arg('DFF.CACHE.hincrby', field), _int_arg('DFF.CACHE.hincrby', 'step', step)])

    def ltrim(self, key, start, stop, scope=None):
        return self._c('ltrim', scope, [key, _int_arg('DFF.CACHE.ltrim', 'start', start), _int_arg('DFF.CACHE.ltrim', 'stop', stop)])

    def blpop(self, key, timeout=0, scope=None):
        return self._c('blpop', scope, [key, timeout])

    def brpop(self, key, timeout=0, scope=None):
        return self._c('brpop', scope, [key, timeout])

    def _dest(self, where, key, dest_key, scope, dest_scope):
        if dest_key is not None:
            dest_key = _cache_key_arg(where, 'dest_key', dest_key)
        return [key, dest_key or key, _scope_arg(where, dest_scope) or _scope_arg(where, scope) or self._scope]

    def rpoplpush(self, key, dest_key=None, scope=None, dest_scope=None):
        return self._c('rpoplpush', scope, self._dest('DFF.CACHE.rpoplpush', key, dest_key, scope, dest_scope))

    def brpoplpush(self, key, dest_key=None, timeout=0, scope=None, dest_scope=None):
        return self._c('brpoplpush', scope, self._dest('DFF.CACHE.brpoplpush', key, dest_key, scope, dest_scope) + [timeout])

    def push(self, *args, **kwargs):
        return self.lpush(*args, **kwargs)

    def pop(self, *args, **kwargs):
        return self.rpop(*args, **kwargs)

    def bpop(self, *args, **kwargs):
        return self.brpop(*args, **kwargs)

    def sadd(self, key, member, scope=None):
        return self._c('sadd', scope, [key, [_field_arg('DFF.CACHE.sadd', m, 'member') for m in _list(member)]])

    def srem(self, key, member, scope=None):
        return self._c('srem', scope, [key, [_field_arg('DFF.CACHE.srem', m, 'member') for m in _list(member)]])

    def scard(self, key, scope=None):
        return self._c('scard', scope, [key])

    def smembers(self, key, scope=None):
        return list(self._c('smembers', scope, [key]))  # a list, as DataFlux Func's

    def sismember(self, key, member, scope=None):
        return bool(self._c('sismember', scope, [key, _field_arg('DFF.CACHE.sismember', member, 'member')]))

    def zadd(self, key, member_scores, scope=None):
        where = 'DFF.CACHE.zadd'
        scores = {}
        for m, sc in _dict_arg(where, 'member_scores', member_scores).items():
            m = _field_arg(where, m, 'member')
            if isinstance(sc, bool) or not isinstance(sc, (int, float, str)):
                raise TypeError('%s: the score of %r must be a number, got %s' % (where, m, type(sc).__name__))
            try:
                score = float(sc)
            except (ValueError, OverflowError):  # text that is no number; an int past a float's range
                score = math.nan
            if not math.isfinite(score):
                raise ValueError('%s: the score of %r must be a finite number, got %r' % (where, m, sc))
            scores[m] = score
        return self._c('zadd', scope, [key, scores])

    def zrem(self, key, member, scope=None):
        return self._c('zrem', scope, [key, [_field_arg('DFF.CACHE.zrem', m, 'member') for m in _list(member)]])

    def zcard(self, key, scope=None):
        return self._c('zcard', scope, [key])

    def zrange(self, key, start=0, stop=-1, with_scores=False, scope=None):
        out = self._c('zrange', scope, [key, _int_arg('DFF.CACHE.zrange', 'start', start), _int_arg('DFF.CACHE.zrange', 'stop', stop)])
        return [[m, sc] for m, sc in out] if with_scores else [m for m, _ in out]  # [member, score] lists, as DataFlux Func's

    def zrangebyscore(self, key, min_score='-inf', max_score='+inf', with_scores=False, scope=None):
        out = self._c('zrangebyscore', scope, [key, str(min_score), str(max_score)])
        return [[m, sc] for m, sc in out] if with_scores else [m for m, _ in out]

    def publish(self, topic, message, scope=None):
        return self._c('publish', scope, [topic, _cache_value_arg('DFF.CACHE.publish', message, 'message')])

    def get_pattern(self, pattern='*', scope=None):
        keys = self._c('keys', scope, [pattern], 'get_pattern')
        return self.mget(keys, scope=scope) if keys else {}

    def delete_pattern(self, pattern='*', scope=None):
        keys = self._c('keys', scope, [pattern], 'delete_pattern')
        return self._c('delete', scope, [keys]) if keys else 0

    def run(self, cmd, key, *args, **kwargs):
        """A command by name (lower case, as the methods above): ``DFF.CACHE.run('get', 'k')``."""
        scope = kwargs.pop('scope', None)
        name = str(cmd).lower()
        method = getattr(self, name, None)
        if name.startswith('_') or name in ('run', 'ping', 'dbsize') or not callable(method):
            raise ValueError('DFF.CACHE.run: unknown command %r' % (cmd,))
        return method(key, *args, scope=scope, **kwargs)

    def __repr__(self):
        return '<DFF.CACHE scope=%s>' % self._scope


class TaskContextStore(dict):
    """DFF.CTX: a dict living for one task. ``DFF.CTX(key)`` is ``get``."""

    def __call__(self, key, default=None):
        return dict.get(self, key, default)

    def get(self, key, default=None):
        return dict.get(self, key, default)

    def get_all(self):
        return dict(self)

    def set(self, key, value):
        self[key] = value

    def has(self, key):
        return key in self

    def delete(self, key):
        return self.pop(key, None)


import dff_members  # noqa: E402 - it uses the helpers above


class DFF:
    """The object user scripts see as ``DFF`` (one per script module). Every member also answers
    to its lower-case name (``DFF.api``, ``DFF.log``), as in DataFlux Func; an unknown member
    raises AttributeError naming it and listing those that exist (docs/script-api.md)."""

    __slots__ = ('script_id', 'STORE', 'CACHE', 'apis')

    SIGN = dff_members.SignHelper()
    RESP = staticmethod(make_resp)
    RESP_FILE = staticmethod(make_resp_file)
    RESP_LARGE_DATA = staticmethod(dff_members.make_resp_large_data)
    REDIRECT = staticmethod(make_redirect)
    SQL = staticmethod(sql_format)
    VAR = dff_members.VAR
    EVAL = staticmethod(dff_members.dff_eval)
    EXEC = staticmethod(dff_members.dff_exec)
    ENV = dff_members.EnvHelper()
    CONFIG = dff_members.ConfigHelper()
    CONN = dff_members.ConnHelper()
    SRC = CONN  # DataFlux's old name
    RSRC = staticmethod(dff_members.get_resource_path)
    THREAD = dff_members.THREAD
    SYNC_API = dff_members.SYNC_API
    ASYNC_API = dff_members.ASYNC_API
    CRON_JOB = dff_members.CRON_JOB
    AUTH_LINK = dff_members.SYNC_API  # DataFlux's old names
    BATCH = dff_members.ASYNC_API
    CRONTAB_CONFIG = dff_members.CRON_JOB
    TOOLKIT = dff_members.TOOLKIT

    def __init__(self, script_id):
        self.script_id = script_id
        self.STORE = _Store(script_id)
        self.CACHE = _Cache(script_id)
        self.apis = []  # (func, meta, (file, line) where applied), in the order applied

    def API(self, title=None, category='general', tags=None, timeout=None, api_timeout=None, expires=None,
            cache_result=None, queue=None, fixed_cron_expr=None, is_hidden=False, retry=None, retry_backoff=None,
            fixed_crontab=None, delayed_cron_job=None, delayed_crontab=None, integration=None, integration_config=None,
            **unknown):
        # self.apis holds (func, meta, (file, line) where applied): publish refuses what
        # is no function of the script, or one decorated twice, at that line (func_runner_core.py).
        # DataFlux Func's options are all taken (fixed_crontab is fixed_cron_expr's old name; the
        # delayed cron jobs and integrations are not built, docs/script-api.md); any other is a
        # mistake DataFlux Func refuses too (a misspelt timeout would be lost silently).
        if unknown:
            raise DFFInvalidOption('DFF.API: unknown option%s %s; the options are %s' % (
                's' if len(unknown) > 1 else '', ', '.join(sorted(unknown)), ', '.join(_API_OPTIONS)))
        if fixed_cron_expr is None:
            fixed_cron_expr = fixed_crontab
        if callable(title) and not isinstance(title, str):  # bare @DFF.API
            func = title
            f = sys._getframe(1)
            self.apis.append((func, api_meta(None, 'general', None, None, None, None, None, None, None, False),
                              (f.f_code.co_filename, f.f_lineno)))
            return func
        meta = api_meta(title, category, tags, timeout, api_timeout, expires, cache_result, queue, fixed_cron_expr, is_hidden,
                        retry, retry_backoff, integration)

        def decorator(func):
            f = sys._getframe(1)
            self.apis.append((func, meta, (f.f_code.co_filename, f.f_lineno)))
            return func
        return decorator

    @staticmethod
    def LOG(*args, sep=' ', **_kwargs):
        if len(args) == 1 and type(args[0]) is str:
            text = args[0]
        else:
            text = (sep if isinstance(sep, str) else ' ').join(str(a) for a in args)
        for line in text.split('\n'):
            add_line(line)

    @property
    def CTX(self):
        ts = owner()
        if ts is None or ts is not state.task:
            return TaskContextStore()
        if ts.ctx is None:
            ts.ctx = TaskContextStore()
        return ts.ctx

    @staticmethod
    def FUNC(func_id, kwargs=None, queue=None, timeout=None, expires=None):
        return host_call('FUNC', 'call', [func_id, call_kwargs(kwargs), call_options(queue, timeout, expires)])

    @staticmethod
    def BLUEPRINT(blueprint_id, kwargs=None, queue=None):
        # DataFlux's: a deployed blueprint's function (`_bp_<id>__main.run`, docs/blueprints.md) as a new task.
        if not isinstance(blueprint_id, str) or blueprint_id == '':
            raise TypeError('DFF.BLUEPRINT: blueprint_id must be a non-empty str, not %r' % (blueprint_id,))
        return host_call('FUNC', 'call', ['_bp_%s__main.run' % blueprint_id, call_kwargs(kwargs), call_options(queue, None, None)])

    def __getattr__(self, name):
        # Only called when the normal lookup failed: lower-case aliases, members Func does not
        # build (they fail when used, saying why), else an AttributeError naming the member.
        upper = name.upper()
        if upper != name and upper in MEMBERS:
            return getattr(self, upper)
        unavailable = dff_members.UNAVAILABLE_OBJECTS.get(upper)
        if unavailable is not None:
            return unavailable
        raise AttributeError('DFF has no member %r. Members: %s' % (name, ', '.join(sorted(MEMBERS))))

    def __dir__(self):
        return sorted(MEMBERS)

    def __repr__(self):
        return '<DFF of %s>' % self.script_id


MEMBERS = frozenset([
    'API', 'LOG', 'VAR', 'EVAL', 'EXEC', 'CTX', 'ENV', 'CONFIG', 'STORE', 'CACHE', 'SQL', 'RSRC', 'SIGN',
    'RESP', 'RESP_FILE', 'RESP_LARGE_DATA', 'REDIRECT', 'FUNC', 'BLUEPRINT', 'THREAD', 'SYNC_API', 'ASYNC_API', 'CRON_JOB',
    'AUTH_LINK', 'BATCH', 'CRONTAB_CONFIG', 'TOOLKIT', 'CONN', 'SRC',
] + list(dff_members.UNAVAILABLE))
