"""``python -m generator.update_model``: pin the newest botocore (and boto3) the index serves.

Used by ``make update-model`` (README "Updating the model"). Steps:

1. ask the package index for the newest final release of botocore
   (``pip index versions botocore``, the same index and options pip install uses);
2. pick the boto3 release with the same version number (boto3 and botocore are
   released in lockstep; moto drives botocore through boto3, so the two must
   agree), and fail with a clear message when the index has none;
3. rewrite the ``botocore==`` and ``boto3==`` lines of ``constraints.txt``;
4. reinstall the development environment with the new pins
   (``pip install -c constraints.txt -e '.[gen,dev]'``); when pip cannot resolve
   (a newer boto3 may need a newer s3transfer, say), restore the old file and
   exit 1 with pip's message, so nothing is left half-updated.

``make update-model`` then runs ``make generate``, which prints the API-change
report. ``--dry-run`` only prints what would change.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

__all__ = ["choose_pins", "main", "parse_index_versions", "read_pins", "set_pins"]

PINNED = ("botocore", "boto3")


class UpdateError(RuntimeError):
    """The update cannot go ahead (the message says why and what to do)."""


def parse_index_versions(output: str) -> list[Version]:
    """Versions from ``pip index versions NAME`` output, newest first, pre-releases dropped.

    The output has a line ``Available versions: 1.44.8, 1.44.7, ...``.
    """
    for line in output.splitlines():
        if line.startswith("Available versions:"):
            found: list[Version] = []
            for text in line.partition(":")[2].split(","):
                try:
                    version = Version(text.strip())
                except InvalidVersion:
                    continue
                if not version.is_prerelease and not version.is_devrelease:
                    found.append(version)
            return sorted(found, reverse=True)
    raise UpdateError(f"no 'Available versions:' line in pip's answer:\n{output.strip()}")


def index_versions(package: str) -> list[Version]:
    """Ask the configured package index (through pip) which releases of ``package`` it serves."""
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", package, "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise UpdateError(f"pip index versions {package} failed:\n{proc.stderr.strip()}")
    return parse_index_versions(proc.stdout)


def _line_re(name: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(name)}==(?P<version>\S+)[ \t]*$", re.IGNORECASE | re.MULTILINE)


def read_pins(text: str) -> dict[str, str]:
    """``{name: version}`` for the :data:`PINNED` packages in constraints text."""
    pins: dict[str, str] = {}
    for name in PINNED:
        match = _line_re(name).search(text)
        if match is None:
            raise UpdateError(f"constraints.txt has no '{name}==' line")
        pins[name] = match["version"]
    return pins


def set_pins(text: str, pins: dict[str, str]) -> str:
    """``text`` with each ``name==old`` line replaced by ``name==new`` (exactly one line each)."""
    for name, version in pins.items():
        text, count = _line_re(name).subn(f"{name}=={version}", text)
        if count != 1:
            raise UpdateError(
                f"constraints.txt must have exactly one '{name}==' line, found {count}"
            )
    return text


def choose_pins(botocore: list[Version], boto3: list[Version]) -> dict[str, str]:
    """The newest botocore release and the boto3 release with the same number."""
    if not botocore:
        raise UpdateError("the package index serves no final botocore release")
    newest = botocore[0]
    if newest not in boto3:
        raise UpdateError(
            f"the index serves botocore {newest} but no boto3 {newest}; boto3 and botocore are "
            "released together, so wait for it or pin both by hand"
        )
    return {"botocore": str(newest), "boto3": str(newest)}


def _install(constraints: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "-c",
            str(constraints),
            "-e",
            ".[gen,dev]",
        ],
        cwd=constraints.parent,
        capture_output=True,
        text=True,
        check=False,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m generator.update_model", description=__doc__.split("\n")[0]
    )
    p.add_argument("--constraints", type=Path, default=Path("constraints.txt"))
    p.add_argument("--dry-run", action="store_true", help="print the new pins; change nothing")
    args = p.parse_args(argv)
    path: Path = args.constraints.resolve()
    try:
        old_text = path.read_text(encoding="utf-8")
        current = read_pins(old_text)
        pins = choose_pins(index_versions("botocore"), index_versions("boto3"))
    except (OSError, UpdateError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if pins == current:
        print(
            f"botocore {current['botocore']} and boto3 {current['boto3']} are the newest releases: pins unchanged"
        )
        return 0
    changes = ", ".join(f"{n} {current[n]} → {pins[n]}" for n in PINNED)
    if args.dry_run:
        print(f"would pin {changes}")
        return 0
    path.write_text(set_pins(old_text, pins), encoding="utf-8")
    print(f"pinned {changes} in {path.name}; reinstalling")
    proc = _install(path)
    if proc.returncode != 0:
        path.write_text(old_text, encoding="utf-8")
        print(proc.stdout + proc.stderr, file=sys.stderr)
        print(
            f"error: pip could not install the new pins; {path.name} is restored. Bump the pins pip "
            "names above as well (edit constraints.txt) and rerun make update-model.",
            file=sys.stderr,
        )
        _install(path)  # put the old environment back
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
