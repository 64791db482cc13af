"""Retries, timeouts, clock skew, expired credentials and bad replies against a
fault-injecting local server. Every scenario asserts the exact number of
requests the server received and what the caller got.

Backoff sleeps are injected (``FakeSleep``) with a fixed jitter of 0.5, so the
expected delays are ``0.5 * min(2 ** (n - 1), 20)``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import socket
from typing import Any

import pytest
from helpers.clients import (
    ACCESS_KEY,
    OK,
    SECRET_KEY,
    FakeSleep,
    RotatingProvider,
    access_key_of,
    error_reply,
    fast_config,
    make_client,
    refresh_status_body,
    signature_is_valid,
)
from helpers.server import Reply, ScriptedServer

from aws_runtime import Config, ResponseParseError
from aws_runtime.credentials import Credentials
from aws_runtime.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from aws_support import errors, models

pytestmark = pytest.mark.usefixtures("flavour")  # every scenario, sync and async client

CHECK = "Qch7DwouX1"
MOTO_HTML = (
    "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
    "<h1>Internal Server Error</h1>\n<p>The server encountered an internal error.</p>\n"
)


@pytest.fixture
def sleep() -> FakeSleep:
    return FakeSleep()


def _refresh(client: Any) -> models.RefreshTrustedAdvisorCheckResponse:
    reply: models.RefreshTrustedAdvisorCheckResponse = client.refresh_trusted_advisor_check(
        check_id=CHECK
    )
    return reply


def _assert_ok(reply: models.RefreshTrustedAdvisorCheckResponse) -> None:
    assert reply == models.RefreshTrustedAdvisorCheckResponse(
        status=models.TrustedAdvisorCheckRefreshStatus(
            check_id=CHECK, status="enqueued", millis_until_next_refreshable=123
        )
    )


def _attempt_headers(server: ScriptedServer) -> list[str]:
    return [r.headers["amz-sdk-request"] for r in server.requests]


# ----------------------------------------------------------------- transient faults


@pytest.mark.parametrize(
    ("first", "label"),
    [
        (error_reply(400, "ThrottlingException", "Rate exceeded"), "throttle-400"),
        (error_reply(400, "Throttling"), "throttle-code-Throttling"),
        (error_reply(429, "SomethingNew"), "429-any-code"),
        (error_reply(503, "RequestLimitExceeded"), "throttle-503"),
        (error_reply(500, "InternalServerError", "boom"), "500"),
        (Reply(status=502, body=b""), "502-empty"),
        (Reply(status=503, body=MOTO_HTML, content_type="text/html"), "503-html"),
        (error_reply(408, "RequestTimeout"), "RequestTimeout"),
        (Reply(reset=True), "connection-reset"),
        (Reply(close_early=True, body=refresh_status_body(CHECK, 123)), "early-close"),
    ],
)
def test_transient_fault_then_success_takes_two_requests(
    sleep: FakeSleep, first: Reply, label: str
) -> None:
    with ScriptedServer([first, OK]) as server:
        client = make_client(server.url, fast_config(sleep))
        _assert_ok(_refresh(client))
    assert len(server.requests) == 2, label
    assert sleep.delays == [0.5]
    assert _attempt_headers(server) == ["attempt=1; max=3", "attempt=2; max=3"]
    ids = {r.headers["amz-sdk-invocation-id"] for r in server.requests}
    assert len(ids) == 1


def test_500_forever_makes_exactly_max_attempts_requests(sleep: FakeSleep) -> None:
    with ScriptedServer([error_reply(500, "InternalServerError", "boom")]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(errors.InternalServerError) as info:
            _refresh(client)
    assert len(server.requests) == 3
    err = info.value
    assert (err.code, err.status_code, err.attempts) == ("InternalServerError", 500, 3)
    assert err.retry_note == "max attempts reached"
    assert str(err) == (
        "An error occurred (InternalServerError) when calling the RefreshTrustedAdvisorCheck "
        "operation (after 3 attempts; max attempts reached): boom"
    )
    assert sleep.delays == [0.5, 1.0]


@pytest.mark.parametrize(
    ("config_kwargs", "env", "expected"),
    [
        ({"max_attempts": 5}, {}, 5),
        ({"max_attempts": 1}, {}, 1),
        ({}, {"AWS_MAX_ATTEMPTS": "4"}, 4),
        ({"retry_mode": "off"}, {}, 1),
        ({}, {"AWS_RETRY_MODE": "off", "AWS_MAX_ATTEMPTS": "6"}, 1),
        ({"max_attempts": 2}, {"AWS_MAX_ATTEMPTS": "6"}, 2),
    ],
)
def test_attempt_limit_comes_from_config_then_environment(
    sleep: FakeSleep,
    monkeypatch: pytest.MonkeyPatch,
    config_kwargs: dict[str, Any],
    env: dict[str, str],
    expected: int,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with ScriptedServer([Reply(status=503, body=b"")]) as server:
        client = make_client(server.url, fast_config(sleep, **config_kwargs))
        with pytest.raises(errors.SupportError) as info:
            _refresh(client)
    assert len(server.requests) == expected
    assert info.value.attempts == expected
    assert (info.value.code, info.value.message) == ("503", "Service Unavailable")
    assert len(sleep.delays) == expected - 1


def test_backoff_grows_exponentially_and_caps_at_20_seconds(sleep: FakeSleep) -> None:
    with ScriptedServer([Reply(status=500, body=b"")]) as server:
        client = make_client(server.url, fast_config(sleep, max_attempts=8, random=lambda: 0.99))
        with pytest.raises(errors.SupportError):
            _refresh(client)
    assert len(server.requests) == 8
    assert sleep.delays == pytest.approx([0.99 * d for d in (1, 2, 4, 8, 16, 20, 20)])


def test_case_creation_limit_exceeded_is_not_retried(sleep: FakeSleep) -> None:
    reply = error_reply(400, "CaseCreationLimitExceeded", "too many cases")
    with ScriptedServer([reply, OK]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(errors.CaseCreationLimitExceeded) as info:
            client.create_case(subject="s", communication_body="b")
    assert len(server.requests) == 1
    assert info.value.attempts == 1
    assert info.value.retry_note == ""
    assert sleep.delays == []
    assert "after" not in str(info.value)


@pytest.mark.parametrize(
    "code", ["CaseIdNotFound", "AccessDeniedException", "ValidationException", "LimitExceeded"]
)
def test_other_client_errors_are_not_retried(sleep: FakeSleep, code: str) -> None:
    with ScriptedServer([error_reply(400, code), OK]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(errors.SupportError) as info:
            _refresh(client)
    assert len(server.requests) == 1
    assert info.value.code == code


def test_retry_quota_exhaustion_stops_retrying(sleep: FakeSleep) -> None:
    """500 tokens, 5 per retry: 50 failing calls of 3 attempts drain it; the 51st call
    makes one request; a success refunds 1 token, not enough for a retry."""
    with ScriptedServer([Reply(status=500, body=b"")]) as server:
        client = make_client(server.url, fast_config(sleep))
        for _ in range(50):
            with pytest.raises(errors.SupportError) as info:
                _refresh(client)
            assert info.value.attempts == 3
        assert len(server.requests) == 150
        with pytest.raises(errors.SupportError) as info:
            _refresh(client)
        assert len(server.requests) == 151
        assert info.value.attempts == 1
        assert info.value.retry_note == "retry quota exhausted"
        assert "(after 1 attempt; retry quota exhausted)" in str(info.value)
    assert len(sleep.delays) == 100


def test_success_refunds_the_quota_after_retries(sleep: FakeSleep) -> None:
    script = [Reply(status=500, body=b""), OK]
    with ScriptedServer(script) as server:
        client = make_client(server.url, fast_config(sleep))
        _refresh(client)
        assert client._retry.quota.available == 500
    assert len(server.requests) == 2


# ------------------------------------------------------------------- timeouts / network


def _transport_settings(client: Any) -> tuple[float, float, int]:
    """(connect timeout, read timeout, pool size) as the client's transport applies them:
    urllib3's pool keywords, or the aiohttp session's timeouts and connection limit."""
    transport = client._transport
    if hasattr(transport, "_manager"):
        kw = transport._manager(None).connection_pool_kw
        return kw["timeout"].connect_timeout, kw["timeout"].read_timeout, kw["maxsize"]
    timeout = transport._timeout  # aiohttp.ClientTimeout of the session
    return timeout.sock_connect, timeout.sock_read, transport.max_pool_connections


def test_timeouts_default_to_60_seconds_and_pool_size_is_configurable() -> None:
    client = make_client("http://127.0.0.1:9", None)
    assert (client.config.connect_timeout, client.config.read_timeout) == (60.0, 60.0)
    assert client.config.max_pool_connections == 10
    assert _transport_settings(client) == (60.0, 60.0, 10)
    small = make_client(
        "http://127.0.0.1:9", Config(connect_timeout=2.5, read_timeout=7, max_pool_connections=3)
    )
    assert _transport_settings(small) == (2.5, 7, 3)


def test_read_timeout_then_success(sleep: FakeSleep) -> None:
    with ScriptedServer([Reply(hang=True), OK]) as server:
        client = make_client(server.url, fast_config(sleep, read_timeout=0.2))
        _assert_ok(_refresh(client))
    assert len(server.requests) == 2
    assert sleep.delays == [0.5]


def test_read_timeout_forever_raises_read_timeout_error(sleep: FakeSleep) -> None:
    with ScriptedServer([Reply(hang=True)]) as server:
        client = make_client(server.url, fast_config(sleep, read_timeout=0.2))
        with pytest.raises(ReadTimeoutError) as info:
            _refresh(client)
        assert client._retry.quota.available == 500 - 2 * 10  # a timeout retry costs 10
    assert len(server.requests) == 3
    assert info.value.attempts == 3
    assert str(info.value) == (
        f"Read timeout on endpoint URL '{server.url}/' (no reply data within "
        "read_timeout=0.2 s) (after 3 attempts; max attempts reached)"
    )


@pytest.mark.parametrize(
    ("fault", "exc_type"),
    [
        (Reply(reset=True), ConnectionClosedError),
        (Reply(close_early=True, body=refresh_status_body(CHECK, 1)), ConnectionClosedError),
    ],
)
def test_connection_fault_forever(sleep: FakeSleep, fault: Reply, exc_type: type) -> None:
    with ScriptedServer([fault]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(exc_type) as info:
            _refresh(client)
    assert len(server.requests) == 3
    assert server.connections == 3  # a broken connection is never reused
    assert info.value.attempts == 3


@pytest.fixture
def saturated_listener() -> Any:
    """A socket that listens with a full accept queue: Linux drops further SYNs, so
    connecting times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    saturated = False
    for _ in range(4):
        filler = socket.socket()
        filler.settimeout(0.2)
        try:
            filler.connect(("127.0.0.1", port))
        except TimeoutError:
            saturated = True
            filler.close()
            break
        fillers.append(filler)
    try:
        if not saturated:
            pytest.skip("this kernel does not drop SYNs for a full accept queue")
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_connect_timeout_is_retried_and_costs_ten_tokens(
    sleep: FakeSleep, saturated_listener: str
) -> None:
    client = make_client(saturated_listener, fast_config(sleep, connect_timeout=0.2))
    with pytest.raises(ConnectTimeoutError) as info:
        _refresh(client)
    assert info.value.attempts == 3
    assert sleep.delays == [0.5, 1.0]
    assert client._retry.quota.available == 500 - 2 * 10
    assert "connect_timeout=0.2 s" in str(info.value)


