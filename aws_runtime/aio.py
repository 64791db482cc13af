"""The asyncio flavour: :class:`AsyncBaseClient`, the async driver and the aiohttp transport.

An async generated client (``AsyncSupportClient``) runs exactly the same call
pipeline as the sync one (:mod:`aws_runtime.pipeline`): request building,
signing, retry and quota decisions, clock-skew correction, credential refresh,
error mapping and reply decoding happen in :meth:`CallPipeline.steps`; this
module only performs the effects it yields, without blocking the event loop:

* :class:`~aws_runtime.pipeline.Send`: an aiohttp request
  (:class:`AiohttpTransport`). The body is read completely before the
  connection goes back to the pool; a call cancelled while sending or reading
  closes its connection instead (never pooled half read).
* :class:`~aws_runtime.pipeline.Sleep`: ``asyncio.sleep`` (cancelled at once
  with the task), or ``Config.sleep`` when one was injected (awaited when it
  returns an awaitable).
* :class:`~aws_runtime.pipeline.LoadCredentials` /
  :class:`~aws_runtime.pipeline.RefreshCredentials`: providers that can
  answer without I/O (explicit keys, botocore credentials not near expiry)
  answer in the loop; anything else (botocore's chain: files,
  ``credential_process``, SSO, IMDS, STS) runs in a worker thread
  (``asyncio.to_thread``), once for all the calls waiting on it (single
  flight), see :class:`AsyncCredentialGate`.

Cancellation (``asyncio.wait_for``, ``task.cancel()``) raises
``CancelledError`` out of the call after the attempt in flight; it is never
retried (it is not an :class:`~aws_runtime.errors.AWSError`).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .client import ClientCore
from .credentials import CredentialGate, Credentials
from .errors import (
    ClientClosedError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    TransportError,
)
from .http import HttpRequest, HttpResponse
from .pipeline import Effect, LoadCredentials, RefreshCredentials, Send, Sleep

if TYPE_CHECKING:
    import aiohttp
    from typing_extensions import Self

__all__ = [
    "AiohttpStreamedResponse",
    "AiohttpTransport",
    "AsyncBaseClient",
    "AsyncCredentialGate",
    "AsyncTransport",
    "run_async",
]

_T = TypeVar("_T")


class AsyncTransport(Protocol):
    """Sends one request and returns the complete reply, or raises a TransportError."""

    async def send(self, request: HttpRequest, timeout: float | None = None) -> HttpResponse: ...

    async def close(self) -> None: ...


class AiohttpTransport:
    """An aiohttp ``ClientSession`` with the client's timeouts and pool size.

    ``connect_timeout`` bounds each TCP/TLS connect and ``read_timeout`` each
    wait for reply bytes (aiohttp's ``sock_connect`` and ``sock_read``), as the
    sync transport's urllib3 timeouts do; ``max_pool_connections`` is the most
    connections open at once (aiohttp's ``limit`` and ``limit_per_host``):
    further concurrent requests wait for a free connection instead of opening
    more. A ``timeout`` passed to :meth:`send` (the call's deadline) also
    bounds the whole request.

    The session is created at the first request, inside the running event loop,
    and belongs to that loop. Errors map to :mod:`aws_runtime.errors` as in
    :class:`~aws_runtime.transport.Urllib3Transport`: refused/reset/DNS/TLS →
    :class:`EndpointConnectionError`, connect timeout →
    :class:`ConnectTimeoutError`, read timeout → :class:`ReadTimeoutError`,
    connection closed mid-reply → :class:`ConnectionClosedError`.
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
    ) -> None:
        import aiohttp  # imported with the async client only

        self._aiohttp = aiohttp
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_pool_connections = max_pool_connections
        self._session: aiohttp.ClientSession | None = None
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=None, sock_connect=connect_timeout, sock_read=read_timeout
        )

    def __repr__(self) -> str:
        return (
            f"AiohttpTransport(connect_timeout={self.connect_timeout:g}, "
            f"read_timeout={self.read_timeout:g}, max_pool_connections={self.max_pool_connections})"
        )

    @property
    def is_open(self) -> bool:
        """A session exists and is not closed (it may hold pooled connections)."""
        return self._session is not None and not self._session.closed

    def _open(self) -> aiohttp.ClientSession:
        aiohttp = self._aiohttp
        connector = aiohttp.TCPConnector(
            limit=self.max_pool_connections,
            limit_per_host=self.max_pool_connections,
            enable_cleanup_closed=False,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=self._timeout,
            auto_decompress=False,
            skip_auto_headers=("Accept", "Accept-Encoding", "User-Agent", "Content-Type"),
            trust_env=False,
            raise_for_status=False,
        )
        return self._session

    async def send(self, request: HttpRequest, timeout: float | None = None) -> HttpResponse:
        """Send ``request`` and read the whole reply (``timeout``: seconds left for the
        call, bounding the whole exchange). Raises :class:`TransportError` subclasses."""
        aiohttp = self._aiohttp
        session = self._session_for_loop()
        url = request.url
        kwargs: dict[str, Any] = {}
        if timeout is not None:
            kwargs["timeout"] = aiohttp.ClientTimeout(
                total=timeout,
                connect=None,
                sock_connect=self.connect_timeout,
                sock_read=self.read_timeout,
            )
        response = None
        try:
            response = await session.request(
                request.method,
                url,
                data=request.body,
                headers=request.headers,
                allow_redirects=False,
                compress=None,
                **kwargs,
            )
            body = await response.read()
        except BaseException as exc:
            if response is not None:
                response.close()  # never pool a connection whose reply was not read to the end
            if isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError)):
                raise _transport_error(aiohttp, exc, url, self) from None
            raise
        headers = {k.lower(): v for k, v in response.headers.items()}
        return HttpResponse(response.status, headers, body)

    def _session_for_loop(self) -> aiohttp.ClientSession:
        """The session of the running event loop (a new one when there is none yet, it
        was closed, or it was made in another event loop, by an earlier ``asyncio.run``)."""
        session = self._session
        if session is None or session.closed or session._loop is not asyncio.get_running_loop():
            if session is not None:
                self._abandon()
            session = self._open()
        return session

    async def stream(self, request: HttpRequest) -> AiohttpStreamedResponse:
        """Send ``request`` and return the reply with its body not yet read, for bodies
        too large to hold in memory (attachment downloads); the async twin of
        :meth:`aws_runtime.transport.Urllib3Transport.stream`. The caller reads
        :meth:`AiohttpStreamedResponse.chunks` and must ``close()`` it. Errors as
        :meth:`send`; the read timeout applies to each chunk."""
        aiohttp = self._aiohttp
        session = self._session_for_loop()
        try:
            response = await session.request(
                request.method,
                request.url,
                data=request.body,
                headers=request.headers,
                allow_redirects=False,
                compress=None,
            )
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise _transport_error(aiohttp, exc, request.url, self) from None
        return AiohttpStreamedResponse(response, request.url, self)

    async def close(self) -> None:
        """Close the session and every pooled connection (idempotent)."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _abandon(self) -> None:
        """Close the pooled sockets without the event loop (a dropped client's
        finalizer): aiohttp then has nothing left to warn about."""
        session, self._session = self._session, None
        if session is None or session.closed:
            return
        connector = session.connector
        if connector is not None:
            with contextlib.suppress(Exception):  # a finalizer must not raise
                connector._close()  # synchronous in aiohttp 3.x; the session is then closed


class AiohttpStreamedResponse:
    """A reply whose body is read in chunks (:meth:`AiohttpTransport.stream`).

    ``status`` and ``headers`` (names lower-cased) are known; :meth:`chunks` yields
    the body and raises the transport's errors (a body shorter than its
    ``Content-Length`` is a :class:`ConnectionClosedError`); :meth:`close` releases
    the connection (pooled again only when the body was read to its end).
    """

    def __init__(self, response: Any, url: str, transport: AiohttpTransport) -> None:
        self.status: int = response.status
        self.headers = {k.lower(): v for k, v in response.headers.items()}
        self._response = response
        self._url = url
        self._transport = transport
        self._done = False

    async def chunks(self, size: int = 64 * 1024) -> AsyncIterator[bytes]:
        """The body, at most ``size`` bytes at a time."""
        aiohttp = self._transport._aiohttp
        content = self._response.content
        try:
            while True:
                chunk = await content.read(size)
                if not chunk:
                    self._done = True
                    return
                yield chunk
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise _transport_error(aiohttp, exc, self._url, self._transport) from None

    async def read(self, limit: int) -> bytes:
        """At most ``limit`` bytes of the body (for error replies)."""
        data = b""
        async for chunk in self.chunks(min(limit, 64 * 1024)):
            data += chunk
            if len(data) >= limit:
                break
        return data[:limit]

    def close(self) -> None:
        """Release the connection (closed unless the body was read to its end)."""
        if self._done:
            self._response.release()
        else:
            self._response.close()


def _transport_error(aiohttp: Any, exc: BaseException, url: str, transport: AiohttpTransport) -> TransportError:
    reason = _reason(exc)
    if isinstance(exc, getattr(aiohttp, "ConnectionTimeoutError", ())):
        return ConnectTimeoutError(
            f"Connect timeout on endpoint URL {url!r} "
            f"(no connection within connect_timeout={transport.connect_timeout:g} s)",
            url=url,
        )
    if isinstance(exc, asyncio.TimeoutError):  # sock_read, or the call's deadline
        return ReadTimeoutError(
            f"Read timeout on endpoint URL {url!r} "
            f"(no reply data within read_timeout={transport.read_timeout:g} s)",
            url=url,
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        errno = getattr(exc.os_error, "errno", None)
        if errno:  # name the cause as urllib3 does ("Connection refused")
            reason = f"{os.strerror(errno)}: {reason}"
        return EndpointConnectionError(
            f"Could not connect to the endpoint URL {url!r}: {reason}", url=url
        )
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientOSError)):
        return ConnectionClosedError(
            f"Connection was closed before we received a valid response from "
            f"endpoint URL {url!r}: {reason}",
            url=url,
        )
    return TransportError(f"HTTP failure for endpoint URL {url!r}: {reason}", url=url)


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


class AsyncCredentialGate:
    """Credentials for the async driver, never blocking the event loop.

    :meth:`load` answers in the loop when the provider can without I/O (its
    ``load_nowait()`` returns credentials: explicit keys, botocore credentials
    resolved and not near expiry); otherwise ``load()`` runs in a worker thread,
    and every call that needs credentials meanwhile awaits that same run
    (single flight). :meth:`refresh` likewise runs one
    :meth:`CredentialGate.refresh` for all concurrent callers. A caller that is
    cancelled stops waiting; the shared run goes on for the others.
    """

    def __init__(self, gate: CredentialGate) -> None:
        self.gate = gate
        provider = gate.provider
        self._nowait: Callable[[], Credentials | None] | None = getattr(provider, "load_nowait", None)
        self._loading: asyncio.Future[Credentials] | None = None
        self._refreshing: asyncio.Future[Credentials] | None = None

    def load_nowait(self) -> Credentials | None:
        """Credentials when they can be had without I/O, else ``None``."""
        nowait = self._nowait
        return nowait() if nowait is not None else None

    async def load(self) -> Credentials:
        """The provider's credentials; resolution and refresh run off the loop, once."""
        nowait = self._nowait
        if nowait is not None:
            credentials = nowait()
            if credentials is not None:
                return credentials
        future = self._loading
        if future is None or future.done() or future.get_loop() is not asyncio.get_running_loop():
            future = self._loading = _in_thread(self.gate.load)
        return await asyncio.shield(future)

    async def refresh(self, stale: Credentials | None) -> Credentials:
        """Refresh after an expired-token error, once for all concurrent callers."""
        future = self._refreshing
        if future is None or future.done() or future.get_loop() is not asyncio.get_running_loop():
            future = self._refreshing = _in_thread(self.gate.refresh, stale)
        return await asyncio.shield(future)


