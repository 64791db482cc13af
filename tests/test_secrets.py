"""The secret key and the session token never show up in reprs, exception text or
DEBUG logs (aws_runtime, urllib3 and botocore loggers) of full calls, successful
or failing, with explicit keys and with botocore's credential chain."""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Iterator

import pytest
from helpers.clients import (
    FakeSleep,
    RotatingProvider,
    error_reply,
    make_client,
    refresh_status_body,
)
from helpers.server import Reply, ScriptedServer

from aws_runtime import AWSError, Config
from aws_runtime.credentials import Credentials, StaticCredentialProvider
from aws_support import SupportClient

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzSECRETzz"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDTOKENzz"
NEEDLES = (SECRET, TOKEN, SECRET[:16], TOKEN[-20:], "SECRETzz", "TOKENzz")

LOGGERS = ("", "aws_runtime", "urllib3", "botocore", "aws_support")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def _assert_clean(text: str, where: str) -> None:
    for needle in NEEDLES:
        assert needle not in text, f"secret material {needle[:6]}... found in {where}"


def _exception_texts(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    texts.extend(repr(v) for v in vars(exc).values())
    return texts


def _exercise(
    client: SupportClient, server: ScriptedServer, refused_url: str
) -> list[BaseException]:
    """A successful call, then one call per failure kind; returns the exceptions raised."""
    raised: list[BaseException] = []
    reply = client.refresh_trusted_advisor_check(check_id="Qch7DwouX1")
    assert reply.status is not None
    for call in (
        lambda: client.refresh_trusted_advisor_check(check_id="Qch7DwouX1"),  # 500 x 3
        lambda: client.refresh_trusted_advisor_check(check_id="Qch7DwouX1"),  # expired token
        lambda: client.refresh_trusted_advisor_check(check_id="Qch7DwouX1"),  # html 200
        lambda: client.refresh_trusted_advisor_check(check_id="Qch7DwouX1"),  # reset x 3
        lambda: client.describe_cases(max_results=5),  # validation
    ):
        with pytest.raises(AWSError) as info:
            call()
        raised.append(info.value)
    broken = make_client(
        refused_url,
        Config(sleep=FakeSleep()),
        aws_access_key_id="AKIDX",
        aws_secret_access_key=SECRET,
        aws_session_token=TOKEN,
    )
    with pytest.raises(AWSError) as info:
        broken.refresh_trusted_advisor_check(check_id="x")
    raised.append(info.value)
    return raised


def _script() -> list[Reply]:
    return [
        Reply(body=refresh_status_body("Qch7DwouX1", 1)),
        *[Reply(status=500, body=b"")] * 3,
        error_reply(
            400, "ExpiredTokenException", "The security token included in the request is expired"
        ),
        Reply(status=200, body="<!doctype html><title>x</title>"),
        *[Reply(reset=True)] * 3,
    ]


@pytest.fixture
def refused_url() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


def _check_everything(client: SupportClient, raised: list[BaseException], logs: str) -> None:
    _assert_clean(repr(client), "repr(client)")
    _assert_clean(str(client), "str(client)")
    _assert_clean(repr(client.config), "repr(config)")
    for name, value in vars(client).items():
        _assert_clean(repr(value), f"repr(client.{name})")
    for exc in raised:
        for text in _exception_texts(exc):
            _assert_clean(text, f"{type(exc).__name__} text")
    _assert_clean(logs, "DEBUG logs")


def test_explicit_keys_never_leak(debug_logs: pytest.LogCaptureFixture, refused_url: str) -> None:
    with ScriptedServer(_script()) as server:
        client = make_client(
            server.url,
            Config(sleep=FakeSleep()),
            aws_access_key_id="AKIDLEAKTEST",
            aws_secret_access_key=SECRET,
            aws_session_token=TOKEN,
        )
        raised = _exercise(client, server, refused_url)
    # The session token is sent (and signed), so the server did see it: the test is live.
    assert server.requests[0].headers["x-amz-security-token"] == TOKEN
    logs = debug_logs.text
    assert "RefreshTrustedAdvisorCheck attempt 1: HTTP 200" in logs
    assert "Starting new HTTP connection" in logs  # urllib3 DEBUG is captured
    assert "max attempts reached" in logs
    assert len(raised) == 6
    _check_everything(client, raised, logs)


@pytest.mark.parametrize("through_botocore", [True, False])
def test_credential_chain_keys_never_leak(
    debug_logs: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    refused_url: str,
    through_botocore: bool,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    if through_botocore:
        # plain environment keys are read without botocore; an expiry makes them botocore's
        # refreshable environment credentials, so botocore's own DEBUG logs are checked too
        monkeypatch.setenv("AWS_CREDENTIAL_EXPIRATION", "2099-01-01T00:00:00Z")
    with ScriptedServer(_script()) as server:
        client = SupportClient(
            region_name="us-east-1", endpoint_url=server.url, config=Config(sleep=FakeSleep())
        )
        raised = _exercise(client, server, refused_url)
    assert server.requests[0].headers["x-amz-security-token"] == TOKEN
    logs = debug_logs.text
    if through_botocore:
        assert "Found credentials in environment variables" in logs  # botocore DEBUG is captured
    else:
        assert "Found credentials" not in logs  # the environment step ran without botocore
    _check_everything(client, raised, logs)


def test_refreshable_provider_keys_never_leak(debug_logs: pytest.LogCaptureFixture) -> None:
    provider = RotatingProvider()
    creds = [RotatingProvider.credentials_for(n) for n in (1, 2)]
    script = [error_reply(400, "ExpiredTokenException", "expired"), Reply(status=503, body=b"")]
    with ScriptedServer(script) as server:
        client = make_client(server.url, Config(sleep=FakeSleep()), credential_provider=provider)
        with pytest.raises(AWSError) as info:
            client.refresh_trusted_advisor_check(check_id="x")
    assert provider.refreshes == 1
    text = " ".join([*_exception_texts(info.value), debug_logs.text, repr(client), repr(provider)])
    for c in creds:
        assert c.secret_key not in text
        assert c.token is not None and c.token not in text
    assert "refreshing credentials" in debug_logs.text


def test_credential_reprs_are_redacted() -> None:
    creds = Credentials("AKIDREPRTEST1234", SECRET, TOKEN)
    for text in (repr(creds), str(creds), repr(StaticCredentialProvider(creds))):
        _assert_clean(text, "credentials repr")
        assert "1234" in text  # the last 4 characters of the key id identify it


def test_config_repr_has_no_callables_or_secrets() -> None:
    text = repr(Config(sleep=FakeSleep(), random=lambda: 0.5))
    assert "FakeSleep" not in text and "lambda" not in text
    assert text.startswith("Config(connect_timeout=60.0, read_timeout=60.0")
