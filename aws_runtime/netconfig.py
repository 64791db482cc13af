"""Network settings decided without I/O, shared by every transport.

The urllib3 transport (:mod:`aws_runtime.transport`), the asyncio transport
and the attachment upload/download helpers take their decisions from here and
only apply them, so they behave the same:

* :func:`check_endpoint_url`: what an ``endpoint_url`` may be;
* :func:`resolve_proxies` / :class:`ProxySettings`: which proxy (if any) a URL
  goes through, the ``Proxy-Authorization`` header, the request target
  (absolute form through a forwarding proxy), ``NO_PROXY`` matching;
* :func:`resolve_tls` / :class:`TLSSettings`: which CA bundle verifies the
  server, the client certificate, and the :class:`ssl.SSLContext` built from them;
* :func:`socket_options`: ``TCP_NODELAY`` and ``SO_KEEPALIVE`` (``tcp_keepalive``);
* :class:`BodyLimit` and :func:`unrequested_encoding`: bounded replies;
* :class:`Deadline`: the per-call time budget (``Config.call_timeout``).

Everything matches botocore 1.44.8 unless said otherwise; each function names
the botocore source it follows. Errors found here are raised before any
network I/O as :class:`~aws_runtime.errors.InvalidConfigError` (a
``ValueError``); messages name the setting and where it came from and never
contain a password, a secret key or a token.

Helpers that look at a secret (a proxy URL with a password) return a problem
text instead of raising, so no frame holding the raw value is ever part of a
traceback.
"""

from __future__ import annotations

import base64
import ipaddress
import math
import os
import re
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import CallTimeoutError, InvalidConfigError, ResponseTooLargeError
from .secrets import RedactedHeaders, Secret, redact_url

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "BodyLimit",
    "Deadline",
    "NoProxy",
    "Proxy",
    "ProxySettings",
    "TLSSettings",
    "check_endpoint_url",
    "check_header_value",
    "declared_length",
    "default_ca_bundle",
    "endpoint_url_problem",
    "environ_proxies",
    "header_value_problem",
    "resolve_proxies",
    "resolve_tls",
    "socket_options",
    "unrequested_encoding",
]

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""Default ``Config.max_response_bytes`` (64 MiB). The largest AWS JSON replies are far
below it: Kinesis ``GetRecords`` returns at most 10 MiB of data (about 14 MiB as base64
JSON), DynamoDB pages stop at 1 MB, CloudWatch Logs ``GetLogEvents`` at 1 MB."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
# botocore utils.is_valid_endpoint_url's host rule (labels of letters, digits, '-').
_HOST = re.compile(r"^((?!-)[A-Z\d-]{1,63}(?<!-)\.)*((?!-)[A-Z\d-]{1,63}(?<!-))$", re.IGNORECASE)


# --------------------------------------------------------------------------- endpoint URL


def _url_problem(url: object, what: str) -> str | None:
    """Why ``url`` cannot be an http(s) endpoint, or None. Never echoes user info."""
    if not isinstance(url, str):
        return f"{what} must be a str, got {type(url).__name__}"
    if _WHITESPACE_OR_CONTROL.search(url):
        return f"{what} must not contain whitespace or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # port out of range or not a number, bad IPv6 literal
        reason = "invalid port" if "port" in str(exc).lower() else "invalid host"
        return f"{what} has an {reason}: {redact_url(url)!r}"
    shown = redact_url(url)
    if parts.scheme not in ("http", "https") or not url.lower().startswith(parts.scheme + "://"):
        return (
            f"{what} must start with http:// or https:// (the scheme decides whether TLS is "
            f"used), got {shown!r}"
        )
    if "@" in parts.netloc:
        return f"{what} must not contain user info (a user name or password), got {shown!r}"
    host = parts.hostname
    if not host:
        return f"{what} has no host: {shown!r}"
    if port is not None and port == 0:
        return f"{what} has an invalid port 0: {shown!r}"
    if parts.netloc.endswith(":"):
        return f"{what} has an empty port: {shown!r}"
    if parts.fragment or url.endswith("#"):
        return f"{what} must not contain a fragment ('#...'), got {shown!r}"
    if parts.netloc.startswith("["):
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return f"{what} has an invalid IPv6 host: {shown!r}"
    elif len(host) > 255 or not _HOST.match(host.rstrip(".")):
        return f"{what} has an invalid host name: {shown!r}"
    return None


