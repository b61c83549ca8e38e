"""Framed message protocol between Node (the runner pool) and this Python process.

Transport
---------
Two dedicated pipes, never stdout/stderr (Node drains fd 1 and 2 and ignores them):

* fd 3: Node -> Python
* fd 4: Python -> Node

At start-up the runtime moves both to high, close-on-exec descriptors (>= 100) and
closes 3 and 4, so user code (``os.write(3, ...)``, subprocesses) cannot reach them.

Frame = 4-byte big-endian unsigned length + that many bytes of UTF-8 JSON (one object).

Message
-------
One JSON object with a command ``c`` and a numeric ``id``:

Node -> Python
  {"c": "run", "id": n, "task": {...}, "md5": "...", "inv": 1?}
      Run one task. ``task`` holds id, funcId, scriptId, funcName, kwargs, origin,
      originId, queue, triggerTime (epoch ms), expiresAt (epoch ms, 0 = never), cronExpr?,
      httpRequest?, draft?.
      ``md5`` is the main script's md5 (draft md5 for a draft run).
      ``inv`` = drop every cached user script first (an imported script changed).
  {"c": "discover", "id": n, "scriptId": "...", "code": "..."}
      Import ``code`` in a fresh namespace, list its @DFF.API functions.
  {"c": "reply", "id": k, "r": value}   or   {"c": "reply", "id": k, "e": "message"}
      Answer to the Python "call" k (``e`` present = the host call failed).

Python -> Node
  {"c": "ready", "pid": n, "asLimitMb": m?}
      Sent once, after start-up.
  {"c": "done", "id": n, "o": outcome, "ld": {scriptId: md5}?, "exit": 1?}
      End of a run/discover. ``o`` is a TaskOutcome (run) or DiscoverOutcome
      (discover). ``ld`` = the full map of published scripts now loaded in this
      process, sent only when it changed. ``exit`` = the process exits right after
      (e.g. after a MemoryError); do not send it another task.
  {"c": "call", "id": k, "member": "STORE"|"CACHE"|"ENV"|"FUNC"|"getScript",
   "method": "...", "args": [...]}
      Synchronous host call; Python blocks until the matching "reply".
      getScript: args = [scriptId, draft] -> reply {code, md5} or null.
  {"c": "log", "id": n, "line": "[+12ms] text"}
      A print/DFF.LOG line streamed while a draft (debug) task runs, so lines
      survive a timeout. Other tasks return their lines in the outcome. Only the head
      of the output is streamed (dff.DEBUG_LOG_HEAD_CHARS); the "dropped" marker and
      the tail come in the outcome's printLogs, which Node appends.
  {"c": "live", "id": n, "lines": ["[+12ms] text", ...]}
      A batch of the live view (any task, once it has run dff.LIVE_AFTER_S, a debug run at
      once; rate-limited, see dff.py): Node relays it to live-log subscribers only; the
      outcome's printLogs stay the task's log. The last batch comes before the "done".

Pipelining
----------
Node may send several "run" messages before the first one's "done": they run one after
the other, in order, and each "done" is written as soon as its task ends (Node counts on it:
the first task without a "done" is the running one). A "run" whose ``expiresAt`` has passed
when its turn comes is answered as expired without running. Messages other than the awaited
"reply" that arrive during a host call are kept for the main loop.
"""

import json
import os
import re
import threading
from collections import deque
from datetime import datetime as _datetime


def json_default(value):
    """What the encoder makes of a value JSON has no type for. A datetime becomes its ISO 8601 text
    with its offset, a naive one taken as UTC (``2024-01-02T03:04:05.123456+00:00``), as DataFlux
    Func's worker writes results; anything else stays an error (EFuncResultParsingFailed)."""
    if isinstance(value, _datetime):
        # The same text as value.replace(tzinfo=utc).isoformat(), at half the cost (large results).
        return value.isoformat() + '+00:00' if value.tzinfo is None else value.isoformat()
    raise TypeError('Object of type %s is not JSON serializable' % type(value).__name__)


_encoder = json.JSONEncoder(ensure_ascii=True, separators=(',', ':'), allow_nan=False, default=json_default)
encode_json = _encoder.encode

# A Decimal stands in the data as this text while it is encoded, then the text is replaced by the
# number itself: the encoder has no way to write a number it is not given as a float (which would
# round it).
_DECIMAL_MARK = '\x00\x01Decimal:'
_DECIMAL_RE = re.compile(r'"\\u0000\\u0001Decimal:([-+.0-9eE]+)"')


