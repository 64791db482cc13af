"""Real networks: proxies (a forward proxy of our own), TLS trust (a throw-away CA made
with trustme), endpoint and construction checks, tcp_keepalive. Everything on 127.0.0.1."""

from __future__ import annotations

import base64
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.clients import (
    ACCESS_KEY,
    SECRET_KEY,
    FakeSleep,
    make_client,
    signature_is_valid,
)
from helpers.proxy import ForwardProxy
from helpers.server import Reply, ScriptedServer
from helpers.tls import PKI, make_pki

from aws_runtime import Config
from aws_runtime.credentials import Credentials
from aws_runtime.errors import (
    AWSError,
    CredentialRetrievalError,
    EndpointConnectionError,
    InvalidConfigError,
    ProxyConnectionError,
    SSLError,
)
from aws_runtime.netconfig import NoProxy, ProxySettings, environ_proxies, resolve_proxies
from aws_support import SupportClient

OK_BODY = {"severityLevels": [{"code": "low", "name": "Low"}]}
PROXY_USER = "proxy-user"
PROXY_PASSWORD = "pr0xy/Pass:w@rd%zz"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer([Reply(body=OK_BODY)]) as srv:
        yield srv


@pytest.fixture
def tls_server(pki: PKI) -> Iterator[ScriptedServer]:
    with ScriptedServer([Reply(body=OK_BODY)], tls=pki.server_context()) as srv:
        yield srv


def _call(client: SupportClient) -> Any:
    return client.describe_severity_levels()


def _refused_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port


# --------------------------------------------------------------------------- proxies


