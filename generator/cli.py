"""``python -m generator``: generate (or check) a client package from a service model."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .build import BuildError, build_service
from .changes import summary_line
from .endpoints import RuleSetError
from .loader import ModelSources, UnsupportedProtocolError, json_services, load_files, load_service
from .manifest import CHANGES_NAME, MANIFEST_NAME, ManifestError, read_manifest
from .naming import NameClashError
from .writer import TemplateSyntaxError, diff_package, generate_files, write_package

__all__ = ["ALL_JSON", "ServiceResult", "generate_many", "generate_one", "main", "parser"]

ALL_JSON = "all-json"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate a typed Python client package from an AWS JSON-protocol service model.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--service",
        help=f"botocore service name, e.g. support; {ALL_JSON!r} generates every JSON-protocol service",
    )
    src.add_argument("--model", type=Path, help="path to a service-2.json file")
    p.add_argument("--api-version", help="model API version (default: the newest botocore has)")
    p.add_argument("--paginators", type=Path, help="paginators-1.json (with --model)")
    p.add_argument("--ruleset", type=Path, help="endpoint-rule-set-1.json (with --model)")
    p.add_argument("--name", help="service name for package naming (with --model)")
    p.add_argument("--package", help="package name (default: aws_<service>)")
    p.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a unified diff when the output folder is stale",
    )
    p.add_argument(
        "--extensions",
        type=Path,
        help="folder of hand-written extension modules (default: extensions/<service> of the "
        "repository; see README 'Extending a service')",
    )
    p.add_argument("--no-cache", action="store_true", help="do not use the black output cache")
    p.add_argument(
        "--jobs",
        type=int,
        default=0,
        help=f"worker processes for --service {ALL_JSON} (default: one per CPU core)",
    )
    return p


@dataclass(frozen=True)
class ServiceResult:
    """Outcome of generating one package: ``status`` is ok, stale, or error."""

    service: str
    package: str
    status: str
    seconds: float
    message: str = ""
    modules: int = 0


_ERRORS = (UnsupportedProtocolError, BuildError, NameClashError, RuleSetError, TemplateSyntaxError)


def generate_one(service: str, out: Path, *, check: bool = False, use_cache: bool = True) -> ServiceResult:
    """Generate (or with ``check`` compare) one botocore service's package under ``out``.

    Never raises for a model problem: the error is returned in the result, so
    one bad model does not stop a sweep.
    """
    started = time.perf_counter()
    package = service
    try:
        ir = build_service(load_service(service))
        package = ir.package
        files = generate_files(ir, use_cache=use_cache, previous=read_manifest(out / package))
    except (*_ERRORS, ManifestError, ValueError, OSError) as exc:
        return ServiceResult(service, package, "error", time.perf_counter() - started, str(exc))
    modules = sum(name.endswith(".py") for name in files)
    if check:
        diff = diff_package(files, out / package)
        status = "stale" if diff else "ok"
        return ServiceResult(service, package, status, time.perf_counter() - started, diff, modules)
    changed = write_package(files, out / package)
    message = f"{len(changed)} file(s) changed" if changed else "unchanged"
    return ServiceResult(service, package, "ok", time.perf_counter() - started, message, modules)


def generate_many(
    services: list[str],
    out: Path,
    *,
    jobs: int = 0,
    check: bool = False,
    use_cache: bool = True,
    progress: Callable[[ServiceResult], None] | None = None,
) -> list[ServiceResult]:
    """:func:`generate_one` for each service in ``jobs`` worker processes (default: one
    per CPU core); results in the order of ``services``, ``progress`` called in that order."""
    results: list[ServiceResult] = []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(services)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(generate_one, name, out, check=check, use_cache=use_cache) for name in services]
        for future in futures:
            result = future.result()
            results.append(result)
            if progress is not None:
                progress(result)
    return results


def _generate_all(args: argparse.Namespace) -> int:
    """Every JSON-protocol service, in parallel; one line per service, then a summary."""
    started = time.perf_counter()
    jobs = args.jobs or os.cpu_count() or 1

    def show(result: ServiceResult) -> None:
        detail = "stale" if result.status == "stale" else (result.message.splitlines() or [""])[0]
        print(f"{result.status:5} {result.service:40} {result.seconds:6.2f}s  {detail}", flush=True)

    results = generate_many(
        json_services(), args.out, jobs=jobs, check=args.check, use_cache=not args.no_cache, progress=show
    )
    failed = [r for r in results if r.status == "error"]
    stale = [r for r in results if r.status == "stale"]
    slowest = max(results, key=lambda r: r.seconds)
    print(
        f"{len(results) - len(failed)}/{len(results)} JSON-protocol services generated into {args.out} "
        f"in {time.perf_counter() - started:.1f}s wall with {jobs} process(es); slowest: "
        f"{slowest.service} {slowest.seconds:.1f}s"
    )
    for r in failed:
        print(f"error: {r.service}: {r.message}", file=sys.stderr)
    if stale:
        print(f"stale: {', '.join(r.package for r in stale)}", file=sys.stderr)
    return 2 if failed else 1 if stale else 0


def _load(args: argparse.Namespace) -> ModelSources:
    if args.service:
        return load_service(args.service, args.api_version)
    return load_files(args.model, args.paginators, args.ruleset, args.name)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.service == ALL_JSON:
        return _generate_all(args)
    started = time.perf_counter()
    try:
        sources = _load(args)
        ir = build_service(sources, args.package)
        package_dir = args.out / ir.package
        previous = read_manifest(package_dir)
        files = generate_files(
            ir, use_cache=not args.no_cache, previous=previous, extensions=args.extensions
        )
    except (*_ERRORS, ManifestError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    manifest = json.loads(files[MANIFEST_NAME])
    unchanged = manifest == previous
    if args.check:
        diff = diff_package(files, package_dir)
        if diff:
            sys.stdout.write(diff)
            if not unchanged:
                print(f"\nAPI-change report: {summary_line(manifest)}", file=sys.stderr)
            print(
                f"\n{package_dir} is stale: run make generate, review the diff and commit it",
                file=sys.stderr,
            )
            return 1
        print(f"{package_dir} is up to date ({len(files)} files)")
        return 0
    changed = write_package(files, package_dir)
    elapsed = time.perf_counter() - started
    print(
        f"{ir.package}: {len(ir.operations)} operations, {len(ir.structures)} structures, "
        f"{len(ir.errors)} errors from botocore {ir.botocore_version}; "
        f"{len(changed)} file(s) changed in {package_dir} ({elapsed:.2f}s)"
    )
    for name in changed:
        print(f"  {name}")
    for operation, why in ir.skipped_paginators:
        print(f"note: no paginator generated for {operation} ({why}); pass its token by hand")
    if unchanged:
        print(
            f"API unchanged since the committed manifest: {ir.package} {manifest['package_version']} "
            f"(botocore {manifest['botocore_version']}); no new report"
        )
    else:
        print(f"\nAPI-change report ({package_dir / CHANGES_NAME}):\n")
        print(files[CHANGES_NAME], end="")
    return 0
