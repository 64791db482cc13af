"""Service model → :class:`~generator.ir.ServiceIR`.

All decisions live here: Python names (:mod:`generator.naming`), which
shapes become classes and which serde functions each needs (reachability from
operation inputs, outputs and errors), typing roles, ordering (model order
throughout: operations and shapes as the model lists them, members as the
structure lists them) and the name clash check that runs before anything is
written.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.model import ServiceModel

from . import docs, naming
from .endpoints import compile_ruleset
from .ir import (
    EndpointsIR,
    EnumIR,
    ErrorIR,
    MemberIR,
    OperationIR,
    PaginatorIR,
    ServiceIR,
    StructureIR,
    TypeRef,
)
from .loader import ModelSources, model_hash
from .manifest import INITIAL_VERSION

__all__ = ["BuildError", "build_service", "client_class_name", "package_name"]


class BuildError(ValueError):
    """The model uses something the generator cannot represent (named in the message)."""


def package_name(service_name: str) -> str:
    """``aws_<botocore service name>`` with ``-`` → ``_`` (``aws_support``, ``aws_cloudwatch_logs``)."""
    return "aws_" + service_name.replace("-", "_").replace(".", "_").lower()


def client_class_name(service_id: str) -> str:
    """The model's ``serviceId`` without spaces (and dashes) plus ``Client``."""
    return "".join(part for part in service_id.replace("-", " ").split()) + "Client"


@dataclass
class _Reach:
    input: set[str] = field(default_factory=set)
    output: set[str] = field(default_factory=set)


