"""Retry decisions for the ``standard``, ``legacy`` and ``adaptive`` modes (sans-IO).

The reference is the pinned botocore (1.44.8) and nothing else; every constant
below names the botocore file and attribute it comes from, and they are all
defined in this one place.

``standard`` (botocore ``retries/standard.py``, ``retries/quota.py``), the default:

* retryable (``StandardRetryConditions``): the transient codes
  :data:`TRANSIENT_CODES`; HTTP 500/502/503/504 (``TransientRetryableChecker``);
  no reply at all (connection error, connect/read timeout, connection closed:
  every :class:`~aws_runtime.errors.TransportError`); the throttling codes
  :data:`THROTTLING_CODES` at any status (``ThrottledRetryableChecker``); HTTP
  429 unless the error code is one of the operation's modeled errors
  (``ThrottlingStatusCodeChecker``); an error the operation models with the
  ``retryable`` trait (``ModeledRetryableChecker``). Codes match exactly; a
  query-compatible reply is matched on both its codes (``ServiceError.codes``:
  the ``x-amzn-query-error`` legacy code and the ``__type`` shape name). A
  transport error marked ``retryable = False`` (certificate, reply size limit,
  call deadline) is never retried;
* a throttling error (``ThrottlingErrorDetector``) is a throttling code, else a
  modeled retryable error with ``throttling: true``, else (for codes the
  operation does not model) HTTP 429;
* at most ``max_attempts`` attempts per call: 3, or 4 for DynamoDB and DynamoDB
  Streams (``DEFAULT_MAX_ATTEMPTS``, ``_SERVICE_MAX_ATTEMPTS``);
* backoff before attempt ``n + 1`` (``ExponentialBackoff.delay_amount``):
  ``t = random() * min(base * 2 ** (n - 1), 20)`` seconds, ``base`` 1 s for a
  throttling error, else 0.05 s (0.025 s for DynamoDB and DynamoDB Streams).
  An ``x-amz-retry-after`` reply header (integer milliseconds) raises it to
  ``max(t, min(retry_after, t + 5))``; a negative or non-integer value is ignored;
* retry quota (``RetryQuotaChecker``, ``RetryQuota``): 500 tokens per client; a
  retry costs 14, or 5 after a throttling error; a 2xx reply refunds what the
  call's last retry took, or 1 when it needed no retry, up to 500. With too few
  tokens left no retry happens and the error is raised
  (``note`` :data:`QUOTA_EXHAUSTED`); for a long-polling operation
  (:data:`LONG_POLLING_OPERATIONS`) only after sleeping the backoff delay
  (``RetryHandler.needs_retry``), so a polling loop does not spin.

``legacy`` (botocore ``retryhandler.py`` with ``data/_retry.json``): the
service's section of ``_retry.json`` merged onto ``__default__``
(``translate.build_retry_config``) is resolved by the generator and baked into
the generated client as a :class:`LegacyRetryConfig` (no model file is read at
run time). Retries on the listed statuses, (status, code) pairs and connection
errors; ``max_attempts`` total attempts (5 by default, DynamoDB 10); delay
``random() * growth_factor ** (n - 1)`` (or ``base * ...`` with a numeric base),
not capped; no retry quota.

``adaptive`` (botocore ``retries/adaptive.py``, ``bucket.py``, ``throttling.py``):
the ``standard`` decisions plus a per-client send-rate limiter,
:class:`AdaptiveRateLimiter` (token bucket whose rate follows CUBIC), which the
call pipeline asks before every send.

Two corrections of this client come on top in every mode but ``off``, at most
once each per call, without backoff and without touching the quota, because
they repair the client's own state rather than wait out a fault (so a call
makes at most ``max_attempts + 2`` requests):

* clock skew (:data:`CLOCK_SKEW_CODES`): the offset between the reply's
  ``Date`` header and the local clock is applied to every later signature of
  the client, and the call is retried once. Without a usable ``Date`` header
  the error goes through the normal rules;
* expired credentials (:data:`EXPIRED_TOKEN_CODES`): with refreshable
  credentials they are refreshed and the call retried once; with static
  credentials the error goes through the normal rules.

``off`` (this client's own mode; boto3 has no such name) means exactly one
attempt: no retries, no corrections.

:class:`RetryPolicy` makes every decision from plain values (the error, the
per-call :class:`CallState`, the current time and a random source passed in);
the client performs the sleeping, re-signing and sending.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .errors import AWSError, ServiceError, TransportError

__all__ = [
    "CLOCK_SKEW_CODES",
    "EXPIRED_TOKEN_CODES",
    "LEGACY_DEFAULT",
    "LONG_POLLING_OPERATIONS",
    "RETRY_MODES",
    "THROTTLING_CODES",
    "TRANSIENT_CODES",
    "TRANSIENT_STATUS",
    "AdaptiveRateLimiter",
    "CallState",
    "CubicCalculator",
    "Decision",
    "LegacyRetryConfig",
    "RateClocker",
    "RetryPolicy",
    "RetryQuota",
    "RetryRules",
    "TokenBucket",
    "clock_offset",
    "is_clock_skew_error",
    "retry_after_seconds",
]

RETRY_MODES = ("standard", "legacy", "adaptive", "off")
"""botocore's three modes (``config.py`` ``_validate_retry_configuration``) plus
this client's ``off`` (one attempt)."""

