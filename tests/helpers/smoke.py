"""Breadth smoke test for one generated package: import it, construct its client, send
one valid request per operation through a recording transport (no network), and check
that input validation rejects one out-of-range value per operation where the model
has a bound.

Requests are compared with botocore's own JSON serializer for the same parameters at
the level that does not depend on wire details another suite pins down: the
``X-Amz-Target`` header and the set of top-level members in the body.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from aws_runtime.errors import ParamValidationError, UnsupportedOperationError
from aws_runtime.http import HttpRequest, HttpResponse
from generator.ir import MemberIR, OperationIR, ServiceIR, TypeRef

from .convert import boto_decimal_params, example_params, input_variant, kwargs_for

__all__ = ["RecordingTransport", "SmokeReport", "out_of_range", "smoke_package"]


class RecordingTransport:
    """A transport that records every request and answers ``200 {}``."""

    def __init__(self) -> None:
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return HttpResponse(200, {"x-amzn-requestid": "smoke"}, b"{}")

    def close(self) -> None:
        return None


@dataclasses.dataclass
class SmokeReport:
    """What one package's smoke run did (counts are operations)."""

    service: str
    operations: int = 0
    sent: int = 0
    refused_unsupported: int = 0
    bound_checked: int = 0
    no_bound: int = 0
    mapping_ops: int = 0  # operations re-sent with every map a MappingProxyType
    decimal_ops: int = 0  # ... with every float/double a Decimal (body == botocore's)
    document_ops: int = 0  # ... with document objects as mappings, arrays as tuples
    problems: list[str] = dataclasses.field(default_factory=list)


def _bounded(t: TypeRef) -> bool:
    if t.kind in ("string", "enum", "blob", "list", "map"):
        return bool(t.min) or (t.max is not None and t.max <= 100_000)
    if t.kind in ("integer", "long", "float", "double"):
        return t.min is not None or t.max is not None
    return False


def out_of_range(member: MemberIR, valid: Any) -> Any:
    """A value for ``member`` that breaks its min/max (prefers the min), else None."""
    t = member.type
    lo, hi = t.min, t.max
    if t.kind in ("integer", "long"):
        return int(lo) - 1 if lo is not None else int(hi) + 1  # type: ignore[arg-type]
    if t.kind in ("float", "double"):
        return float(lo) - 1.0 if lo is not None else float(hi) + 1.0  # type: ignore[arg-type]
    if t.kind in ("string", "enum"):
        return "" if lo else "x" * (int(hi) + 1)  # type: ignore[arg-type]
    if t.kind == "blob":
        return b"" if lo else b"x" * (int(hi) + 1)  # type: ignore[arg-type]
    if t.kind == "list":
        if lo:
            return []
        item = valid[0] if valid else None
        return [item] * (int(hi) + 1)  # type: ignore[arg-type]
    if t.kind == "map":
        if lo:
            return {}
        item = next(iter(valid.values())) if valid else None
        return {f"k{i}": item for i in range(int(hi) + 1)}  # type: ignore[arg-type]
    return None


def _host_label_value(member: MemberIR) -> str:
    text = "label1"
    lo, hi = member.type.min, member.type.max
    if lo is not None and len(text) < lo:
        text += "a" * (int(lo) - len(text))
    return text[: int(hi)] if hi is not None else text


def _context_value(key: str, member: MemberIR, service: str) -> str:
    """A value the endpoint rule set accepts for a ``contextParam`` member: an ARN of
    the service for ``*_arn`` parameters (Kinesis ``StreamARN``), else a host label
    (OpenSearch Memory ``SpaceId``, EventBridge ``EndpointId``)."""
    if key.endswith("arn"):
        kind = key[: -len("_arn")].split("_")[-1] if key != "arn" else "resource"
        resource = {"consumer": "stream/smoke/consumer/c:1", "resource": "stream/smoke"}.get(kind, f"{kind}/smoke")
        return f"arn:aws:{service}:us-east-1:123456789012:{resource}"
    return _host_label_value(member)


def _check_input_variants(
    ir: ServiceIR,
    model: dict[str, Any],
    models: ModuleType,
    method: Any,
    op: OperationIR,
    kwargs: dict[str, Any],
    params: dict[str, Any],
    body: dict[str, Any],
    transport: RecordingTransport,
    service_model: Any,
    report: SmokeReport,
) -> None:
    """Send the operation again with every map a ``MappingProxyType``, every float a
    ``Decimal`` and document objects/arrays as mappings/tuples (what the input
    annotations allow): the body must be the same, and equal botocore's for the
    same ``Decimal`` parameters."""
    if op.input is None:
        return
    counts: dict[str, int] = {}
    variant = {
        m.py_name: input_variant(ir, models, m.type, kwargs[m.py_name], counts)
        for m in op.input.members
        if m.py_name in kwargs
    }
    if not counts:
        return
    method(**variant)
    sent = json.loads(transport.requests[-1].body)
    assert sent == body, "body changed when maps are MappingProxyType / floats Decimal"
    if counts.get("decimal"):
        shapes = model["shapes"]
        boto_params = boto_decimal_params(shapes[model["operations"][op.name]["input"]["shape"]], shapes, params)
        assert sent == json.loads(_botocore_body(service_model, op.name, boto_params)), "Decimal body != botocore's"
        report.decimal_ops += 1
    if counts.get("map"):
        report.mapping_ops += 1
    if counts.get("document"):
        report.document_ops += 1