class _Builder:
    def __init__(self, sources: ModelSources, package: str | None) -> None:
        self.sources = sources
        self.model = sources.service
        self.shapes: dict[str, Any] = self.model["shapes"]
        self.service_model = ServiceModel(self.model, service_name=sources.service_name)
        self.package = package or package_name(sources.service_name)
        self.type_cache: dict[tuple[str, str], TypeRef] = {}
        self.funcs: dict[str, str] = {}
        self.skipped_paginators: list[tuple[str, str]] = []

    # ------------------------------------------------------------- types

    def func_name(self, shape: str) -> str:
        func = self.funcs.get(shape)
        if func is None:
            func = naming.snake(shape).lower()
            if not func.isidentifier():
                func = "".join(c if c.isalnum() else "_" for c in func)
            clash = [s for s, f in self.funcs.items() if f == func]
            if clash:
                raise naming.NameClashError(
                    f"shapes {clash[0]!r} and {shape!r} both give serde function suffix {func!r}"
                )
            self.funcs[shape] = func
        return func

    def type_ref(self, shape_name: str, ref: dict[str, Any]) -> TypeRef:
        ts_format = ref.get("timestampFormat") or ""
        key = (shape_name, ts_format)
        cached = self.type_cache.get(key)
        if cached is not None:
            return cached
        if shape_name not in self.shapes:
            raise BuildError(f"shape {shape_name!r} is referenced but not defined")
        shape = self.shapes[shape_name]
        kind = shape["type"]
        limits = {"min": shape.get("min"), "max": shape.get("max")}
        result: TypeRef
        if kind in ("string", "character"):
            if shape.get("enum"):
                result = TypeRef("enum", shape_name, naming.class_name(shape_name), **limits)
            else:
                result = TypeRef("string", shape_name, **limits)
        elif kind in ("integer", "long", "float", "double", "boolean", "blob"):
            result = TypeRef(kind, shape_name, **limits)
        elif kind in ("byte", "short"):
            result = TypeRef("integer", shape_name, **limits)
        elif kind == "timestamp":
            fmt = ts_format or shape.get("timestampFormat") or "unixTimestamp"
            result = TypeRef("timestamp", shape_name, timestamp_format=fmt)
        elif kind == "list":
            element = self.type_ref(shape["member"]["shape"], shape["member"])
            result = TypeRef(
                "list", shape_name, element=element, sparse=bool(shape.get("sparse")), **limits
            )
        elif kind == "map":
            key_shape = self.shapes[shape["key"]["shape"]]
            if key_shape["type"] != "string":
                raise BuildError(f"map {shape_name!r} has a non-string key; JSON needs string keys")
            element = self.type_ref(shape["value"]["shape"], shape["value"])
            result = TypeRef(
                "map", shape_name, element=element, sparse=bool(shape.get("sparse")), **limits
            )
        elif kind == "structure" and shape.get("document") or kind == "document":
            result = TypeRef("document", shape_name)
        elif kind == "structure":
            result = TypeRef(
                "union" if shape.get("union") else "structure",
                shape_name,
                naming.class_name(shape_name),
                func=self.func_name(shape_name),
            )
        elif kind == "union":
            result = TypeRef("union", shape_name, naming.class_name(shape_name), func=self.func_name(shape_name))
        else:
            raise BuildError(f"shape {shape_name!r} has unsupported type {kind!r}")
        self.type_cache[key] = result
        return result

    def children(self, shape_name: str) -> Iterable[str]:
        shape = self.shapes[shape_name]
        kind = shape["type"]
        if kind == "structure" and not shape.get("document"):
            for ref in shape.get("members", {}).values():
                yield ref["shape"]
        elif kind == "list":
            yield shape["member"]["shape"]
        elif kind == "map":
            yield shape["key"]["shape"]
            yield shape["value"]["shape"]

    def closure(self, roots: Iterable[str]) -> list[str]:
        """Shapes reachable from ``roots``, in first-seen order."""
        seen: dict[str, None] = {}
        stack = list(roots)[::-1]
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen[name] = None
            stack.extend(reversed(list(self.children(name))))
        return list(seen)

    # ----------------------------------------------------------- members

    def members(self, shape_name: str, *, for_error: bool = False) -> tuple[MemberIR, ...]:
        shape = self.shapes[shape_name]
        required = set(shape.get("required", []))
        out: list[MemberIR] = []
        seen: dict[str, str] = {}
        for name, ref in shape.get("members", {}).items():
            py = naming.error_member_name(name) if for_error else naming.member_name(name)
            if py in seen:
                raise naming.NameClashError(
                    f"members {seen[py]!r} and {name!r} of {shape_name!r} both become {py!r}"
                )
            seen[py] = name
            out.append(
                MemberIR(
                    name=name,
                    py_name=py,
                    wire_name=ref.get("locationName", name),
                    type=self.type_ref(ref["shape"], ref),
                    required=name in required,
                    doc=docs.html_to_text(ref.get("documentation", "")),
                    idempotency_token=bool(ref.get("idempotencyToken")),
                    host_label=bool(ref.get("hostLabel")),
                    deprecated=bool(ref.get("deprecated")),
                    deprecated_message=str(ref.get("deprecatedMessage", "")),
                )
            )
        return tuple(out)

    # ----------------------------------------------------------- service

    def build(self) -> ServiceIR:
        model = self.model
        meta = model["metadata"]
        operations_raw: dict[str, Any] = model.get("operations", {})
        pagination = self.sources.paginators.get("pagination", {})

        supported_ops: list[str] = []
        unsupported: dict[str, str] = {}
        for op_name in self.service_model.operation_names:
            op = operations_raw[op_name]
            reason = self.unsupported_reason(op) or _auth_unsupported(resolve_auth(meta, op))
            if reason:
                unsupported[op_name] = reason
            else:
                supported_ops.append(op_name)

        reach = _Reach()
        error_shapes: list[str] = []
        for op_name in supported_ops:
            op = operations_raw[op_name]
            if "input" in op:
                reach.input.update(self.closure([op["input"]["shape"]]))
            if "output" in op:
                reach.output.update(self.closure([op["output"]["shape"]]))
            for err in op.get("errors", []):
                if err["shape"] not in error_shapes:
                    error_shapes.append(err["shape"])
        for name, shape in self.shapes.items():
            if shape.get("exception") and name not in error_shapes:
                error_shapes.append(name)
        for name in error_shapes:
            reach.output.update(self.closure(self.children(name)))

        structures: list[StructureIR] = []
        enums: list[EnumIR] = []
        for name, shape in self.shapes.items():
            used_in = name in reach.input
            used_out = name in reach.output
            if not (used_in or used_out):
                continue
            kind = shape["type"]
            if kind == "structure" and not shape.get("document"):
                structures.append(
                    StructureIR(
                        shape=name,
                        class_name=naming.class_name(name),
                        func=self.func_name(name),
                        members=self.members(name),
                        doc=docs.html_to_text(shape.get("documentation", "")),
                        is_union=bool(shape.get("union")),
                        input_only=used_in and not used_out,
                        needs_serialize=used_in,
                        needs_validate=used_in,
                        needs_parse=used_out,
                        deprecated=bool(shape.get("deprecated")),
                    )
                )
            elif kind in ("string", "character") and shape.get("enum"):
                values = [str(v) for v in shape["enum"]]
                enums.append(
                    EnumIR(
                        shape=name,
                        class_name=naming.class_name(name),
                        values=tuple(zip(naming.enum_member_names(values), values)),
                        doc=docs.html_to_text(shape.get("documentation", "")),
                    )
                )
        by_shape = {s.shape: s for s in structures}
        self.structures_built = structures

        service_id = str(meta.get("serviceId") or meta.get("serviceFullName") or self.sources.service_name)
        client_class = client_class_name(service_id)
        base_error = client_class[: -len("Client")] + "Error"

        errors: list[ErrorIR] = []
        for name in error_shapes:
            shape = self.shapes[name]
            err_meta = shape.get("error", {})
            errors.append(
                ErrorIR(
                    shape=name,
                    class_name=naming.error_class_name(name, base_error),
                    code=str(err_meta.get("code") or name),
                    members=self.members(name, for_error=True),
                    doc=docs.html_to_text(shape.get("documentation", "")),
                    http_status=err_meta.get("httpStatusCode"),
                    fault=bool(shape.get("fault")),
                    retryable=bool(shape["retryable"].get("throttling"))
                    if isinstance(shape.get("retryable"), dict)
                    else None,
                )
            )
        errors_by_shape = {e.shape: e for e in errors}

        endpoints = compile_ruleset(self.sources.ruleset, self.sources.partitions)
        endpoint_names = {p.name: p.py_name for p in endpoints.params}
        operations: list[OperationIR] = []
        for op_name in self.service_model.operation_names:
            op = operations_raw[op_name]
            input_ir = by_shape.get(op["input"]["shape"]) if "input" in op else None
            output_ir = by_shape.get(op["output"]["shape"]) if "output" in op else None
            host_prefix = op.get("endpoint", {}).get("hostPrefix")
            labels: tuple[MemberIR, ...] = ()
            if host_prefix and input_ir is not None:
                labels = tuple(m for m in input_ir.members if m.host_label)
                for m in labels:
                    host_prefix = host_prefix.replace("{" + m.name + "}", "{" + m.py_name + "}")
            operations.append(
                OperationIR(
                    name=op_name,
                    method=naming.method_name(op_name),
                    input=input_ir if op_name not in unsupported else None,
                    output=output_ir if op_name not in unsupported else None,
                    errors=tuple(errors_by_shape[e["shape"]] for e in op.get("errors", [])),
                    doc=docs.html_to_text(op.get("documentation", "")),
                    host_prefix=host_prefix,
                    host_labels=labels,
                    deprecated=bool(op.get("deprecated")),
                    deprecated_message=str(op.get("deprecatedMessage", "")),
                    paginator=self.paginator(op_name, pagination.get(op_name), input_ir, output_ir),
                    unsupported_reason=unsupported.get(op_name),
                    request_compression=tuple(
                        str(e) for e in op.get("requestcompression", {}).get("encodings", [])
                    ),
                    static_endpoint_params=self.static_endpoint_params(op, endpoint_names),
                    context_endpoint_params=self.context_endpoint_params(op, input_ir, endpoint_names)
                    if op_name not in unsupported
                    else (),
                    auth=resolve_auth(meta, op),
                    host_from_member=_host_member(self.sources.service_name, op_name, input_ir),
                    extra_headers=(("x-amz-api-version", str(meta.get("apiVersion", ""))),)
                    if op.get("endpointoperation")
                    else (),
                )
            )

        ir = ServiceIR(
            service_name=self.sources.service_name,
            package=self.package,
            package_version=INITIAL_VERSION,  # set from the manifest by writer.generate_files
            client_class=client_class,
            base_error=base_error,
            service_id=service_id,
            full_name=str(meta.get("serviceFullName") or service_id),
            api_version=str(meta.get("apiVersion", "")),
            target_prefix=str(meta.get("targetPrefix", "")),
            json_version=str(meta.get("jsonVersion", "1.0")),
            signing_name=str(meta.get("signingName") or meta.get("endpointPrefix") or self.sources.service_name),
            global_region=self.sources.global_region,
            query_compatible="awsQueryCompatible" in meta,
            doc=docs.html_to_text(model.get("documentation", "")),
            botocore_version=self.sources.botocore_version,
            model_hash=model_hash(self.sources),
            structures=tuple(structures),
            enums=tuple(enums),
            errors=tuple(errors),
            error_keys=error_keys(errors, list(self.shapes)),
            operations=tuple(operations),
            endpoints=endpoints,
            endpoint_defaults=self.endpoint_defaults(endpoints, operations),
            skipped_paginators=tuple(self.skipped_paginators),
            retry_service=service_id_hyphenized(meta, self.sources.service_name),
            legacy_retry=legacy_retry_args(self.sources.legacy_retry),
        )
        check_names(ir)
        return ir

    def static_endpoint_params(
        self, op: dict[str, Any], endpoint_names: dict[str, str]
    ) -> tuple[tuple[str, Any], ...]:
        """``staticContextParams`` of the operation that the rule set declares, model order."""
        out = []
        for name, spec in op.get("staticContextParams", {}).items():
            if name in endpoint_names:
                out.append((endpoint_names[name], spec["value"]))
        return tuple(out)

    def context_endpoint_params(
        self, op: dict[str, Any], input_ir: StructureIR | None, endpoint_names: dict[str, str]
    ) -> tuple[tuple[str, str, str], ...]:
        """``contextParams`` of input members and ``operationContextParams`` paths.

        Paths supported: members through nested structures (``A.B``) and
        ``keys(A)`` (the keys of a map member). Projections (``A[*].B``) leave
        the parameter unset. Returned paths are dotted Python member names.
        """
        if input_ir is None:
            return ()
        out: list[tuple[str, str, str]] = []
        by_name = {m.name: m for m in input_ir.members}
        shape = self.shapes[input_ir.shape]
        for member, ref in shape.get("members", {}).items():
            param = ref.get("contextParam", {}).get("name")
            if param in endpoint_names:
                out.append((endpoint_names[param], by_name[member].py_name, "value"))
        for param, spec in op.get("operationContextParams", {}).items():
            if param not in endpoint_names:
                continue
            path = str(spec.get("path", ""))
            match = re.fullmatch(r"keys\(([\w.]+)\)|([\w.]+)", path)
            py_path = self.member_path(input_ir, (match.group(1) or match.group(2)).split(".")) if match else None
            if py_path is None:
                # A JMESPath projection (DynamoDB ``TransactItems[*].Get.TableName``): the
                # parameter is left unset. It feeds only account-ID-based endpoints, which
                # need the AWS::Auth::AccountId built-in this client does not provide.
                continue
            out.append((endpoint_names[param], py_path, "keys" if match and match.group(1) else "value"))
        return tuple(out)

    def member_path(self, struct: StructureIR, names: list[str]) -> str | None:
        """Dotted Python names for a path of model member names through structures."""
        py: list[str] = []
        current: StructureIR | None = struct
        for i, name in enumerate(names):
            member = next((m for m in current.members if m.name == name), None) if current else None
            if member is None:
                return None
            py.append(member.py_name)
            if i + 1 < len(names):
                current = next(
                    (s for s in self.structures_built if s.shape == member.type.shape and member.type.kind == "structure"),
                    None,
                )
        return ".".join(py)

    def endpoint_defaults(
        self, endpoints: EndpointsIR, operations: list[OperationIR]
    ) -> tuple[tuple[str, Any], ...]:
        """Values for required rule-set parameters that have no default and no built-in:
        the first static value an operation gives it (ACM ``ServiceType`` → ``"ACM"``)."""
        out = []
        for p in endpoints.params:
            if not p.required or p.default is not None or p.built_in:
                continue
            for op in operations:
                values = dict(op.static_endpoint_params)
                if p.py_name in values:
                    out.append((p.py_name, values[p.py_name]))
                    break
        return tuple(out)

    def unsupported_reason(self, op: dict[str, Any]) -> str | None:
        for key in ("input", "output"):
            if key not in op:
                continue
            shape = self.shapes[op[key]["shape"]]
            for ref in shape.get("members", {}).values():
                target = self.shapes.get(ref["shape"], {})
                if target.get("eventstream") or ref.get("eventstream"):
                    return f"its {key} is an event stream, which this client does not support"
        return None

    def skip_paginator(self, op_name: str, reason: str) -> None:
        """Record a paginator this generator does not render (reported by the CLI)."""
        self.skipped_paginators.append((op_name, reason))

    def paginator(
        self,
        op_name: str,
        config: dict[str, Any] | None,
        input_ir: StructureIR | None,
        output_ir: StructureIR | None,
    ) -> PaginatorIR | None:
        """The paginator of ``op_name``, or None when it has none or one this generator
        does not render (several tokens, dotted paths, a non-list result key, ``more_results``,
        an input member named like a paginator parameter, naming rule 9):
        the operation itself stays callable and the token can be passed by hand."""
        if not config or input_ir is None or output_ir is None:
            return None
        in_tok, out_tok, result = config.get("input_token"), config.get("output_token"), config.get("result_key")
        if not all(isinstance(v, str) and "." not in v for v in (in_tok, out_tok, result)):
            return self.skip_paginator(op_name, "several tokens or result keys, or a dotted path")
        if "more_results" in config or "non_aggregate_keys" in config:
            return self.skip_paginator(op_name, "uses more_results or non_aggregate_keys")
        in_members = {m.name: m for m in input_ir.members}
        out_members = {m.name: m for m in output_ir.members}
        if in_tok not in in_members or out_tok not in out_members or result not in out_members:
            return self.skip_paginator(op_name, "a token or result key is not a top-level member")
        item = out_members[result].type
        if item.kind != "list" or item.element is None:
            return self.skip_paginator(op_name, "the result key is not a list")
        if any(m.py_name in naming.PAGINATOR_PARAMETERS for m in input_ir.members):
            # Rule 9: an input member already named max_items/starting_token (ACM and
            # Route 53 Domains' MaxItems page size): no paginator, the operation stays.
            return self.skip_paginator(op_name, "an input member is named max_items or starting_token")
        limit = config.get("limit_key")
        limit_member = in_members.get(limit) if isinstance(limit, str) else None
        class_name, pages_method, items_method = naming.paginator_names(op_name)
        return PaginatorIR(
            input_token=in_tok,
            output_token=out_tok,
            input_token_py=in_members[in_tok].py_name,
            output_token_py=out_members[out_tok].py_name,
            result_key=result,
            result_key_py=out_members[result].py_name,
            item_type=item.element,
            class_name=class_name,
            pages_method=pages_method,
            items_method=items_method,
            limit_key=limit_member.name if limit_member else None,
            limit_key_py=limit_member.py_name if limit_member else None,
        )


