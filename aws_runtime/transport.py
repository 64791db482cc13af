"""Synchronous HTTP transport on a urllib3 connection pool.

The only module that touches sockets. One :class:`Urllib3Transport` per client;
urllib3 pools are thread-safe, so a client can be shared between threads.
urllib3's own retries and redirects are off: the runtime's retry policy
decides, and AWS JSON APIs never redirect.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import urllib3
import urllib3.exceptions as _u3
from urllib3.util import parse_url

from .errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    TransportError,
)
from .http import HttpRequest, HttpResponse

__all__ = ["StreamedResponse", "Transport", "Urllib3Transport"]

_MAX_ROUTES = 64  # URLs whose pool and path are kept (a client uses one or a few)


class Transport(Protocol):
    """Sends one request and returns the complete reply, or raises a TransportError."""

    def send(self, request: HttpRequest) -> HttpResponse: ...

    def close(self) -> None: ...


class Urllib3Transport:
    """urllib3 ``PoolManager`` with the client's timeouts and pool size.

    ``connect_timeout`` and ``read_timeout`` are seconds; ``max_pool_connections``
    is the number of keep-alive connections kept per host.
    Errors map to :mod:`aws_runtime.errors`: connection refused/reset, DNS and
    TLS failures → :class:`EndpointConnectionError`; connect timeout →
    :class:`ConnectTimeoutError`; read timeout → :class:`ReadTimeoutError`;
    connection closed mid-reply → :class:`ConnectionClosedError`.
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._pool = urllib3.PoolManager(
            num_pools=max(10, max_pool_connections),
            maxsize=max_pool_connections,
            block=False,
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
            retries=False,
        )
        self._routes: dict[str, tuple[urllib3.HTTPConnectionPool, str]] = {}

    def __repr__(self) -> str:
        return (
            f"Urllib3Transport(connect_timeout={self.connect_timeout:g}, "
            f"read_timeout={self.read_timeout:g})"
        )

    def send(self, request: HttpRequest) -> HttpResponse:
        try:
            pool, path = self._route(request.url)
            reply = pool.urlopen(
                request.method,
                path,
                body=request.body,
                headers=request.headers,
                redirect=False,
                retries=False,
                preload_content=True,
                assert_same_host=False,
            )
        except _u3.NewConnectionError as exc:
            raise EndpointConnectionError(
                f"Could not connect to the endpoint URL {request.url!r}: {_reason(exc)}",
                url=request.url,
            ) from None
        except _u3.ConnectTimeoutError:
            raise ConnectTimeoutError(
                f"Connect timeout on endpoint URL {request.url!r} "
                f"(no connection within connect_timeout={self.connect_timeout:g} s)",
                url=request.url,
            ) from None
        except _u3.ReadTimeoutError:
            raise ReadTimeoutError(
                f"Read timeout on endpoint URL {request.url!r} "
                f"(no reply data within read_timeout={self.read_timeout:g} s)",
                url=request.url,
            ) from None
        except (_u3.ProtocolError, _u3.IncompleteRead) as exc:
            raise ConnectionClosedError(
                f"Connection was closed before we received a valid response from "
                f"endpoint URL {request.url!r}: {_reason(exc)}",
                url=request.url,
            ) from None
        except (_u3.SSLError, _u3.ProxyError) as exc:
            raise EndpointConnectionError(
                f"Could not connect to the endpoint URL {request.url!r}: {_reason(exc)}",
                url=request.url,
            ) from None
        except _u3.HTTPError as exc:
            raise TransportError(
                f"HTTP failure for endpoint URL {request.url!r}: {_reason(exc)}", url=request.url
            ) from None
        headers = {k.lower(): v for k, v in reply.headers.items()}
        return HttpResponse(reply.status, headers, reply.data)

    def stream(self, request: HttpRequest) -> StreamedResponse:
        """Send ``request`` and return the reply with its body not yet read, for bodies
        too large to hold in memory (attachment downloads). The caller reads
        :meth:`StreamedResponse.chunks` and must :meth:`~StreamedResponse.close` it.
        Errors as :meth:`send`; the read timeout applies to each chunk."""
        try:
            pool, path = self._route(request.url)
            reply = pool.urlopen(
                request.method,
                path,
                body=request.body,
                headers=request.headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
                assert_same_host=False,
            )
        except _u3.HTTPError as exc:
            raise _mapped(exc, request.url, self) from None
        headers = {k.lower(): v for k, v in reply.headers.items()}
        return StreamedResponse(reply.status, headers, reply, request.url, self)

    def close(self) -> None:
        """Close every pooled connection."""
        routes = list(self._routes.values())
        self._routes.clear()
        for pool, _ in routes:
            pool.close()
        self._pool.clear()

    def _route(self, url: str) -> tuple[urllib3.HTTPConnectionPool, str]:
        """The connection pool for ``url``'s origin and the path (and query) to request.

        A client sends every call to the same few URLs, so the pool is looked up
        once per URL and kept: ``PoolManager.request`` would re-parse the URL,
        rebuild a pool key and copy the headers on every call (about 40 µs of
        pure Python per call, measured in ``bench/``). A pool that has been
        closed is looked up again.
        """
        route = self._routes.get(url)
        if route is None or route[0].pool is None:
            # What PoolManager.urlopen does for each request, done once per URL.
            pool = self._pool.connection_from_url(url)
            path = parse_url(url).request_uri
            if len(self._routes) >= _MAX_ROUTES:
                self._routes.clear()
            route = self._routes[url] = (pool, path)
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
        try:
            while True:
                chunk = self._reply.read(size)
                if not chunk:
                    self._done = True
                    return
                yield chunk
        except _u3.HTTPError as exc:
            raise _mapped(exc, self._url, self._transport) from None

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


def _mapped(exc: BaseException, url: str, transport: Urllib3Transport) -> TransportError:
    """The runtime's error for a urllib3 exception (the same mapping as ``send``)."""
    if isinstance(exc, _u3.NewConnectionError):
        return EndpointConnectionError(
            f"Could not connect to the endpoint URL {url!r}: {_reason(exc)}", url=url
        )
    if isinstance(exc, _u3.ConnectTimeoutError):
        return ConnectTimeoutError(
            f"Connect timeout on endpoint URL {url!r} "
            f"(no connection within connect_timeout={transport.connect_timeout:g} s)",
            url=url,
        )
    if isinstance(exc, _u3.ReadTimeoutError):
        return ReadTimeoutError(
            f"Read timeout on endpoint URL {url!r} "
            f"(no reply data within read_timeout={transport.read_timeout:g} s)",
            url=url,
        )
    if isinstance(exc, (_u3.ProtocolError, _u3.IncompleteRead)):
        return ConnectionClosedError(
            f"Connection was closed before we received a valid response from "
            f"endpoint URL {url!r}: {_reason(exc)}",
            url=url,
        )
    if isinstance(exc, (_u3.SSLError, _u3.ProxyError)):
        return EndpointConnectionError(
            f"Could not connect to the endpoint URL {url!r}: {_reason(exc)}", url=url
        )
    return TransportError(f"HTTP failure for endpoint URL {url!r}: {_reason(exc)}", url=url)


def _reason(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 300 else text[:297] + "..."
