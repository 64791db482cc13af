"""Synchronous HTTP transport on a urllib3 connection pool.

The only module that touches sockets. One :class:`Urllib3Transport` per client;
urllib3 pools are thread-safe, so a client can be shared between threads.
urllib3's own retries and redirects are off: the runtime's retry policy
decides, and AWS JSON APIs never redirect.
"""

from __future__ import annotations

from typing import Protocol

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

__all__ = ["Transport", "Urllib3Transport"]

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


def _reason(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 300 else text[:297] + "..."
