"""Property tests derived from the model (generator IR), for every Support operation.

Inputs: random keyword arguments (right and wrong types, lengths and values
around each min/max, None, unicode including lone surrogates) either pass
validation and are serialized exactly as the model says, or raise
ParamValidationError before any I/O, as an independent oracle computed from
the model predicts. Replies: bodies built from the output shape parse to the
expected dataclasses; arbitrary bodies at any status parse or raise a typed
error. Nothing else may escape.

Runs are derandomized (same examples every run) and small (``max_examples``)
to keep ``make test`` fast; raise ``FUZZ_EXAMPLES`` to search harder.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aws_support
from aws_runtime import Config, ParamValidationError, ResponseParseError, ServiceError
from aws_runtime.http import HttpRequest, HttpResponse
from generator.build import build_service
from generator.ir import OperationIR, ServiceIR, StructureIR, TypeRef
from generator.loader import load_service

IR: ServiceIR = build_service(load_service("support"))
OPERATIONS = [op for op in IR.operations if op.unsupported_reason is None]
BY_NAME = {op.name: op for op in OPERATIONS}
STRUCTS: dict[str, StructureIR] = {s.shape: s for s in IR.structures}
ENUM_VALUES = {e.shape: [v for _, v in e.values] for e in IR.enums}
MODELS = aws_support.models
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_every_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) == 20


class FakeTransport:
    """In-memory transport: records requests and answers with a fixed reply."""

    def __init__(self, status: int = 200, body: bytes = b"{}") -> None:
        self.sent: list[HttpRequest] = []
        self.status = status
        self.body = body

    def send(self, request: HttpRequest) -> HttpResponse:
        self.sent.append(request)
        return HttpResponse(self.status, {"x-amzn-requestid": "fuzz"}, self.body)

    def close(self) -> None:
        pass


def _client(transport: FakeTransport) -> aws_support.SupportClient:
    return aws_support.SupportClient(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:1",
        aws_access_key_id="AKIDFUZZ",
        aws_secret_access_key="fuzz-secret",
        config=Config(retry_mode="off"),
        transport=transport,
    )


# ------------------------------------------------------------------ input values

_WRONG_SCALARS = st.sampled_from(
    [0, -1, 2**70, 1.5, math.nan, True, False, "text", "", b"bytes", [], {}, (), object()]
)
# Unicode: any code point including lone surrogates, control and astral characters.
_CHUNK = st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=4)


def _sizes_around(lo: float | None, hi: float | None) -> st.SearchStrategy[int]:
    points = {0, 1, 2}
    for bound in (lo, hi):
        if bound is not None:
            points.update({int(bound) - 1, int(bound), int(bound) + 1})
    return st.sampled_from(sorted(p for p in points if p >= 0)) | st.integers(0, 12)


def _text(t: TypeRef) -> st.SearchStrategy[str]:
    if t.kind == "enum" and t.shape in ENUM_VALUES:
        return st.sampled_from(ENUM_VALUES[t.shape]) | _text_sized(t)
    return _text_sized(t)


def _text_sized(t: TypeRef) -> st.SearchStrategy[str]:
    return st.builds(
        lambda n, chunk: (chunk * (n // len(chunk) + 1))[:n], _sizes_around(t.min, t.max), _CHUNK
    )


def _numbers(t: TypeRef, integral: bool) -> st.SearchStrategy[Any]:
    points: set[int] = {0, 1, -1, 2**31, 2**63}
    for bound in (t.min, t.max):
        if bound is not None:
            points.update({int(bound) - 1, int(bound), int(bound) + 1})
    ints = st.sampled_from(sorted(points)) | st.integers()
    if integral:
        return ints
    return ints | st.floats(allow_nan=True, allow_infinity=True)


def _repeat_to(items: list[Any], n: int) -> list[Any]:
    return (items * (n // max(len(items), 1) + 1))[:n] if items else []


def input_value(t: TypeRef, depth: int = 0) -> st.SearchStrategy[Any]:
    """A value for a member of type ``t``: usually the right type, sometimes not."""
    right = _right_input(t, depth)
    return st.one_of(right, right, right, _WRONG_SCALARS, st.none())


def _right_input(t: TypeRef, depth: int) -> st.SearchStrategy[Any]:
    kind = t.kind
    if kind in ("string", "enum"):
        return _text(t)
    if kind in ("integer", "long"):
        return _numbers(t, integral=True)
    if kind in ("float", "double"):
        return _numbers(t, integral=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        return st.binary(max_size=16) | st.binary(max_size=16).map(bytearray)
    if kind == "timestamp":
        return st.datetimes(timezones=st.none() | st.just(dt.timezone.utc))
    if kind == "list":
        assert t.element is not None
        items = st.lists(input_value(t.element, depth + 1), min_size=1, max_size=3)
        listed = st.builds(_repeat_to, items, _sizes_around(t.min, t.max))
        return listed | listed.map(tuple)
    if kind == "map":
        assert t.element is not None
        return st.dictionaries(_CHUNK, input_value(t.element, depth + 1), max_size=3)
    if kind in ("structure", "union"):
        struct = STRUCTS[t.shape]
        cls = getattr(MODELS, struct.class_name)
        members = {m.py_name: input_value(m.type, depth + 1) for m in struct.members}
        as_dict = st.fixed_dictionaries({m.wire_name: st.text(max_size=3) for m in struct.members})
        return st.builds(lambda kw: cls(**kw), st.fixed_dictionaries(members)) | as_dict
    raise AssertionError(f"no strategy for {kind}")


# ---------------------------------------------------------------- the oracle


def valid(t: TypeRef, value: Any) -> bool:
    """Does ``value`` (not None) satisfy the model's type and min/max rules for ``t``?"""
    kind = t.kind

    def within(size: float) -> bool:
        return (t.min is None or size >= t.min) and (t.max is None or size <= t.max)

    if kind in ("string", "enum"):
        return isinstance(value, str) and within(len(value))
    if kind in ("integer", "long"):
        return isinstance(value, int) and not isinstance(value, bool) and within(value)
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return (isinstance(value, float) and math.isnan(value)) or within(value)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "blob":
        return isinstance(value, (bytes, bytearray, memoryview)) and within(len(value))
    if kind == "timestamp":
        return isinstance(value, dt.datetime)
    if kind == "list":
        assert t.element is not None
        element = t.element
        if not isinstance(value, (list, tuple)) or not within(len(value)):
            return False
        return all((t.sparse if v is None else valid(element, v)) for v in value)
    if kind == "map":
        assert t.element is not None
        element = t.element
        if not isinstance(value, dict) or not within(len(value)):
            return False
        return all(
            isinstance(k, str) and (t.sparse if v is None else valid(element, v))
            for k, v in value.items()
        )
    if kind in ("structure", "union"):
        struct = STRUCTS[t.shape]
        if not isinstance(value, getattr(MODELS, struct.class_name)):
            return False
        return struct_valid(struct, {m.py_name: getattr(value, m.py_name) for m in struct.members})
    raise AssertionError(kind)


