"""Hand-written service extensions: found, checked and wired into the generated package.

A service's hand-written helpers (Support's attachment upload and download) live
in ``extensions/<service>/`` at the top of the repository, apart from the
generated files. Rules (README "Extending a service"):

* every ``*.py`` file of the folder is an extension module, copied byte for byte
  into ``<package>/extensions/<file>`` of the generated package, after a two-line
  header naming the source; nothing else may be in the folder (a stray file is
  an error, so nothing is silently left out of the package);
* a module is written for the place it is copied to: it imports the generated
  package relatively (``from .. import models``, ``from ..client import
  SupportClient`` under ``TYPE_CHECKING``) and the runtime absolutely;
* a module-level class whose name ends in ``AsyncClientMixin`` is a mixin of the
  async client (when the package has one), one ending in ``ClientMixin`` a mixin
  of the sync client; the generated client classes inherit them (in file-name
  order, then definition order) before the runtime's base class;
* a mixin's public method or attribute must not have the name of a generated
  client method or of a base-class attribute: the generator stops with
  :class:`~generator.naming.NameClashError` naming both.

Only :mod:`ast` reads the files (nothing is imported or executed), so the
generator stays deterministic and needs none of the extension's dependencies.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .naming import NameClashError

__all__ = [
    "EXTENSIONS_ROOT",
    "ExtensionError",
    "ExtensionModule",
    "check_clashes",
    "copy_header",
    "load_extensions",
]

EXTENSIONS_ROOT = Path(__file__).resolve().parent.parent / "extensions"
"""``extensions/`` next to ``generator/``: one folder per botocore service name."""

SYNC_SUFFIX = "ClientMixin"
ASYNC_SUFFIX = "AsyncClientMixin"


class ExtensionError(ValueError):
    """An extension folder or module cannot be used (not Python, a stray file, a bad name)."""


@dataclass(frozen=True)
class ExtensionModule:
    """One hand-written module of ``extensions/<service>/``.

    Attributes:
        name: the module name (file name without ``.py``).
        source: the file's text, unchanged.
        origin: the path shown in the copy's header (``extensions/support/attachments.py``).
        sync_mixins: classes the sync client inherits, in definition order.
        async_mixins: classes the async client inherits, in definition order.
        members: public names (methods, attributes) each mixin defines, for the clash check.
    """

    name: str
    source: str
    origin: str
    sync_mixins: tuple[str, ...]
    async_mixins: tuple[str, ...]
    members: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def alias(self) -> str:
        """The import alias the generated client uses: ``_ext_<name>``."""
        return "_ext_" + self.name.lstrip("_")


def copy_header(module: ExtensionModule) -> str:
    """The two comment lines put before a copied module's text."""
    return (
        f"# Hand-written, copied unchanged by aws-codegen from {module.origin}.\n"
        "# Edit that file, not this copy, then regenerate (`make generate`).\n"
    )


def _mixins(tree: ast.Module) -> tuple[list[str], list[str], list[tuple[str, tuple[str, ...]]]]:
    sync: list[str] = []
    async_: list[str] = []
    members: list[tuple[str, tuple[str, ...]]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        if node.name.endswith(ASYNC_SUFFIX):
            async_.append(node.name)
        elif node.name.endswith(SYNC_SUFFIX):
            sync.append(node.name)
        else:
            continue
        names: list[str] = []
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.append(item.name)
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                names.append(item.target.id)
            elif isinstance(item, ast.Assign):
                names.extend(t.id for t in item.targets if isinstance(t, ast.Name))
        members.append((node.name, tuple(n for n in names if not n.startswith("_"))))
    return sync, async_, members


def load_extensions(folder: Path, *, origin_root: Path | None = None) -> tuple[ExtensionModule, ...]:
    """The extension modules of ``folder`` (``extensions/<service>``), in file-name order.

    A missing folder means no extensions. ``origin_root`` is the folder the copy
    headers show paths relative to (default: the folder's grandparent, the
    repository). Raises :class:`ExtensionError` for a file that is not a
    ``.py`` module with an identifier name, or that does not parse.
    """
    if not folder.is_dir():
        return ()
    root = origin_root if origin_root is not None else folder.parent.parent
    modules = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name == "__pycache__" and path.is_dir():
            continue
        try:
            origin = path.relative_to(root).as_posix()
        except ValueError:
            origin = path.name
        if not path.is_file() or path.suffix != ".py":
            raise ExtensionError(
                f"{origin}: an extension folder holds only .py modules (found "
                f"{'a folder' if path.is_dir() else 'another file'}); move it elsewhere"
            )
        name = path.stem
        if not name.isidentifier() or name == "__init__":
            raise ExtensionError(f"{origin}: module names must be Python identifiers, not {name!r}")
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, filename=origin)
        except SyntaxError as exc:
            raise ExtensionError(f"{origin}:{exc.lineno}: not valid Python: {exc.msg}") from exc
        sync, async_, members = _mixins(tree)
        modules.append(
            ExtensionModule(name, source, origin, tuple(sync), tuple(async_), tuple(members))
        )
    return tuple(modules)


def check_clashes(
    modules: Iterable[ExtensionModule],
    taken: Iterable[str],
    *,
    async_client: bool = False,
    what: str = "the generated client",
) -> None:
    """Stop when a mixin of one client flavour (sync, or ``async_client``) defines
    a name ``taken`` already holds (an operation method, a paginator method, a
    base-class attribute) or a name another mixin of that flavour defines.
    Raises :class:`~generator.naming.NameClashError` naming both."""
    owners: dict[str, str] = {name: what for name in taken}
    for module in modules:
        wanted = set(module.async_mixins if async_client else module.sync_mixins)
        for cls, names in module.members:
            if cls not in wanted:
                continue
            for name in names:
                here = f"{module.origin}:{cls}.{name}"
                if name in owners:
                    raise NameClashError(
                        f"{here} has the name of {owners[name]}'s {name!r}: rename the "
                        "extension's method (generated names follow the model)"
                    )
                owners[name] = here
