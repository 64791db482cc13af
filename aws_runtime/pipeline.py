"""The call pipeline: one operation call written once, as sans-IO steps, run by two drivers.

:meth:`CallPipeline.steps` is a generator that performs everything a call
needs except I/O: it builds the awsJson request (:mod:`aws_runtime.awsjson`),
compresses it (:mod:`aws_runtime.compression`), signs every attempt
(:mod:`aws_runtime.sigv4`, with the clock offset learnt from skew errors),
maps error replies to the operation's exception classes, asks
:class:`~aws_runtime.retries.RetryPolicy` what follows a failure, and decodes
the reply. Whenever it needs the outside world it *yields an effect* and the
driver sends back the outcome. The sync driver (:func:`run_sync`, used by
:class:`aws_runtime.client.BaseClient`) performs effects with blocking calls;
the async driver (:mod:`aws_runtime.aio`) awaits them. Neither contains any
retry, signing or parsing logic.

Effect protocol
---------------
The driver starts the generator with ``next(steps)`` and loops: perform the
yielded effect, then ``steps.send(outcome)``; an exception from performing
an effect that the protocol below says is *thrown* goes in with
``steps.throw(exc)``. When the call is over the generator returns the decoded
reply (``StopIteration.value``) or raises the final error (typed, with
``attempts`` set).

=========================  ==========================================  ==============================
effect                     the driver                                  sends back
=========================  ==========================================  ==============================
:class:`LoadCredentials`   ``provider.load()`` (async: off the event   the :class:`Credentials`; a
                           loop, single flight)                        provider error is thrown in
:class:`RefreshCredentials` ``provider.refresh()`` (single flight)     the new credentials; an error
                                                                       is thrown in
:class:`Send`              sends ``effect.request`` on its transport,  the :class:`HttpResponse` (any
                           reading at most ``effect.timeout`` seconds  status), or the
                           when it is not ``None``                     :class:`TransportError`
                                                                       instance (sent, not thrown)
:class:`Sleep`             sleeps ``effect.seconds``                   ``None``
=========================  ==========================================  ==============================

A driver that stops early (the async call was cancelled) calls
``steps.close()``; the pipeline holds no resources, so that is all it takes.
Effects are small slotted objects compared by type (``type(effect) is Send``).

Extension points (each in one place, so no feature copies the loop):

* :class:`Interceptor` hooks, :attr:`CallPipeline.interceptors`: before
  signing (may change headers or body), after signing, after each reply or
  transport error, and after each retry decision.
* A per-call deadline, :attr:`CallPipeline.call_timeout` (seconds): checked
  before each attempt and each sleep; each :class:`Send` carries the time left
  as ``timeout`` so the transport caps its reads; a sleep that would cross it
  is not taken. Raises :class:`~aws_runtime.errors.CallTimeoutError`
  (alias ``DeadlineExceededError``).
* A send-rate limiter (the ``adaptive`` retry mode's token bucket),
  :attr:`CallPipeline.rate_limiter`: asked before each send for a delay
  (yielded as a :class:`Sleep`) and told about each reply. The
  :class:`RetryPolicy` stays the pure decision-maker.
* Reply decoding: the operation's ``parse`` callable gets the raw body bytes
  when it is marked with :func:`takes_body_bytes` (generated clients pass
  :class:`~aws_runtime.wire.ReplyDecoder` instances, one msgspec pass from the
  bytes into the models), otherwise the reply's JSON object.
"""

from __future__ import annotations

import datetime as _dt
import logging
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from . import awsjson, wirelog
from .compression import DEFAULT_MIN_COMPRESSION_SIZE, compress_request
from .credentials import CredentialGate, CredentialProvider, Credentials
from .errors import (
    AWSError,
    CallTimeoutError,
    ResponseParseError,
    ServiceError,
    TransportError,
)
from .http import HttpRequest, HttpResponse
from .netconfig import unrequested_encoding
from .retries import CORRECT_CLOCK, REFRESH_CREDENTIALS, RETRY, CallState, Decision, RetryPolicy
from .secrets import RedactedHeaders
from .wire import WireTypeError, new_idempotency_token

if TYPE_CHECKING:
    from .config import Config
    from .sigv4 import SigV4Signer
    from .transport import Transport

__all__ = [
    "CallContext",
    "CallPipeline",
    "Effect",
    "Interceptor",
    "LoadCredentials",
    "RateLimiter",
    "RefreshCredentials",
    "Send",
    "Sleep",
    "run_sync",
    "takes_body_bytes",
]

logger = logging.getLogger("aws_runtime")

_T = TypeVar("_T")
_UTC = _dt.timezone.utc


