"""Per-call overhead and reply-size scaling: this client vs boto3 vs a raw urllib3 POST.

All three sides talk to the same canned keep-alive server (:mod:`bench.server`,
its own process) over one pooled connection each, in this process, taking
turns: each round runs a batch of calls on every side, in an order that
rotates from round to round, and every call is timed on its own with
``time.perf_counter``. Reported figures are medians over all timed calls.

Sides:

* ``ours``: ``SupportClient`` with explicit credentials, ``Config(max_attempts=1)``;
  validation on (the default);
* ``boto3``: ``boto3.client("support")`` with explicit credentials,
  ``retries={"max_attempts": 1, "mode": "standard"}``; validation on (the default);
* ``raw``: the limit. The JSON body is serialized once, up front; each call
  only signs it with this project's :class:`~aws_runtime.sigv4.SigV4Signer`
  (a signature must be fresh), sends it with ``HTTPConnectionPool.urlopen``
  and decodes the reply with ``json.loads``. No validation, no typed
  results, no error handling: the least work any client must do.
* ``urllib3``: issue 12's floor: the prepared body POSTed *unsigned* with
  ``HTTPConnectionPool.urlopen`` and the reply decoded with ``json.loads``.
  A client at or under 1.0× of it signs, validates and returns typed results
  for no more than the cost of an HTTP library plus ``json.loads``.
* ``floor``: not a client. The complete HTTP request (signed once) is written
  to a plain socket and the reply read back until its ``Content-Length`` is
  complete: the server, loopback and kernel share of every call. Subtracting
  it from a side gives that side's own per-call overhead.

Each figure is the median over every timed call; ``spreads`` also give the
min and max over the rounds of the per-round medians.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .util import median

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["CallResult", "CannedServer", "Sides", "Spread", "measure_calls", "scale_calls"]

ACCESS_KEY = "AKIDBENCHMARK0000000"
SECRET_KEY = "bench/secret/key/not/a/real/one/00000000"
REGION = "us-east-1"
TARGET_PREFIX = "AWSSupport_20130415."

CREATE_CASE = {
    "subject": "EC2 instance will not boot",
    "communication_body": "i-0123456789abcdef0 fails its status checks since 14:02 UTC.",
    "service_code": "amazon-elastic-compute-cloud-linux",
    "category_code": "instance-issue",
    "severity_code": "low",
    "cc_email_addresses": ["oncall@example.com", "lead@example.com"],
    "language": "en",
    "issue_type": "technical",
}
DESCRIBE_CASES = {
    "case_id_list": ["case-123456789012-muen-2026-4b1f0e2a5a6c8d11"],
    "include_communications": True,
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def wire_params(params: dict[str, Any]) -> dict[str, Any]:
    """The boto3 / wire spelling of our snake_case benchmark parameters."""
    return {_camel(k): v for k, v in params.items()}


class CannedServer:
    """Start ``python -m bench.server`` and stop it again; ``url`` is its endpoint."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            self.close()
            raise RuntimeError(f"bench.server did not start: {line!r}")
        self.port = int(line[1])
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        """Close the server's stdin (it exits on end of input) and reap it."""
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.terminate()
            self._proc.wait(timeout=10)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Sides:
    """The three clients for one endpoint URL (and the floor's sockets, once made)."""

    ours: Any
    boto3: Any
    raw_pool: Any
    raw_url: str
    raw_path: str
    sockets: list[Any] = field(default_factory=list)

    def close(self) -> None:
        self.ours.close()
        self.boto3.close()
        self.raw_pool.close()
        for sock in self.sockets:
            sock.close()


