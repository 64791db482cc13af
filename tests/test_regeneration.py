"""Regeneration workflow: API manifest, API-change report, versioning, stale check, model bump.

The real case uses two fixture manifests (tests/fixtures/manifests): the Support
model of botocore 1.43.11 (16 operations; the copy in the shared conformance
data) and of botocore 1.44.8 (20 operations). They are data derived from the
models by this generator; refresh them with
``UPDATE_EXPECTED=1 pytest tests/test_regeneration.py`` (needs the conformance
data and botocore 1.44.8 installed) and review the diff.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CONFORMANCE, GENERATED, ROOT

from generator import cli
from generator.build import build_service
from generator.changes import Change, bump_level, bump_version, diff_manifests, render_changes
from generator.loader import load_files, load_service
from generator.manifest import (
    CHANGES_NAME,
    INITIAL_VERSION,
    MANIFEST_NAME,
    ManifestError,
    dumps,
    plan_release,
    read_manifest,
    release_manifest,
    surface,
)
from generator.update_model import (
    UpdateError,
    all_pins,
    choose_pins,
    companion_pins,
    parse_index_versions,
    read_pins,
    set_pins,
)
from generator.writer import diff_package, generate_files, write_package

FIXTURES = Path(__file__).parent / "fixtures" / "manifests"
OLD = FIXTURES / "support-1.43.11.json"
NEW = FIXTURES / "support-1.44.8.json"
REPORT = FIXTURES / "CHANGES-1.43.11-to-1.44.8.md"
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"
NEW_OPERATIONS = {
    "GetAttachmentUploadLinks",
    "CompleteAttachmentUpload",
    "DescribeAttachmentUploadStatus",
    "GetAttachmentDownloadLink",
}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def check_or_update(path: Path, text: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert (
        path.read_text(encoding="utf-8") == text
    ), f"{path.name} is stale; refresh with UPDATE_EXPECTED=1"


# ------------------------------------------------------------ fixtures are honest


def test_fixture_1_43_11_is_what_the_generator_derives_from_that_model() -> None:
    model = CONFORMANCE / "botocore-data" / "support" / "2013-04-15" / "service-2.json"
    if not model.is_file():
        pytest.skip(f"conformance data not found ({model})")
    sources = dataclasses.replace(load_files(model), botocore_version="1.43.11")
    manifest = release_manifest(build_service(sources), None)
    assert len(manifest["operations"]) == 16
    check_or_update(OLD, dumps(manifest))


def test_fixture_1_44_8_is_what_the_generator_derives_from_the_pinned_model() -> None:
    import botocore

    if botocore.__version__ != "1.44.8":
        pytest.skip(
            f"fixture is botocore 1.44.8's model; botocore {botocore.__version__} is installed"
        )
    manifest = release_manifest(build_service(load_service("support")), None)
    assert len(manifest["operations"]) == 20
    check_or_update(NEW, dumps(manifest))


# --------------------------------------------------------- the real 1.43 → 1.44 case


@pytest.fixture(scope="module")
def bumped() -> dict[str, Any]:
    """The 1.44.8 manifest released on top of the committed 1.43.11 one."""
    return plan_release(load(NEW), load(OLD))


def test_real_case_is_a_minor_bump_with_four_new_operations(bumped: dict[str, Any]) -> None:
    assert bumped["package_version"] == "1.1.0"
    release = bumped["release"]
    assert release["bump"] == "minor"
    assert release["previous"] == {
        "package_version": "1.0.0",
        "botocore_version": "1.43.11",
        "model_sha256": load(OLD)["model_sha256"],
    }
    changes = [Change.from_json(c) for c in release["changes"]]
    assert [c for c in changes if c.breaking] == []
    assert {c.level for c in changes} == {"minor"}
    added_ops = {c.subject for c in changes if c.section == "operations" and c.kind == "added"}
    assert added_ops == NEW_OPERATIONS
    text = {c.subject: c.text for c in changes if c.kind == "added"}
    assert text["GetAttachmentUploadLinks"] == (
        "Added operation `GetAttachmentUploadLinks` (`client.get_attachment_upload_links`); "
        "input `GetAttachmentUploadLinksRequest`; output `GetAttachmentUploadLinksResponse`; "
        "errors `InternalServerError`, `DryRunOperationException`, `UploadIdNotFound`."
    )
    assert {c.subject for c in changes if c.section == "errors" and c.kind == "added"} == {
        "DryRunOperationException",
        "UploadIdNotFound",
    }
    new_shapes = {c.subject for c in changes if c.section == "structures" and c.kind == "added"}
    assert new_shapes == {
        "CompleteAttachmentUploadRequest", "CompleteAttachmentUploadResponse", "CompletedUpload",
        "DescribeAttachmentUploadStatusRequest", "DescribeAttachmentUploadStatusResponse",
        "DownloadUrl", "GetAttachmentDownloadLinkRequest", "GetAttachmentDownloadLinkResponse",
        "GetAttachmentUploadLinksRequest", "GetAttachmentUploadLinksResponse", "ThrottlingReason",
        "UploadProgress", "UploadRange", "UploadUrl",
    }  # fmt: skip
    assert {c.subject for c in changes if c.section == "enums"} == {"UploadStatus"}


def test_real_case_lists_new_members_and_errors_on_existing_operations(
    bumped: dict[str, Any],
) -> None:
    changes = [Change.from_json(c) for c in bumped["release"]["changes"]]
    members = {
        c.subject: c for c in changes if c.section in ("structures", "errors") and "." in c.subject
    }
    # dryRun on every request of the 11 old operations that have input; uploadIds on two.
    assert sorted(s for s in members if s.endswith(".dryRun")) == sorted(
        f"{op}Request.dryRun"
        for op in (
            "AddAttachmentsToSet", "AddCommunicationToCase", "CreateCase", "DescribeAttachment",
            "DescribeCases", "DescribeCommunications", "DescribeCreateCaseOptions",
            "DescribeServices", "DescribeSeverityLevels", "DescribeSupportedLanguages", "ResolveCase",
        )
    )  # fmt: skip
    assert members["CreateCaseRequest.uploadIds"].text == (
        "`CreateCaseRequest.uploadIds` added, optional: `upload_ids: list[str]` "
        "(items 0..10, each item's length 1..2048)."
    )
    assert members["Communication.attachments"].text == (
        "`Communication.attachments` added: `attachments: list[AttachmentDetails]`."
    )
    assert members["ThrottlingException.throttlingReasons"].section == "errors"
    raises = {
        c.subject for c in changes if c.text.endswith("can now raise `DryRunOperationException`.")
    }
    assert len(raises) == 11 and not raises & NEW_OPERATIONS
    assert len(changes) == 47


def test_real_case_report_text(bumped: dict[str, Any]) -> None:
    report = render_changes(bumped)
    check_or_update(REPORT, report)
    assert "## 1.1.0 (minor): botocore 1.43.11 → 1.44.8" in report
    assert "None: existing callers keep working." in report
    assert "**breaking**" not in report
    for op in NEW_OPERATIONS:
        assert f"Added operation `{op}`" in report
    assert "Added error `UploadIdNotFound`" in report


def test_regenerating_the_same_model_keeps_version_and_report(bumped: dict[str, Any]) -> None:
    again = plan_release(load(NEW), bumped)
    assert again == bumped
    assert render_changes(again) == render_changes(bumped)
    assert dumps(again) == dumps(bumped)


def test_manifest_json_is_sorted_and_stable(bumped: dict[str, Any]) -> None:
    text = dumps(bumped)
    assert json.loads(text) == bumped
    assert text == dumps(json.loads(text))
    assert list(json.loads(text)) == sorted(bumped)
    lines = text.splitlines()
    assert (
        '        "uploadIds": {"py_name": "upload_ids", "required": false, "type": {"element": '
        in "\n".join(lines)
    )


# ------------------------------------------------------------- classification


def mutated(edit: Any) -> dict[str, Any]:
    new = copy.deepcopy(load(NEW))
    edit(new)
    return new


def member(m: dict[str, Any], shape: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = m["structures"][shape]["members"][name]
    return found


CASES: list[tuple[str, Any, str, str]] = [
    (
        "operation removed",
        lambda m: m["operations"].pop("ResolveCase"),
        "major",
        "Removed operation `ResolveCase`",
    ),
    (
        "request member removed",
        lambda m: m["structures"]["CreateCaseRequest"]["members"].pop("language"),
        "major",
        "`CreateCaseRequest.language` (`language`) removed.",
    ),
    (
        "reply member removed",
        lambda m: m["structures"]["CaseDetails"]["members"].pop("status"),
        "major",
        "`CaseDetails.status` (`status`) removed.",
    ),
    (
        "request member optional to required",
        lambda m: member(m, "CreateCaseRequest", "language").update(required=True),
        "major",
        "`CreateCaseRequest.language`: optional → **required** in requests.",
    ),
    (
        "reply member optional to required",
        lambda m: member(m, "CaseDetails", "status").update(required=True),
        "patch",
        "`CaseDetails.status`: optional → required (replies only: not enforced).",
    ),
    (
        "request member required to optional",
        lambda m: member(m, "CreateCaseRequest", "subject").update(required=False),
        "patch",
        "`CreateCaseRequest.subject`: required → optional.",
    ),
    (
        "request max narrowed",
        lambda m: member(m, "CreateCaseRequest", "communicationBody")["type"].update(max=5000),
        "major",
        (
            "`CreateCaseRequest.communicationBody`: max length 8000 → 5000 (narrowed): requests the old "
            "limit allowed are now rejected."
        ),
    ),
    (
        "request max widened",
        lambda m: member(m, "CreateCaseRequest", "communicationBody")["type"].update(max=9000),
        "patch",
        "`CreateCaseRequest.communicationBody`: max length 8000 → 9000 (widened).",
    ),
    (
        "request min added",
        lambda m: member(m, "CreateCaseRequest", "subject")["type"].update(min=3),
        "major",
        "`CreateCaseRequest.subject`: min length none → 3 (narrowed)",
    ),
    (
        "request list item limit narrowed",
        lambda m: member(m, "CreateCaseRequest", "ccEmailAddresses")["type"]["element"].update(
            max=64
        ),
        "major",
        "`CreateCaseRequest.ccEmailAddresses[]`: max length none → 64 (narrowed)",
    ),
    (
        "reply limit narrowed",
        lambda m: member(m, "DownloadUrl", "expiryDate")["type"].update(max=20),
        "patch",
        "`DownloadUrl.expiryDate`: max length 30 → 20 (narrowed) (replies only: not enforced).",
    ),
    (
        "type change",
        lambda m: member(m, "CreateCaseRequest", "language")["type"].update(kind="integer"),
        "major",
        "`CreateCaseRequest.language`: type `str` → `int`.",
    ),
    (
        "element class change",
        lambda m: member(m, "Communication", "attachmentSet")["type"]["element"].update(
            {"class": "Other"}
        ),
        "major",
        "`Communication.attachmentSet`: type `list[AttachmentDetails]` → `list[Other]`.",
    ),
    (
        "required request member added",
        lambda m: m["structures"]["ResolveCaseRequest"]["members"].update(
            reason={"py_name": "reason", "required": True, "type": {"kind": "string"}}
        ),
        "major",
        "`ResolveCaseRequest.reason` added as a **required** request member: `reason: str` (required).",
    ),
    (
        "Python name change",
        lambda m: member(m, "CreateCaseRequest", "language").update(py_name="lang"),
        "major",
        "`CreateCaseRequest.language`: Python name `language` → `lang`.",
    ),
    (
        "enum value removed",
        lambda m: m["enums"]["UploadStatus"]["values"].remove("failed"),
        "major",
        "`UploadStatus`: values removed: `failed`.",
    ),
    (
        "enum value added",
        lambda m: m["enums"]["UploadStatus"]["values"].append("expired"),
        "minor",
        "`UploadStatus`: values added: `expired`.",
    ),
    (
        "error class removed",
        lambda m: m["errors"].pop("UploadIdNotFound"),
        "major",
        "Removed error `UploadIdNotFound`.",
    ),
    (
        "error no longer listed by an operation",
        lambda m: m["operations"]["ResolveCase"]["errors"].remove("CaseIdNotFound"),
        "patch",
        "`ResolveCase` no longer lists `CaseIdNotFound`.",
    ),
    (
        "error member removed",
        lambda m: m["errors"]["ThrottlingException"]["members"].pop("throttlingReasons"),
        "major",
        "`ThrottlingException.throttlingReasons` (`throttling_reasons`) removed.",
    ),
    (
        "paginator removed",
        lambda m: m["operations"]["DescribeCases"].update(paginator=None),
        "major",
        (
            "`DescribeCases`: paginator removed (`client.describe_cases_pages`, "
            "`client.describe_cases_items`, `DescribeCasesPaginator`)."
        ),
    ),
    (
        "paginator methods renamed",
        lambda m: m["operations"]["DescribeCases"]["paginator"].update(items_method="cases_items"),
        "major",
        (
            "`DescribeCases`: paginator names `client.describe_cases_pages`, "
            "`client.describe_cases_items`, `DescribeCasesPaginator` → `client.describe_cases_pages`, "
            "`client.cases_items`, `DescribeCasesPaginator`."
        ),
    ),
    (
        "paginator limit key changed",
        lambda m: m["operations"]["DescribeCases"]["paginator"].update(limit_key=None),
        "patch",
        "`DescribeCases`: paginator limit_key `maxResults` → `None`.",
    ),
    (
        "paginator added",
        lambda m: m["operations"]["DescribeServices"].update(
            paginator={
                "class": "DescribeServicesPaginator",
                "pages_method": "describe_services_pages",
                "items_method": "describe_services_items",
                "input_token": "nextToken",
                "output_token": "nextToken",
                "result_key": "services",
                "limit_key": None,
                "item": {"kind": "structure", "class": "Service"},
            }
        ),
        "minor",
        (
            "`DescribeServices`: paginator added (`client.describe_services_pages`, "
            "`client.describe_services_items`, `DescribeServicesPaginator`), pages through "
            "`services` of `Service`."
        ),
    ),
    (
        "structure removed",
        lambda m: m["structures"].pop("UploadRange"),
        "major",
        "Removed structure `UploadRange`.",
    ),
    (
        "method renamed",
        lambda m: m["operations"]["ResolveCase"].update(method="resolve_case_"),
        "major",
        "`ResolveCase`: method `resolve_case` → `resolve_case_`.",
    ),
    (
        "operation deprecated",
        lambda m: m["operations"]["ResolveCase"].update(deprecated=True),
        "patch",
        "`ResolveCase`: deprecated.",
    ),
]


@pytest.mark.parametrize(
    ("edit", "level", "text"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_change_classification(edit: Any, level: str, text: str) -> None:
    old = load(NEW)
    changes = diff_manifests(old, mutated(edit))
    assert len(changes) == 1, changes
    assert changes[0].level == level
    assert text in changes[0].text
    assert changes[0].breaking is (level == "major")
    assert bump_level(changes) == level


def test_breaking_change_is_a_major_bump_and_labelled_in_the_report() -> None:
    previous = plan_release(load(NEW), None)
    new = mutated(lambda m: (m["operations"].pop("ResolveCase"), m.update(model_sha256="f" * 64)))
    released = plan_release(new, previous)
    assert released["package_version"] == "2.0.0"
    report = render_changes(released)
    assert "## 2.0.0 (major)" in report
    assert "- **breaking**: Removed operation `ResolveCase` (`client.resolve_case`)." in report
    assert "### Breaking changes\n\n- Removed operation `ResolveCase`" in report


def test_new_model_without_api_change_is_a_patch() -> None:
    previous = plan_release(load(NEW), None)
    released = plan_release(
        mutated(lambda m: m.update(model_sha256="e" * 64, botocore_version="1.44.9")), previous
    )
    assert released["package_version"] == "1.0.1"
    assert released["release"]["bump"] == "patch"
    assert released["release"]["changes"] == []
    report = render_changes(released)
    assert "No API changes since botocore 1.44.8: the model changed only in documentation" in report
    same_model = plan_release(mutated(lambda m: m.update(botocore_version="1.44.9")), previous)
    assert same_model["package_version"] == "1.0.1"
    assert "No API changes since botocore 1.44.8: the model is unchanged." in render_changes(
        same_model
    )


def test_first_manifest_starts_at_1_0_0() -> None:
    first = plan_release(load(OLD), None)
    assert first["package_version"] == INITIAL_VERSION == "1.0.0"
    assert first["release"] == {"bump": "initial", "previous": None, "changes": []}
    report = render_changes(first)
    assert "## 1.0.0: botocore 1.43.11" in report
    assert "16 operations, 52 structures, 0 enums, 10 errors, 2 paginators" in report


def test_other_manifest_format_is_not_compared() -> None:
    previous = {**plan_release(load(OLD), None), "format": 0, "package_version": "3.1.4"}
    released = plan_release(load(NEW), previous)
    assert released["package_version"] == "3.1.4"
    assert released["release"]["bump"] == "none"
    assert "format 0" in released["release"]["note"]
    assert plan_release(load(NEW), released) == released


@pytest.mark.parametrize(
    ("version", "level", "expected"),
    [
        ("1.4.2", "major", "2.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("1.4.2", "patch", "1.4.3"),
        ("0.9.9", "minor", "0.10.0"),
    ],
)
def test_bump_version(version: str, level: str, expected: str) -> None:
    assert bump_version(version, level) == expected


def test_bump_version_rejects_non_semver() -> None:
    with pytest.raises(ValueError, match=r"'1\.4' is not MAJOR\.MINOR\.PATCH"):
        bump_version("1.4", "minor")


def test_unreadable_committed_manifest_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(ManifestError, match="is not valid JSON.*restore it from git"):
        read_manifest(tmp_path)
    assert read_manifest(tmp_path / "missing") is None


# --------------------------------------------------- the committed package and the CLI


def test_committed_manifest_matches_package_metadata() -> None:
    import importlib.metadata

    import aws_support

    manifest = read_manifest(GENERATED / "aws_support")
    assert manifest is not None
    assert aws_support.__version__ == manifest["package_version"]
    assert aws_support.BOTOCORE_VERSION == manifest["botocore_version"]
    assert aws_support.MODEL_SHA256 == manifest["model_sha256"]
    assert (GENERATED / "aws_support" / CHANGES_NAME).read_text() == render_changes(manifest)
    # pyproject's version is aws_support.__version__ (dynamic), so the installed metadata agrees.
    installed = importlib.metadata.version("aws-codegen-support")
    assert installed == aws_support.__version__, "installed metadata is stale: make test reinstalls"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "aws_support.__version__" }' in pyproject


def run_cli(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_cli_reports_the_real_case_and_second_run_is_a_no_op(tmp_path: Path) -> None:
    import botocore

    if botocore.__version__ != "1.44.8":
        pytest.skip("compares with the botocore 1.44.8 fixture")
    package = tmp_path / "aws_support"
    package.mkdir()
    shutil.copy(OLD, package / MANIFEST_NAME)  # as if 1.43.11's package were committed

    rc, out, err = run_cli("--service", "support", "--out", str(tmp_path))
    assert rc == 0, err
    assert "API-change report" in out
    assert REPORT.read_text() in out
    assert (package / CHANGES_NAME).read_text() == REPORT.read_text()
    assert '__version__ = "1.1.0"' in (package / "__init__.py").read_text()
    snapshot = {str(p.relative_to(package)): p.read_bytes() for p in package.rglob("*") if p.is_file()}

    rc, out, err = run_cli("--service", "support", "--out", str(tmp_path))
    assert rc == 0, err
    assert "0 file(s) changed" in out
    assert "API unchanged since the committed manifest: aws_support 1.1.0 (botocore 1.44.8)" in out
    assert {str(p.relative_to(package)): p.read_bytes() for p in package.rglob("*") if p.is_file()} == snapshot

    rc, out, err = run_cli("--service", "support", "--out", str(tmp_path), "--check")
    assert (rc, out.strip()) == (0, f"{package} is up to date ({len(snapshot)} files)")


def stale_copy(tmp_path: Path) -> Path:
    out = tmp_path / "generated"
    shutil.copytree(
        GENERATED / "aws_support", out / "aws_support", ignore=shutil.ignore_patterns("__pycache__")
    )
    init = out / "aws_support" / "__init__.py"
    init.write_text(init.read_text().replace('BOTOCORE_VERSION = "', 'BOTOCORE_VERSION = "0.'))
    (out / "aws_support" / "leftover.py").write_text("")
    return out


def test_check_fails_with_unified_diff_and_run_make_generate(tmp_path: Path) -> None:
    out = stale_copy(tmp_path)
    rc, stdout, stderr = run_cli("--service", "support", "--out", str(out), "--check")
    assert rc == 1
    assert "--- a/aws_support/__init__.py\n+++ b/aws_support/__init__.py\n@@ " in stdout
    assert '-BOTOCORE_VERSION = "0.' in stdout
    assert "--- a/aws_support/leftover.py\n+++ /dev/null\n" in stdout  # empty stale file too
    assert "is stale: run make generate" in stderr
    assert "API-change report" not in stderr  # the API did not change


def test_make_check_generated_target_fails_on_stale_output(tmp_path: Path) -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    ready = subprocess.run(
        [make, "-q", ".venv/.gen-installed"], cwd=ROOT, capture_output=True, check=False
    )
    if ready.returncode != 0:
        pytest.skip("the .venv is not installed or out of date: run make test")
    out = stale_copy(tmp_path)
    proc = subprocess.run(
        [make, "--no-print-directory", "check-generated", f"OUT={out}/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert "+++ b/aws_support/__init__.py" in proc.stdout
    assert "is stale: run make generate" in proc.stderr


def test_check_names_the_api_change_when_the_model_moved(tmp_path: Path) -> None:
    import botocore

    if botocore.__version__ != "1.44.8":
        pytest.skip("compares with the botocore 1.44.8 fixture")
    package = tmp_path / "aws_support"
    write_package({MANIFEST_NAME: OLD.read_text()}, package)
    rc, _, stderr = run_cli("--service", "support", "--out", str(tmp_path), "--check")
    assert rc == 1
    assert (
        "API-change report: aws_support 1.0.0 → 1.1.0 (minor): botocore 1.43.11 → 1.44.8; "
        in stderr
    )
    assert "0 breaking, 47 additions, 0 other changes" in stderr


def test_cli_rejects_a_corrupt_committed_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "aws_support"
    package.mkdir()
    (package / MANIFEST_NAME).write_text("[]")
    assert cli.main(["--service", "support", "--out", str(tmp_path)]) == 2
    assert "does not hold a JSON object" in capsys.readouterr().err
    assert sorted(p.name for p in package.iterdir()) == [MANIFEST_NAME]


def test_diff_shows_missing_empty_file(tmp_path: Path) -> None:
    files = {"py.typed": "", "a.py": "x = 1\n"}
    write_package({"a.py": "x = 1\n"}, tmp_path / "pkg")
    assert diff_package(files, tmp_path / "pkg") == "--- /dev/null\n+++ b/pkg/py.typed\n"


def test_generate_files_versions_the_package_from_the_manifest(support_ir: Any) -> None:
    previous = json.loads(OLD.read_text())
    files = generate_files(support_ir, previous=previous)
    manifest = json.loads(files[MANIFEST_NAME])
    assert manifest["package_version"] == "1.1.0"
    assert '__version__ = "1.1.0"' in files["__init__.py"]
    assert surface(manifest) == surface(release_manifest(support_ir, None))


# ------------------------------------------------------------------ update-model

PIP_INDEX_OUTPUT = """botocore (1.45.2)
Available versions: 1.45.2, 1.45.1, 1.45.0rc1, 1.44.10, 1.44.8, 1.9.0
  INSTALLED: 1.44.8
  LATEST:    1.45.2