def test_http_proxy_from_environment_gets_absolute_form(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        client = make_client(server.url + "/base?x=1")
        reply = _call(client)
    assert reply.severity_levels[0].code == "low"
    # The proxy saw the request line in absolute form, with the endpoint's host ...
    assert [(s.method, s.target) for s in proxy.seen] == [("POST", server.url + "/base?x=1")]
    assert "proxy-authorization" not in proxy.seen[0].headers
    # ... and the server got it in origin form, signed for its own host, not the proxy's.
    rec = server.requests[0]
    assert rec.path == "/base?x=1"
    assert rec.headers["host"] == server.url.split("//")[1]
    assert signature_is_valid(rec, server.url, Credentials(ACCESS_KEY, SECRET_KEY))


def test_https_proxy_tunnels_with_connect_and_sends_proxy_authorization(
    tls_server: ScriptedServer, pki: PKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ForwardProxy(credentials=(PROXY_USER, PROXY_PASSWORD)) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url_with(PROXY_USER, PROXY_PASSWORD))
        client = SupportClient(
            region_name="us-east-1",
            endpoint_url=tls_server.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            verify=pki.ca_path,
        )
        assert _call(client).severity_levels[0].name == "Low"
        assert PROXY_PASSWORD not in repr(client) + repr(vars(client))
    host_port = tls_server.url.split("//")[1]
    assert [(s.method, s.target, s.status) for s in proxy.seen] == [("CONNECT", host_port, 200)]
    expected = base64.b64encode(f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode()
    assert proxy.seen[0].headers["proxy-authorization"] == "Basic " + expected
    assert proxy.seen[0].tunnel_bytes > 0  # the TLS records went through the tunnel
    # The origin never sees the proxy credentials; the tunnel hides the request from the proxy.
    rec = tls_server.requests[0]
    assert "proxy-authorization" not in rec.headers
    assert rec.headers["host"] == host_port
    assert "authorization" not in proxy.seen[0].headers


def test_wrong_proxy_password_is_a_typed_error_without_the_password(
    tls_server: ScriptedServer, pki: PKI
) -> None:
    with ForwardProxy(credentials=(PROXY_USER, "right-password")) as proxy:
        config = Config(
            proxies={"https": proxy.url_with(PROXY_USER, PROXY_PASSWORD)}, sleep=FakeSleep()
        )
        client = SupportClient(
            region_name="us-east-1",
            endpoint_url=tls_server.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=config,
            verify=pki.ca_path,
        )
        with pytest.raises(ProxyConnectionError) as info:
            _call(client)
    assert [s.status for s in proxy.seen] == [407, 407, 407]  # retried like botocore
    assert info.value.attempts == 3
    text = str(info.value) + repr(info.value) + repr(client.config)
    assert PROXY_PASSWORD not in text and "pr0xy" not in text
    assert "127.0.0.1" in str(info.value)
    assert tls_server.requests == []


def test_unreachable_proxy_is_a_proxy_connection_error(server: ScriptedServer) -> None:
    config = Config(proxies={"http": f"http://127.0.0.1:{_refused_port()}"}, max_attempts=1)
    with pytest.raises(ProxyConnectionError):
        _call(make_client(server.url, config))
    assert server.requests == []


def test_lower_case_proxy_variable_wins(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_refused_port()}")
        monkeypatch.setenv("http_proxy", proxy.url)
        _call(make_client(server.url))
    assert len(proxy.seen) == 1 and len(server.requests) == 1


def test_empty_proxies_dict_turns_environment_proxies_off(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        _call(make_client(server.url, Config(proxies={})))
    assert proxy.seen == [] and len(server.requests) == 1


@pytest.mark.parametrize(
    ("no_proxy", "bypassed"),
    [
        ("127.0.0.1", True),
        ("127.0.0.0/8", True),  # CIDR: botocore ignores it
        ("10.0.0.0/8,127.0.0.1/32", True),
        ("*", True),
        ("localhost,127.0.0.2", False),
        ("10.0.0.0/8", False),
    ],
)
def test_no_proxy_decides_per_endpoint(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, no_proxy: str, bypassed: bool
) -> None:
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", no_proxy)
        _call(make_client(server.url))
    assert (len(proxy.seen), len(server.requests)) == ((0, 1) if bypassed else (1, 1))


def test_no_proxy_with_port_and_explicit_proxies_ignore_no_proxy(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = server.url.rsplit(":", 1)[1]
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("no_proxy", f"127.0.0.1:{port}")
        _call(make_client(server.url))
        assert proxy.seen == []
        # Config(proxies=...) is used as given, NO_PROXY does not apply (botocore).
        _call(make_client(server.url, Config(proxies={"http": proxy.url})))
        assert len(proxy.seen) == 1
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("entries", "host", "port", "expected"),
    [
        ("example.com", "example.com", 443, True),
        ("example.com", "api.example.com", 443, True),  # sub-domains too
        (".example.com", "example.com", 443, True),  # leading dot ignored (urllib)
        (".example.com", "a.b.example.com", 443, True),
        ("example.com", "badexample.com", 443, False),
        ("example.com", "example.com.evil.test", 443, False),
        ("EXAMPLE.com", "Example.COM.", 443, True),  # case and trailing dot
        ("example.com:8443", "example.com", 8443, True),
        ("example.com:8443", "example.com", 443, False),
        ("10.0.0.0/8", "10.20.30.40", 443, True),
        ("10.0.0.0/8", "11.0.0.1", 443, False),
        ("10.0.0.0/8", "10.example.com", 443, False),  # names are not resolved
        ("192.168.1.5", "192.168.1.5", 80, True),
        ("fd00::/8", "[fd12::1]", 443, True),
        ("::1", "::1", 443, True),
        ("[::1]:8080", "[::1]", 8080, True),
        ("[::1]:8080", "[::1]", 80, False),
        ("*", "anything.test", 1, True),
        ("a.test, b.test  c.test", "c.test", 443, True),  # comma and space separated
        ("", "example.com", 443, False),
        ("not a cidr/99", "example.com", 443, False),
    ],
)
def test_no_proxy_matching(entries: str, host: str, port: int, expected: bool) -> None:
    assert NoProxy.parse(entries).matches(host, port) is expected


def test_environ_proxies_follows_urllib() -> None:
    env = {"HTTP_PROXY": "http://upper:1", "http_proxy": "http://lower:2", "HTTPS_PROXY": "h:3"}
    assert environ_proxies(env) == {"http": "http://lower:2", "https": "h:3"}
    # an empty lower-case variable removes the upper-case one
    assert environ_proxies({"HTTPS_PROXY": "h:3", "https_proxy": ""}) == {}
    # CGI: HTTP_PROXY could come from a request header (CVE-2016-1000110)
    assert environ_proxies({"HTTP_PROXY": "h:1", "REQUEST_METHOD": "GET"}) == {}


def test_proxy_settings_request_target_and_headers() -> None:
    settings = resolve_proxies(
        Config(proxies={"https": "user:p%40ss@proxy.test:3128", "http": "//plain.test"}), {}
    )
    https = settings.proxy_for("https://support.us-east-1.amazonaws.com/")
    assert https is not None and https.url == "http://proxy.test:3128"  # scheme added (botocore)
    assert https.headers()["Proxy-Authorization"] == "Basic " + base64.b64encode(b"user:p@ss").decode()
    assert "p@ss" not in repr(https) + repr(settings) + repr(https.headers())
    plain = settings.proxy_for("http://h:8000/x")
    assert plain is not None and plain.url == "http://plain.test:80"
    assert settings.request_target("http://h:8000/x?y=1", plain) == "http://h:8000/x?y=1"
    assert settings.request_target("https://h/x?y=1", https) == "/x?y=1"  # CONNECT tunnel
    assert settings.request_target("https://h", None) == "/"
    forwarding = ProxySettings(
        proxies={"https": https}, use_forwarding_for_https=True
    )
    https_proxy = resolve_proxies(Config(proxies={"https": "https://p.test"}), {}).proxies["https"]
    assert forwarding.request_target("https://h/x", https_proxy) == "https://h/x"
    assert forwarding.request_target("https://h/x", https) == "/x"  # http:// proxy: CONNECT
    host_key = resolve_proxies(Config(proxies={"https://special.test": "http://p2.test"}), {})
    assert host_key.proxy_for("https://other.test/") is None
    found = host_key.proxy_for("https://special.test/")
    assert found is not None and found.host == "p2.test"


@pytest.mark.parametrize(
    ("proxies", "message"),
    [
        ({"ftp": "http://p.test"}, "keys must be 'http', 'https'"),
        ({"https": "socks5://user:hunter2pw@p.test"}, "must be an http:// or https:// proxy URL"),
        ({"https": "http://user:hunter2pw@p.test:99999"}, "invalid port"),
        ({"https": "http://user:hunter2pw@p.test:0"}, "invalid port 0"),
        ({"https": "http://user:hunter2pw@p test"}, "whitespace"),
        ({"https": 3128}, "must be a proxy URL string"),
    ],
)
def test_bad_proxies_fail_at_construction_without_the_password(
    proxies: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidConfigError, match=message) as info:
        make_client("http://127.0.0.1:9", Config(proxies=proxies))
    assert "hunter2pw" not in str(info.value)
    assert isinstance(info.value, ValueError)


def test_bad_proxy_environment_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://u:hunter2pw@proxy.test:notaport")
    with pytest.raises(InvalidConfigError, match="HTTPS_PROXY has an invalid port") as info:
        make_client("http://127.0.0.1:9")
    assert "hunter2pw" not in str(info.value)


def test_unknown_proxies_config_key_is_refused() -> None:
    with pytest.raises(InvalidConfigError, match="proxy_ca_bundel"):
        make_client("http://127.0.0.1:9", Config(proxies_config={"proxy_ca_bundel": "x"}))


def test_https_proxy_verified_with_proxy_ca_bundle(server: ScriptedServer, pki: PKI) -> None:
    """TLS to the proxy itself (an https:// proxy), trusted through proxy_ca_bundle."""
    with ForwardProxy(tls=pki.server_context()) as proxy:
        config = Config(
            proxies={"http": proxy.url}, proxies_config={"proxy_ca_bundle": pki.ca_path}
        )
        assert _call(make_client(server.url, config)).severity_levels
        # without the CA the proxy's certificate is not trusted: typed, not retried
        untrusted = make_client(server.url, Config(proxies={"http": proxy.url}))
        with pytest.raises(SSLError) as info:
            _call(untrusted)
    assert info.value.attempts == 1
    assert [(s.method, s.target) for s in proxy.seen] == [("POST", server.url + "/")]
    assert len(server.requests) == 1


# --------------------------------------------------------------------------- TLS trust


def _tls_client(url: str, **kwargs: Any) -> SupportClient:
    kwargs.setdefault("config", Config(sleep=FakeSleep()))
    return SupportClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        **kwargs,
    )


def _write_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **settings: str) -> None:
    lines = ["[default]"] + [f"{k} = {v}" for k, v in settings.items()]
    path = tmp_path / "config"
    path.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))


