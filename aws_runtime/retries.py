"""Retry decisions for the ``standard`` mode, as the AWS SDKs define it (sans-IO).

Source: the AWS SDKs and Tools reference guide, "Retry behavior", and
botocore's ``retries/standard.py`` and ``retries/quota.py``:

* retryable: connection errors and connect/read timeouts; HTTP 500, 502, 503,
  504; HTTP 429 with any code; the throttling codes in
  :data:`THROTTLING_CODES` and the transient codes in :data:`TRANSIENT_CODES`
  at any status. Codes are matched exactly, never by substring
  (``CaseCreationLimitExceeded`` is a quota error and is not retried);
* at most ``max_attempts`` attempts (total, including the first);
* backoff before attempt ``n + 1``: ``random() * min(2 ** (n - 1), 20)`` seconds;
* retry quota: 500 tokens per client; a retry costs 5, or 10 after a timeout;
  a success refunds what its last retry took (1 when it needed no retry),
  up to 500. With the quota empty, no more retries: the last error is raised.

Two corrections come on top, at most once each per call, without backoff and
without touching the quota, because they repair the client's own state rather
than wait out a fault (so a call makes at most ``max_attempts + 2`` requests):

* clock skew (:data:`CLOCK_SKEW_CODES`): the offset between the reply's
  ``Date`` header and the local clock is applied to every later signature of
  the client, and the call is retried once. Without a usable ``Date`` header
  the error goes through the normal rules (none of these codes is retryable,
  so it is raised after that attempt);
* expired credentials (:data:`EXPIRED_TOKEN_CODES`): with refreshable
  credentials they are refreshed and the call retried once; with static
  credentials the error is raised at once.

``retry_mode="off"`` means exactly one attempt: no retries, no corrections.

:class:`RetryPolicy` makes every decision from plain values (the error, the
per-call :class:`CallState`, the current time and a random source passed in);
the client performs the sleeping, re-signing and sending.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import AWSError, ConnectTimeoutError, ReadTimeoutError, ServiceError, TransportError

__all__ = [
    "CLOCK_SKEW_CODES",
    "EXPIRED_TOKEN_CODES",
    "RETRYABLE_STATUS",
    "THROTTLING_CODES",
    "TRANSIENT_CODES",
    "CallState",
    "Decision",
    "RetryPolicy",
    "RetryQuota",
    "backoff_delay",
    "clock_offset",
    "is_clock_skew_error",
    "is_retryable",
    "retry_cost",
]

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)
TRANSIENT_CODES = frozenset(
    {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}
)
RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
THROTTLING_STATUS = 429
CLOCK_SKEW_CODES = frozenset(
    {"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException"}
)
# InvalidSignatureException is a clock problem only with one of these messages
# (AWS: "Signature expired: ... is now earlier than ..." / "Signature not yet current: ...").
_SKEW_SIGNATURE_MESSAGES = ("signature expired", "signature not yet current")
EXPIRED_TOKEN_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})

QUOTA_CAPACITY = 500
RETRY_COST = 5
TIMEOUT_RETRY_COST = 10
NO_RETRY_INCREMENT = 1
MAX_BACKOFF = 20.0

# Decision.action values.
RETRY = "retry"
CORRECT_CLOCK = "correct_clock"
REFRESH_CREDENTIALS = "refresh_credentials"
RAISE = "raise"

MAX_ATTEMPTS_REACHED = "max attempts reached"
QUOTA_EXHAUSTED = "retry quota exhausted"


def is_retryable(error: AWSError) -> bool:
    """True for transport errors (but not those marked ``retryable = False``: certificate,
    reply size limit, call deadline), HTTP 500/502/503/504 and 429, and throttling/transient
    codes."""
    if isinstance(error, TransportError):
        return error.retryable  # False: certificate, size limit, call deadline
    if isinstance(error, ServiceError):
        return (
            error.status_code in RETRYABLE_STATUS
            or error.status_code == THROTTLING_STATUS
            or error.code in THROTTLING_CODES
            or error.code in TRANSIENT_CODES
        )
    return False


def is_clock_skew_error(error: AWSError) -> bool:
    """A request rejected because the signing clock is off: ``RequestTimeTooSkewed``,
    ``RequestExpired``, ``RequestInTheFuture``, or ``InvalidSignatureException`` whose
    message says "Signature expired" (or "Signature not yet current")."""
    if not isinstance(error, ServiceError) or error.code not in CLOCK_SKEW_CODES:
        return False
    if error.code == "InvalidSignatureException":
        message = error.message.lower()
        return any(text in message for text in _SKEW_SIGNATURE_MESSAGES)
    return True


def retry_cost(error: AWSError) -> int:
    """Quota tokens a retry after ``error`` costs: 10 after a connect/read timeout, else 5."""
    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError)):
        return TIMEOUT_RETRY_COST
    return RETRY_COST


def backoff_delay(attempt: int, rand: float) -> float:
    """Seconds to sleep after failed attempt number ``attempt`` (1-based):
    ``rand * min(2 ** (attempt - 1), 20)`` with ``rand`` in [0, 1)."""
    return rand * min(2.0 ** (attempt - 1), MAX_BACKOFF)


def clock_offset(headers: Mapping[str, str], now: _dt.datetime) -> _dt.timedelta | None:
    """Server time (the reply's ``Date`` header, RFC 7231) minus ``now`` (aware UTC).

    ``headers`` has lower-cased names. ``None`` when the header is missing or
    unparseable.
    """
    date = headers.get("date")
    if not date:
        return None
    try:
        server_time = email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if server_time.tzinfo is None:
        server_time = server_time.replace(tzinfo=_dt.timezone.utc)
    try:
        return server_time - now
    except OverflowError:
        return None


class RetryQuota:
    """Per-client token bucket limiting retries (thread-safe).

    ``capacity`` tokens to start with (500); :meth:`acquire` takes the cost of
    a retry, :meth:`release` gives tokens back after a success.
    """

    __slots__ = ("_lock", "available", "capacity")

    def __init__(self, capacity: int = QUOTA_CAPACITY) -> None:
        self._lock = threading.Lock()
        self.capacity = capacity
        self.available = capacity

    def __repr__(self) -> str:
        return f"RetryQuota(available={self.available}, capacity={self.capacity})"

    def acquire(self, cost: int) -> bool:
        """Take ``cost`` tokens; False (and nothing taken) when fewer are left."""
        with self._lock:
            if cost > self.available:
                return False
            self.available -= cost
            return True

    def release(self, amount: int) -> None:
        """Give back ``amount`` tokens, never above capacity."""
        if self.available >= self.capacity:  # full: the common case needs no lock
            return
        with self._lock:
            self.available = min(self.capacity, self.available + amount)


@dataclass(slots=True)
class CallState:
    """Retry bookkeeping for one call; the client creates it at the first failure.

    ``attempts`` is the number of requests sent so far (set by the client
    before each decision); ``corrections`` how many of them followed a clock
    or credential correction; ``last_cost`` the quota tokens the last retry took.
    """

    attempts: int = 0
    corrections: int = 0
    last_cost: int = 0
    clock_corrected: bool = False
    credentials_refreshed: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do after a failed attempt.

    ``action`` is :data:`RETRY` (sleep ``delay`` seconds, then re-sign and
    resend), :data:`CORRECT_CLOCK` (add ``clock_offset`` to the signing time,
    then resend at once), :data:`REFRESH_CREDENTIALS` (refresh, then resend at
    once) or :data:`RAISE`. ``note`` says why retrying stopped when a
    retryable error is raised (max attempts reached, retry quota exhausted).
    """

    action: str
    delay: float = 0.0
    clock_offset: _dt.timedelta | None = None
    note: str = ""


_RAISE = Decision(RAISE)
_REFRESH = Decision(REFRESH_CREDENTIALS)


class RetryPolicy:
    """Standard-mode retry decisions for one client (thread-safe: the only shared
    state is the :class:`RetryQuota`).

    ``mode`` is ``"standard"`` or ``"off"``; ``max_attempts`` the total number
    of attempts per call in standard mode (>= 1).
    """

    __slots__ = ("enabled", "max_attempts", "quota")

    def __init__(self, mode: str, max_attempts: int, quota: RetryQuota | None = None) -> None:
        self.enabled = mode != "off"
        self.max_attempts = max_attempts if self.enabled else 1
        self.quota = quota if quota is not None else RetryQuota()

    def __repr__(self) -> str:
        mode = "standard" if self.enabled else "off"
        return f"RetryPolicy(mode={mode!r}, max_attempts={self.max_attempts}, quota={self.quota!r})"

    @property
    def attempt_limit(self) -> int:
        """The most requests one call can make: ``max_attempts`` plus the two corrections."""
        return self.max_attempts + 2 if self.enabled else 1

    def on_success(self, state: CallState | None) -> None:
        """A reply with status < 300 arrived: refund the quota (the last retry's cost, or 1)."""
        if state is None or not state.last_cost:
            self.quota.release(NO_RETRY_INCREMENT)
        else:
            self.quota.release(state.last_cost)

    def decide(
        self,
        state: CallState,
        error: AWSError,
        *,
        now: Callable[[], _dt.datetime],
        random: Callable[[], float],
        refreshable: bool,
    ) -> Decision:
        """Decide what follows failed attempt ``state.attempts`` that ended with ``error``.

        ``now`` returns the current aware UTC time (read only for a clock-skew
        error), ``random`` a float in [0, 1) for the backoff jitter,
        ``refreshable`` whether the client's credentials can be refreshed.
        Updates ``state``; takes retry tokens from the quota when it decides to retry.
        """
        if not self.enabled:
            return _RAISE
        if isinstance(error, ServiceError):
            if not state.clock_corrected and is_clock_skew_error(error):
                state.clock_corrected = True
                offset = clock_offset(error.headers, now())
                if offset is not None:
                    state.corrections += 1
                    return Decision(CORRECT_CLOCK, clock_offset=offset)
            if (
                refreshable
                and not state.credentials_refreshed
                and error.code in EXPIRED_TOKEN_CODES
            ):
                state.credentials_refreshed = True
                state.corrections += 1
                return _REFRESH
        if not is_retryable(error):
            return _RAISE
        attempt = state.attempts - state.corrections
        if attempt >= self.max_attempts:
            return Decision(RAISE, note=MAX_ATTEMPTS_REACHED)
        cost = retry_cost(error)
        if not self.quota.acquire(cost):
            return Decision(RAISE, note=QUOTA_EXHAUSTED)
        state.last_cost = cost
        return Decision(RETRY, delay=backoff_delay(attempt, random()))