def _botocore_body(service_model: Any, operation: str, params: Mapping[str, Any]) -> bytes:
    from botocore.serialize import create_serializer

    serializer = create_serializer("json", include_validation=False)
    request = serializer.serialize_to_request(dict(params), service_model.operation_model(operation))
    return request["body"] or b"{}"  # type: ignore[no-any-return]


def _botocore_body_keys(service_model: Any, operation: str, params: Mapping[str, Any]) -> set[str]:
    from botocore.serialize import create_serializer

    serializer = create_serializer("json", include_validation=False)
    request = serializer.serialize_to_request(dict(params), service_model.operation_model(operation))
    body = request["body"]
    return set(json.loads(body or b"{}"))


def smoke_package(ir: ServiceIR, model: dict[str, Any], package: str | None = None) -> SmokeReport:
    """Run the smoke checks for the generated package of ``ir`` (importable by name)."""
    from botocore.model import ServiceModel

    report = SmokeReport(ir.service_name)
    pkg = importlib.import_module(package or ir.package)
    models: ModuleType = pkg.models
    client_cls = getattr(pkg, ir.client_class)
    transport = RecordingTransport()
    client = client_cls(
        region_name="us-east-1",
        aws_access_key_id="AKIDSMOKE",
        aws_secret_access_key="smoke-secret",
        transport=transport,
    )
    service_model = ServiceModel(model, service_name=ir.service_name)
    for op in ir.operations:
        report.operations += 1
        method = getattr(client, op.method)
        if op.unsupported_reason:
            try:
                method()
            except UnsupportedOperationError as exc:
                assert op.name in str(exc)
                report.refused_unsupported += 1
            else:
                report.problems.append(f"{op.name}: unsupported operation did not refuse")
            continue
        try:
            _one_operation(ir, model, models, client, method, op, transport, service_model, report)
        except Exception as exc:  # noqa: BLE001 (collect: one report lists every failing operation)
            report.problems.append(f"{op.name}: {type(exc).__name__}: {exc}"[:500])
    client.close()
    return report


def _one_operation(
    ir: ServiceIR,
    model: dict[str, Any],
    models: ModuleType,
    client: Any,
    method: Any,
    op: OperationIR,
    transport: RecordingTransport,
    service_model: Any,
    report: SmokeReport,
) -> None:
    params = example_params(model, op.name)
    for m in op.host_labels:
        params[m.name] = _host_label_value(m)
    by_py = {m.py_name: m for m in op.input.members} if op.input else {}
    for key, path, mode in op.context_endpoint_params:
        member = by_py.get(path)
        if member is None or mode != "value" or member.type.kind != "string":
            continue  # nested paths and map keys: the example value is fine or unused
        params[member.name] = _context_value(key, member, ir.signing_name)
    if ir.signing_name == "machinelearning" and op.name == "Predict":
        # botocore handlers.switch_host_machinelearning sends Predict to this URL: a real one
        params["PredictEndpoint"] = "https://realtime.machinelearning.us-east-1.amazonaws.com"
    kwargs = kwargs_for(ir, models, op.name, params)
    before = len(transport.requests)
    try:
        result = method(**kwargs)
    except UnsupportedOperationError as exc:
        # An endpoint only SigV4a can sign (EventBridge global endpoints, EndpointId): refused
        # before any I/O, as botocore without the CRT refuses it; the call works without it.
        assert "auth scheme" in str(exc) and len(transport.requests) == before, exc
        context_members = {path for _key, path, _mode in op.context_endpoint_params}
        kwargs = {k: v for k, v in kwargs.items() if k not in context_members}
        params = {m.name: params[m.name] for m in by_py.values() if m.py_name in kwargs and m.name in params}
        result = method(**kwargs)
    assert len(transport.requests) == before + 1, "exactly one request"
    request = transport.requests[-1]
    assert request.method == "POST"
    assert request.headers["X-Amz-Target"] == f"{ir.target_prefix}.{op.name}", request.headers
    assert request.headers["Content-Type"] == f"application/x-amz-json-{ir.json_version}"
    if op.auth == "none":  # smithy.api#noAuth: unsigned, as botocore sends it
        assert not {"Authorization", "X-Amz-Date", "X-Amz-Security-Token"} & set(request.headers)
    else:
        assert request.headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDSMOKE/")
    body = json.loads(request.body)
    assert isinstance(body, dict)
    expected = _botocore_body_keys(service_model, op.name, params)
    assert set(body) == expected, f"body members {sorted(body)} != botocore's {sorted(expected)}"
    if op.output is not None:
        assert type(result).__name__ == op.output.class_name
    else:
        assert result is None
    report.sent += 1
    _check_input_variants(ir, model, models, method, op, kwargs, params, body, transport, service_model, report)
    before = len(transport.requests) - 1  # the bound check below must send nothing more

    if op.input is None:
        report.no_bound += 1
        return
    for m in op.input.members:
        if not _bounded(m.type) or m.host_label:
            continue
        bad = out_of_range(m, kwargs.get(m.py_name))
        if bad is None:
            continue
        try:
            method(**{**kwargs, m.py_name: bad})
        except ParamValidationError as exc:
            assert m.py_name in str(exc), f"{m.py_name} not named in: {exc}"
            assert len(transport.requests) == before + 1, "nothing sent on invalid input"
            report.bound_checked += 1
            return
        raise AssertionError(f"{m.py_name}={bad!r:.60} was not rejected (bounds {m.type.min}..{m.type.max})")
    report.no_bound += 1