def test_untrusted_certificate_is_an_ssl_error_not_retried(tls_server: ScriptedServer) -> None:
    with pytest.raises(SSLError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed") as info:
        _call(_tls_client(tls_server.url))
    assert info.value.attempts == 1 and info.value.retry_note == ""
    assert "default" in str(info.value)  # where trust came from
    assert tls_server.requests == []


def test_certificate_for_another_host_is_an_ssl_error(pki: PKI) -> None:
    with ScriptedServer([Reply(body=OK_BODY)], tls=pki.server_context(pki.wrong_host)) as srv:
        with pytest.raises(SSLError, match="(?i)hostname|match"):
            _call(_tls_client(srv.url, verify=pki.ca_path))
        assert srv.requests == []


def test_verify_false_accepts_any_certificate(tls_server: ScriptedServer) -> None:
    with pytest.warns(Warning):  # urllib3's InsecureRequestWarning, as with botocore
        assert _call(_tls_client(tls_server.url, verify=False)).severity_levels
    assert len(tls_server.requests) == 1


@pytest.mark.parametrize(
    ("verify", "env", "profile", "trusted"),
    [
        ("ca", None, None, True),  # verify argument
        (None, "ca", None, True),  # AWS_CA_BUNDLE
        (None, None, "ca", True),  # profile ca_bundle
        ("ca", "other", "other", True),  # verify beats both
        (None, "ca", "other", True),  # AWS_CA_BUNDLE beats the profile
        (None, "other", "ca", False),  # ... even when only the profile's would work
        (True, "ca", "ca", False),  # verify=True: botocore's default store, settings ignored
        ("other", "ca", "ca", False),  # a verify path is not merged with the others
    ],
)
def test_ca_bundle_precedence(
    tls_server: ScriptedServer,
    pki: PKI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    verify: Any,
    env: str | None,
    profile: str | None,
    trusted: bool,
) -> None:
    paths = {"ca": pki.ca_path, "other": pki.other_ca_path}
    if env:
        monkeypatch.setenv("AWS_CA_BUNDLE", paths[env])
    if profile:
        _write_profile(tmp_path, monkeypatch, ca_bundle=paths[profile])
    client = _tls_client(tls_server.url, verify=paths.get(verify, verify))
    if trusted:
        assert _call(client).severity_levels
        assert len(tls_server.requests) == 1
    else:
        with pytest.raises(SSLError):
            _call(client)
        assert tls_server.requests == []


def test_requests_ca_bundle_comes_after_the_profile(
    tls_server: ScriptedServer, pki: PKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", pki.ca_path)  # botocore _get_verify_value
    assert _call(_tls_client(tls_server.url)).severity_levels


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        (where, problem)
        for where in ("verify", "AWS_CA_BUNDLE", "profile ca_bundle")
        for problem in ("empty value", "missing", "directory", "empty file", "not PEM")
        if (where, problem) != ("profile ca_bundle", "empty value")  # empty = not set
    ],
)
def test_unusable_ca_bundle_fails_at_construction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, problem: str
) -> None:
    paths = {
        "empty value": "",
        "missing": str(tmp_path / "nope.pem"),
        "directory": str(tmp_path),
        "empty file": str(tmp_path / "empty.pem"),
        "not PEM": str(tmp_path / "junk.pem"),
    }
    (tmp_path / "empty.pem").write_bytes(b"")
    (tmp_path / "junk.pem").write_text("this is not a certificate\n")
    value = paths[problem]
    kwargs: dict[str, Any] = {}
    if where == "verify":
        kwargs["verify"] = value
    elif where == "AWS_CA_BUNDLE":
        monkeypatch.setenv("AWS_CA_BUNDLE", value)
    else:
        _write_profile(tmp_path, monkeypatch, ca_bundle=value)
    expected = {
        "empty value": "it is empty",
        "missing": "does not exist",
        "directory": "is a directory",
        "empty file": "is empty",
        "not PEM": "no usable PEM certificate",
    }[problem]
    with pytest.raises(InvalidConfigError, match=expected) as info:
        _tls_client("https://127.0.0.1:9", **kwargs)
    assert where.split()[0] in str(info.value)


