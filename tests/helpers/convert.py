"""Model-driven test data: example parameters for any operation, and wire → generated types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import MappingProxyType, ModuleType
from typing import Any

from generator.ir import ServiceIR, StructureIR, TypeRef


def structures(ir: ServiceIR) -> dict[str, StructureIR]:
    return {s.shape: s for s in ir.structures}


def to_python(ir: ServiceIR, models: ModuleType, t: TypeRef, value: Any) -> Any:
    """Convert a boto3-style value (member names as in the model) into the generated package's types."""
    if value is None:
        return None
    kind = t.kind
    if kind in ("structure", "union"):
        struct = structures(ir)[t.shape]
        cls = getattr(models, struct.class_name)
        kwargs = {
            m.py_name: to_python(ir, models, m.type, value[m.name])
            for m in struct.members
            if m.name in value
        }
        return cls(**kwargs)
    if kind == "list":
        assert t.element is not None
        return [to_python(ir, models, t.element, v) for v in value]
    if kind == "map":
        assert t.element is not None
        return {k: to_python(ir, models, t.element, v) for k, v in value.items()}
    if kind == "blob":
        return value.encode() if isinstance(value, str) else bytes(value)
    if kind == "timestamp":
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, (int, float)):
            return dt.datetime.fromtimestamp(value, dt.timezone.utc)
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if kind in ("float", "double") and isinstance(value, str):
        return float(value)
    return value


