"""The API manifest: a small, machine-readable record of what a generated package exposes.

``generated/<package>/_manifest.json`` is written next to the generated modules
on every generation. It holds:

- identity: ``service``, ``package``, ``api_version``, ``botocore_version`` (the
  release whose model was read), ``model_sha256`` (as in ``MODEL_SHA256``) and
  ``format`` (the layout of this file, :data:`FORMAT`);
- the API surface, derived from the :class:`~generator.ir.ServiceIR`:
  ``operations`` (client method, input and output structure, error shapes in
  model order, paginator: class, client methods, tokens, result key and item
  type), ``structures`` (class name, ``roles``: ``input``
  when callers build it, ``output`` when the client parses it, members),
  ``enums`` (wire values) and ``errors`` (class name, error code, members).
  A member records its Python name, ``required`` and its type as a nested
  descriptor: ``kind`` (the :class:`~generator.ir.TypeRef` kinds), ``class``
  for structures, unions and enums, ``element`` for list items and map values,
  ``min``/``max`` (length, item count or value limits) and ``sparse``;
- ``package_version`` and ``release``: the package's own semantic version and
  how it was derived (``bump``, the ``previous`` manifest's identity and the
  list of ``changes``), decided by :func:`release_manifest`.

The file is JSON with sorted keys and two-space indentation, so two runs on the
same inputs give the same bytes. Lists keep model order.

Versioning scheme (README "Versioning"): the package version is its own
semver, bumped from the committed manifest's version by the API-change report
(:mod:`generator.changes`): **major** when any change can break callers,
**minor** when the change adds API and breaks nothing, **patch** for anything
else (documentation, endpoint rules, a new botocore release with an unchanged
model). The first manifest starts at :data:`INITIAL_VERSION`. Regenerating
from the same model and botocore release (a generator or template change that
leaves the API surface alone) keeps the version and the last report, so
``make generate`` twice is a no-op.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .ir import MemberIR, OperationIR, PaginatorIR, ServiceIR, TypeRef

__all__ = [
    "CHANGES_NAME",
    "FORMAT",
    "INITIAL_VERSION",
    "MANIFEST_NAME",
    "ManifestError",
    "api_manifest",
    "dumps",
    "identity",
    "plan_release",
    "read_manifest",
    "release_manifest",
    "surface",
]

MANIFEST_NAME = "_manifest.json"
CHANGES_NAME = "CHANGES.md"
FORMAT = 1
INITIAL_VERSION = "1.0.0"

# Keys that describe the release rather than the API; everything else is the surface.
_RELEASE_KEYS = ("package_version", "release")


class ManifestError(ValueError):
    """A committed manifest cannot be read (the message names the file and the problem)."""


def type_descriptor(t: TypeRef) -> dict[str, Any]:
    """A :class:`TypeRef` as a JSON object (keys only when set; see the module docstring)."""
    desc: dict[str, Any] = {"kind": t.kind}
    if t.class_name:
        desc["class"] = t.class_name
    if t.min is not None:
        desc["min"] = t.min
    if t.max is not None:
        desc["max"] = t.max
    if t.sparse:
        desc["sparse"] = True
    if t.element is not None:
        desc["element"] = type_descriptor(t.element)
    return desc


def _members(members: tuple[MemberIR, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in members:
        entry: dict[str, Any] = {
            "py_name": m.py_name,
            "required": m.required,
            "type": type_descriptor(m.type),
        }
        if m.idempotency_token:
            entry["idempotency_token"] = True
        if m.deprecated:
            entry["deprecated"] = True
        out[m.name] = entry
    return out


def _paginator(p: PaginatorIR | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "class": p.class_name,
        "pages_method": p.pages_method,
        "items_method": p.items_method,
        "input_token": p.input_token,
        "output_token": p.output_token,
        "result_key": p.result_key,
        "limit_key": p.limit_key,
        "item": type_descriptor(p.item_type),
    }


def _operation(op: OperationIR) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "method": op.method,
        "input": op.input.shape if op.input is not None else None,
        "output": op.output.shape if op.output is not None else None,
        "errors": [e.shape for e in op.errors],
        "paginator": _paginator(op.paginator),
        "deprecated": op.deprecated,
    }
    if op.unsupported_reason:
        entry["unsupported"] = op.unsupported_reason
    return entry


def api_manifest(ir: ServiceIR) -> dict[str, Any]:
    """The identity and API surface of ``ir`` (no ``package_version``/``release`` yet)."""
    structures: dict[str, Any] = {}
    for s in ir.structures:
        roles = [r for r, used in (("input", s.needs_serialize), ("output", s.needs_parse)) if used]
        entry: dict[str, Any] = {
            "class": s.class_name,
            "roles": roles,
            "members": _members(s.members),
        }
        if s.is_union:
            entry["union"] = True
        if s.deprecated:
            entry["deprecated"] = True
        structures[s.shape] = entry
    return {
        "format": FORMAT,
        "service": ir.service_name,
        "package": ir.package,
        "api_version": ir.api_version,
        "botocore_version": ir.botocore_version,
        "model_sha256": ir.model_hash,
        "operations": {op.name: _operation(op) for op in ir.operations},
        "structures": structures,
        "enums": {
            e.shape: {"class": e.class_name, "values": [v for _, v in e.values]} for e in ir.enums
        },
        "errors": {
            e.shape: {
                "class": e.class_name,
                "code": e.code,
                "http_status": e.http_status,
                "fault": e.fault,
                "members": _members(e.members),
            }
            for e in ir.errors
        },
    }


def surface(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` without its release keys: what two generations compare."""
    return {k: v for k, v in manifest.items() if k not in _RELEASE_KEYS}


