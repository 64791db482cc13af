"""Retries side by side with the pinned botocore: the same scripted server, the same
injected jitter, sleep and clock; request counts and every delay must be equal.

Each test runs this client (``helpers.retry_harness.ours``) and a real botocore
client (``boto``) and compares what they did; no expected number is written here
except where a test also pins a property the comparison alone would not show.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers.clients import error_reply
from helpers.retry_harness import FakeClock, Run, boto, ours
from helpers.server import Reply

OK = Reply(body={"severityLevels": []})
E500 = Reply(status=500, body={"__type": "InternalServerError", "message": "boom"})
EMPTY_503 = Reply(status=503, body=b"")
THROTTLE = error_reply(400, "ThrottlingException", "Rate exceeded")


def assert_same(mine: Run, theirs: Run, *, headers: bool = True, tolerance: float = 1e-12) -> None:
    assert mine.per_call == theirs.per_call
    assert mine.outcomes == theirs.outcomes
    assert mine.delays == pytest.approx(theirs.delays, rel=tolerance, abs=tolerance)
    if headers:  # botocore also sends ttl=<server time + read timeout> on retries; not compared
        assert mine.attempt_headers == [re.sub(r"ttl=\w+; ", "", h) for h in theirs.attempt_headers]


def write_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    path = tmp_path / "config"
    path.write_text(text)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))


# ------------------------------------------------------------------ attempt counts


@pytest.mark.parametrize(
    ("mine", "theirs", "env", "profile"),
    [
        ({}, {}, {}, ""),
        ({"total_max_attempts": 5}, {"retries": {"total_max_attempts": 5}}, {}, ""),
        ({"retries": {"total_max_attempts": 2}}, {"retries": {"total_max_attempts": 2}}, {}, ""),
        ({"retries": {"max_attempts": 4}}, {"retries": {"max_attempts": 4}}, {}, ""),
        ({"retries": {"max_attempts": 0}}, {"retries": {"max_attempts": 0}}, {}, ""),
        ({}, {}, {"AWS_MAX_ATTEMPTS": "6"}, ""),
        ({}, {}, {}, "max_attempts = 7\n"),
        ({}, {}, {"AWS_MAX_ATTEMPTS": "4"}, "max_attempts = 7\n"),
        ({"retries": {"max_attempts": 1}}, {"retries": {"max_attempts": 1}}, {"AWS_MAX_ATTEMPTS": "6"}, "max_attempts = 7\n"),
        ({}, {}, {}, "retry_mode = legacy\n"),
        ({}, {}, {"AWS_RETRY_MODE": "standard"}, "retry_mode = legacy\nmax_attempts = 4\n"),
        ({}, {}, {"AWS_RETRY_MODE": "legacy"}, ""),
        ({"retries": {"mode": "legacy"}}, {"retries": {"mode": "legacy"}}, {}, "max_attempts = 2\n"),
        ({"retries": {"mode": "standard", "max_attempts": 3}}, {"retries": {"mode": "standard", "max_attempts": 3}}, {"AWS_RETRY_MODE": "legacy"}, ""),
        ({"retry_mode": "adaptive"}, {"retries": {"mode": "adaptive"}}, {}, "max_attempts = 5\n"),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_attempt_counts_and_precedence_match_botocore(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    env: dict[str, str],
    profile: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if profile:
        write_profile(tmp_path, monkeypatch, "[default]\n" + profile)
    for script in ([E500], [THROTTLE]):
        a, b = ours(script, **mine), boto(script, monkeypatch, **theirs)
        assert_same(a, b)
        assert a.requests > 0


def test_a_named_profile_is_read_like_botocore(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    write_profile(
        tmp_path, monkeypatch, "[default]\nmax_attempts = 2\n[profile ci]\nmax_attempts = 6\nretry_mode = standard\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "ci")
    a, b = ours([E500]), boto([E500], monkeypatch)
    assert_same(a, b)
    assert a.requests == 6


# --------------------------------------------------------------- standard-mode delays


@pytest.mark.parametrize(
    "reply",
    [
        THROTTLE,
        error_reply(400, "Throttling"),
        error_reply(503, "SlowDown"),
        error_reply(429, "SomethingNew"),
        Reply(status=429, body=b""),
        error_reply(429, "InternalServerError"),  # modeled for the operation: not retried
        E500,
        EMPTY_503,
        error_reply(502, "BadGateway"),
        error_reply(400, "RequestTimeout"),
        error_reply(400, "PriorRequestNotComplete"),
        error_reply(400, "LimitExceededException"),
        error_reply(400, "CaseCreationLimitExceeded"),
        error_reply(409, "TransactionInProgressException"),
        Reply(status=501, body=b""),
    ],
    ids=lambda r: f"{r.status}-{r.body if isinstance(r.body, bytes) else r.body['__type']}",
)
@pytest.mark.parametrize("mode", ["standard", "legacy"])
def test_delay_sequences_match_botocore(monkeypatch: pytest.MonkeyPatch, reply: Reply, mode: str) -> None:
    """Eight attempts: throttling delays reach the 20 s cap, others grow from 50 ms."""
    a = ours([reply], retries={"mode": mode, "total_max_attempts": 8})
    b = boto([reply], monkeypatch, retries={"mode": mode, "total_max_attempts": 8})
    assert_same(a, b)


def test_delays_after_recovery_and_mixed_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    script = [THROTTLE, E500, THROTTLE, OK, E500, OK, EMPTY_503, EMPTY_503, THROTTLE, OK]
    a = ours(script, calls=4, total_max_attempts=5)
    b = boto(script, monkeypatch, calls=4, retries={"total_max_attempts": 5})
    assert_same(a, b)
    assert a.outcomes == ["ok", "ok", "ok", "ok"]


@pytest.mark.parametrize("service", ["dynamodb"])
@pytest.mark.parametrize("mode", ["standard", "legacy", "adaptive"])
@pytest.mark.parametrize("reply", [E500, THROTTLE], ids=["500", "throttle"])
def test_dynamodb_defaults_match_botocore(
    monkeypatch: pytest.MonkeyPatch, service: str, mode: str, reply: Reply
) -> None:
    """DynamoDB: 4 attempts and a 25 ms base (standard/adaptive); 10 attempts and a
    fixed 50 ms base (legacy ``_retry.json``)."""
    a = ours([reply], service=service, retries={"mode": mode})
    b = boto([reply], monkeypatch, service=service, retries={"mode": mode})
    assert_same(a, b)
    assert a.requests == {"legacy": 10}.get(mode, 4)


# ------------------------------------------------------------------ x-amz-retry-after


@pytest.mark.parametrize("value", ["3000", "0", "600000", "-100", "soon", "1.5", "", "99999999999999999999999"])
@pytest.mark.parametrize("base", [E500, THROTTLE], ids=["500", "throttle"])
def test_retry_after_header_matches_botocore(monkeypatch: pytest.MonkeyPatch, value: str, base: Reply) -> None:
    reply = Reply(status=base.status, body=base.body, headers={"x-amz-retry-after": value})
    a = ours([reply, reply, OK])
    b = boto([reply, reply, OK], monkeypatch)
    assert_same(a, b)


# ------------------------------------------------------------------------ retry quota


@pytest.mark.parametrize("reply", [E500, EMPTY_503, THROTTLE, error_reply(429, "X")], ids=["500", "503", "throttle", "429"])
def test_quota_exhaustion_matches_botocore(monkeypatch: pytest.MonkeyPatch, reply: Reply) -> None:
    """Failing calls until the 500-token quota stops retries: 14 tokens per retry
    (35 retries), 5 per throttling retry (100 retries)."""
    calls = 60
    a = ours([reply], calls=calls)
    b = boto([reply], monkeypatch, calls=calls)
    assert_same(a, b)
    retries = a.requests - calls
    assert retries == (100 if reply.status in (400, 429) else 35)
    assert a.per_call[-1] == 1


def test_long_polling_operation_sleeps_when_the_quota_is_dry(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQS ReceiveMessage: out of quota, botocore still sleeps the backoff delay before
    raising (standard.py RetryHandler._LONG_POLLING_OPERATIONS)."""
    calls = 40
    a = ours([E500], calls=calls, service="sqs")
    b = boto([E500], monkeypatch, calls=calls, service="sqs")
    assert_same(a, b)
    assert len(a.delays) == a.requests - calls + sum(1 for n in a.per_call if n < 3)


