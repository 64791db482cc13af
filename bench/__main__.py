"""``python -m bench``: run the benchmarks, print a markdown report, optionally write it.

``make bench`` runs the full set and writes ``bench/RESULTS.md``; ``--smoke``
runs every section with tiny counts (no mypy_boto3_builder, Support only) so
the test suite can check that the entry point works and prints its tables.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import report
from .aio import measure_async
from .calls import CannedServer, measure_breakdown, measure_calls, scale_calls
from .coldstart import measure_cold_start
from .datapath import dynamodb_calls, generate_dynamodb, parse_only, query_rss
from .generation import builder_version, measure_generation, model_info
from .util import machine_description

SECTIONS = ("calls", "async", "cold", "gen", "scale", "models", "data")
DEFAULT_MODELS = ("dynamodb", "ecs", "ssm", "glue")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUILDER = ROOT / ".cache" / "bench" / "builder-venv" / "bin" / "mypy_boto3_builder"
DEFAULT_AIOBOTOCORE = ROOT / ".cache" / "bench" / "aiobotocore-venv" / "bin" / "python"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--smoke", action="store_true", help="tiny counts, Support only, no builder")
    p.add_argument("--out", type=Path, help="also write the report to this file")
    p.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}"
    )
    p.add_argument("--calls", type=int, default=2000, help="timed calls per side (default 2000)")
    p.add_argument("--cold-runs", type=int, default=10, help="cold-start runs per side")
    p.add_argument("--gen-runs", type=int, default=5, help="generation runs per side (Support)")
    p.add_argument(
        "--models",
        default=",".join(DEFAULT_MODELS),
        help="large JSON-protocol models for the generation-vs-size table",
    )
    p.add_argument(
        "--builder",
        default=str(DEFAULT_BUILDER),
        help="mypy_boto3_builder executable (default: the venv `make bench` creates)",
    )
    p.add_argument(
        "--aiobotocore-python",
        default=str(DEFAULT_AIOBOTOCORE),
        help="python of the venv with aiobotocore (default: the one `make bench` creates)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    sections = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = sections - set(SECTIONS)
    if unknown:
        print(f"unknown section(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    builder: str | None = args.builder
    if args.smoke or not (builder and Path(builder).exists()):
        if not args.smoke:
            print(
                f"mypy_boto3_builder not found at {builder}: `make bench` installs it",
                file=sys.stderr,
            )
        builder = None
    if builder is not None:
        builder = str(Path(builder).resolve())
    import botocore

    if args.smoke:
        calls, batch, warmup, cold_runs, gen_runs = 20, 10, 5, 1, 1
        scale_sizes = {10: 10, 100: 4, 1000: 2}
        models: list[str] = []
    else:
        calls, batch, warmup = args.calls, 50, 200
        cold_runs, gen_runs = args.cold_runs, args.gen_runs
        scale_sizes = {10: 1000, 100: 400, 1000: 100}
        models = [m.strip() for m in args.models.split(",") if m.strip()]
    started = time.perf_counter()
    extra = {"mypy-boto3-builder": builder_version(builder) if builder else "not run"}
    out = report.Report(
        smoke=args.smoke, machine=machine_description(extra), botocore=botocore.__version__
    )

    def step(name: str) -> None:
        print(f"[bench] {name} ({time.perf_counter() - started:.0f}s)", file=sys.stderr, flush=True)

    if sections & {"calls", "scale", "async", "cold", "data"}:
        with CannedServer() as server:
            if "async" in sections:
                step("async calls: AsyncSupportClient, aiobotocore, aiohttp floor")
                aiobotocore_python = None if args.smoke else Path(args.aiobotocore_python)
                out.async_calls, out.aiobotocore = measure_async(
                    server.url,
                    calls=20 if args.smoke else 500,
                    rounds=1 if args.smoke else 5,
                    warmup=2 if args.smoke else 100,
                    aiobotocore_python=aiobotocore_python,
                )
            if "calls" in sections:
                step(f"per-call overhead, {calls} calls per side")
                out.calls = measure_calls(server.url, calls=calls, batch=batch, warmup=warmup)
                out.breakdown = measure_breakdown(*((20, 3) if args.smoke else (1000, 7)))
            if "scale" in sections:
                step("describe_cases reply sizes")
                out.scale = scale_calls(server.url, scale_sizes)
            if "cold" in sections:
                step(f"cold start, {cold_runs} runs per side")
                out.cold = measure_cold_start(cold_runs, server.url)
            if "data" in sections:
                step("data path: parse only" + ("" if args.smoke else ", generated DynamoDB"))
                if not args.smoke:
                    generate_dynamodb()
                out.parse = parse_only(
                    *((5, 3) if args.smoke else (200, 15)), dynamodb=not args.smoke
                )
                if not args.smoke:
                    out.dynamodb = dynamodb_calls(server.url, calls, batch, warmup)
                    out.query_rss = query_rss(server.url, 5)
    if "gen" in sections:
        step(f"generation of support, {gen_runs} runs per side")
        out.generation = measure_generation(["support"], gen_runs, builder, botocore.__version__)
    if "models" in sections and models:
        step(f"generation vs model size: {', '.join(models)}")
        out.models = measure_generation(models, 1, builder, botocore.__version__)
        out.model_info = {name: model_info(name) for name in ["support", *models]}
    elif "models" in sections:
        out.model_info = {"support": model_info("support")}
    out.elapsed = time.perf_counter() - started
    text = out.render()
    sys.stdout.write(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        step(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
