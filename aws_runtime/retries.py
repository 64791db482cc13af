"""Retry decisions for the ``standard`` mode, as the AWS SDKs define it (sans-IO).

Source: the AWS SDKs and Tools reference guide, "Retry behavior", and
botocore's ``retries/standard.py`` and ``retries/quota.py``:

* retryable: connection errors and connect/read timeouts; HTTP 500, 502, 503,
  504; HTTP 429 with any code; the throttling codes in
  :data:`THROTTLING_CODES` and the transient codes in :data:`TRANSIENT_CODES`
  at any status. Codes are matched exactly, never by substring
  (``CaseCreationLimitExceeded`` is a quota error and is not retried);
* backoff before attempt ``n + 1``: ``random() * min(2 ** (n - 1), 20)`` seconds;
* retry quota: 500 tokens per client; a retry costs 5, or 10 after a timeout;
  a success refunds what its last retry took (1 when it needed no retry),
  up to 500. With the quota empty, no more retries: the last error is raised.

Clock skew and expired credentials are handled separately by the client
(one extra attempt each); see :data:`CLOCK_SKEW_CODES` and
:data:`EXPIRED_TOKEN_CODES`.
"""

from __future__ import annotations

import threading

from .errors import AWSError, ConnectTimeoutError, ReadTimeoutError, ServiceError, TransportError

__all__ = [
    "CLOCK_SKEW_CODES",
    "EXPIRED_TOKEN_CODES",
    "RETRYABLE_STATUS",
    "THROTTLING_CODES",
    "TRANSIENT_CODES",
    "RetryQuota",
    "backoff_delay",
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
TRANSIENT_CODES = frozenset({"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"})
RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
CLOCK_SKEW_CODES = frozenset(
    {"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException"}
)
EXPIRED_TOKEN_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})

QUOTA_CAPACITY = 500
RETRY_COST = 5
TIMEOUT_RETRY_COST = 10
NO_RETRY_INCREMENT = 1
MAX_BACKOFF = 20.0


def is_retryable(error: AWSError) -> bool:
    """True for transport errors, retryable statuses, 429 and throttling/transient codes."""
    if isinstance(error, TransportError):
        return True
    if isinstance(error, ServiceError):
        return (
            error.status_code in RETRYABLE_STATUS
            or error.status_code == 429
            or error.code in THROTTLING_CODES
            or error.code in TRANSIENT_CODES
        )
    return False


def is_clock_skew_error(error: AWSError) -> bool:
    """A signature rejected because our clock is off (``InvalidSignatureException`` only
    when its message says "Signature expired")."""
    if not isinstance(error, ServiceError) or error.code not in CLOCK_SKEW_CODES:
        return False
    if error.code == "InvalidSignatureException":
        return "signature expired" in error.message.lower()
    return True


def retry_cost(error: AWSError) -> int:
    """Quota tokens a retry after ``error`` costs: 10 after a timeout, else 5."""
    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError)):
        return TIMEOUT_RETRY_COST
    return RETRY_COST


def backoff_delay(attempt: int, rand: float) -> float:
    """Seconds to sleep after failed attempt number ``attempt`` (1-based)."""
    return rand * min(2.0 ** (attempt - 1), MAX_BACKOFF)


class RetryQuota:
    """Per-client token bucket limiting retries (thread-safe)."""

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
        if self.available >= self.capacity:
            return
        with self._lock:
            self.available = min(self.capacity, self.available + amount)