def kwargs_for(ir: ServiceIR, models: ModuleType, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for the generated method from boto3-style ``params``."""
    op = next(o for o in ir.operations if o.name == operation)
    if op.input is None:
        return {}
    return {
        m.py_name: to_python(ir, models, m.type, params[m.name])
        for m in op.input.members
        if m.name in params
    }


def _clamp(value: Any, lo: Any, hi: Any) -> Any:
    if lo is not None:
        value = max(value, type(value)(lo))
    if hi is not None:
        value = min(value, type(value)(hi))
    return value


_SCALARS = ("string", "character", "integer", "long", "short", "byte", "float", "double", "boolean", "blob", "timestamp")


def example_value(shapes: dict[str, Any], name: str, label: str, depth: int = 0) -> Any:
    """A valid value for shape ``name`` (within its min/max), deterministic.

    Past depth 3 only required members are filled and lists/maps are as short
    as their ``min`` allows; a union then picks a scalar member when it has one,
    so recursive shapes (Expression trees, nested filters) end.
    """
    if depth > 40:
        raise ValueError(f"example for {name!r} recurses without end")
    shape = shapes[name]
    kind = shape["type"]
    lo, hi = shape.get("min"), shape.get("max")
    if kind in ("string", "character"):
        if shape.get("enum"):
            return shape["enum"][0]
        text = f"{label}-ëx"
        if lo is not None and len(text) < lo:
            text = text + "x" * (int(lo) - len(text))
        if hi is not None and len(text) > hi:
            text = text[: int(hi)]
        return text
    if kind in ("integer", "long", "short", "byte"):
        return _clamp(12, lo, hi)
    if kind in ("float", "double"):
        return _clamp(1.5, lo, hi)
    if kind == "boolean":
        return True
    if kind == "blob":
        data = b"blob \x00\xff data"
        if lo is not None and len(data) < lo:
            data += b"x" * (int(lo) - len(data))
        return data[: int(hi)] if hi is not None else data
    if kind == "timestamp":
        return dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    if kind == "list":
        count = int(lo or 0) if depth > 3 else max(1, int(lo or 0))
        return [example_value(shapes, shape["member"]["shape"], label, depth + 1) for _ in range(count)]
    if kind == "map":
        count = int(lo or 0) if depth > 3 else max(1, int(lo or 0))
        key_shape = shapes[shape["key"]["shape"]]
        keys = list(key_shape.get("enum", []))[:count] or [
            example_value(shapes, shape["key"]["shape"], f"key{i}", depth + 1) for i in range(count)
        ]
        return {k: example_value(shapes, shape["value"]["shape"], label, depth + 1) for k in keys}
    if kind == "structure":
        if shape.get("document"):
            return {"doc": [1, "two", None]}
        members = shape.get("members", {})
        if shape.get("union"):
            chosen = next(iter(members))
            if depth > 3:  # a scalar member, else a structure other than this one
                chosen = next(
                    (m for m, r in members.items() if shapes[r["shape"]]["type"] in _SCALARS),
                    next(
                        (m for m, r in members.items() if shapes[r["shape"]]["type"] == "structure" and r["shape"] != name),
                        chosen,
                    ),
                )
            return {chosen: example_value(shapes, members[chosen]["shape"], chosen, depth + 1)}
        if depth > 3:
            return {m: example_value(shapes, members[m]["shape"], m, depth + 1) for m in shape.get("required", [])}
        return {member: example_value(shapes, ref["shape"], member, depth + 1) for member, ref in members.items()}
    raise ValueError(f"no example for {kind}")


def example_params(model: dict[str, Any], operation: str) -> dict[str, Any]:
    op = model["operations"][operation]
    if "input" not in op:
        return {}
    return example_value(model["shapes"], op["input"]["shape"], operation)


def _fields(value: Any) -> dict[str, Any]:
    """The fields of a generated model instance (a dataclass or a msgspec Struct)."""
    import dataclasses

    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return {name: getattr(value, name) for name in type(value).__struct_fields__}


def _document_variant(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _document_variant(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_document_variant(v) for v in value)
    return value


def input_variant(ir: ServiceIR, models: ModuleType, t: TypeRef, value: Any, counts: dict[str, int]) -> Any:
    """``value`` (generated types) rebuilt the other ways the input annotations allow:
    every map (and document object) a ``types.MappingProxyType``, every float or double
    a ``Decimal`` (from its repr), document arrays tuples. ``counts`` tallies
    ``"map"``/``"decimal"``/``"document"`` replacements."""
    if value is None:
        return None
    kind = t.kind
    if kind in ("structure", "union"):
        fields = _fields(value)
        struct = structures(ir)[t.shape]
        changed = {
            m.py_name: input_variant(ir, models, m.type, fields[m.py_name], counts)
            for m in struct.members
            if fields.get(m.py_name) is not None
        }
        return type(value)(**{**fields, **changed})
    if kind == "list":
        assert t.element is not None
        return [input_variant(ir, models, t.element, v, counts) for v in value]
    if kind == "map":
        assert t.element is not None
        counts["map"] = counts.get("map", 0) + 1
        return MappingProxyType({k: input_variant(ir, models, t.element, v, counts) for k, v in value.items()})
    if kind in ("float", "double") and isinstance(value, float):
        counts["decimal"] = counts.get("decimal", 0) + 1
        return Decimal(repr(value))
    if kind == "document":
        counts["document"] = counts.get("document", 0) + 1
        return _document_variant(value)
    return value


def boto_decimal_params(t_shape: dict[str, Any], shapes: dict[str, Any], value: Any) -> Any:
    """boto3-style ``value`` of model shape ``t_shape`` with every float/double a ``Decimal``."""
    kind = t_shape["type"]
    if value is None:
        return None
    if kind in ("float", "double") and isinstance(value, float):
        return Decimal(repr(value))
    if kind == "list":
        return [boto_decimal_params(shapes[t_shape["member"]["shape"]], shapes, v) for v in value]
    if kind == "map":
        return {k: boto_decimal_params(shapes[t_shape["value"]["shape"]], shapes, v) for k, v in value.items()}
    if kind == "structure" and not t_shape.get("document"):
        members = t_shape.get("members", {})
        return {k: boto_decimal_params(shapes[members[k]["shape"]], shapes, v) for k, v in value.items()}
    return value
