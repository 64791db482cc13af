"""Run this client and botocore side by side against one scripted server, with sleep,
jitter and clock injected on both sides, and report what each did.

The botocore side is a real botocore client (``botocore.session``) pointed at the
local server. Its hooks are patched where botocore itself reads them:
``botocore.endpoint.time.sleep`` (the backoff sleep in ``Endpoint._needs_retry``),
``standard.RetryHandler``'s default ``sleep`` (a long-polling operation out of quota),
``standard.ExponentialBackoff``'s default ``random`` (standard/adaptive jitter),
``botocore.retryhandler.random`` (legacy jitter), ``botocore.retries.bucket.Clock``
(the adaptive mode's clock) and the token bucket's condition variable, whose
``wait`` is where botocore blocks for a send token.
"""

from __future__ import annotations

import math
import random as _random
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pytest

from aws_runtime import Config
from aws_runtime.errors import AWSError, ServiceError
from aws_runtime.retries import LegacyRetryConfig, RetryRules
from aws_support import SupportClient
from helpers.clients import ACCESS_KEY, SECRET_KEY
from helpers.server import Recorded, Reply, ScriptedServer

if TYPE_CHECKING:
    from typing_extensions import Self

SEED = 20261202


class FakeClock:
    """Seconds; advanced only by sleeps, rate-limit waits and each request's ``latency``."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@dataclass
class Run:
    """What one client did: requests per call, every wait in order (backoff and rate
    limit), each call's outcome (``"ok"`` or the error code / exception name), the
    ``amz-sdk-request`` and ``User-Agent`` headers, and the send rate after each call."""

    per_call: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    attempt_headers: list[str] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.per_call)


def _responder(script: Sequence[Reply], clock: FakeClock, latency: float) -> Callable[[Recorded], Reply]:
    index = [0]

    def reply(_: Recorded) -> Reply:
        clock.now += latency
        item = script[min(index[0], len(script) - 1)]
        index[0] += 1
        return item

    return reply


def _dynamodb_legacy() -> LegacyRetryConfig:
    """The legacy policy the generator bakes into a DynamoDB client."""
    from generator.build import legacy_retry_args
    from generator.loader import _botocore_loader, _legacy_retry

    config = _legacy_retry(_botocore_loader(), {"metadata": {"endpointPrefix": "dynamodb"}})
    args = dict(legacy_retry_args(config))
    args["statuses"] = frozenset(args["statuses"])
    args["status_codes"] = frozenset(args["status_codes"])
    return LegacyRetryConfig(**args)


class DynamoDBFlavouredClient(SupportClient):
    """The Support client with DynamoDB's service id and retry rules: what decides the
    per-service retry defaults (4 attempts, 25 ms base, legacy 10 attempts / 50 ms)."""

    _SERVICE = replace(SupportClient._SERVICE, service_id="DynamoDB")


class SQSFlavouredClient(SupportClient):
    """The Support client with SQS's service id, to call ``ReceiveMessage``: a
    long-polling operation for botocore's retry handler."""

    _SERVICE = replace(SupportClient._SERVICE, service_id="SQS")
    _RETRY_RULES = RetryRules("sqs")


def ours(
    script: Sequence[Reply],
    *,
    calls: int = 1,
    service: str = "support",
    clock: FakeClock | None = None,
    latency: float = 0.0,
    seed: int = SEED,
    **config: Any,
) -> Run:
    """Make ``calls`` calls with this client (``Config(**config)``, fake sleep and jitter)."""
    clock = clock or FakeClock()
    run = Run()
    jitter = _random.Random(seed)

    def sleep(seconds: float) -> None:
        run.delays.append(seconds)
        clock.now += seconds

    cls: type[SupportClient] = SupportClient
    if service == "dynamodb":
        cls = DynamoDBFlavouredClient
        cls._RETRY_RULES = RetryRules("dynamodb", legacy=_dynamodb_legacy())
    elif service == "sqs":
        cls = SQSFlavouredClient
    with ScriptedServer(_responder(script, clock, latency)) as server:
        client = cls(
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(sleep=sleep, random=jitter.random, **config),
        )
        use_clock(client, clock)
        for _ in range(calls):
            before = len(server.requests)
            try:
                if service == "sqs":
                    client._call("ReceiveMessage", {"QueueUrl": "q"}, dict)
                else:
                    client.describe_severity_levels()
                run.outcomes.append("ok")
            except ServiceError as exc:
                run.outcomes.append(exc.code)
            except AWSError as exc:
                run.outcomes.append(type(exc).__name__)
            run.per_call.append(len(server.requests) - before)
            limiter = client._pipeline.rate_limiter
            run.rates.append(limiter.rate if limiter is not None and limiter.enabled else 0.0)
        run.attempt_headers = [r.headers["amz-sdk-request"] for r in server.requests]
        run.user_agents = [r.headers["user-agent"] for r in server.requests]
    return run