def test_client_certificate_for_mutual_tls(pki: PKI) -> None:
    context = pki.server_context(require_client_cert=True)
    with ScriptedServer([Reply(body=OK_BODY)], tls=context) as srv:
        for cert in ((pki.client_cert_path, pki.client_key_path), pki.client_combined_path):
            config = Config(client_cert=cert)
            assert _call(_tls_client(srv.url, verify=pki.ca_path, config=config)).severity_levels
        assert len(srv.requests) == 2
        # without a certificate the server ends the handshake: a typed transport error
        with pytest.raises((SSLError, EndpointConnectionError, AWSError)):
            _call(_tls_client(srv.url, verify=pki.ca_path, config=Config(max_attempts=1)))
        assert len(srv.requests) == 2


def test_missing_client_certificate_fails_at_construction(tmp_path: Path) -> None:
    with pytest.raises(InvalidConfigError, match=r"Config.client_cert\[1\].*does not exist"):
        make_client("https://127.0.0.1:9", Config(client_cert=(__file__, str(tmp_path / "k.pem"))))


# --------------------------------------------------------------------------- endpoint checks


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("127.0.0.1:4566", "must start with http:// or https://"),
        ("localhost:4566", "must start with http:// or https://"),
        ("ftp://example.com", "must start with http:// or https://"),
        ("http:/example.com", "must start with http:// or https://"),
        ("http://", "has no host"),
        ("http://exa mple.com", "whitespace"),
        ("http://example.com\n", "whitespace or control"),
        ("http://example.com/\x00", "control"),
        ("http://example.com:99999", "invalid port"),
        ("http://example.com:0", "invalid port 0"),
        ("http://example.com:abc", "invalid port"),
        ("http://example.com:", "empty port"),
        ("http://user:hunter2pw@example.com", "must not contain user info"),
        ("http://example.com/#frag", "fragment"),
        ("http://ex_ample.com", "invalid host name"),
        ("http://[::g]:80", "invalid"),
    ],
)
def test_bad_endpoint_url_fails_at_construction(url: str, message: str) -> None:
    with pytest.raises(InvalidConfigError, match=message) as info:
        make_client(url)
    assert isinstance(info.value, ValueError)
    assert "endpoint_url" in str(info.value)
    assert "hunter2pw" not in str(info.value)


