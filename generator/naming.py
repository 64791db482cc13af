"""Python names for model names, and the rules that keep them from clashing.

Every rule here is applied by :mod:`generator.build` before anything is
rendered; :class:`NameClashError` stops generation when two model names map to
the same Python name and no rule resolves it.

Rules (each documented in README "Naming rules"):

1. Operation methods and member names use ``botocore.xform_name`` (what
   boto3 calls them): ``CreateCase`` → ``create_case``, ``ccEmailAddresses``
   → ``cc_email_addresses``. The leading ``_`` that ``xform_name`` gives a
   name starting with a plural acronym is dropped: ``ACLs`` → ``acls``, not
   ``_acls`` (MemoryDB ``ACLs``, MTurk ``HITs``, Network Firewall ``CIDRs``).
   A leading underscore would mark the name private and could meet the
   generated code's own ``_``-prefixed names (``_request``, ``_m``...). The leading ``_`` that ``xform_name`` gives a name
   starting with a plural acronym is dropped (``ACLs`` → ``acls``, not
   ``_acls``; MemoryDB, MTurk ``HITs``, Network Firewall ``CIDRs``): a leading
   underscore would mark the name private and could meet the generated
   code's own ``_``-prefixed names.
2. A member name that is a Python keyword (``from``, ``class``, ``lambda``...),
   ``self``, or a builtin type name used in generated annotations
   (``str``, ``int``, ``float``, ``bool``, ``bytes``, ``list``, ``dict``,
   ``object``, ``type``...) gets a trailing ``_``: ``from`` → ``from_``.
   ``id`` and other builtins stay as they are: generated code never uses them.
3. A shape class name is the shape name; a name that is a keyword or a Python
   builtin (``Exception``, ``None``...) gets a trailing ``_``. Generated
   modules import only underscore-prefixed aliases (``_dataclasses``,
   ``_models``...), which no shape name can shadow.
4. An operation method that would shadow a client attribute (``close``,
   ``config``, ``endpoint_url``, ``get_paginator``...) gets a trailing ``_``.
5. Error members that would shadow :class:`aws_runtime.errors.ServiceError`
   attributes (``code``, ``message``'s type aside, ``status_code``,
   ``request_id``, ``headers``...) get a trailing ``_``; a member named
   ``message`` is the base class's ``message``.
6. Enum member names: the value upper-cased, every run of other characters
   than letters and digits turned into ``_``, a leading digit prefixed with
   ``V_``, ``EMPTY`` for ``""``; a repeat gets ``_2``, ``_3``... in model order.
7. Per-shape serde functions are ``serialize_``/``parse_``/``validate_`` plus
   the shape's snake-case name.
8. Union dataclasses that appear in replies get one extra field,
   ``sdk_unknown_member`` (botocore's ``SDK_UNKNOWN_MEMBER``); a union member
   with that Python name is a clash.
9. A paginated operation also gets the client methods ``<method>_pages`` and
   ``<method>_items`` (rule 4's trailing ``_`` dropped first) and the class
   ``<Operation>Paginator`` in the ``paginators`` module; ``get_paginator``
   takes the operation's method name, as boto3's does. These names join the
   clash check of the client's methods. An operation whose input has a member
   named like a paginator parameter (``max_items``, ``starting_token``: ACM's
   and Route 53 Domains' ``MaxItems`` page size) gets no paginator; the
   operation itself is generated and takes the token by hand.
10. An error shape whose class name the ``errors`` module already defines
    (``ServiceError``, ``ParamValidationError``, ``ERROR_CLASSES``, or the
    service's base class ``<ServiceId>Error``) gets a trailing ``_``; its
    error code still maps to it. A *structure* named like the base class
    (Athena's ``AthenaError``, Storage Gateway's ``StorageGatewayError``)
    lives in ``models`` and keeps its name.
11. Endpoint resolver parameters: the four built-ins are ``region``,
    ``use_fips``, ``use_dual_stack`` and ``endpoint``; other rule-set
    parameters follow rules 1-2 (``ServiceType`` → ``service_type``);
    values a rule assigns are locals named ``v_`` plus their snake name.
12. Package ``aws_<service>`` (botocore's service name, ``-`` and ``.`` →
    ``_``); client class: the model's ``serviceId`` without spaces and dashes
    plus ``Client`` (``DynamoDBClient``, ``CloudWatchLogsClient``); base error
    class: the same stem plus ``Error``.

Every name a rule produces is checked before writing
(:func:`generator.build.check_names`): within each namespace (a module's
top level, a class's attributes, a method's parameters, the serde functions)
two model names that end up as one Python name stop generation with
:class:`NameClashError` naming both.
"""

from __future__ import annotations

import builtins
import keyword
import re

from botocore import xform_name as _botocore_xform_name

