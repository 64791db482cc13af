"""Markdown report of a benchmark run: machine, targets, and one table per section."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from .aio import AsyncResult, async_targets, render_async
from .calls import CallResult, Spread
from .coldstart import ColdResult
from .datapath import ParseResult
from .generation import GenResult, ModelInfo

__all__ = ["Report"]

TARGET_RAW_RATIO = 1.2
TARGET_BOTO3_SPEEDUP = 3.5
TARGET_COLD_SPEEDUP = 2.0
TARGET_COLD_RSS_MIB = 26.0
TARGET_GEN_SPEEDUP = 5.0
TARGET_RERUN_S = 0.6

_OPS = {"CreateCase": "create_case", "DescribeCases": "describe_cases"}


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f}"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _range(spread: Spread | None, unit: float = 1e6, fmt: str = "{:,.1f}") -> str:
    if spread is None:
        return "n/a"
    return f"{fmt.format(spread.min * unit)}–{fmt.format(spread.max * unit)}"


def _ratio_range(num: Spread, den: Spread) -> str:
    """Ratio of medians, with the ratio of the extremes (best case–worst case)."""
    return f"{num.median / den.median:.2f}× ({num.min / den.max:.2f}–{num.max / den.min:.2f})"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


@dataclass
class Report:
    """Results collected by ``python -m bench``; :meth:`render` turns them into markdown."""

    smoke: bool
    machine: list[tuple[str, str]]
    botocore: str
    calls: list[CallResult] = field(default_factory=list)
    scale: list[CallResult] = field(default_factory=list)
    breakdown: dict[str, dict[str, float]] = field(default_factory=dict)
    cold: list[ColdResult] = field(default_factory=list)
    generation: dict[str, dict[str, GenResult]] = field(default_factory=dict)
    models: dict[str, dict[str, GenResult]] = field(default_factory=dict)
    model_info: dict[str, ModelInfo] = field(default_factory=dict)
    parse: list[ParseResult] = field(default_factory=list)
    dynamodb: dict[str, dict[str, Spread]] = field(default_factory=dict)
    query_rss: dict[str, Spread] = field(default_factory=dict)
    elapsed: float = 0.0
    async_calls: dict[str, AsyncResult] = field(default_factory=dict)
    aiobotocore: str = "not run"

    # ------------------------------------------------------------------ targets

    def targets(self) -> list[list[str]]:
        rows: list[list[str]] = []
        for result in self.calls:
            m = result.medians
            name = _OPS[result.operation] + (f" ({result.cases} cases)" if result.cases else "")
            ratio = m["ours"] / m["raw"]
            rows.append(
                [
                    f"{name}: ≤ {TARGET_RAW_RATIO}× the raw urllib3 limit",
                    f"{ratio:.2f}×",
                    _yes(ratio <= TARGET_RAW_RATIO),
                ]
            )
            speedup = m["boto3"] / m["ours"]
            rows.append(
                [
                    f"{name}: ≥ {TARGET_BOTO3_SPEEDUP}× faster than boto3 (whole call)",
                    f"{speedup:.2f}×",
                    _yes(speedup >= TARGET_BOTO3_SPEEDUP),
                ]
            )
            own = (m["boto3"] - m["floor"]) / (m["ours"] - m["floor"])
            rows.append(
                [
                    (
                        f"{name}: ≥ {TARGET_BOTO3_SPEEDUP}× less own overhead than boto3 "
                        "(call minus socket floor)"
                    ),
                    f"{own:.2f}×",
                    _yes(own >= TARGET_BOTO3_SPEEDUP),
                ]
            )
        cold = {c.side: c for c in self.cold}
        if "ours" in cold and "boto3" in cold:
            speedup = cold["boto3"].wall / cold["ours"].wall
            rows.append(
                [
                    f"cold start ≥ {TARGET_COLD_SPEEDUP}× faster than boto3",
                    f"{speedup:.2f}×",
                    _yes(speedup >= TARGET_COLD_SPEEDUP),
                ]
            )
            rss = cold["ours"].rss_max
            rows.append(
                [
                    f"cold start peak RSS ≤ {TARGET_COLD_RSS_MIB:.0f} MiB (largest run)",
                    f"{rss:.1f} MiB",
                    _yes(rss <= TARGET_COLD_RSS_MIB),
                ]
            )
        rows += async_targets(self.async_calls)
        gen = self.generation.get("support")
        if gen:
            cold_gen, rerun, builder = gen["cold"], gen["rerun"], gen["builder"]
            if cold_gen.walls and builder.walls:
                speedup = builder.wall / cold_gen.wall
                rows.append(
                    [
                        f"generation (cold) ≥ {TARGET_GEN_SPEEDUP}× faster than mypy_boto3_builder",
                        f"{speedup:.2f}×",
                        _yes(speedup >= TARGET_GEN_SPEEDUP),
                    ]
                )
            if rerun.walls:
                rows.append(
                    [
                        f"no-change rerun ≤ {TARGET_RERUN_S} s",
                        f"{rerun.wall:.2f} s",
                        _yes(rerun.wall <= TARGET_RERUN_S),
                    ]
                )
        return rows

    # ------------------------------------------------------------------ sections

    def _calls(self) -> list[str]:
        if not self.calls:
            return []
        n = self.calls[0].calls
        lines = [
            "## 1. Per-call overhead",
            "",
            (
                f"Median µs per call over {n:,} timed calls per side (after warm-up), sides "
                "alternating in batches, against the canned keep-alive server (`bench/server.py`, "
                "its own process). *raw* is the limit: a prepared body signed with our SigV4 "
                "signer, POSTed with `urllib3.HTTPConnectionPool.urlopen`, reply decoded with "
                "`json.loads` (no validation, no typed result). *floor* is not a client: the "
                "signed request bytes written to a bare socket and the reply read back, i.e. the "
                "server, loopback and kernel share that every side pays."
            ),
            "",
        ]
        rows = []
        for r in self.calls:
            m = r.medians
            name = _OPS[r.operation] + (f" ({r.cases}-case reply)" if r.cases else "")
            rows.append(
                [
                    name,
                    _us(m["ours"]),
                    _us(m["boto3"]),
                    _us(m["raw"]),
                    _us(m["floor"]),
                    f"{m['ours'] / m['raw']:.2f}×",
                    f"{m['boto3'] / m['ours']:.2f}×",
                    _us(m["urllib3"]),
                    f"{m['ours'] / m['urllib3']:.2f}×",
                    _range(r.spreads.get("ours")),
                    _range(r.spreads.get("boto3")),
                    _range(r.spreads.get("urllib3")),
                ]
            )
        lines += _table(
            [
                "operation",
                "this client µs",
                "boto3 µs",
                "raw urllib3 µs",
                "socket floor µs",
                "this / raw",
                "boto3 / this",
                "unsigned urllib3 + json.loads µs (issue 12 floor)",
                "this / that floor",
                "this µs min–max (per-round medians)",
                "boto3 µs min–max",
                "floor µs min–max",
            ],
            rows,
        )
        rows = []
        for r in self.calls:
            m = r.medians
            own = {side: m[side] - m["floor"] for side in ("ours", "boto3", "raw")}
            rows.append(
                [
                    _OPS[r.operation],
                    _us(own["ours"]),
                    _us(own["boto3"]),
                    _us(own["raw"]),
                    f"{own['ours'] / own['raw']:.2f}×",
                    f"{own['boto3'] / own['ours']:.2f}×",
                ]
            )
        limits = ", ".join(
            f"{_OPS[r.operation]} {r.medians['boto3'] / r.medians['raw']:.2f}×" for r in self.calls
        )
        lines += [
            (
                f"For scale: the raw urllib3 limit itself is faster than boto3 by {limits}; a "
                "client built on urllib3 cannot beat boto3 by more than that on whole calls."
            ),
            "",
            "Own overhead of each side (median minus the socket floor):",
            "",
        ]
        return lines + _table(
            [
                "operation",
                "this client µs",
                "boto3 µs",
                "raw urllib3 µs",
                "this / raw",
                "boto3 / this",
            ],
            rows,
        )

    def _breakdown(self) -> list[str]:
        if not self.breakdown:
            return []
        rows = []
        for operation, parts in self.breakdown.items():
            rest = parts["call"] - parts["sign"] - parts["parse"]
            rows.append(
                [
                    _OPS[operation],
                    _us(parts["call"]),
                    _us(parts["sign"]),
                    _us(parts["json"]),
                    _us(parts["parse"]),
                    _us(rest),
                ]
            )
        lines = [
            "### 1b. This client's CPU time per call, without network",
            "",
            (
                "The same calls with an in-memory transport (no socket, no urllib3), timed in a "
                "loop, and the parts timed on their own. Signing is paid by the raw limit too, and "
                "so is `json.loads`, which this client does not call: its typed parse decodes the "
                "body bytes straight into msgspec models in one pass. The rest (building the "
                "request model, validation, encoding, headers, retry bookkeeping) is what this "
                "client adds around them."
            ),
            "",
        ]
        return lines + _table(
            [
                "operation",
                "whole call µs",
                "SigV4 sign µs",
                "json.loads µs (not called)",
                "typed parse from bytes µs",
                "rest µs",
            ],
            rows,
        )

    def _cold(self) -> list[str]:
        if not self.cold:
            return []
        runs = self.cold[0].runs
        labels = {
            "ours": "this client: import `aws_support`, build `SupportClient`",
            "boto3": 'boto3: `import boto3`, `boto3.client("support")`',
            "urllib3": '`python -c "import urllib3"`',
            "floor": '`python -c "import urllib3; urllib3.PoolManager()"` (issue 12 floor)',
            "ours_env": "this client, keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, one create_case",
            "boto3_env": "boto3, keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, one create_case",
        }
        lines = [
            "## 2. Cold start",
            "",
            (
                f"A fresh `python -c` process per run ({runs} runs per side, alternating, bytecode "
                "caches warm, empty HOME, explicit credentials and region). Peak RSS is the "
                "child's `ru_maxrss` from `wait4`."
            ),
            "",
        ]
        rows = [
            [
                labels[c.side],
                _ms(c.wall),
                f"{_ms(c.wall_min)}–{_ms(c.wall_max)}",
                _ms(c.cpu),
                f"{c.rss:.1f}",
                f"{c.rss_max:.1f}",
            ]
            for c in self.cold
        ]
        lines += _table(
            [
                "command",
                "wall ms (median)",
                "wall ms (min–max)",
                "CPU ms",
                "peak RSS MiB",
                "peak RSS MiB (max)",
            ],
            rows,
        )
        cold = {c.side: c for c in self.cold}
        if "ours" in cold and "boto3" in cold and "urllib3" in cold:
            ours, b3, u3 = cold["ours"], cold["boto3"], cold["urllib3"]
            lines += [
                (
                    f"boto3 / this client: {b3.wall / ours.wall:.2f}× wall, "
                    f"{b3.rss / ours.rss:.2f}× RSS. This client above bare urllib3: "
                    f"+{_ms(ours.wall - u3.wall)} ms, +{ours.rss - u3.rss:.1f} MiB."
                ),
                "",
            ]
        return lines

    def _generation(self) -> list[str]:
        gen = self.generation.get("support")
        if not gen:
            return []
        labels = {
            "cold": "`python -m generator --service support` (cold: empty black cache, new folder)",
            "rerun": "same, rerun with no model change",
            "builder": "mypy_boto3_builder `--product boto3-services -s support`",
        }
        rows = []
        for side in ("cold", "rerun", "builder"):
            r = gen[side]
            if r.walls:
                rows.append(
                    [
                        labels[side],
                        f"{r.wall:.2f}",
                        f"{r.cpu_time:.2f}",
                        f"{r.peak_rss:.0f}",
                        str(len(r.walls)),
                    ]
                )
            else:
                rows.append([labels[side], "–", "–", "–", r.error or "not run"])
        lines = [
            "## 3. Generation (AWS Support)",
            "",
            (
                f"Each run is a fresh process; medians. mypy_boto3_builder runs offline "
                f"(`--no-smart-version -b {self.botocore}`) from its own virtualenv, on the same "
                "botocore release."
            ),
            "",
        ]
        lines += _table(["command", "wall s", "CPU s", "peak RSS MiB", "runs"], rows)
        if gen["cold"].walls and gen["builder"].walls:
            lines += [
                (
                    f"mypy_boto3_builder / this generator: {gen['builder'].wall / gen['cold'].wall:.2f}× "
                    f"wall (cold), {gen['builder'].peak_rss / gen['cold'].peak_rss:.1f}× peak RSS."
                ),
                "",
            ]
        return lines

    def _scale(self) -> list[str]:
        if not self.scale:
            return []
        lines = [
            "## 4a. Scale: describe_cases reply size",
            "",
            (
                "Median µs per call; µs/case is that median divided by the number of cases. "
                "Each case carries five communications, three attachments and two CC addresses "
                f"(about {_case_bytes()} bytes of JSON)."
            ),
            "",
        ]
        rows = []
        for r in self.scale:
            n = r.cases or 1
            m = r.medians
            rows.append(
                [f"{n:,}", str(r.calls)]
                + [x for side in ("ours", "boto3", "raw") for x in (_us(m[side]), _us(m[side] / n))]
                + [_us(m["floor"]), _us(m["urllib3"])]
            )
        lines += _table(
            [
                "cases",
                "calls/side",
                "this µs",
                "this µs/case",
                "boto3 µs",
                "boto3 µs/case",
                "raw µs",
                "raw µs/case",
                "socket floor µs",
                "unsigned urllib3 + json.loads µs",
            ],
            rows,
        )
        if len(self.scale) >= 2:
            mrows = []
            for a, b in zip(self.scale, self.scale[1:], strict=False):
                da = (b.cases or 0) - (a.cases or 0)
                mrows.append(
                    [f"{a.cases:,} → {b.cases:,}"]
                    + [
                        _us((b.medians[s] - a.medians[s]) / da)
                        for s in ("ours", "boto3", "raw", "floor")
                    ]
                )
            lines += [
                (
                    "Marginal cost per extra case (µs); equal figures down a column mean "
                    "the cost grows linearly with the reply size:"
                ),
                "",
            ]
            lines += _table(["reply size", "this client", "boto3", "raw", "socket floor"], mrows)
        return lines

    def issue12_targets(self) -> list[list[str]]:
        """Issue 12's goals: ratio of medians, with (best–worst) from the extremes."""
        rows: list[list[str]] = []

        def add(goal: str, value: float, shown: str, ok: bool) -> None:
            rows.append([goal, shown, _yes(ok)])

        for p in self.parse:
            if "before" in p.sides:
                ours = p.sides["ours"]
                for side, goal_x in (("before", 6.0), ("botocore", 10.0)):
                    ratio = p.sides[side].median / ours.median
                    add(
                        f"parse only, {p.reply}: ≥ {goal_x:g}× faster than "
                        + ("today's generated parse" if side == "before" else "botocore's parser"),
                        ratio,
                        _ratio_range(p.sides[side], ours),
                        ratio >= goal_x,
                    )
            else:
                ratio = p.sides["botocore"].median / p.sides["ours"].median
                add(
                    f"parse only, {p.reply}: ≥ 15× faster than botocore's parser",
                    ratio,
                    _ratio_range(p.sides["botocore"], p.sides["ours"]),
                    ratio >= 15,
                )
        for r in self.calls + self.scale:
            if not r.spreads or "urllib3" not in r.spreads:
                continue
            o, f, b = r.spreads["ours"], r.spreads["urllib3"], r.spreads["boto3"]
            name = _OPS[r.operation] + (f" ({r.cases} cases)" if r.cases else "")
            if r.operation == "CreateCase":
                floor_goal, boto_goal = 1.15, 3.0
            elif r.cases == 20:
                floor_goal, boto_goal = 1.0, 3.5
            elif r.cases == 100:
                floor_goal, boto_goal = 0.9, 0.0
            else:
                continue
            ratio = o.median / f.median
            add(f"{name}: ≤ {floor_goal}× the floor", ratio, _ratio_range(o, f), ratio <= floor_goal)
            if boto_goal:
                speed = b.median / o.median
                add(f"{name}: ≥ {boto_goal}× faster than boto3", speed, _ratio_range(b, o), speed >= boto_goal)
        if self.dynamodb:
            q = self.dynamodb["Query"]
            speed = q["boto3"].median / q["ours"].median
            add("DynamoDB Query (1,000 items, ~1 MB): ≥ 10× faster than boto3", speed, _ratio_range(q["boto3"], q["ours"]), speed >= 10)
            put = self.dynamodb["PutItem"]
            ratio = put["ours"].median / put["floor"].median
            add("DynamoDB PutItem: ≤ 1.15× the floor", ratio, _ratio_range(put["ours"], put["floor"]), ratio <= 1.15)
        cold = {c.side: c for c in self.cold}
        if {"ours", "boto3", "floor"} <= set(cold):
            ratio = cold["ours"].wall / cold["floor"].wall
            add("cold start, explicit keys: ≤ 1.3× the floor process", ratio, f"{ratio:.2f}×", ratio <= 1.3)
            speed = cold["boto3"].wall / cold["ours"].wall
            add("cold start, explicit keys: ≥ 2.2× faster than boto3", speed, f"{speed:.2f}×", speed >= 2.2)
            add("cold start, explicit keys: peak RSS ≤ 25 MiB (largest run)", cold["ours"].rss_max, f"{cold['ours'].rss_max:.1f} MiB", cold["ours"].rss_max <= 25)
        if {"ours_env", "boto3_env"} <= set(cold):
            speed = cold["boto3_env"].wall / cold["ours_env"].wall
            add("keys in the environment + one call: ≥ 2× faster than boto3", speed, f"{speed:.2f}×", speed >= 2)
            rss = cold["ours_env"].rss_max
            add("keys in the environment + one call: peak RSS ≤ 27 MiB (largest run)", rss, f"{rss:.1f} MiB", rss <= 27)
        if self.query_rss:
            rss = self.query_rss["ours"].max
            add(
                "one 1 MB DynamoDB Query in a fresh process: peak RSS ≤ 36 MiB (largest run)",
                rss,
                f"{rss:.1f} MiB (boto3 {self.query_rss['boto3'].median:.1f})",
                rss <= 36,
            )
        return rows

    def _datapath(self) -> list[str]:
        if not (self.parse or self.dynamodb or self.query_rss):
            return []
        lines = [
            "## 5. Data path (issue 12: msgspec models)",
            "",
            (
                "Goals of issue 12. *floor* = an unsigned urllib3 POST + `json.loads` against "
                "the same server (per call), or `python -c \"import urllib3; "
                "urllib3.PoolManager()\"` (cold start). Ratios are of medians; in brackets the "
                "best and worst case from the repeats' min and max."
            ),
            "",
        ]
        lines += _table(["goal", "measured", "met"], self.issue12_targets())
        for p in self.parse:
            lines += [
                f"### Parse only: {p.reply} ({p.size:,} bytes of JSON)",
                "",
                (
                    "µs per parse of the same bytes, sides taking turns; median, min and max "
                    "over the repeats. *this client*: one msgspec pass from the bytes into the "
                    "models; *before*: `json.loads` + the generated Python of the previous "
                    "release building frozen dataclasses (`bench/baseline_parse.py`); "
                    "*botocore*: `botocore.parsers.create_parser(\"json\")` with the output shape."
                ),
                "",
            ]
            ours = p.sides["ours"]
            labels = {
                "json.loads": "`json.loads` alone (no types)",
                "ours": "this client",
                "before": "before (json.loads + generated parse)",
                "botocore": "botocore's parser",
            }
            rows = [
                [
                    labels[side],
                    _us(sp.median),
                    _range(sp),
                    f"{sp.median / ours.median:.2f}×",
                ]
                for side, sp in p.sides.items()
            ]
            lines += _table(["side", "µs (median)", "µs min–max", "÷ this client"], rows)
        if self.dynamodb:
            lines += [
                "### DynamoDB, generated client, per call",
                "",
                (
                    "`python -m generator --service dynamodb` output; Query returns 1,000 items "
                    "of 10 attributes (S, N, BOOL, nested M and L), about 1 MB; PutItem returns "
                    "`{}`. µs per call, sides alternating; min–max of the per-round medians."
                ),
                "",
            ]
            rows = []
            for operation, sides in self.dynamodb.items():
                o, b, f = sides["ours"], sides["boto3"], sides["floor"]
                rows.append(
                    [
                        operation,
                        _us(o.median),
                        _range(o),
                        _us(b.median),
                        _range(b),
                        _us(f.median),
                        _range(f),
                        f"{o.median / f.median:.2f}×",
                        f"{b.median / o.median:.2f}×",
                    ]
                )
            lines += _table(
                [
                    "operation",
                    "this µs",
                    "this min–max",
                    "boto3 µs",
                    "boto3 min–max",
                    "floor µs",
                    "floor min–max",
                    "this / floor",
                    "boto3 / this",
                ],
                rows,
            )
        if self.query_rss:
            lines += [
                "### Peak RSS of one 1 MB DynamoDB Query in a fresh process",
                "",
            ]
            lines += _table(
                ["side", "peak RSS MiB (median)", "min–max"],
                [
                    [side, f"{sp.median:.1f}", f"{sp.min:.1f}–{sp.max:.1f}"]
                    for side, sp in self.query_rss.items()
                ],
            )
        return lines

    def _models(self) -> list[str]:
        if not self.models:
            return []
        lines = [
            "## 4b. Generation time vs model size",
            "",
            (
                "One cold run (empty black cache) and one no-change rerun per model, and one "
                "mypy_boto3_builder run (Support: the medians of section 3)."
            ),
            "",
        ]
        rows = []
        for service in ["support", *self.models]:
            info = self.model_info.get(service)
            sides = self.generation.get(service) if service == "support" else self.models[service]
            if info is None or sides is None:
                continue
            cold, rerun, builder = sides["cold"], sides["rerun"], sides["builder"]

            def cell(r: GenResult) -> str:
                return f"{r.wall:.2f}" if r.walls else "–"

            status = "ok" if cold.walls else f"generator failed: {cold.error}"
            if cold.walls and rerun.error:
                status = f"rerun: {rerun.error}"
            if builder.error and builder.error != "not run":
                status += f"; builder failed: {builder.error}"
            ratio = f"{builder.wall / cold.wall:.2f}×" if cold.walls and builder.walls else "–"
            rss = (f"{cold.peak_rss:.0f}" if cold.rss else "–") + " / "
            rss += f"{builder.peak_rss:.0f}" if builder.rss else "–"
            rows.append(
                [
                    service,
                    info.protocol,
                    str(info.operations),
                    str(info.shapes),
                    f"{info.kib:,.0f}",
                    cell(cold),
                    cell(rerun),
                    cell(builder),
                    ratio,
                    rss,
                    status,
                ]
            )
        return lines + _table(
            [
                "service",
                "protocol",
                "operations",
                "shapes",
                "model KiB",
                "cold s",
                "rerun s",
                "builder s",
                "builder / cold",
                "peak RSS MiB (ours / builder)",
                "status",
            ],
            rows,
        )

    def render(self) -> str:
        when = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        lines = [
            "# Benchmarks: aws_support vs boto3, raw urllib3 and mypy_boto3_builder",
            "",
            (
                f"Written by `make bench` (`python -m bench`) on {when} in {self.elapsed:.0f} s. "
                "Targets are reported, never enforced by a test."
            ),
            "",
        ]
        if self.smoke:
            lines += ["**Smoke run** (`--smoke`): tiny counts, figures are not meaningful.", ""]
        lines += ["## Machine", ""] + _table(["", ""], [[k, v] for k, v in self.machine])
        targets = self.targets()
        if targets:
            lines += ["## Targets", ""] + _table(["target", "measured", "met"], targets)
        sections = (
            self._calls,
            self._breakdown,
            lambda: render_async(self.async_calls, self.aiobotocore),
            self._cold,
            self._generation,
            self._scale,
            self._models,
            self._datapath,
        )
        for section in sections:
            lines += section()
        lines += [
            "## Reproduce",
            "",
            "```sh",
            "make bench                       # all sections, writes bench/RESULTS.md",
            ".venv/bin/python -m bench --only calls,scale   # a subset, print only",
            ".venv/bin/python -m bench --smoke               # seconds; what `make test` runs",
            "```",
            "",
        ]
        return "\n".join(lines)


def _case_bytes() -> int:
    import json

    from .server import case_details

    return len(json.dumps(case_details(0)))
