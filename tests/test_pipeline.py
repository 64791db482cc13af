"""The sans-IO call pipeline driven by hand: the effects it yields, in order, and what it
does with each outcome (no sockets; the sync and async drivers are tested end to end
elsewhere)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aws_runtime import Config
from aws_runtime.credentials import Credentials
from aws_runtime.errors import AWSError, DeadlineExceededError, ReadTimeoutError, ServiceError
from aws_runtime.http import HttpRequest, HttpResponse
from aws_runtime.pipeline import (
    CallContext,
    Interceptor,
    LoadCredentials,
    RefreshCredentials,
    Send,
    Sleep,
    takes_body_bytes,
)
from aws_runtime.retries import Decision
from aws_support import SupportClient

CREDS = Credentials("AKIDPIPE", "pipe-secret")


def _client(**config: Any) -> SupportClient:
    config.setdefault("random", lambda: 0.5)
    return SupportClient(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="AKIDPIPE",
        aws_secret_access_key="pipe-secret",
        config=Config(**config),
    )


def _reply(status: int, body: Any, **headers: str) -> HttpResponse:
    return HttpResponse(status, {k.replace("_", "-"): v for k, v in headers.items()}, json.dumps(body).encode())


def _identity(body: Any) -> Any:
    return body


def test_effects_of_a_retried_call_in_order() -> None:
    client = _client()
    steps = client._steps("DescribeServices", {"language": "en"}, _identity)
    effect = next(steps)
    assert type(effect) is LoadCredentials
    effect = steps.send(CREDS)
    assert type(effect) is Send and effect.attempt == 1 and effect.timeout is None
    first = effect.request
    assert first.headers["X-Amz-Target"] == "AWSSupport_20130415.DescribeServices"
    assert first.headers["amz-sdk-request"] == "attempt=1; max=3"
    assert "Credential=AKIDPIPE/" in first.headers["Authorization"]
    effect = steps.send(_reply(503, {"__type": "ServiceUnavailable"}))
    assert type(effect) is Sleep and effect.seconds == 0.5 * 1 and effect.reason == "backoff"
    effect = steps.send(None)
    assert type(effect) is LoadCredentials
    effect = steps.send(CREDS)
    assert type(effect) is Send and effect.attempt == 2
    assert effect.request.headers["amz-sdk-request"] == "attempt=2; max=3"
    assert effect.request.headers["amz-sdk-invocation-id"] == first.headers["amz-sdk-invocation-id"]
    with pytest.raises(StopIteration) as done:
        steps.send(_reply(200, {"services": []}))
    assert done.value.value == {"services": []}
    assert client._retry.quota.available == 500 - 5 + 5


def test_transport_error_outcome_then_final_error_has_attempts() -> None:
    client = _client(max_attempts=2)
    steps = client._steps("DescribeServices", {}, _identity)
    next(steps)
    steps.send(CREDS)
    timeout = ReadTimeoutError("read timeout", url="http://127.0.0.1:9")
    assert type(steps.send(timeout)) is Sleep
    steps.send(None)
    steps.send(CREDS)
    with pytest.raises(ReadTimeoutError) as info:
        steps.send(ReadTimeoutError("again", url="http://127.0.0.1:9"))
    assert info.value.attempts == 2
    assert info.value.retry_note == "max attempts reached"


def test_expired_token_yields_refresh_with_the_rejected_credentials() -> None:
    from helpers.clients import RotatingProvider

    provider = RotatingProvider()
    client = SupportClient(
        region_name="us-east-1", endpoint_url="http://127.0.0.1:9", credential_provider=provider
    )
    steps = client._steps("DescribeServices", {}, _identity)
    next(steps)
    steps.send(CREDS)
    effect = steps.send(_reply(400, {"__type": "ExpiredTokenException", "message": "expired"}))
    assert type(effect) is RefreshCredentials and effect.stale == CREDS
    failure = AWSError("refresh failed")
    with pytest.raises(AWSError) as info:
        steps.throw(failure)
    assert info.value is failure
    assert isinstance(info.value.__cause__, ServiceError)


def test_interceptors_see_every_point_and_may_change_signed_headers() -> None:
    seen: list[str] = []

    class Recorder(Interceptor):
        def before_sign(self, context: CallContext, request: HttpRequest) -> None:
            seen.append(f"before_sign {context.attempt}")
            request.headers["X-Custom"] = "yes"

        def after_sign(self, context: CallContext, request: HttpRequest) -> None:
            seen.append(f"after_sign {context.attempt} {'x-custom' in request.headers['Authorization']}")

        def after_reply(self, context: CallContext, outcome: Any) -> None:
            seen.append(f"after_reply {context.attempt} {outcome.status}")

        def on_retry_decision(self, context: CallContext, error: AWSError, decision: Decision) -> None:
            seen.append(f"decision {decision.action}")

    client = _client()
    client._pipeline.interceptors = (Recorder(),)
    steps = client._steps("DescribeServices", {}, _identity)
    next(steps)
    steps.send(CREDS)
    steps.send(_reply(500, {"__type": "InternalServerError"}))
    steps.send(None)
    send = steps.send(CREDS)
    assert send.request.headers["X-Custom"] == "yes"
    with pytest.raises(StopIteration):
        steps.send(_reply(200, {}))
    assert seen == [
        "before_sign 1",
        "after_sign 1 True",
        "after_reply 1 500",
        "decision retry",
        "before_sign 2",
        "after_sign 2 True",
        "after_reply 2 200",
    ]


def test_rate_limiter_delay_is_a_sleep_before_the_send() -> None:
    replies: list[Any] = []

    class Limiter:
        def delay_before_send(self, now: float) -> float:
            return 0.25

        def on_reply(self, now: float, error: AWSError | None) -> None:
            replies.append(error)

    client = _client()
    client._pipeline.rate_limiter = Limiter()
    steps = client._steps("DescribeServices", {}, _identity)
    next(steps)
    effect = steps.send(CREDS)
    assert type(effect) is Sleep and effect.seconds == 0.25 and effect.reason == "rate limit"
    assert type(steps.send(None)) is Send
    with pytest.raises(StopIteration):
        steps.send(_reply(200, {}))
    assert replies == [None]


def test_deadline_caps_sends_and_refuses_a_sleep_past_it() -> None:
    clock = [100.0]
    client = _client()
    client._pipeline.call_timeout = 2.0
    client._pipeline.monotonic = lambda: clock[0]
    steps = client._steps("DescribeServices", {}, _identity)
    next(steps)
    send = steps.send(CREDS)
    assert send.timeout == pytest.approx(2.0)
    clock[0] += 1.8  # the first attempt took 1.8 s; the backoff (0.5 s) would cross the deadline
    with pytest.raises(DeadlineExceededError) as info:
        steps.send(_reply(503, {}))
    assert info.value.attempts == 1
    assert isinstance(info.value.__cause__, ServiceError)


def test_bytes_decoder_gets_the_raw_body() -> None:
    got: list[bytes] = []

    @takes_body_bytes
    def decode(body: bytes) -> int:
        got.append(body)
        return len(body)

    client = _client()
    steps = client._steps("DescribeServices", {}, decode)
    next(steps)
    steps.send(CREDS)
    with pytest.raises(StopIteration) as done:
        steps.send(HttpResponse(200, {}, b'{"services":[]}'))
    assert done.value.value == 15 and got == [b'{"services":[]}']