__all__ = [
    "CLIENT_ATTRIBUTES",
    "ERRORS_MODULE_NAMES",
    "ERROR_ATTRIBUTES",
    "PAGINATOR_PARAMETERS",
    "UNION_UNKNOWN_FIELD",
    "NameClashError",
    "class_name",
    "enum_member_names",
    "error_class_name",
    "error_member_name",
    "member_name",
    "method_name",
    "paginator_names",
    "snake",
]


PAGINATOR_PARAMETERS = frozenset({"max_items", "starting_token"})
"""Rule 9: keyword parameters of every paginator method besides the operation's."""

UNION_UNKNOWN_FIELD = "sdk_unknown_member"
"""Rule 8: the extra field of union dataclasses used in replies."""


class NameClashError(ValueError):
    """Two model names map to one Python name and no naming rule resolves it."""


# Names whose shadowing inside a generated class body would break annotations
# or that collide with the method's own ``self``.
ANNOTATION_NAMES = frozenset(
    {"self", "str", "int", "float", "bool", "bytes", "list", "dict", "object", "type", "tuple", "set"}
)

CLIENT_ATTRIBUTES = frozenset(
    {
        "close",
        "closed",
        "config",
        "endpoint",
        "endpoint_url",
        "region_name",
        "signing_region",
        "get_paginator",
        "can_paginate",
        "paginators",
        "exceptions",
        "add_interceptor",
        "meta",
        "profile",
    }
)

ERROR_ATTRIBUTES = frozenset(
    {
        "code",
        "status_code",
        "request_id",
        "operation_name",
        "attempts",
        "headers",
        "args",
        "with_traceback",
        "add_note",
        "retry_note",
        "codes",
        "error_type",
        "query_error_code",
        "response",
    }
)


def snake(name: str) -> str:
    """Rule 1: ``botocore.xform_name`` (the snake_case boto3 uses for operations), minus
    the leading ``_`` it produces for a leading plural acronym (``ACLs`` → ``acls``)."""
    py = str(_botocore_xform_name(name))
    stripped = py.lstrip("_")
    return stripped if stripped and not name.startswith("_") else py


def _is_reserved_identifier(name: str) -> bool:
    return keyword.iskeyword(name) or keyword.issoftkeyword(name) and name == "_"


def member_name(name: str) -> str:
    """Rule 2: the Python name of a structure member."""
    py = snake(name)
    if not py.isidentifier():
        py = re.sub(r"\W", "_", py)
        if py[:1].isdigit():
            py = "m_" + py
    if _is_reserved_identifier(py) or py in ANNOTATION_NAMES:
        py += "_"
    return py


def class_name(shape_name: str) -> str:
    """Rule 3: the Python class name of a structure, union, enum or error shape."""
    name = re.sub(r"\W", "_", shape_name)
    if name[:1].isdigit():
        name = "S_" + name
    if _is_reserved_identifier(name) or hasattr(builtins, name) or name.startswith("_"):
        name += "_"
    return name


def method_name(operation_name: str) -> str:
    """Rules 1 and 4: the client method for an operation."""
    py = snake(operation_name)
    if _is_reserved_identifier(py) or py in CLIENT_ATTRIBUTES:
        py += "_"
    return py


def paginator_names(operation_name: str) -> tuple[str, str, str]:
    """Rule 9: ``(class name, pages method, items method)`` of an operation's paginator."""
    method = method_name(operation_name).rstrip("_")
    return class_name(operation_name) + "Paginator", method + "_pages", method + "_items"


ERRORS_MODULE_NAMES = frozenset({"ServiceError", "ParamValidationError", "ERROR_CLASSES", "Exceptions"})
"""Rule 10: names the generated ``errors`` module defines besides the error classes."""


def error_class_name(shape_name: str, base_error: str) -> str:
    """Rule 10: the class name of an error shape in the ``errors`` module."""
    name = class_name(shape_name)
    if name in ERRORS_MODULE_NAMES or name == base_error:
        name += "_"
    return name


def error_member_name(name: str) -> str:
    """Rule 5: member names on generated error classes."""
    py = member_name(name)
    if py in ERROR_ATTRIBUTES:
        py += "_"
    return py


def enum_member_names(values: list[str]) -> list[str]:
    """Rule 6: one Python identifier per enum value, unique, in model order."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for value in values:
        base = re.sub(r"[^A-Za-z0-9]+", "_", value).strip("_").upper() or "EMPTY"
        if base[0].isdigit():
            base = "V_" + base
        if keyword.iskeyword(base):
            base += "_"
        count = seen.get(base, 0) + 1
        seen[base] = count
        names.append(base if count == 1 else f"{base}_{count}")
    if len(set(names)) != len(names):  # a generated suffix hit a real value
        raise NameClashError(f"enum values {values!r} give clashing member names {names!r}")
    return names