def test_connection_refused_is_retried_then_raised(sleep: FakeSleep) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on this port now
    client = make_client(f"http://127.0.0.1:{port}", fast_config(sleep))
    with pytest.raises(EndpointConnectionError) as info:
        _refresh(client)
    assert info.value.attempts == 3
    assert sleep.delays == [0.5, 1.0]
    assert "Connection refused" in str(info.value)


# ------------------------------------------------------------------------ clock skew


def _http_date(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment, usegmt=True)


def _amz_date(rec: Any) -> dt.datetime:
    return dt.datetime.strptime(rec.headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(
        tzinfo=dt.timezone.utc
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        ),
        (
            "InvalidSignatureException",
            "Signature expired: 20240101T000000Z is now earlier than ...",
        ),
        ("RequestInTheFuture", "Request is in the future"),
        ("RequestExpired", "Request has expired."),
    ],
)
def test_clock_skew_is_corrected_from_the_date_header(
    sleep: FakeSleep, code: str, message: str
) -> None:
    server_time = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=15)
    skewed = error_reply(400, code, message, date=_http_date(server_time))
    with ScriptedServer([skewed, OK, OK]) as server:
        client = make_client(server.url, fast_config(sleep))
        _assert_ok(_refresh(client))
        _assert_ok(_refresh(client))  # later calls keep the learnt offset
    assert len(server.requests) == 3
    first, retried, later = (_amz_date(r) for r in server.requests)
    assert abs(first - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=1)
    assert abs(retried - server_time) < dt.timedelta(minutes=5)
    assert abs(later - server_time) < dt.timedelta(minutes=5)
    assert sleep.delays == []  # a correction does not back off
    assert signature_is_valid(server.requests[1], server.url, Credentials(ACCESS_KEY, SECRET_KEY))


