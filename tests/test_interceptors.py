"""Interceptors (aws_runtime.interceptors) against the scripted server: what each hook sees,
what it may change, the order, retries, and exceptions from hooks."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.clients import (
    ACCESS_KEY,
    SECRET_KEY,
    FakeSleep,
    error_reply,
    fast_config,
    make_client,
    signature_is_valid,
)
from helpers.server import Reply, ScriptedServer

from aws_runtime.credentials import Credentials
from aws_runtime.errors import AWSError, TransportError
from aws_runtime.http import HttpRequest, HttpResponse
from aws_runtime.interceptors import CallContext, Decision, Interceptor

STATUS = {"status": {"checkId": "c1", "status": "enqueued", "millisUntilNextRefreshable": 5}}


class Recorder(Interceptor):
    """Writes every hook call to a shared journal as (name, point, details)."""

    def __init__(self, name: str, journal: list[tuple[str, str, Any]]) -> None:
        self.name = name
        self.journal = journal

    def before_sign(self, context: CallContext, request: HttpRequest) -> None:
        self.journal.append(
            (self.name, "before_sign", (context.operation_name, context.attempt, "Authorization" in request.headers))
        )

    def after_sign(self, context: CallContext, request: HttpRequest) -> None:
        self.journal.append(
            (self.name, "after_sign", (context.attempt, request.headers["Authorization"].split(" ")[0]))
        )

    def after_reply(self, context: CallContext, outcome: HttpResponse | TransportError) -> None:
        assert isinstance(outcome, HttpResponse)
        self.journal.append(
            (self.name, "after_reply", (outcome.status, outcome.headers.get("x-amzn-requestid"), outcome.body))
        )

    def on_retry_decision(self, context: CallContext, error: AWSError, decision: Decision) -> None:
        self.journal.append(
            (self.name, "on_retry_decision", (decision.action, type(error).__name__, decision.delay))
        )


def test_hooks_run_in_order_once_per_attempt_and_see_the_retry_decision() -> None:
    journal: list[tuple[str, str, Any]] = []
    sleep = FakeSleep()
    script = [error_reply(500, "InternalServerError", "boom", headers={"x-amzn-RequestId": "rid-1"}),
              Reply(body=STATUS, headers={"x-amzn-RequestId": "rid-2"})]
    with ScriptedServer(script) as server, make_client(
        server.url, fast_config(sleep), interceptors=[Recorder("a", journal)]
    ) as client:
        client.add_interceptor(Recorder("b", journal))
        client.refresh_trusted_advisor_check(check_id="c1")
    points = [(name, point) for name, point, _ in journal]
    per_attempt = [("a", "before_sign"), ("b", "before_sign"), ("a", "after_sign"),
                   ("b", "after_sign"), ("a", "after_reply"), ("b", "after_reply")]
    assert points == per_attempt + [("a", "on_retry_decision"), ("b", "on_retry_decision")] + per_attempt
    assert journal[0][2] == ("RefreshTrustedAdvisorCheck", 1, False)  # not signed yet
    assert journal[2][2] == (1, "AWS4-HMAC-SHA256")
    assert journal[4][2][:2] == (500, "rid-1")
    assert b"InternalServerError" in journal[4][2][2]
    assert journal[6][2] == ("retry", "InternalServerError", sleep.delays[0])
    assert journal[8][2] == ("RefreshTrustedAdvisorCheck", 2, False)
    assert journal[-1][2][:2] == (200, "rid-2")


def test_a_header_added_before_sign_is_sent_and_signed() -> None:
    class AddTrace(Interceptor):
        def before_sign(self, context: CallContext, request: HttpRequest) -> None:
            request.headers["X-Trace-Id"] = f"{context.invocation_id}/{context.attempt}"
            request.headers["Content-Type"] = "application/x-amz-json-1.1"  # a change, same value

    with ScriptedServer([Reply(body=STATUS)]) as server, make_client(server.url, interceptors=[AddTrace()]) as client:
        client.refresh_trusted_advisor_check(check_id="c1")
    rec = server.requests[0]
    assert rec.headers["x-trace-id"] == rec.invocation_id + "/1"
    assert "x-trace-id" in rec.headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert signature_is_valid(rec, server.url, Credentials(ACCESS_KEY, SECRET_KEY))


def test_a_hook_exception_surfaces_as_itself_and_stops_the_call() -> None:
    class Refuse(Exception):
        pass

    class Guard(Interceptor):
        def after_reply(self, context: CallContext, outcome: HttpResponse | TransportError) -> None:
            if isinstance(outcome, HttpResponse) and outcome.status >= 500:
                raise Refuse(f"refusing {context.operation_name} after HTTP {outcome.status}")

    with ScriptedServer([error_reply(503, "ServiceUnavailable"), Reply(body=STATUS)]) as server, make_client(
        server.url, fast_config(FakeSleep()), interceptors=[Guard()]
    ) as client, pytest.raises(Refuse, match="refusing RefreshTrustedAdvisorCheck after HTTP 503") as info:
        client.refresh_trusted_advisor_check(check_id="c1")
    assert type(info.value) is Refuse
    assert len(server.requests) == 1  # not retried


def test_before_sign_exception_means_nothing_is_sent() -> None:
    class Stop(Interceptor):
        def before_sign(self, context: CallContext, request: HttpRequest) -> None:
            raise KeyError("no tenant header")

    with ScriptedServer([Reply(body=STATUS)]) as server, make_client(
        server.url, interceptors=[Stop()]
    ) as client, pytest.raises(KeyError, match="no tenant header"):
        client.refresh_trusted_advisor_check(check_id="c1")
    assert server.requests == []


def test_final_decision_is_reported_as_raise() -> None:
    decisions: list[str] = []

    class Watch(Interceptor):
        def on_retry_decision(self, context: CallContext, error: AWSError, decision: Decision) -> None:
            decisions.append(f"{context.attempt}:{decision.action}")

    with ScriptedServer([error_reply(400, "ThrottlingException")]) as server, make_client(
        server.url, fast_config(FakeSleep(), max_attempts=3), interceptors=[Watch()]
    ) as client, pytest.raises(client.exceptions.ThrottlingException):
        client.refresh_trusted_advisor_check(check_id="c1")
    assert decisions == ["1:retry", "2:retry", "3:raise"]
    assert len(server.requests) == 3


def test_registering_something_that_is_not_an_interceptor_is_refused() -> None:
    with ScriptedServer([]) as server, make_client(server.url) as client:
        with pytest.raises(TypeError, match="must be an instance"):
            client.add_interceptor(Interceptor)  # type: ignore[arg-type]  # the class, not an instance
        with pytest.raises(TypeError, match="must be an instance with the methods"):
            client.add_interceptor(object())  # type: ignore[arg-type]


def test_after_reply_sees_the_transport_error_when_no_reply_came() -> None:
    seen: list[str] = []

    class Watch(Interceptor):
        def after_reply(self, context: CallContext, outcome: HttpResponse | TransportError) -> None:
            seen.append(type(outcome).__name__ if isinstance(outcome, TransportError) else str(outcome.status))

    script = [Reply(reset=True), Reply(body=STATUS)]
    with ScriptedServer(script) as server, make_client(
        server.url, fast_config(FakeSleep()), interceptors=[Watch()]
    ) as client:
        client.refresh_trusted_advisor_check(check_id="c1")
    assert seen == ["ConnectionClosedError", "200"]
