"""`make docs` works: pdoc builds the API docs of the generated package and the runtime.

Runs the same pdoc command as the Makefile's ``docs`` target (module list read from
the Makefile) into a temporary folder, and checks that it succeeds without warnings
and that the pages hold what a reader looks for.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _docs_modules() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^DOCS_MODULES\s*:?=\s*(.+)$", makefile, re.MULTILINE)
    assert match, "Makefile defines DOCS_MODULES"
    return match.group(1).split()


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_pdoc_builds_the_api_docs(tmp_path: Path) -> None:
    modules = _docs_modules()
    assert modules[0] == "aws_support"
    out = tmp_path / "docs"
    proc = subprocess.run(
        [sys.executable, "-m", "pdoc", "--docformat", "google", "-o", str(out), *modules],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Warn" not in proc.stderr, proc.stderr

    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    for expected in (
        "index.html",
        "aws_support.html",
        "aws_support/models.html",
        "aws_support/errors.html",
        "aws_support/paginators.html",
        "aws_runtime/pagination.html",
        "aws_runtime/config.html",
    ):
        assert expected in pages

    main = (out / "aws_support.html").read_text(encoding="utf-8")
    start = main.index('id="SupportClient.create_case"')
    create_case = _text(main[start : main.index('id="SupportClient.describe_attachment"')])
    assert "Creates a case in the Amazon Web Services Support Center." in create_case
    assert "communication_body: str" in create_case
    # Google sections rendered by pdoc, links kept
    for heading in ("Arguments:", "Returns:", "Raises:", "Important:"):
        assert heading in create_case
    assert "https://console.aws.amazon.com/support/home#/case/create" in create_case
    assert "errors.CaseCreationLimitExceeded" in create_case
    assert 'href="https://console.aws.amazon.com/support/home#/case/create"' in main

    paginators = _text((out / "aws_support" / "paginators.html").read_text(encoding="utf-8"))
    assert "class DescribeCasesPaginator" in paginators
    assert "max_items" in paginators