# Smithy auth scheme ids (``auth`` lists) → botocore signature versions
# (botocore ``auth.AUTH_TYPE_TO_SIGNATURE_VERSION``).
_AUTH_SCHEMES = {
    "aws.auth#sigv4": "v4",
    "aws.auth#sigv4a": "v4a",
    "smithy.api#httpBearerAuth": "bearer",
    "smithy.api#noAuth": "none",
}
# What the runtime can send: SigV4-signed or unsigned. SigV4a needs botocore's
# optional CRT signer; like botocore without awscrt, an ``auth`` list skips it.
SUPPORTED_AUTH = ("v4", "none")


def resolve_auth(metadata: dict[str, Any], op: dict[str, Any]) -> str:
    """The signature version of one operation: ``"v4"``, ``"none"`` or another botocore name.

    Precedence as botocore's (``OperationModel.resolved_auth_type``,
    ``handlers.set_operation_specific_signer``, ``ClientCreator`` for the
    service default): the operation's ``auth`` list, else its legacy
    ``authtype``, else the service's ``auth`` list, else its
    ``signatureVersion``. An ``auth`` list gives the first scheme that can be
    used (``auth.resolve_auth_type``): ``smithy.api#noAuth`` always, SigV4a
    never here (botocore without the CRT), the others when known. Raises
    :class:`BuildError` for a scheme id botocore does not know.
    """
    for auth in (op.get("auth"), None if op.get("auth") else op.get("authtype"), metadata.get("auth")):
        if not auth:
            continue
        if isinstance(auth, str):
            return auth  # legacy ``authtype``: already a signature version
        for scheme in auth:
            if scheme not in _AUTH_SCHEMES:
                raise BuildError(f"unknown auth scheme {scheme!r} in {op.get('name')}")
            version = _AUTH_SCHEMES[scheme]
            if version != "v4a":
                return version
        return "v4a"
    return str(metadata.get("signatureVersion") or "v4")


