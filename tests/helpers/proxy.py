"""A small forward proxy on 127.0.0.1 (port 0) that records what it saw.

It serves the two forms a client uses:

* absolute form (``POST http://host:port/path HTTP/1.1``): the request is sent on
  to the origin server (in origin form, without the ``Proxy-*`` headers) and the
  reply relayed back;
* ``CONNECT host:port``: a TCP tunnel; the TLS inside is end to end, so the
  proxy sees only the CONNECT line and its headers.

Every request line and its headers are recorded in :attr:`ForwardProxy.seen`.
With ``credentials=("user", "pw")`` a request without the matching
``Proxy-Authorization: Basic ...`` gets ``407 Proxy Authentication Required``.
With ``tls=ssl_context`` the proxy itself speaks TLS (an ``https://`` proxy).
"""

from __future__ import annotations

import base64
import http.client
import select
import socket
import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self


@dataclass
class Seen:
    """One request the proxy received."""

    method: str
    target: str
    headers: dict[str, str]  # names lower-cased
    body: bytes = b""
    status: int = 0  # what the proxy answered (200 for an established tunnel)
    tunnel_bytes: int = field(default=0)  # bytes relayed client → server through CONNECT


class ForwardProxy:
    """``with ForwardProxy() as proxy:``; ``proxy.url`` is ``http://127.0.0.1:PORT``."""

    def __init__(
        self,
        credentials: tuple[str, str] | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.seen: list[Seen] = []
        self.credentials = credentials
        self._lock = threading.Lock()
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                try:
                    while outer._serve_one(self):
                        pass
                except (OSError, ValueError):
                    pass

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                """Quiet."""

        self._server = Server(("127.0.0.1", 0), Handler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url_with(self, user: str, password: str) -> str:
        from urllib.parse import quote

        return f"{self.scheme}://{quote(user, safe='')}:{quote(password, safe='')}@127.0.0.1:{self.port}"

    def _authorized(self, headers: dict[str, str]) -> bool:
        if self.credentials is None:
            return True
        expected = "Basic " + base64.b64encode(
            f"{self.credentials[0]}:{self.credentials[1]}".encode()
        ).decode()
        return headers.get("proxy-authorization") == expected

    def _serve_one(self, handler: socketserver.StreamRequestHandler) -> bool:
        line = handler.rfile.readline(65537).decode("latin-1").rstrip("\r\n")
        if not line:
            return False
        method, target, _version = line.split(" ", 2)
        headers: dict[str, str] = {}
        while True:
            raw = handler.rfile.readline(65537).decode("latin-1").rstrip("\r\n")
            if not raw:
                break
            name, _, value = raw.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        body = handler.rfile.read(length) if length and method != "CONNECT" else b""
        seen = Seen(method, target, headers, body)
        with self._lock:
            self.seen.append(seen)
        out = handler.wfile
        if not self._authorized(headers):
            seen.status = 407
            out.write(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
            )
            out.flush()
            return method != "CONNECT"
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            try:
                upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
            except OSError:
                seen.status = 502
                out.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                out.flush()
                return False
            seen.status = 200
            out.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            out.flush()
            self._relay(handler.connection, upstream, seen)
            return False
        if not target.startswith("http://"):
            seen.status = 400
            out.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            out.flush()
            return False
        rest = target[len("http://") :]
        authority, slash, path = rest.partition("/")
        host, _, port = authority.rpartition(":")
        conn = http.client.HTTPConnection(host, int(port or 80), timeout=30)
        forwarded = {
            k: v
            for k, v in headers.items()
            if not k.startswith("proxy-") and k not in ("connection", "content-length")
        }
        conn.request(method, slash + path, body=body, headers=forwarded)
        reply = conn.getresponse()
        data = reply.read()
        seen.status = reply.status
        out.write(f"HTTP/1.1 {reply.status} {reply.reason}\r\n".encode("latin-1"))
        for name, value in reply.getheaders():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                out.write(f"{name}: {value}\r\n".encode("latin-1"))
        out.write(f"Content-Length: {len(data)}\r\n\r\n".encode("latin-1"))
        out.write(data)
        out.flush()
        conn.close()
        return True

    @staticmethod
    def _relay(client: socket.socket, upstream: socket.socket, seen: Seen) -> None:
        """Copy bytes both ways until either side closes."""
        sockets = [client, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 10)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        seen.tunnel_bytes += len(data)
                        upstream.sendall(data)
                    else:
                        client.sendall(data)
        finally:
            upstream.close()

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
