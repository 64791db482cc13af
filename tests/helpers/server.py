"""A fault-injecting, scripted HTTP/1.1 server on 127.0.0.1 (port 0) that records every request.

Each incoming request takes the next :class:`Reply` from the script (the last
one repeats when the script runs out), or asks a callable for it. A reply sets
status, headers, body and the ``Date`` header (current time, a fixed value, or
none), and can inject a fault: wait before answering (``delay``), never answer
until the client gives up (``hang``), reset the connection (``reset``, TCP RST,
no reply) or close it after sending the headers and half the body
(``close_early``). Keep-alive is supported; accepted sockets are counted
(``connections``) and currently open ones tracked (``open_connections``) so
tests can check connection reuse and release.
"""

from __future__ import annotations

import email.utils
import json
import select
import socket
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

CURRENT_DATE = "current"
"""``Reply.date`` default: send the server's current time as ``Date``."""

_LINGER_RST = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST
_HANG_LIMIT = 10.0  # a hanging reply gives up waiting for the client after this many seconds


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    hang: bool = False  # never answer; wait until the client closes the connection
    reset: bool = False  # close the socket with RST, no reply at all
    close_early: bool = False  # send headers and half the body, then close
    content_type: str = "application/x-amz-json-1.1"
    date: str | None = CURRENT_DATE  # Date header: current time, this value, or None to omit
    label: str = ""  # free text recorded with the request (fault kind, for assertions)

    def payload(self) -> bytes:
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body).encode()
        if isinstance(self.body, str):
            return self.body.encode()
        return self.body


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float
    reply: Reply | None = None

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def invocation_id(self) -> str:
        return self.headers.get("amz-sdk-invocation-id", "")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients connecting at once must not overflow the backlog

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: injected faults make writes to closed sockets fail on purpose."""


class ScriptedServer:
    """Start with ``with ScriptedServer([...]) as srv:``; ``srv.url`` is the endpoint."""

    def __init__(
        self,
        script: Iterable[Reply] | Callable[[Recorded], Reply] = (),
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """``tls``: serve HTTPS with this server-side context (``url`` is then https)."""
        self.requests: list[Recorded] = []
        self.connections = 0
        self.open_connections = 0
        self._lock = threading.Lock()
        self._closed = threading.Condition(self._lock)
        self._responder: Callable[[Recorded], Reply] | None = None
        self._script: list[Reply] = []
        if callable(script):
            self._responder = script
        else:
            self._script = list(script) or [Reply()]
        self._index = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle on, the body of a reply
            # on a kept-alive connection waits ~40 ms for the client's delayed ACK.
            disable_nagle_algorithm = True

            def setup(self) -> None:
                super().setup()
                with outer._lock:
                    outer.connections += 1
                    outer.open_connections += 1

            def finish(self) -> None:
                try:
                    super().finish()
                except OSError:
                    pass
                with outer._lock:
                    outer.open_connections -= 1
                    outer._closed.notify_all()

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                rec = Recorded(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    time.time(),
                )
                reply = outer._next(rec)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.hang:
                    # Wait for the client to give up (EOF or reset), then drop the connection.
                    select.select([self.connection], [], [], _HANG_LIMIT)
                    self.close_connection = True
                    return
                if reply.reset:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RST)
                    self.close_connection = True
                    self.connection.close()
                    return
                payload = reply.payload()
                self.send_response_only(reply.status)
                self.send_header("Server", "scripted-test-server")
                if reply.date == CURRENT_DATE:
                    self.send_header("Date", email.utils.formatdate(usegmt=True))
                elif reply.date is not None:
                    self.send_header("Date", reply.date)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("x-amzn-RequestId", f"req-{len(outer.requests)}")
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if reply.close_early:
                    self.wfile.write(payload[: len(payload) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(payload)

            do_GET = do_POST

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.scheme = "http"
        if tls is not None:
            # The handshake runs in accept(); a client that rejects the certificate makes
            # accept() fail with an SSLError (an OSError), which socketserver ignores.
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def _next(self, rec: Recorded) -> Reply:
        with self._lock:
            self.requests.append(rec)
            if self._responder is not None:
                reply = self._responder(rec)
            else:
                reply = self._script[min(self._index, len(self._script) - 1)]
                self._index += 1
            rec.reply = reply
            return reply

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def requests_per_invocation(self) -> Counter[str]:
        """How many requests each ``amz-sdk-invocation-id`` (one client call) made."""
        with self._lock:
            return Counter(r.invocation_id for r in self.requests)

    def wait_for_open_connections(self, count: int, timeout: float = 5.0) -> bool:
        """Block until at most ``count`` connections are open; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._closed:
            while self.open_connections > count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._closed.wait(left)
            return True

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
