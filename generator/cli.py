"""``python -m generator``: generate (or check) a client package from a service model."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .build import BuildError, build_service
from .changes import summary_line
from .endpoints import RuleSetError
from .loader import ModelSources, UnsupportedProtocolError, load_files, load_service
from .manifest import CHANGES_NAME, MANIFEST_NAME, ManifestError, read_manifest
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
        package_dir = args.out / ir.package
        previous = read_manifest(package_dir)
        files = generate_files(ir, use_cache=not args.no_cache, previous=previous)
    except (UnsupportedProtocolError, BuildError, NameClashError, RuleSetError, TemplateSyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ManifestError, ValueError, OSError) as exc:
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
    if unchanged:
        print(
            f"API unchanged since the committed manifest: {ir.package} {manifest['package_version']} "
            f"(botocore {manifest['botocore_version']}); no new report"
        )
    else:
        print(f"\nAPI-change report ({package_dir / CHANGES_NAME}):\n")
        print(files[CHANGES_NAME], end="")
    return 0
