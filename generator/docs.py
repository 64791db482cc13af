"""Model HTML documentation → plain-text docstrings.

The HTML → Markdown-like text step uses ``markdownify`` (MIT, built on
BeautifulSoup) with a few AWS-specific tags: ``<note>`` and ``<important>``
become "Note:"/"Important:" paragraphs, ``<fullname>`` is dropped, links
become "text (URL)" and links without ``href`` (cross references such as
``<a>DescribeCases</a>``) keep only their text. Code spans keep backticks,
lists become ``- item`` lines. The result is then wrapped for a docstring and
escaped so it can never end the string literal early.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from typing import Any

from markdownify import MarkdownConverter

__all__ = ["docstring_lines", "escape_docstring", "html_to_text", "summary"]


class _DocConverter(MarkdownConverter):
    def convert_a(self, el: Any, text: str, parent_tags: Any) -> str:
        href = (el.get("href") or "").strip()
        text = text.strip()
        if not href or href == text:
            return text
        if not text:
            return href
        return f"{text} ({href})"

    def _callout(self, label: str, text: str) -> str:
        body = text.strip()
        if not body:
            return ""
        if _is_item(body):
            return f"\n\n{label}:\n\n{body}\n\n"
        return f"\n\n{label}: {body}\n\n"

    def convert_note(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._callout("Note", text)

    def convert_important(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._callout("Important", text)

    def convert_fullname(self, el: Any, text: str, parent_tags: Any) -> str:
        return ""


_CONVERTER = _DocConverter(
    bullets="-",
    escape_underscores=False,
    escape_asterisks=False,
    escape_misc=False,
    heading_style="ATX",
    strong_em_symbol="*",
)


@lru_cache(maxsize=4096)
def html_to_text(html: str) -> str:
    """Convert model documentation HTML to paragraphs of plain text separated by blank lines."""
    if not html or not html.strip():
        return ""
    text = _CONVERTER.convert(html)
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    # Markdown list items separated by blank lines read better packed together.
    packed: list[str] = []
    for i, line in enumerate(out):
        if (
            line == ""
            and packed
            and _is_item(packed[-1])
            and i + 1 < len(out)
            and _is_item(out[i + 1])
        ):
            continue
        packed.append(line)
    return "\n".join(packed).strip()


def _is_item(line: str) -> bool:
    return bool(re.match(r"^\s*(- |\d+\. )", line))


def summary(text: str) -> str:
    """The first sentence-ish paragraph of converted text (for one-line summaries)."""
    first = text.split("\n\n", 1)[0].strip()
    return " ".join(first.split())


def docstring_lines(text: str, width: int = 80) -> list[str]:
    """Wrap converted text to ``width`` columns, keeping paragraphs, list items and URLs whole."""
    lines: list[str] = []

    def flush(buf: list[str]) -> None:
        if buf:
            lines.extend(
                textwrap.wrap(
                    " ".join(buf), width=width, break_long_words=False, break_on_hyphens=False
                )
            )
            buf.clear()

    for para in text.split("\n\n"):
        buf: list[str] = []
        for raw in para.split("\n"):
            m = re.match(r"^(\s*)(- |\d+\. )(.*)$", raw)
            if m:
                flush(buf)
                indent, bullet, rest = m.groups()
                prefix = indent + bullet
                lines.extend(
                    textwrap.wrap(
                        rest,
                        width=width,
                        initial_indent=prefix,
                        subsequent_indent=" " * len(prefix),
                        break_long_words=False,
                        break_on_hyphens=False,
                    )
                    or [prefix.rstrip()]
                )
            else:
                buf.append(raw.strip())
        flush(buf)
        lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def escape_docstring(text: str) -> str:
    """Make ``text`` safe inside a triple-double-quoted docstring."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    return text