def use_clock(client: SupportClient, clock: Callable[[], float]) -> None:
    """Give ``client`` the fake clock for its adaptive rate limiter (started afresh on it)."""
    client._pipeline.monotonic = clock
    client._pipeline.rate_limiter = client._retry.new_rate_limiter(clock())


class _FakeCondition:
    """Stands in for ``TokenBucket._new_fill_rate_condition``: ``wait`` records the time
    botocore would block for and moves the fake clock instead."""

    def __init__(self, clock: FakeClock, run: Run) -> None:
        self._clock = clock
        self._run = run

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def notify(self) -> None:
        return None

    def wait(self, seconds: float) -> None:
        # at least one ulp: botocore loops until the refill reaches a whole token
        self._clock.now = max(self._clock.now + seconds, math.nextafter(self._clock.now, math.inf))
        if seconds > 1e-9:  # float dust: botocore re-waits for ~1e-16 s after a refill
            self._run.delays.append(seconds)


@contextmanager
def _patched_botocore(monkeypatch: pytest.MonkeyPatch, clock: FakeClock, run: Run, seed: int) -> Iterator[list[Any]]:
    import botocore.endpoint
    import botocore.retryhandler
    from botocore.retries import adaptive, bucket, standard

    jitter = _random.Random(seed)

    def sleep(seconds: float) -> None:
        run.delays.append(seconds)
        clock.now += seconds

    limiters: list[Any] = []
    register = adaptive.register_retry_handler

    def register_and_keep(client: Any) -> Any:
        limiter = register(client)
        limiter._token_bucket._new_fill_rate_condition = _FakeCondition(clock, run)
        limiters.append(limiter)
        return limiter

    class Clock:
        def sleep(self, amount: float) -> None:
            sleep(amount)

        def current_time(self) -> float:
            return clock.now

    with monkeypatch.context() as patch:
        patch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=sleep))
        defaults = standard.ExponentialBackoff.__init__.__defaults__
        assert defaults is not None and len(defaults) == 4  # (max_backoff, random, service_name, detector)
        patch.setattr(
            standard.ExponentialBackoff.__init__,
            "__defaults__",
            (defaults[0], jitter.random, *defaults[2:]),
        )
        handler_defaults = standard.RetryHandler.__init__.__defaults__
        assert handler_defaults is not None and len(handler_defaults) == 2  # (service_name, sleep)
        patch.setattr(standard.RetryHandler.__init__, "__defaults__", (handler_defaults[0], sleep))
        patch.setattr(botocore.retryhandler, "random", types.SimpleNamespace(random=jitter.random))
        patch.setattr(bucket, "Clock", Clock)
        patch.setattr(adaptive, "register_retry_handler", register_and_keep)
        yield limiters


def boto(
    script: Sequence[Reply],
    monkeypatch: pytest.MonkeyPatch,
    *,
    calls: int = 1,
    service: str = "support",
    clock: FakeClock | None = None,
    latency: float = 0.0,
    seed: int = SEED,
    **config: Any,
) -> Run:
    """The same with a real botocore client (``botocore.config.Config(**config)``)."""
    import botocore.config
    import botocore.exceptions
    import botocore.session

    clock = clock or FakeClock()
    run = Run()
    with ScriptedServer(_responder(script, clock, latency)) as server, _patched_botocore(
        monkeypatch, clock, run, seed
    ) as limiters:
        client = botocore.session.Session().create_client(
            service,
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=botocore.config.Config(**config),
        )
        calls_by_service: dict[str, Callable[[], Any]] = {
            "dynamodb": lambda: client.list_tables(),
            "sqs": lambda: client.receive_message(QueueUrl="q"),
            "support": lambda: client.describe_severity_levels(),
        }
        call = calls_by_service[service]
        for _ in range(calls):
            before = len(server.requests)
            try:
                call()
                run.outcomes.append("ok")
            except botocore.exceptions.ClientError as exc:
                run.outcomes.append(str(exc.response["Error"]["Code"]))
            except botocore.exceptions.BotoCoreError as exc:
                run.outcomes.append(type(exc).__name__)
            run.per_call.append(len(server.requests) - before)
            limiter = limiters[0] if limiters else None
            run.rates.append(
                limiter._token_bucket.max_rate if limiter is not None and limiter._enabled else 0.0
            )
        run.attempt_headers = [r.headers["amz-sdk-request"] for r in server.requests]
        run.user_agents = [r.headers["user-agent"] for r in server.requests]
    return run