def test_clock_skew_is_corrected_once_per_call(sleep: FakeSleep) -> None:
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=15)
    skewed = error_reply(400, "RequestTimeTooSkewed", "skew", date=_http_date(later))
    with ScriptedServer([skewed]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(errors.SupportError) as info:
            _refresh(client)
    assert len(server.requests) == 2
    assert info.value.attempts == 2
    assert info.value.code == "RequestTimeTooSkewed"


def test_clock_skew_without_date_header_fails_after_one_attempt(sleep: FakeSleep) -> None:
    skewed = error_reply(400, "RequestTimeTooSkewed", "skew", date=None)
    with ScriptedServer([skewed, OK]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(errors.SupportError) as info:
            _refresh(client)
    assert len(server.requests) == 1
    assert info.value.attempts == 1
    assert "date" not in info.value.headers


def test_invalid_signature_for_other_reasons_is_not_a_clock_problem(sleep: FakeSleep) -> None:
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=15)
    reply = error_reply(
        400,
        "InvalidSignatureException",
        "The request signature we calculated does not match",
        date=_http_date(later),
    )
    with ScriptedServer([reply, OK]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(errors.SupportError):
            _refresh(client)
    assert len(server.requests) == 1
    assert client._clock_offset == dt.timedelta(0)


def test_skew_correction_comes_on_top_of_max_attempts(sleep: FakeSleep) -> None:
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=15)
    skewed = error_reply(400, "RequestTimeTooSkewed", "skew", date=_http_date(later))
    script = [
        Reply(status=500, body=b""),
        skewed,
        Reply(status=500, body=b""),
        Reply(status=500, body=b""),
    ]
    with ScriptedServer(script) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(errors.SupportError) as info:
            _refresh(client)
    assert len(server.requests) == 4  # 3 regular attempts + 1 correction
    assert info.value.attempts == 4
    assert info.value.retry_note == "max attempts reached"
    assert sleep.delays == [0.5, 1.0]


# ---------------------------------------------------------------- expired credentials


@pytest.mark.parametrize("code", ["ExpiredTokenException", "ExpiredToken", "RequestExpired"])
def test_expired_token_with_refreshable_credentials_refreshes_and_retries_once(
    sleep: FakeSleep, code: str
) -> None:
    provider = RotatingProvider()
    expired = error_reply(
        400, code, "The security token included in the request is expired", date=None
    )
    with ScriptedServer([expired, OK]) as server:
        client = make_client(server.url, fast_config(sleep), credential_provider=provider)
        _assert_ok(_refresh(client))
    assert len(server.requests) == 2
    assert provider.refreshes == 1
    old, new = server.requests
    assert access_key_of(old) == "AKIDGEN1"
    assert access_key_of(new) == "AKIDGEN2"
    assert new.headers["x-amz-security-token"] == "token-gen-2"
    assert signature_is_valid(new, server.url, RotatingProvider.credentials_for(2))
    assert not signature_is_valid(new, server.url, RotatingProvider.credentials_for(1))
    assert sleep.delays == []


def test_expired_token_refreshes_only_once_per_call(sleep: FakeSleep) -> None:
    provider = RotatingProvider()
    with ScriptedServer([error_reply(400, "ExpiredTokenException", date=None)]) as server:
        client = make_client(server.url, fast_config(sleep), credential_provider=provider)
        with pytest.raises(errors.SupportError) as info:
            _refresh(client)
    assert len(server.requests) == 2
    assert provider.refreshes == 1
    assert info.value.attempts == 2


@pytest.mark.parametrize("code", ["ExpiredTokenException", "ExpiredToken"])
def test_expired_token_with_static_credentials_fails_at_once(sleep: FakeSleep, code: str) -> None:
    with ScriptedServer([error_reply(400, code, "expired"), OK]) as server:
        client = make_client(server.url, fast_config(sleep), aws_session_token="static-token")
        with pytest.raises(errors.SupportError) as info:
            _refresh(client)
    assert len(server.requests) == 1
    assert info.value.code == code
    assert info.value.attempts == 1


def test_expired_token_refresh_through_botocore_credential_process(
    sleep: FakeSleep, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """botocore's chain with a credential_process profile: refresh() runs the process
    again and the retried request is signed with the keys it printed."""
    import sys

    counter = tmp_path / "count"
    script = tmp_path / "creds.py"
    script.write_text(
        "import json, pathlib\n"
        f"p = pathlib.Path({str(counter)!r})\n"
        "n = int(p.read_text()) + 1 if p.exists() else 1\n"
        "p.write_text(str(n))\n"
        "print(json.dumps({'Version': 1, 'AccessKeyId': f'AKIDPROC{n}',\n"
        "    'SecretAccessKey': f'proc-secret-{n}', 'SessionToken': f'proc-token-{n}',\n"
        "    'Expiration': '2999-01-01T00:00:00Z'}))\n"
    )
    config_file = tmp_path / "config"
    config_file.write_text(f"[profile proc]\ncredential_process = {sys.executable} {script}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    expired = error_reply(400, "ExpiredTokenException", "expired", date=None)
    with ScriptedServer([expired, OK]) as server:
        client = make_client(
            server.url,
            fast_config(sleep),
            aws_access_key_id=None,
            aws_secret_access_key=None,
            profile_name="proc",
        )
        _assert_ok(_refresh(client))
    assert len(server.requests) == 2
    assert [access_key_of(r) for r in server.requests] == ["AKIDPROC1", "AKIDPROC2"]
    assert signature_is_valid(
        server.requests[1], server.url, Credentials("AKIDPROC2", "proc-secret-2", "proc-token-2")
    )


# ------------------------------------------------------------------- re-signing


def test_every_attempt_is_signed_afresh(sleep: FakeSleep) -> None:
    """A provider that hands out new keys on every load: each attempt carries the
    key loaded for it and a signature that verifies with exactly that key."""
    provider = RotatingProvider(rotate_on_load=True)
    with ScriptedServer([Reply(status=503, body=b"")]) as server:
        client = make_client(server.url, fast_config(sleep), credential_provider=provider)
        with pytest.raises(errors.SupportError):
            _refresh(client)
    assert len(server.requests) == 3
    assert [access_key_of(r) for r in server.requests] == ["AKIDGEN1", "AKIDGEN2", "AKIDGEN3"]
    for generation, rec in enumerate(server.requests, start=1):
        assert signature_is_valid(rec, server.url, RotatingProvider.credentials_for(generation))
    assert len({r.headers["authorization"] for r in server.requests}) == 3
    assert len({r.body for r in server.requests}) == 1


# ------------------------------------------------------------------ bad replies


def _html(status: int) -> Reply:
    return Reply(
        status=status,
        body=MOTO_HTML.replace("500 Internal Server Error", f"{status} Oops"),
        content_type="text/html; charset=utf-8",
    )


@pytest.mark.parametrize(
    ("reply", "exc_type", "code", "message", "requests"),
    [
        (_html(400), errors.SupportError, "400", "400 Oops", 1),
        (Reply(status=400, body=b""), errors.SupportError, "400", "", 1),
        (_html(500), errors.SupportError, "500", "500 Oops", 3),
        (Reply(status=500, body=b""), errors.SupportError, "500", "Internal Server Error", 3),
        (_html(504), errors.SupportError, "504", "504 Oops", 3),
        (Reply(status=504, body=b""), errors.SupportError, "504", "Gateway Timeout", 3),
        (
            Reply(status=504, body=b"<html><body>Gateway Timeout</body></html>"),
            errors.SupportError,
            "504",
            "Gateway Timeout",
            3,
        ),
        (
            Reply(
                status=403,
                body="<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>"
                "<Message>bad sig</Message></Error></ErrorResponse>",
                content_type="text/html",
            ),
            errors.SupportError,
            "SignatureDoesNotMatch",
            "bad sig",
            1,
        ),
        (Reply(status=400, body=b"[1, 2]"), errors.SupportError, "400", "[1, 2]", 1),
        (Reply(status=500, body=b"[" * 100_000), errors.SupportError, "500", "[" * 197 + "...", 3),
        (
            Reply(status=400, body=b"\xff\xfe\x00garbage"),
            errors.SupportError,
            "400",
            "\ufffd\ufffd\x00garbage",
            1,
        ),
    ],
)
def test_bad_error_bodies_give_service_errors(
    sleep: FakeSleep, reply: Reply, exc_type: type, code: str, message: str, requests: int
) -> None:
    with ScriptedServer([reply]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(exc_type) as info:
            _refresh(client)
    assert len(server.requests) == requests
    err = info.value
    assert type(err) is errors.SupportError
    assert (err.code, err.message, err.attempts) == (code, message, requests)
    assert err.status_code == reply.status


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (MOTO_HTML, "body is not JSON (JSONDecodeError)"),
        ("<html><body>hi</body></html>", "body is not JSON (JSONDecodeError)"),
        ('{"status": {"checkId": "Qch7', "body is not JSON (JSONDecodeError)"),
        ("[1, 2, 3]", "expected a JSON object, got an array"),
        ("null", "expected a JSON object, got null"),
        ('"text"', "expected a JSON object, got a string"),
        ('{"status": []}', "member status should be an object, got array"),
        ('{"status": {"checkId": 5}}', "member status.checkId should be a string, got int"),
        (
            '{"status": {"millisUntilNextRefreshable": "5"}}',
            "member status.millisUntilNextRefreshable should be an integer, got str",
        ),
        (
            '{"status": {"millisUntilNextRefreshable": 1.5}}',
            "member status.millisUntilNextRefreshable should be an integer, got float",
        ),
        (b"\xff\xfe\xfa", "body is not JSON (UnicodeDecodeError)"),
        ("[" * 100_000, "expected a JSON object, got an array"),
        ('{"status": {"checkId": "x", "extra": ' + "[" * 100_000, "body is not JSON (RecursionError)"),
    ],
)
def test_unparseable_2xx_gives_response_parse_error(
    sleep: FakeSleep, body: Any, reason: str
) -> None:
    with ScriptedServer([Reply(status=200, body=body)]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(ResponseParseError) as info:
            _refresh(client)
    assert len(server.requests) == 1  # a 2xx is never retried
    err = info.value
    assert err.status_code == 200
    assert err.reason == reason
    raw = body if isinstance(body, bytes) else body.encode()
    assert err.body_excerpt == raw[:200].decode("utf-8", "replace")
    assert len(err.body_excerpt) <= 200
    assert err.attempts == 1
    assert err.__cause__ is None
    assert "HTTP 200" in str(err) and "RefreshTrustedAdvisorCheck" in str(err)


def test_parse_error_after_retries_reports_attempts(sleep: FakeSleep) -> None:
    with ScriptedServer([Reply(status=500, body=b""), Reply(status=200, body=MOTO_HTML)]) as server:
        client = make_client(server.url, fast_config(sleep))
        with pytest.raises(ResponseParseError) as info:
            _refresh(client)
    assert len(server.requests) == 2
    assert info.value.attempts == 2
    assert "(HTTP 200) (after 2 attempts)" in str(info.value)


@pytest.mark.parametrize("body", [b"", b"   ", b"{}"])
def test_empty_2xx_body_is_an_empty_reply_as_in_botocore(sleep: FakeSleep, body: bytes) -> None:
    with ScriptedServer([Reply(status=200, body=body)]) as server:
        client = make_client(server.url, fast_config(sleep))
        assert _refresh(client) == models.RefreshTrustedAdvisorCheckResponse(status=None)
    assert len(server.requests) == 1


def test_json_null_members_are_none(sleep: FakeSleep) -> None:
    body = json.dumps(
        {"status": {"checkId": None, "status": "none", "millisUntilNextRefreshable": None}}
    )
    with ScriptedServer([Reply(body=body)]) as server:
        client = make_client(server.url, fast_config(sleep))
        reply = _refresh(client)
    assert reply.status == models.TrustedAdvisorCheckRefreshStatus(
        check_id=None, status="none", millis_until_next_refreshable=None
    )


def test_failed_refresh_raises_the_credential_error_chained_to_the_expiry(sleep: FakeSleep) -> None:
    from aws_runtime.errors import CredentialRetrievalError

    class FailingRefresh(RotatingProvider):
        def refresh(self) -> Credentials:
            raise CredentialRetrievalError("the identity provider is down")

    expired = error_reply(400, "ExpiredTokenException", "expired", date=None)
    with ScriptedServer([expired, OK]) as server:
        client = make_client(server.url, fast_config(sleep), credential_provider=FailingRefresh())
        with pytest.raises(CredentialRetrievalError) as info:
            _refresh(client)
    assert len(server.requests) == 1
    cause = info.value.__cause__
    assert isinstance(cause, errors.SupportError) and cause.code == "ExpiredTokenException"
