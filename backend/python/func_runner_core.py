"""Func runner process: runs users' Python functions, one task at a time, for Node.

Started by the Node runner pool as
    python3 -B func_runner.py [--memory-limit-mb N]
with stdio ['ignore', 'pipe', 'pipe', 'pipe', 'pipe']: fd 3 = Node -> Python,
fd 4 = Python -> Node (framed JSON, see protocol.py). Standard library only.

This module is the runner; func_runner.py only imports it and calls main(): a script is compiled
from source at every start, a module is read from its bytecode (~9 ms of every runner start).
"""

import builtins
import faulthandler
import fcntl
import gc
import os
import signal
import sys
import types
from time import perf_counter, time

import dff
import dff_members
import isolation
from direct_reply import ReplySender
from dff_http_request import prepared as prepared_http_request
from protocol import Channel, encode_json, encode_plain_numbers, plain_numbers
from script_loader import USER_BUILTINS, ScriptFinder, ScriptNotFound, ScriptRegistry, filename_of, line_in, register_source, user_traceback

RESULT_ERRORS = (TypeError, ValueError, RecursionError, OverflowError)


def _status_kb(field):
    with open('/proc/self/status', 'rb') as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _set_parent_death_signal():
    """Die with Node even when it is SIGKILLed (best effort, Linux only)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass
    if os.getppid() == 1:
        os._exit(0)


def _set_memory_limit(limit_mb):
    """RLIMIT_AS = current address space + the limit, so big allocations raise MemoryError."""
    if limit_mb <= 0:
        return None
    import resource
    base_kb = _status_kb(b'VmSize:')
    limit = base_kb * 1024 + limit_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        return None
    return limit // (1024 * 1024)


def task_globals(task, draft, start_time):
    """The ``_DFF_*`` globals describing a task, as DataFlux Func sets them (times in epoch seconds,
    truncated to int, and milliseconds)."""
    func_id = task['funcId']
    script_id = task['scriptId']
    trigger_ms = task['triggerTime']
    cron_expr = task.get('cronExpr')
    delay = task.get('delay') or 0
    cron_delay = 0  # Func has no delayed cron jobs
    exec_mode = task.get('cronJobExecMode')
    http_request = task.get('httpRequest')
    http_request = prepared_http_request(http_request) if http_request else {}
    return {
        '_DFF_DEBUG': draft or task['origin'] == 'debugger',
        '_DFF_TASK_ID': task['id'],
        '_DFF_ROOT_TASK_ID': task.get('rootTaskId') or 'ROOT',
        '_DFF_SCRIPT_SET_ID': script_id.split('__', 1)[0],
        '_DFF_SCRIPT_ID': script_id,
        '_DFF_FUNC_ID': func_id,
        '_DFF_FUNC_NAME': task['funcName'],
        '_DFF_FUNC_CHAIN': list(task.get('callChain') or []) + [func_id],
        '_DFF_ORIGIN': task['origin'],
        '_DFF_ORIGIN_ID': task.get('originId'),
        '_DFF_TRIGGER_TIME': int(trigger_ms // 1000),
        '_DFF_TRIGGER_TIME_MS': int(trigger_ms),
        '_DFF_START_TIME': int(start_time),
        '_DFF_START_TIME_MS': int(start_time * 1000),
        # The eta a call asked for (ISO 8601, UTC), the delay (seconds) it asked for.
        '_DFF_ETA': task.get('askedEta'),
        '_DFF_DELAY': delay,
        '_DFF_CRON_EXPR': cron_expr,
        '_DFF_CRON_JOB_DELAY': cron_delay,
        '_DFF_CRON_JOB_EXEC_MODE': exec_mode,
        '_DFF_QUEUE': task.get('queue'),
        '_DFF_HTTP_REQUEST': http_request,
        # DataFlux's older names of the cron ones.
        '_DFF_CRONTAB': cron_expr,
        '_DFF_CRONTAB_DELAY': cron_delay,
        '_DFF_CRONTAB_EXEC_MODE': exec_mode,
    }


class Runner:
    def __init__(self, channel, registry, memory_limit_mb, builtins_guard):
        self.channel = channel
        self.builtins_guard = builtins_guard
        self.registry = registry
        self.memory_limit_mb = memory_limit_mb
        self.reserve = bytearray(4 << 20)  # freed on MemoryError to have room to report it
        self.can_clear_refs = os.path.exists('/proc/self/clear_refs')
        self.replies = ReplySender()

    # -- main loop ---------------------------------------------------------------------

    def loop(self):
        channel = self.channel
        recv = channel.recv
        lock = channel._lock
        while True:
            with lock:
                msg = recv()
            if msg is None:
                return
            c = msg.get('c')
            if c == 'run':
                self.run(msg)
            elif c == 'discover':
                self.discover(msg)

    # -- run ---------------------------------------------------------------------------

    def run(self, msg):
        run_id = msg['id']
        task = msg['task']
        expires_at = task.get('expiresAt')
        if expires_at and time() * 1000 > expires_at:
            # Sent ahead and its turn came too late: not started (as the pool does for its queue).
            self.channel.send({'c': 'done', 'id': run_id, 'o': {
                'status': 'expired', 'reason': 'EFuncExpired', 'costMs': 0,
                'exception': 'not started before it expired'}})
            return
        draft = bool(task.get('draft'))
        peak = draft and self.can_clear_refs
        if peak:
            try:
                with open('/proc/self/clear_refs', 'w') as f:
                    f.write('5')
            except OSError:
                peak = False
        if msg.get('inv'):
            self.registry.drop_all()
        ts = dff.TaskState(run_id, task, draft)
        sys.stdout = dff.stdout_capture  # undo a redirect a previous task forgot
        sys.stderr = dff.stderr_capture
        state = dff.state
        dff.begin_task(ts)
        state.active = True
        exit_after = False
        try:
            o = self.execute(task, msg['md5'], draft)
        except MemoryError as e:
            self.reserve = None
            o = self.failure_memory(e, task)
            exit_after = True
        except BaseException as e:  # a bug of the runtime itself: still answer
            o = {'status': 'failure', 'reason': 'EFuncFailed', 'exceptionType': type(e).__name__,
                 'exception': _exc_text(e)}
        finally:
            # Ended holding the channel: a host call of one of its threads is either sent (and
            # answered) before the task's end or refused (dff.host_call checks under this lock).
            with self.channel._lock:
                state.active = False
                try:
                    dff.end_task(ts)
                except MemoryError:
                    pass
        self.after_task()
        o['costMs'] = round((perf_counter() - ts.t0) * 1000, 3)
        logs = dff.task_logs(ts)
        if logs:
            o['printLogs'] = logs
        if peak:
            try:
                o['peakMemoryMb'] = round(_status_kb(b'VmHWM:') / 1024, 1)
            except OSError:
                pass
        # RESP_LARGE_DATA: the body (already serialised) goes after the outcome as raw bytes, not
        # escaped into it once more (protocol.py, send_with_body).
        large = None
        resp = o.get('response')
        if resp is not None and resp.get('kind') == 'largeData' and type(resp.get('data')) is str:
            large = resp.pop('data')
        ld = None
        if self.registry.changed:
            ld = self.registry.loaded_map()
            self.registry.changed = False
        encode = encode_json
        try:
            try:
                o_json = encode(o)
            except (TypeError, ValueError):
                # A NaN or an infinity (allow_nan=False) is written as null and a Decimal as its number,
                # as DataFlux Func writes a return value; tried only now, so a plain result costs no walk.
                encode = encode_plain_numbers
                o = plain_numbers(o)
                resp = o.get('response')
                o_json = encode(o)
        except RESULT_ERRORS as e:
            encode = encode_json
            o.pop('result', None)
            o.pop('response', None)
            o['status'] = 'failure'
            o['reason'] = 'EFuncResultParsingFailed'
            o['exceptionType'] = type(e).__name__
            o['exception'] = 'The return value of %s() is not JSON serializable: %s' % (task.get('funcName'), e)
            o_json = encode_json(o)
            large = None
        except MemoryError:
            self.reserve = None
            o.pop('result', None)
            o.pop('response', None)
            o.update(self.failure_memory(None, task))
            exit_after = True
            o_json = encode_json(o)
            large = None
        # A waiting server gets the result first, straight from here (see direct_reply.py); a
        # result too big for that way is not even copied for it.
        rt = msg.get('rt')
        sent = False
        if rt is not None and not exit_after and self.replies.fits(len(o_json) + (0 if large is None else 2 * len(large)) + 80):
            try:
                line_json = o_json
                if large is not None:
                    resp['data'] = large
                    line_json = encode(o)
                    del resp['data']
                sent = self.replies.send(rt, ('{"taskId":%s,"payload":%s}\n' % (encode_json(task['id']), line_json)).encode())
                del line_json
            except MemoryError:
                sent = False
        del o, resp
        # No memory left to encode the outcome (or its large body): the memory failure instead.
        try:
            body = o_json.encode()
            o_json = None
            if large is not None:
                large = large.encode()
        except MemoryError:
            self.reserve = None
            o_json = large = None
            body = encode_json(self.failure_memory(None, task)).encode()
            exit_after = True
        # The done frame in three parts, so the outcome is not copied once more to join them.
        tail = '%s%s%s}' % (
            ',"sent":1' if sent else '',
            ',"ld":%s' % encode_json(ld) if ld is not None else '',
            ',"exit":1' if exit_after else '')
        parts = [('{"c":"done","id":%d,"o":' % run_id).encode(), body, tail.encode()]
        if large is None:
            self.channel.send_parts(parts)
        else:
            self.channel.send_with_body(parts, large)
        del large
        if exit_after:
            os._exit(0)

    def after_task(self):
        """Reset what a task must not leave to the next one (isolation.py)."""
        try:
            isolation.kill_descendants()
            self.builtins_guard.restore()
            dff.after_task()
            # A script that replaced the SIGUSR2 handler: the next task is watched again.
            if signal.getsignal(signal.SIGUSR2) is not _exit_after_stack_dump:
                _watch_for_stack_dump()
        except Exception:  # MemoryError…: the outcome is still answered
            pass

    def execute(self, task, md5, draft):
        script_id = task['scriptId']
        main_file = filename_of(script_id)
        func_name = task['funcName']
        try:
            try:
                module = self.registry.main_module(script_id, md5, draft)
            except ScriptNotFound:
                return {'status': 'failure', 'reason': 'EFuncFailed', 'exceptionType': 'ScriptNotFound',
                        'exception': 'Script `%s` not found' % script_id}
            g = module.__dict__
            g.update(task_globals(task, draft, time()))
            func = g.get(func_name)
            if func is None or not callable(func):
                return {'status': 'failure', 'reason': 'EFuncFailed', 'exceptionType': 'FuncNotFound',
                        'exception': 'Function `%s` not found in script `%s`' % (func_name, script_id)}
            result = func(**task['kwargs'])
            if type(result) is types.CoroutineType:
                import asyncio
                result = asyncio.run(result)
            # An exception returned (or as RESP's data) fails the task as if raised, as DataFlux Func.
            returned = result.data if type(result) is dff.FuncResponse else result
            if isinstance(returned, Exception):
                raise returned
        except MemoryError:
            raise
        except BaseException as e:  # SystemExit / KeyboardInterrupt from user code too
            return self.failure(e, main_file, draft, script_id)
        if type(result) is dff.FuncResponse:
            return {'status': 'success', 'result': result.data if result.kind == 'data' else None,
                    'response': result.to_dict()}
        return {'status': 'success', 'result': result}

    def failure(self, e, main_file, draft, script_id):
        self.registry.reregister_sources(script_id, draft)
        o = {'status': 'failure', 'reason': 'EFuncFailed', 'exceptionType': type(e).__name__,
             'exception': _exc_text(e), 'traceback': user_traceback(e, self.registry.is_user_file)}
        line = line_in(e, main_file)
        if line is not None:
            o['errorLine'] = line
        if draft:
            try:
                loc = failing_locals(e, self.registry.is_user_file)
            except Exception:  # never lose the failure over its locals
                loc = None
            if loc is not None:
                o['locals'] = loc
        return o

    def failure_memory(self, e, task):
        limit = self.memory_limit_mb
        o = {'status': 'failure', 'reason': 'EFuncMemoryLimit' if limit > 0 else 'EFuncFailed',
             'exceptionType': 'MemoryError',
             'exception': ('exceeded the memory limit of %d MB' % limit) if limit > 0 else 'out of memory'}
        if e is not None:
            try:
                script_id = task['scriptId']
                self.registry.reregister_sources(script_id, bool(task.get('draft')))
                o['traceback'] = user_traceback(e, self.registry.is_user_file)
                line = line_in(e, filename_of(script_id))
                if line is not None:
                    o['errorLine'] = line
            except MemoryError:
                pass
            finally:
                tb = e.__traceback__
                e.__traceback__ = None
                import traceback
                traceback.clear_frames(tb)
                del tb
        gc.collect()
        return o

    # -- discover ----------------------------------------------------------------------

    def discover(self, msg):
        state = dff.state
        state.active = True
        try:
            o = discover_script(self.registry, msg['scriptId'], msg['code'])
        except MemoryError:
            o = {'ok': False, 'exceptionType': 'MemoryError', 'message': 'exceeded the memory limit', 'traceback': ''}
        finally:
            state.active = False
        self.after_task()
        frame = {'c': 'done', 'id': msg['id'], 'o': o}
        try:
            data = encode_json(frame)
        except RESULT_ERRORS as e:
            data = encode_json({'c': 'done', 'id': msg['id'], 'o': {
                'ok': False, 'exceptionType': type(e).__name__, 'message': str(e), 'traceback': ''}})
        self.channel.send_bytes(data.encode())


# Locals of the failing frame (debug runs): at most LOCALS_MAX names, each repr cut at LOCALS_REPR_CHARS.
LOCALS_MAX = 40
LOCALS_REPR_CHARS = 300
_repr = None


def _short_repr(value):
    global _repr
    if _repr is None:
        import reprlib
        _repr = reprlib.Repr()
        _repr.maxlevel = 3
        _repr.maxstring = LOCALS_REPR_CHARS
        _repr.maxother = LOCALS_REPR_CHARS
        for name in ('maxlist', 'maxtuple', 'maxdict', 'maxset', 'maxfrozenset', 'maxdeque', 'maxarray'):
            setattr(_repr, name, 20)
    try:
        text = _repr.repr(value)
    except Exception as e:
        return '<unrepresentable %s: %s>' % (type(value).__name__, type(e).__name__)
    if len(text) > LOCALS_REPR_CHARS:
        text = text[:LOCALS_REPR_CHARS - 1] + '\u2026'
    return text


def failing_locals(exc, is_user):
    """The innermost frame of ``exc`` in a user script: where, and its locals (repr, truncated;
    modules, functions, classes and dunder names left out)."""
    tb = exc.__traceback__
    frame = None
    while tb is not None:
        if is_user(tb.tb_frame.f_code.co_filename):
            frame = tb
        tb = tb.tb_next
    if frame is None:
        return None
    f = frame.tb_frame
    out = []
    skipped = 0
    for name, value in list(f.f_locals.items()):
        if name.startswith('__') or isinstance(value, (types.ModuleType, types.FunctionType, type, dff.DFF)):
            continue
        if len(out) >= LOCALS_MAX:
            skipped += 1
            continue
        out.append({'name': str(name), 'type': type(value).__name__, 'repr': _short_repr(value)})
    return {'scriptId': f.f_code.co_filename[1:-1], 'funcName': f.f_code.co_name, 'line': frame.tb_lineno,
            'vars': out, 'more': skipped}


def _exc_text(e):
    """The text a failure reports: ``str(e)``, or the exception's type name when that is empty (a
    bare ``KeyboardInterrupt``, ``SystemExit``, ``raise ValueError``), never an empty text."""
    try:
        text = str(e)
    except Exception:
        return '<unprintable %s>' % type(e).__name__
    return text if text else type(e).__name__


def _json_safe(value):
    try:
        encode_json(value)
        return value
    except Exception:
        try:
            return repr(value)
        except Exception:
            return '<%s>' % type(value).__name__


def describe_func(func, meta, order):
    import inspect
    name = getattr(func, '__name__', None) or repr(func)
    sig = inspect.signature(func)
    args = []
    kwargs = {}
    var_kwargs = False
    P = inspect.Parameter
    var_args = []
    for p in sig.parameters.values():
        if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD):
            args.append(p.name)
        if p.kind in (P.POSITIONAL_OR_KEYWORD, P.KEYWORD_ONLY):
            if p.default is P.empty:
                kwargs[p.name] = {'hasDefault': False}
            else:
                kwargs[p.name] = {'default': _json_safe(p.default), 'hasDefault': True}
        elif p.kind in (P.VAR_POSITIONAL, P.VAR_KEYWORD):
            # Listed as DataFlux Func lists them: `*name` / `**name`, last in args, in place in kwargs.
            star = '*' if p.kind == P.VAR_POSITIONAL else '**'
            var_args.append(star + p.name)
            kwargs[star + p.name] = {}
            var_kwargs = var_kwargs or p.kind == P.VAR_KEYWORD
    args += var_args
    sig = sig.replace(return_annotation=P.empty)
    d = {
        'name': name,
        'title': meta.get('title') or name,
        'description': inspect.getdoc(func) or '',
        'category': meta.get('category', 'general'),
        'tags': meta.get('tags', []),
        'definition': 'def %s%s' % (name, sig),
        'args': args,
        'kwargs': kwargs,
        'varKwargs': var_kwargs,
        'isHidden': meta.get('isHidden', False),
        'order': order,
    }
    # The first line of its definition (its first decorator's): where a publish refusal points.
    line = getattr(getattr(func, '__code__', None), 'co_firstlineno', None)
    if isinstance(line, int):
        d['line'] = line
    for key in ('timeout', 'expires', 'cacheResult', 'queue', 'fixedCronExpr', 'retry', 'retryBackoff', 'integration'):
        if key in meta:
            d[key] = meta[key]
    return d


def _api_refused(message, line):
    o = {'ok': False, 'exceptionType': 'DFFInvalidOption', 'message': message, 'traceback': ''}
    if line is not None:
        o['line'] = line
    return o


def api_refusal(func, filename, line, applied, is_user_file):
    """Why publish refuses what one DFF.API was applied to (at ``line`` of the script, None when not
    applied in it), else None: something that is no function, a function defined in no script of
    the user's (a builtin, one of the runtime's or another module's: not the user's code), or a
    function DFF.API was already applied to (one decorator's options would be lost silently;
    DataFlux Func refuses it too). A function of another of the user's scripts, imported, is taken,
    as DataFlux Func takes it. A name the function id cannot take is refused by Node."""
    import inspect
    try:
        inner = inspect.unwrap(func)  # through functools.wraps of the script's own decorators
    except ValueError:
        inner = func
    name = getattr(func, '__name__', None)
    if not isinstance(name, str):
        name = None
    code = getattr(inner, '__code__', None) if isinstance(inner, types.FunctionType) else None
    if code is None or (code.co_filename != filename and not is_user_file(code.co_filename)):
        if not callable(func):
            what = '%s (%s) is not a function' % (_short_repr(func), type(func).__name__)
        elif code is None:
            what = '%s (%s) is not a function defined in this script' % (name or _short_repr(func), type(func).__name__)
        else:
            module = getattr(inner, '__module__', None)
            what = 'function %s%s is not defined in a script' % (name, ' (from %s)' % module if isinstance(module, str) else '')
        return _api_refused('DFF.API: %s: decorate a function defined with def in this script' % what, line)
    for f, first in applied:
        if f is func:
            first_line = line if line is not None else code.co_firstlineno
            lines = ('lines %d and %d' % (min(first, first_line), max(first, first_line))
                     if first is not None and first != first_line else 'line %d' % first_line)
            return _api_refused('DFF.API: function %s is decorated twice (%s): the options of one would be lost; '
                                'decorate it once' % (name, lines), first_line)
    return None


def discover_script(registry, script_id, code):
    import traceback
    filename = filename_of(script_id)
    register_source(filename, code)
    try:
        compiled = compile(code, filename, 'exec', dont_inherit=True)
    except SyntaxError as e:
        return {'ok': False, 'exceptionType': type(e).__name__, 'message': e.msg or str(e), 'line': e.lineno,
                'traceback': ''.join(traceback.format_exception_only(type(e), e))}
    except (ValueError, TypeError) as e:  # e.g. null bytes in the source
        return {'ok': False, 'exceptionType': type(e).__name__, 'message': str(e), 'traceback': ''}
    module = types.ModuleType(script_id)
    try:
        api = registry.exec_into(module, script_id, compiled, code)
        funcs = []
        seen = {}
        applied = []  # (func, line) of each DFF.API applied so far
        last = {}  # name -> (func, line) of the last function exported under it
        for func, meta, where in api.apis:
            line = where[1] if where[0] == filename else None
            refusal = api_refusal(func, filename, line, applied, registry.is_user_file)
            if refusal is not None:
                return refusal
            applied.append((func, line))
            d = describe_func(func, meta, len(funcs))
            if d['name'] in seen:
                # Two exported under one name: a call finds its function by name, so one of them
                # could never be called; DataFlux Func refuses it too ("Two or more functions named").
                first_func, first_line = last[d['name']]
                here = line if line is not None else getattr(getattr(func, '__code__', None), 'co_firstlineno', None)
                there = first_line if first_line is not None else getattr(getattr(first_func, '__code__', None), 'co_firstlineno', None)
                lines = 'lines %d and %d' % (there, here) if there is not None and here is not None else 'line %s' % (here or there)
                return _api_refused('DFF.API: two functions are named %s (%s): a call finds its function by its name, '
                                    'so one of them could never be called; rename one' % (d['name'], lines), here)
            funcs.append(d)
            seen[d['name']] = d
            last[d['name']] = (func, line)
        # A call finds its function by name among the script's globals: one that is not there
        # (defined inside another function, or its name bound again later) could never be called.
        # A name that is no identifier (a lambda's) is Node's to refuse, with the rule for names.
        for name, (func, line) in last.items():
            if name.isidentifier() and module.__dict__.get(name) is not func:
                found = module.__dict__.get(name)
                what = 'nothing' if found is None else '%s (%s)' % (_short_repr(found), type(found).__name__)
                return _api_refused('DFF.API: function %s cannot be called by its name: the script\'s %s is %s '
                                    '(a function defined inside another, or its name bound again later); '
                                    'decorate a function defined with def at the top level of the script' % (name, name, what),
                                    line if line is not None else getattr(getattr(func, '__code__', None), 'co_firstlineno', None))
        return {'ok': True, 'funcs': funcs}
    except MemoryError:
        raise
    except BaseException as e:
        register_source(filename, code)
        o = {'ok': False, 'exceptionType': type(e).__name__, 'message': _exc_text(e),
             'traceback': user_traceback(e, registry.is_user_file)}
        line = line_in(e, filename)
        if line is not None:
            o['line'] = line
        return o


def _move_fd(fd):
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 100)
    os.close(fd)
    os.set_blocking(new, True)
    return new


def _close_inherited(keep):
    """Close whatever else the process inherited from Node (its own pipes, an IPC channel…): user
    code, and the programs it execs, get none of them."""
    try:
        fds = [int(fd) for fd in os.listdir('/proc/self/fd')]
    except OSError:
        return
    for fd in fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _arg(argv, name):
    return argv[argv.index(name) + 1] if name in argv else None


def _add_resource_paths(argv):
    """As DataFlux Func: the resources folder, its user-python-packages folder and the folder
    python-packages/do/install installs into are importable (after the standard library and
    site-packages, so they add packages rather than replace the interpreter's)."""
    resources = _arg(argv, '--resources-dir')
    packages = _arg(argv, '--packages-dir')
    dff_members.set_resources_dir(resources)
    for p in (resources, resources and os.path.join(resources, 'user-python-packages'), packages):
        if p and p not in sys.path:
            sys.path.append(p)


def _exit_after_stack_dump(signum, frame):
    # What the task started goes with it (Node's kill of the process tree finds none once this
    # process has exited; orphans were adopted by it, a subreaper).
    try:
        isolation.kill_descendants()
    finally:
        os._exit(1)


def _watch_for_stack_dump():
    """SIGUSR2: faulthandler writes the stacks (C), then the chained handler above exits."""
    faulthandler.unregister(signal.SIGUSR2)  # registered already: it would keep a replaced handler
    signal.signal(signal.SIGUSR2, _exit_after_stack_dump)
    faulthandler.register(signal.SIGUSR2, file=2, all_threads=True, chain=True)


def main(argv):
    if '--fork-server' in argv:
        import fork_server
        _set_parent_death_signal()
        fork_server.serve(main, switch_user='--switch-user' in argv)
        return
    limit_mb = 0
    if '--memory-limit-mb' in argv:
        limit_mb = int(argv[argv.index('--memory-limit-mb') + 1])
    rfd = _move_fd(3)
    wfd = _move_fd(4)
    _close_inherited((rfd, wfd))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _set_parent_death_signal()
    isolation.become_subreaper()
    channel = Channel(rfd, wfd)
    dff.state.channel = channel
    dff.state.memory_limit_mb = limit_mb
    dff.install_capture()
    # Where a task or an import is stuck when it runs out of time: Node sends SIGUSR2 before it
    # kills the process. The stacks go to stderr (fd 2), written by C even while the main thread
    # holds the GIL in a long C call (runner-process.ts, stuck-stack.ts); then the chained Python
    # handler exits at the next bytecode, before the loop could read a task sent ahead (Node has
    # handed those to another process).
    _watch_for_stack_dump()
    registry = ScriptRegistry(channel)
    sys.meta_path.insert(0, ScriptFinder(registry))
    # The runtime's own directory must not shadow user imports.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') != here]
    _add_resource_paths(argv)
    runner = Runner(channel, registry, limit_mb, isolation.BuiltinsGuard(builtins.__dict__, USER_BUILTINS))
    as_limit = _set_memory_limit(limit_mb)
    ready = {'c': 'ready', 'pid': os.getpid()}
    if as_limit is not None:
        ready['asLimitMb'] = as_limit
    channel.send(ready)
    runner.loop()
    os._exit(0)