# --------------------------------------------------------------------------- constants
# botocore 1.44.8 retries/standard.py
STANDARD_MAX_ATTEMPTS = 3  # DEFAULT_MAX_ATTEMPTS
SERVICE_MAX_ATTEMPTS: Mapping[str, int] = {"dynamodb": 4, "dynamodb-streams": 4}  # _SERVICE_MAX_ATTEMPTS
TRANSIENT_CODES = frozenset(  # TransientRetryableChecker._TRANSIENT_ERROR_CODES
    {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}
)
TRANSIENT_STATUS = frozenset({500, 502, 503, 504})  # TransientRetryableChecker._TRANSIENT_STATUS_CODES
THROTTLING_STATUS = frozenset({429})  # ThrottlingStatusCodeChecker._THROTTLING_STATUS_CODES
THROTTLING_CODES = frozenset(  # ThrottledRetryableChecker._THROTTLED_ERROR_CODES
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
BACKOFF_GROWTH = 2  # ExponentialBackoff._BASE
MAX_BACKOFF = 20.0  # ExponentialBackoff._MAX_BACKOFF
THROTTLING_BASE_SCALE = 1.0  # ExponentialBackoff._DEFAULT_BACKOFF_CONFIG['throttling_base_scale']
NON_THROTTLING_BASE_SCALE = 0.05  # ... ['non_throttling_base_scale']
SERVICE_NON_THROTTLING_BASE_SCALE: Mapping[str, float] = {  # ._SERVICE_BACKOFF_CONFIG
    "dynamodb": 0.025,
    "dynamodb-streams": 0.025,
}
RETRY_AFTER_HEADER = "x-amz-retry-after"  # ExponentialBackoff._RETRY_AFTER_HEADER (milliseconds)
RETRY_AFTER_MAX_ADDITIONAL = 5.0  # ExponentialBackoff._RETRY_AFTER_MAX_ADDITIONAL (seconds)
RETRY_COST = 14  # RetryQuotaChecker._RETRY_COST
THROTTLING_RETRY_COST = 5  # RetryQuotaChecker._THROTTLING_RETRY_COST
NO_RETRY_INCREMENT = 1  # RetryQuotaChecker._NO_RETRY_INCREMENT
LONG_POLLING_OPERATIONS: Mapping[str, frozenset[str]] = {  # RetryHandler._LONG_POLLING_OPERATIONS
    "sqs": frozenset({"ReceiveMessage"}),
    "sfn": frozenset({"GetActivityTask"}),
    "swf": frozenset({"PollForActivityTask", "PollForDecisionTask"}),
    "kinesis": frozenset({"ReceiveQueueRecords", "ReceiveDeadLetterQueueRecords"}),
}
# botocore 1.44.8 retries/quota.py
QUOTA_CAPACITY = 500  # RetryQuota.INITIAL_CAPACITY
# botocore 1.44.8 retries/bucket.py, throttling.py, adaptive.py
TOKEN_BUCKET_MIN_RATE = 0.5  # TokenBucket._MIN_RATE
TOKEN_BUCKET_START_RATE = 1.0  # adaptive.register_retry_handler: TokenBucket(max_rate=1)
CUBIC_SCALE_CONSTANT = 0.4  # CubicCalculator._SCALE_CONSTANT
CUBIC_BETA = 0.7  # CubicCalculator._BETA
RATE_SMOOTHING = 0.8  # RateClocker._DEFAULT_SMOOTHING
RATE_TIME_BUCKET = 0.5  # RateClocker._TIME_BUCKET_RANGE (seconds)
MAX_RATE_ADJUST_SCALE = 2.0  # ClientRateLimiter._MAX_RATE_ADJUST_SCALE

CLOCK_SKEW_CODES = frozenset(
    {"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException"}
)
# InvalidSignatureException is a clock problem only with one of these messages
# (AWS: "Signature expired: ... is now earlier than ..." / "Signature not yet current: ...").
_SKEW_SIGNATURE_MESSAGES = ("signature expired", "signature not yet current")
EXPIRED_TOKEN_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})

