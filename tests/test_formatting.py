"""generator.formatting formats a module piece by piece; the result must be exactly what black
gives for the whole module, and the cuts must never fall inside a string or a decorated def."""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator import formatting, writer
from generator.build import build_service
from generator.loader import load_service
from generator.render import render_package
from generator.writer import TemplateSyntaxError, generate_files

MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=88)


def _class_body(count: int) -> str:
    methods = []
    for i in range(count):
        deco = "    @property\n" if i % 5 == 0 else ""
        methods.append(
            f"{deco}    def method_{i}(self, argument_one: int, argument_two: str, "
            "argument_three: bytes) -> tuple[int, str, bytes]:\n"
            f"        '''Method {i}.\n\n"
            "class of service: text at column 4 that looks like code\n"
            "@decorator-looking text\n"
            "        '''\n"
            f"        return (argument_one, argument_two, argument_three)  # {i}\n"
        )
    return "\n\n".join(methods)


TRICKY = (
    "# header comment\n"
    "'''Module docstring.\n\n"
    "class of service: a line at column 0 inside a string\n\n"
    "def not_a_function(): this is text\n"
    "@not_a_decorator\n"
    "'''\n"
    "from __future__ import annotations\n"
    "import typing as _t\n"
    "X = {'a':1,'b':[1,2,3]}\n"
    "def first(a,b):\n"
    "  return a+b\n"
    "\n"
    "# a comment kept with the statement before the cut\n"
    "\n"
    "@_t.overload\n"
    "def over(x: int) -> int: ...\n"
    "@_t.overload\n"
    "def over(x: str) -> str: ...\n"
    "def over(x):\n"
    "    return x\n"
    "\n"
    "\n\n\n"
    "class Small:\n"
    "    x: int = 1\n"
    "    def m(self): return 1\n"
    "\n"
    "class Big(object):\n"
    "    '''A class long enough to be cut method by method.'''\n"
    "    LIMIT = 3\n"
    "\n" + _class_body(40) + "\n"
    "\n"
    "    class Nested:\n"
    "        pass\n"
    "Y = [Big, Small]\n"
    "__all__ = ['Big', 'Small', 'first', 'over']\n"
)


def test_tricky_module_is_cut_at_definitions_only_and_joins_to_black_output() -> None:
    pieces = formatting.split_source(TRICKY)
    assert "".join(text for _, text in pieces) == TRICKY  # cuts lose nothing
    starts = [text.splitlines()[0] for _, text in pieces]
    assert starts[0] == "# header comment"
    assert "@_t.overload" in starts  # the decorator starts its piece
    assert "def not_a_function(): this is text" not in starts  # never inside a string
    assert "class of service: a line at column 0 inside a string" not in starts
    depths = [depth for depth, _ in pieces]
    assert depths.count(1) >= 30  # Big is cut method by method
    assert pieces[-1] == (0, "Y = [Big, Small]\n__all__ = ['Big', 'Small', 'first', 'over']\n")
    assert formatting.format_source(TRICKY, use_cache=False) == black.format_str(TRICKY, mode=MODE)


@pytest.fixture(scope="module")
def support_sources() -> dict[str, str]:
    files = render_package(build_service(load_service("support")))
    return {name: text for name, text in files.items() if name.endswith(".py")}


def test_every_generated_support_module_formats_exactly_as_black_whole(
    support_sources: dict[str, str],
) -> None:
    pieces = {name: formatting.split_source(text) for name, text in support_sources.items()}
    assert len(pieces["client.py"]) > 20  # the client class is cut method by method
    assert len(pieces["_serde.py"]) > 20
    assert len(pieces["models.py"]) > 50  # one piece per model class
    formatted = formatting.format_sources(support_sources, use_cache=False)
    for name, text in support_sources.items():
        assert formatted[name] == black.format_str(text, mode=MODE), name


def test_cache_hit_skips_black(
    support_sources: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formatting, "_CACHE_DIR", tmp_path / "black")
    source = support_sources["errors.py"]
    first = formatting.format_source(source)
    assert len(list((tmp_path / "black").rglob("*"))) == 2  # one shard folder, one entry

    def fail(*args: object, **kwargs: object) -> str:
        raise AssertionError("black was called on a cache hit")

    monkeypatch.setattr(black, "format_str", fail)
    assert formatting.format_source(source) == first
    with pytest.raises(AssertionError, match="cache hit"):
        formatting.format_source(source, use_cache=False)


def test_unparseable_module_is_named(
    support_ir: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(formatting.FormatError, match=r"^broken\.py: ") as info:
        formatting.format_sources({"fine.py": "x = 1\n", "broken.py": "def f(:\n"}, use_cache=False)
    assert isinstance(info.value.error, SyntaxError)

    real = writer.render_package

    def broken(ir: object, *extensions: object) -> dict[str, str]:
        files = dict(real(ir, *extensions))  # type: ignore[arg-type]
        files["models.py"] += "\ndef oops(:\n"
        return files

    monkeypatch.setattr(writer, "render_package", broken)
    with pytest.raises(TemplateSyntaxError, match=r"aws_support/models\.py does not parse"):
        generate_files(support_ir, use_cache=False)  # type: ignore[arg-type]
