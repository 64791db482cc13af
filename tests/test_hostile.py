"""Hostile servers: each case ends in its typed error, after the expected number of
requests, within 2 s of its limit, with the client's peak RSS under 200 MiB.

The client runs in a fresh interpreter limited to 1 GiB of address space
(``RLIMIT_AS``), so a reply read whole or inflated would end in ``MemoryError``
instead of passing; its peak RSS is reported back and checked (``VmHWM`` of the client
process: ``ru_maxrss`` would include the forking pytest process's pages).
"""

from __future__ import annotations

import gzip
import time
from typing import Any

import pytest
from conftest import ROOT
from helpers.clients import make_client
from helpers.hostile import DRIP_BODY, HostileServer, gzip_bomb, run_client

from aws_runtime import Config
from aws_runtime.errors import CallTimeoutError

MEMORY_LIMIT = 1 << 30  # RLIMIT_AS of the client process
RSS_LIMIT_MIB = 200


def _run(server: HostileServer, **config: Any) -> dict[str, Any]:
    return run_client(server.url, config, MEMORY_LIMIT, str(ROOT))


def _assert_bounded(outcome: dict[str, Any]) -> None:
    assert outcome["maxrss_mib"] < RSS_LIMIT_MIB, outcome


def test_huge_content_length_is_refused_before_reading() -> None:
    with HostileServer("huge-length") as srv:
        outcome = _run(srv)
        requests = srv.requests
    assert outcome["error"] == "ResponseTooLargeError", outcome
    assert "declares Content-Length 2147483648" in outcome["message"]
    assert "Config.max_response_bytes=67108864" in outcome["message"]
    assert outcome["attempts"] == 1 and requests == 1  # not retried
    assert outcome["elapsed"] < 2.0
    _assert_bounded(outcome)


@pytest.mark.parametrize("limit", [None, 1 << 20])
def test_endless_chunked_body_stops_at_the_limit(limit: int | None) -> None:
    config = {} if limit is None else {"max_response_bytes": limit}
    with HostileServer("endless-chunked") as srv:
        outcome = _run(srv, **config)
        requests = srv.requests
    expected = limit or 64 * 1024 * 1024
    assert outcome["error"] == "ResponseTooLargeError", outcome
    assert f"exceeded Config.max_response_bytes={expected}" in outcome["message"]
    stopped_after = int(outcome["message"].split("stopped after ")[1].split(" bytes")[0])
    assert expected < stopped_after <= expected + 64 * 1024  # at most one chunk more
    assert outcome["attempts"] == 1 and requests == 1
    assert outcome["elapsed"] < 2.0 + (expected / 2**20) * 0.05  # transfer time, generous
    _assert_bounded(outcome)


def test_gzip_bomb_is_not_inflated() -> None:
    bomb = gzip_bomb()
    member = gzip.compress(b"\0" * (1 << 20), compresslevel=9, mtime=0)
    assert bomb == member * 4096 and len(gzip.decompress(member)) == 1 << 20  # 4 GiB inflated
    with HostileServer("gzip-bomb") as srv:
        outcome = _run(srv)
        requests = srv.requests
        sent = srv.bytes_sent
    assert outcome["error"] == "ResponseParseError", outcome
    assert "Content-Encoding 'gzip'" in outcome["message"] and "not decoded" in outcome["message"]
    assert outcome["attempts"] == 1 and requests == 1
    assert sent > len(bomb)  # the whole 4 MiB body was served and read, not inflated
    assert outcome["elapsed"] < 2.0
    _assert_bounded(outcome)


def test_slow_drip_ends_at_the_call_deadline() -> None:
    with HostileServer("drip", interval=0.5) as srv:
        outcome = _run(srv, call_timeout=2.0)
        requests = srv.requests
        sent = srv.bytes_sent
    assert outcome["error"] == "CallTimeoutError", outcome
    assert "Config.call_timeout=2 s" in outcome["message"]
    assert "reading the reply body" in outcome["message"]
    assert 2.0 <= outcome["elapsed"] < 2.0 + 2.0
    assert outcome["attempts"] == 1 and requests == 1  # a deadline is never retried
    assert sent < 400  # headers plus a few body bytes of the 48
    assert len(DRIP_BODY) == 48
    _assert_bounded(outcome)


def test_slow_drip_without_deadline_is_only_bounded_by_the_server() -> None:
    """Without call_timeout (the default, as boto3) the 48-byte drip is read to the end:
    each byte arrives within read_timeout, so no per-read timeout fires."""
    with HostileServer("drip", interval=0.02) as srv:
        outcome = _run(srv, read_timeout=1.0)
    assert outcome["error"] is None, outcome
    assert outcome["elapsed"] >= 48 * 0.02


def test_deadline_covers_retries_and_backoff() -> None:
    """503 at once on every attempt, backoff 1 s then 2 s (jitter fixed at 1.0): with
    call_timeout=2.5 the second backoff would pass the deadline, so the call stops after
    2 requests, at about 1 s, without sleeping past the limit."""
    with HostileServer("status-503") as srv:
        client = make_client(
            srv.url, Config(call_timeout=2.5, max_attempts=10, random=lambda: 1.0)
        )
        started = time.monotonic()
        with pytest.raises(CallTimeoutError) as info:
            client.describe_severity_levels()
        elapsed = time.monotonic() - started
        requests = srv.requests
    assert requests == 2 and info.value.attempts == 2
    assert 1.0 <= elapsed < 2.5
    assert "Config.call_timeout=2.5 s" in str(info.value)
    assert info.value.limit == 2.5
    assert type(info.value.__cause__).__name__ == "SupportError"  # the last 503
