"""The API-change report: compare two manifests, classify every change, render CHANGES.md.

:func:`diff_manifests` compares the committed manifest with a new one
(:mod:`generator.manifest`) and returns one :class:`Change` per difference a
caller of the generated client could notice. Each change has a semver
``level``:

**major** (labelled **breaking**: existing callers can break)
    an operation, paginator, structure, enum, enum value, error class or member
    removed; a method, class or Python member name changed; a member's type
    changed (kind, class, list/map element, sparseness); a request member
    added as required or made required; a request limit narrowed (``min``
    raised or added, ``max`` lowered or added), because the client validates
    requests against the model's limits before sending; an operation the
    client could call becoming unsupported; a paginator's result changed.
**minor** (additions)
    an operation, paginator, structure, enum, enum value, error class or
    optional member added; an operation listing a new error.
**patch** (everything else)
    a request limit widened; a member made optional; ``required`` or limits
    changed on replies only (the client never enforces them on replies); an
    operation no longer listing an error whose class still exists; deprecation
    flags; a structure used in a new direction; an error code or HTTP status
    changed; and, with no API change at all, a new model hash or botocore
    release (documentation, endpoint rules).

A structure's ``roles`` decide which rules apply to its members: ``input``
(callers build it, the client validates it) and/or ``output`` (parsed from
replies). Error shapes are replies.

:func:`render_changes` turns a manifest's ``release`` block into the text of
``CHANGES.md``: deterministic (no dates), sorted by section and subject.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "LEVELS",
    "Change",
    "bump_level",
    "bump_version",
    "diff_manifests",
    "render_changes",
    "summary_line",
    "type_text",
]

LEVELS = ("major", "minor", "patch")
KINDS = ("added", "removed", "changed")
_ROLE_TEXT = {"input": "request", "output": "reply"}
SECTIONS = ("operations", "paginators", "structures", "enums", "errors")
_TITLES = {
    "operations": "Operations",
    "paginators": "Paginators",
    "structures": "Structures and members",
    "enums": "Enums",
    "errors": "Errors",
}


@dataclass(frozen=True)
class Change:
    """One difference between two manifests.

    ``section`` is one of :data:`SECTIONS`; ``subject`` the model name it is
    about (``CreateCase``, ``CreateCaseRequest.uploadIds``); ``text`` one
    Markdown sentence; ``level`` ``major``, ``minor`` or ``patch``; ``kind``
    ``added`` or ``removed`` (the whole operation, structure, enum, error or
    paginator) or ``changed`` (anything inside an existing one).
    """

    section: str
    subject: str
    text: str
    level: str
    kind: str = "changed"

    @property
    def breaking(self) -> bool:
        """True for ``major`` changes: existing callers can break."""
        return self.level == "major"

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "subject": self.subject,
            "text": self.text,
            "level": self.level,
            "kind": self.kind,
            "breaking": self.breaking,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(
            str(data["section"]),
            str(data["subject"]),
            str(data["text"]),
            str(data["level"]),
            str(data["kind"]),
        )


# ------------------------------------------------------------------ types

_SCALARS = {
    "string": "str",
    "integer": "int",
    "long": "int",
    "float": "float",
    "double": "float",
    "boolean": "bool",
    "blob": "bytes",
    "timestamp": "datetime",
    "document": "document",
}
_LENGTH_UNITS = {"string": "length", "blob": "size", "list": "items", "map": "entries"}


def type_text(desc: dict[str, Any] | None) -> str:
    """A type descriptor as a short Python-like annotation: ``list[Attachment]``, ``str``."""
    if desc is None:
        return "none"
    kind = desc["kind"]
    if "class" in desc:
        text = str(desc["class"])
    elif kind == "list":
        text = f"list[{type_text(desc.get('element'))}]"
    elif kind == "map":
        text = f"dict[str, {type_text(desc.get('element'))}]"
    else:
        text = _SCALARS.get(kind, kind)
    if desc.get("sparse"):
        text += " (sparse)"
    return text


def _limits_text(desc: dict[str, Any]) -> str:
    """``length 1..2048``, ``items <= 10, each item's length 1..2048``, ``value >= 2``."""
    parts: list[str] = []
    level = desc
    prefix = ""
    while True:
        unit = _LENGTH_UNITS.get(level["kind"], "value")
        lo, hi = level.get("min"), level.get("max")
        if lo is not None or hi is not None:
            if lo is not None and hi is not None:
                span = f"{_num(lo)}..{_num(hi)}"
            elif lo is not None:
                span = f">= {_num(lo)}"
            else:
                span = f"<= {_num(hi)}"
            parts.append(f"{prefix}{unit} {span}")
        element = level.get("element")
        if element is None:
            break
        prefix = "each item's " if level["kind"] == "list" else "each value's "
        level = element
    return ", ".join(parts)


