"""Model-driven test data: example parameters for any operation, and wire → generated types."""

from __future__ import annotations

import datetime as dt
from types import ModuleType
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


def example_value(shapes: dict[str, Any], name: str, label: str, depth: int = 0) -> Any:
    """A valid value for shape ``name`` (within its min/max), deterministic."""
    shape = shapes[name]
    kind = shape["type"]
    lo, hi = shape.get("min"), shape.get("max")
    if kind == "string":
        if shape.get("enum"):
            return shape["enum"][0]
        text = f"{label}-ëx"
        if lo is not None and len(text) < lo:
            text = text + "x" * (int(lo) - len(text))
        if hi is not None and len(text) > hi:
            text = text[: int(hi)]
        return text
    if kind in ("integer", "long"):
        value = 12
        if lo is not None:
            value = max(value, int(lo))
        if hi is not None:
            value = min(value, int(hi))
        return value
    if kind in ("float", "double"):
        return 1.5
    if kind == "boolean":
        return True
    if kind == "blob":
        return b"blob \x00\xff data"
    if kind == "timestamp":
        return dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    if kind == "list":
        count = max(1, int(lo or 0))
        if depth > 3:
            return []
        return [example_value(shapes, shape["member"]["shape"], label, depth + 1) for _ in range(count)]
    if kind == "map":
        if depth > 3:
            return {}
        return {"key": example_value(shapes, shape["value"]["shape"], label, depth + 1)}
    if kind == "structure":
        if shape.get("document"):
            return {"doc": [1, "two", None]}
        out: dict[str, Any] = {}
        members = shape.get("members", {})
        if depth > 3:
            return {m: example_value(shapes, members[m]["shape"], m, depth + 1) for m in shape.get("required", [])}
        for member, ref in members.items():
            out[member] = example_value(shapes, ref["shape"], member, depth + 1)
            if shape.get("union"):
                break
        return out
    raise ValueError(f"no example for {kind}")


def example_params(model: dict[str, Any], operation: str) -> dict[str, Any]:
    op = model["operations"][operation]
    if "input" not in op:
        return {}
    return example_value(model["shapes"], op["input"]["shape"], operation)