def test_bad_endpoint_from_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SUPPORT", "127.0.0.1:4566")
    with pytest.raises(InvalidConfigError, match="AWS_ENDPOINT_URL_SUPPORT must start with"):
        SupportClient(region_name="us-east-1", aws_access_key_id="AK", aws_secret_access_key="SK")


@pytest.mark.parametrize(
    ("suffix", "path"),
    [("", "/"), ("/", "/"), ("/base", "/base"), ("/base/", "/base/"), ("/base?x=1", "/base?x=1"), ("?a=b&c=d", "/?a=b&c=d")],
)
def test_endpoint_path_and_query_are_sent_as_given(server: ScriptedServer, suffix: str, path: str) -> None:
    _call(make_client(server.url + suffix))
    rec = server.requests[-1]
    assert (rec.method, rec.path) == ("POST", path)
    assert signature_is_valid(rec, server.url, Credentials(ACCESS_KEY, SECRET_KEY))


def test_endpoint_path_and_query_as_botocore_sends_them(server: ScriptedServer) -> None:
    """A real botocore 1.44.8 client beside this one, same endpoints, same request lines."""
    import botocore.session

    session = botocore.session.Session()
    for suffix in ("", "/", "/custom", "/custom/", "/base?x=1", "/a/b?x=1&y=2"):
        boto = session.create_client(
            "support",
            region_name="us-east-1",
            endpoint_url=server.url + suffix,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        boto.describe_severity_levels()
        _call(make_client(server.url + suffix))
        theirs, ours = server.requests[-2:]
        assert (ours.method, ours.path) == (theirs.method, theirs.path), suffix


def test_ipv6_endpoint_is_accepted() -> None:
    client = make_client("http://[::1]:8080/x")
    assert client.endpoint_url == "http://[::1]:8080/x"


# --------------------------------------------------------------------------- construction checks


@pytest.mark.parametrize("region", ["us-east-1\n", "us-east-1 ", "-us-east-1", "us_east_1", "us-east-1/", "x" * 64])
def test_region_must_match_as_a_whole(region: str) -> None:
    from aws_runtime.client import InvalidRegionError

    with pytest.raises(InvalidRegionError) as info:
        SupportClient(region_name=region, aws_access_key_id="AK", aws_secret_access_key="SK")
    assert isinstance(info.value, AWSError) and isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"aws_session_token": "tok\r\nX-Evil: 1"}, "aws_session_token"),
        ({"aws_secret_access_key": "sec\nret"}, "aws_secret_access_key"),
        ({"aws_access_key_id": "AKID\r\n"}, "aws_access_key_id"),
        ({"aws_session_token": "tok\u2603en"}, "aws_session_token"),  # not Latin-1
        ({"config": Config(user_agent_extra="app/1.0\r\nX-Evil: 1")}, "user_agent_extra"),
    ],
)
def test_header_breaking_values_are_refused_by_name(kwargs: dict[str, Any], field: str) -> None:
    base: dict[str, Any] = {"aws_access_key_id": "AKID", "aws_secret_access_key": "secret"}
    base.update(kwargs)
    with pytest.raises(InvalidConfigError) as info:
        SupportClient(region_name="us-east-1", endpoint_url="http://127.0.0.1:9", **base)
    assert field in str(info.value)
    for value in kwargs.values():
        if isinstance(value, str):
            assert value not in str(info.value) and value.strip() not in str(info.value)
    assert "X-Evil" not in str(info.value)


