"""Intermediate representation: frozen dataclasses, data only.

:mod:`generator.build` turns a botocore service model into a
:class:`ServiceIR`; templates render it. Every naming, ordering and typing
decision is made once, in ``build``, and recorded here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCALAR_KINDS = frozenset(
    {"string", "enum", "integer", "long", "float", "double", "boolean", "blob", "timestamp"}
)


@dataclass(frozen=True)
class TypeRef:
    """The type of a member, list element or map value.

    ``kind`` is one of: string, enum, integer, long, float, double, boolean,
    blob, timestamp, document, list, map, structure, union. ``class_name`` is
    set for enum, structure and union. ``element`` is the list member or map
    value type; map keys are always ``str``. ``min``/``max`` are the model's
    length (string, blob, list, map) or value (numbers) limits.
    """

    kind: str
    shape: str
    class_name: str | None = None
    element: TypeRef | None = None
    min: int | float | None = None
    max: int | float | None = None
    timestamp_format: str = "unixTimestamp"
    sparse: bool = False
    func: str = ""  # snake name of a structure/union, for its serde functions

    @property
    def is_scalar(self) -> bool:
        return self.kind in SCALAR_KINDS


@dataclass(frozen=True)
class MemberIR:
    """One member of a structure: model name, Python name, wire name, type and traits."""

    name: str
    py_name: str
    wire_name: str
    type: TypeRef
    required: bool
    doc: str = ""
    idempotency_token: bool = False
    host_label: bool = False
    deprecated: bool = False
    deprecated_message: str = ""


@dataclass(frozen=True)
class StructureIR:
    """A structure or union shape and the code it needs.

    ``needs_*`` say which serde functions are generated (by reachability from
    operation inputs, outputs and errors). ``input_only`` structures type
    required members without ``| None``; all others make every member
    optional because required members are never enforced on replies.
    """

    shape: str
    class_name: str
    func: str
    members: tuple[MemberIR, ...]
    doc: str = ""
    is_union: bool = False
    input_only: bool = False
    needs_serialize: bool = False
    needs_validate: bool = False
    needs_parse: bool = False
    deprecated: bool = False


@dataclass(frozen=True)
class EnumIR:
    """A string shape with an ``enum`` trait: (Python member name, wire value) pairs."""

    shape: str
    class_name: str
    values: tuple[tuple[str, str], ...]
    doc: str = ""


@dataclass(frozen=True)
class ErrorIR:
    """An error shape: class name, the code that selects it, modeled members."""

    shape: str
    class_name: str
    code: str
    members: tuple[MemberIR, ...]
    doc: str = ""
    http_status: int | None = None
    fault: bool = False
    # the ``retryable`` trait: None without it, else its ``throttling`` flag
    retryable: bool | None = None


@dataclass(frozen=True)
class PaginatorIR:
    """A paginator from ``paginators-1.json`` (only single-token, plain-path ones
    whose result key is a list).

    ``class_name`` is the paginator class in the generated ``paginators``
    module (``DescribeCasesPaginator``); ``pages_method``/``items_method`` are
    the typed client methods (``describe_cases_pages``/``describe_cases_items``);
    ``item_type`` is the element type of the result-key list.
    """

    input_token: str
    output_token: str
    input_token_py: str
    output_token_py: str
    result_key: str
    result_key_py: str
    item_type: TypeRef
    class_name: str
    pages_method: str
    items_method: str
    limit_key: str | None = None
    limit_key_py: str | None = None


@dataclass(frozen=True)
class OperationIR:
    """One operation: model name, client method, input/output structures, errors."""

    name: str
    method: str
    input: StructureIR | None
    output: StructureIR | None
    errors: tuple[ErrorIR, ...]
    doc: str = ""
    host_prefix: str | None = None
    host_labels: tuple[MemberIR, ...] = ()
    deprecated: bool = False
    deprecated_message: str = ""
    paginator: PaginatorIR | None = None
    unsupported_reason: str | None = None
    request_compression: tuple[str, ...] = ()  # ``requestcompression.encodings``, model order
    # Endpoint rule-set parameters this operation sets (resolver keyword, value):
    # ``staticContextParams`` literals, and ``contextParams`` /
    # ``operationContextParams`` as (keyword, input member py_name, "value" | "keys").
    static_endpoint_params: tuple[tuple[str, Any], ...] = ()
    context_endpoint_params: tuple[tuple[str, str, str], ...] = ()
    # How requests are authenticated, resolved from the model as botocore does
    # (``generator.build.resolve_auth``): "v4" (SigV4) or "none" (sent unsigned,
    # credentials never resolved).
    auth: str = "v4"
    # botocore handlers.py customizations that change the wire (``generator.build.
    # WIRE_CUSTOMIZATIONS``): the input member whose URL replaces the endpoint's
    # scheme and host (machinelearning Predict's PredictEndpoint), and extra headers.
    host_from_member: MemberIR | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EndpointParamIR:
    """An endpoint rule-set parameter (``Region``, ``UseFIPS``...)."""

    name: str
    py_name: str
    type: str  # "string" | "boolean" | "stringArray"
    required: bool
    default: Any = None
    built_in: str | None = None
    doc: str = ""


@dataclass(frozen=True)
class EndpointsIR:
    """The compiled endpoint rule set: parameters, body lines, partition data."""

    params: tuple[EndpointParamIR, ...]
    body: tuple[str, ...]
    partitions: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class ServiceIR:
    """Everything the templates need for one service package."""

    service_name: str
    package: str
    package_version: str
    client_class: str
    base_error: str
    service_id: str
    full_name: str
    api_version: str
    target_prefix: str
    json_version: str
    signing_name: str
    global_region: str | None
    query_compatible: bool
    doc: str
    botocore_version: str
    model_hash: str
    structures: tuple[StructureIR, ...]
    enums: tuple[EnumIR, ...]
    errors: tuple[ErrorIR, ...]
    operations: tuple[OperationIR, ...]
    endpoints: EndpointsIR
    # Resolver keywords the client passes when it resolves its own endpoint at
    # construction: a required rule-set parameter that only operations set
    # (ACM's ServiceType) takes the first static value in model order.
    endpoint_defaults: tuple[tuple[str, Any], ...] = ()
    skipped_paginators: tuple[tuple[str, str], ...] = ()  # (operation, why), reported by the CLI
    # botocore ``ServiceId.hyphenize()``: key of the per-service retry defaults
    retry_service: str = ""
    # the legacy retry policy (``_retry.json``), as LegacyRetryConfig keyword arguments
    legacy_retry: tuple[tuple[str, Any], ...] = ()
    # ERROR_CLASSES entries (key, error class name), see ``generator.build.error_keys``.
    error_keys: tuple[tuple[str, str], ...] = ()