def check_endpoint_url(url: str, source: str = "endpoint_url") -> str:
    """Return ``url`` unchanged if it can be an endpoint, else raise ``InvalidConfigError``.

    Rules (botocore ``utils.is_valid_endpoint_url`` made stricter): scheme
    ``http`` or ``https`` written as ``scheme://``; a host name (labels of
    letters, digits and ``-``) or an IP literal; a port from 1 to 65535 if
    given; no whitespace or control characters anywhere (botocore refuses
    only tab, CR and LF); no user info (``user:pw@``: refused, and the message
    masks it); no fragment. The path and query are kept exactly: they are sent
    as given (``http://h/base?x=1`` → ``POST /base?x=1``).

    ``source`` names where the value came from (``endpoint_url``,
    ``AWS_ENDPOINT_URL``, ``profile 'dev' endpoint_url``) for the message.
    """
    problem = _url_problem(url, source)
    if problem is not None:
        raise InvalidConfigError(problem)
    return url


def endpoint_url_problem(url: object, source: str = "endpoint_url") -> str | None:
    """:func:`check_endpoint_url`'s rules, returning the problem text (or None) instead
    of raising, for callers that drop a URL carrying a password before raising."""
    return _url_problem(url, source)


def header_value_problem(value: object, setting: str) -> str | None:
    """Why ``value`` cannot be sent in an HTTP header, naming ``setting`` and never
    echoing the value, or None: not a str, control characters (CR/LF would split the
    header), or characters outside Latin-1 (http.client encodes header values as
    Latin-1). Returns instead of raising so a secret value is never a local of a
    frame in a traceback: the caller, holding it wrapped, raises."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"{setting} must be a str, got {type(value).__name__}"
    if _CONTROL.search(value):
        return (
            f"{setting} contains control characters (such as CR or LF), which cannot be "
            "sent in an HTTP header"
        )
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return (
            f"{setting} contains characters that cannot be sent in an HTTP header "
            "(only Latin-1 is allowed)"
        )
    return None


def check_header_value(value: str | None, setting: str) -> None:
    """Raise ``InvalidConfigError`` with :func:`header_value_problem`'s text, if any.
    For values that are not secret (region, ``user_agent_extra``)."""
    problem = header_value_problem(value, setting)
    if problem is not None:
        raise InvalidConfigError(problem)


# --------------------------------------------------------------------------- proxies


@dataclass(frozen=True, repr=False, eq=False)
class Proxy:
    """One proxy server, with its credentials kept as :class:`Secret`.

    Attributes:
        url: ``scheme://host:port`` without user info (what a transport connects to).
        scheme: ``http`` (plain connection to the proxy) or ``https`` (TLS to the proxy).
        host: host name or IP literal (IPv6 without brackets).
        port: port (default 80 for http, 443 for https, as urllib3).
        username: the user name, or None.
        password: the password, or None.
    """

    url: str
    scheme: str
    host: str
    port: int
    username: Secret | None = None
    password: Secret | None = None

    def headers(self) -> RedactedHeaders:
        """``{"Proxy-Authorization": "Basic ..."}`` when both user name and password are
        set (botocore ``ProxyConfiguration.proxy_headers_for``), else empty. The pair is
        encoded as UTF-8 (RFC 7617; botocore encodes ASCII and fails on anything else)."""
        headers = RedactedHeaders()
        if self.username and self.password:
            pair = f"{self.username.reveal()}:{self.password.reveal()}".encode()
            headers["Proxy-Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        return headers

    def __repr__(self) -> str:
        auth = "***@" if self.username or self.password else ""
        return f"Proxy('{self.scheme}://{auth}{_host_port(self.host, self.port)}')"


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _parse_proxy(raw: str, setting: str) -> Proxy | str:
    """A :class:`Proxy` from a proxy URL, or the problem text (never echoing the URL's
    user info). A URL without a scheme gets ``http://`` (botocore
    ``ProxyConfiguration._fix_proxy_url``)."""
    try:
        if not raw.startswith(("http:", "https:")):
            if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", raw):
                return f"{setting} must be an http:// or https:// proxy URL, got {redact_url(raw)!r}"
            raw = ("http:" + raw) if raw.startswith("//") else ("http://" + raw)
        if _WHITESPACE_OR_CONTROL.search(raw):
            return f"{setting} must not contain whitespace or control characters"
        parts = urlsplit(raw)
        try:
            port = parts.port
        except ValueError:
            return f"{setting} has an invalid port: {redact_url(raw)!r}"
        if parts.scheme not in ("http", "https"):
            return f"{setting} must be an http:// or https:// proxy URL, got {redact_url(raw)!r}"
        host = parts.hostname
        if not host:
            return f"{setting} has no host: {redact_url(raw)!r}"
        if port == 0:
            return f"{setting} has an invalid port 0: {redact_url(raw)!r}"
        username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        port = port or (443 if parts.scheme == "https" else 80)
        return Proxy(
            url=f"{parts.scheme}://{_host_port(host, port)}",
            scheme=parts.scheme,
            host=host,
            port=port,
            username=Secret(username) if username else None,
            password=Secret(password) if password else None,
        )
    except Exception as exc:  # noqa: BLE001  # any parse failure is a problem text, typed by the caller
        return f"{setting} is not a valid proxy URL ({type(exc).__name__})"


_NO_PROXY_SPLIT = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class NoProxy:
    """Parsed ``NO_PROXY``: which hosts bypass the environment's proxies.

    Entries (comma or space separated, case-insensitive):

    * ``*``: every host;
    * ``example.com`` or ``.example.com``: that host and all its sub-domains
      (a leading dot is ignored, as urllib's ``proxy_bypass_environment``);
    * ``host:port``: that host (and sub-domains) on that port only (the URL's
      explicit or default port);
    * an IP address (``10.0.0.7``, ``::1``, ``[::1]:8080``): that address;
    * a CIDR range (``10.0.0.0/8``, ``fd00::/8``): every IP literal inside it.
      botocore (``utils.should_bypass_proxies``) ignores CIDR entries; requests and
      curl honour them, and so does this client.

    Host names are not resolved: a CIDR entry matches URLs whose host is an IP literal.
    """

    everything: bool = False
    names: tuple[tuple[str, int | None], ...] = ()
    networks: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, int | None], ...] = ()

    @classmethod
    def parse(cls, value: str) -> NoProxy:
        """Parse a ``NO_PROXY`` value; entries that fit no form are ignored (as urllib)."""
        everything = False
        names: list[tuple[str, int | None]] = []
        networks: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, int | None]] = []
        for entry in _NO_PROXY_SPLIT.split(value.strip().lower()):
            if not entry:
                continue
            if entry == "*":
                everything = True
                continue
            host, port = _split_host_port(entry)
            if host is None:
                continue
            try:
                networks.append((ipaddress.ip_network(host, strict=False), port))
                continue
            except ValueError:
                pass
            host = host.lstrip(".").rstrip(".")
            if host:
                names.append((host, port))
        return cls(everything, tuple(names), tuple(networks))

    def matches(self, host: str, port: int | None) -> bool:
        """True when a URL with this ``host`` (name or IP literal, IPv6 with or without
        brackets) and effective ``port`` must not use the proxy."""
        if self.everything:
            return True
        host = host.strip("[]").lower().rstrip(".")
        try:
            ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(
                host.split("%", 1)[0]
            )
        except ValueError:
            ip = None
        for name, want_port in self.names:
            if want_port is not None and want_port != port:
                continue
            if host == name or host.endswith("." + name):
                return True
        if ip is not None:
            for network, want_port in self.networks:
                if (want_port is None or want_port == port) and ip in network:
                    return True
        return False


def _split_host_port(entry: str) -> tuple[str | None, int | None]:
    """``host``, ``host:port``, ``[v6]:port``, ``v6``, ``cidr`` → (host, port or None)."""
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        if rest.startswith(":") and rest[1:].isdigit():
            return host, int(rest[1:])
        return (host, None) if not rest else (None, None)
    if entry.count(":") == 1:
        host, _, port = entry.partition(":")
        return (host, int(port)) if port.isdigit() else (None, None)
    return entry, None  # a name, an IPv4 address or CIDR, or a bare IPv6 address or CIDR


def environ_proxies(environ: Mapping[str, str]) -> dict[str, str]:
    """Proxy variables of ``environ`` by scheme (``{"https": ..., "no": ...}``), as
    urllib's ``getproxies_environment`` (what botocore's ``utils.get_environ_proxies``
    uses): any ``<scheme>_proxy`` variable in any case, lower-case names winning, an
    empty lower-case variable removing the upper-case one, and ``HTTP_PROXY`` ignored
    when ``REQUEST_METHOD`` is set (CGI, CVE-2016-1000110)."""
    found: dict[str, str] = {}
    for name, value in environ.items():
        lowered = name.lower()
        if value and lowered.endswith("_proxy"):
            found[lowered[:-6]] = value
    if "REQUEST_METHOD" in environ:
        found.pop("http", None)
    for name, value in environ.items():
        if name.endswith("_proxy"):
            key = name.lower()[:-6]
            if value:
                found[key] = value
            else:
                found.pop(key, None)
    return found


_PROXIES_CONFIG_KEYS = ("proxy_ca_bundle", "proxy_client_cert", "proxy_use_forwarding_for_https")


@dataclass(frozen=True, repr=False)
class ProxySettings:
    """Which proxy each URL uses, and how to talk to the proxy.

    Attributes:
        proxies: proxies by key: a URL scheme (``"https"``) or ``"scheme://host"``
            (botocore's ``Config(proxies=...)`` documentation allows both; the
            host key wins).
        no_proxy: hosts that bypass the proxies (environment proxies only, as
            botocore: explicit ``Config(proxies=...)`` are always used).
        ca_bundle: ``proxies_config["proxy_ca_bundle"]``: CA bundle that verifies an
            ``https://`` proxy's certificate (None: the default store).
        client_cert: ``proxies_config["proxy_client_cert"]``: certificate file (and key
            file) presented to an ``https://`` proxy.
        use_forwarding_for_https: ``proxies_config["proxy_use_forwarding_for_https"]``:
            send HTTPS requests to an ``https://`` proxy in absolute form instead of
            tunnelling with ``CONNECT`` (the proxy sees the request).
        source: ``"Config.proxies"``, ``"environment"`` or ``"none"``.
    """

    proxies: Mapping[str, Proxy] = field(default_factory=dict)
    no_proxy: NoProxy | None = None
    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    use_forwarding_for_https: bool = False
    source: str = "none"

    def __repr__(self) -> str:
        return f"ProxySettings(source={self.source!r}, proxies={dict(self.proxies)!r})"

    def proxy_for(self, url: str) -> Proxy | None:
        """The proxy ``url`` goes through, or None for a direct connection
        (botocore ``ProxyConfiguration.proxy_url_for`` plus ``NO_PROXY``)."""
        if not self.proxies:
            return None
        parts = urlsplit(url)
        host = parts.hostname or ""
        proxy = self.proxies.get(f"{parts.scheme}://{host}") or self.proxies.get(parts.scheme)
        if proxy is None:
            return None
        if self.no_proxy is not None:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            if self.no_proxy.matches(host, port):
                return None
        return proxy

    def request_target(self, url: str, proxy: Proxy | None) -> str:
        """What goes on the request line: the absolute URL when a proxy forwards the
        request (plain HTTP, or HTTPS through an ``https://`` proxy with
        ``proxy_use_forwarding_for_https``), else the path and query exactly as in
        ``url`` (``/`` when empty). botocore ``URLLib3Session._get_request_target``."""
        if proxy is not None and (
            url.startswith("http:")
            or (proxy.scheme == "https" and self.use_forwarding_for_https)
        ):
            return url
        parts = urlsplit(url)
        path = parts.path or "/"
        return f"{path}?{parts.query}" if parts.query else path

    def ssl_context(self) -> ssl.SSLContext | None:
        """The context that verifies an ``https://`` proxy, when ``proxy_ca_bundle`` or
        ``proxy_client_cert`` is set (else None: the transport's default).
        botocore ``URLLib3Session._setup_proxy_ssl_context``."""
        if self.ca_bundle is None and self.client_cert is None:
            return None
        context = ssl.create_default_context()
        bundle, cert, key = self.ca_bundle, self.client_cert, self.client_key
        reason = _ssl_failure(lambda: context.load_verify_locations(cafile=bundle)) if bundle else ""
        if reason:
            raise InvalidConfigError(
                f"Config.proxies_config['proxy_ca_bundle'] {bundle!r} holds no usable PEM "
                f"certificate ({reason})"
            )
        reason = _ssl_failure(lambda: context.load_cert_chain(cert, keyfile=key)) if cert else ""
        if reason:
            raise InvalidConfigError(
                f"Config.proxies_config['proxy_client_cert'] {cert!r} is not a usable PEM "
                f"certificate and key ({reason})"
            )
        return context

    def secrets(self) -> list[Secret]:
        """Every proxy password of 4 or more characters, for scrubbing third-party error
        text (shorter ones would mangle words; urllib3 never quotes a password anyway)."""
        return [p.password for p in self.proxies.values() if p.password and len(p.password) >= 4]


def resolve_proxies(config: Any, environ: Mapping[str, str]) -> ProxySettings:
    """The proxy settings of a client, from ``config.proxies`` and ``config.proxies_config``.

    ``config`` is a :class:`~aws_runtime.config.Config` (any object with those two
    attributes; taking the object rather than the dicts keeps raw proxy passwords out
    of this frame's locals). ``config.proxies``: None reads ``HTTP_PROXY``/
    ``HTTPS_PROXY``/``NO_PROXY`` from ``environ`` (any case, lower case wins,
    :func:`environ_proxies`); a mapping (even ``{}``, which turns environment
    proxies off) is used as given, without ``NO_PROXY`` (botocore
    ``EndpointCreator.create_endpoint``: ``if proxies is None: proxies =
    get_environ_proxies(url)``). ``config.proxies_config``: ``proxy_ca_bundle``,
    ``proxy_client_cert`` (a path or ``(cert, key)``),
    ``proxy_use_forwarding_for_https`` (botocore ``Config``).

    Raises ``InvalidConfigError`` for a key that is not a scheme or
    ``scheme://host``, a proxy URL that is not http(s) or has a bad port (named by
    its key or variable, user info masked), an unknown ``proxies_config`` key, or a
    proxy CA bundle / client certificate that is missing, empty or unreadable.
    """
    result = _resolve_proxies(config, environ)
    if isinstance(result, str):
        raise InvalidConfigError(result)
    return result


def _resolve_proxies(config: Any, environ: Mapping[str, str]) -> ProxySettings | str:
    """:func:`resolve_proxies` returning the problem text instead of raising, so the
    frame that holds the raw proxy URLs is never part of a traceback."""
    proxies = getattr(config, "proxies", None)
    source = "Config.proxies"
    raw: dict[str, str] = {}
    no_proxy: NoProxy | None = None
    if proxies is None:
        found = environ_proxies(environ)
        for scheme in ("http", "https"):
            if found.get(scheme):
                raw[scheme] = found[scheme]
        if found.get("no"):
            no_proxy = NoProxy.parse(found["no"])
        source = "environment"
    else:
        if not isinstance(proxies, Mapping):
            return f"Config.proxies must be a dict of proxy URLs, got {type(proxies).__name__}"
        for key, value in proxies.items():
            if not isinstance(key, str) or not (
                key in ("http", "https") or re.fullmatch(r"https?://[^/?#@\s]+", key)
            ):
                shown = redact_url(key) if isinstance(key, str) else type(key).__name__
                return f"Config.proxies keys must be 'http', 'https' or 'http(s)://host', got {shown!r}"
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                return f"Config.proxies[{key!r}] must be a proxy URL string, got {type(value).__name__}"
            raw[key] = value
    parsed: dict[str, Proxy] = {}
    for key, value in raw.items():
        setting = (
            f"Config.proxies[{key!r}]" if source == "Config.proxies" else f"{key.upper()}_PROXY"
        )
        result = _parse_proxy(value, setting)
        if isinstance(result, str):
            return result
        parsed[key] = result
    settings = getattr(config, "proxies_config", None) or {}
    if not isinstance(settings, Mapping):
        return f"Config.proxies_config must be a dict, got {type(settings).__name__}"
    unknown = sorted(set(settings) - set(_PROXIES_CONFIG_KEYS))
    if unknown:
        return (
            f"Config.proxies_config has unknown keys {unknown}; allowed: "
            f"{', '.join(_PROXIES_CONFIG_KEYS)}"
        )
    try:
        ca_bundle = settings.get("proxy_ca_bundle")
        if ca_bundle is not None:
            ca_bundle = _check_file(ca_bundle, "Config.proxies_config['proxy_ca_bundle']", "CA bundle")
        cert, key_file = _cert_pair(
            settings.get("proxy_client_cert"), "Config.proxies_config['proxy_client_cert']"
        )
    except InvalidConfigError as exc:
        return str(exc)
    return ProxySettings(
        proxies=parsed,
        no_proxy=no_proxy,
        ca_bundle=ca_bundle,
        client_cert=cert,
        client_key=key_file,
        use_forwarding_for_https=bool(settings.get("proxy_use_forwarding_for_https", False)),
        source=source if parsed else "none",
    )


# --------------------------------------------------------------------------- TLS


def default_ca_bundle() -> str:
    """The CA bundle botocore verifies servers with: ``certifi.where()`` when certifi
    is installed, else the ``cacert.pem`` shipped inside botocore (botocore
    ``httpsession.where``/``get_cert_path``). Neither package is imported."""
    import importlib.util

    spec = importlib.util.find_spec("certifi")
    if spec is not None and spec.origin:
        path = os.path.join(os.path.dirname(spec.origin), "cacert.pem")
        if os.path.isfile(path):
            return path
    spec = importlib.util.find_spec("botocore")
    if spec is not None and spec.origin:
        return os.path.join(os.path.dirname(spec.origin), "cacert.pem")
    return ""  # neither: the system's default store (ssl.create_default_context)


def _check_file(path: object, setting: str, kind: str) -> str:
    """``path`` if it names a readable, non-empty file, else raise ``InvalidConfigError``."""
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path).strip():
        raise InvalidConfigError(
            f"{setting} must be the path of a {kind} file; it is empty"
            if isinstance(path, (str, os.PathLike))
            else f"{setting} must be a path, got {type(path).__name__}"
        )
    name = os.fspath(path)
    problem = None
    try:
        with open(name, "rb") as handle:
            if not handle.read(1):
                problem = "is empty"
    except FileNotFoundError:
        problem = "does not exist"
    except IsADirectoryError:
        problem = "is a directory, not a file"
    except OSError as exc:
        problem = f"cannot be read ({exc.strerror or type(exc).__name__})"
    if problem:
        raise InvalidConfigError(f"{setting}: the {kind} file {name!r} {problem}")
    return str(name)


def _cert_pair(value: object, setting: str) -> tuple[str | None, str | None]:
    """``client_cert`` as a path or ``(cert, key)`` tuple → (cert, key), files checked
    (botocore ``URLLib3Session.__init__``)."""
    if value is None:
        return None, None
    if isinstance(value, (str, os.PathLike)):
        return _check_file(value, setting, "client certificate"), None
    if isinstance(value, tuple) and len(value) == 2:
        return (
            _check_file(value[0], setting + "[0]", "client certificate"),
            _check_file(value[1], setting + "[1]", "client key"),
        )
    raise InvalidConfigError(
        f"{setting} must be a certificate path or a (certificate, key) tuple of paths"
    )


def _ssl_failure(load: Callable[[], object]) -> str:
    """Run one certificate-loading step; the failure's type name, or ``""``."""
    try:
        load()
    except (ssl.SSLError, OSError) as exc:
        return type(exc).__name__
    return ""


@dataclass(frozen=True)
class TLSSettings:
    """How servers are verified and which certificate the client presents.

    Attributes:
        verify: False turns certificate verification off (``verify=False``).
        ca_bundle: the CA bundle file, or None for botocore's default store
            (:func:`default_ca_bundle`).
        source: where ``ca_bundle`` came from: ``"verify"``, ``"AWS_CA_BUNDLE"``,
            ``"profile ca_bundle"``, ``"REQUESTS_CA_BUNDLE"`` or ``"default"``.
        client_cert: ``Config.client_cert`` certificate file, or None.
        client_key: its key file when given separately, or None.
    """

    verify: bool = True
    ca_bundle: str | None = None
    source: str = "default"
    client_cert: str | None = None
    client_key: str | None = None

    def ssl_context(self, base: ssl.SSLContext | None = None) -> ssl.SSLContext:
        """An SSL context with these settings applied: ``base`` (urllib3's
        ``create_urllib3_context()`` for the urllib3 transport, as botocore's
        ``URLLib3Session._get_ssl_context``) or ``ssl.create_default_context()``.

        Loads the CA bundle (or the default store), the client certificate, and
        with ``verify=False`` turns off host name and certificate checks. Raises
        ``InvalidConfigError`` naming the setting when a file is not a valid PEM
        certificate bundle or key.
        """
        context = base if base is not None else ssl.create_default_context()
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            bundle = self.ca_bundle or default_ca_bundle()
            reason = _ssl_failure(
                (lambda: context.load_verify_locations(cafile=bundle))
                if bundle
                else context.load_default_certs
            )
            if reason:
                raise InvalidConfigError(
                    f"the CA bundle {bundle!r} (from {self.source}) holds no usable PEM "
                    f"certificate ({reason})"
                )
        if self.client_cert is not None:
            cert, key = self.client_cert, self.client_key
            reason = _ssl_failure(lambda: context.load_cert_chain(cert, keyfile=key))
            if reason:
                raise InvalidConfigError(
                    f"Config.client_cert {cert!r} is not a usable PEM certificate and key ({reason})"
                )
        return context


def resolve_tls(
    verify: bool | str | None,
    environ: Mapping[str, str],
    profile_ca_bundle: str | None = None,
    client_cert: str | tuple[str, str] | None = None,
) -> TLSSettings:
    """Which CA bundle verifies servers, in botocore's order:

    1. the client's ``verify`` argument: ``False`` (no verification), ``True``
       (botocore's default store, ignoring the settings below) or a CA bundle path;
    2. ``AWS_CA_BUNDLE``, then the profile's ``ca_bundle`` (botocore
       ``session.create_client``: ``verify = self.get_config_variable('ca_bundle')``,
       the ``ca_bundle`` entry of ``configprovider``: environment before profile);
    3. ``REQUESTS_CA_BUNDLE`` (botocore ``EndpointCreator._get_verify_value``);
    4. the default store (:func:`default_ca_bundle`).

    ``client_cert`` is ``Config.client_cert``: a PEM file holding certificate and
    key, or a ``(cert, key)`` tuple. Raises ``InvalidConfigError`` naming the
    source when a CA bundle or certificate path is empty, missing, a directory or
    unreadable (botocore refuses only an empty value, and only on the first request).
    """
    if isinstance(verify, bool):
        ca_bundle, source = None, ("verify" if not verify else "default")
        settings = TLSSettings(verify=verify, ca_bundle=None, source=source)
    else:
        if verify is not None:
            ca_bundle, source = verify, "verify"
        elif environ.get("AWS_CA_BUNDLE") is not None:
            ca_bundle, source = environ["AWS_CA_BUNDLE"], "AWS_CA_BUNDLE"
        elif profile_ca_bundle is not None:
            ca_bundle, source = profile_ca_bundle, "profile ca_bundle"
        elif environ.get("REQUESTS_CA_BUNDLE") is not None:
            ca_bundle, source = environ["REQUESTS_CA_BUNDLE"], "REQUESTS_CA_BUNDLE"
        else:
            ca_bundle, source = None, "default"
        if ca_bundle is not None:
            _check_file(ca_bundle, source, "CA bundle")
        settings = TLSSettings(verify=True, ca_bundle=ca_bundle, source=source)
    cert, key = _cert_pair(client_cert, "Config.client_cert")
    if cert is not None:
        settings = TLSSettings(settings.verify, settings.ca_bundle, settings.source, cert, key)
    return settings


def socket_options(tcp_keepalive: bool) -> list[tuple[int, int, int]]:
    """``TCP_NODELAY`` always, plus ``SO_KEEPALIVE`` when ``tcp_keepalive``
    (botocore ``ClientArgsCreator._compute_socket_options``)."""
    options = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    if tcp_keepalive:
        options.append((socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1))
    return options


# --------------------------------------------------------------------------- bounded replies


def declared_length(headers: Mapping[str, str]) -> int | None:
    """The reply's ``Content-Length`` (lower-case header names), or None when absent or
    not a non-negative integer (the transport then reads until the limit or EOF)."""
    raw = headers.get("content-length")
    if raw is None:
        return None
    raw = raw.split(",")[0].strip()  # repeated identical values are joined by ", "
    return int(raw) if raw.isdigit() else None


class BodyLimit:
    """Collects a reply body in chunks and stops at ``limit`` bytes.

    :meth:`check_declared` refuses a ``Content-Length`` above the limit before any
    byte of the body is read; :meth:`add` raises as soon as the bytes received
    exceed it, so at most ``limit`` bytes plus one chunk are ever held.
    Both raise :class:`ResponseTooLargeError` (never retried), whose message
    names ``Config.max_response_bytes``.
    """

    __slots__ = ("_chunks", "limit", "received", "url")

    def __init__(self, limit: int, url: str = "") -> None:
        self.limit = limit
        self.url = url
        self.received = 0
        self._chunks: list[bytes] = []

    def check_declared(self, headers: Mapping[str, str]) -> None:
        length = declared_length(headers)
        if length is not None and length > self.limit:
            raise ResponseTooLargeError(
                f"Reply from {self.url!r} declares Content-Length {length}, above "
                f"Config.max_response_bytes={self.limit}; not read",
                url=self.url,
                limit=self.limit,
                received=0,
            )

    def add(self, chunk: bytes) -> None:
        self.received += len(chunk)
        if self.received > self.limit:
            self._chunks.clear()
            raise ResponseTooLargeError(
                f"Reply from {self.url!r} exceeded Config.max_response_bytes={self.limit} "
                f"(stopped after {self.received} bytes)",
                url=self.url,
                limit=self.limit,
                received=self.received,
            )
        self._chunks.append(chunk)

    def body(self) -> bytes:
        chunks = self._chunks
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def unrequested_encoding(headers: Mapping[str, str], requested: tuple[str, ...] = ()) -> str | None:
    """The reply's ``Content-Encoding`` when it is one the request did not accept, else
    None. The runtime sends ``Accept-Encoding: identity`` (http.client's default), so
    any encoding but ``identity`` is unrequested: such a body is never inflated (no
    decompression bomb; botocore reads with ``decode_content=False`` too) and is
    reported as a parse error naming the encoding."""
    value = headers.get("content-encoding", "").strip().lower()
    if not value or value == "identity":
        return None
    codings = [c.strip() for c in value.split(",") if c.strip() and c.strip() != "identity"]
    if not codings or all(c in requested for c in codings):
        return None
    return value


# --------------------------------------------------------------------------- deadline


class Deadline:
    """The time budget of one call (``Config.call_timeout``), on a monotonic clock.

    Created when a call starts; every attempt's connect and read timeouts are
    clamped to what is left (:meth:`clamp`), a backoff sleep that would end past
    it is not slept (:meth:`allows_sleep`), and the body read checks it between
    chunks (:meth:`check`). ``limit`` is in seconds; ``clock`` returns seconds
    (default ``time.monotonic``; the asyncio transport may pass ``loop.time``).
    """

    __slots__ = ("_clock", "expires_at", "limit")

    def __init__(self, limit: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self.expires_at = clock() + limit

    def __repr__(self) -> str:
        return f"Deadline(limit={self.limit:g}, remaining={self.remaining():.3f})"

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self.expires_at - self._clock()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def clamp(self, seconds: float | None) -> float:
        """``seconds`` (a connect or read timeout) limited to what is left, at least 1 ms."""
        left = max(self.remaining(), 0.001)
        return left if seconds is None or math.isinf(seconds) else min(seconds, left)

    def allows_sleep(self, delay: float) -> bool:
        """True when sleeping ``delay`` seconds still leaves time for another attempt."""
        return delay < self.remaining()

    def error(self, during: str, url: str = "") -> CallTimeoutError:
        """The :class:`CallTimeoutError` for a deadline reached ``during`` something
        (``"while reading the reply body"``). Its ``limit`` is this deadline's; a
        transport given only the time left sets it to ``None`` and the pipeline fills
        in ``Config.call_timeout``."""
        return CallTimeoutError(during, url=url, limit=self.limit, during=during)

    def check(self, during: str, url: str = "") -> None:
        """Raise :meth:`error` when the deadline has passed."""
        if self.remaining() <= 0:
            raise self.error(during, url)
