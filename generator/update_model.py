"""``python -m generator.update_model``: pin the newest botocore (and boto3) the index serves.

Used by ``make update-model`` (README "Updating the model"). Steps:

1. ask the package index for the newest final release of botocore
   (``pip index versions botocore``, the same index and options pip install uses);
2. pick the boto3 release with the same version number (boto3 and botocore are
   released in lockstep; moto drives botocore through boto3, so the two must
   agree), and fail with a clear message when the index has none;
3. resolve those two with pip (``pip install --dry-run --report``, nothing is
   installed) and raise any other pin in ``constraints.txt`` that their
   requirements no longer allow (boto3 1.44 needs ``s3transfer>=0.19,<0.20``,
   for instance) to the version pip picked; pins that still fit stay as they are;
4. rewrite those lines of ``constraints.txt``;
5. reinstall the development environment with the new pins
   (``pip install -c constraints.txt -e '.[gen,dev]'``); when pip cannot resolve
   (a newer boto3 may need a newer s3transfer, say), restore the old file and
   exit 1 with pip's message, so nothing is left half-updated.

``make update-model`` then runs ``make generate``, which prints the API-change
report. ``--dry-run`` only prints what would change.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

__all__ = [
    "all_pins",
    "choose_pins",
    "companion_pins",
    "main",
    "parse_index_versions",
    "read_pins",
    "set_pins",
]

PINNED = ("botocore", "boto3")
_PIN_LINE = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)[ \t]*$", re.MULTILINE
)


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


def all_pins(text: str) -> dict[str, tuple[str, str]]:
    """Every ``name==version`` line: ``{canonical name: (name as written, version)}``."""
    pins: dict[str, tuple[str, str]] = {}
    for match in _PIN_LINE.finditer(text):
        pins[canonicalize_name(match["name"])] = (match["name"], match["version"])
    return pins


def companion_pins(
    resolved: list[dict[str, Any]], pins: dict[str, tuple[str, str]]
) -> dict[str, str]:
    """Pins that the resolved packages' requirements no longer allow, with pip's choice.

    ``resolved`` is the ``install`` list of a ``pip install --report`` (each item's
    ``metadata`` has ``name``, ``version`` and ``requires_dist``); ``pins`` is
    :func:`all_pins`. Requirements behind an extra are ignored. Returns
    ``{name as written in constraints.txt: new version}``.
    """
    chosen = {canonicalize_name(i["metadata"]["name"]): i["metadata"]["version"] for i in resolved}
    out: dict[str, str] = {}
    for item in resolved:
        for text in item["metadata"].get("requires_dist") or []:
            try:
                req = Requirement(text)
            except InvalidRequirement:
                continue
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            name = canonicalize_name(req.name)
            if name not in pins or name not in chosen:
                continue
            written, current = pins[name]
            if not req.specifier.contains(current, prereleases=True):
                out[written] = chosen[name]
    return out


def resolve(pins: dict[str, str]) -> list[dict[str, Any]]:
    """What pip would install for ``pins`` alone (``--dry-run --report``; installs nothing)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run(
            [
                sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q",
                "--dry-run", "--ignore-installed", "--report", str(report),
                *(f"{name}=={version}" for name, version in pins.items()),
            ],
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise UpdateError(f"pip cannot resolve {pins}:\n{proc.stderr.strip()}")
        data = json.loads(report.read_text(encoding="utf-8"))
    install: list[dict[str, Any]] = data.get("install", [])
    return install


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
    try:
        pins.update(companion_pins(resolve(pins), all_pins(old_text)))
    except UpdateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    written = {canonicalize_name(name): version for name, version in all_pins(old_text).values()}
    changes = ", ".join(f"{n} {written[canonicalize_name(n)]} → {v}" for n, v in pins.items())
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
            f"error: pip could not install the new pins; {path.name} is restored. Raise the pins "
            "pip names above as well (edit constraints.txt) and rerun make update-model.",
            file=sys.stderr,
        )
        _install(path)  # put the old environment back
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
