"""Sync results straight from this process to the waiting server.

A sync task's run frame may carry ``rt`` = [host, port, token]: the reply listener of the server
whose caller waits (``backend/src/adapters/broker/redis/direct-replies.ts``). The result line goes
there before the done frame goes to the worker, so the caller is answered without the hop through
the worker; the done frame then says ``sent`` and the worker stores and acks as always but does
not send the result again. Anything short of the whole line written (no connection yet, a failed
handshake, a full socket, a result larger than MAX_LINE) answers False and the worker sends it as
before: nothing is lost, it only takes the longer way.

Same protocol as the worker's side: the token and a newline, the server answers ``ok``; then one
JSON line per result, ``{"taskId": ..., "payload": outcome}``.
"""

import errno
from time import monotonic

HANDSHAKE_S = 1.0
RETRY_AFTER_S = 5.0
# Bigger results go through the worker: a line is written in one non-blocking send or not at all.
MAX_LINE = 1 << 20
MAX_CONNECTIONS = 32


class _Conn:
    __slots__ = ('sock', 'ready', 'hello', 'answer', 'sent_at')

    def __init__(self, sock, hello):
        self.sock = sock
        self.ready = False
        self.hello = hello
        self.answer = b''
        # When the token was all written (None: not yet): the server's ok is awaited from then on.
        self.sent_at = None


class ReplySender:
    """One connection per server, opened and verified without ever blocking the process: while
    it is not verified yet, results go through the worker."""

    __slots__ = ('_conns', '_failed')

    def __init__(self):
        self._conns = {}
        self._failed = {}

    def fits(self, size):
        """Whether a line of ``size`` bytes may go this way at all (bigger ones: through the worker)."""
        return size <= MAX_LINE

    def send(self, rt, line):
        """Write one result line (bytes ending in a newline) to the server ``rt``; True when all of it went.
        Never raises: any failure answers False (the worker sends the result)."""
        try:
            return self._send(rt, line)
        except Exception:  # noqa: BLE001 -- a failure here must not cost the task its result
            return False

    def _send(self, rt, line):
        if len(line) > MAX_LINE:
            return False
        key = (str(rt[0]), int(rt[1]), str(rt[2]))
        c = self._conns.get(key)
        if c is None:
            failed_at = self._failed.get(key)
            if failed_at is not None and monotonic() - failed_at < RETRY_AFTER_S:
                return False
            c = self._open(key)
            if c is None:
                return False
        if not c.ready and not self._handshake(key, c):
            return False
        try:
            n = c.sock.send(line)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            n = -1
        if n == len(line):
            return True
        # A part of a line (or a broken connection): the server drops an unfinished line when the
        # connection closes, and the worker sends the result.
        self._drop(key)
        return False

    def _open(self, key):
        import socket  # here, not at the runner's start (~3 ms): only sync tasks of a server with a reply listener come here

        host, port, token = key
        sock = None
        try:
            family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
            sock = socket.socket(family, kind, proto)
            sock.setblocking(False)
            err = sock.connect_ex(addr)
            if err not in (0, errno.EINPROGRESS, errno.EAGAIN):
                raise OSError(err, 'connect failed')
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except Exception:  # noqa: BLE001
            if sock is not None:
                sock.close()
            self._failed[key] = monotonic()
            return None
        if len(self._conns) >= MAX_CONNECTIONS:
            self._drop(next(iter(self._conns)))
        c = _Conn(sock, token.encode() + b'\n')
        self._conns[key] = c
        return c

    def _handshake(self, key, c):
        """Move the handshake on as far as it goes now; True once the server said ``ok``."""
        import socket

        try:
            if c.hello:
                if c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    raise OSError('connect failed')
                c.hello = c.hello[c.sock.send(c.hello):]
                if not c.hello:
                    c.sent_at = monotonic()
            if not c.hello:
                chunk = c.sock.recv(16)
                if not chunk:
                    raise OSError('the server closed the connection')
                c.answer += chunk
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self._drop(key)
            return False
        if c.answer == b'ok\n':
            c.ready = True
            c.answer = b''
            return True
        # Only an answer that is wrong, or one still missing a while after the token went, fails it:
        # how long apart the results come does not matter.
        if len(c.answer) >= 3 or (c.sent_at is not None and monotonic() - c.sent_at > HANDSHAKE_S):
            self._drop(key)
        return False

    def _drop(self, key):
        c = self._conns.pop(key, None)
        if c is not None:
            c.sock.close()
        self._failed[key] = monotonic()
        if len(self._failed) > 4 * MAX_CONNECTIONS:
            self._failed.clear()