def _in_thread(func: Callable[..., Credentials], *args: Any) -> asyncio.Future[Credentials]:
    future = asyncio.ensure_future(asyncio.to_thread(func, *args))
    future.add_done_callback(_retrieve)
    return future


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark a shared run's exception as retrieved (every waiter got it already)."""
    if not future.cancelled():
        future.exception()


async def run_async(
    steps: Generator[Effect, Any, _T],
    transport: AsyncTransport,
    credentials: AsyncCredentialGate,
    sleep: Callable[[float], Awaitable[object] | object],
) -> _T:
    """Run a call's steps (:mod:`aws_runtime.pipeline`) with awaitable I/O. Returns the
    decoded reply or raises the call's error; cancellation propagates at once (the
    steps are closed, nothing is retried)."""
    send = steps.send
    outcome: Any = None
    try:
        effect = next(steps)
        while True:
            kind = type(effect)
            if kind is Send:
                try:
                    outcome = await transport.send(effect.request, effect.timeout)  # type: ignore[union-attr]
                except TransportError as exc:
                    outcome = exc
            elif kind is LoadCredentials:
                try:
                    outcome = credentials.load_nowait() or await credentials.load()
                except Exception as exc:  # noqa: BLE001  # the pipeline decides (module docstring)
                    effect = steps.throw(exc)
                    continue
            elif kind is Sleep:
                result = sleep(effect.seconds)  # type: ignore[union-attr]
                if inspect.isawaitable(result):
                    await result
                outcome = None
            elif kind is RefreshCredentials:
                try:
                    outcome = await credentials.refresh(effect.stale)  # type: ignore[union-attr]
                except Exception as exc:  # noqa: BLE001  # the pipeline decides (module docstring)
                    effect = steps.throw(exc)
                    continue
            else:  # pragma: no cover - a pipeline bug
                raise TypeError(f"unknown pipeline effect {effect!r}")
            effect = send(outcome)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        steps.close()


