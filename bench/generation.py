"""Generation: ``python -m generator`` vs ``mypy_boto3_builder``, each in a fresh process.

* ours, cold: a new output folder and an empty black cache
  (``AWS_CODEGEN_CACHE`` points at a new, empty folder);
* ours, rerun: the same command again on the same output folder and cache,
  with no model change (it must report ``0 file(s) changed``);
* mypy_boto3_builder: ``<builder> OUT --no-smart-version -b <botocore version>
  --product boto3-services -s <service>`` (offline: no PyPI look-ups), into a
  new output folder, from its own virtualenv (``make bench`` creates it) so it
  never touches this project's pinned packages.

Runs alternate between the sides. Wall time from fork to reap, peak RSS
and CPU time (user + system) of the child from ``wait4``.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .util import ChildRun, bench_env, median, run_child

__all__ = ["GenResult", "ModelInfo", "builder_version", "measure_generation", "model_info"]

_CHANGED = re.compile(r"(\d+) file\(s\) changed")


@dataclass
class GenResult:
    """Wall seconds, peak RSS (MiB) and CPU seconds of each run of one side."""

    side: str
    service: str
    walls: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    error: str | None = None

    def add(self, child: ChildRun) -> None:
        self.walls.append(child.wall)
        self.rss.append(child.peak_rss_mib)
        self.cpu.append(child.cpu)

    @property
    def wall(self) -> float:
        return median(self.walls)

    @property
    def peak_rss(self) -> float:
        return median(self.rss)

    @property
    def cpu_time(self) -> float:
        return median(self.cpu)


@dataclass(frozen=True)
class ModelInfo:
    """Size of a botocore service model: protocol, operations, shapes, JSON size in KiB."""

    service: str
    protocol: str
    operations: int
    shapes: int
    kib: float


def model_info(service: str) -> ModelInfo:
    """Read the newest ``service-2.json`` of ``service`` through botocore's loader."""
    import botocore.loaders

    loader = botocore.loaders.Loader()
    version = loader.determine_latest_version(service, "service-2")
    model = loader.load_service_model(service, "service-2", version)
    size = len(json.dumps(model).encode())
    return ModelInfo(
        service,
        model["metadata"].get("protocol", "?"),
        len(model.get("operations", {})),
        len(model.get("shapes", {})),
        size / 1024,
    )


def builder_version(builder: str) -> str:
    """``mypy_boto3_builder --version`` output (its first line)."""
    child = run_child([builder, "--version"], timeout=120)
    return (child.stdout or child.stderr).strip().splitlines()[0] if child.returncode == 0 else "?"


def _ours(service: str, out: Path, cache: Path, env: dict[str, str]) -> ChildRun:
    env = dict(env, AWS_CODEGEN_CACHE=str(cache))
    argv = [sys.executable, "-m", "generator", "--service", service, "--out", str(out)]
    return run_child(argv, env=env, cwd=str(Path(__file__).resolve().parent.parent))


def measure_generation(
    services: list[str],
    runs: int,
    builder: str | None,
    botocore_version: str,
) -> dict[str, dict[str, GenResult]]:
    """``{service: {side: GenResult}}`` for sides ``cold``, ``rerun`` and ``builder``.

    A side that fails keeps the first error message (stderr tail) and stops
    being run for that service; the others go on.
    """
    results: dict[str, dict[str, GenResult]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-gen-") as tmp:
        root = Path(tmp)
        home = root / "home"
        home.mkdir()
        env = bench_env(str(home))
        for service in services:
            sides = {name: GenResult(name, service) for name in ("cold", "rerun", "builder")}
            if builder is None:
                sides["builder"].error = "not run"
            results[service] = sides
            for run in range(runs):
                base = root / f"{service}-{run}"
                if sides["cold"].error is None:
                    out, cache = base / "out", base / "cache"
                    cache.mkdir(parents=True)
                    child = _ours(service, out, cache, env)
                    if child.returncode != 0:
                        sides["cold"].error = sides["rerun"].error = _tail(child.stderr)
                    else:
                        sides["cold"].add(child)
                        again = _ours(service, out, cache, env)
                        changed = _CHANGED.search(again.stdout)
                        if again.returncode != 0 or not changed or changed.group(1) != "0":
                            sides["rerun"].error = "rerun changed files: " + _tail(
                                again.stdout + again.stderr
                            )
                        elif sides["rerun"].error is None:
                            sides["rerun"].add(again)
                if sides["builder"].error is None:
                    target = base / "builder"
                    argv = [
                        builder,
                        str(target),
                        "--no-smart-version",
                        "-b",
                        botocore_version,
                        "--product",
                        "boto3-services",
                        "-s",
                        service,
                    ]
                    child = run_child(argv, env=env, cwd=str(root))
                    if child.returncode != 0 or not any(target.rglob("client.pyi")):
                        sides["builder"].error = _tail(child.stderr or child.stdout)
                    else:
                        sides["builder"].add(child)
                _rmtree(base)
    return results


def _tail(text: str, limit: int = 300) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    tail = lines[-1] if lines else "(no output)"
    return tail if len(tail) <= limit else tail[: limit - 3] + "..."


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