# Decision.action values.
RETRY = "retry"
CORRECT_CLOCK = "correct_clock"
REFRESH_CREDENTIALS = "refresh_credentials"
RAISE = "raise"

MAX_ATTEMPTS_REACHED = "max attempts reached"
QUOTA_EXHAUSTED = "retry quota exhausted"


# --------------------------------------------------------------------------- per-service data


@dataclass(frozen=True, slots=True)
class LegacyRetryConfig:
    """One service's ``legacy`` policy: botocore ``data/_retry.json`` ``__default__``
    merged with the service's section (looked up by ``endpointPrefix``,
    ``translate.build_retry_config``), resolved by the generator.

    Attributes:
        max_attempts: total attempts (``max_attempts`` in ``_retry.json``: 5; DynamoDB 10).
        base: the delay base in seconds, ``None`` for ``"rand"`` (``random()``).
        growth_factor: the delay is ``base * growth_factor ** (attempt - 1)``.
        statuses: statuses retried with any code (``http_status_code`` alone).
        status_codes: ``(status, code)`` pairs retried (``service_error_code`` policies).
        socket_errors: connection errors and read timeouts are retried
            (``socket_errors: GENERAL_CONNECTION_ERROR``).
        crc32_header: the reply header holding a CRC32 of the body (DynamoDB's
            ``x-amz-crc32``); ``None`` when the service has no such policy.
    """

    max_attempts: int = 5
    base: float | None = None
    growth_factor: float = 2
    statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504, 509})
    status_codes: frozenset[tuple[int, str]] = frozenset(
        {
            (400, "Throttling"),
            (400, "ThrottlingException"),
            (400, "ThrottledException"),
            (400, "RequestThrottledException"),
            (400, "ProvisionedThroughputExceededException"),
        }
    )
    socket_errors: bool = True
    crc32_header: str | None = None


LEGACY_DEFAULT = LegacyRetryConfig()
"""``_retry.json`` ``__default__`` alone (services without a section of their own);
tests check it against the pinned botocore's file."""


@dataclass(frozen=True, slots=True)
class RetryRules:
    """What a generated client knows about retries from its model (baked in by the generator).

    Attributes:
        service: botocore's ``ServiceId.hyphenize()`` of ``metadata.serviceId``
            (``"support"``, ``"dynamodb-streams"``): the key of the per-service
            standard-mode defaults.
        operation_errors: operation name → error codes it models (the shape's
            ``error.code`` or its name).
        retryable_errors: error code → ``throttling`` flag, for error shapes with
            the ``retryable`` trait.
        legacy: the ``legacy`` mode policy.
    """

    service: str = ""
    operation_errors: Mapping[str, frozenset[str]] = field(default_factory=dict)
    retryable_errors: Mapping[str, bool] = field(default_factory=dict)
    legacy: LegacyRetryConfig = LEGACY_DEFAULT