class AsyncBaseClient(ClientCore):
    """Shared machinery of generated async clients (``Async<Service>Client``); not used directly.

    Construction is the sync client's (region, credentials, endpoint, config:
    see :class:`aws_runtime.client.BaseClient`); every operation is a coroutine
    running the same call pipeline. Use it as ``async with Client(...) as
    client:`` or ``await client.close()`` when done: closing releases the
    aiohttp session and its pooled connections, a second ``close()`` does
    nothing, and a call on a closed client raises
    :class:`~aws_runtime.errors.ClientClosedError` at once, before any request.
    A client dropped without closing gives one ``ResourceWarning`` naming it
    (and closes its sockets). ``transport`` may be any object with
    ``async send(request, timeout)`` and ``async close()``.
    """

    _transport: AsyncTransport

    def _default_transport(self) -> AsyncTransport:
        return AiohttpTransport(
            connect_timeout=self.config.connect_timeout,
            read_timeout=self.config.read_timeout,
            max_pool_connections=self.config.max_pool_connections,
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._closed = False
        super().__init__(*args, **kwargs)
        self._async_credentials = AsyncCredentialGate(self._credential_gate)
        sleep = self.config.sleep
        self._sleep: Callable[[float], Awaitable[object] | object] = (
            asyncio.sleep if sleep is time.sleep else sleep
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        """``close()`` was called."""
        return self._closed

    async def close(self) -> None:
        """Close the aiohttp session and its pooled connections. A second call does
        nothing; calls made afterwards raise :class:`ClientClosedError`."""
        self._closed = True
        await self._transport.close()

    def __del__(self) -> None:
        if getattr(self, "_closed", True):
            return
        transport = getattr(self, "_transport", None)
        if isinstance(transport, AiohttpTransport) and transport.is_open:
            warnings.warn(
                f"unclosed {self!r}: use 'async with' or 'await client.close()'",
                ResourceWarning,
                source=self,
                stacklevel=2,
            )
            transport._abandon()

    async def _call(
        self,
        operation_name: str,
        params: Mapping[str, Any] | bytes,
        parse: Callable[[Any], _T],
        host_prefix: str = "",
        request_compression: Sequence[str] = (),
        endpoint_params: Mapping[str, Any] | None = None,
    ) -> _T:
        """The async twin of :meth:`BaseClient._call`: the same pipeline steps, awaited.

        Raises :class:`ClientClosedError` on a closed client (no request), else what
        the sync ``_call`` raises; ``CancelledError`` when the task is cancelled.
        """
        if self._closed:
            raise ClientClosedError(
                f"{type(self).__name__} is closed: {operation_name} was not sent "
                "(close() was called; create a new client)"
            )
        return await run_async(
            self._steps(operation_name, params, parse, host_prefix, request_compression, endpoint_params),
            self._transport,
            self._async_credentials,
            self._sleep,
        )

