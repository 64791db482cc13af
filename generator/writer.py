"""Produce the package files, write them, or compare them with what is on disk.

``generate_files`` renders the modules plus ``_manifest.json`` and
``CHANGES.md`` (:mod:`generator.manifest`, :mod:`generator.changes`); the
package version comes from the manifest. ``write_package`` writes only files
whose bytes changed and removes files the generator no longer produces
(``__pycache__`` is left alone), so two runs on the same inputs leave an
identical tree. ``diff_package`` returns a unified diff of what
``write_package`` would change, for ``--check``.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from pathlib import Path
from typing import Any

from .changes import render_changes
from .extensions import EXTENSIONS_ROOT, check_clashes, copy_header, load_extensions
from .formatting import FormatError, format_sources
from .ir import ServiceIR
from .manifest import CHANGES_NAME, MANIFEST_NAME, dumps, release_manifest
from .naming import CLIENT_ATTRIBUTES
from .render import paginated_operations, render_package

__all__ = ["diff_package", "generate_files", "write_package"]


class TemplateSyntaxError(ValueError):
    """A rendered module is not valid Python (a template bug)."""


def generate_files(
    ir: ServiceIR,
    *,
    use_cache: bool = True,
    previous: dict[str, Any] | None = None,
    extensions: Path | None = None,
) -> dict[str, str]:
    """Render and black-format every file of the package: ``{relative path: text}``.

    ``previous`` is the committed manifest (:func:`generator.manifest.read_manifest`),
    ``None`` for a first generation: it decides the package version and the
    API-change report (``_manifest.json``, ``CHANGES.md``). ``extensions`` is the
    folder of the service's hand-written modules (default
    ``extensions/<service>`` of the repository, see :mod:`generator.extensions`):
    they are copied into ``extensions/`` of the package, unformatted, after a
    header, and the client inherits their mixins.
    """
    manifest = release_manifest(ir, previous)
    ir = dataclasses.replace(ir, package_version=manifest["package_version"])
    modules = load_extensions(extensions if extensions is not None else EXTENSIONS_ROOT / ir.service_name)
    if modules:
        check_clashes(modules, client_names(ir))
        check_clashes(modules, client_names(ir), async_client=True, what="the generated async client")
    files = render_package(ir, modules)
    files[MANIFEST_NAME] = dumps(manifest)
    files[CHANGES_NAME] = render_changes(manifest)
    python = {name: text for name, text in files.items() if name.endswith(".py")}
    try:
        formatted = format_sources(python, use_cache=use_cache)
    except FormatError as exc:
        raise TemplateSyntaxError(f"{ir.package}/{exc.module} does not parse: {exc.error}") from exc
    for module in modules:  # verbatim: hand-written code is never reformatted
        files[f"extensions/{module.name}.py"] = copy_header(module) + module.source
    return {name: formatted.get(name, files[name]) for name in sorted(files)}


def client_names(ir: ServiceIR) -> set[str]:
    """Names the generated client class and its base already define: operation and
    paginator methods, ``get_paginator``/``can_paginate`` and the base-class attributes."""
    names = set(CLIENT_ATTRIBUTES)
    for op in ir.operations:
        names.add(op.method)
    for op in paginated_operations(ir):
        assert op.paginator is not None
        names.update((op.paginator.pages_method, op.paginator.items_method))
    return names


def _existing(package_dir: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    if not package_dir.is_dir():
        return found
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            found[path.relative_to(package_dir).as_posix()] = path
    return found


def write_package(files: dict[str, str], package_dir: Path) -> list[str]:
    """Write ``files`` under ``package_dir``; return the relative paths written or removed."""
    changed: list[str] = []
    package_dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        target = package_dir / name
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
        tmp.write_bytes(data)
        tmp.replace(target)
        changed.append(name)
    for name, path in _existing(package_dir).items():
        if name not in files:
            path.unlink()
            changed.append(f"{name} (removed)")
    return changed


def diff_package(files: dict[str, str], package_dir: Path) -> str:
    """Unified diff from the files on disk to ``files`` ("" when identical)."""
    chunks: list[str] = []
    existing = _existing(package_dir)
    for name in sorted(set(files) | set(existing)):
        new = files.get(name)
        old = existing[name].read_text(encoding="utf-8", errors="replace") if name in existing else None
        if new == old:
            continue
        if not new and not old:  # an empty file added or removed: difflib prints nothing
            chunks.append(f"--- {f'a/{package_dir.name}/{name}' if old is not None else '/dev/null'}\n")
            chunks.append(f"+++ {f'b/{package_dir.name}/{name}' if new is not None else '/dev/null'}\n")
            continue
        chunks.extend(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"a/{package_dir.name}/{name}" if old is not None else "/dev/null",
                tofile=f"b/{package_dir.name}/{name}" if new is not None else "/dev/null",
            )
        )
        if chunks and not chunks[-1].endswith("\n"):
            chunks[-1] += "\n"
    return "".join(chunks)
