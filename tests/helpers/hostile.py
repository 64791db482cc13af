"""A hostile HTTP server on 127.0.0.1 (port 0), and a client run in a subprocess under a
memory limit that reports what happened.

Server modes (one per instance):

* ``huge-length``: ``200`` declaring ``Content-Length: 2147483648`` (2 GiB), then
  zeros for as long as the client reads;
* ``endless-chunked``: ``200`` with ``Transfer-Encoding: chunked`` and 64 KiB chunks
  forever;
* ``gzip-bomb``: ``200`` with ``Content-Encoding: gzip``: 4 MiB of gzip members that
  inflate to 4 GiB of zeros;
* ``drip``: ``200`` with a 48-byte JSON body sent one byte every ``interval`` seconds;
* ``status-503``: ``503`` with an empty JSON body, at once.

The server counts requests and bytes sent, and notes when the client hung up.
"""

from __future__ import annotations

import gzip
import json
import socket
import socketserver
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

DRIP_BODY = b'{"severityLevels":[{"code":"low","name":"Low"}]}'  # 48 bytes, valid JSON
_ZEROS_MIB = b"\0" * (1 << 20)


def gzip_bomb(inflated_mib: int = 4096) -> bytes:
    """Concatenated gzip members (RFC 1952 allows several) of 1 MiB of zeros each:
    about 1 KiB per member, so 4096 members ≈ 4 MiB inflating to 4 GiB."""
    member = gzip.compress(_ZEROS_MIB, compresslevel=9, mtime=0)
    return member * inflated_mib


class HostileServer:
    """``with HostileServer("drip", interval=0.5) as srv:``; ``srv.url``, ``srv.requests``."""

    def __init__(self, mode: str, *, interval: float = 0.5) -> None:
        self.mode = mode
        self.interval = interval
        self.requests = 0
        self.bytes_sent = 0
        self.hangups: list[float] = []  # time.monotonic() when a client went away
        self.first_request_at: float | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._bomb = gzip_bomb() if mode == "gzip-bomb" else b""
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                try:
                    outer._handle(self.request)
                except OSError:
                    with outer._lock:
                        outer.hangups.append(time.monotonic())

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                """Quiet."""

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _send(self, sock: socket.socket, data: bytes) -> None:
        sock.sendall(data)
        with self._lock:
            self.bytes_sent += len(data)

    def _read_request(self, sock: socket.socket) -> bool:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                return False
            rest += chunk
        with self._lock:
            self.requests += 1
            if self.first_request_at is None:
                self.first_request_at = time.monotonic()
        return True

    def _handle(self, sock: socket.socket) -> None:
        sock.settimeout(30)
        while not self._stop.is_set() and self._read_request(sock):
            head = "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.1\r\n{extra}\r\n"
            mode = self.mode
            if mode == "status-503":
                body = b"{}"
                self._send(sock, head.format(status="503 Service Unavailable", extra=f"Content-Length: {len(body)}\r\n").encode() + body)
                continue
            if mode == "huge-length":
                self._send(sock, head.format(status="200 OK", extra="Content-Length: 2147483648\r\n").encode())
                block = b"\0" * 65536
                while not self._stop.is_set():
                    self._send(sock, block)
            elif mode == "endless-chunked":
                self._send(sock, head.format(status="200 OK", extra="Transfer-Encoding: chunked\r\n").encode())
                chunk = b"%x\r\n" % 65536 + b"a" * 65536 + b"\r\n"
                while not self._stop.is_set():
                    self._send(sock, chunk)
            elif mode == "gzip-bomb":
                extra = f"Content-Encoding: gzip\r\nContent-Length: {len(self._bomb)}\r\n"
                self._send(sock, head.format(status="200 OK", extra=extra).encode() + self._bomb)
                continue
            elif mode == "drip":
                extra = f"Content-Length: {len(DRIP_BODY)}\r\n"
                self._send(sock, head.format(status="200 OK", extra=extra).encode())
                for i in range(len(DRIP_BODY)):
                    if self._stop.wait(self.interval):
                        return
                    self._send(sock, DRIP_BODY[i : i + 1])
                continue
            return

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


CLIENT_SCRIPT = r'''
import json, resource, sys, time
url, memory_limit, config = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
from aws_runtime import Config
from aws_support import SupportClient
client = SupportClient(region_name="us-east-1", endpoint_url=url, aws_access_key_id="AKIDHOSTILE",
                       aws_secret_access_key="hostile-secret", config=Config(**config))
start = time.monotonic()
outcome = {"error": None}
try:
    client.describe_severity_levels()
except BaseException as exc:
    outcome = {"error": type(exc).__name__, "message": str(exc)[:400],
               "attempts": getattr(exc, "attempts", None), "mro": [c.__name__ for c in type(exc).__mro__]}
outcome["elapsed"] = time.monotonic() - start
# Peak RSS of this process image: VmHWM. (ru_maxrss would also count the parent's pages
# from before exec: Linux keeps the larger of the old and new high-water marks.)
with open("/proc/self/status") as status:
    hwm = next(line for line in status if line.startswith("VmHWM:"))
outcome["maxrss_mib"] = int(hwm.split()[1]) / 1024
print(json.dumps(outcome))
'''


def run_client(url: str, config: dict[str, Any], memory_limit: int, cwd: str) -> dict[str, Any]:
    """Run one ``describe_severity_levels`` call in a fresh interpreter limited to
    ``memory_limit`` bytes of address space (``RLIMIT_AS``); return what it printed:
    ``error`` (type name or None), ``message``, ``attempts``, ``elapsed`` seconds and
    ``maxrss_mib`` (peak resident memory of the client process, ``VmHWM``)."""
    import os
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", CLIENT_SCRIPT, url, str(memory_limit), json.dumps(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env=dict(os.environ),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result