def identity(manifest: dict[str, Any]) -> dict[str, Any]:
    """Package version, botocore version and model hash: how a report names a manifest."""
    return {
        "package_version": manifest.get("package_version"),
        "botocore_version": manifest.get("botocore_version"),
        "model_sha256": manifest.get("model_sha256"),
    }


def release_manifest(ir: ServiceIR, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The full manifest for ``ir``: :func:`plan_release` of :func:`api_manifest`."""
    return plan_release(api_manifest(ir), previous)


def plan_release(new: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """Add ``package_version`` and ``release`` to the API manifest ``new``.

    ``previous`` is the committed manifest (``None`` when there is none):

    - none: version :data:`INITIAL_VERSION`, bump ``initial``, no changes;
    - same surface (same model, botocore release and API): the previous
      version and release are kept unchanged, so regenerating is a no-op;
    - a different ``format``: not compared; the previous version is kept and
      ``release.note`` says why;
    - otherwise: the changes from :func:`generator.changes.diff_manifests`,
      and the version bumped from the previous one by :func:`generator.changes.bump_level`.
    """
    from . import changes

    new = surface(new)
    if previous is None:
        return {
            **new,
            "package_version": INITIAL_VERSION,
            "release": {"bump": "initial", "previous": None, "changes": []},
        }
    prev_version = str(previous.get("package_version") or INITIAL_VERSION)
    if surface(previous) == new and "release" in previous:
        return {**new, "package_version": prev_version, "release": previous["release"]}
    if previous.get("format") != FORMAT:
        return {
            **new,
            "package_version": prev_version,
            "release": {
                "bump": "none",
                "previous": identity(previous),
                "changes": [],
                "note": f"the previous manifest uses format {previous.get('format')!r}, "
                f"this generator writes format {FORMAT}; not compared",
            },
        }
    found = changes.diff_manifests(previous, new)
    level = changes.bump_level(found)
    return {
        **new,
        "package_version": changes.bump_version(prev_version, level),
        "release": {
            "bump": level,
            "previous": identity(previous),
            "changes": [c.to_json() for c in found],
        },
    }


_INLINE_DEPTH = 4  # members, type descriptors: one line each


def _is_flat(value: Any) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return all(not isinstance(v, (dict, list)) for v in items)


def _dump(value: Any, depth: int) -> str:
    if not isinstance(value, (dict, list)) or depth >= _INLINE_DEPTH or _is_flat(value):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    pad = "  " * (depth + 1)
    if isinstance(value, list):
        body = [pad + _dump(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(body) + "\n" + "  " * depth + "]"
    body = [f"{pad}{json.dumps(k)}: {_dump(value[k], depth + 1)}" for k in sorted(value)]
    return "{\n" + ",\n".join(body) + "\n" + "  " * depth + "}"


def dumps(manifest: dict[str, Any]) -> str:
    """Deterministic JSON text: sorted keys, two-space indent, trailing newline.

    Objects and lists nested four levels deep (a member with its type) and
    lists or objects of plain values stay on one line, so a reviewer's diff
    shows one line per changed member, change or error list.
    """
    return _dump(manifest, 0) + "\n"


def read_manifest(package_dir: Path) -> dict[str, Any] | None:
    """The manifest committed in ``package_dir``; ``None`` when there is none.

    Raises :class:`ManifestError` when the file exists but is not a JSON object.
    """
    path = package_dir / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path} is not valid JSON ({exc}); restore it from git") from exc
    if not isinstance(data, dict):
        raise ManifestError(f"{path} does not hold a JSON object; restore it from git")
    return data
