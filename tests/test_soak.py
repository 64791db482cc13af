"""Soak: 1,000 calls on one client against a server that injects a fault into about
20% of replies (seeded, so every run sees the same sequence).

Every call must either return exactly the value the server sent for it, or raise
the typed error matching the last reply it got, after exactly as many attempts
as the standard retry rules allow. Backoff sleeps are injected, so the whole
soak takes a few seconds and ends by itself (each call is bounded by
max_attempts x read_timeout).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from helpers.clients import FakeSleep, error_reply, make_client, refresh_status_body
from helpers.server import Recorded, Reply, ScriptedServer

from aws_runtime import AWSError, Config, ResponseParseError
from aws_runtime.errors import ConnectionClosedError, ReadTimeoutError
from aws_support import errors

pytestmark = pytest.mark.usefixtures("flavour")  # every scenario, sync and async client

CALLS = 1000
SEED = 20260401
MAX_ATTEMPTS = 3
READ_TIMEOUT = 0.5
HTML = "<!doctype html>\n<html lang=en>\n<title>503 Service Unavailable</title>\n"


@dataclass(frozen=True)
class Fault:
    label: str
    per_mille: int
    retryable: bool
    error: type[BaseException] | None  # what the caller gets when this is the last reply


FAULTS = [
    Fault("ok", 800, False, None),
    Fault("throttle-400", 50, True, errors.ThrottlingException),
    Fault("500-empty", 30, True, errors.SupportError),
    Fault("503-html", 20, True, errors.SupportError),
    Fault("429", 20, True, errors.SupportError),
    Fault("504-empty", 10, True, errors.SupportError),
    Fault("reset", 25, True, ConnectionClosedError),
    Fault("early-close", 25, True, ConnectionClosedError),
    Fault("hang", 5, True, ReadTimeoutError),
    Fault("case-not-found-400", 7, False, errors.CaseIdNotFound),
    Fault("html-200", 8, False, ResponseParseError),
]
BY_LABEL = {f.label: f for f in FAULTS}


def _reply_for(label: str, body: dict[str, Any]) -> Reply:
    if label == "ok":
        return Reply(body=body, label=label)
    if label == "throttle-400":
        return error_reply(400, "ThrottlingException", "Rate exceeded", label=label)
    if label == "500-empty":
        return Reply(status=500, body=b"", label=label)
    if label == "503-html":
        return Reply(status=503, body=HTML, content_type="text/html", label=label)
    if label == "429":
        return error_reply(429, "TooManyRequestsException", label=label)
    if label == "504-empty":
        return Reply(status=504, body=b"", label=label)
    if label == "reset":
        return Reply(reset=True, label=label)
    if label == "early-close":
        return Reply(close_early=True, body=body, label=label)
    if label == "hang":
        return Reply(hang=True, label=label)
    if label == "case-not-found-400":
        return error_reply(400, "CaseIdNotFound", "no such case", label=label)
    assert label == "html-200"
    return Reply(status=200, body=HTML, content_type="text/html", label=label)


def test_soak_1000_calls_with_20_percent_faults() -> None:
    rng = random.Random(SEED)
    labels = [f.label for f in FAULTS]
    weights = [f.per_mille for f in FAULTS]
    assert sum(weights) == 1000

    def responder(rec: Recorded) -> Reply:
        check_id = rec.json()["checkId"]
        body = refresh_status_body(check_id, int(check_id.split("-")[1]))
        return _reply_for(rng.choices(labels, weights)[0], body)

    sleep = FakeSleep()
    jitter = random.Random(SEED + 1)
    config = Config(
        max_attempts=MAX_ATTEMPTS, read_timeout=READ_TIMEOUT, sleep=sleep, random=jitter.random
    )
    outcomes: dict[int, Any] = {}
    with ScriptedServer(responder) as server:
        client = make_client(server.url, config)
        for i in range(CALLS):
            try:
                outcomes[i] = client.refresh_trusted_advisor_check(check_id=f"check-{i}")
            except AWSError as exc:  # anything else fails the test
                outcomes[i] = exc
        quota_left = client._retry.quota.available
        client.close()

    per_call: dict[int, list[str]] = {}
    for rec in server.requests:
        assert rec.reply is not None
        per_call.setdefault(int(rec.json()["checkId"].split("-")[1]), []).append(rec.reply.label)
    assert sorted(per_call) == list(range(CALLS))

    results: Counter[str] = Counter()
    for i in range(CALLS):
        seq = per_call[i]
        outcome = outcomes[i]
        last = BY_LABEL[seq[-1]]
        assert 1 <= len(seq) <= MAX_ATTEMPTS, (i, seq)
        assert all(BY_LABEL[label].retryable for label in seq[:-1]), (i, seq)
        if last.error is None:
            assert not isinstance(outcome, BaseException), (i, seq, outcome)
            assert outcome.status.check_id == f"check-{i}"
            assert outcome.status.millis_until_next_refreshable == i
            results["returned"] += 1
            continue
        assert type(outcome) is last.error, (i, seq, outcome)
        assert outcome.attempts == len(seq), (i, seq, outcome)
        if last.retryable:  # the call stopped on a retryable fault: only the limits stop it
            assert len(seq) == MAX_ATTEMPTS or outcome.retry_note == "retry quota exhausted"
            assert outcome.retry_note in ("max attempts reached", "retry quota exhausted")
            results["gave up after retryable faults"] += 1
        else:
            assert outcome.retry_note == ""
            results[f"raised {type(outcome).__name__} at once"] += 1

    # One backoff sleep per retry, in call order: before attempt n + 1 it is below 2 ** (n - 1).
    bounds = [2.0 ** (n - 1) for i in range(CALLS) for n in range(1, len(per_call[i]))]
    assert len(sleep.delays) == len(bounds)
    assert all(0 <= delay < bound for delay, bound in zip(sleep.delays, bounds, strict=True))
    retries = len(bounds)
    injected = Counter(r.reply.label for r in server.requests if r.reply is not None)
    fault_share = 1 - injected["ok"] / len(server.requests)
    assert 0.15 < fault_share < 0.25
    assert results["returned"] > 900
    print(
        f"\nsoak: {CALLS} calls, {len(server.requests)} requests, {retries} retries, "
        f"{server.connections} connections, faults {dict(injected)}, "
        f"outcomes {dict(results)}, quota left {quota_left}"
    )
