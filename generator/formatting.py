"""Format generated Python with black, in-process, pinned version, fixed mode.

Formatting dominates generation time, so results are cached on disk by a hash
of (black version, mode, source): a rerun with no model change does not even
import black. The cache lives in ``.cache/black`` under the repository (not
committed; ``AWS_CODEGEN_CACHE`` moves the ``.cache`` folder) and can be
deleted at any time.

A cache miss formats the module one top-level definition at a time (and a
large class one method at a time) and joins the pieces with the blank lines
black puts between them (two at module level, one inside a class). Black's
time grows faster than the size of what it formats: it keeps the syntax tree
of its whole input alive, and the garbage collector walks that tree again
and again (a 17,000-line module took 2.7 s CPU whole, 1.5 s with the
collector off). Small pieces keep the tree small. The result is byte for
byte what formatting the whole module gives: the committed golden files and
``tests/test_formatting.py`` check it.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import itertools
import os
from pathlib import Path
from typing import Any

__all__ = [
    "BLACK_MODE_DESCRIPTION",
    "FormatError",
    "format_source",
    "format_sources",
    "split_source",
]

LINE_LENGTH = 88
BLACK_MODE_DESCRIPTION = f"line-length={LINE_LENGTH} target=py310"
CACHE_ROOT = Path(
    os.environ.get("AWS_CODEGEN_CACHE", Path(__file__).resolve().parent.parent / ".cache")
)
_CACHE_DIR = CACHE_ROOT / "black"
_CLASS_HEADER = "class _Chunk:\n"
_MIN_CLASS_LINES = 200  # smaller classes are formatted whole
_GROUP_LINES = 300  # pieces are formatted in runs of about this many lines


def _black_version() -> str:
    from importlib.metadata import version

    return version("black")


def split_source(source: str) -> list[tuple[int, str]]:
    """Cut ``source`` into ``(depth, text)`` pieces black formats the same on their own.

    A cut is made before a top-level ``def``/``class`` (its decorators
    included) that follows a blank line. A top-level class of at least 200
    lines is cut further: its header and class-level statements (depth 0),
    each of its methods after a blank line (depth 1, formatted inside a
    stand-in class), and what follows the class (depth 0). Joining the
    formatted pieces with two blank lines before a depth-0 piece and one
    before a depth-1 piece gives black's formatting of the whole source,
    because black puts exactly that many blank lines before a ``def`` or
    ``class`` that had at least one, and two after a top-level class.
    Raises ``SyntaxError`` when ``source`` does not parse.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)

    def start(node: ast.stmt) -> int:
        decorators = getattr(node, "decorator_list", None)
        return (decorators[0].lineno if decorators else node.lineno) - 1

    def cuttable(node: ast.stmt) -> bool:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
        first = start(node)
        return first > 0 and not lines[first - 1].strip()

    top = [start(node) for node in tree.body if cuttable(node)]
    bounds = [0, *top, len(lines)] if not top or top[0] else [*top, len(lines)]
    pieces: list[tuple[int, str]] = []
    for begin, end in itertools.pairwise(bounds):
        node = next((n for n in tree.body if start(n) == begin), None)
        methods: list[int] = []
        if (
            isinstance(node, ast.ClassDef)
            and node.end_lineno is not None
            and node.end_lineno - begin >= _MIN_CLASS_LINES
        ):
            methods = [start(m) for m in node.body[1:] if cuttable(m)]
        if not methods:
            pieces.append((0, "".join(lines[begin:end])))
            continue
        assert isinstance(node, ast.ClassDef) and node.end_lineno is not None
        pieces.append((0, "".join(lines[begin : methods[0]])))
        ends = [*methods[1:], node.end_lineno]
        pieces.extend((1, "".join(lines[a:b])) for a, b in zip(methods, ends, strict=False))
        rest = "".join(lines[node.end_lineno : end])
        if rest.strip():
            pieces.append((0, rest))
    return pieces


