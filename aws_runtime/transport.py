"""Synchronous HTTP transport on urllib3 connection pools.

The only module that touches sockets. It applies the decisions of
:mod:`aws_runtime.netconfig` (proxy per URL, request target, TLS trust and
client certificate, socket options, reply size limit, call deadline) and maps
urllib3's exceptions to :mod:`aws_runtime.errors`, as botocore's
``httpsession.URLLib3Session.send`` does. One :class:`Urllib3Transport` per
client; urllib3 pools are thread-safe, so a client can be shared between
threads. urllib3's own retries and redirects are off: the runtime's retry
policy decides, and AWS JSON APIs never redirect.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from typing import Any, Protocol

import urllib3
import urllib3.exceptions as _u3
from urllib3.util.ssl_ import create_urllib3_context

from .errors import (
    CallTimeoutError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ProxyConnectionError,
    ReadTimeoutError,
    SSLError,
    TransportError,
)
from .http import HttpRequest, HttpResponse
from .netconfig import (
    DEFAULT_MAX_RESPONSE_BYTES,
    BodyLimit,
    Deadline,
    Proxy,
    ProxySettings,
    TLSSettings,
    socket_options,
)
from .secrets import redact_text

__all__ = ["StreamedResponse", "Transport", "Urllib3Transport"]

_MAX_ROUTES = 64  # URLs whose pool and path are kept (a client uses one or a few)
_READ_CHUNK = 64 * 1024


class Transport(Protocol):
    """Sends one request and returns the complete reply, or raises a TransportError.

    ``timeout`` (when not None) is the seconds left before the call's deadline
    (``Config.call_timeout``): the transport clamps its connect and read timeouts to
    it and raises :class:`~aws_runtime.errors.CallTimeoutError` once it passes, also
    in the middle of a body (:class:`~aws_runtime.netconfig.Deadline`).
    """

    def send(self, request: HttpRequest, timeout: float | None = None) -> HttpResponse: ...

    def close(self) -> None: ...


class Urllib3Transport:
    """urllib3 pool managers with the client's timeouts, pool size and network settings.

    ``connect_timeout`` and ``read_timeout`` are seconds; ``max_pool_connections``
    is the number of keep-alive connections kept per host; ``tls`` and
    ``proxies`` come from :func:`~aws_runtime.netconfig.resolve_tls` and
    :func:`~aws_runtime.netconfig.resolve_proxies` (defaults: verify with
    botocore's default store, no proxy); ``tcp_keepalive`` adds ``SO_KEEPALIVE``;
    ``max_response_bytes`` bounds every reply body.

    Errors map to :mod:`aws_runtime.errors`: connection refused/reset and DNS
    failures → :class:`EndpointConnectionError`; TLS handshake and certificate
    failures → :class:`SSLError` (not retried); proxy unreachable or tunnel
    refused → :class:`ProxyConnectionError`; connect timeout →
    :class:`ConnectTimeoutError`; read timeout → :class:`ReadTimeoutError`;
    connection closed mid-reply → :class:`ConnectionClosedError`; body above the
    limit → :class:`ResponseTooLargeError`; ``request.deadline`` passed →
    :class:`CallTimeoutError`. Replies are read with ``decode_content=False``: a
    ``Content-Encoding`` is never inflated here (botocore does the same).
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        tls: TLSSettings | None = None,
        proxies: ProxySettings | None = None,
        tcp_keepalive: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_response_bytes = max_response_bytes
        self.tls = tls if tls is not None else TLSSettings()
        self.proxies = proxies if proxies is not None else ProxySettings()
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self._pool_kw: dict[str, Any] = {
            "num_pools": max(10, max_pool_connections),
            "maxsize": max_pool_connections,
            "block": False,
            "timeout": self._timeout,
            "retries": False,
            "socket_options": socket_options(tcp_keepalive),
        }
        self._lock = threading.Lock()
        self._ssl: ssl.SSLContext | None = None
        if self.tls.ca_bundle is not None or self.tls.client_cert is not None or not self.tls.verify:
            # A custom bundle or certificate is loaded now, so a bad file fails when the
            # client is built; the default store is loaded at the first HTTPS connection.
            self._ssl = self.tls.ssl_context(create_urllib3_context())
        self._proxy_ssl = self.proxies.ssl_context() if self.proxies.proxies else None
        self._managers: dict[str, urllib3.PoolManager] = {}
        self._routes: dict[str, tuple[urllib3.HTTPConnectionPool, str, Proxy | None]] = {}

    def __repr__(self) -> str:
        return (
            f"Urllib3Transport(connect_timeout={self.connect_timeout:g}, "
            f"read_timeout={self.read_timeout:g}, proxies={self.proxies!r})"
        )

    # ------------------------------------------------------------------ sending

    def send(self, request: HttpRequest, timeout: float | None = None) -> HttpResponse:
        """Send ``request``; ``timeout`` is the time left before the call's deadline
        (see :class:`Transport`). Raises the errors listed in the class docstring."""
        deadline = _ShortDeadline(timeout) if timeout is not None else None
        error: TransportError | None = None
        reply: Any = None
        proxy: Proxy | None = None
        try:
            if deadline is not None:
                deadline.check("before sending the request", request.url)
                timeouts = urllib3.Timeout(
                    connect=deadline.clamp(self.connect_timeout),
                    read=deadline.clamp(self.read_timeout),
                )
            else:
                timeouts = self._timeout
            pool, target, proxy = self._route(request.url)
            reply = pool.urlopen(
                request.method,
                target,
                body=request.body,
                headers=request.headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
                assert_same_host=False,
                timeout=timeouts,
            )
            body = self._read_body(reply, request.url, deadline)
        except TransportError as exc:  # limit or deadline, raised by _read_body / check
            error = exc
        except Exception as exc:  # noqa: BLE001  # every failure leaves as a TransportError
            during = "while reading the reply body" if reply is not None else "waiting for the reply"
            error = self._map_error(exc, request.url, proxy, deadline, during)
        if error is not None:
            # Raised outside the except block: no __context__ chain carrying urllib3's
            # frames (and their locals) into a traceback formatted with capture_locals.
            if reply is not None:
                _discard(reply)
            raise error
        reply.release_conn()
        headers = {k.lower(): v for k, v in reply.headers.items()}
        return HttpResponse(reply.status, headers, body)

    def _read_body(self, reply: Any, url: str, deadline: Deadline | None) -> bytes:
        """Read the body in chunks, refusing a declared length above the limit before
        reading, stopping at the limit, and checking the deadline between chunks
        (with the socket timeout clamped to it, so a server dripping bytes cannot
        hold the call past it)."""
        headers = reply.headers
        limit = BodyLimit(self.max_response_bytes, url)
        limit.check_declared(headers)  # urllib3's HTTPHeaderDict: case-insensitive
        if reply.status in (204, 304) or reply.length_remaining == 0:
            return b""
        if deadline is None and reply.length_remaining is not None:
            # A declared length at most the limit (checked above), no deadline to watch:
            # one read of exactly that many bytes (the common case, and the fastest).
            return reply.read()  # type: ignore[no-any-return]
        while True:
            if deadline is not None:
                deadline.check("while reading the reply body", url)
                _set_read_timeout(reply, deadline.clamp(self.read_timeout))
            chunk = reply.read1(_READ_CHUNK)
            if not chunk:
                break
            limit.add(chunk)
        return limit.body()

    def _map_error(
        self,
        exc: BaseException,
        url: str,
        proxy: Proxy | None,
        deadline: Deadline | None,
        during: str = "waiting for the reply",
    ) -> TransportError:
        """The runtime's error for a urllib3 (or socket) exception (botocore
        ``URLLib3Session.send``'s mapping, plus certificate errors not retried)."""
        reason = redact_text(_reason(exc), self.proxies.secrets())
        timed_out = isinstance(exc, (_u3.TimeoutError, TimeoutError)) and not isinstance(
            exc, _u3.NewConnectionError
        )
        if timed_out and deadline is not None and deadline.expired():
            error: TransportError = deadline.error(during, url)
            return error
        if isinstance(exc, _u3.SSLError) or _is_ssl_failure(exc):
            return SSLError(
                f"SSL validation failed for {url!r}: {reason} (trust comes from "
                f"{self.tls.source}; not retried)",
                url=url,
            )
        if isinstance(exc, _u3.ProxyError):
            shown = repr(proxy) if proxy is not None else "the proxy"
            return ProxyConnectionError(
                f"Failed to connect to proxy {shown} for {url!r}: {reason}", url=url
            )
        if isinstance(exc, _u3.NewConnectionError) or (
            isinstance(exc, OSError) and not isinstance(exc, TimeoutError)
        ):
            return EndpointConnectionError(
                f"Could not connect to the endpoint URL {url!r}: {reason}", url=url
            )
        if isinstance(exc, _u3.ConnectTimeoutError):
            return ConnectTimeoutError(
                f"Connect timeout on endpoint URL {url!r} "
                f"(no connection within connect_timeout={self.connect_timeout:g} s)",
                url=url,
            )
        if isinstance(exc, (_u3.ReadTimeoutError, TimeoutError)):
            return ReadTimeoutError(
                f"Read timeout on endpoint URL {url!r} "
                f"(no reply data within read_timeout={self.read_timeout:g} s)",
                url=url,
            )
        if isinstance(exc, (_u3.ProtocolError, _u3.IncompleteRead)):
            return ConnectionClosedError(
                f"Connection was closed before we received a valid response from "
                f"endpoint URL {url!r}: {reason}",
                url=url,
            )
        if isinstance(exc, _u3.HTTPError):
            return TransportError(f"HTTP failure for endpoint URL {url!r}: {reason}", url=url)
        # Not urllib3's: its text may quote a header value, so only the type is shown.
        return TransportError(
            f"HTTP failure for endpoint URL {url!r}: {type(exc).__name__}", url=url
        )

    # ------------------------------------------------------------------ pools

    def stream(self, request: HttpRequest) -> StreamedResponse:
        """Send ``request`` and return the reply with its body not yet read, for bodies
        too large to hold in memory (attachment downloads). The caller reads
        :meth:`StreamedResponse.chunks` and must :meth:`~StreamedResponse.close` it.
        Errors as :meth:`send`; the read timeout applies to each chunk."""
        error: TransportError | None = None
        proxy: Proxy | None = None
        try:
            pool, target, proxy = self._route(request.url)  # proxies and TLS as for send()
            reply = pool.urlopen(
                request.method,
                target,
                body=request.body,
                headers=request.headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
                assert_same_host=False,
            )
        except Exception as exc:  # noqa: BLE001  # typed below, outside the except block
            error = self._map_error(exc, request.url, proxy, None)
        if error is not None:
            raise error
        headers = {k.lower(): v for k, v in reply.headers.items()}
        return StreamedResponse(reply.status, headers, reply, request.url, self)

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            routes = list(self._routes.values())
            self._routes.clear()
            managers = list(self._managers.values())
        for pool, _, _ in routes:
            pool.close()
        for manager in managers:
            manager.clear()

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:
            with self._lock:
                if self._ssl is None:
                    self._ssl = self.tls.ssl_context(create_urllib3_context())
        return self._ssl

    def _manager(self, proxy: Proxy | None) -> urllib3.PoolManager:
        key = proxy.url if proxy is not None else ""
        manager = self._managers.get(key)
        if manager is None:
            with self._lock:
                manager = self._managers.get(key)
                if manager is None:
                    if proxy is None:
                        manager = urllib3.PoolManager(**self._pool_kw)
                    else:
                        manager = urllib3.ProxyManager(
                            proxy.url,
                            proxy_headers=proxy.headers(),
                            proxy_ssl_context=self._proxy_ssl,
                            use_forwarding_for_https=self.proxies.use_forwarding_for_https,
                            **self._pool_kw,
                        )
                    self._managers[key] = manager
        return manager

    def _route(self, url: str) -> tuple[urllib3.HTTPConnectionPool, str, Proxy | None]:
        """The connection pool for ``url`` (direct or through its proxy), the request
        target and the proxy.

        A client sends every call to the same few URLs, so the pool is looked up
        once per URL and kept: ``PoolManager.request`` would re-parse the URL,
        rebuild a pool key and copy the headers on every call (about 40 µs of
        pure Python per call, measured in ``bench/``). A pool that has been
        closed is looked up again.
        """
        route = self._routes.get(url)
        if route is None or route[0].pool is None:
            proxy = self.proxies.proxy_for(url)
            manager = self._manager(proxy)
            if url[:6].lower() == "https:":
                pool_kwargs: dict[str, Any] = {
                    "ssl_context": self._ssl_context(),
                    "cert_reqs": "CERT_REQUIRED" if self.tls.verify else "CERT_NONE",
                }
                if not self.tls.verify:
                    pool_kwargs["assert_hostname"] = False
                pool = manager.connection_from_url(url, pool_kwargs=pool_kwargs)
            else:
                pool = manager.connection_from_url(url)
            target = self.proxies.request_target(url, proxy)
            with self._lock:
                if len(self._routes) >= _MAX_ROUTES:
                    self._routes.clear()
                route = self._routes[url] = (pool, target, proxy)
        return route


class StreamedResponse:
    """A reply whose body is read in chunks (:meth:`Urllib3Transport.stream`).

    ``status`` and ``headers`` (names lower-cased) are known; :meth:`chunks` yields
    the body and raises the transport's errors (:class:`ReadTimeoutError`,
    :class:`ConnectionClosedError`, including a body shorter than its
    ``Content-Length``); :meth:`close` releases the connection (returned to the
    pool when the body was read to its end, else closed).
    """

    def __init__(self, status: int, headers: dict[str, str], reply: Any, url: str, transport: Urllib3Transport) -> None:
        self.status = status
        self.headers = headers
        self._reply = reply
        self._url = url
        self._transport = transport
        self._done = False

    def chunks(self, size: int = 64 * 1024) -> Iterator[bytes]:
        """The body, ``size`` bytes at a time (the last chunk may be shorter)."""
        error: TransportError
        try:
            while True:
                chunk = self._reply.read(size)
                if not chunk:
                    self._done = True
                    return
                yield chunk
        except Exception as exc:  # noqa: BLE001  # typed below, outside the except block
            error = self._transport._map_error(exc, self._url, None, None, "while reading the reply body")
        raise error

    def read(self, limit: int) -> bytes:
        """At most ``limit`` bytes of the body (for error replies)."""
        data = b""
        for chunk in self.chunks(min(limit, 64 * 1024)):
            data += chunk
            if len(data) >= limit:
                break
        return data[:limit]

    def close(self) -> None:
        """Release the connection (closed unless the body was read to its end)."""
        reply = self._reply
        if not self._done:  # a half-read body: the connection cannot be reused
            reply.close()
        reply.release_conn()



class _ShortDeadline(Deadline):
    """The call's deadline as a transport sees it: ``timeout`` seconds from now; the
    :class:`CallTimeoutError` it raises leaves ``limit`` for the pipeline to fill in
    (``Config.call_timeout``, which the transport does not know)."""

    __slots__ = ()

    def error(self, during: str, url: str = "") -> CallTimeoutError:
        return CallTimeoutError(during, url=url, limit=None, during=during)


def _set_read_timeout(reply: Any, seconds: float) -> None:
    """Clamp the socket timeout of the connection a reply is read from."""
    connection = getattr(reply, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.settimeout(seconds)
        except (OSError, AttributeError):
            pass


def _discard(reply: Any) -> None:
    """Close a reply that was not read to the end: its connection cannot be reused."""
    try:
        reply.close()
        reply.release_conn()
    except Exception:  # noqa: BLE001, S110  # best effort on an already failed reply
        pass


def _is_ssl_failure(exc: BaseException) -> bool:
    """True for a TLS failure wrapped by urllib3 (a ProxyError or ProtocolError around
    an ``ssl.SSLError``/urllib3 ``SSLError``)."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 5:
        if isinstance(current, (ssl.SSLError, ssl.CertificateError, _u3.SSLError)):
            return True
        nxt = getattr(current, "original_error", None) or getattr(current, "reason", None)
        if not isinstance(nxt, BaseException):
            args = getattr(current, "args", ())
            nxt = next((a for a in args if isinstance(a, BaseException)), None)
        current = nxt
        seen += 1
    return False


def _reason(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 300 else text[:297] + "..."
