"""The standard retry mode as pure decisions (aws_runtime.retries), no I/O."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest

from aws_runtime import Config, ParamValidationError, ResponseParseError, ServiceError
from aws_runtime.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    TransportError,
)
from aws_runtime.retries import (
    CORRECT_CLOCK,
    RAISE,
    REFRESH_CREDENTIALS,
    RETRY,
    CallState,
    LegacyRetryConfig,
    RetryPolicy,
    RetryQuota,
    RetryRules,
    clock_offset,
    is_clock_skew_error,
    retry_after_seconds,
)

STANDARD = RetryPolicy("standard")
is_retryable = STANDARD.is_retryable
retry_cost = STANDARD.retry_cost

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)

THROTTLING = [
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
]
TRANSIENT = ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"]


def svc(
    code: str,
    status: int = 400,
    message: str = "",
    headers: dict[str, str] | None = None,
    operation: str = "Op",
) -> ServiceError:
    return ServiceError(message, code=code, status_code=status, headers=headers, operation_name=operation)


@pytest.mark.parametrize("code", THROTTLING + TRANSIENT)
@pytest.mark.parametrize("status", [400, 403, 200, 503])
def test_throttling_and_transient_codes_are_retryable_at_any_status(code: str, status: int) -> None:
    assert is_retryable(svc(code, status))


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_retryable_statuses_with_any_code(status: int) -> None:
    assert is_retryable(svc("AnythingAtAll", status))
    assert is_retryable(svc(str(status), status))


def test_429_with_a_code_the_operation_models_follows_the_model() -> None:
    """standard.py ThrottlingStatusCodeChecker: a 429 is retried unless its code is one of
    the operation's modeled errors; the model's ``retryable`` trait decides those."""
    rules = RetryRules(
        "svc",
        operation_errors={"Op": frozenset({"Modeled", "Busy", "Slow"}), "Other": frozenset()},
        retryable_errors={"Busy": False, "Slow": True},
    )
    policy = RetryPolicy("standard", rules=rules)
    assert not policy.is_retryable(svc("Modeled", 429))
    assert policy.is_retryable(svc("Modeled", 429, operation="Other"))
    assert policy.is_throttling(svc("Modeled", 429, operation="Other"))
    assert not policy.is_throttling(svc("Modeled", 429))
    assert policy.is_retryable(svc("Busy", 400)) and not policy.is_throttling(svc("Busy", 400))
    assert policy.is_retryable(svc("Slow", 400)) and policy.is_throttling(svc("Slow", 400))
    assert policy.retry_cost(svc("Slow", 400)) == 5
    assert policy.retry_cost(svc("Busy", 400)) == 14
    # retryable only where the operation models it
    assert not policy.is_retryable(svc("Busy", 400, operation="Other"))


@pytest.mark.parametrize(
    "code",
    [
        "CaseCreationLimitExceeded",
        "AttachmentLimitExceeded",
        "DescribeAttachmentLimitExceeded",
        "LimitExceeded",
        "ThrottlingExceptionX",
        "throttlingexception",
        "MyThrottling",
        "SlowDownPlease",
        "RequestTimeoutError",
        "CaseIdNotFound",
        "ExpiredTokenException",
        "400",
    ],
)
def test_codes_match_exactly_never_by_substring(code: str) -> None:
    assert not is_retryable(svc(code, 400))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 413, 501, 505, 507])
def test_other_statuses_are_not_retryable(status: int) -> None:
    assert not is_retryable(svc(str(status), status))


@pytest.mark.parametrize(
    "error",
    [
        EndpointConnectionError("refused"),
        ConnectTimeoutError("slow connect"),
        ReadTimeoutError("slow read"),
        ConnectionClosedError("closed"),
        TransportError("other"),
    ],
)
def test_transport_errors_are_retryable(error: TransportError) -> None:
    assert is_retryable(error)


def test_parse_and_validation_errors_are_not_retryable() -> None:
    assert not is_retryable(ResponseParseError("bad", status_code=200))
    assert not is_retryable(ParamValidationError(["x"]))


def test_retry_cost_is_5_after_throttling_else_14() -> None:
    assert retry_cost(ReadTimeoutError("t")) == 14
    assert retry_cost(ConnectTimeoutError("t")) == 14
    assert retry_cost(EndpointConnectionError("t")) == 14
    assert retry_cost(ConnectionClosedError("t")) == 14
    assert retry_cost(svc("500", 500)) == 14
    assert retry_cost(svc("Throttling")) == 5
    assert retry_cost(svc("429", 429)) == 5


def test_backoff_formula() -> None:
    throttle, server_error = svc("Throttling"), svc("500", 500)
    delay = STANDARD.backoff_delay
    assert [delay(throttle, n, 1.0) for n in range(1, 9)] == [1, 2, 4, 8, 16, 20, 20, 20]
    assert [delay(server_error, n, 1.0) for n in range(1, 4)] == [0.05, 0.1, 0.2]
    assert delay(server_error, 10, 1.0) == 20.0  # 0.05 * 512 capped
    assert delay(throttle, 1, 0.0) == 0.0
    dynamodb = RetryPolicy("standard", rules=RetryRules("dynamodb"))
    assert dynamodb.max_attempts == 4
    assert [dynamodb.backoff_delay(server_error, n, 1.0) for n in range(1, 4)] == [0.025, 0.05, 0.1]
    assert dynamodb.backoff_delay(throttle, 1, 1.0) == 1.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("1500", 1.5), ("0", 0.0), (" 20 ", 0.02), ("-1", None), ("abc", None), ("1.5", None),
     ("", None), ("9" * 5000, None), ("1" + "0" * 400, None)],
)
def test_retry_after_header(value: str, seconds: float | None) -> None:
    assert retry_after_seconds({"x-amz-retry-after": value}) == seconds


def test_retry_after_raises_the_delay_up_to_five_seconds_more() -> None:
    def delay(value: str, rand: float = 0.5) -> float:
        return STANDARD.backoff_delay(svc("500", 500, headers={"x-amz-retry-after": value}), 1, rand)

    assert delay("3000") == 3.0  # t = 0.025 < 3 <= t + 5
    assert delay("60000") == pytest.approx(5.025)  # capped at t + 5
    assert delay("1") == 0.025  # below t: t
    assert delay("-5") == delay("junk") == 0.025


def test_legacy_rules() -> None:
    legacy = RetryPolicy("legacy")
    assert legacy.max_attempts == 5
    assert legacy.is_retryable(svc("Throttling", 400))
    assert not legacy.is_retryable(svc("Throttling", 403))  # (status, code) pairs in _retry.json
    assert not legacy.is_retryable(svc("TooManyRequestsException", 400))
    assert legacy.is_retryable(svc("anything", 509)) and legacy.is_retryable(svc("x", 429))
    assert legacy.is_retryable(ReadTimeoutError("t"))
    assert [legacy.backoff_delay(svc("500", 500), n, 0.5) for n in range(1, 7)] == [0.5, 1, 2, 4, 8, 16]
    fixed = RetryPolicy("legacy", rules=RetryRules(legacy=LegacyRetryConfig(max_attempts=10, base=0.05)))
    assert fixed.max_attempts == 10
    assert [fixed.backoff_delay(svc("500", 500), n, 0.9) for n in (1, 2, 3)] == [0.05, 0.1, 0.2]
    state = CallState()
    for _ in range(4):
        assert _decide(legacy, state, svc("500", 500)).action == RETRY
    assert _decide(legacy, state, svc("500", 500)).note == "max attempts reached"
    assert legacy.quota.available == 500  # no quota in legacy mode


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("RequestTimeTooSkewed", "", True),
        ("RequestExpired", "", True),
        ("RequestInTheFuture", "", True),
        ("InvalidSignatureException", "Signature expired: 20240101T000000Z is now earlier", True),
        (
            "InvalidSignatureException",
            "Signature not yet current: 20300101T000000Z is still later",
            True,
        ),
        ("InvalidSignatureException", "The request signature we calculated does not match", False),
        ("SignatureDoesNotMatch", "Signature expired", False),
        ("Throttling", "", False),
    ],
)
def test_clock_skew_errors(code: str, message: str, expected: bool) -> None:
    assert is_clock_skew_error(svc(code, message=message)) is expected


def test_clock_offset_from_date_header() -> None:
    ahead = {"date": "Fri, 02 Jan 2026 03:19:05 GMT"}
    assert clock_offset(ahead, NOW) == dt.timedelta(minutes=15)
    assert clock_offset({"date": "Fri, 02 Jan 2026 02:04:05 GMT"}, NOW) == dt.timedelta(hours=-1)
    assert clock_offset({}, NOW) is None
    assert clock_offset({"date": ""}, NOW) is None
    assert clock_offset({"date": "not a date"}, NOW) is None
    assert clock_offset({"date": "Fri, 02 Xyz 2026 03:19:05 GMT"}, NOW) is None


# --------------------------------------------------------------------------- quota


def test_quota_acquire_and_release() -> None:
    quota = RetryQuota()
    assert quota.available == quota.capacity == 500
    for _ in range(100):
        assert quota.acquire(5)
    assert quota.available == 0
    assert not quota.acquire(5)
    assert quota.available == 0
    quota.release(1)
    assert not quota.acquire(5)
    quota.release(10)
    assert quota.acquire(10)
    quota.release(10_000)
    assert quota.available == 500


def test_quota_is_thread_safe() -> None:
    quota = RetryQuota()
    granted: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(100):
            ok = quota.acquire(5)
            with lock:
                granted.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert granted.count(True) == 100
    assert quota.available == 0


# ---------------------------------------------------------------------- decisions


def _decide(policy: RetryPolicy, state: CallState, error: Any, *, refreshable: bool = False) -> Any:
    state.attempts += 1
    return policy.decide(state, error, now=lambda: NOW, random=lambda: 0.5, refreshable=refreshable)


def test_standard_policy_retries_until_max_attempts() -> None:
    policy = RetryPolicy("standard", 3)
    state = CallState()
    first = _decide(policy, state, svc("500", 500))
    second = _decide(policy, state, svc("500", 500))
    third = _decide(policy, state, svc("500", 500))
    assert (first.action, first.delay) == (RETRY, 0.025)
    assert (second.action, second.delay) == (RETRY, 0.05)
    assert (third.action, third.note) == (RAISE, "max attempts reached")
    assert policy.quota.available == 500 - 2 * 14
    assert state.last_cost == 14
    policy.on_success(state)
    assert policy.quota.available == 500 - 14


def test_success_without_retries_refunds_one_token() -> None:
    policy = RetryPolicy("standard", 3, RetryQuota())
    policy.quota.available = 100
    policy.on_success(None)
    assert policy.quota.available == 101


def test_quota_exhausted_note() -> None:
    policy = RetryPolicy("standard", 3)
    policy.quota.available = 4
    decision = _decide(policy, CallState(), svc("Throttling"))
    assert (decision.action, decision.note) == (RAISE, "retry quota exhausted")
    assert policy.quota.available == 4
    policy.quota.available = 13
    assert _decide(policy, CallState(), svc("500", 500)).note == "retry quota exhausted"
    assert _decide(policy, CallState(), svc("Throttling")).action == RETRY
    assert policy.quota.available == 8


def test_timeout_retry_costs_fourteen() -> None:
    policy = RetryPolicy("standard", 3)
    state = CallState()
    assert _decide(policy, state, ReadTimeoutError("t")).action == RETRY
    assert policy.quota.available == 486
    assert state.last_cost == 14


def test_non_retryable_error_raises_without_note() -> None:
    policy = RetryPolicy("standard", 3)
    decision = _decide(policy, CallState(), svc("CaseCreationLimitExceeded"))
    assert (decision.action, decision.note) == (RAISE, "")
    assert policy.quota.available == 500


def test_off_mode_never_retries_nor_corrects() -> None:
    policy = RetryPolicy("off", 5)
    assert policy.max_attempts == 1
    assert policy.attempt_limit == 1
    for error in (
        svc("500", 500),
        svc("RequestTimeTooSkewed", headers={"date": "Fri, 02 Jan 2026 03:19:05 GMT"}),
        svc("ExpiredTokenException"),
        ReadTimeoutError("t"),
    ):
        assert _decide(policy, CallState(), error, refreshable=True).action == RAISE


def test_clock_correction_once_then_normal_rules() -> None:
    policy = RetryPolicy("standard", 3)
    state = CallState()
    skew = svc("RequestTimeTooSkewed", headers={"date": "Fri, 02 Jan 2026 03:19:05 GMT"})
    decision = _decide(policy, state, skew)
    assert decision.action == CORRECT_CLOCK
    assert decision.clock_offset == dt.timedelta(minutes=15)
    assert _decide(policy, state, skew).action == RAISE
    assert policy.quota.available == 500


def test_request_expired_without_date_refreshes_refreshable_credentials() -> None:
    policy = RetryPolicy("standard", 3)
    state = CallState()
    expired = svc("RequestExpired")
    assert _decide(policy, state, expired, refreshable=True).action == REFRESH_CREDENTIALS
    assert _decide(policy, state, expired, refreshable=True).action == RAISE


def test_request_expired_with_date_corrects_clock_then_refreshes() -> None:
    policy = RetryPolicy("standard", 3)
    state = CallState()
    expired = svc("RequestExpired", headers={"date": "Fri, 02 Jan 2026 03:04:05 GMT"})
    assert _decide(policy, state, expired, refreshable=True).action == CORRECT_CLOCK
    assert _decide(policy, state, expired, refreshable=True).action == REFRESH_CREDENTIALS
    assert _decide(policy, state, expired, refreshable=True).action == RAISE
    assert state.attempts == 3


def test_expired_token_with_static_credentials_raises() -> None:
    policy = RetryPolicy("standard", 3)
    assert (
        _decide(policy, CallState(), svc("ExpiredTokenException"), refreshable=False).action
        == RAISE
    )


def test_corrections_do_not_use_up_regular_attempts() -> None:
    policy = RetryPolicy("standard", 2)
    state = CallState()
    skew = svc("RequestTimeTooSkewed", headers={"date": "Fri, 02 Jan 2026 03:19:05 GMT"})
    actions = [
        _decide(policy, state, svc("500", 500)).action,
        _decide(policy, state, skew).action,
        _decide(policy, state, svc("ExpiredToken"), refreshable=True).action,
        _decide(policy, state, svc("500", 500)).action,
    ]
    assert actions == [RETRY, CORRECT_CLOCK, REFRESH_CREDENTIALS, RAISE]
    assert state.attempts == policy.attempt_limit == 4


# ------------------------------------------------------------------------- config


def test_config_defaults() -> None:
    config = Config().resolve({})
    assert (config.retry_mode, config.total_max_attempts) == ("standard", None)
    assert (config.connect_timeout, config.read_timeout, config.max_pool_connections) == (
        60,
        60,
        10,
    )


@pytest.mark.parametrize(
    ("env", "mode", "attempts"),
    [
        ({"AWS_RETRY_MODE": "off"}, "off", None),
        ({"AWS_RETRY_MODE": " standard "}, "standard", None),
        ({"AWS_RETRY_MODE": "legacy"}, "legacy", None),
        ({"AWS_RETRY_MODE": "adaptive"}, "adaptive", None),
        ({"AWS_MAX_ATTEMPTS": "7"}, "standard", 7),
        ({"AWS_MAX_ATTEMPTS": " 1 "}, "standard", 1),
    ],
)
def test_config_from_environment(env: dict[str, str], mode: str, attempts: int | None) -> None:
    config = Config().resolve(env)
    assert (config.retry_mode, config.total_max_attempts) == (mode, attempts)


@pytest.mark.parametrize(
    ("kwargs", "mode", "attempts"),
    [
        ({"retry_mode": "standard", "total_max_attempts": 2}, "standard", 2),
        ({"retries": {"mode": "legacy", "max_attempts": 0}}, "legacy", 1),
        ({"retries": {"max_attempts": 2, "total_max_attempts": 7}}, "off", 7),
        ({"retries": {"max_attempts": 4}}, "off", 5),
    ],
)
def test_explicit_config_wins_over_environment(kwargs: dict[str, Any], mode: str, attempts: int) -> None:
    env = {"AWS_RETRY_MODE": "off", "AWS_MAX_ATTEMPTS": "9"}
    config = Config(**kwargs).resolve(env)
    assert (config.retry_mode, config.total_max_attempts) == (mode, attempts)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"AWS_RETRY_MODE": "fast"}, "AWS_RETRY_MODE (environment variable)"),
        ({"AWS_RETRY_MODE": "Standard"}, "AWS_RETRY_MODE (environment variable)"),
        ({"AWS_MAX_ATTEMPTS": "0"}, "AWS_MAX_ATTEMPTS (environment variable)"),
        ({"AWS_MAX_ATTEMPTS": "-2"}, "AWS_MAX_ATTEMPTS (environment variable)"),
        ({"AWS_MAX_ATTEMPTS": "three"}, "AWS_MAX_ATTEMPTS (environment variable)"),
    ],
)
def test_bad_environment_values_are_clear_errors(env: dict[str, str], name: str) -> None:
    with pytest.raises(ValueError, match=re.escape(name)):
        Config().resolve(env)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"retry_mode": "fast"}, "retry_mode must be one of"),
        ({"total_max_attempts": 0}, "total_max_attempts must be an int >= 1"),
        ({"total_max_attempts": True}, "total_max_attempts must be an int >= 1"),
        ({"retries": {"mode": "off"}}, "retries['mode'] must be one of legacy, standard, adaptive"),
        ({"retries": {"mode": "abc"}}, "retries['mode'] must be one of"),
        ({"retries": {"max_attempts": -1}}, "retries['max_attempts'] must be an int >= 0"),
        ({"retries": {"max_attempts": "abc"}}, "retries['max_attempts'] must be an int >= 0"),
        ({"retries": {"total_max_attempts": 0}}, "retries['total_max_attempts'] must be an int >= 1"),
        ({"retries": {"attempts": 3}}, "retries['attempts'] is not a retry setting"),
        ({"retries": {"mode": "legacy"}, "retry_mode": "standard"}, "give the retry mode once"),
        ({"retries": {"max_attempts": 1}, "total_max_attempts": 2}, "give the attempt count once"),
        ({"connect_timeout": 0}, "connect_timeout"),
        ({"read_timeout": -1}, "read_timeout"),
        ({"max_pool_connections": 0}, "max_pool_connections"),
    ],
)
def test_bad_config_values_are_rejected(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="Invalid Config: .*" + re.escape(message)):
        Config(**kwargs)


def test_boto3_max_attempts_field_is_not_ours() -> None:
    """boto3 has no top-level max_attempts; ours would have meant something else."""
    with pytest.raises(TypeError, match="max_attempts"):
        Config(max_attempts=3)  # type: ignore[call-arg]


def test_legacy_default_is_the_pinned_retry_json_default() -> None:
    """LEGACY_DEFAULT (clients without generated rules) is what the generator resolves from
    botocore's data/_retry.json for a service without a section of its own (Support)."""
    from aws_runtime.retries import LEGACY_DEFAULT
    from aws_support import SupportClient
    from generator.build import legacy_retry_args
    from generator.loader import _botocore_loader, _legacy_retry

    args = dict(legacy_retry_args(_legacy_retry(_botocore_loader(), {"metadata": {"endpointPrefix": "support"}})))
    args["statuses"] = frozenset(args["statuses"])
    args["status_codes"] = frozenset(args["status_codes"])
    assert LegacyRetryConfig(**args) == LEGACY_DEFAULT
    assert SupportClient._RETRY_RULES is not None
    assert SupportClient._RETRY_RULES.legacy == LEGACY_DEFAULT
    dynamodb = dict(legacy_retry_args(_legacy_retry(_botocore_loader(), {"metadata": {"endpointPrefix": "dynamodb"}})))
    assert (dynamodb["max_attempts"], dynamodb["base"], dynamodb["crc32_header"]) == (10, 0.05, "x-amz-crc32")
    assert (409, "ReplicatedWriteConflictException") in dynamodb["status_codes"]
