"""`python -m bench --smoke` runs every benchmark section once with tiny counts and reports them.

Times are never asserted (performance is measured by `make bench`, not by tests); this
checks that the entry point works end to end: the canned server answers all three
sides, the child processes run, and the report has every table with real figures.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from bench.server import describe_cases_reply, reply_for


def test_canned_server_replies_are_complete_http_messages() -> None:
    reply = reply_for("/cases/3/", "AWSSupport_20130415.DescribeCases")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert f"Content-Length: {len(body)}".encode() in head
    assert json.loads(body) == describe_cases_reply(3)
    assert (
        len(
            json.loads(
                reply_for("/", "AWSSupport_20130415.DescribeCases").partition(b"\r\n\r\n")[2]
            )["cases"]
        )
        == 20
    )
    assert reply_for("/", "AWSSupport_20130415.ResolveCase").startswith(b"HTTP/1.1 400 ")


def test_smoke_run_prints_and_writes_every_table(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert proc.stdout == text
    for heading in (
        "## Machine",
        "## Targets",
        "## 1. Per-call overhead",
        "### 1b. This client's CPU time per call, without network",
        "### 1c. Async calls: AsyncSupportClient vs aiobotocore vs a raw aiohttp floor",
        "## 2. Cold start",
        "## 3. Generation (AWS Support)",
        "## 4a. Scale: describe_cases reply size",
        "## 5. Data path (issue 12: msgspec models)",
        "### Parse only: DescribeCases, 20 cases × 5 communications",
    ):
        assert heading in text
    assert "**Smoke run**" in text

    def rows(label: str) -> list[list[str]]:
        found = [line for line in text.splitlines() if line.startswith(f"| {label}")]
        return [[cell.strip() for cell in line.strip("|").split("|")] for line in found]

    def row(label: str) -> list[str]:
        return rows(label)[0]

    number = re.compile(r"^[\d,]+(\.\d+)?$")
    create = row("create_case |")
    assert all(number.match(cell) for cell in create[1:5]), create
    describe = row("describe_cases (20-case reply)")
    assert all(number.match(cell) for cell in describe[1:5]), describe
    own, parts = rows("describe_cases |")  # own overhead above the floor; no-network parts
    assert all(number.match(cell) for cell in own[1:4]) and own[4].endswith("×"), own
    assert all(number.match(cell) for cell in parts[1:6]), parts
    for label in ("async create_case |", "async describe_cases(20) |"):
        cells = row(label)  # floor, ours, aiobotocore µs; ratio; floor, ours, aiobotocore calls/s
        assert all(number.match(cells[i]) for i in (1, 2, 5, 6)), cells
        assert cells[3] == "not run" and cells[4].endswith("×"), cells
    for label in ("this client: import", "boto3: `import boto3`", '`python -c "import urllib3"`'):
        cells = row(label)
        assert number.match(cells[1]) and float(cells[4]) > 5, cells  # wall ms, RSS MiB
    cold_gen = row("`python -m generator --service support` (cold")
    assert float(cold_gen[1]) > 0 and cold_gen[4] == "1", cold_gen
    assert float(row("same, rerun with no model change")[1]) > 0
    assert row("mypy_boto3_builder")[4] == "not run"
    for label in ("this client |", "before (json.loads + generated parse)", "botocore's parser"):
        cells = row(label)
        assert number.match(cells[1]) and cells[3].endswith("×"), cells
    assert row("parse only, DescribeCases")[2] in ("yes", "**no**")
    for label in ("this client, keys in AWS_ACCESS_KEY_ID", "boto3, keys in AWS_ACCESS_KEY_ID"):
        cells = row(label)
        assert number.match(cells[1]) and float(cells[4]) > 5, cells
    for cases in ("10", "100", "1,000"):
        cells = row(f"{cases} |")
        assert all(number.match(cell) for cell in cells[2:]), cells
