"""DFF members beyond the core of dff.py: THREAD, TOOLKIT, CONFIG, RSRC, CONN, the entity helpers
(SYNC_API, ASYNC_API, CRON_JOB and their old names), RESP_LARGE_DATA, VAR, EVAL/EXEC and the
members Func does not build (each fails with a message saying why).

Host calls used here (see dff.py for the others):

  SIGN    sign    [values...]                              -> md5 hex (keyed by Func's secret)
  CONFIG  query   []                                       -> {CUSTOM_*: value}
  ENTITY  get     [kind, id]                               -> row or None
          query   [kind, fields, filters]                  -> rows
          call    [kind, id, kwargs, {queue?, timeout?, expires?}] -> task id
  CONN    type    [connectorId]                            -> its type (mysql, redis, ...)
          run     [connectorId, database|None, command, args, kwargs] -> the command's JSON result
"""

import base64
import datetime
import fnmatch
import json
import os
import sys

import dff
from protocol import HostCallError, json_default


def _futures():
    """concurrent.futures (and the logging it imports), on DFF.THREAD's first use: ~10 ms of every
    runner's start otherwise."""
    import concurrent.futures
    return concurrent.futures


# -- RESP_LARGE_DATA ------------------------------------------------------------------------

def _json_default(v):
    if isinstance(v, datetime.datetime):
        return json_default(v)  # as a plain return writes it (protocol.py)
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if dff.is_decimal(v):
        return float(v)
    if isinstance(v, (set, frozenset, tuple)):
        return list(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode('utf-8', 'replace')
    return repr(v)


_LARGE_TYPES = {'json': 'application/json; charset=utf-8', 'txt': 'text/plain; charset=utf-8',
                'text': 'text/plain; charset=utf-8', 'csv': 'text/csv; charset=utf-8',
                'html': 'text/html; charset=utf-8', 'xml': 'application/xml; charset=utf-8'}


def make_resp_large_data(data, content_type=None):
    """A large result answered as one body: serialised once here and carried as one string, so
    neither Node nor the caller's server parses it into objects (DataFlux writes it to a file)."""
    if not content_type:
        content_type = 'json' if isinstance(data, (dict, list, tuple)) else 'txt'
    if not isinstance(data, str):
        data = json.dumps(data, ensure_ascii=False, separators=(',', ':'), default=_json_default, allow_nan=False)
    ct = _LARGE_TYPES.get(content_type.lower()) if isinstance(content_type, str) else None
    if ct is None:
        ct = content_type if isinstance(content_type, str) and '/' in content_type else 'application/octet-stream'
    return dff.FuncResponse('largeData', data, 200, ct)


# -- VAR, EVAL, EXEC --------------------------------------------------------------------------


def _obj_size(v, seen=None):
    if seen is None:
        seen = set()
    if id(v) in seen:
        return 0
    seen.add(id(v))
    size = sys.getsizeof(v)
    if isinstance(v, dict):
        size += sum(_obj_size(k, seen) + _obj_size(x, seen) for k, x in v.items())
    elif isinstance(v, (list, tuple, set, frozenset)):
        size += sum(_obj_size(x, seen) for x in v)
    return size


class VarHelper:
    """DFF.VAR(*values, **named): logs each value with its type and size (as DataFlux does).
    Read as a mapping it is empty (``DFF.VAR.get(name, default)`` answers the default)."""

    def __call__(self, *args, **kwargs):
        for v in args:
            dff.DFF.LOG('[VAR] type=`%s`, value=`%s`, obj_size=`%d`' % (type(v), v, _obj_size(v)))
        for name, v in kwargs.items():
            dff.DFF.LOG('[VAR] %s: type=`%s`, value=`%s`, obj_size=`%d`' % (name, type(v), v, _obj_size(v)))

    def get(self, _name, default=None):
        return default

    def __getitem__(self, name):
        raise KeyError(name)

    def __contains__(self, _name):
        return False

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def keys(self):
        return []

    def __repr__(self):
        return '<DFF.VAR>'


VAR = VarHelper()


def dff_eval(*args, **kwargs):
    return eval(*args, **kwargs)  # noqa: S307 - DataFlux's DFF.EVAL: the script author's own code


def dff_exec(*args, **kwargs):
    return exec(*args, **kwargs)  # noqa: S102


# -- ENV, SIGN, RSRC, CONFIG ------------------------------------------------------------------


class EnvHelper:
    """DFF.ENV(name, default=None) / DFF.ENV.get(name, default=None): an env variable, cast by its
    type (``default`` when there is no such variable); DFF.ENV.keys()."""

    def __call__(self, name, default=None):
        return self.get(name, default)

    def get(self, name, default=None):
        # None: no such variable (one that exists answers {value, password}, its value even None).
        entry = dff.host_call('ENV', 'read', [name])
        if entry is None:
            return default
        value = entry['value']
        if entry.get('password') and isinstance(value, str):
            dff.mask_in_logs(value)
        return value

    def keys(self):
        return dff.host_call('ENV', 'keys', [])

    def __repr__(self):
        return '<DFF.ENV>'


class SignHelper(dff._Sign):
    """DFF.SIGN(*values): md5 of the values keyed by Func's secret (same inputs, same answer, in
    every process of the installation); DFF.SIGN.md5/sha1/sha256/sha512/hmac_*/uuid4 helpers."""

    def __call__(self, *args):
        return dff.host_call('SIGN', 'sign', [str(a) for a in args])

    def __repr__(self):
        return '<DFF.SIGN>'


_RESOURCES_DIR = None


def set_resources_dir(path):
    """The runner's --resources-dir, set by its start (func_runner_core.main) before any user code."""
    global _RESOURCES_DIR
    _RESOURCES_DIR = path


def resource_root(where='DFF.RSRC'):
    if not _RESOURCES_DIR:
        raise RuntimeError('%s: this runner was started without a resources folder (--resources-dir)' % where)
    return os.path.realpath(_RESOURCES_DIR)


def resource_path(file_path, where):
    """The absolute path of ``file_path`` inside the resources folder, for the member ``where``
    (DFF.RSRC, DFF.RESP_FILE's relative paths). A path leading outside it (``..``, a symlink out)
    is refused naming the member."""
    root = resource_root(where)
    full = os.path.realpath(os.path.join(root, file_path.lstrip('/')))
    if full != root and not full.startswith(root + os.sep):
        raise ValueError('%s: %r is outside the resources folder' % (where, file_path))
    return full


def get_resource_path(file_path=''):
    """DFF.RSRC(path): the absolute path of ``path`` inside the resources folder (FUNC_HOME/resources).
    A path leading outside it (``..``, a symlink out) is refused."""
    if not isinstance(file_path, str):
        raise TypeError('DFF.RSRC: the path must be a string, got %s' % type(file_path).__name__)
    return resource_path(file_path, 'DFF.RSRC')


class ConfigHelper:
    """DFF.CONFIG(key, default) / .get / .query: the installation's custom settings
    (``FUNC_CUSTOM_<NAME>`` in Func's environment, read as ``CUSTOM_<NAME>``). Func's other settings
    are not shown to scripts (they hold the secret and database URLs)."""

    def __call__(self, key, default=None, unmask=False):
        return self.get(key, default, unmask)

    def _all(self):
        return dff.host_call('CONFIG', 'query', [])

    def get(self, key, default=None, unmask=False):
        return self._all().get(key, default)

    def query(self, all_configs=False, unmask=False, list_output=False):
        res = self._all()
        if list_output:
            return [{'key': k, 'value': v} for k, v in res.items()]
        return res

    def __repr__(self):
        return '<DFF.CONFIG>'


# -- THREAD ---------------------------------------------------------------------------------


class FuncThreadResult:
    __slots__ = ('key', 'value', 'error')

    def __init__(self, key, value, error=None):
        self.key = key
        self.value = value
        self.error = error

    def __repr__(self):
        return '<FuncThreadResult %s %s>' % (self.key, 'error' if self.error is not None else 'ok')


DEFAULT_POOL_SIZE = 5


class ThreadHelper:
    """DFF.THREAD: a thread pool for concurrent I/O inside one task. Work submitted runs for the
    submitting task (its prints, DFF.LOG and host calls count for it); the pool and its results
    belong to that task: the next task starts with none."""

    def __init__(self):
        self._task = None
        self._pool = None
        self._size = None
        self._results = {}

    def _mine(self):
        ts = dff.owner()
        if ts is None:
            raise RuntimeError('DFF.THREAD is only available while its task runs')
        if self._task is not ts:  # a new task: forget the previous task's pool and results
            old = self._pool
            self._task, self._pool, self._size, self._results = ts, None, None, {}
            if old is not None:
                old.shutdown(wait=False)
        return self

    @property
    def pool_size(self):
        me = self._mine()
        return me._size or DEFAULT_POOL_SIZE

    @property
    def is_all_finished(self):
        me = self._mine()
        return all(f.done() for f in me._results.values())

    def set_pool_size(self, pool_size):
        me = self._mine()
        if me._pool is not None:
            dff.DFF.LOG('[THREAD POOL] The pool is already created: its size stays %d' % me._size)
            return
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size <= 0:
            raise ValueError('DFF.THREAD.set_pool_size: pool_size must be an integer greater than 0, got %r' % (pool_size,))
        me._size = pool_size

    def create_pool(self):
        me = self._mine()
        if me._pool is not None:
            return
        me._size = me._size or DEFAULT_POOL_SIZE
        if not dff._executor_patched:
            dff.patch_thread_pool()
        me._pool = _futures().ThreadPoolExecutor(max_workers=me._size, thread_name_prefix='DFF.THREAD')

    def submit(self, fn, *args, **kwargs):
        me = self._mine()
        if not callable(fn):
            raise TypeError('DFF.THREAD.submit: %r is not callable' % (fn,))
        me.create_pool()
        key = 'thread-result-' + dff.new_uuid4().hex[:16]
        me._results[key] = me._pool.submit(fn, *args, **kwargs)
        return key

    @staticmethod
    def _collect(key, future):
        try:
            return FuncThreadResult(key, future.result())
        except BaseException as e:  # noqa: BLE001 - the work item's error is its result
            return FuncThreadResult(key, None, e)

    def get_result(self, key, wait=True):
        me = self._mine()
        future = me._results.get(str(key))
        if future is None or (not wait and not future.done()):
            return None
        return me._collect(str(key), future)

    def get_all_results(self, wait=True):
        me = self._mine()
        out = []
        for key, future in list(me._results.items()):
            if wait or future.done():
                out.append(me._collect(key, future))
        return out

    def pop_result(self, wait=True):
        """The next finished result (removed from the pool's results), waiting for one if none
        is finished yet; None when nothing is left (or nothing finished and ``wait`` is False)."""
        me = self._mine()
        if not me._results:
            return None
        done = [k for k, f in me._results.items() if f.done()]
        if not done:
            if not wait:
                return None
            _futures().wait(list(me._results.values()), return_when=_futures().FIRST_COMPLETED)
            done = [k for k, f in me._results.items() if f.done()]
        key = done[0]
        return me._collect(key, me._results.pop(key))

    def wait_all_finished(self):
        me = self._mine()
        _futures().wait(list(me._results.values()))

    def __repr__(self):
        return '<DFF.THREAD>'


THREAD = ThreadHelper()


# -- SYNC_API, ASYNC_API, CRON_JOB -----------------------------------------------------------------

class EntityHelper:
    """DFF.SYNC_API / ASYNC_API / CRON_JOB (old names AUTH_LINK / BATCH / CRONTAB_CONFIG): read the
    entity (the one that triggered this task when no id is given) and call it (a new task)."""

    def __init__(self, kind, label):
        self._kind = kind
        self._label = label

    def __call__(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def resolve_entity_id(self, entity_id=None):
        if entity_id:
            return entity_id
        ts = dff.owner()
        task = ts.task if ts is not None else None
        if task and task.get('origin') == self._kind:
            return task.get('originId')
        return None

    def get(self, entity_id=None):
        eid = self.resolve_entity_id(entity_id)
        if not eid:
            return None
        return dff.host_call('ENTITY', 'get', [self._kind, eid])

    def query(self, fields=None, filters=None):
        if isinstance(fields, str):
            fields = [fields]
        if fields is not None:
            fields = list(fields)
        if filters is not None and not isinstance(filters, dict):
            raise TypeError('DFF.%s.query: filters must be a dict {field: {op: value}}' % self._label)
        return dff.host_call('ENTITY', 'query', [self._kind, fields, filters])

    def call(self, entity_id, kwargs=None, trigger_time=None, queue=None, timeout=None, expires=None):
        where = 'DFF.%s.call' % self._label
        return dff.host_call('ENTITY', 'call', [self._kind, entity_id, dff.call_kwargs(kwargs, where), dff.call_options(queue, timeout, expires, where)])

    def save(self, *_args, **_kwargs):
        raise NotImplementedError('DFF.%s.save: not built in Func: scripts do not write entities directly '
                                  '(use the admin API: /api/v1/…/do/add or /do/modify)' % self._label)

    def __repr__(self):
        return '<DFF.%s>' % self._label


class CronJobHelper(EntityHelper):
    _REMAP = {'crontab': 'cronExpr'}

    def __init__(self):
        super().__init__('cronJob', 'CRON_JOB')

    def query(self, fields=None, filters=None):
        if isinstance(fields, str):
            fields = [fields]
        if fields is not None:
            fields = [self._REMAP.get(f, f) for f in fields]
        if isinstance(filters, dict):
            filters = {self._REMAP.get(k, k): v for k, v in filters.items()}
        return super().query(fields, filters)

    def _override(self, method, entity_id, *args):
        eid = self.resolve_entity_id(entity_id)
        if not eid:
            return None  # as DataFlux Func: no id and not run by a cron job, nothing to do
        answer = dff.host_call('ENTITY', method, [self._kind, eid] + list(args))
        if isinstance(answer, dict) and answer.get('error'):
            raise ValueError(answer['error'])
        return answer

    @staticmethod
    def _seconds(name, value):
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError('DFF.CRON_JOB.%s: expires must be a number of seconds, got %r' % (name, value))
        if value != value or value in (float('inf'), float('-inf')):
            raise ValueError('DFF.CRON_JOB.%s: expires must be a finite number of seconds, got %r' % (name, value))
        return value

    def get_cron_expr(self, entity_id=None):
        """The dynamic expression a script set on this cron job, unless it expired; else None
        (as DataFlux Func; the expression the job runs by is ``get()['effectiveCronExpr']``)."""
        return self._override('getCronExpr', entity_id)

    def set_cron_expr(self, cron_expr, expires=None, entity_id=None):
        """Runs this cron job by ``cron_expr`` (winning over fixed_cron_expr and its own expression)
        for ``expires`` seconds, or until cleared. A bad expression raises ValueError, nothing stored."""
        if expires is not None:
            self._seconds('set_cron_expr', expires)
        self._override('setCronExpr', entity_id, cron_expr, expires)

    def get_all_cron_expr(self):
        """``{cron job id: dynamic expression}`` of those not expired."""
        return dff.host_call('ENTITY', 'getAllCronExpr', [self._kind])

    def clear_cron_expr(self, entity_id=None):
        """Back to fixed_cron_expr or the job's own expression."""
        self._override('clearCronExpr', entity_id)

    def pause(self, expires, entity_id=None):
        """The job does not fire for ``expires`` seconds (required: a pause always ends)."""
        self._override('pause', entity_id, self._seconds('pause', expires))

    # DataFlux's old names
    get_crontab = get_temp_crontab = get_cron_expr
    set_crontab = set_temp_crontab = set_cron_expr
    get_all_crontab = get_all_temp_crontab = get_all_cron_expr
    clear_crontab = clear_temp_crontab = clear_cron_expr


SYNC_API = EntityHelper('syncAPI', 'SYNC_API')
ASYNC_API = EntityHelper('asyncAPI', 'ASYNC_API')
CRON_JOB = CronJobHelper()


# -- TOOLKIT ----------------------------------------------------------------------------------


def _as_array(v):
    if v is None:
        return []
    return list(v) if isinstance(v, (list, tuple, set, frozenset)) else [v]


def _json_find(j, path, safe=False):
    cur = j
    for part in str(path).split('.'):
        try:
            cur = cur[int(part)] if isinstance(cur, list) else cur[part]
        except (KeyError, IndexError, ValueError, TypeError):
            if safe:
                return None
            raise KeyError('json_find: no %r in the path %r' % (part, path))
    return cur


def _to_boolean(v, default=False):
    if isinstance(v, bool):
        return v
    if v is None:
        return default
    s = str(v).strip().lower()
    if s in ('true', '1', 'yes', 'y', 'on', 'o'):
        return True
    if s in ('false', '0', 'no', 'n', 'off', 'x', ''):
        return False
    return default


def _ts(dt=None):
    if dt is None:
        return datetime.datetime.now(datetime.timezone.utc)
    if isinstance(dt, (int, float)):
        return datetime.datetime.fromtimestamp(dt, datetime.timezone.utc)
    if isinstance(dt, str):
        return datetime.datetime.fromisoformat(dt.replace('Z', '+00:00'))
    return dt


_LETTERS_DIGITS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'  # string.ascii_letters + digits


def _rand_string(length, chars):
    import random
    return ''.join(random.SystemRandom().choice(chars) for _ in range(length))


def _no_nan(v):
    """``v`` with its NaN and infinite floats as None (tuples as lists)."""
    if isinstance(v, dict):
        return {k: _no_nan(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_no_nan(x) for x in v]
    if isinstance(v, float) and v - v != 0:
        return None
    return v


def toolkit_json_dumps(j, ignore_nothing=False, keep_none=False, **kwargs):
    """DataFlux Func's toolkit.json_dumps: compact (``{"a":1}``; ``indent`` as given), non-ASCII
    and ``/`` escaped (``\\u4e2d``, ``\\/``: ujson's defaults there, ``ensure_ascii`` and
    ``escape_forward_slashes`` to change them), NaN and infinities as null, ``keep_none``: None
    answers None, ``ignore_nothing``: a dict without its None and blank text values."""
    if j is None and keep_none:
        return None
    if ignore_nothing and isinstance(j, dict):
        j = {k: v for k, v in j.items() if not (v is None or (isinstance(v, str) and not v.strip()))}
    escape_slashes = kwargs.pop('escape_forward_slashes', True)
    kwargs.setdefault('ensure_ascii', True)
    if not kwargs.get('indent'):
        kwargs.pop('indent', None)
        kwargs.setdefault('separators', (',', ':'))
    kwargs.setdefault('default', _json_default)
    try:
        text = json.dumps(j, allow_nan=False, **kwargs)
    except ValueError:  # a NaN or an infinity
        text = json.dumps(_no_nan(j), allow_nan=False, **kwargs)
    # '/' appears only inside strings of JSON text: escaping every one is what ujson does.
    return text.replace('/', '\\/') if escape_slashes else text


class Toolkit:
    """DFF.TOOLKIT: DataFlux's helper functions that need only the standard library."""

    gen_uuid = staticmethod(lambda: str(dff.new_uuid4()))
    json_dumps = staticmethod(toolkit_json_dumps)
    json_loads = staticmethod(json.loads)
    json_copy = staticmethod(lambda j: json.loads(json.dumps(j, default=_json_default)))
    json_find = staticmethod(lambda j, path: _json_find(j, path))
    json_find_safe = staticmethod(lambda j, path: _json_find(j, path, True))
    json_pick = staticmethod(lambda j, paths: {p: _json_find(j, p, True) for p in _as_array(paths)})
    get_md5 = staticmethod(lambda s: dff.hex_digest('md5', s))
    get_sha1 = staticmethod(lambda s: dff.hex_digest('sha1', s))
    get_sha256 = staticmethod(lambda s: dff.hex_digest('sha256', s))
    get_sha512 = staticmethod(lambda s: dff.hex_digest('sha512', s))
    get_base64 = staticmethod(lambda s: base64.b64encode(dff._b(s)).decode('ascii'))
    from_base64 = staticmethod(lambda s: base64.b64decode(s).decode('utf-8'))
    gen_rand_string = staticmethod(lambda length=32, chars=_LETTERS_DIGITS: _rand_string(length, chars))
    as_array = staticmethod(_as_array)
    as_array_str = staticmethod(lambda v: [str(x) for x in _as_array(v)])
    match_wildcard = staticmethod(lambda value, pattern: fnmatch.fnmatchcase(str(value), pattern))
    match_wildcards = staticmethod(lambda value, patterns: any(fnmatch.fnmatchcase(str(value), p) for p in _as_array(patterns)))
    to_boolean = staticmethod(_to_boolean)
    to_unix_timestamp = staticmethod(lambda dt=None: int(_ts(dt).timestamp()))
    to_unix_timestamp_ms = staticmethod(lambda dt=None: int(_ts(dt).timestamp() * 1000))
    to_iso_datetime = staticmethod(lambda dt=None: _ts(dt).isoformat())
    get_date_string = staticmethod(lambda dt=None: _ts(dt).strftime('%Y-%m-%d'))
    get_time_string = staticmethod(lambda dt=None: _ts(dt).strftime('%H:%M:%S'))
    get_datetime_string = staticmethod(lambda dt=None: _ts(dt).strftime('%Y-%m-%d %H:%M:%S'))
    get_days_from_now = staticmethod(lambda days=0: (_ts() + datetime.timedelta(days=days)).strftime('%Y-%m-%d'))

    def __repr__(self):
        return '<DFF.TOOLKIT>'


TOOLKIT = Toolkit()


# -- What Func does not build -------------------------------------------------------------------


class Unavailable:
    """A member Func does not build: any use raises NotImplementedError saying why."""

    def __init__(self, name, why):
        self._name = name
        self._why = why

    def _fail(self, *_a, **_k):
        raise NotImplementedError('DFF.%s: %s' % (self._name, self._why))

    __call__ = _fail

    def __getattr__(self, attr):
        if attr.startswith('__'):
            raise AttributeError(attr)
        self._fail()

    def __repr__(self):
        return '<DFF.%s: not available>' % self._name


_CLOUD_WHY = 'not built in Func: it serves DataFlux\'s hosted cloud (Guance / TrueWatch, DataKit, DataWay)'

UNAVAILABLE = {
    'TASK': 'not built in Func: the running task is described by the _DFF_* globals (_DFF_TASK_ID, _DFF_FUNC_ID, '
            '_DFF_FUNC_CHAIN, _DFF_ORIGIN, _DFF_TRIGGER_TIME, _DFF_CRON_EXPR, _DFF_QUEUE, _DFF_HTTP_REQUEST…)',
    'SYS_DB': 'not built in Func: scripts hold no database client; use DFF.STORE',
    'SYS_CACHE_DB': 'not built in Func: scripts hold no Redis client; use DFF.CACHE',
    'GUANCE_OPENAPI': _CLOUD_WHY,
    'DATAKIT': _CLOUD_WHY,
    'DATAWAY': _CLOUD_WHY,
    'EXTRA_GUANCE_DATA': _CLOUD_WHY,
}
UNAVAILABLE_OBJECTS = {name: Unavailable(name, why) for name, why in UNAVAILABLE.items()}


# -- CONN (connectors) ---------------------------------------------------------------------------


class EConnectorFailed(Exception):
    """A connector failed: it does not exist, it could not connect, or the command failed. The
    text names the connector and carries the driver's message (never its secrets)."""


def _conn_call(method, args):
    try:
        return dff.host_call('CONN', method, args)
    except HostCallError as e:
        raise EConnectorFailed(str(e)) from None


def _as_message(message):
    if isinstance(message, (bytes, bytearray)):
        return bytes(message).decode('utf-8', 'replace')
    return message


def _sql_params(sql_params):
    if sql_params is None:
        return []
    if isinstance(sql_params, (list, tuple)):
        return list(sql_params)
    return [sql_params]


_SQL_VALUE_TYPES = 'None, a bool, int, float, str, Decimal, datetime, date or time'


def _sql_values(sql_params, where):
    """``sql_params`` as the worker's driver takes them, written as DataFlux Func's pymysql writes
    them: a datetime ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (its wall time, any offset dropped), a date
    ``YYYY-MM-DD``, a time ``HH:MM:SS[.ffffff]``, a Decimal its exact text (sent with the paths
    of such values, so MySQL gets a number, not quoted text). Anything else is refused, naming
    ``where`` and the parameter. Answers (values, decimal paths)."""
    import decimal
    decimals = []

    def refuse(v, path):
        raise TypeError('%s: sql_params%s is a %s, which cannot be written as an SQL value (%s; a list or '
                        'tuple of them, a list of such lists, a dict of them)'
                        % (where, ''.join('[%r]' % p for p in path), type(v).__name__, _SQL_VALUE_TYPES))

    def value(v, path, depth):
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, decimal.Decimal):
            if not v.is_finite():
                raise ValueError('%s: sql_params%s is %s, which is no SQL number' % (where, ''.join('[%r]' % p for p in path), v))
            decimals.append(path)
            return str(v)
        if isinstance(v, datetime.datetime):
            return v.replace(tzinfo=None).isoformat(' ')
        if isinstance(v, datetime.time):
            return v.replace(tzinfo=None).isoformat()
        if isinstance(v, datetime.date):
            return v.isoformat()
        if depth < 2 and isinstance(v, (list, tuple)):
            return [value(x, path + [i], depth + 1) for i, x in enumerate(v)]
        if depth == 0 and isinstance(v, dict):
            return {k: value(x, path + [k], 2) for k, x in v.items()}
        refuse(v, path)

    return [value(v, [i], 0) for i, v in enumerate(_sql_params(sql_params))], decimals


def _exact_rows(res):
    """Rows of a SQL query, the columns the driver marked exact (``{rows, exact: {column: 'int' |
    'decimal'}}``) decoded: integers (BIGINT, COUNT(*) too, exactly past 2**53) as int, DECIMAL /
    NUMERIC (SUM() of integers in MySQL too) as Decimal, as DataFlux Func's drivers answer them."""
    if not isinstance(res, dict):
        return res
    rows = res.get('rows') or []
    exact = res.get('exact') or {}
    if exact:
        import decimal
        for row in rows:
            for column, kind in exact.items():
                v = row.get(column)
                if v is not None:
                    row[column] = int(v) if kind == 'int' else decimal.Decimal(str(v))
    return rows


class _Connector:
    """One connector as scripts see it: commands go to the worker's pooled client (no client, no
    config, no secret in this process)."""

    type = None

    def __init__(self, connector_id, database=None):
        self.connector_id = connector_id
        self._database = database

    def _run(self, command, args=None, kwargs=None):
        return _conn_call('run', [self.connector_id, self._database, command, list(args or []), kwargs or {}])

    def check(self):
        """Proves the connection (SELECT 1, PING, a CONNACK…); raises EConnectorFailed otherwise."""
        self._run('check')
        return True

    def __repr__(self):
        return '<DFF.CONN %s (%s)>' % (self.connector_id, self.type)


class SQLConnector(_Connector):
    """mysql / postgresql: ``query(sql, sql_params)`` → rows (dicts); ``non_query`` → affected rows.
    ``?`` is a value (a list: its items; a list of lists: tuples; a dict: ``k = v, …``), ``??`` an identifier."""

    def _sql(self, command, sql, sql_params):
        values, decimals = _sql_values(sql_params, 'DFF.CONN(%r).%s' % (self.connector_id, command))
        return self._run(command, [sql, values], {'exact': True, 'decimals': decimals})

    def query(self, sql, sql_params=None):
        return _exact_rows(self._sql('query', sql, sql_params))

    def non_query(self, sql, sql_params=None):
        return self._sql('non_query', sql, sql_params)

    query_raw = query
    non_query_raw = non_query

    def tables(self):
        """The database's tables, as DataFlux Func lists them (MySQL ``SHOW TABLES``; PostgreSQL
        the user tables, by name)."""
        if self.type == 'postgresql':
            return [r['name'] for r in self.query('SELECT relname AS name FROM pg_stat_user_tables ORDER BY relname ASC')]
        return [list(r.values())[0] for r in self.query('SHOW TABLES')]

    def _unbuilt(self, member, why):
        raise NotImplementedError('DFF.CONN(%r).%s: not built in Func: %s' % (self.connector_id, member, why))

    def start_trans(self, *_a, **_k):
        self._unbuilt('start_trans', _NO_TRANS_WHY)

    def commit(self, *_a, **_k):
        self._unbuilt('commit', _NO_TRANS_WHY)

    def rollback(self, *_a, **_k):
        self._unbuilt('rollback', _NO_TRANS_WHY)

    def trans_query(self, *_a, **_k):
        self._unbuilt('trans_query', _NO_TRANS_WHY)

    def trans_non_query(self, *_a, **_k):
        self._unbuilt('trans_non_query', _NO_TRANS_WHY)

    trans_query_raw = trans_query
    trans_non_query_raw = trans_non_query

    def create_sql_builder(self, *_a, **_k):
        self._unbuilt('create_sql_builder', "DataFlux Func's SQL builder is its own library; write the SQL with "
                                            "? and ?? placeholders (or DFF.SQL)")


_NO_TRANS_WHY = ("each statement runs on any of the worker's pooled connections, so none is held across "
                 "statements for a transaction; put the statements in one stored procedure, or make each one "
                 "safe to repeat")


def _pairs(res):
    if isinstance(res, dict) or res is None:
        return res or {}
    return {res[i]: res[i + 1] for i in range(0, len(res) - 1, 2)}


class RedisConnector(_Connector):
    """redis: ``query(*command)`` / ``run`` runs one command; the usual helpers map onto it."""

    def query(self, *args, **_kwargs):
        return self._run('query', [_as_message(a) for a in args])

    run = query

    def ping(self):
        return self.query('PING') == 'PONG'

    def publish(self, topic, message):
        return self._run('publish', [topic, _as_message(message)])

    pub = publish

    def get(self, key):
        return self.query('GET', key)

    def set(self, key, value, expires=None, not_exists=False, exists=False, get_old_value=False):
        cmd = ['SET', key, value]
        if expires:
            cmd += ['EX', int(expires)]
        if not_exists:
            cmd.append('NX')
        elif exists:
            cmd.append('XX')
        if get_old_value:
            cmd.append('GET')
            return self.query(*cmd)
        # As redis-py answers DataFlux Func's helper: True, or None when NX / XX kept it from being set.
        return True if self.query(*cmd) == 'OK' else None

    def mget(self, keys):
        keys = _sql_params(keys)
        return dict(zip(keys, self.query('MGET', *keys))) if keys else {}

    def mset(self, key_values):
        flat = []
        for k, v in dict(key_values).items():
            flat += [k, v]
        return self.query('MSET', *flat) == 'OK' if flat else False

    def getset(self, key, value):
        return self.query('GETSET', key, value)

    def delete(self, keys):
        keys = _sql_params(keys)
        return self.query('DEL', *keys) if keys else 0

    def exists(self, key):
        return bool(self.query('EXISTS', key))

    def keys(self, pattern='*', limit=None):
        res = self.query('KEYS', pattern)
        return res[:limit] if limit else res

    def type(self, key):
        return self.query('TYPE', key)

    def expire(self, key, expires):
        return bool(self.query('EXPIRE', key, max(1, int(expires))))

    def ttl(self, key):
        return self.query('TTL', key)

    def incr(self, key):
        return self.query('INCR', key)

    def incrby(self, key, step=1):
        return self.query('INCRBY', key, int(step))

    def hget(self, key, field):
        return self.query('HGET', key, field)

    def _hset_flat(self, key, field_values):
        flat = []
        for k, v in dict(field_values).items():
            flat += [k, v]
        return self.query('HSET', key, *flat) if flat else None

    def hset(self, key, field=None, value=None, field_values=None):
        if field_values:
            return self._hset_flat(key, field_values)
        return self.query('HSET', key, field, value)

    def hmset(self, key, field_values):
        return False if self._hset_flat(key, field_values) is None else True

    def hmget(self, key, fields):
        fields = _sql_params(fields)
        return dict(zip(fields, self.query('HMGET', key, *fields))) if fields else {}

    def hgetall(self, key):
        return _pairs(self.query('HGETALL', key))

    def hkeys(self, key):
        return self.query('HKEYS', key)

    def hdel(self, key, field):
        return self.query('HDEL', key, *_sql_params(field))

    def hincrby(self, key, field, step=1):
        return self.query('HINCRBY', key, field, int(step))

    def lpush(self, key, value):
        return self.query('LPUSH', key, *_sql_params(value))

    def rpush(self, key, value):
        return self.query('RPUSH', key, *_sql_params(value))

    def lpop(self, key):
        return self.query('LPOP', key)

    def rpop(self, key):
        return self.query('RPOP', key)

    def llen(self, key):
        return self.query('LLEN', key)

    def lrange(self, key, start=0, stop=-1):
        return self.query('LRANGE', key, start, stop)

    def ltrim(self, key, start, stop):
        return self.query('LTRIM', key, start, stop) == 'OK'

    def sadd(self, key, member):
        return self.query('SADD', key, *_sql_params(member))

    def srem(self, key, member):
        return self.query('SREM', key, *_sql_params(member))

    def scard(self, key):
        return self.query('SCARD', key)

    def smembers(self, key):
        return self.query('SMEMBERS', key)

    def sismember(self, key, member):
        return bool(self.query('SISMEMBER', key, member))

    def zadd(self, key, member_scores):
        flat = []
        for m, sc in dict(member_scores).items():
            flat += [sc, m]
        return self.query('ZADD', key, *flat)

    def zrange(self, key, start=0, stop=-1, with_scores=False):
        return self.query('ZRANGE', key, start, stop, *(['WITHSCORES'] if with_scores else []))

    def zrangebyscore(self, key, min_score='-inf', max_score='+inf', with_scores=False):
        return self.query('ZRANGEBYSCORE', key, min_score, max_score, *(['WITHSCORES'] if with_scores else []))

    def zrem(self, key, member):
        members = _sql_params(member)
        return self.query('ZREM', key, *members) if members else 0

    def zcard(self, key):
        return self.query('ZCARD', key)

    # DataFlux Func's other helpers, on the same command path.

    def info(self):
        """INFO as a dict, as redis-py parses it: numbers as numbers, ``db0:keys=1,…`` as a dict."""
        return _parse_info(self.query('INFO'))

    def dbsize(self):
        return self.query('DBSIZE')

    def expireat(self, key, timestamp):
        return bool(self.query('EXPIREAT', key, int(timestamp)))

    def pttl(self, key):
        return self.query('PTTL', key)

    def hsetnx(self, key, field, value):
        return self.query('HSETNX', key, field, value)

    def hincr(self, key, field):
        return self.query('HINCRBY', key, field, 1)

    def rpoplpush(self, key, dest_key=None):
        return self.query('RPOPLPUSH', key, key if dest_key is None else dest_key)

    def push(self, *args, **kwargs):
        return self.lpush(*args, **kwargs)

    def pop(self, *args, **kwargs):
        return self.rpop(*args, **kwargs)

    def get_pattern(self, pattern):
        """{key: value} of the keys matching ``pattern``; None when none match (as DataFlux Func)."""
        keys = self.keys(pattern)
        return dict(zip(keys, self.query('MGET', *keys))) if keys else None

    def delete_pattern(self, pattern):
        """Deletes the keys matching ``pattern``: how many; None when none match (as DataFlux Func)."""
        keys = self.keys(pattern)
        return self.query('DEL', *keys) if keys else None

    def lock(self, lock_key, lock_value, max_lock_time):
        """Takes ``lock_key`` for ``max_lock_time`` seconds unless someone holds it: True, else None."""
        return True if self.query('SET', lock_key, lock_value, 'EX', max(1, int(max_lock_time)), 'NX') == 'OK' else None

    def extend_lock_time(self, lock_key, lock_value, max_lock_time):
        """Holds the lock ``max_lock_time`` seconds more; raises when ``lock_value`` does not hold it."""
        if not self.query('EVAL', _LUA_EXTEND, 1, lock_key, lock_value, max(1, int(max_lock_time))):
            raise Exception('Not Lock owner')

    def unlock(self, lock_key, lock_value):
        """Frees the lock if ``lock_value`` holds it: 1, else 0."""
        return self.query('EVAL', _LUA_UNLOCK, 1, lock_key, lock_value)

    def _blocking(self, member):
        raise NotImplementedError('DFF.CONN(%r).%s: not built in Func: a blocking pop would hold the connection the '
                                  "worker shares among every task using this connector; poll with lpop/rpop"
                                  % (self.connector_id, member))

    def blpop(self, *_a, **_k):
        self._blocking('blpop')

    def brpop(self, *_a, **_k):
        self._blocking('brpop')

    def brpoplpush(self, *_a, **_k):
        self._blocking('brpoplpush')

    def bpop(self, *_a, **_k):
        self._blocking('bpop')


# Compare-and-act on a lock in one step (another holder may take it between a GET and the act).
_LUA_UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
_LUA_EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end"


def _info_value(v):
    for cast in (int, float):
        try:
            return cast(v)
        except ValueError:
            pass
    if '=' in v:
        return {k: _info_value(x) for k, _, x in (p.partition('=') for p in v.split(','))}
    return v


def _parse_info(text):
    out = {}
    for line in (text or '').splitlines():
        if line and not line.startswith('#') and ':' in line:
            k, _, v = line.partition(':')
            out[k] = _info_value(v)
    return out


class MQTTConnector(_Connector):
    """mqtt: ``publish(topic, message, qos=0, retain=False)``."""

    def publish(self, topic, message, qos=0, retain=False):
        return self._run('publish', [topic, _as_message(message), qos, bool(retain)])

    pub = publish


class AMQPConnector(_Connector):
    """amqp (RabbitMQ): ``publish(topic, message, exchange=None)``: to the exchange (the config's,
    else the default one, which routes to the queue named ``topic``), confirmed by the broker."""

    def publish(self, topic, message, exchange=None):
        return self._run('publish', [topic, _as_message(message), exchange])

    pub = publish


class NATSConnector(_Connector):
    """nats: ``publish(subject, message)``; ``request(subject, message, timeout=None)`` → the reply text."""

    def publish(self, topic, message):
        return self._run('publish', [topic, _as_message(message)])

    pub = publish

    def request(self, topic, message, timeout=None):
        return self._run('request', [topic, _as_message(message), timeout])


class HTTPConnector(_Connector):
    """http: requests to the connector's base URL with its headers. ``request(method, path, query,
    body, headers)`` → ``{status, headers, body}``; ``get/post/put/patch/delete`` → the body (JSON
    parsed), raising EConnectorFailed on a status of 400 or more."""

    def request(self, method, path='', query=None, body=None, headers=None):
        opts = {k: v for k, v in (('query', query), ('body', body), ('headers', headers)) if v is not None}
        return self._run('request', [method, path, opts])

    def _body(self, method, path, query, body, headers):
        res = self.request(method, path, query=query, body=body, headers=headers)
        if res['status'] >= 400:
            text = res['body'] if isinstance(res['body'], str) else json.dumps(res['body'])
            raise EConnectorFailed('Connector %s (http): %s %s answered HTTP %s: %s' % (self.connector_id, method, path or '/', res['status'], text[:500]))
        return res['body']

    def get(self, path='', query=None, headers=None):
        return self._body('GET', path, query, None, headers)

    def delete(self, path='', query=None, headers=None):
        return self._body('DELETE', path, query, None, headers)

    def post(self, path='', body=None, query=None, headers=None):
        return self._body('POST', path, query, body, headers)

    def put(self, path='', body=None, query=None, headers=None):
        return self._body('PUT', path, query, body, headers)

    def patch(self, path='', body=None, query=None, headers=None):
        return self._body('PATCH', path, query, body, headers)


CONNECTOR_CLASSES = {
    'mysql': SQLConnector,
    'postgresql': SQLConnector,
    'redis': RedisConnector,
    'mqtt': MQTTConnector,
    'amqp': AMQPConnector,
    'nats': NATSConnector,
    'http': HTTPConnector,
}


class ConnHelper:
    """DFF.CONN(connector_id, database=None): the helper of a stored connector, by its type
    (docs/connectors.md). Raises EConnectorFailed when there is no such connector."""

    EConnectorFailed = EConnectorFailed

    def __call__(self, connector_id, database=None, **_ignored):
        return self.get(connector_id, database=database)

    def get(self, connector_id, database=None, **_ignored):
        if not isinstance(connector_id, str) or not connector_id:
            raise TypeError('DFF.CONN: the connector id must be a non-empty string, got %r' % (connector_id,))
        ctype = _conn_call('type', [connector_id])
        cls = CONNECTOR_CLASSES.get(ctype)
        if cls is None:
            raise EConnectorFailed('Connector %s: type %s is not supported by this runner' % (connector_id, ctype))
        helper = cls(connector_id, database)
        helper.type = ctype
        return helper

    def __repr__(self):
        return '<DFF.CONN>'