def hyphenize(service_id: str) -> str:
    """botocore ``model.ServiceId.hyphenize``: lower case, spaces as ``-``."""
    return service_id.replace(" ", "-").lower()


# --------------------------------------------------------------------------- helpers


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


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The ``x-amz-retry-after`` header (integer milliseconds) in seconds, as botocore
    ``ExponentialBackoff._get_retry_after_delay`` reads it: ``int(value) / 1000``;
    ``None`` when the header is missing, negative, not an integer or too large."""
    raw = headers.get(RETRY_AFTER_HEADER)
    if raw is None:
        return None
    try:
        value = int(raw) / 1000.0
    except (ValueError, OverflowError):
        return None
    if value < 0:
        return None
    return value


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
    """Per-client retry quota (botocore ``retries/quota.py`` ``RetryQuota``; thread-safe).

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


# --------------------------------------------------------------------------- adaptive mode


class TokenBucket:
    """botocore ``retries/bucket.py`` ``TokenBucket``, sans-IO: time is passed in.

    ``max_rate`` tokens per second (never below 0.5, ``_MIN_RATE``); capacity
    ``max(1, max_rate)``. :meth:`reserve` takes one token and returns how long
    to wait for it; a token not yet there is borrowed (the capacity goes below
    zero), which for one sender is exactly botocore's blocking ``acquire``.
    Not locked: :class:`AdaptiveRateLimiter` holds the lock.
    """

    __slots__ = ("capacity", "fill_rate", "last", "max_capacity")

    def __init__(self, max_rate: float, now: float) -> None:
        self.capacity = 0.0
        self.last: float | None = None
        self.fill_rate = TOKEN_BUCKET_MIN_RATE
        self.max_capacity = 1.0
        self.set_rate(max_rate, now)

    def _refill(self, now: float) -> None:
        if self.last is None:
            self.last = now
            return
        self.capacity = min(self.max_capacity, self.capacity + (now - self.last) * self.fill_rate)
        self.last = now

    def set_rate(self, value: float, now: float) -> None:
        """botocore ``TokenBucket.max_rate`` setter: refill at the old rate, then change it."""
        self._refill(now)
        self.fill_rate = max(value, TOKEN_BUCKET_MIN_RATE)
        self.max_capacity = value if value >= 1 else 1.0
        self.capacity = min(self.capacity, self.max_capacity)

    def reserve(self, now: float) -> float:
        """Take one token; seconds until it is there (0 when it already is)."""
        self._refill(now)
        if self.capacity >= 1:
            self.capacity -= 1
            return 0.0
        wait = (1 - self.capacity) / self.fill_rate
        self.capacity -= 1
        return wait


class CubicCalculator:
    """botocore ``retries/throttling.py`` ``CubicCalculator`` (C = 0.4, beta = 0.7)."""

    __slots__ = ("k", "last_fail", "w_max")

    def __init__(self, starting_max_rate: float, start_time: float) -> None:
        self.w_max = starting_max_rate
        self.k = self._zero_point()
        self.last_fail = start_time

    def _zero_point(self) -> float:
        scaled: float = (self.w_max * (1 - CUBIC_BETA)) / CUBIC_SCALE_CONSTANT
        return float(scaled ** (1 / 3.0))

    def success_received(self, timestamp: float) -> float:
        """The new rate after a non-throttled reply: ``C * (dt - K) ** 3 + W_max``."""
        return CUBIC_SCALE_CONSTANT * (timestamp - self.last_fail - self.k) ** 3 + self.w_max

    def error_received(self, current_rate: float, timestamp: float) -> float:
        """A throttle at ``current_rate``: it becomes ``W_max``; the new rate is ``rate * beta``."""
        self.w_max = current_rate
        self.k = self._zero_point()
        self.last_fail = timestamp
        return current_rate * CUBIC_BETA