def _member_text(member: dict[str, Any], *, required_matters: bool) -> str:
    """``upload_ids: list[str]`` plus ``(required, items 0..10, ...)`` when there is any."""
    bits: list[str] = []
    if member.get("required") and required_matters and not member.get("idempotency_token"):
        bits.append("required")
    limits = _limits_text(member["type"])
    if limits:
        bits.append(limits)
    text = f"`{member['py_name']}: {type_text(member['type'])}`"
    return text + (f" ({', '.join(bits)})" if bits else "")


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _strip_limits(desc: dict[str, Any] | None) -> dict[str, Any] | None:
    if desc is None:
        return None
    out = {k: v for k, v in desc.items() if k not in ("min", "max")}
    if "element" in out:
        out["element"] = _strip_limits(out["element"])
    return out


def _limit_changes(
    old: dict[str, Any], new: dict[str, Any], path: str
) -> Iterable[tuple[str, str, bool]]:
    """(path, description, narrowed) for each min/max change, walking list/map elements."""
    unit = _LENGTH_UNITS.get(new["kind"], "value")
    numeric = unit == "value"
    for key in ("min", "max"):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if key == "min":
            floor_a = a if a is not None else (None if numeric else 0)
            floor_b = b if b is not None else (None if numeric else 0)
            if floor_a == floor_b:
                continue
            narrowed = floor_b is not None and (floor_a is None or floor_b > floor_a)
        else:
            narrowed = b is not None and (a is None or b < a)
        text = f"{key} {unit} {_num(a) if a is not None else 'none'} → {_num(b) if b is not None else 'none'}"
        yield path, text + (" (narrowed)" if narrowed else " (widened)"), narrowed
    old_el, new_el = old.get("element"), new.get("element")
    if old_el is not None and new_el is not None:
        suffix = "[]" if new["kind"] == "list" else "{}"
        yield from _limit_changes(old_el, new_el, path + suffix)


# ---------------------------------------------------------------- diffing


class _Found:
    """Collects the changes of one section."""

    def __init__(self, section: str) -> None:
        self.section = section
        self.items: list[Change] = []

    def add(self, subject: str, text: str, level: str, kind: str = "changed") -> None:
        self.items.append(Change(self.section, subject, text, level, kind))


def _state(deprecated: Any) -> str:
    return "deprecated" if deprecated else "no longer deprecated"


def _diff_member(
    out: _Found, subject: str, a: dict[str, Any], b: dict[str, Any], *, is_input: bool
) -> None:
    if a["py_name"] != b["py_name"]:
        out.add(subject, f"`{subject}`: Python name `{a['py_name']}` → `{b['py_name']}`.", "major")
    if _strip_limits(a["type"]) != _strip_limits(b["type"]):
        out.add(
            subject,
            f"`{subject}`: type `{type_text(a['type'])}` → `{type_text(b['type'])}`.",
            "major",
        )
    else:
        for path, text, narrowed in _limit_changes(a["type"], b["type"], subject):
            if not is_input:
                out.add(path, f"`{path}`: {text} (replies only: not enforced).", "patch")
            elif narrowed:
                out.add(
                    path,
                    f"`{path}`: {text}: requests the old limit allowed are now rejected.",
                    "major",
                )
            else:
                out.add(path, f"`{path}`: {text}.", "patch")
    if bool(a.get("required")) != bool(b.get("required")):
        if not b.get("required"):
            out.add(subject, f"`{subject}`: required → optional.", "patch")
        elif is_input and not b.get("idempotency_token"):
            out.add(subject, f"`{subject}`: optional → **required** in requests.", "major")
        else:
            out.add(
                subject, f"`{subject}`: optional → required (replies only: not enforced).", "patch"
            )
    if bool(a.get("deprecated")) != bool(b.get("deprecated")):
        out.add(subject, f"`{subject}`: {_state(b.get('deprecated'))}.", "patch")


def _diff_members(
    out: _Found, owner: str, old: dict[str, Any], new: dict[str, Any], *, is_input: bool
) -> None:
    """Members of the structure or error ``owner``: added, removed, changed."""
    for name in sorted(set(new) - set(old)):
        m, subject = new[name], f"{owner}.{name}"
        if is_input and m.get("required") and not m.get("idempotency_token"):
            text = f"`{subject}` added as a **required** request member: {_member_text(m, required_matters=True)}."
            out.add(subject, text, "major")
        else:
            optional = ", optional" if is_input else ""
            out.add(
                subject,
                f"`{subject}` added{optional}: {_member_text(m, required_matters=is_input)}.",
                "minor",
            )
    for name in sorted(set(old) - set(new)):
        subject = f"{owner}.{name}"
        out.add(subject, f"`{subject}` (`{old[name]['py_name']}`) removed.", "major")
    for name in sorted(set(old) & set(new)):
        _diff_member(out, f"{owner}.{name}", old[name], new[name], is_input=is_input)


