"""Async calls: AsyncSupportClient vs aiobotocore vs a raw aiohttp floor, one local server.

Every side talks to the canned keep-alive server (:mod:`bench.server`, its own
process) and makes the same two calls, ``create_case`` and
``describe_cases`` (20-case reply), two ways:

* sequential: one call at a time; the figure is the median time per call (µs);
* 50 in flight: 50 tasks share one client and make calls back to back; the
  figure is calls per second over the whole run (the best of the rounds).

Sides:

* ``floor``: not a client. One ``aiohttp.ClientSession`` POSTs the prepared JSON
  body, unsigned, and ``json.loads`` the reply: the least any asyncio client
  must do.
* ``ours``: ``AsyncSupportClient`` with explicit credentials,
  ``Config(max_attempts=1, max_pool_connections=50)``; validation on.
* ``aiobotocore``: aiobotocore's ``support`` client, ``max_attempts=1``,
  ``max_pool_connections=50``, run by :mod:`bench.aiobotocore_side` inside the
  throw-away virtual environment ``make bench`` creates for it (aiobotocore
  pins its own, older botocore, which this project's pins exclude); skipped
  when that environment is missing.

The floor and our client take turns within each round, in this process; the
aiobotocore side runs in its own process between rounds.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .calls import (
    ACCESS_KEY,
    CREATE_CASE,
    DESCRIBE_CASES,
    REGION,
    SECRET_KEY,
    TARGET_PREFIX,
    wire_params,
)
from .util import median

__all__ = ["AsyncResult", "measure_async"]

IN_FLIGHT = 50
OPERATIONS = (("create_case", "CreateCase", CREATE_CASE), ("describe_cases", "DescribeCases", DESCRIBE_CASES))
SIDE_SCRIPT = Path(__file__).resolve().parent / "aiobotocore_side.py"


@dataclass
class AsyncResult:
    """Figures of one operation: ``{side: value}`` for sequential µs and calls/s."""

    operation: str
    sequential_us: dict[str, float] = field(default_factory=dict)
    throughput: dict[str, float] = field(default_factory=dict)


async def _sequential(call: Callable[[], Awaitable[Any]], calls: int) -> float:
    clock = time.perf_counter
    times = []
    for _ in range(calls):
        started = clock()
        await call()
        times.append(clock() - started)
    return median(times) * 1e6


async def _in_flight(call: Callable[[], Awaitable[Any]], calls: int, width: int = IN_FLIGHT) -> float:
    per_task = max(1, calls // width)

    async def worker() -> None:
        for _ in range(per_task):
            await call()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(width)))
    return per_task * width / (time.perf_counter() - started)


def _floor_call(session: Any, url: str, operation: str, params: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
    body = json.dumps(wire_params(params)).encode()
    headers = {
        "X-Amz-Target": TARGET_PREFIX + operation,
        "Content-Type": "application/x-amz-json-1.1",
    }

    async def call() -> Any:
        async with session.post(url, data=body, headers=headers) as response:
            reply = json.loads(await response.read())
        if response.status != 200:
            raise RuntimeError(f"floor {operation}: HTTP {response.status}")
        return reply

    return call


def _check(operation: str, reply: Any) -> None:
    if operation == "create_case":
        assert reply.case_id, reply
    else:
        assert reply.cases is not None and len(reply.cases) == 20, reply


async def _run_local(url: str, calls: int, rounds: int, warmup: int) -> dict[str, AsyncResult]:
    import aiohttp

    from aws_runtime.config import Config
    from aws_support import AsyncSupportClient

    results = {name: AsyncResult(name) for name, _, _ in OPERATIONS}
    seq: dict[tuple[str, str], list[float]] = {}
    tput: dict[tuple[str, str], list[float]] = {}
    connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
    async with aiohttp.ClientSession(connector=connector) as session, AsyncSupportClient(
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(max_attempts=1, max_pool_connections=IN_FLIGHT),
    ) as client:
        sides: dict[str, dict[str, Callable[[], Awaitable[Any]]]] = {}
        for name, operation, params in OPERATIONS:
            method = getattr(client, name)

            async def ours(method: Any = method, params: dict[str, Any] = params) -> Any:
                return await method(**params)

            _check(name, await ours())
            sides[name] = {"floor": _floor_call(session, url + "/", operation, params), "ours": ours}
        for _ in range(warmup):
            for calls_of in sides.values():
                for call in calls_of.values():
                    await call()
        for round_number in range(rounds):
            for name, calls_of in sides.items():
                order = list(calls_of.items())
                if round_number % 2:
                    order.reverse()
                for side, call in order:
                    seq.setdefault((name, side), []).append(await _sequential(call, calls))
                for side, call in order:
                    tput.setdefault((name, side), []).append(await _in_flight(call, calls * 2))
    for (name, side), values in seq.items():
        results[name].sequential_us[side] = median(values)
    for (name, side), values in tput.items():
        results[name].throughput[side] = max(values)
    return results


def _run_aiobotocore(python: Path, url: str, calls: int, rounds: int) -> dict[str, Any] | None:
    proc = subprocess.run(
        [str(python), str(SIDE_SCRIPT), url, str(calls), str(rounds), str(IN_FLIGHT)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if proc.returncode != 0:
        print(f"aiobotocore side failed: {proc.stderr[-2000:]}")
        return None
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def measure_async(
    url: str, *, calls: int, rounds: int, warmup: int, aiobotocore_python: Path | None
) -> tuple[dict[str, AsyncResult], str]:
    """Run every side against ``url``; returns the figures per operation and the
    aiobotocore version (``"not run"`` without its environment)."""
    results = asyncio.run(_run_local(url, calls, rounds, warmup))
    version = "not run"
    if aiobotocore_python is not None and aiobotocore_python.exists():
        data = _run_aiobotocore(aiobotocore_python, url, calls, rounds)
        if data is not None:
            version = str(data.pop("version"))
            for name, figures in data.items():
                results[name].sequential_us["aiobotocore"] = figures["sequential_us"]
                results[name].throughput["aiobotocore"] = figures["throughput"]
    return results, version


TARGET_SEQ_CREATE = 1.5  # ours / floor, sequential create_case
TARGET_SEQ_DESCRIBE = 1.0  # ours / floor, sequential describe_cases(20)
TARGET_TPUT_CREATE = 3.0  # ours / aiobotocore, 50 in flight, create_case
TARGET_TPUT_DESCRIBE = 4.0  # ours / aiobotocore, 50 in flight, describe_cases(20)
TARGET_TPUT_DESCRIBE_FLOOR = 1.0  # ours / floor, 50 in flight, describe_cases(20)


def async_targets(results: dict[str, AsyncResult]) -> list[list[str]]:
    """Target rows (target, measured, met) of the async section."""
    rows: list[list[str]] = []

    def add(label: str, ratio: float, ok: bool) -> None:
        rows.append([label, f"{ratio:.2f}×", "yes" if ok else "**no**"])

    for name, limit in (("create_case", TARGET_SEQ_CREATE), ("describe_cases", TARGET_SEQ_DESCRIBE)):
        r = results.get(name)
        if r and "floor" in r.sequential_us and "ours" in r.sequential_us:
            ratio = r.sequential_us["ours"] / r.sequential_us["floor"]
            add(f"async {_label(name)} sequential: ≤ {limit}× the aiohttp floor", ratio, ratio <= limit)
    for name, limit in (("create_case", TARGET_TPUT_CREATE), ("describe_cases", TARGET_TPUT_DESCRIBE)):
        r = results.get(name)
        if r and "aiobotocore" in r.throughput and "ours" in r.throughput:
            ratio = r.throughput["ours"] / r.throughput["aiobotocore"]
            add(f"async {_label(name)}, {IN_FLIGHT} in flight: ≥ {limit}× aiobotocore's calls/s", ratio, ratio >= limit)
    r = results.get("describe_cases")
    if r and "floor" in r.throughput and "ours" in r.throughput:
        ratio = r.throughput["ours"] / r.throughput["floor"]
        add(
            f"async {_label('describe_cases')}, {IN_FLIGHT} in flight: ≥ {TARGET_TPUT_DESCRIBE_FLOOR}× the floor's calls/s",
            ratio,
            ratio >= TARGET_TPUT_DESCRIBE_FLOOR,
        )
    return rows


def _label(name: str) -> str:
    return "describe_cases(20)" if name == "describe_cases" else name


def render_async(results: dict[str, AsyncResult], version: str) -> list[str]:
    """The markdown section of the async benchmark."""
    if not results:
        return []
    sides = ("floor", "ours", "aiobotocore")
    lines = [
        "### 1c. Async calls: AsyncSupportClient vs aiobotocore vs a raw aiohttp floor",
        "",
        (
            "Same canned server. Floor: raw aiohttp POST + `json.loads`, unsigned. "
            f"Sequential: median µs per call; {IN_FLIGHT} in flight: calls/s of {IN_FLIGHT} "
            f"tasks sharing one client. aiobotocore: {version} (its own throw-away venv)."
        ),
        "",
        ("| operation | floor µs | ours µs | aiobotocore µs | ours / floor | "
        "floor calls/s | ours calls/s | aiobotocore calls/s | ours / aiobotocore |"),
        "|" + " --- |" * 9,
    ]
    for name, r in results.items():
        seq = [f"{r.sequential_us[s]:,.1f}" if s in r.sequential_us else "not run" for s in sides]
        tput = [f"{r.throughput[s]:,.0f}" if s in r.throughput else "not run" for s in sides]
        seq_ratio = r.sequential_us["ours"] / r.sequential_us["floor"]
        tput_ratio = (
            f"{r.throughput['ours'] / r.throughput['aiobotocore']:.2f}×"
            if "aiobotocore" in r.throughput
            else "not run"
        )
        lines.append(
            f"| async {_label(name)} | " + " | ".join(seq) + f" | {seq_ratio:.2f}× | " + " | ".join(tput) + f" | {tput_ratio} |"
        )
    return lines + [""]
