"""What is reset after each task of a runner process (docs/runner-protocol.md, "What persists
between tasks of one process").

* Child processes: the runner is a child subreaper (Linux), so whatever a task starts stays
  under it, even a double-forked ``setsid`` daemon; after the task every descendant is stopped
  and SIGKILLed, and the zombies reaped. Without children (the usual case) this costs one
  ``waitpid`` that fails with ECHILD.
* Builtins: the ``builtins`` module's dict and the builtins user scripts see are put back as
  they were when the runner started (added names removed, replaced ones restored).

Output of threads a task leaves running is handled by the capture (dff.py).
"""

import os
import signal
import time

PR_SET_CHILD_SUBREAPER = 36
KILL_WAIT_S = 2.0  # how long to wait for killed descendants to exit before going on


def become_subreaper():
    """Orphaned descendants are reparented to this process instead of init (Linux only)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except Exception:
        return False


def _read_pids(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return []
    try:
        chunks = []
        while True:
            b = os.read(fd, 65536)
            if not b:
                break
            chunks.append(b)
    except OSError:
        return []
    finally:
        os.close(fd)
    return [int(p) for p in b''.join(chunks).split()]


def children_of(pid):
    """Children of a process, from /proc/<pid>/task/<tid>/children ([] when unknown)."""
    base = '/proc/%s/task' % pid
    try:
        tids = os.listdir(base)
    except OSError:
        return []
    out = []
    for tid in tids:
        out += _read_pids('%s/%s/children' % (base, tid))
    return out


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        except OSError:
            return
        if pid == 0:
            return


def kill_descendants():
    """SIGKILL every process under this one; returns how many were signalled."""
    # The usual case, no child at all (running, zombie or adopted), costs one waitpid (~0.3 µs):
    # it waits for the children of every thread of the process and fails with ECHILD.
    try:
        os.waitpid(-1, os.WNOHANG)  # a zombie it reaps is one less to find below
    except ChildProcessError:
        return 0
    except OSError:
        pass
    kids = children_of('self')
    if not kids:
        return 0
    killed = set()
    refused = set()
    end = time.monotonic() + KILL_WAIT_S
    while True:
        # Top down: a process is stopped before its children are listed, so it forks no more.
        stack = [p for p in kids if p not in killed and p not in refused]
        tree = []
        while stack:
            pid = stack.pop()
            try:
                os.kill(pid, signal.SIGSTOP)
            except ProcessLookupError:
                continue
            except OSError:  # not ours to signal (another user): leave it
                refused.add(pid)
                continue
            tree.append(pid)
            stack += children_of(pid)
        for pid in tree:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            killed.add(pid)
        _reap()
        kids = children_of('self')
        if not kids or all(p in refused for p in kids) or time.monotonic() > end:
            return len(killed)
        time.sleep(0.001)  # the killed ones take a moment to exit and hand their children to us


_MISSING = object()


class BuiltinsGuard:
    """Puts dicts of builtins back as they were when the guard was made."""

    def __init__(self, *dicts):
        self.saved = [(d, dict(d)) for d in dicts]

    def restore(self):
        """Returns whether anything had changed."""
        changed = False
        for d, snap in self.saved:
            # The usual case, nothing changed, checked at C speed (~1 µs a dict): same keys, same
            # values (identity first, then ==). Hygiene between tasks, not a security boundary:
            # code in the process can change anything, this module included.
            try:
                if d == snap:
                    continue
            except Exception:  # a value whose == raises (a numpy array…): restore
                pass
            changed = True
            for k in [k for k in d if k not in snap]:
                del d[k]
            for k, v in snap.items():
                if d.get(k, _MISSING) is not v:
                    d[k] = v
        return changed