def _paginator_names(p: dict[str, Any]) -> str:
    return f"`client.{p['pages_method']}`, `client.{p['items_method']}`, `{p['class']}`"


def _diff_paginator(
    out: _Found, op: str, a: dict[str, Any] | None, b: dict[str, Any] | None
) -> None:
    if a == b:
        return
    if b is None:
        assert a is not None
        out.add(op, f"`{op}`: paginator removed ({_paginator_names(a)}).", "major", "removed")
    elif a is None:
        text = (
            f"`{op}`: paginator added ({_paginator_names(b)}), pages through "
            f"`{b['result_key']}` of `{type_text(b['item'])}`."
        )
        out.add(op, text, "minor", "added")
    elif _paginator_names(a) != _paginator_names(b):
        text = f"`{op}`: paginator names {_paginator_names(a)} → {_paginator_names(b)}."
        out.add(op, text, "major")
    elif a["result_key"] != b["result_key"] or _strip_limits(a["item"]) != _strip_limits(b["item"]):
        text = (
            f"`{op}`: paginator pages through `{a['result_key']}` (`{type_text(a['item'])}`) → "
            f"`{b['result_key']}` (`{type_text(b['item'])}`)."
        )
        out.add(op, text, "major")
    else:
        keys = [k for k in ("input_token", "output_token", "limit_key") if a.get(k) != b.get(k)]
        detail = (
            ", ".join(f"{k} `{a.get(k)}` → `{b.get(k)}`" for k in keys) or "item limits changed"
        )
        out.add(op, f"`{op}`: paginator {detail}.", "patch")


def _diff_operations(
    old: dict[str, Any], new: dict[str, Any], new_errors: dict[str, Any]
) -> list[Change]:
    out, pages = _Found("operations"), _Found("paginators")
    for name in sorted(set(new) - set(old)):
        op = new[name]
        parts = [
            f"Added operation `{name}` (`client.{op['method']}`)",
            f"input `{op['input']}`" if op["input"] else "no input",
            f"output `{op['output']}`" if op["output"] else "no output",
            "errors " + (", ".join(f"`{e}`" for e in op["errors"]) or "none"),
        ]
        if op.get("unsupported"):
            parts.append(f"not callable: {op['unsupported']}")
        out.add(name, "; ".join(parts) + ".", "minor", "added")
        _diff_paginator(pages, name, None, op.get("paginator"))
    for name in sorted(set(old) - set(new)):
        out.add(
            name,
            f"Removed operation `{name}` (`client.{old[name]['method']}`).",
            "major",
            "removed",
        )
        _diff_paginator(pages, name, old[name].get("paginator"), None)
    for name in sorted(set(old) & set(new)):
        a, b = old[name], new[name]
        if a["method"] != b["method"]:
            out.add(name, f"`{name}`: method `{a['method']}` → `{b['method']}`.", "major")
        for key in ("input", "output"):
            if a[key] != b[key]:
                out.add(name, f"`{name}`: {key} structure `{a[key]}` → `{b[key]}`.", "patch")
        for err in b["errors"]:
            if err not in a["errors"]:
                out.add(name, f"`{name}` can now raise `{err}`.", "minor")
        for err in a["errors"]:
            if err not in b["errors"]:
                gone = "" if err in new_errors else " (and its class is removed: see Errors)"
                out.add(name, f"`{name}` no longer lists `{err}`{gone}.", "patch")
        if bool(a.get("deprecated")) != bool(b.get("deprecated")):
            out.add(name, f"`{name}`: {_state(b.get('deprecated'))}.", "patch")
        if a.get("unsupported") != b.get("unsupported"):
            if b.get("unsupported"):
                out.add(name, f"`{name}` is no longer callable: {b['unsupported']}.", "major")
            else:
                out.add(name, f"`{name}` is now callable.", "minor")
        _diff_paginator(pages, name, a.get("paginator"), b.get("paginator"))
    return out.items + pages.items