def _grouped(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join neighbouring pieces of the same depth into runs of about ``_GROUP_LINES`` lines.

    Every black call has a fixed cost, and a run of contiguous pieces is
    itself a valid cut, so small pieces are formatted together.
    """
    groups: list[tuple[int, list[str], int]] = []
    for depth, text in pieces:
        size = text.count("\n")
        if groups and groups[-1][0] == depth and groups[-1][2] + size <= _GROUP_LINES:
            groups[-1][1].append(text)
            groups[-1] = (depth, groups[-1][1], groups[-1][2] + size)
        else:
            groups.append((depth, [text], size))
    return [(depth, "".join(texts)) for depth, texts, _ in groups]


class FormatError(ValueError):
    """A module black cannot format (it does not parse): ``module`` names it."""

    def __init__(self, module: str, error: BaseException) -> None:
        super().__init__(f"{module}: {error}")
        self.module = module
        self.error = error


def _mode() -> Any:
    import black

    return black.Mode(target_versions={black.TargetVersion.PY310}, line_length=LINE_LENGTH)


def _format_piece(piece: tuple[int, str], mode: Any) -> str:
    """Black's output for one group of pieces (depth 1: without the stand-in class line)."""
    import black

    depth, text = piece
    if depth == 0:
        return black.format_str(text, mode=mode)
    formatted = black.format_str(_CLASS_HEADER + text, mode=mode)
    if not formatted.startswith(_CLASS_HEADER):  # pragma: no cover - black keeps the header
        raise AssertionError("black changed the stand-in class header")
    return formatted[len(_CLASS_HEADER) :]


def _join(pieces: list[tuple[int, str]], formatted: list[str]) -> str:
    out: list[str] = []
    for (depth, _), text in zip(pieces, formatted, strict=True):
        if out:
            out.append("\n\n" if depth == 0 else "\n")
        out.append(text)
    return "".join(out)


def format_sources(sources: dict[str, str], *, use_cache: bool = True) -> dict[str, str]:
    """Black's formatting (line length 88, Python 3.10 target) of each module in ``sources``.

    ``sources`` maps module names to source text. Modules found in the cache
    are read from it; the others are cut by :func:`split_source`, formatted
    piece by piece and joined, then cached. Raises
    :class:`FormatError` naming the module when one does not parse.
    """
    version = _black_version()
    results: dict[str, str] = {}
    todo: list[tuple[str, Path, list[tuple[int, str]]]] = []
    for name, source in sources.items():
        key = hashlib.sha256(
            f"{version}\0{BLACK_MODE_DESCRIPTION}\0".encode() + source.encode("utf-8")
        ).hexdigest()
        cached = _CACHE_DIR / key[:2] / key
        if use_cache and cached.is_file():
            results[name] = cached.read_text(encoding="utf-8")
            continue
        try:
            pieces = _grouped(split_source(source))
        except SyntaxError as exc:
            raise FormatError(name, exc) from exc
        todo.append((name, cached, pieces))
    if todo:
        import black

        mode = _mode()
        # Objects alive now (the IR, rendered text) outlive the formatting: keep the
        # collector from walking them again after every few thousand black nodes.
        gc.freeze()
        try:
            for name, cached, pieces in todo:
                try:
                    result = _join(pieces, [_format_piece(piece, mode) for piece in pieces])
                except black.InvalidInput as exc:
                    raise FormatError(name, exc) from exc
                results[name] = result
                if use_cache:
                    _store(cached, result)
        finally:
            gc.unfreeze()
    return {name: results[name] for name in sources}


def _store(cached: Path, text: str) -> None:
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(cached)
    except OSError:
        pass


def format_source(source: str, *, use_cache: bool = True) -> str:
    """:func:`format_sources` for one module; raises :class:`FormatError` if it does not parse."""
    return format_sources({"source": source}, use_cache=use_cache)["source"]
