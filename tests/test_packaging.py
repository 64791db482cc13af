"""The package people install: the sdist holds what is needed to build the wheel, the wheel
holds the client and runtime only, and the wheel installed into a fresh virtual environment
outside the checkout calls a real moto server.

The sdist is built from the checkout and the wheel from the unpacked sdist, with
setuptools' PEP 517 hooks (the pinned setuptools of this venv). The fresh venv
installs with ``--no-index --find-links``: the wheel plus its dependencies' wheels,
which ``pip download`` fetches once into ``.cache/wheelhouse`` (pins from
constraints.txt; pip's cache and the machine's package index).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = ROOT / ".cache" / "wheelhouse"
DEPENDENCIES = (
    "botocore", "urllib3", "jmespath", "python-dateutil", "six",
    # aiohttp (the async client's transport) and what it needs
    "aiohttp", "aiohappyeyeballs", "aiosignal", "attrs", "frozenlist", "multidict",
    "propcache", "yarl", "idna", "typing_extensions",
)


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _hook(hook: str, source: Path, out: Path) -> Path:
    """Run setuptools' PEP 517 ``hook`` (build_sdist / build_wheel) in ``source``."""
    code = f"import sys; from setuptools import build_meta; print(build_meta.{hook}(sys.argv[1]))"
    name = _run(sys.executable, "-c", code, out, cwd=source).strip().splitlines()[-1]
    return out / name


def _package_files() -> set[str]:
    """What the wheel must hold: every file of aws_runtime and generated/aws_support."""
    found = set()
    for root, prefix in ((ROOT / "aws_runtime", "aws_runtime"), (ROOT / "generated" / "aws_support", "aws_support")):
        for path in root.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                found.add(f"{prefix}/{path.relative_to(root).as_posix()}")
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("dist")
    sdist = _hook("build_sdist", ROOT, out)
    unpacked = tmp_path_factory.mktemp("sdist")
    with tarfile.open(sdist) as tar:
        tar.extractall(unpacked, filter="data")
    (source,) = unpacked.iterdir()
    wheel = _hook("build_wheel", source, out)
    return sdist, wheel


def test_wheel_holds_the_client_and_runtime_only(built: tuple[Path, Path]) -> None:
    sdist, wheel = built
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta_dir = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        metadata = zf.read(f"{meta_dir}/METADATA").decode()
    code = {n for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert code == _package_files()
    assert "aws_support/extensions/attachments.py" in code
    assert f"{meta_dir}/licenses/LICENSE" in names
    assert "License-Expression: Apache-2.0" in metadata
    assert "Requires-Dist: botocore" in metadata and "Requires-Dist: urllib3" in metadata
    assert "Requires-Dist: jinja2" in metadata  # only under the gen extra
    assert "Requires-Dist: jinja2; extra" in metadata.replace(">=3.1", "").replace(' == "gen"', "")

    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()}
    assert {"pyproject.toml", "README.md", "LICENSE", "PKG-INFO"} <= members
    assert {f"generated/{n}" if n.startswith("aws_support/") else n for n in _package_files()} <= members
    assert not any(m.startswith(("generator/", "tests/", "templates/", "extensions/")) for m in members)


def _wheelhouse(wheel: Path) -> Path:
    """The wheel plus its dependencies' wheels (pinned by constraints.txt), downloaded once."""
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    pins = {
        line.split("==")[0].lower(): line.strip()
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    wanted = [pins[name] for name in DEPENDENCIES]
    have = {p.name.split("-")[0].lower().replace("_", "-") for p in WHEELHOUSE.glob("*.whl")}
    if not all(name in have for name in DEPENDENCIES):
        _run(
            sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
            "--no-deps", "--only-binary", ":all:", "-d", WHEELHOUSE, *wanted,
            cwd=ROOT,
        )
    for old in WHEELHOUSE.glob("aws_codegen_support-*.whl"):
        old.unlink()
    (WHEELHOUSE / wheel.name).write_bytes(wheel.read_bytes())
    return WHEELHOUSE


SCRIPT = textwrap.dedent(
    """
    import json, sys
    import aws_support, aws_runtime
    from aws_support import SupportClient
    try:
        import generator
        shipped_generator = True
    except ImportError:
        shipped_generator = False
    with SupportClient(region_name="us-east-1", endpoint_url=sys.argv[1],
                       aws_access_key_id="AKIDWHEEL", aws_secret_access_key="wheel-secret") as client:
        case_id = client.create_case(subject="from the wheel", communication_body="installed",
                                     service_code="general-info", category_code="using-aws",
                                     severity_code="low").case_id
        cases = client.describe_cases(case_id_list=[case_id]).cases or []
    print(json.dumps({
        "support": aws_support.__file__, "runtime": aws_runtime.__file__,
        "version": aws_support.__version__, "generator": shipped_generator,
        "case_id": case_id, "subjects": [c.subject for c in cases],
        "helpers": callable(getattr(SupportClient, "upload_attachment", None)),
    }))
    """
)


def test_wheel_installs_into_a_fresh_venv_and_calls_moto(
    built: tuple[Path, Path], moto_endpoint: str, tmp_path: Path
) -> None:
    _, wheel = built
    house = _wheelhouse(wheel)
    venv = tmp_path / "venv"
    # no pip inside (ensurepip is slow): this venv's pip installs into it with --python
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTHON", "PIP_"))}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_EC2_METADATA_DISABLED="true",
        PIP_CONFIG_FILE=os.devnull,
    )
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--disable-pip-version-check",
        "-q", "--no-compile", "--no-index", "--find-links", house, "aws-codegen-support",
        cwd=tmp_path, env=env,
    )
    (tmp_path / "call.py").write_text(SCRIPT)
    result = json.loads(_run(python, "call.py", moto_endpoint, cwd=tmp_path, env=env))
    site = str(venv / "lib")
    assert result["support"].startswith(site) and result["runtime"].startswith(site)
    assert not result["generator"]
    assert result["case_id"].startswith("case-") and result["subjects"] == ["from the wheel"]
    assert result["helpers"] is True
    import aws_support

    assert result["version"] == aws_support.__version__