def plain_numbers(value):
    """``value`` with its NaN and infinite floats as None and its Decimals marked for
    encode_plain_numbers, as DataFlux Func writes a function's return value (NaN and infinities as
    ``null``, a Decimal as a JSON number). Tuples become lists; any other value is left as it is."""
    if isinstance(value, dict):
        return {k: plain_numbers(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_numbers(v) for v in value]
    if isinstance(value, float):
        return value if value - value == 0 else None  # NaN and the infinities are not
    t = type(value)
    if t.__name__ == 'Decimal' and t.__module__ in ('decimal', '_pydecimal'):
        return _DECIMAL_MARK + str(value) if value.is_finite() else None
    return value


def encode_plain_numbers(value):
    """encode_json of what plain_numbers made: each marked Decimal written as its number."""
    return _DECIMAL_RE.sub(r'\1', encode_json(value))


_loads = json.loads
_read = os.read
_writev = os.writev

MAX_FRAME = 1 << 30
# The top bit of a Python -> Node frame's length word: a raw body follows the message (send_with_body).
BODY_FLAG = 1 << 31
IOV_MAX = 1024
# The leading fields of a frame Node wrote (JSON.stringify keeps this key order).
_HEAD = re.compile(rb'\{"c":"(run|reply)","id":(\d+)')


def _decode(frame):
    """The message in a frame; one nested deeper than the decoder goes (RecursionError) becomes
    {"c": "undecodable", "of": "run"|"reply"|None, "id": n}: that task or host call fails, the
    process lives on."""
    try:
        return _loads(frame.decode())
    except RecursionError:
        m = _HEAD.match(bytes(frame[:64]))
        return {'c': 'undecodable', 'of': m.group(1).decode() if m else None, 'id': int(m.group(2)) if m else None}


class HostCallError(Exception):
    """A host call (DFF.STORE, DFF.CACHE, ...) failed on the Node side."""


class Channel:
    __slots__ = ('rfd', 'wfd', '_buf', '_call_id', '_lock', '_wlock', '_inbox')

    def __init__(self, rfd, wfd):
        self.rfd = rfd
        self.wfd = wfd
        self._buf = b''
        self._call_id = 0
        self._lock = threading.Lock()  # one reader at a time (main loop, or a host call)
        self._wlock = threading.Lock()  # whole frames (user threads may log concurrently)
        self._inbox = deque()  # messages read during a host call, for the main loop

    def recv(self):
        """Next message (dict), or None at end of file. A run that cannot be decoded is answered
        here as failed, in its turn."""
        while True:
            msg = self._inbox.popleft() if self._inbox else self._read_frame()
            if msg is None or msg.get('c') != 'undecodable':
                return msg
            if msg['of'] == 'run':
                self.send({'c': 'done', 'id': msg['id'], 'o': {
                    'status': 'failure', 'reason': 'EFuncFailed', 'exceptionType': 'RecursionError', 'costMs': 0,
                    'exception': 'the task is nested too deeply to decode (its kwargs or request)'}})

    def _read_frame(self):
        buf = self._buf
        while True:
            blen = len(buf)
            if blen >= 4:
                n = int.from_bytes(buf[:4], 'big')
                if n > MAX_FRAME:
                    os._exit(70)  # corrupted stream: nothing sane left to do
                end = 4 + n
                if blen >= end:
                    self._buf = buf[end:] if blen > end else b''
                    return _decode(buf[4:end])
                need = end - blen
            else:
                need = 4 - blen
            chunk = _read(self.rfd, need if need > 65536 else 65536)
            if not chunk:
                self._buf = buf
                return None
            if not buf:
                buf = chunk
            else:
                if type(buf) is bytes:
                    buf = bytearray(buf)  # amortised appends for big frames
                buf += chunk
            self._buf = buf

    def _write(self, parts):
        for i in range(0, len(parts), IOV_MAX):
            chunk = parts[i:i + IOV_MAX]
            total = sum(len(p) for p in chunk)
            written = _writev(self.wfd, chunk)
            if written < total:
                # Partial write (big frames, full pipe): finish with plain writes.
                view = memoryview(b''.join(chunk))[written:]
                while view:
                    view = view[os.write(self.wfd, view):]

    def send_bytes(self, data):
        """Write one frame."""
        with self._wlock:
            self._write([len(data).to_bytes(4, 'big'), data])

    def send_parts(self, parts):
        """Write one frame made of these byte strings, in order (not joined first)."""
        with self._wlock:
            self._write([sum(len(p) for p in parts).to_bytes(4, 'big'), *parts])

    def send_with_body(self, parts, body):
        """Write one frame of a JSON message (these byte strings, in order) followed by raw bytes
        (a RESP_LARGE_DATA body): the length word has its top bit set, then the JSON's length."""
        jlen = sum(len(p) for p in parts)
        with self._wlock:
            self._write([((4 + jlen + len(body)) | BODY_FLAG).to_bytes(4, 'big'), jlen.to_bytes(4, 'big'), *parts, body])

    def send(self, msg):
        self.send_bytes(encode_json(msg).encode())

    def call(self, member, method, args, check=None):
        """Synchronous call to the Node host; returns its result or raises HostCallError. ``check``,
        run once the channel is held, may refuse the call by raising."""
        with self._lock:
            if check is not None:
                check()
            self._call_id += 1
            cid = self._call_id
            self.send({'c': 'call', 'id': cid, 'member': member, 'method': method, 'args': args})
            while True:
                msg = self._read_frame()
                if msg is None:
                    os._exit(0)  # Node went away: no one to report to
                if msg.get('c') == 'undecodable' and msg['of'] == 'reply' and msg['id'] == cid:
                    raise HostCallError('the answer is nested too deeply to decode')
                if msg.get('c') == 'reply' and msg.get('id') == cid:
                    if 'e' in msg:
                        raise HostCallError(msg['e'])
                    return msg.get('r')
                if msg.get('c') != 'reply':
                    self._inbox.append(msg)  # a pipelined run: for the main loop
