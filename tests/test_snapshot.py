"""The committed package equals a fresh generation, and generation is deterministic."""

from __future__ import annotations

from pathlib import Path

from conftest import GENERATED

from generator.build import build_service
from generator.loader import load_service
from generator.manifest import read_manifest
from generator.writer import diff_package, generate_files, write_package


def test_generated_support_package_is_up_to_date(tmp_path: Path) -> None:
    previous = read_manifest(GENERATED / "aws_support")
    files = generate_files(build_service(load_service("support")), previous=previous)
    write_package(files, tmp_path / "aws_support")
    diff = diff_package(files, GENERATED / "aws_support")
    assert not diff, f"generated/ is stale, run `make generate`:\n{diff}"
    for name, text in files.items():
        assert (tmp_path / "aws_support" / name).read_text() == text


def test_two_runs_are_byte_identical_without_cache(tmp_path: Path) -> None:
    ir = build_service(load_service("support"))
    first = generate_files(ir, use_cache=False)
    second = generate_files(build_service(load_service("support")), use_cache=False)
    assert first == second
    assert sorted(first) == [
        "CHANGES.md",
        "__init__.py",
        "_manifest.json",
        "_serde.py",
        "client.py",
        "endpoints.py",
        "errors.py",
        "extensions/__init__.py",  # hand-written modules of extensions/support, copied
        "extensions/_transfer.py",
        "extensions/attachments.py",
        "models.py",
        "paginators.py",
        "py.typed",
    ]


def test_stale_files_are_removed_and_reported(tmp_path: Path) -> None:
    files = generate_files(build_service(load_service("support")))
    package = tmp_path / "aws_support"
    write_package(files, package)
    (package / "old_module.py").write_text("x = 1\n")
    (package / "models.py").write_text("tampered\n")
    diff = diff_package(files, package)
    assert "--- a/aws_support/old_module.py" in diff
    assert "+++ /dev/null" in diff
    assert "-tampered" in diff
    changed = write_package(files, package)
    assert sorted(changed) == ["models.py", "old_module.py (removed)"]
    assert not (package / "old_module.py").exists()
    assert diff_package(files, package) == ""


def test_header_records_botocore_version_and_model_hash_not_time() -> None:
    import re

    import botocore

    import aws_support

    init = (GENERATED / "aws_support" / "__init__.py").read_text()
    assert aws_support.BOTOCORE_VERSION == botocore.__version__
    assert re.fullmatch(r"[0-9a-f]{64}", aws_support.MODEL_SHA256)
    assert aws_support.MODEL_SHA256 in init
    package = GENERATED / "aws_support"
    outputs = [*package.glob("*.py"), package / "_manifest.json", package / "CHANGES.md"]
    for text in (p.read_text() for p in outputs):
        assert not re.search(r"20\d\d-\d\d-\d\d[T ]\d\d:\d\d", text), "no timestamps in output"
