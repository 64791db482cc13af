"""The README stays true: its Python examples type-check against the generated client
under ``mypy --strict``, and its boto3 table names every operation and paginator."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", README, re.MULTILINE | re.DOTALL)


def test_readme_examples_compile_and_type_check(tmp_path: Path) -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 8
    parts = ["from __future__ import annotations\n"]
    for number, block in enumerate(blocks, 1):
        compile(block, f"README block {number}", "exec")
        parts.append(f"\n\ndef readme_example_{number}() -> None:\n{textwrap.indent(block, '    ')}")
    examples = tmp_path / "readme_examples.py"
    examples.write_text("".join(parts), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(examples), "aws_runtime", "generated/aws_support"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_boto3_table_lists_every_operation_and_paginator(support_ir: Any) -> None:
    section = README[README.index("## boto3 → this client") :]
    section = section[: section.index("\n## ", 5)]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    ours = " ".join(row.split(" | ")[1] for row in rows)
    for op in support_ir.operations:
        assert f"`{op.method}(" in ours, op.method
        if op.paginator is not None:
            assert f"`{op.paginator.pages_method}(" in ours
            assert f"`{op.paginator.items_method}(" in ours
            assert f'get_paginator("{op.method}")' in ours
    assert len(support_ir.operations) == 20