"""


def test_parse_index_versions_newest_first_without_prereleases() -> None:
    assert [str(v) for v in parse_index_versions(PIP_INDEX_OUTPUT)] == [
        "1.45.2",
        "1.45.1",
        "1.44.10",
        "1.44.8",
        "1.9.0",
    ]
    with pytest.raises(UpdateError, match="no 'Available versions:' line"):
        parse_index_versions("ERROR: No matching distribution found for botocore")


def test_choose_pins_keeps_boto3_in_lockstep() -> None:
    botocore = parse_index_versions(PIP_INDEX_OUTPUT)
    assert choose_pins(botocore, botocore) == {"botocore": "1.45.2", "boto3": "1.45.2"}
    with pytest.raises(UpdateError, match="no boto3 1.45.2"):
        choose_pins(botocore, botocore[1:])


def test_set_pins_changes_exactly_the_two_lines() -> None:
    text = (ROOT / "constraints.txt").read_text()
    current = read_pins(text)
    assert current == {"botocore": "1.44.8", "boto3": "1.44.8"}
    bumped = set_pins(text, {"botocore": "1.45.2", "boto3": "1.45.2"})
    changed = [
        (a, b) for a, b in zip(text.splitlines(), bumped.splitlines(), strict=True) if a != b
    ]
    assert changed == [("boto3==1.44.8", "boto3==1.45.2"), ("botocore==1.44.8", "botocore==1.45.2")]
    assert read_pins(bumped) == {"botocore": "1.45.2", "boto3": "1.45.2"}
    with pytest.raises(UpdateError, match="no 'botocore==' line"):
        read_pins("boto3==1.0.0\n")


def report_item(name: str, version: str, *requires: str) -> dict[str, Any]:
    return {"metadata": {"name": name, "version": version, "requires_dist": list(requires)}}


def test_companion_pins_raise_only_what_the_new_boto3_no_longer_allows() -> None:
    # The shape of `pip install --dry-run --report` for boto3==1.44.8 botocore==1.44.8.
    resolved = [
        report_item(
            "boto3", "1.44.8", "botocore (<1.45.0,>=1.44.8)", "jmespath (<2.0.0,>=0.7.1)",
            "s3transfer (<0.20.0,>=0.19.0)", "botocore[crt] (<2.0a0,>=1.21.0) ; extra == 'crt'",
        ),
        report_item(
            "botocore", "1.44.8", "jmespath (<2.0.0,>=0.7.1)", "python-dateutil (<3.0.0,>=2.1)",
            "urllib3 (!=2.2.0,<3,>=1.25.4)", "awscrt (==0.38.0) ; extra == 'crt'",
        ),
        report_item("s3transfer", "0.19.3", "botocore (<2.0a.0,>=1.37.4)"),
        report_item("python-dateutil", "2.9.0.post0", "six >=1.5"),
        report_item("jmespath", "1.1.0"),
    ]  # fmt: skip
    pins = all_pins(
        "# comment\nboto3==1.43.11\nbotocore==1.43.11\ns3transfer==0.17.1\n"
        "python-dateutil==2.9.0.post0\njmespath==1.1.0\nawscrt==0.1.0\n"
    )
    assert pins["python-dateutil"] == ("python-dateutil", "2.9.0.post0")
    # botocore and boto3 themselves are set by choose_pins; s3transfer must follow boto3;
    # awscrt is behind the crt extra; everything else still fits.
    assert companion_pins(resolved, pins) == {"s3transfer": "0.19.3", "botocore": "1.44.8"}
