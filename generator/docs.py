"""Model HTML documentation → plain-text docstrings.

The HTML → Markdown-like text step uses ``markdownify`` (MIT, built on
BeautifulSoup), configured and extended for the AWS models:

* paragraphs are separated by one blank line; ``<br>`` breaks are joined;
* ``<ul>``/``<ol>`` become ``- item`` / ``1. item`` lines, nested lists are
  indented by two spaces per level; ``<dl>`` becomes ``- term: definition``;
* ``<code>`` becomes a backtick span (a double-backtick span when the code
  holds a backtick), ``<b>``/``<i>`` become ``**bold**``/``*italic*``;
  ``<pre>`` becomes a fenced block kept verbatim, tables stay Markdown tables;
* links become "text (URL)"; links without ``href`` (cross references such as
  ``<a>DescribeCases</a>``) keep only their text; a link whose text is its
  URL is the URL once;
* ``<note>``/``<important>`` become a Google-style "Note:"/"Important:"
  section: inline for a single paragraph, else the body indented under the
  label (pdoc renders those as call-outs); ``<fullname>`` is dropped;
* entities are decoded, non-breaking and Unicode line/paragraph separators
  become spaces, and control characters (which Python source cannot hold, or
  holds invisibly) are removed.

:func:`docstring_lines` wraps that text (lists, indented blocks, URLs and
verbatim blocks kept whole) and :func:`escape_docstring` makes every line safe
inside a triple-quoted literal (``\\`` and ``\"\"\"``).
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
        body = _tidy(text)
        if not body:
            return ""
        if "\n" not in body and not _is_item(body):
            return f"\n\n{label}: {body}\n\n"
        indented = "\n".join(("    " + line) if line else "" for line in body.split("\n"))
        return f"\n\n{label}:\n{indented}\n\n"

    def convert_note(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._callout("Note", text)

    def convert_important(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._callout("Important", text)

    def convert_fullname(self, el: Any, text: str, parent_tags: Any) -> str:
        return ""

    def convert_dl(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_dt(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"\n- {' '.join(text.split())}: "

    def convert_dd(self, el: Any, text: str, parent_tags: Any) -> str:
        return " ".join(text.split())

    def convert_br(self, el: Any, text: str, parent_tags: Any) -> str:
        return " "


_CONVERTER = _DocConverter(
    bullets="-",
    escape_underscores=False,
    escape_asterisks=False,
    escape_misc=False,
    heading_style="ATX",
    strong_em_symbol="*",
)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = str.maketrans({"\xa0": " ", "\u2028": " ", "\u2029": " ", "\u202f": " ", "\t": " "})


def _clean(text: str) -> str:
    """Spaces for non-breaking spaces, tabs and Unicode line separators; no control characters."""
    return _CONTROL.sub("", text.translate(_SPACES))


def _tidy(text: str) -> str:
    """Strip trailing spaces, collapse runs of blank lines, trim blank lines at both ends."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


@lru_cache(maxsize=4096)
def html_to_text(html: str) -> str:
    """Convert model documentation HTML to paragraphs of plain text separated by blank lines."""
    if not html or not html.strip():
        return ""
    text = _CONVERTER.convert(_clean(html))
    lines = [line.rstrip() for line in _clean(text).split("\n")]
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


_ITEM = re.compile(r"^(\s*)(- |\d+\. )(.*)$")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_NBSP = "\x1f"  # stands for a space inside a code span while wrapping (never in cleaned text)


def docstring_lines(text: str, width: int = 80) -> list[str]:
    """Wrap converted text to ``width`` columns.

    Paragraphs are re-wrapped; list items wrap with a hanging indent; indented
    blocks (call-out bodies, nested lists) keep their indentation; URLs and long
    words are never split; fenced code blocks and table rows are kept verbatim.
    Blank lines separate paragraphs as in ``text``.
    """
    lines: list[str] = []
    # the block being filled: (first-line prefix, continuation prefix, words)
    block: list[str] = []
    first = rest = ""
    in_item = False

    def flush() -> None:
        nonlocal block
        if block:
            # code spans are never split across lines: their spaces are protected while wrapping
            joined = _CODE_SPAN.sub(lambda m: m.group(0).replace(" ", _NBSP), " ".join(block))
            wrapped = textwrap.wrap(
                joined,
                width=width,
                initial_indent=first,
                subsequent_indent=rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
            lines.extend(line.replace(_NBSP, " ") for line in wrapped or [first.rstrip()])
            block = []

    in_fence = False
    for raw in text.split("\n"):
        stripped = raw.strip()
        if in_fence or stripped.startswith("```"):
            flush()
            lines.append(raw.rstrip())
            if stripped.startswith("```"):
                in_fence = not in_fence
            continue
        if not stripped:
            flush()
            if lines and lines[-1]:
                lines.append("")
            continue
        if stripped.startswith("|"):
            flush()
            lines.append(raw.rstrip())
            continue
        item = _ITEM.match(raw)
        indent = raw[: len(raw) - len(raw.lstrip())]
        if item:
            flush()
            first = item.group(1) + item.group(2)
            rest = " " * len(first)
            block = [item.group(3).strip()]
            in_item = True
        elif block and (len(indent) >= len(rest) if in_item else indent == rest):
            block.append(stripped)  # continuation of the current item or paragraph
        else:
            flush()
            first = rest = indent
            block = [stripped]
            in_item = False
    flush()
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def escape_docstring(text: str) -> str:
    """Make ``text`` safe inside a triple-double-quoted docstring.

    Backslashes are doubled; every quote of a run of three or more, and of a run
    that ends the text (it would touch the closing quotes), is escaped. So no
    quote run can close the literal early and the value reads back as ``text``.
    """
    text = text.replace("\\", "\\\\")
    return re.sub(r'"{3,}|"+$', lambda m: '\\"' * len(m.group(0)), text)
