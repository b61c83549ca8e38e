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

import socket
from time import monotonic

HANDSHAKE_S = 1.0
RETRY_AFTER_S = 5.0
# Bigger results go through the worker: a line is written in one non-blocking send or not at all.
MAX_LINE = 1 << 20
MAX_CONNECTIONS = 32


class ReplySender:
    __slots__ = ('_conns', '_failed')

    def __init__(self):
        self._conns = {}
        self._failed = {}

    def send(self, rt, line):
        """Write one result line (bytes ending in a newline) to the server ``rt``; True when all of it went."""
        if len(line) > MAX_LINE:
            return False
        key = (str(rt[0]), int(rt[1]), str(rt[2]))
        sock = self._conns.get(key)
        if sock is None:
            failed_at = self._failed.get(key)
            if failed_at is not None and monotonic() - failed_at < RETRY_AFTER_S:
                return False
            sock = self._open(key)
            if sock is None:
                return False
        try:
            n = sock.send(line)
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
        host, port, token = key
        sock = None
        try:
            sock = socket.create_connection((host, port), timeout=HANDSHAKE_S)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(token.encode() + b'\n')
            answer = b''
            while not answer.endswith(b'\n') and len(answer) < 16:
                chunk = sock.recv(16)
                if not chunk:
                    break
                answer += chunk
            if answer != b'ok\n':
                raise OSError('the server did not accept the token')
            sock.setblocking(False)
        except OSError:
            if sock is not None:
                sock.close()
            self._failed[key] = monotonic()
            return None
        self._failed.pop(key, None)
        if len(self._conns) >= MAX_CONNECTIONS:
            self._drop(next(iter(self._conns)))
        self._conns[key] = sock
        return sock

    def _drop(self, key):
        sock = self._conns.pop(key, None)
        if sock is not None:
            sock.close()
        self._failed[key] = monotonic()
        if len(self._failed) > 4 * MAX_CONNECTIONS:
            self._failed.clear()