def make_sides(url: str) -> Sides:
    """Build our client, a boto3 client and a raw urllib3 pool for ``url``."""
    import boto3
    import botocore.config
    import urllib3

    from aws_runtime.config import Config
    from aws_support import SupportClient

    ours = SupportClient(
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(max_attempts=1),
    )
    b3 = boto3.client(
        "support",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    parsed = urllib3.util.parse_url(url)
    pool = urllib3.HTTPConnectionPool(parsed.host, parsed.port, maxsize=1, retries=False)
    path = (parsed.path or "").rstrip("/") + "/"
    return Sides(ours, b3, pool, f"{url.rstrip('/')}/", path)


def raw_caller(sides: Sides, operation: str, params: dict[str, Any]) -> Callable[[], Any]:
    """The limit: sign a prepared body, POST it with urllib3, decode the JSON reply."""
    from aws_runtime.credentials import Credentials
    from aws_runtime.http import HttpRequest
    from aws_runtime.sigv4 import SigV4Signer

    body = json.dumps(wire_params(params)).encode()
    signer = SigV4Signer("support", REGION)
    credentials = Credentials(ACCESS_KEY, SECRET_KEY)
    target = TARGET_PREFIX + operation
    url, path, pool, loads = sides.raw_url, sides.raw_path, sides.raw_pool, json.loads

    def call() -> Any:
        request = HttpRequest(
            "POST",
            url,
            {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"},
            body,
        )
        signer.sign(request, credentials)
        reply = pool.urlopen(
            "POST",
            path,
            body=body,
            headers=request.headers,
            retries=False,
            redirect=False,
            preload_content=True,
        )
        if reply.status != 200:
            raise RuntimeError(f"raw {operation}: HTTP {reply.status}")
        return loads(reply.data)

    return call


def unsigned_caller(sides: Sides, operation: str, params: dict[str, Any]) -> Callable[[], Any]:
    """Issue 12's floor: an unsigned urllib3 POST of a prepared body, reply ``json.loads``-ed."""
    body = json.dumps(wire_params(params)).encode()
    headers = {"X-Amz-Target": TARGET_PREFIX + operation, "Content-Type": "application/x-amz-json-1.1"}
    path, pool, loads = sides.raw_path, sides.raw_pool, json.loads

    def call() -> Any:
        reply = pool.urlopen(
            "POST", path, body=body, headers=headers, retries=False, redirect=False, preload_content=True
        )
        if reply.status != 200:
            raise RuntimeError(f"urllib3 {operation}: HTTP {reply.status}")
        return loads(reply.data)

    return call


def floor_caller(sides: Sides, operation: str, params: dict[str, Any]) -> Callable[[], Any]:
    """The floor: a pre-built request on a bare keep-alive socket; no HTTP library, no parsing."""
    import socket

    from aws_runtime.credentials import Credentials
    from aws_runtime.http import HttpRequest
    from aws_runtime.sigv4 import SigV4Signer

    body = json.dumps(wire_params(params)).encode()
    request = HttpRequest(
        "POST",
        sides.raw_url,
        {"X-Amz-Target": TARGET_PREFIX + operation, "Content-Type": "application/x-amz-json-1.1"},
        body,
    )
    SigV4Signer("support", REGION).sign(request, Credentials(ACCESS_KEY, SECRET_KEY))
    host, port = sides.raw_pool.host, sides.raw_pool.port
    head = f"POST {sides.raw_path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
    data = (head + f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1") + body
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as urllib3 does
    sides.sockets.append(sock)
    buffer = bytearray()

    def call() -> int:
        sock.sendall(data)
        total = -1
        while total < 0 or len(buffer) < total:
            chunk = sock.recv(262144)
            if not chunk:
                raise RuntimeError("floor: connection closed")
            buffer.extend(chunk)
            if total < 0:
                end = buffer.find(b"\r\n\r\n")
                if end >= 0:
                    start = buffer.find(b"Content-Length: ", 0, end) + 16
                    total = end + 4 + int(buffer[start : buffer.find(b"\r", start)])
        if not buffer.startswith(b"HTTP/1.1 200 "):
            raise RuntimeError(f"floor {operation}: {bytes(buffer[:40])!r}")
        del buffer[:total]
        return total

    return call


def callers(sides: Sides, operation: str, params: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    """``{side: zero-argument call}`` for one operation and parameter set."""
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")
    ours = getattr(sides.ours, snake)
    b3 = getattr(sides.boto3, snake)
    wire = wire_params(params)
    return {
        "ours": lambda: ours(**params),
        "boto3": lambda: b3(**wire),
        "raw": raw_caller(sides, operation, params),
        "urllib3": unsigned_caller(sides, operation, params),
        "floor": floor_caller(sides, operation, params),
    }


def _check(side: str, operation: str, reply: Any, cases: int | None) -> None:
    """Each side really got the canned reply (a silent error would make it look fast)."""
    if side == "floor":
        assert reply > 0, reply
    elif operation == "CreateCase":
        case_id = reply.case_id if side == "ours" else reply["caseId"]
        assert case_id.startswith("case-"), (side, reply)
    else:
        got = len(reply.cases) if side == "ours" else len(reply["cases"])
        assert got == cases, (side, got, cases)


@dataclass(frozen=True)
class Spread:
    """A figure over repeats: the median, and the smallest and largest repeat."""

    median: float
    min: float
    max: float


@dataclass(frozen=True)
class CallResult:
    """Median seconds per call for each side, how many calls each median covers, and the
    min and max of the per-round medians."""

    operation: str
    cases: int | None
    medians: dict[str, float]
    calls: int
    spreads: dict[str, Spread] = field(default_factory=dict)


def run_alternating(
    funcs: dict[str, Callable[[], Any]], rounds: int, batch: int, warmup: int
) -> tuple[dict[str, float], dict[str, Spread]]:
    """Warm every side up, then ``rounds`` rounds of ``batch`` timed calls per side, alternating.

    Returns the median of all timed calls per side, and per side a :class:`Spread`
    (that median, and the min and max of the per-round medians)."""
    for func in funcs.values():
        for _ in range(warmup):
            func()
    samples: dict[str, list[float]] = {name: [] for name in funcs}
    rounds_of: dict[str, list[float]] = {name: [] for name in funcs}
    names = list(funcs)
    clock = time.perf_counter
    for r in range(rounds):
        gc.collect()
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            func = funcs[name]
            record = samples[name].append
            start = len(samples[name])
            for _ in range(batch):
                started = clock()
                func()
                record(clock() - started)
            rounds_of[name].append(median(samples[name][start:]))
    medians = {name: median(values) for name, values in samples.items()}
    spreads = {
        name: Spread(medians[name], min(rounds_of[name]), max(rounds_of[name])) for name in funcs
    }
    return medians, spreads


def measure_calls(url: str, *, calls: int, batch: int, warmup: int) -> list[CallResult]:
    """Per-call medians for create_case and describe_cases (20-case reply)."""
    sides = make_sides(url)
    try:
        results = []
        for operation, params, cases in (
            ("CreateCase", CREATE_CASE, None),
            ("DescribeCases", DESCRIBE_CASES, 20),
        ):
            funcs = callers(sides, operation, params)
            for side, func in funcs.items():
                _check(side, operation, func(), cases)
            rounds = max(1, calls // batch)
            medians, spreads = run_alternating(funcs, rounds, batch, warmup)
            results.append(CallResult(operation, cases, medians, rounds * batch, spreads))
        return results
    finally:
        sides.close()


def scale_calls(
    base_url: str, sizes: dict[int, int], *, batch_divisor: int = 10, warmup: int = 5
) -> list[CallResult]:
    """describe_cases with replies of each size in ``sizes`` (``{cases: calls per side}``)."""
    results = []
    for cases, calls in sizes.items():
        sides = make_sides(f"{base_url}/cases/{cases}")
        try:
            funcs = callers(sides, "DescribeCases", DESCRIBE_CASES)
            for side, func in funcs.items():
                _check(side, "DescribeCases", func(), cases)
            batch = max(1, calls // batch_divisor)
            rounds = max(1, calls // batch)
            medians, spreads = run_alternating(funcs, rounds, batch, warmup)
            results.append(CallResult("DescribeCases", cases, medians, rounds * batch, spreads))
        finally:
            sides.close()
    return results


class _MemoryTransport:
    """Answers every request with one canned reply, without any I/O."""

    def __init__(self, body: bytes) -> None:
        from aws_runtime.http import HttpResponse

        self._reply = HttpResponse(
            200,
            {"x-amzn-requestid": "c0ffee00", "content-type": "application/x-amz-json-1.1"},
            body,
        )

    def send(self, request: Any) -> Any:
        return self._reply

    def close(self) -> None:
        pass


def _per_call(func: Callable[[], Any], loops: int, repeats: int) -> float:
    """Median over ``repeats`` of the mean seconds per call over ``loops`` calls."""
    clock = time.perf_counter
    results = []
    for _ in range(repeats):
        started = clock()
        for _ in range(loops):
            func()
        results.append((clock() - started) / loops)
    return median(results)


def measure_breakdown(loops: int, repeats: int) -> dict[str, dict[str, float]]:
    """Seconds per call of this client's CPU work, without network, and of its parts.

    ``{operation: {part: seconds}}`` with parts ``call`` (the whole method
    with an in-memory transport), ``sign`` (one SigV4 signature, which the raw
    limit pays too), ``json`` (``json.loads`` of the reply, also paid by the
    raw limit) and ``parse`` (decoding the body bytes into the typed result,
    one msgspec pass: it replaces ``json`` for this client).
    """
    from aws_runtime.config import Config
    from aws_runtime.credentials import Credentials
    from aws_runtime.http import HttpRequest
    from aws_runtime.sigv4 import SigV4Signer
    from aws_support import SupportClient, _serde

    from .server import CASE_ID, describe_cases_reply

    out: dict[str, dict[str, float]] = {}
    for operation, params, reply, parse in (
        ("CreateCase", CREATE_CASE, {"caseId": CASE_ID}, _serde.parse_create_case_response),
        (
            "DescribeCases",
            DESCRIBE_CASES,
            describe_cases_reply(20),
            _serde.parse_describe_cases_response,
        ),
    ):
        body = json.dumps(reply).encode()
        client = SupportClient(
            region_name=REGION,
            endpoint_url="http://127.0.0.1:9",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(max_attempts=1),
            transport=_MemoryTransport(body),
        )
        method = getattr(client, "create_case" if operation == "CreateCase" else "describe_cases")
        signer = SigV4Signer("support", REGION)
        credentials = Credentials(ACCESS_KEY, SECRET_KEY)
        wire = json.dumps(wire_params(params)).encode()
        headers = {"X-Amz-Target": TARGET_PREFIX + operation, "Content-Type": "x"}

        def sign(
            signer: Any = signer,
            credentials: Any = credentials,
            wire: bytes = wire,
            headers: dict[str, str] = headers,
        ) -> None:
            signer.sign(
                HttpRequest("POST", "http://127.0.0.1:9/", dict(headers), wire), credentials
            )

        out[operation] = {
            "call": _per_call(
                lambda method=method, params=params: method(**params), loops, repeats
            ),
            "sign": _per_call(sign, loops, repeats),
            "json": _per_call(lambda body=body: json.loads(body), loops, repeats),
            "parse": _per_call(lambda parse=parse, body=body: parse(body), loops, repeats),
        }
    return out