def test_quota_refunds_match_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drain most of the quota, then successes after a retry (refund: the retry's
    cost) and without one (refund: 1), then drain again: the retries allowed then
    depend on every refund."""
    drain = [E500] * 3 * 16  # 16 calls x 2 retries x 14 = 448 tokens
    refill = [E500, OK] * 3 + [THROTTLE, OK] * 2 + [OK] * 9
    again = [E500] * 60
    script = drain + refill + again
    calls = 16 + 3 + 2 + 9 + 20
    a = ours(script, calls=calls)
    b = boto(script, monkeypatch, calls=calls)
    assert_same(a, b)


# ------------------------------------------------------------------------ legacy mode


@pytest.mark.parametrize(
    "reply",
    [E500, THROTTLE, error_reply(400, "Throttling"), error_reply(403, "Throttling"), Reply(status=509, body=b""),
     error_reply(429, "Anything"), error_reply(400, "TooManyRequestsException"), Reply(status=501, body=b"")],
    ids=lambda r: f"{r.status}-{r.body if isinstance(r.body, bytes) else r.body['__type']}",
)
def test_legacy_counts_and_delays_match_botocore(monkeypatch: pytest.MonkeyPatch, reply: Reply) -> None:
    a = ours([reply], calls=2, retry_mode="legacy")
    b = boto([reply], monkeypatch, calls=2, retries={"mode": "legacy"})
    assert_same(a, b)


def test_legacy_has_no_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    a = ours([E500], calls=30, retry_mode="legacy")
    b = boto([E500], monkeypatch, calls=30, retries={"mode": "legacy"})
    assert_same(a, b)
    assert a.per_call == [5] * 30


# ---------------------------------------------------------------------- adaptive mode


@pytest.mark.parametrize(
    ("script", "latency"),
    [
        ([THROTTLE, OK] * 5 + [OK] * 20, 0.05),
        ([OK] * 10 + [THROTTLE] * 6 + [OK] * 30 + [THROTTLE, THROTTLE] + [OK] * 40, 0.02),
        ([OK, THROTTLE, E500, OK, THROTTLE, OK, OK] * 8, 0.3),
        ([error_reply(429, "X"), OK] * 3 + [OK] * 30, 0.0),
    ],
)
def test_adaptive_send_rate_matches_botocore(
    monkeypatch: pytest.MonkeyPatch, script: list[Reply], latency: float
) -> None:
    """After throttles the client waits for send tokens at the CUBIC rate: the waits
    (with the backoff sleeps, in order) and the rate after each call equal botocore's."""
    calls = 30
    a = ours(script, calls=calls, clock=FakeClock(), latency=latency, retry_mode="adaptive")
    b = boto(script, monkeypatch, calls=calls, clock=FakeClock(), latency=latency, retries={"mode": "adaptive"})
    # botocore's token wait loops until a refill reaches a whole token; the fake clock
    # then moves by at least one ulp (1e-13 s), so its times differ by that dust
    assert_same(a, b, tolerance=1e-9)
    assert a.rates == pytest.approx(b.rates, rel=1e-9, abs=1e-9)
    assert any(rate > 0 for rate in a.rates)
    assert len(a.delays) > a.requests - calls  # rate-limit waits on top of the backoff sleeps


