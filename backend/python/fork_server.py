"""The fork server: starts runner processes by forking itself instead of starting Python.

Started by Node (backend/src/adapters/python/fork-server.ts) as
    python3 -B func_runner.py --fork-server [--switch-user]
(--switch-user: its runners run as another user, which it must be able to switch to, or it exits)
with stdin and stdout as its control pipes (JSON lines) and stderr for its own errors. It has
imported the runner's modules (func_runner_core, dff and what they import) and never runs a
task, so a runner forked from it is ready in a few milliseconds, where a new interpreter takes
60-120 ms (more once the machine has paged the interpreter's files out).

Node -> fork server, one line per runner:
    {"id": n, "args": [runner arguments], "sock": "<unix socket address>", "token": "<hex>",
     "uid": u, "gid": g}                          (uid and gid: the user to run as, if another)
Fork server -> Node:
    {"ready": pid}                                once, at start
    {"id": n, "pid": p}                           the runner n was forked as process p
    {"exit": p, "code": c} / {"exit": p, "signal": "SIGKILL"}    runner p ended (reaped here)

The forked runner connects twice to Node's socket (`sock`, a Linux abstract address), sending
"<token> c\\n" on the one that becomes its channel (fds 3 and 4) and "<token> e\\n" on the one
that becomes its stderr, then runs func_runner_core.main(args) exactly as a started runner would.
"""

import gc
import json
import os
import select
import signal
import socket
import sys


def _write(fd, obj):
    # One line per write (below PIPE_BUF): Node reads whole lines.
    os.write(fd, (json.dumps(obj, separators=(',', ':')) + '\n').encode())


def _reap(out_fd):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = 'SIG%d' % sig
            _write(out_fd, {'exit': pid, 'signal': name})
        else:
            _write(out_fd, {'exit': pid, 'code': os.waitstatus_to_exitcode(status)})


SUN_PATH_MAX = 108  # sizeof(sockaddr_un.sun_path) on Linux


def _connect(address, token, kind):
    """Node (libuv) binds an abstract name padded with NULs to the whole sun_path; a later
    libuv may bind the exact name: try both."""
    name = address.encode()
    for candidate in (name + b'\0' * (SUN_PATH_MAX - len(name)), name):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(candidate)
        except ConnectionRefusedError:
            s.close()
            if candidate is name:
                raise
            continue
        s.sendall(('%s %s\n' % (token, kind)).encode())
        return s


PR_SET_DUMPABLE = 4


def _after_user_switch():
    """What an exec would have done after the switch: the process is dumpable again (a uid change
    without exec makes it not dumpable: its /proc files turn root's, so /proc/self/clear_refs, the
    peak memory of debug runs, could not be written), and it holds no capability."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('CapPrm:') and int(line.split()[1], 16) != 0:
                raise PermissionError('the runner kept capabilities after switching to its user')
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    except Exception:  # an interpreter without ctypes: only the peak memory of debug runs is lost
        pass


def _become_runner(req, run_main, wakeup):
    """In the forked child: the zygote's signal set-up undone, stdio and the channel on Node's
    socket, then the runner's own start (which closes every other inherited descriptor)."""
    signal.set_wakeup_fd(-1)
    for fd in wakeup:
        os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    if 'uid' in req:
        # The runner's user, as a spawn with uid/gid would set it: no supplementary groups.
        os.setgroups([])
        os.setgid(req['gid'])
        os.setuid(req['uid'])
        _after_user_switch()
    sys.argv = sys.argv[:1] + list(req['args'])
    address = req['sock']
    if address.startswith('@'):
        address = '\0' + address[1:]
    channel = _connect(address, req['token'], 'c')
    errors = _connect(address, req['token'], 'e')
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(errors.fileno(), 2)
    os.dup2(channel.fileno(), 3)
    os.dup2(channel.fileno(), 4)
    for fd in (null, errors.detach(), channel.detach()):
        if fd > 4:
            os.close(fd)
    run_main(list(req['args']))


CAP_SETGID, CAP_SETUID = 6, 7
EX_NOPERM = 77


def can_switch_user():
    """May a child of this process become another user (root, or CAP_SETUID and CAP_SETGID)?"""
    if os.geteuid() == 0:
        return True
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('CapEff:'):
                    caps = int(line.split()[1], 16)
                    return bool(caps & (1 << CAP_SETUID)) and bool(caps & (1 << CAP_SETGID))
    except OSError:
        pass
    return False


def serve(run_main, switch_user=False):
    """Fork a runner for each request on stdin until it ends (Node closed it or died)."""
    if switch_user and not can_switch_user():
        # A Python without capabilities (the Docker image gives them to node only): Node starts
        # the runners itself, as the runners' user.
        os.write(2, b'the fork server cannot switch its runners to another user (no CAP_SETUID/CAP_SETGID)\n')
        os._exit(EX_NOPERM)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What it imported stays shared with the runners: their collections leave it untouched.
    gc.freeze()
    in_fd, out_fd = 0, 1
    # Runners are reaped by this loop, woken by SIGCHLD through a wakeup pipe: a Python signal
    # handler may run only when the next read returns (a signal that lands just before the
    # read's system call does not interrupt it), which once held a runner's exit report until
    # Node's next request. The loop also writes a runner's pid before it can report its exit.
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    _write(out_fd, {'ready': os.getpid()})
    buf = b''
    while True:
        try:
            readable, _, _ = select.select([in_fd, wake_r], [], [])
        except InterruptedError:
            continue
        if wake_r in readable:
            try:
                while os.read(wake_r, 512):
                    pass
            except BlockingIOError:
                pass
            _reap(out_fd)
        if in_fd not in readable:
            continue
        chunk = os.read(in_fd, 65536)
        if not chunk:
            break
        buf += chunk
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            req = json.loads(line)
            try:
                pid = os.fork()
            except OSError as e:
                _write(out_fd, {'id': req['id'], 'error': str(e)})
                continue
            if pid == 0:
                # The requests read after this one (their tokens) stay out of the runner's reach.
                del buf, chunk, line
                try:
                    _become_runner(req, run_main, (wake_r, wake_w))
                except BaseException as e:
                    try:
                        # To Node: fd 1 is still the control pipe if the start failed before it moved.
                        _write(out_fd, {'id': req['id'], 'error': 'the forked runner could not start: %r' % (e,)})
                        os.write(2, ('the forked runner could not start: %r\n' % (e,)).encode())
                    finally:
                        os._exit(70)
                os._exit(0)
            _write(out_fd, {'id': req['id'], 'pid': pid})
    sys.stdout.flush()
    os._exit(0)
