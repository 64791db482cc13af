"""Small measuring helpers shared by the benchmarks: medians, child processes, machine facts."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata

__all__ = [
    "ChildRun",
    "bench_env",
    "machine_description",
    "median",
    "run_child",
]


def median(values: Sequence[float]) -> float:
    """The median of a non-empty sequence."""
    return statistics.median(values)


@dataclass(frozen=True)
class ChildRun:
    """One child process: wall seconds, peak RSS in MiB, CPU seconds, exit status, output."""

    wall: float
    peak_rss_mib: float
    cpu: float
    returncode: int
    stdout: str
    stderr: str


# Runs in a fresh `python -I -S` process (about 8 MiB): spawns the measured command,
# reaps it with wait4 and writes what wait4 reports. A measured child is never forked
# from the benchmark process itself, because Linux carries the pre-exec resident set of
# a forked parent (tens of MiB here) into the child's ru_maxrss.
_LAUNCHER = """
import json, os, sys, time
argv, out, err, result = json.loads(sys.argv[1])
actions = [
    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
    (os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
]
started = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(result, "w") as f:
    json.dump([wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime,
               os.waitstatus_to_exitcode(status)], f)
"""


def run_child(
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout: float = 1800.0,
) -> ChildRun:
    """Run ``argv`` to completion and measure it with ``wait4``.

    Wall time is taken around spawn and reap; peak RSS is the child's
    ``ru_maxrss`` (KiB on Linux), CPU time its user + system time. The
    command is spawned by a small launcher process (see ``_LAUNCHER``) so its
    peak RSS is its own. A command that itself starts processes is measured
    by its own largest resident set only: the benchmarks measure commands
    that do their work in one process.
    """
    import json
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-child-") as tmp:
        out, err, result = (os.path.join(tmp, n) for n in ("out", "err", "result.json"))
        spec = json.dumps([list(argv), out, err, result])
        subprocess.run(
            [sys.executable, "-I", "-S", "-c", _LAUNCHER, spec],
            env=dict(env) if env is not None else None,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            check=True,
            timeout=timeout,
        )
        with open(result, encoding="utf-8") as f:
            wall, maxrss_kib, cpu, returncode = json.load(f)
        with open(out, "rb") as f:
            stdout = f.read().decode("utf-8", "replace")
        with open(err, "rb") as f:
            stderr = f.read().decode("utf-8", "replace")
    return ChildRun(wall, maxrss_kib / 1024, cpu, returncode, stdout, stderr)


def bench_env(home: str) -> dict[str, str]:
    """The environment for child processes: no AWS settings or files from this machine.

    ``home`` is an empty temporary folder used as ``HOME``, so neither boto3
    nor this client finds a shared config or credentials file.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BOTO"))}
    env.update(
        HOME=home,
        AWS_CONFIG_FILE=os.path.join(home, "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONHASHSEED="0",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_description(extra_versions: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """``(label, value)`` rows: CPU, cores, OS, Python and the versions of the packages compared."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    rows = [
        ("CPU", _cpu_model()),
        ("cores", f"{os.cpu_count()} logical, {usable} usable by this process"),
        ("load average at start (1, 5, 15 min)", load),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
    ]
    for dist in ("aws-codegen-support", "urllib3", "boto3", "botocore", "black", "Jinja2"):
        rows.append((dist, _version(dist)))
    for name, value in (extra_versions or {}).items():
        rows.append((name, value))
    return rows