# ------------------------------------------------------------------------ User-Agent


def _ua_tail(user_agent: str) -> list[str]:
    """The parts botocore derives from settings: retry-mode feature letter, cfg, app."""
    parts = user_agent.split()
    letters = {"D", "E", "F"}
    features = [p for p in parts if p.startswith("m/")]
    mode_letters = sorted(set(features[0][2:].split(",")) & letters) if features else []
    return mode_letters + [p for p in parts if p.startswith(("cfg/", "app/"))]


@pytest.mark.parametrize(
    ("mine", "theirs", "env", "profile"),
    [
        ({}, {}, {}, ""),
        ({"user_agent_appid": "my app#1/x"}, {"user_agent_appid": "my app#1/x"}, {}, ""),
        ({}, {}, {"AWS_SDK_UA_APP_ID": "from-env"}, "sdk_ua_app_id = from-profile\n"),
        ({}, {}, {}, "sdk_ua_app_id = from-profile\nretry_mode = adaptive\n"),
        ({"user_agent_appid": "arg"}, {"user_agent_appid": "arg"}, {"AWS_SDK_UA_APP_ID": "env"}, ""),
        ({"retry_mode": "legacy"}, {"retries": {"mode": "legacy"}}, {}, ""),
    ],
)
def test_user_agent_app_id_and_retry_mode_match_botocore(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    env: dict[str, str],
    profile: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if profile:
        write_profile(tmp_path, monkeypatch, "[default]\n" + profile)
    a, b = ours([OK], **mine), boto([OK], monkeypatch, **theirs)
    assert _ua_tail(a.user_agents[0]) == _ua_tail(b.user_agents[0])
    assert len(_ua_tail(a.user_agents[0])) >= 2