class RateClocker:
    """botocore ``retries/adaptive.py`` ``RateClocker``: the measured send rate,
    smoothed (0.8) over half-second buckets."""

    __slots__ = ("count", "last_bucket", "measured_rate")

    def __init__(self, now: float) -> None:
        self.measured_rate = 0.0
        self.last_bucket = float(math.floor(now))
        self.count = 0

    def record(self, now: float) -> float:
        """Count one reply at ``now``; the measured rate (requests per second)."""
        scale = 1 / RATE_TIME_BUCKET
        bucket = math.floor(now * scale) / scale
        self.count += 1
        if bucket > self.last_bucket:
            current = self.count / float(bucket - self.last_bucket)
            self.measured_rate = current * RATE_SMOOTHING + self.measured_rate * (1 - RATE_SMOOTHING)
            self.count = 0
            self.last_bucket = bucket
        return self.measured_rate


class AdaptiveRateLimiter:
    """The ``adaptive`` mode's client-side send-rate limiter (botocore
    ``retries/adaptive.py`` ``ClientRateLimiter``), sans-IO; one per client, thread-safe.

    Off until the first throttling reply. Every reply is recorded
    (:meth:`on_reply`): the measured send rate is updated; a throttle sets the
    CUBIC ``W_max`` to ``min(measured, current max rate)`` (the measured rate on
    the first throttle) and the rate to ``0.7`` times that; any other reply
    moves the rate along the CUBIC curve. The bucket's rate is then
    ``min(new rate, 2 * measured rate)``. Once on, :meth:`delay_before_send`
    takes a token from the bucket and says how long to wait for it.

    ``now`` values are seconds from one clock (the pipeline's monotonic clock;
    botocore uses ``time.time``); ``is_throttling`` classifies errors as the
    standard mode does (:meth:`RetryPolicy.is_throttling`).
    """

    def __init__(self, now: float, is_throttling: Callable[[AWSError], bool]) -> None:
        self._lock = threading.Lock()
        self._is_throttling = is_throttling
        self.enabled = False
        self.cubic = CubicCalculator(starting_max_rate=0, start_time=now)
        self.bucket = TokenBucket(TOKEN_BUCKET_START_RATE, now)
        self.clocker = RateClocker(now)

    def __repr__(self) -> str:
        return (
            f"AdaptiveRateLimiter(enabled={self.enabled}, rate={self.bucket.fill_rate:.3f}/s, "
            f"measured={self.clocker.measured_rate:.3f}/s)"
        )

    @property
    def rate(self) -> float:
        """The bucket's current fill rate (requests per second)."""
        return self.bucket.fill_rate

    def delay_before_send(self, now: float) -> float:
        """Seconds to wait before the next send (``on_sending_request``): 0 while off."""
        if not self.enabled:
            return 0.0
        with self._lock:
            return self.bucket.reserve(now)

    def on_reply(self, now: float, error: AWSError | None) -> None:
        """Record a reply or transport failure (``on_receiving_response``);
        ``error`` is ``None`` for a success."""
        with self._lock:
            measured = self.clocker.record(now)
            if error is None or not self._is_throttling(error):
                new_rate = self.cubic.success_received(now)
            else:
                rate = measured if not self.enabled else min(measured, self.bucket.fill_rate)
                new_rate = self.cubic.error_received(rate, now)
                self.enabled = True
            self.bucket.set_rate(min(new_rate, MAX_RATE_ADJUST_SCALE * measured), now)


# --------------------------------------------------------------------------- the policy


