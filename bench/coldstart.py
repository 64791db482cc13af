"""Cold start: a fresh interpreter that imports a client package and builds one client.

Each side is a ``python -c`` one-liner with an empty ``HOME`` and no AWS
settings (see :func:`bench.util.bench_env`); bytecode caches are warm (one
untimed run of each first), as for any installed package. Wall time is
measured from spawn to reap; peak RSS is the child's ``ru_maxrss``. The sides
take turns, run by run.

The interpreter is a throwaway virtualenv (no pip) whose one ``.pth`` file
lists plain folders: this repository, ``generated/`` and the project venv's
site-packages. Packages then import as from a regular install. The project
venv itself has an editable install whose ``.pth`` hook imports a finder
(and ``pathlib``) at every interpreter start, which would add the same
10-30 ms to every side, boto3 and bare urllib3 included.
"""

from __future__ import annotations

import os
import subprocess
import sysconfig
import tempfile
import venv
from dataclasses import dataclass
from pathlib import Path

from .calls import ACCESS_KEY, REGION, SECRET_KEY
from .util import bench_env, median, run_child

__all__ = ["COMMANDS", "ColdResult", "measure_cold_start", "plain_venv"]

ROOT = Path(__file__).resolve().parent.parent

_KEYS = f"region_name={REGION!r}, aws_access_key_id={ACCESS_KEY!r}, aws_secret_access_key={SECRET_KEY!r}"

COMMANDS: dict[str, str] = {
    "ours": f"from aws_support import SupportClient; SupportClient({_KEYS})",
    "boto3": f"import boto3; boto3.client('support', {_KEYS})",
    "urllib3": "import urllib3",
    "floor": "import urllib3; urllib3.PoolManager()",
}
"""The ``python -c`` program of each side (``floor``: issue 12's floor process)."""

ENV_COMMANDS: dict[str, str] = {
    "ours_env": (
        "from aws_support import SupportClient; "
        "SupportClient(region_name={region!r}, endpoint_url={url!r})"
        ".create_case(subject='s', communication_body='b')"
    ),
    "boto3_env": (
        "import boto3; boto3.client('support', region_name={region!r}, endpoint_url={url!r})"
        ".create_case(subject='s', communicationBody='b')"
    ),
}
"""Keys in ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` (the credential chain's first
step) and one CreateCase call against the canned server."""


@dataclass(frozen=True)
class ColdResult:
    """Medians over ``runs`` runs: wall seconds, peak RSS (MiB), CPU seconds; wall and RSS extremes."""

    side: str
    runs: int
    wall: float
    wall_min: float
    wall_max: float
    rss: float
    rss_max: float
    cpu: float


def plain_venv(path: str) -> str:
    """Create a pip-less venv that sees this project's packages without import hooks.

    Returns the path of its ``python``.
    """
    venv.EnvBuilder(with_pip=False, symlinks=True).create(path)
    python = os.path.join(path, "bin", "python")
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    own = sysconfig.get_paths()["purelib"]  # the project venv running the benchmarks
    with open(os.path.join(purelib, "bench-paths.pth"), "w", encoding="utf-8") as f:
        f.write("\n".join([str(ROOT), str(ROOT / "generated"), own]) + "\n")
    return python


def measure_cold_start(runs: int, url: str | None = None) -> list[ColdResult]:
    """Run every command ``runs`` times, alternating; raises if one fails. With ``url``
    (the canned server), also the environment-key commands making one call."""
    programs = dict(COMMANDS)
    if url is not None:
        programs.update({k: v.format(region=REGION, url=url) for k, v in ENV_COMMANDS.items()})
    walls: dict[str, list[float]] = {side: [] for side in programs}
    rss: dict[str, list[float]] = {side: [] for side in programs}
    cpu: dict[str, list[float]] = {side: [] for side in programs}
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        home = os.path.join(tmp, "home")
        os.mkdir(home)
        env = bench_env(home)
        keyed = {**env, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        python = plain_venv(os.path.join(tmp, "venv"))
        for timed in [False] + [True] * runs:
            for side, program in programs.items():
                child = run_child(
                    [python, "-c", program], env=keyed if side.endswith("_env") else env
                )
                if child.returncode != 0:
                    raise RuntimeError(f"cold start {side} failed:\n{child.stderr}")
                if timed:
                    walls[side].append(child.wall)
                    rss[side].append(child.peak_rss_mib)
                    cpu[side].append(child.cpu)
    return [
        ColdResult(
            side,
            runs,
            median(walls[side]),
            min(walls[side]),
            max(walls[side]),
            median(rss[side]),
            max(rss[side]),
            median(cpu[side]),
        )
        for side in programs
    ]