def _auth_unsupported(version: str) -> str | None:
    """Why an operation with this signature version cannot be called, or None."""
    if version in SUPPORTED_AUTH:
        return None
    return f"it is authenticated with {version!r}, which this client does not support (only SigV4 and unsigned)"


# botocore handlers.py customizations of JSON-protocol operations that change where a
# request goes: (service, operation) → the input member holding the URL whose scheme and
# host replace the endpoint's (``handlers.switch_host_machinelearning``). The full list
# of handlers.py customizations and the decision for each is in README "botocore
# customizations".
WIRE_CUSTOMIZATIONS: dict[tuple[str, str], str] = {
    ("machinelearning", "Predict"): "PredictEndpoint",
}


def _host_member(service: str, operation: str, input_ir: StructureIR | None) -> MemberIR | None:
    name = WIRE_CUSTOMIZATIONS.get((service, operation))
    if name is None:
        return None
    member = next((m for m in input_ir.members if m.name == name), None) if input_ir else None
    if member is None:
        raise BuildError(f"{service} {operation}: customization member {name} is not in the input")
    return member


def error_keys(errors: Sequence[ErrorIR], shape_order: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """The ``ERROR_CLASSES`` map of a service as (key, class name) pairs, keys unique.

    Every error shape name selects its own class: it is what ``__type`` carries,
    and for query-compatible services what picks the class even when an
    ``x-amzn-query-error`` header supplies another code. Each modeled
    ``error.code`` that is not also a shape name selects the class with that
    code; when several shapes share a code (CloudWatch's ``ResourceNotFound``:
    ``ResourceNotFound`` and ``DashboardNotFoundError``), the shape name wins,
    else the last shape in model order, as botocore's
    ``errorfactory.ClientExceptionsFactory`` builds its code map.
    """
    keys: dict[str, str] = {e.shape: e.class_name for e in errors}
    position = {name: i for i, name in enumerate(shape_order)}
    by_code: dict[str, str] = {}
    for e in sorted(errors, key=lambda e: position.get(e.shape, len(position))):
        if e.code not in keys:
            by_code[e.code] = e.class_name
    keys.update((code, by_code[code]) for code in sorted(by_code))
    return tuple(keys.items())


def check_names(ir: ServiceIR) -> None:
    """Fail loudly on any Python name used twice in one namespace of the package, or
    any generated name that is not a plain public identifier (a keyword, a leading
    underscore, a client or error attribute the naming rules should have moved).

    Namespaces: the models, errors and paginators modules; the client's
    methods; each structure's fields (= the operation's parameters); each error
    class's attributes; the serde functions; the endpoint resolver's parameters.
    """
    problems: list[str] = []

    def public(scope: str, py: str, source: str, reserved: frozenset[str] = frozenset()) -> None:
        if not py.isidentifier() or keyword.iskeyword(py) or py.startswith("_") or py in reserved:
            problems.append(f"{scope}: {source!r} becomes {py!r}, which is not usable there")

    for s in ir.structures:
        public("models module", s.class_name, s.shape)
        for m in s.members:
            public(f"fields of {s.shape}", m.py_name, m.name, naming.ANNOTATION_NAMES)
    for e in ir.enums:
        public("models module", e.class_name, e.shape)
        for py, value in e.values:
            public(f"members of enum {e.shape}", py, value)
    for err in ir.errors:
        public("errors module", err.class_name, err.shape, naming.ERRORS_MODULE_NAMES | {ir.base_error})
        for m in err.members:
            reserved = naming.ERROR_ATTRIBUTES | naming.ANNOTATION_NAMES if m.py_name != "message" else frozenset()
            public(f"attributes of error {err.shape}", m.py_name, m.name, reserved)
    for op in ir.operations:
        public("client methods", op.method, op.name, naming.CLIENT_ATTRIBUTES)

    def unique(scope: str, pairs: Iterable[tuple[str, str]]) -> None:
        seen: dict[str, str] = {}
        for py, source in pairs:
            if py in seen and seen[py] != source:
                problems.append(f"{scope}: {seen[py]!r} and {source!r} both become {py!r}")
            seen.setdefault(py, source)

    unique(
        "models module",
        [(s.class_name, s.shape) for s in ir.structures] + [(e.class_name, e.shape) for e in ir.enums],
    )
    unique(
        "errors module",
        [(e.class_name, e.shape) for e in ir.errors]
        + [(ir.base_error, "<service base error>")]
        + [(name, f"<errors.{name}>") for name in sorted(naming.ERRORS_MODULE_NAMES)],
    )
    for err in ir.errors:
        unique(f"attributes of error {err.shape}", [(m.py_name, m.name) for m in err.members])
    for s in ir.structures:
        unique(f"fields of {s.shape}", [(m.py_name, m.name) for m in s.members])
    unique("endpoint resolver parameters", [(p.py_name, p.name) for p in ir.endpoints.params])
    paginators = [(op.name, op.paginator) for op in ir.operations if op.paginator is not None]
    unique(
        "client methods",
        [(op.method, op.name) for op in ir.operations]
        + [(p.pages_method, f"{name} pages") for name, p in paginators]
        + [(p.items_method, f"{name} items") for name, p in paginators],
    )
    unique("paginators module", [(p.class_name, name) for name, p in paginators])
    unique("serde functions", [(s.func, s.shape) for s in ir.structures])
    for s in ir.structures:
        if s.is_union and s.needs_parse:
            unique(
                f"union {s.shape}",
                [(m.py_name, m.name) for m in s.members] + [(naming.UNION_UNKNOWN_FIELD, "<unknown member>")],
            )
    if problems:
        raise naming.NameClashError("name clashes:\n  " + "\n  ".join(problems))


def build_service(sources: ModelSources, package: str | None = None) -> ServiceIR:
    """Build the IR for one service; raises :class:`BuildError` or
    :class:`~generator.naming.NameClashError` before anything is written."""
    return _Builder(sources, package).build()


def service_id_hyphenized(meta: dict[str, Any], service_name: str) -> str:
    """botocore ``ServiceModel.service_id.hyphenize()``: ``serviceId`` (else the
    service name) in lower case, spaces as ``-`` (``dynamodb-streams``)."""
    return str(meta.get("serviceId") or service_name).replace(" ", "-").lower()


def legacy_retry_args(config: dict[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    """Keyword arguments of ``aws_runtime.retries.LegacyRetryConfig`` for a resolved
    ``_retry.json`` policy (botocore ``retryhandler.create_checker_from_retry_config``
    and ``create_retry_action_from_config``), in a fixed order. Raises
    :class:`BuildError` for a policy botocore would reject."""
    if not config:
        return ()
    statuses: set[int] = set()
    pairs: set[tuple[int, str]] = set()
    socket_errors = False
    crc32_header = None
    for name, policy in sorted(config.get("policies", {}).items()):
        applies = policy.get("applies_when", {})
        response = applies.get("response")
        if response is not None:
            if "service_error_code" in response:
                pairs.add((int(response["http_status_code"]), str(response["service_error_code"])))
            elif "http_status_code" in response:
                statuses.add(int(response["http_status_code"]))
            elif "crc32body" in response:
                crc32_header = str(response["crc32body"])
            else:
                raise BuildError(f"_retry.json policy {name!r}: unknown retry policy {response!r}")
        elif applies.get("socket_errors") == ["GENERAL_CONNECTION_ERROR"]:
            socket_errors = True
        else:
            raise BuildError(f"_retry.json policy {name!r}: unknown retry policy {applies!r}")
    delay = config.get("delay", {})
    if delay.get("type") != "exponential":
        raise BuildError(f"_retry.json delay {delay!r}: only exponential delays exist in botocore")
    base = delay["base"]
    return (
        ("max_attempts", int(config["max_attempts"])),
        ("base", None if base == "rand" else float(base)),
        ("growth_factor", delay["growth_factor"]),
        ("statuses", tuple(sorted(statuses))),
        ("status_codes", tuple(sorted(pairs))),
        ("socket_errors", socket_errors),
        ("crc32_header", crc32_header),
    )