# ---------------------------------------------------------------- effects


class Send:
    """Send ``request`` (attempt number ``attempt``, 1-based) and return the reply.

    ``timeout`` is the time left before the call's deadline in seconds (``None``:
    no deadline; the transport's own connect/read timeouts apply). Outcome: the
    :class:`HttpResponse` or the :class:`TransportError` instance.
    """

    __slots__ = ("attempt", "request", "timeout")

    def __init__(self, request: HttpRequest, attempt: int, timeout: float | None = None) -> None:
        self.request = request
        self.attempt = attempt
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"Send({self.request.method} {self.request.url}, attempt={self.attempt})"


class Sleep:
    """Wait ``seconds`` (backoff before a retry, or a rate limiter's delay); outcome ``None``.
    ``reason`` is ``"backoff"`` or ``"rate limit"``."""

    __slots__ = ("reason", "seconds")

    def __init__(self, seconds: float, reason: str = "backoff") -> None:
        self.seconds = seconds
        self.reason = reason

    def __repr__(self) -> str:
        return f"Sleep({self.seconds:.3f}, {self.reason!r})"


class LoadCredentials:
    """Return the provider's current credentials (``provider.load()``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "LoadCredentials()"


class RefreshCredentials:
    """Refresh the provider's credentials (after an expired-token error).

    ``stale`` are the credentials the rejected request was signed with: a
    single-flight driver skips the refresh when the provider already moved on.
    """

    __slots__ = ("stale",)

    def __init__(self, stale: Credentials | None) -> None:
        self.stale = stale

    def __repr__(self) -> str:
        return "RefreshCredentials()"


Effect = Send | Sleep | LoadCredentials | RefreshCredentials
"""What the pipeline yields."""

_LOAD = LoadCredentials()


def takes_body_bytes(parse: Callable[[bytes], _T]) -> Callable[[bytes], _T]:
    """Mark a reply decoder that takes the raw 2xx body bytes instead of the JSON object.

    The pipeline then calls ``parse(response.body)``; an empty body is passed as
    ``b"{}"``. The decoder raises :class:`ResponseParseError`,
    :class:`~aws_runtime.wire.WireTypeError` or ``ValueError`` for bad bodies; all
    become a :class:`ResponseParseError` with status, body excerpt and attempts.
    """
    parse.__aws_body_bytes__ = True  # type: ignore[attr-defined]
    return parse


# ---------------------------------------------------------------- extension points


@dataclass(slots=True)
class CallContext:
    """One call as interceptors see it.

    Attributes:
        operation_name: the model's operation name (``"CreateCase"``).
        params: the serialized input: the JSON body bytes (generated clients encode
            their models with msgspec) or a JSON-ready mapping.
        invocation_id: the ``amz-sdk-invocation-id`` of every attempt.
        attempt: the current attempt number (1-based).
        deadline: ``time.monotonic()`` value after which the call fails, or ``None``.
        state: the retry bookkeeping (``None`` until the first failure).
        credentials: the credentials the current attempt is signed with.
        data: a dict private to the call, shared by every interceptor and every
            attempt (e.g. a start time set in ``before_sign``, read in ``after_reply``).
    """

    operation_name: str
    params: Mapping[str, Any] | bytes
    invocation_id: str
    attempt: int = 0
    deadline: float | None = None
    state: CallState | None = None
    credentials: Credentials | None = None
    data: dict[str, Any] = field(default_factory=dict)


class Interceptor:
    """Base class for interceptors: override any hook; the defaults do nothing.

    Hooks run in the order interceptors were registered, inside the pipeline, for
    both the sync and the async client. An exception from a hook ends the call.
    """

    def before_sign(self, context: CallContext, request: HttpRequest) -> None:
        """Before each attempt is signed: may change ``request.headers`` (signed) or body."""

    def after_sign(self, context: CallContext, request: HttpRequest) -> None:
        """After signing and the SDK headers, just before the request is sent."""

    def after_reply(self, context: CallContext, outcome: HttpResponse | TransportError) -> None:
        """After each attempt: the reply (any status) or the transport error."""

    def on_retry_decision(self, context: CallContext, error: AWSError, decision: Decision) -> None:
        """After the retry policy decided what follows a failed attempt."""


class RateLimiter(Protocol):
    """A client-side send-rate limiter (the ``adaptive`` retry mode's token bucket)."""

    def delay_before_send(self, now: float) -> float:
        """Seconds to wait before the next send (0 to send at once); ``now`` is monotonic."""
        ...

    def on_reply(self, now: float, error: AWSError | None) -> None:
        """Record a reply: ``error`` is the failure (throttling or not), ``None`` on success."""
        ...


# ---------------------------------------------------------------- the pipeline


class CallPipeline:
    """The per-client, flavour-independent state of the call pipeline.

    Built by the client at construction; shared by every call (thread-safe:
    the retry quota locks, the clock offset is one attribute assignment).

    Attributes:
        config: the resolved :class:`~aws_runtime.config.Config`.
        retry: the :class:`RetryPolicy` (decisions and retry quota).
        credentials: the credential provider (``refreshable`` is read here;
            loading and refreshing are effects).
        errors: error code → exception class; ``base_error`` for other codes.
        user_agent: the ``User-Agent`` header value.
        target_prefix: ``<targetPrefix>.``.
        json_version: ``"1.0"`` or ``"1.1"``.
        query_compatible: send ``x-amzn-query-mode: true``.
        clock_offset: added to the local clock for every signature (learnt
            from a clock-skew error, botocore ``handlers``/``retryhandler``).
        interceptors: :class:`Interceptor` instances, in order.
        call_timeout: per-call deadline in seconds (``None``: none).
        rate_limiter: a :class:`RateLimiter`, or ``None``.
        random: backoff jitter source (``Config.random``).
        now: the UTC clock used for signing and skew correction.
        monotonic: the clock for deadlines and the rate limiter.
    """

    def __init__(
        self,
        *,
        config: Config,
        retry: RetryPolicy,
        credentials: CredentialProvider,
        errors: Mapping[str, type[ServiceError]],
        base_error: type[ServiceError],
        user_agent: str,
        target_prefix: str,
        json_version: str,
        query_compatible: bool = False,
    ) -> None:
        self.config = config
        self.retry = retry
        self.credentials = credentials
        self.errors = errors
        self.base_error = base_error
        self.user_agent = user_agent
        self.target_prefix = target_prefix
        self.json_version = json_version
        self.query_compatible = query_compatible
        self.clock_offset = _dt.timedelta(0)
        self.interceptors: tuple[Interceptor, ...] = ()
        self.call_timeout: float | None = None
        self.rate_limiter: RateLimiter | None = None
        self.random: Callable[[], float] = config.random
        self.now: Callable[[], _dt.datetime] = _utc_now
        self.monotonic: Callable[[], float] = time.monotonic

    def build_request(
        self,
        operation_name: str,
        params: Mapping[str, Any] | bytes,
        url: str,
        host_prefix: str = "",
        request_compression: Sequence[str] = (),
    ) -> HttpRequest:
        """The unsigned awsJson request of one call (compressed when the operation
        has ``requestcompression`` and the config allows it)."""
        base = awsjson.build_request(
            url,
            self.target_prefix + operation_name,
            self.json_version,
            params,
            host_prefix=host_prefix,
            query_compatible=self.query_compatible,
        )
        config = self.config
        if request_compression and not config.disable_request_compression:
            compress_request(
                base,
                request_compression,
                DEFAULT_MIN_COMPRESSION_SIZE
                if config.request_min_compression_size_bytes is None
                else config.request_min_compression_size_bytes,
            )
        return base

    def steps(
        self,
        operation_name: str,
        params: Mapping[str, Any] | bytes,
        parse: Callable[[Any], _T],
        *,
        url: str,
        signer: SigV4Signer,
        host_prefix: str = "",
        request_compression: Sequence[str] = (),
    ) -> Generator[Effect, Any, _T]:
        """The steps of one call (see the module docstring for the effect protocol).

        Every attempt is signed afresh (current time plus :attr:`clock_offset`)
        and carries the same ``amz-sdk-invocation-id`` and an
        ``amz-sdk-request: attempt=N; max=M`` header (botocore
        ``handlers.add_retry_headers``). After a failure,
        :meth:`RetryPolicy.decide` chooses: back off and retry, correct the
        clock, refresh the credentials, or raise.

        Returns ``parse(reply)``. Raises the operation's modeled error class
        (or the service's base class) for error replies,
        :class:`ResponseParseError` for unparseable 2xx replies,
        :class:`TransportError` subclasses when no reply came and
        :class:`~aws_runtime.errors.CallTimeoutError` past :attr:`call_timeout`; each with
        ``attempts`` set to the number of requests sent.
        """
        base = self.build_request(operation_name, params, url, host_prefix, request_compression)
        policy = self.retry
        max_attempts = policy.max_attempts
        interceptors = self.interceptors
        limiter = self.rate_limiter
        context = CallContext(operation_name, params, new_idempotency_token())
        if self.call_timeout is not None:
            context.deadline = self.monotonic() + self.call_timeout
        invocation_id = context.invocation_id
        attempt = 0
        state: CallState | None = None
        while True:
            attempt += 1
            context.attempt = attempt
            request = HttpRequest(base.method, base.url, RedactedHeaders(base.headers), base.body)
            credentials: Credentials = yield _LOAD
            context.credentials = credentials
            for interceptor in interceptors:
                interceptor.before_sign(context, request)
            if limiter is not None:
                delay = limiter.delay_before_send(self.monotonic())
                if delay > 0:
                    self._check_deadline(context, attempt - 1, delay)
                    yield Sleep(delay, "rate limit")
            timeout = None if context.deadline is None else self._check_deadline(context, attempt - 1)
            signer.sign(request, credentials, self.now() + self.clock_offset)
            headers = request.headers
            headers["User-Agent"] = self.user_agent
            headers["amz-sdk-invocation-id"] = invocation_id
            headers["amz-sdk-request"] = f"attempt={attempt}; max={max_attempts}"
            for interceptor in interceptors:
                interceptor.after_sign(context, request)
            wire = wirelog.enabled()
            if wire:
                wirelog.log_request(request, operation_name, attempt)

            outcome: HttpResponse | TransportError = yield Send(request, attempt, timeout)
            if wire:
                wirelog.log_outcome(outcome, operation_name, attempt)
            for interceptor in interceptors:
                interceptor.after_reply(context, outcome)
            error: ServiceError | TransportError
            if not isinstance(outcome, TransportError):
                status = outcome.status
                logger.debug(
                    "%s attempt %d: HTTP %d request id %s",
                    operation_name,
                    attempt,
                    status,
                    outcome.headers.get("x-amzn-requestid"),
                )
                if status < 300:
                    if limiter is not None:
                        limiter.on_reply(self.monotonic(), None)
                    policy.on_success(state)
                    return self.decode(operation_name, outcome, parse, attempt)
                error = self.service_error(operation_name, outcome, attempt)
            else:
                error = outcome
                if isinstance(error, CallTimeoutError):  # the transport knew only the time left
                    error.limit = self.call_timeout
                logger.debug("%s attempt %d: %s", operation_name, attempt, type(error).__name__)
            if limiter is not None:
                limiter.on_reply(self.monotonic(), error)

            if state is None:
                state = context.state = CallState()
            state.attempts = attempt
            decision = policy.decide(
                state,
                error,
                now=self.now,
                random=self.random,
                refreshable=self.credentials.refreshable,
            )
            for interceptor in interceptors:
                interceptor.on_retry_decision(context, error, decision)
            action = decision.action
            if action == RETRY:
                logger.debug(
                    "%s: %s, retrying in %.3f s", operation_name, _error_label(error), decision.delay
                )
                if context.deadline is not None:
                    self._check_deadline(
                        context,
                        attempt,
                        decision.delay,
                        cause=error,
                        during=f"the backoff of {decision.delay:.3f} s before attempt "
                        f"{attempt + 1} would pass it",
                    )
                yield Sleep(decision.delay)
            elif action == CORRECT_CLOCK and decision.clock_offset is not None:
                self.clock_offset = decision.clock_offset
                logger.debug(
                    "%s: %s, clock offset set to %.0f s, retrying",
                    operation_name,
                    _error_label(error),
                    decision.clock_offset.total_seconds(),
                )
            elif action == REFRESH_CREDENTIALS:
                logger.debug("%s: %s, refreshing credentials", operation_name, _error_label(error))
                try:
                    yield RefreshCredentials(credentials)
                except AWSError as exc:  # the refresh failed: say what it was refreshing for
                    raise exc from error
            else:
                error.attempts = attempt
                error.retry_note = decision.note
                if decision.note:
                    logger.debug(
                        "%s: giving up after %d attempts (%s)", operation_name, attempt, decision.note
                    )
                raise error

    def _check_deadline(
        self,
        context: CallContext,
        attempts: int,
        wait: float = 0.0,
        cause: AWSError | None = None,
        during: str = "before the next attempt",
    ) -> float:
        """Seconds left before the call's deadline after waiting ``wait`` seconds; raises
        :class:`~aws_runtime.errors.CallTimeoutError` (``DeadlineExceededError``;
        ``attempts`` requests sent, ``limit`` = :attr:`call_timeout`) when none would be."""
        deadline = context.deadline
        if deadline is None:
            return float("inf")
        left = deadline - self.monotonic() - wait
        if left <= 0:
            error = CallTimeoutError(
                during, limit=self.call_timeout, during=f"{context.operation_name}: {during}"
            )
            error.attempts = attempts
            raise error from cause
        return left

    def decode(
        self,
        operation_name: str,
        response: HttpResponse,
        parse: Callable[[Any], _T],
        attempts: int = 1,
    ) -> _T:
        """``parse`` applied to a 2xx reply: to its JSON object, or to its body bytes
        when ``parse`` is marked with :func:`takes_body_bytes`.

        Every failure is a :class:`ResponseParseError` (status, body excerpt,
        attempts): a body that is not a JSON object, a member of the wrong
        JSON type (``reason`` names its path), nesting too deep to parse. Any
        other exception from a parse function is a bug in generated code; it
        is still reported as a ``ResponseParseError``, with the original
        exception as ``__cause__``.
        """
        encoding = unrequested_encoding(response.headers)
        if encoding is not None:
            # Never inflated: a small reply could expand to gigabytes (decompression bomb).
            raise ResponseParseError(
                f"the reply has Content-Encoding {encoding!r}, which the request did not "
                "accept (Accept-Encoding: identity); it is not decoded",
                status_code=response.status,
                operation_name=operation_name,
                attempts=attempts,
            )
        try:
            if getattr(parse, "__aws_body_bytes__", False):
                return parse(response.body or b"{}")
            body = awsjson.parse_success(response, operation_name)
            return parse(body)
        except ResponseParseError as exc:
            exc.attempts = attempts
            raise
        except WireTypeError as exc:
            reason = str(exc)
            cause: BaseException | None = None
        except RecursionError:
            reason = "JSON nested too deeply"
            cause = None
        except Exception as exc:  # noqa: BLE001  # a parse-function bug still gets a typed error
            reason = f"unexpected {type(exc).__name__} while parsing"
            cause = exc
        error = ResponseParseError(
            reason,
            status_code=response.status,
            body=response.body,
            operation_name=operation_name,
            attempts=attempts,
        )
        raise error from cause

    def service_error(self, operation_name: str, response: HttpResponse, attempt: int) -> ServiceError:
        """The typed exception for an error reply (status >= 300): the class mapped to its
        error code, else the service's base error class; modeled members filled in."""
        info = awsjson.parse_error(response)
        cls = self.errors.get(info.code, self.base_error)
        error = cls(
            info.message,
            code=info.code,
            status_code=response.status,
            request_id=info.request_id,
            operation_name=operation_name,
            attempts=attempt,
            headers=response.headers,
        )
        if info.body:
            try:
                error._set_modeled_fields(response.body)
            except (WireTypeError, RecursionError):
                logger.debug("%s: modeled error members of %s not parseable", operation_name, info.code)
        return error


# ---------------------------------------------------------------- the sync driver


def run_sync(
    steps: Generator[Effect, Any, _T],
    transport: Transport,
    credentials: CredentialGate,
    sleep: Callable[[float], object],
) -> _T:
    """Run a call's steps with blocking I/O: ``transport.send``, the credential gate's
    ``load()``/``refresh(stale)`` (single flight across threads) and
    ``sleep(seconds)`` (``Config.sleep``). Returns the decoded reply or raises the
    call's error (see the module docstring)."""
    send = steps.send
    outcome: Any = None
    try:
        effect = next(steps)
        while True:
            kind = type(effect)
            if kind is Send:
                try:
                    if effect.timeout is None:  # type: ignore[union-attr]
                        outcome = transport.send(effect.request)  # type: ignore[union-attr]
                    else:
                        outcome = transport.send(effect.request, timeout=effect.timeout)  # type: ignore[union-attr]
                except TransportError as exc:
                    outcome = exc
            elif kind is LoadCredentials:
                try:
                    outcome = credentials.load()
                except Exception as exc:  # noqa: BLE001  # the pipeline decides (module docstring)
                    effect = steps.throw(exc)
                    continue
            elif kind is Sleep:
                sleep(effect.seconds)  # type: ignore[union-attr]
                outcome = None
            elif kind is RefreshCredentials:
                try:
                    outcome = credentials.refresh(effect.stale)  # type: ignore[union-attr]
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


def _utc_now() -> _dt.datetime:
    return _dt.datetime.now(_UTC)


def _error_label(error: AWSError) -> str:
    """For DEBUG logs: ``ThrottlingException (HTTP 400)`` when the class is named after the
    code, ``SupportError Busy (HTTP 400)`` for an unmodeled code, ``ReadTimeoutError`` when
    no reply came. Each name appears once."""
    if isinstance(error, ServiceError):
        name = type(error).__name__
        prefix = "" if name == error.code else f"{name} "
        return f"{prefix}{error.code} (HTTP {error.status_code})"
    return type(error).__name__
