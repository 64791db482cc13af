"""The wire log (``aws_runtime.wire``): a full call with a session token set, the lines it
writes, what it hides, the body limit; and the retry DEBUG lines name each error once."""

from __future__ import annotations

import logging

import pytest
from helpers.clients import (
    ACCESS_KEY,
    SECRET_KEY,
    SESSION_TOKEN,
    FakeSleep,
    error_reply,
    fast_config,
    make_client,
)
from helpers.server import Reply, ScriptedServer

from aws_runtime import wirelog
from aws_runtime.errors import ConnectionClosedError

CASE = {"caseId": "case-1"}


def _wire_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name == "aws_runtime.wire")


def test_full_call_logs_request_and_reply_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="aws_runtime.wire")
    script = [
        error_reply(500, "InternalServerError", "try again", headers={"x-amzn-RequestId": "rid-500"}),
        Reply(body=CASE, headers={"x-amzn-RequestId": "rid-200"}),
    ]
    with ScriptedServer(script) as server, make_client(
        server.url, fast_config(FakeSleep()), aws_session_token=SESSION_TOKEN
    ) as client:
        client.create_case(subject="Printer on fire", communication_body="Send help")
    text = _wire_text(caplog)
    sent = server.requests[1]
    signature = sent.headers["authorization"].rsplit("Signature=", 1)[1]
    for secret in (SECRET_KEY, SESSION_TOKEN, signature, ACCESS_KEY):
        assert secret not in text
    lines = text.splitlines()
    url = server.url + "/"
    assert f">>> POST {url} (CreateCase attempt 1)" in lines
    assert f">>> POST {url} (CreateCase attempt 2)" in lines
    assert "X-Amz-Target: AWSSupport_20130415.CreateCase" in lines
    assert "Authorization: <redacted>" in lines
    assert "X-Amz-Security-Token: <redacted>" in lines
    assert '{"subject": "Printer on fire", "communicationBody": "Send help"}' in lines
    assert "<<< HTTP 500 (CreateCase attempt 1)" in lines
    assert "<<< HTTP 200 (CreateCase attempt 2)" in lines
    assert "x-amzn-requestid: rid-200" in lines
    assert '{"caseId": "case-1"}' in lines
    assert sum(line.startswith(">>> ") for line in lines) == 2
    assert sum(line.startswith("<<< ") for line in lines) == 2


def test_proxy_authorization_is_redacted_in_any_spelling() -> None:
    from aws_runtime.http import HttpRequest

    lines = wirelog._headers_text({"proxy-AUTHORIZATION": "Basic dXNlcjpwYXNz", "x-amz-security-token": "tok"})
    assert lines == ["proxy-AUTHORIZATION: <redacted>", "x-amz-security-token: <redacted>"]
    assert isinstance(HttpRequest("GET", "http://x/"), HttpRequest)


def test_bodies_are_cut_at_the_limit_and_binary_is_summarised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wirelog, "BODY_LIMIT", 10)
    assert wirelog._body_text(b'{"a": "0123456789"}') == ['{"a": "012 ... (19 bytes in all)']
    assert wirelog._body_text("é".encode() * 6) == ["ééééé ... (12 bytes in all)"]  # no half character
    assert wirelog._body_text(b"\x1f\x8b\x08\x00\xff\xfe\xfd") == ["<7 bytes, not text>"]
    assert wirelog._body_text(b"") == []


def test_no_reply_is_logged_with_its_reason(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="aws_runtime.wire")
    with ScriptedServer([Reply(reset=True)]) as server, make_client(
        server.url, fast_config(FakeSleep(), max_attempts=1)
    ) as client, pytest.raises(ConnectionClosedError):
        client.create_case(subject="s", communication_body="b")
    assert "<<< no reply (CreateCase attempt 1): " in _wire_text(caplog)


def test_wire_log_off_writes_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="aws_runtime")
    logging.getLogger("aws_runtime.wire").setLevel(logging.INFO)
    try:
        with ScriptedServer([Reply(body=CASE)]) as server, make_client(server.url) as client:
            client.create_case(subject="s", communication_body="b")
    finally:
        logging.getLogger("aws_runtime.wire").setLevel(logging.NOTSET)
    assert _wire_text(caplog) == ""
    assert any("CreateCase attempt 1: HTTP 200" in r.getMessage() for r in caplog.records)


def test_retry_debug_lines_name_the_error_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="aws_runtime")
    script = [error_reply(400, "ThrottlingException", "slow down"), error_reply(500, "Busy"), Reply(body=CASE)]
    with ScriptedServer(script) as server, make_client(server.url, fast_config(FakeSleep(), max_attempts=3)) as client:
        assert client.create_case(subject="s", communication_body="b").case_id == "case-1"
    messages = [r.getMessage() for r in caplog.records if r.name == "aws_runtime"]
    assert "CreateCase: ThrottlingException (HTTP 400), retrying in 0.500 s" in messages
    # an unmodeled code raises the service's base class: class and code both named, once each
    assert "CreateCase: SupportError Busy (HTTP 500), retrying in 1.000 s" in messages
    assert not any("ThrottlingException ThrottlingException" in m for m in messages)