def struct_valid(struct: StructureIR, values: dict[str, Any]) -> bool:
    for m in struct.members:
        value = values.get(m.py_name)
        if value is None:
            if m.required:
                return False
        elif not valid(m.type, value):
            return False
    if struct.is_union:
        return sum(values.get(m.py_name) is not None for m in struct.members) == 1
    return True


def expected_wire(t: TypeRef, value: Any) -> Any:
    """The JSON value the model prescribes for a valid ``value``."""
    kind = t.kind
    if kind == "blob":
        return base64.b64encode(bytes(value)).decode()
    if kind in ("float", "double") and isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if kind == "list":
        assert t.element is not None
        return [None if v is None else expected_wire(t.element, v) for v in value]
    if kind == "map":
        assert t.element is not None
        return {k: None if v is None else expected_wire(t.element, v) for k, v in value.items()}
    if kind in ("structure", "union"):
        struct = STRUCTS[t.shape]
        return {
            m.wire_name: expected_wire(m.type, getattr(value, m.py_name))
            for m in struct.members
            if getattr(value, m.py_name) is not None
        }
    return value


def _same_json(a: Any, b: Any) -> bool:
    """JSON equality where NaN equals NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and type(a) is type(b)


def _kwargs(op: OperationIR) -> st.SearchStrategy[dict[str, Any]]:
    assert op.input is not None
    required = {m.py_name: input_value(m.type) for m in op.input.members if m.required}
    optional = {m.py_name: input_value(m.type) for m in op.input.members if not m.required}
    return st.fixed_dictionaries(required, optional=optional)


@pytest.mark.parametrize("name", list(BY_NAME))
@FUZZ
@given(data=st.data())
def test_inputs_validate_and_serialize_or_raise_param_validation_error(
    name: str, data: st.DataObject
) -> None:
    op = BY_NAME[name]
    kwargs = data.draw(_kwargs(op), label="kwargs")
    transport = FakeTransport()
    client = _client(transport)
    assert op.input is not None
    expected_ok = struct_valid(op.input, kwargs)
    try:
        getattr(client, op.method)(**kwargs)
    except ParamValidationError as exc:
        assert not expected_ok, f"rejected a valid input: {exc}"
        assert transport.sent == []  # raised before any I/O
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    assert expected_ok, "accepted an invalid input"
    assert len(transport.sent) == 1
    request = transport.sent[0]
    assert request.headers["X-Amz-Target"] == f"AWSSupport_20130415.{op.name}"
    sent = json.loads(request.body)
    expected = {
        m.wire_name: expected_wire(m.type, kwargs[m.py_name])
        for m in op.input.members
        if kwargs.get(m.py_name) is not None
    }
    assert _same_json(sent, expected), (sent, expected)


# ---------------------------------------------------------------------- replies

_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def reply_json(t: TypeRef, depth: int = 0, *, well_typed: bool) -> st.SearchStrategy[Any]:
    """A JSON value for output type ``t``; with ``well_typed=False`` any JSON may appear."""
    right = _right_json(t, depth, well_typed)
    if well_typed:
        return st.none() | right
    return st.one_of(right, right, st.none(), _ANY_JSON)


def _right_json(t: TypeRef, depth: int, well_typed: bool) -> st.SearchStrategy[Any]:
    kind = t.kind
    if kind == "string":
        return st.text(max_size=8)
    if kind == "enum":
        return st.sampled_from(ENUM_VALUES.get(t.shape, ["x"])) | st.text(max_size=5)
    if kind in ("integer", "long"):
        return st.integers()
    if kind in ("float", "double"):
        return (
            st.floats(allow_nan=False, allow_infinity=False)
            | st.integers(-(2**53), 2**53)
            | st.sampled_from(["NaN", "Infinity", "-Infinity"])
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        return st.binary(max_size=12).map(lambda b: base64.b64encode(b).decode())
    if kind in ("list", "map"):
        assert t.element is not None
        if depth > 4:
            return st.just([] if kind == "list" else {})
        element = reply_json(t.element, depth + 1, well_typed=well_typed)
        if kind == "list":
            return st.lists(element, max_size=3)
        return st.dictionaries(st.text(max_size=5), element, max_size=3)
    if kind in ("structure", "union"):
        struct = STRUCTS[t.shape]
        if depth > 4:
            return st.just({})
        members = {
            m.wire_name: reply_json(m.type, depth + 1, well_typed=well_typed)
            for m in struct.members
        }
        extra = st.dictionaries(
            st.sampled_from(["unknownMember", "__type", "x"]), _ANY_JSON, max_size=1
        )
        return st.builds(
            lambda known, unknown: {**unknown, **known},
            st.fixed_dictionaries({}, optional=members),
            extra,
        )
    if kind == "document":
        return _ANY_JSON
    raise AssertionError(kind)


def expected_py(t: TypeRef, value: Any) -> Any:
    """The Python value the parser must produce for well-typed JSON ``value``."""
    if value is None:
        return None
    kind = t.kind
    if kind in ("float", "double"):
        if isinstance(value, str):
            return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value]
        return float(value)
    if kind in ("integer", "long"):
        return int(value)
    if kind == "blob":
        return base64.b64decode(value)
    if kind == "enum":
        return value  # model fields keep the wire text (equal to the str enum's members)
    if kind == "list":
        assert t.element is not None
        return [expected_py(t.element, v) for v in value]
    if kind == "map":
        assert t.element is not None
        return {k: expected_py(t.element, v) for k, v in value.items()}
    if kind in ("structure", "union"):
        struct = STRUCTS[t.shape]
        cls: Callable[..., Any] = getattr(MODELS, struct.class_name)
        return cls(
            **{m.py_name: expected_py(m.type, value.get(m.wire_name)) for m in struct.members}
        )
    return value


def _same_py(a: Any, b: Any) -> bool:
    return repr(a) == repr(b)  # model reprs compare NaN textually


OUTPUT_OPS = [op.name for op in OPERATIONS if op.output is not None]


@pytest.mark.parametrize("name", OUTPUT_OPS)
@FUZZ
@given(data=st.data())
def test_well_typed_replies_parse_to_the_expected_values(name: str, data: st.DataObject) -> None:
    op = BY_NAME[name]
    assert op.output is not None
    out_type = TypeRef(kind="structure", shape=op.output.shape)
    body = data.draw(_right_json(out_type, 0, True), label="body")
    transport = FakeTransport(200, json.dumps(body).encode())
    result = _call_minimal(op, _client(transport))
    assert _same_py(result, expected_py(out_type, body))


_JSON_OF_EACH_TYPE = [
    0,
    7,
    -3,
    2.5,
    1e300,
    "",
    "text",
    "dGV4dA==",
    True,
    False,
    [],
    [1],
    {},
    {"a": 1},
]


def _corrupt(data: st.DataObject, t: TypeRef, value: Any, depth: int = 0) -> Any:
    """Return ``value`` (well-typed JSON for ``t``) with one member replaced by JSON of
    a type the model does not allow there."""
    kind = t.kind
    if kind in ("structure", "union") and depth < 5:
        struct = STRUCTS[t.shape]
        m = data.draw(st.sampled_from(struct.members), label="corrupted member")
        out = dict(value or {})
        out[m.wire_name] = _corrupt(data, m.type, out.get(m.wire_name), depth + 1)
        return out
    if kind == "list" and depth < 5 and value and data.draw(st.booleans(), label="descend"):
        assert t.element is not None
        index = data.draw(st.integers(0, len(value) - 1), label="index")
        return [
            *value[:index],
            _corrupt(data, t.element, value[index], depth + 1),
            *value[index + 1 :],
        ]
    wrong = [v for v in _JSON_OF_EACH_TYPE if not conforms(t, v)]
    return data.draw(st.sampled_from(wrong), label="wrong value")


@pytest.mark.parametrize("name", OUTPUT_OPS)
@FUZZ
@given(data=st.data())
def test_mistyped_replies_raise_response_parse_error(name: str, data: st.DataObject) -> None:
    op = BY_NAME[name]
    assert op.output is not None
    out_type = TypeRef(kind="structure", shape=op.output.shape)
    body = _corrupt(data, out_type, data.draw(_right_json(out_type, 0, True), label="body"))
    assert not conforms(out_type, body)
    transport = FakeTransport(200, json.dumps(body).encode())
    with pytest.raises(ResponseParseError) as info:
        _call_minimal(op, _client(transport))
    assert info.value.__cause__ is None
    assert info.value.reason.startswith("member ")  # names the offending member's path


@pytest.mark.parametrize("name", OUTPUT_OPS)
@FUZZ
@given(data=st.data())
def test_any_reply_parses_or_raises_a_typed_error(name: str, data: st.DataObject) -> None:
    op = BY_NAME[name]
    assert op.output is not None
    out_type = TypeRef(kind="structure", shape=op.output.shape)
    status = data.draw(
        st.sampled_from([200, 200, 200, 202, 301, 400, 403, 404, 429, 500, 503, 504])
    )
    raw = data.draw(
        st.one_of(
            reply_json(out_type, well_typed=False).map(lambda v: json.dumps(v).encode()),
            reply_json(out_type, well_typed=False).map(lambda v: json.dumps(v).encode()[:-1]),
            st.binary(max_size=40),
            st.sampled_from([b"", b"<!doctype html><title>x</title>", b"<html>", b"[" * 5000]),
            st.fixed_dictionaries({"__type": st.text(max_size=20), "message": _ANY_JSON}).map(
                lambda v: json.dumps(v).encode()
            ),
        ),
        label="body",
    )
    transport = FakeTransport(status, raw)
    expected = _expected_outcome(out_type, status, raw)
    try:
        result = _call_minimal(op, _client(transport))
    except ResponseParseError as exc:
        assert expected is ResponseParseError, f"expected {expected!r}, got {exc}"
        assert exc.status_code == status
        assert exc.__cause__ is None, "a parse function raised something other than WireTypeError"
        assert exc.body_excerpt == raw[:200].decode("utf-8", "replace")
    except ServiceError as exc:
        assert expected is ServiceError
        assert isinstance(exc, aws_support.errors.SupportError)
        assert exc.status_code == status
        assert isinstance(exc.code, str) and exc.code
        assert isinstance(exc.message, str)
        assert exc.code in str(exc)
    else:
        assert not isinstance(expected, type), f"expected {expected.__name__}, got {result!r}"
        assert _same_py(result, expected)
    assert len(transport.sent) == 1


def _expected_outcome(out_type: TypeRef, status: int, raw: bytes) -> Any:
    """The oracle: ServiceError, ResponseParseError, or the parsed reply value."""
    if status >= 300:
        return ServiceError
    if not raw or raw.isspace():
        return expected_py(out_type, {})
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return ResponseParseError
    if not isinstance(body, dict) or not conforms(out_type, body):
        return ResponseParseError
    return expected_py(out_type, body)


def conforms(t: TypeRef, value: Any) -> bool:
    """Is reply JSON ``value`` of the JSON types the model gives ``t``? (null always is.)"""
    if value is None:
        return True
    kind = t.kind
    if kind in ("string", "enum"):
        return isinstance(value, str)
    if kind in ("integer", "long"):
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind in ("float", "double"):
        if isinstance(value, str):
            return value in ("NaN", "Infinity", "-Infinity")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return isinstance(value, float) or abs(value) <= 2**1023
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "blob":
        if not isinstance(value, str):
            return False
        try:
            base64.b64decode(value, validate=True)
        except ValueError:
            return False
        return True
    if kind == "list":
        assert t.element is not None
        element = t.element
        return isinstance(value, list) and all(conforms(element, v) for v in value)
    if kind == "map":
        assert t.element is not None
        element = t.element
        return isinstance(value, dict) and all(conforms(element, v) for v in value.values())
    if kind in ("structure", "union"):
        struct = STRUCTS[t.shape]
        return isinstance(value, dict) and all(
            conforms(m.type, value.get(m.wire_name)) for m in struct.members
        )
    if kind == "document":
        return True
    raise AssertionError(kind)


def _call_minimal(op: OperationIR, client: aws_support.SupportClient) -> Any:
    """Call ``op`` with the smallest valid input (required members only)."""
    kwargs: dict[str, Any] = {}
    assert op.input is not None
    for m in op.input.members:
        if m.required:
            kwargs[m.py_name] = _minimal(m.type)
    return getattr(client, op.method)(**kwargs)


def _minimal(t: TypeRef) -> Any:
    if t.kind in ("string", "enum"):
        return "x" * max(int(t.min or 1), 1)
    if t.kind == "list":
        return []
    if t.kind in ("structure", "union"):
        struct = STRUCTS[t.shape]
        cls = getattr(MODELS, struct.class_name)
        return cls(**{m.py_name: _minimal(m.type) for m in struct.members if m.required})
    raise AssertionError(t.kind)