def _diff_structures(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = _Found("structures")
    for name in sorted(set(new) - set(old)):
        s = new[name]
        is_input = "input" in s["roles"]
        members = "; ".join(
            _member_text(s["members"][m], required_matters=is_input) for m in sorted(s["members"])
        )
        kind = "union" if s.get("union") else "structure"
        roles = " and ".join(_ROLE_TEXT[r] for r in s["roles"])
        out.add(
            name,
            f"Added {kind} `{s['class']}` ({roles}){': ' + members if members else ''}.",
            "minor",
            "added",
        )
    for name in sorted(set(old) - set(new)):
        out.add(name, f"Removed structure `{old[name]['class']}`.", "major", "removed")
    for name in sorted(set(old) & set(new)):
        a, b = old[name], new[name]
        if a["class"] != b["class"]:
            out.add(name, f"`{name}`: class `{a['class']}` → `{b['class']}`.", "major")
        if bool(a.get("union")) != bool(b.get("union")):
            out.add(name, f"`{name}`: {'now' if b.get('union') else 'no longer'} a union.", "major")
        if a["roles"] != b["roles"]:
            before = " and ".join(_ROLE_TEXT[r] for r in a["roles"])
            after = " and ".join(_ROLE_TEXT[r] for r in b["roles"])
            out.add(name, f"`{name}`: {before} → {after}.", "patch")
        if bool(a.get("deprecated")) != bool(b.get("deprecated")):
            out.add(name, f"`{name}`: {_state(b.get('deprecated'))}.", "patch")
        is_input = "input" in a["roles"] or "input" in b["roles"]
        _diff_members(out, name, a["members"], b["members"], is_input=is_input)
    return out.items


def _diff_enums(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = _Found("enums")
    for name in sorted(set(new) - set(old)):
        values = ", ".join(f"`{v}`" for v in new[name]["values"])
        out.add(name, f"Added enum `{new[name]['class']}`: {values}.", "minor", "added")
    for name in sorted(set(old) - set(new)):
        out.add(name, f"Removed enum `{old[name]['class']}`.", "major", "removed")
    for name in sorted(set(old) & set(new)):
        a, b = old[name], new[name]
        if a["class"] != b["class"]:
            out.add(name, f"`{name}`: class `{a['class']}` → `{b['class']}`.", "major")
        added = ", ".join(f"`{v}`" for v in b["values"] if v not in a["values"])
        removed = ", ".join(f"`{v}`" for v in a["values"] if v not in b["values"])
        if added:
            out.add(name, f"`{b['class']}`: values added: {added}.", "minor")
        if removed:
            out.add(name, f"`{b['class']}`: values removed: {removed}.", "major")
    return out.items


def _diff_errors(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = _Found("errors")
    for name in sorted(set(new) - set(old)):
        e = new[name]
        members = "; ".join(
            _member_text(e["members"][m], required_matters=False) for m in sorted(e["members"])
        )
        text = (
            f"Added error `{e['class']}` (code `{e['code']}`){': ' + members if members else ''}."
        )
        out.add(name, text, "minor", "added")
    for name in sorted(set(old) - set(new)):
        out.add(name, f"Removed error `{old[name]['class']}`.", "major", "removed")
    for name in sorted(set(old) & set(new)):
        a, b = old[name], new[name]
        if a["class"] != b["class"]:
            out.add(name, f"`{name}`: class `{a['class']}` → `{b['class']}`.", "major")
        for key in ("code", "http_status", "fault"):
            if a.get(key) != b.get(key):
                out.add(name, f"`{name}`: {key} `{a.get(key)}` → `{b.get(key)}`.", "patch")
        _diff_members(out, name, a["members"], b["members"], is_input=False)
    return out.items


def diff_manifests(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every caller-visible difference from ``old`` to ``new``.

    Sorted by section (:data:`SECTIONS`), then added, removed, changed, then subject.
    """
    found = [
        *_diff_operations(
            old.get("operations", {}), new.get("operations", {}), new.get("errors", {})
        ),
        *_diff_structures(old.get("structures", {}), new.get("structures", {})),
        *_diff_enums(old.get("enums", {}), new.get("enums", {})),
        *_diff_errors(old.get("errors", {}), new.get("errors", {})),
    ]
    return sorted(
        found, key=lambda c: (SECTIONS.index(c.section), KINDS.index(c.kind), c.subject, c.text)
    )


def bump_level(found: Iterable[Change]) -> str:
    """``major`` if anything breaks, else ``minor`` if anything was added, else ``patch``."""
    levels = {c.level for c in found}
    for level in LEVELS[:2]:
        if level in levels:
            return level
    return "patch"


def bump_version(version: str, level: str) -> str:
    """``1.4.2`` bumped by ``major`` → ``2.0.0``, ``minor`` → ``1.5.0``, ``patch`` → ``1.4.3``."""
    try:
        major, minor, patch = (int(p) for p in version.split("."))
    except ValueError:
        raise ValueError(f"package version {version!r} is not MAJOR.MINOR.PATCH") from None
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown bump level {level!r}")


# --------------------------------------------------------------- rendering

_BUMP_REASON = {
    "major": "at least one change can break existing callers",
    "minor": "API was added and nothing breaks",
    "patch": "no API was added or removed",
}


def _botocore_move(prev: dict[str, Any], manifest: dict[str, Any]) -> str:
    if prev["botocore_version"] == manifest["botocore_version"]:
        return f"botocore {manifest['botocore_version']}"
    return f"botocore {prev['botocore_version']} → {manifest['botocore_version']}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(manifest: dict[str, Any]) -> str:
    """One line: versions, bump and counts (printed by ``make generate`` and ``--check``)."""
    release = manifest["release"]
    version = manifest["package_version"]
    prev = release.get("previous")
    found = [Change.from_json(c) for c in release.get("changes", [])]
    if release["bump"] == "initial" or prev is None:
        return f"{manifest['package']} {version}: first manifest (botocore {manifest['botocore_version']})"
    breaking = sum(c.breaking for c in found)
    added = sum(c.level == "minor" for c in found)
    other = sum(c.level == "patch" for c in found)
    return (
        f"{manifest['package']} {prev['package_version']} → {version} ({release['bump']}): "
        f"{_botocore_move(prev, manifest)}; "
        f"{breaking} breaking, {added} additions, {other} other changes"
    )


def render_changes(manifest: dict[str, Any]) -> str:
    """The text of ``CHANGES.md`` for ``manifest`` (a function of the manifest alone)."""
    release = manifest["release"]
    version = manifest["package_version"]
    prev = release.get("previous")
    lines = [
        f"# {manifest['package']} API changes",
        "",
        "Generated from `_manifest.json` by aws-codegen (`make generate`); do not edit. It describes the",
        "last regeneration that changed the model or the API; earlier reports are in git history.",
        "",
    ]
    paginators = sum(1 for op in manifest["operations"].values() if op.get("paginator"))
    counts = ", ".join(
        _count(n, word)
        for n, word in (
            (len(manifest["operations"]), "operation"),
            (len(manifest["structures"]), "structure"),
            (len(manifest["enums"]), "enum"),
            (len(manifest["errors"]), "error"),
            (paginators, "paginator"),
        )
    )
    if release["bump"] == "initial" or prev is None:
        lines += [
            f"## {version}: botocore {manifest['botocore_version']}",
            "",
            (
                f"First release with an API manifest: {manifest['service']} API version "
                f"{manifest['api_version']}, {counts}. There is no earlier manifest to compare with."
            ),
        ]
        if release.get("note"):
            lines += ["", f"Note: {release['note']}."]
        return "\n".join(lines) + "\n"

    found = [Change.from_json(c) for c in release.get("changes", [])]
    lines += [
        f"## {version} ({release['bump']}): {_botocore_move(prev, manifest)}",
        "",
        f"- Package version: {prev['package_version']} → {version}.",
        f"- Model sha256: {str(prev['model_sha256'])[:16]}… → {str(manifest['model_sha256'])[:16]}….",
        f"- Now: {counts}.",
    ]
    if release.get("note"):
        lines += [f"- Note: {release['note']}."]
        return "\n".join(lines) + "\n"
    breaking = [c for c in found if c.breaking]
    lines += [
        f"- Bump: **{release['bump']}**: {_BUMP_REASON[release['bump']]}.",
        (
            f"- {_count(len(found), 'change')}: {len(breaking)} breaking, "
            f"{_count(sum(c.level == 'minor' for c in found), 'addition')}, "
            f"{sum(c.level == 'patch' for c in found)} other."
        ),
        "",
    ]
    if not found:
        lines += [
            (
                f"No API changes since botocore {prev['botocore_version']}: the model changed only in "
                "documentation, endpoint rules or other details that do not alter the client's API."
                if prev["model_sha256"] != manifest["model_sha256"]
                else f"No API changes since botocore {prev['botocore_version']}: the model is unchanged."
            ),
        ]
        return "\n".join(lines) + "\n"
    lines += ["### Breaking changes", ""]
    lines += [f"- {c.text}" for c in breaking] or ["None: existing callers keep working."]
    for section in SECTIONS:
        items = [c for c in found if c.section == section]
        if not items:
            continue
        lines += ["", f"### {_TITLES[section]}", ""]
        lines += [f"- {'**breaking**: ' if c.breaking else ''}{c.text}" for c in items]
    return "\n".join(lines) + "\n"
