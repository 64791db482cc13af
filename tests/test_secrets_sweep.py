"""Secrets sweep: on every error path of construction and of a call, the secret key, the
session token and the proxy password are absent from str/repr, DEBUG logs, pickles and
tracebacks formatted with ``capture_locals=True`` (causes and contexts included, and the
locals of every frame checked one by one)."""

from __future__ import annotations

import logging
import pickle
import socket
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.clients import FakeSleep
from helpers.hostile import HostileServer
from helpers.proxy import ForwardProxy
from helpers.server import Reply, ScriptedServer
from helpers.tls import PKI, make_pki

from aws_runtime import AWSError, Config
from aws_runtime.credentials import Credentials
from aws_runtime.http import HttpRequest
from aws_runtime.secrets import RedactedHeaders, Secret
from aws_support import SupportClient

SECRET = "sweepSECRETkey/0123456789+abcdefghijklmnopq"
TOKEN = "sweepTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQDzz"
PROXY_PASSWORD = "sweepPROXYpassw0rd"
PROXY = f"http://user:{PROXY_PASSWORD}@127.0.0.1:3128"  # a global: lambdas do not close over it
NEEDLES = (SECRET, TOKEN, PROXY_PASSWORD, SECRET[:12], TOKEN[-16:], "SECRETkey", "TOKEN//", "PROXYpass")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    for name in ("", "aws_runtime", "urllib3", "botocore", "aws_support"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def _texts(exc: BaseException) -> Iterator[tuple[str, str]]:
    """Every text an exception can end up in."""
    yield "str", str(exc)
    yield "repr", repr(exc)
    te = traceback.TracebackException(
        type(exc), exc, exc.__traceback__, capture_locals=True, compact=False
    )
    yield "traceback(capture_locals)", "".join(te.format())
    seen: set[int] = set()
    stack = [te]
    while stack:  # every chained exception's frames and locals, printed or not
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for frame in current.stack:
            for name, value in (frame.locals or {}).items():
                yield f"local {name} in {frame.name}", value
        stack.extend(x for x in (current.__cause__, current.__context__) if x is not None)
    for name, value in vars(exc).items():
        yield f"attribute {name}", repr(value)
    try:
        data = pickle.dumps(exc)
    except Exception:  # noqa: BLE001  # not picklable: nothing leaks through a pickle
        data = b""
    yield "pickle", data.decode("latin-1")


def _assert_clean(exc: BaseException, case: str) -> None:
    assert isinstance(exc, (AWSError, ValueError)), (case, type(exc))
    for where, text in _texts(exc):
        for needle in NEEDLES:
            assert needle not in text, f"{case}: secret {needle[:8]}... in {where}"


def _refused_url() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


def _client(
    url: str,
    config: Config | None = None,
    *,
    region_name: str | None = "us-east-1",
    key_id: str = "AKIDSWEEP",
    secret_suffix: str = "",
    token_suffix: str = "",
    **kwargs: Any,
) -> SupportClient:
    """A client with the sweep's secret key and token. The secrets are written into the
    call, never held in this frame's locals (this frame is part of every traceback, as a
    caller's would be)."""
    return SupportClient(
        region_name=region_name,
        endpoint_url=url,
        aws_access_key_id=key_id,
        aws_secret_access_key=SECRET + secret_suffix,
        aws_session_token=TOKEN + token_suffix,
        config=config or Config(sleep=FakeSleep()),
        **kwargs,
    )


def _raises(case: str, action: Callable[[], object]) -> BaseException:
    try:
        action()
    except BaseException as exc:  # noqa: BLE001
        _assert_clean(exc, case)
        return exc
    raise AssertionError(f"{case}: no error")


def _proxied(proxy_url: str, **extra: Any) -> Config:
    return Config(proxies={"http": proxy_url, "https": proxy_url}, sleep=FakeSleep(), **extra)


def test_construction_errors_never_show_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cases: list[tuple[str, Callable[[], object]]] = [
        ("bad region", lambda: _client("http://127.0.0.1:9", region_name="us-east-1\n")),
        ("no scheme", lambda: _client("127.0.0.1:4566")),
        (
            "endpoint user info",
            lambda: SupportClient(
                region_name="us-east-1",
                endpoint_url=f"http://u:{PROXY_PASSWORD}@127.0.0.1:9",
                aws_access_key_id="AK",
                aws_secret_access_key=SECRET,
            ),
        ),
        ("token CRLF", lambda: _client("http://127.0.0.1:9", token_suffix="\r\nX: 1")),
        ("secret LF", lambda: _client("http://127.0.0.1:9", secret_suffix="\n")),
        ("half key pair", lambda: _client("http://127.0.0.1:9", key_id="")),
        ("user agent CRLF", lambda: _client("http://127.0.0.1:9", Config(user_agent_extra="a\r\nb"))),
        ("bad proxy port", lambda: _client("http://127.0.0.1:9", Config(proxies={"https": PROXY + "99999"}))),
        ("bad proxy scheme", lambda: _client("http://127.0.0.1:9", Config(proxies={"https": "socks5" + PROXY[4:]}))),
        ("missing CA", lambda: _client("https://127.0.0.1:9", Config(proxies={"https": PROXY}), verify=str(tmp_path / "x"))),
        ("bad proxy CA", lambda: _client("http://127.0.0.1:9", Config(proxies={"https": PROXY}, proxies_config={"proxy_ca_bundle": ""}))),
        ("unknown profile", lambda: _client("http://127.0.0.1:9", profile_name="nope", region_name=None)),
    ]
    monkeypatch.setenv("HTTPS_PROXY", f"http://envuser:{PROXY_PASSWORD}@127.0.0.1:3128")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)  # os.environ is never a shown local
    config_file = tmp_path / "config"
    config_file.write_text("[default]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    for case, action in cases:
        _raises(case, action)
    monkeypatch.setenv("HTTPS_PROXY", f"http://envuser:{PROXY_PASSWORD}@127.0.0.1:notaport")
    _raises("bad HTTPS_PROXY", lambda: _client("http://127.0.0.1:9"))


def test_call_errors_never_show_secrets(
    debug_logs: pytest.LogCaptureFixture, pki: PKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    raised: list[BaseException] = []
    script = [
        Reply(status=500, body=b""),
        Reply(status=400, body={"__type": "ExpiredTokenException", "message": "expired"}),
        Reply(status=200, body="<html>not json</html>"),
        Reply(reset=True),
        Reply(close_early=True, body=b'{"severityLevels": []}'),
        Reply(status=200, body=b"\x1f\x8b\x08\x00", headers={"Content-Encoding": "gzip"}),
    ]
    with ScriptedServer(script) as srv:
        client = _client(srv.url, Config(sleep=FakeSleep(), max_attempts=1))
        for case in ("500", "expired token", "html 200", "reset", "closed early", "gzip"):
            raised.append(_raises(case, client.describe_severity_levels))
        raised.append(_raises("validation", lambda: client.describe_cases(max_results=5)))
        raised.append(_raises("param type", lambda: client.describe_cases(case_id_list=7)))  # type: ignore[arg-type]
        assert srv.requests[0].headers["x-amz-security-token"] == TOKEN  # the sweep is live
    raised.append(_raises("refused", _client(_refused_url()).describe_severity_levels))
    with ScriptedServer([Reply(body={})], tls=pki.server_context()) as tls_srv:
        raised.append(_raises("untrusted certificate", _client(tls_srv.url).describe_severity_levels))
        with ForwardProxy(credentials=("user", "other-password")) as proxy:
            url = proxy.url_with("user", PROXY_PASSWORD)
            raised.append(
                _raises("proxy 407 on CONNECT", _client(tls_srv.url, _proxied(url), verify=pki.ca_path).describe_severity_levels)
            )
            raised.append(
                _raises("proxy 407 absolute form", _client("http://127.0.0.1:9", _proxied(url)).describe_severity_levels)
            )
    refused_proxy = f"http://user:{PROXY_PASSWORD}@{_refused_url()[7:]}"
    raised.append(_raises("proxy unreachable", _client("http://127.0.0.1:9", _proxied(refused_proxy)).describe_severity_levels))
    with HostileServer("huge-length") as hostile:
        raised.append(_raises("too large", _client(hostile.url).describe_severity_levels))
    with HostileServer("drip", interval=0.3) as hostile:
        config = Config(call_timeout=0.5, sleep=FakeSleep())
        raised.append(_raises("deadline", _client(hostile.url, config).describe_severity_levels))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN + "\r\n")
    chain = SupportClient(region_name="us-east-1", endpoint_url="http://127.0.0.1:9")
    raised.append(_raises("chain credentials CRLF", chain.describe_severity_levels))
    kinds = {type(e).__name__ for e in raised}
    assert {
        "SupportError",
        "ResponseParseError",
        "ConnectionClosedError",
        "EndpointConnectionError",
        "SSLError",
        "ProxyConnectionError",
        "ResponseTooLargeError",
        "CallTimeoutError",
        "CredentialRetrievalError",
        "ParamValidationError",
    } <= kinds, kinds
    logs = debug_logs.text
    assert "Starting new HTTP" in logs  # urllib3 DEBUG captured
    for needle in NEEDLES:
        assert needle not in logs


def test_secret_types_hide_and_refuse_pickling() -> None:
    secret = Secret(SECRET)
    creds = Credentials("AKIDSWEEP1234", SECRET, TOKEN)
    headers = RedactedHeaders({"Authorization": "AWS4 " + SECRET, "X-Amz-Security-Token": TOKEN, "Proxy-Authorization": PROXY_PASSWORD, "X-Amz-Target": "Svc.Op"})
    request = HttpRequest("POST", "https://h/", headers, b"{}")
    for value in (secret, creds, headers, request, headers.copy()):
        for text in (repr(value), str(value)):
            for needle in NEEDLES:
                assert needle not in text
    assert "Svc.Op" in repr(request) and "1234" in repr(creds)
    for value in (secret, creds):
        with pytest.raises(TypeError):
            pickle.dumps(value)
    assert SECRET not in pickle.dumps(headers).decode("latin-1")
    assert creds.secret_key == SECRET and creds.token == TOKEN and secret.reveal() == SECRET
    config = Config(proxies={"https": f"http://u:{PROXY_PASSWORD}@p.test"})
    assert PROXY_PASSWORD not in repr(config)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(config)
