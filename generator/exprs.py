"""Python source fragments for each type kind, used by the templates.

One function per concern (annotation, serialize, parse, validate), each with
one branch per :class:`~generator.ir.TypeRef` kind, so adding a kind means
adding one branch to each. The fragments reference generated modules through
fixed underscore aliases: ``_m`` (models), ``_w`` (``aws_runtime.wire``),
``_v`` (``aws_runtime.validation``), ``_ft`` (``functools``), ``_dt`` (``datetime``),
``_t`` (``typing``), ``_abc`` (``collections.abc``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from .ir import TypeRef

__all__ = ["annotation", "de_callable", "de_member", "loop_ids", "ser_expr", "validate_lines"]

_SCALAR_PY = {
    "string": "str",
    "integer": "int",
    "long": "int",
    "float": "float",
    "double": "float",
    "boolean": "bool",
    "blob": "bytes",
    "timestamp": "_dt.datetime",
    "document": "_t.Any",
}

# Inputs accept more than replies give: Decimal for floats (sent as botocore sends
# it), documents as any Mapping/Sequence with JSON_NULL for null (aws_runtime.wire).
_SCALAR_INPUT = {
    "float": "float | _decimal.Decimal",
    "double": "float | _decimal.Decimal",
    "document": "_w.Document",
}

_DE_SCALAR = {
    "string": "_w.de_str",
    "integer": "_w.de_int",
    "long": "_w.de_int",
    "float": "_w.de_float",
    "double": "_w.de_float",
    "boolean": "_w.de_bool",
    "blob": "_w.de_blob",
    "timestamp": "_w.de_timestamp",
    "document": "_w.de_document",
}


def annotation(t: TypeRef, prefix: str = "", role: str = "output") -> str:
    """The Python type of ``t``.

    ``prefix`` qualifies generated classes (``""`` inside models.py, ``"_m."``
    elsewhere). ``role`` is ``"input"`` (parameters and input-only structures:
    lists accept any sequence, maps any mapping, elements are never None unless
    the model marks the collection sparse) or ``"output"`` (replies: concrete
    ``list``/``dict``; scalar elements may be None because services send nulls
    inside lists, e.g. Trusted Advisor metadata).
    """
    kind = t.kind
    if role == "input" and kind in _SCALAR_INPUT:
        return _SCALAR_INPUT[kind]
    if kind in _SCALAR_PY:
        return _SCALAR_PY[kind]
    if kind == "enum":
        return f"{prefix}{t.class_name} | str"
    if kind in ("structure", "union"):
        return f"{prefix}{t.class_name}"
    assert t.element is not None
    inner = annotation(t.element, prefix, role)
    nullable = t.sparse or (role == "output" and (t.element.is_scalar or t.element.kind == "document"))
    if nullable and t.element.kind != "document":
        inner = f"{inner} | None"
    if kind == "list":
        return f"_abc.Sequence[{inner}]" if role == "input" else f"list[{inner}]"
    if kind == "map":
        return f"_abc.Mapping[str, {inner}]" if role == "input" else f"dict[str, {inner}]"
    raise ValueError(f"unknown type kind {kind!r}")


def _is_identity(t: TypeRef) -> bool:
    """True when the Python value is already its JSON form (no conversion needed)."""
    if t.kind in ("string", "enum", "integer", "long", "boolean"):
        return True
    if t.kind in ("list", "map"):
        # one level only: ``list(value)``/``dict(value)`` copy the outer container, so a
        # nested Mapping (e.g. a MappingProxyType inside a map of maps) still needs its own copy
        assert t.element is not None
        return t.element.kind in ("string", "enum", "integer", "long", "boolean")
    return False


def ser_expr(t: TypeRef, value: str, depth: int = 0) -> str:
    """Expression turning the Python ``value`` (not None) into its JSON-ready form."""
    kind = t.kind
    if _is_identity(t):
        if kind == "list":
            return f"list({value})"
        if kind == "map":
            return f"dict({value})"
        return value
    if kind in ("float", "double"):
        return f"_w.ser_float({value})"
    if kind == "document":
        return f"_w.ser_document({value})"
    if kind == "blob":
        return f"_w.ser_blob({value})"
    if kind == "timestamp":
        return f"_w.ser_timestamp({value}, {t.timestamp_format!r})"
    if kind in ("structure", "union"):
        return f"serialize_{t.func}({value})"
    assert t.element is not None
    var = f"x{depth}"
    inner = ser_expr(t.element, var, depth + 1)
    guarded = f"None if {var} is None else {inner}"
    if kind == "list":
        return f"[{guarded} for {var} in {value}]"
    if kind == "map":
        return f"{{k{depth}: {guarded} for k{depth}, {var} in {value}.items()}}"
    raise ValueError(f"unknown type kind {kind!r}")


def de_callable(t: TypeRef, prefix: str = "_m.", serde: str = "") -> str:
    """A one-argument callable converting a JSON value (not None) of type ``t``.

    ``prefix`` qualifies model classes, ``serde`` the per-shape ``parse_``
    functions (``"_serde."`` outside the serde module).
    """
    kind = t.kind
    if kind in _DE_SCALAR:
        return _DE_SCALAR[kind]
    if kind == "enum":
        return f"_ft.partial(_w.de_enum, {prefix}{t.class_name})"
    if kind in ("structure", "union"):
        return f"{serde}parse_{t.func}"
    assert t.element is not None
    fn = "_w.de_list_of" if kind == "list" else "_w.de_map_of"
    return f"_ft.partial({fn}, {de_callable(t.element, prefix, serde)})"


def de_member(t: TypeRef, value: str, wire_name: str, prefix: str = "_m.", serde: str = "") -> str:
    """Expression converting the JSON member ``value`` (may be None) named ``wire_name``."""
    kind = t.kind
    name = repr(wire_name)
    if kind in _DE_SCALAR:
        return f"{_DE_SCALAR[kind]}({value}, {name})"
    if kind == "enum":
        return f"_w.de_enum({prefix}{t.class_name}, {value}, {name})"
    if kind in ("structure", "union"):
        return f"_w.de_nested({serde}parse_{t.func}, {value}, {name})"
    assert t.element is not None
    fn = "_w.de_list_of" if kind == "list" else "_w.de_map_of"
    return f"{fn}({de_callable(t.element, prefix, serde)}, {value}, {name})"


def validate_lines(
    t: TypeRef,
    value: str,
    path: str,
    name: str,
    *,
    presence: str | None = None,
    ids: Iterator[int] | None = None,
    prefix: str = "_m.",
) -> list[str]:
    """Statements checking ``value`` and appending problems to ``errors``.

    ``path`` is the parent path expression and ``name`` a Python expression
    for the member's name in messages (a string literal, or an f-string for
    list/map items). ``presence`` is ``"required"`` for required members
    (None reported as missing), ``"item"`` for items of non-sparse lists and
    maps (None reported as a wrong type) or ``None`` (None allowed).
    Conditions are joined with ``and`` rather than nested, and each nested
    guard repeats ``is not None`` (after any presence check too) so type
    checkers narrow optional values.
    ``ids`` numbers the loop variables (``i0``, ``x0``, ``p0``...); share one
    :func:`loop_ids` counter across a generated function so no variable is
    reused with another type (which mypy rejects).
    """
    if ids is None:
        ids = loop_ids()
    head = f"errors, {path}, {name}"
    conditions: list[str] = []
    if presence is not None:
        helper = "_v.check_required" if presence == "required" else "_v.check_item"
        conditions.append(f"{helper}({value}, {head})")
    checks = _scalar_check(t, value, head)
    if checks is not None:
        if not conditions:
            return checks
        return [f"if {' and '.join(conditions)}:"] + ["    " + line for line in checks]
    guard, body = _nested_check(t, value, path, name, ids, prefix)
    # Also after a presence check: check_required/check_item do not narrow for mypy.
    conditions.append(f"{value} is not None")
    conditions.append(guard)
    return [f"if {' and '.join(conditions)}:"] + ["    " + line for line in body]


def _limits(t: TypeRef) -> str:
    if t.min is None and t.max is None:
        return ""
    return f", {t.min!r}, {t.max!r}"


def _scalar_check(t: TypeRef, value: str, head: str) -> list[str] | None:
    kind = t.kind
    if kind in ("string", "enum"):
        return [f"_v.check_str({value}, {head}{_limits(t)})"]
    if kind in ("integer", "long"):
        return [f"_v.check_int({value}, {head}{_limits(t)})"]
    if kind in ("float", "double"):
        return [f"_v.check_float({value}, {head}{_limits(t)})"]
    if kind == "boolean":
        return [f"_v.check_bool({value}, {head})"]
    if kind == "blob":
        return [f"_v.check_blob({value}, {head}{_limits(t)})"]
    if kind == "timestamp":
        return [f"_v.check_timestamp({value}, {head})"]
    if kind == "document":
        return [f"_v.check_document({value}, {head})"]
    return None


def loop_ids() -> Iterator[int]:
    """A fresh counter for the loop variables of one generated function."""
    return itertools.count()


def _nested_check(
    t: TypeRef, value: str, path: str, name: str, ids: Iterator[int], prefix: str
) -> tuple[str, list[str]]:
    """(guard condition, body) for a structure, union, list or map value."""
    kind = t.kind
    head = f"errors, {path}, {name}"
    if kind in ("structure", "union"):
        return (
            f"_v.check_struct({value}, {prefix}{t.class_name}, {head})",
            [f"validate_{t.func}({value}, errors, _v.join({path}, {name}))"],
        )
    assert t.element is not None
    n = next(ids)
    i, x, p = f"i{n}", f"x{n}", f"p{n}"
    if kind == "list":
        guard = f"_v.check_list({value}, {head}{_limits(t)})"
        loop = f"for {i}, {x} in enumerate({value}):"
        item_name = f'f"[{{{i}}}]"'
    elif kind == "map":
        guard = f"_v.check_map({value}, {head}{_limits(t)})"
        loop = f"for {i}, {x} in {value}.items():"
        item_name = f'f"[{{{i}!r}}]"'
    else:
        raise ValueError(f"unknown type kind {kind!r}")
    inner = validate_lines(
        t.element,
        x,
        p,
        item_name,
        presence=None if t.sparse or t.element.kind == "document" else "item",
        ids=ids,
        prefix=prefix,
    )
    body = [f"_v.check_map_key({i}, errors, {p}, {item_name})"] if kind == "map" else []
    body.extend(inner)
    return guard, [f"{p} = _v.join({path}, {name})", loop] + ["    " + line for line in body]