@dataclass(slots=True)
class CallState:
    """Retry bookkeeping for one call; the client creates it at the first failure.

    ``attempts`` is the number of requests sent so far (set by the client
    before each decision); ``corrections`` how many of them followed a clock
    or credential correction; ``last_cost`` the quota tokens the last retry took;
    ``operation`` the operation's name (for errors that do not carry it).
    """

    attempts: int = 0
    operation: str = ""
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
    once) or :data:`RAISE` (after sleeping ``delay`` seconds when it is not 0:
    a long-polling operation out of retry quota). ``note`` says why retrying
    stopped when a retryable error is raised (max attempts reached, retry quota
    exhausted).
    """

    action: str
    delay: float = 0.0
    clock_offset: _dt.timedelta | None = None
    note: str = ""


_RAISE = Decision(RAISE)
_REFRESH = Decision(REFRESH_CREDENTIALS)


class RetryPolicy:
    """Retry decisions for one client (thread-safe: the only shared state is the
    :class:`RetryQuota`).

    ``mode`` is one of :data:`RETRY_MODES`. ``max_attempts`` is the total number
    of attempts per call, first included (boto3's ``total_max_attempts``);
    ``None`` takes the mode's default for the service (standard/adaptive: 3,
    DynamoDB 4; legacy: the ``_retry.json`` value). ``rules`` is what the
    generated client knows from its model. Raises ``ValueError`` for an unknown
    mode or ``max_attempts < 1``.
    """

    __slots__ = ("_base_scale", "legacy", "max_attempts", "mode", "quota", "rules")

    def __init__(
        self,
        mode: str,
        max_attempts: int | None = None,
        quota: RetryQuota | None = None,
        rules: RetryRules | None = None,
    ) -> None:
        if mode not in RETRY_MODES:
            raise ValueError(f"retry mode must be one of {', '.join(RETRY_MODES)}, got {mode!r}")
        if max_attempts is not None and max_attempts < 1:
            raise ValueError(f"max_attempts (total attempts) must be >= 1, got {max_attempts!r}")
        self.mode = mode
        self.rules = rules if rules is not None else RetryRules()
        self.legacy = self.rules.legacy
        service = self.rules.service
        if mode == "off":
            self.max_attempts = 1
        elif max_attempts is not None:
            self.max_attempts = max_attempts
        elif mode == "legacy":
            self.max_attempts = self.legacy.max_attempts
        else:
            self.max_attempts = SERVICE_MAX_ATTEMPTS.get(service, STANDARD_MAX_ATTEMPTS)
        self._base_scale = SERVICE_NON_THROTTLING_BASE_SCALE.get(service, NON_THROTTLING_BASE_SCALE)
        self.quota = quota if quota is not None else RetryQuota()

    def __repr__(self) -> str:
        return (
            f"RetryPolicy(mode={self.mode!r}, max_attempts={self.max_attempts}, "
            f"quota={self.quota!r})"
        )

    @property
    def enabled(self) -> bool:
        """False in ``off`` mode (one attempt, no corrections)."""
        return self.mode != "off"

    @property
    def attempt_limit(self) -> int:
        """The most requests one call can make: ``max_attempts`` plus the two corrections."""
        return self.max_attempts + 2 if self.enabled else 1

    def request_header(self, attempt: int) -> str:
        """The ``amz-sdk-request`` header of attempt ``attempt`` (botocore
        ``handlers.add_retry_headers``): ``attempt=N; max=M``. In ``legacy`` mode
        botocore learns ``max`` only when it evaluates a retry, so the first attempt
        says ``attempt=1`` alone (``retryhandler.MaxAttemptsDecorator``)."""
        if self.mode == "legacy" and attempt == 1:
            return "attempt=1"
        return f"attempt={attempt}; max={self.max_attempts}"

    def new_rate_limiter(self, now: float) -> AdaptiveRateLimiter | None:
        """The client's send-rate limiter in ``adaptive`` mode (``None`` otherwise);
        ``now`` is the current time of the clock later passed to it."""
        if self.mode != "adaptive":
            return None
        return AdaptiveRateLimiter(now, self.is_throttling)

    # -- classification (standard.py checkers) --------------------------------------

    def _modeled(self, error: ServiceError) -> bool | None:
        """``ModeledRetryErrorDetector.detect_error_type``: True (throttling), False
        (transient) for a modeled ``retryable`` error of the operation, else None."""
        kind = self.rules.retryable_errors.get(error.code)
        if kind is None or error.code not in self.rules.operation_errors.get(error.operation_name, ()):
            return None
        return kind

    def is_throttling(self, error: AWSError) -> bool:
        """botocore ``ThrottlingErrorDetector.is_throttling_error_from_context``."""
        if not isinstance(error, ServiceError):
            return False
        if any(code in THROTTLING_CODES for code in error.codes):
            return True
        modeled = self._modeled(error)
        if modeled is not None:
            return modeled
        return error.status_code in THROTTLING_STATUS and error.code not in self.rules.operation_errors.get(
            error.operation_name, ()
        )

    def is_retryable(self, error: AWSError) -> bool:
        """Whether ``error`` may be retried in this mode (attempt count and quota aside).

        standard/adaptive: ``StandardRetryConditions`` without the max-attempts
        check; legacy: the :class:`LegacyRetryConfig` policies; off: never.
        """
        if self.mode == "off":
            return False
        if isinstance(error, TransportError):
            if not error.retryable:  # certificate, reply size limit, call deadline
                return False
            return self.legacy.socket_errors if self.mode == "legacy" else True
        if not isinstance(error, ServiceError):
            return False
        if self.mode == "legacy":
            legacy = self.legacy
            return error.status_code in legacy.statuses or any(
                (error.status_code, code) in legacy.status_codes for code in error.codes
            )
        return (
            any(code in TRANSIENT_CODES or code in THROTTLING_CODES for code in error.codes)
            or error.status_code in TRANSIENT_STATUS
            or (
                error.status_code in THROTTLING_STATUS
                and error.code not in self.rules.operation_errors.get(error.operation_name, ())
            )
            or self._modeled(error) is not None
        )

    def retry_cost(self, error: AWSError) -> int:
        """Quota tokens a retry after ``error`` takes (``RetryQuotaChecker``): 5 after a
        throttling error, else 14."""
        return THROTTLING_RETRY_COST if self.is_throttling(error) else RETRY_COST

    def backoff_delay(self, error: AWSError, attempt: int, rand: float) -> float:
        """Seconds to sleep after failed attempt ``attempt`` (1-based), ``rand`` in [0, 1).

        standard/adaptive: ``ExponentialBackoff.delay_amount`` (base by error kind,
        cap 20 s, ``x-amz-retry-after``); legacy: ``retryhandler.delay_exponential``.
        """
        if self.mode == "legacy":
            legacy = self.legacy
            base = rand if legacy.base is None else legacy.base
            return float(base * legacy.growth_factor ** (attempt - 1))
        scale = THROTTLING_BASE_SCALE if self.is_throttling(error) else self._base_scale
        delay: float = rand * min(scale * float(BACKOFF_GROWTH ** (attempt - 1)), MAX_BACKOFF)
        if isinstance(error, ServiceError):
            after = retry_after_seconds(error.headers)
            if after is not None:
                return max(delay, min(after, RETRY_AFTER_MAX_ADDITIONAL + delay))
        return delay

    # -- decisions ----------------------------------------------------------------------

    def on_success(self, state: CallState | None) -> None:
        """A reply with status < 300 arrived: refund the quota (the last retry's cost, or 1;
        ``RetryQuotaChecker.release_retry_quota``). Legacy mode has no quota."""
        if self.mode == "legacy":
            return
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
        error), ``random`` a float in [0, 1) for the backoff jitter (called only
        when a retry is decided, as botocore does), ``refreshable`` whether the
        client's credentials can be refreshed. Updates ``state``; takes retry
        tokens from the quota when it decides to retry (standard and adaptive).
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
        if not self.is_retryable(error):
            return _RAISE
        attempt = state.attempts - state.corrections
        if attempt >= self.max_attempts:
            return Decision(RAISE, note=MAX_ATTEMPTS_REACHED)
        if self.mode != "legacy":
            cost = self.retry_cost(error)
            if not self.quota.acquire(cost):
                operation = error.operation_name if isinstance(error, ServiceError) else ""
                if (operation or state.operation) in LONG_POLLING_OPERATIONS.get(self.rules.service, ()):
                    return Decision(
                        RAISE, delay=self.backoff_delay(error, attempt, random()), note=QUOTA_EXHAUSTED
                    )
                return Decision(RAISE, note=QUOTA_EXHAUSTED)
            state.last_cost = cost
        return Decision(RETRY, delay=self.backoff_delay(error, attempt, random()))
