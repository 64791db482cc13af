"""``python -m generator``: generate (or check) a client package from a service model."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .build import BuildError, build_service
from .endpoints import RuleSetError
from .loader import ModelSources, UnsupportedProtocolError, load_files, load_service
from .naming import NameClashError
from .writer import TemplateSyntaxError, diff_package, generate_files, write_package

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate a typed Python client package from an AWS JSON-protocol service model.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--service", help="botocore service name, e.g. support")
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
    p.add_argument("--no-cache", action="store_true", help="do not use the black output cache")
    return p


def _load(args: argparse.Namespace) -> ModelSources:
    if args.service:
        return load_service(args.service, args.api_version)
    return load_files(args.model, args.paginators, args.ruleset, args.name)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    started = time.perf_counter()
    try:
        sources = _load(args)
        ir = build_service(sources, args.package)
        files = generate_files(ir, use_cache=not args.no_cache)
    except (UnsupportedProtocolError, BuildError, NameClashError, RuleSetError, TemplateSyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    package_dir = args.out / ir.package
    if args.check:
        diff = diff_package(files, package_dir)
        if diff:
            sys.stdout.write(diff)
            print(f"\n{package_dir} is stale: run `make generate`", file=sys.stderr)
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
    return 0