def test_chain_credentials_with_crlf_are_refused_when_loaded(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "tokenzz\r\nX-Evil: 1")
    client = SupportClient(region_name="us-east-1", endpoint_url=server.url)
    with pytest.raises(CredentialRetrievalError, match="session token contains control") as info:
        _call(client)
    assert "tokenzz" not in str(info.value)
    assert server.requests == []


def test_repr_of_a_half_built_client_never_raises() -> None:
    client = SupportClient.__new__(SupportClient)
    assert repr(client) == "SupportClient(region_name=None, endpoint_url=None)"


# --------------------------------------------------------------------------- tcp_keepalive


def _keepalive_of(client: SupportClient) -> int:
    pool = client._transport._route(client.endpoint_url + "/")[0]  # type: ignore[attr-defined]
    conn = pool.pool.queue[-1]
    assert conn is not None and conn.sock is not None
    return int(conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))


@pytest.mark.parametrize(
    ("config", "env", "profile", "expected"),
    [
        (None, None, None, 0),
        (True, None, None, 1),
        (None, "true", None, 1),
        (None, None, "true", 1),
        (None, "false", "true", 0),  # BOTOCORE_TCP_KEEPALIVE before the profile
        (False, None, "true", 0),  # Config before both
    ],
)
def test_tcp_keepalive(
    server: ScriptedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: bool | None,
    env: str | None,
    profile: str | None,
    expected: int,
) -> None:
    if env:
        monkeypatch.setenv("BOTOCORE_TCP_KEEPALIVE", env)
    if profile:
        _write_profile(tmp_path, monkeypatch, tcp_keepalive=profile)
    client = make_client(server.url, Config(tcp_keepalive=config))
    _call(client)
    assert _keepalive_of(client) == expected


def test_default_trust_store_is_botocores() -> None:
    from botocore.httpsession import get_cert_path

    from aws_runtime.netconfig import default_ca_bundle

    assert default_ca_bundle() == get_cert_path(True)
    assert os.path.getsize(default_ca_bundle()) > 10_000

