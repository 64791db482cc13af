"""Render a :class:`~generator.ir.ServiceIR` into module sources (no file I/O).

A Jinja2 environment with ``StrictUndefined`` (a template typo is an error,
not an empty string) renders one template per generated module. Imports of
each module are derived from what its body actually uses (``_dt.``,
``_enum.``...), so no import is ever missing or unused. Whitespace is left to
black (:mod:`generator.formatting`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2

from . import docs, exprs
from .extensions import ExtensionModule
from .formatting import CACHE_ROOT
from .ir import (
    EnumIR,
    ErrorIR,
    MemberIR,
    OperationIR,
    PaginatorIR,
    ServiceIR,
    StructureIR,
    TypeRef,
)
from .naming import UNION_UNKNOWN_FIELD

__all__ = ["TEMPLATES_DIR", "render_package"]

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

# alias → import statement; added to a module when its body uses ``alias.``
_IMPORTS = {
    "_abc": "import collections.abc as _abc",
    "_dataclasses": "import dataclasses as _dataclasses",
    "_dt": "import datetime as _dt",
    "_enum": "import enum as _enum",
    "_ft": "import functools as _ft",
    "_t": "import typing as _t",
}
_THIRD_PARTY_IMPORTS = {
    "_msgspec": "import msgspec as _msgspec",
}
_RUNTIME_IMPORTS = {
    "_rt_aio": "from aws_runtime import aio as _rt_aio",
    "_rt_client": "from aws_runtime import client as _rt_client",
    "_rt_errors": "from aws_runtime import errors as _rt_errors",
    "_ep": "from aws_runtime import endpoints as _ep",
    "_rt_pagination": "from aws_runtime import pagination as _rt_pagination",
    "_v": "from aws_runtime import validation as _v",
    "_w": "from aws_runtime import wire as _w",
}
_LOCAL_IMPORTS = {
    "_m": "from . import models as _m",
    "_serde": "from . import _serde",
    "_errors": "from . import errors as _errors",
    "_endpoints": "from . import endpoints as _endpoints",
    "_paginators": "from . import paginators as _paginators",
}


def imports_for(body: str, level: int = 1, extensions: Sequence[ExtensionModule] = ()) -> str:
    """Import block for the underscore aliases used in ``body`` (stdlib, msgspec, runtime, package).

    ``level`` 2 is for modules one folder down (``models/_part_1.py``): package
    imports become ``from .. import``. ``extensions`` adds the hand-written
    extension modules (``from .extensions import attachments as _ext_attachments``).
    """
    local = dict(_LOCAL_IMPORTS)
    for module in extensions:
        local[module.alias] = f"from .extensions import {module.name} as {module.alias}"
    groups = []
    for table in (_IMPORTS, _THIRD_PARTY_IMPORTS, _RUNTIME_IMPORTS, local):
        lines = [stmt for alias, stmt in table.items() if re.search(rf"(?<![\w.]){alias}\.", body)]
        if table is local and level > 1:
            lines = [line.replace("from . ", "from " + "." * level + " ") for line in lines]
        if lines:
            groups.append("\n".join(sorted(lines)))
    return "\n\n".join(groups)


# ----------------------------------------------------------------- typing


def optional_field(struct: StructureIR, member: MemberIR) -> bool:
    """Fields default to None unless the structure is input-only and the member required."""
    return not (struct.input_only and member.required and not member.idempotency_token)


def field_annotation(struct: StructureIR, member: MemberIR) -> str:
    role = "input" if struct.input_only else "output"
    # Only structures that can appear in replies are decoded: they need the
    # msgspec markers; input-only ones keep the plain types.
    ann = exprs.annotation(member.type, "", role, field=not struct.input_only)
    if optional_field(struct, member) and member.type.kind != "document":
        ann += " | None"
    return ann


def field_default(struct: StructureIR, member: MemberIR) -> str:
    """`` = None``, or a ``msgspec.field`` giving the wire name when it is not the attribute's."""
    optional = optional_field(struct, member)
    if member.wire_name == member.py_name:
        return " = None" if optional else ""
    default = "default=None, " if optional else ""
    return f" = _msgspec.field({default}name={member.wire_name!r})"


def error_field_annotation(member: MemberIR) -> str:
    ann = exprs.annotation(member.type, "_m.", "output", field=True)
    return ann if member.type.kind == "document" else ann + " | None"


def error_field_default(member: MemberIR) -> str:
    if member.wire_name == member.py_name:
        return " = None"
    return f" = _msgspec.field(default=None, name={member.wire_name!r})"


def param_required(member: MemberIR) -> bool:
    return member.required and not member.idempotency_token


def param_annotation(member: MemberIR, struct: StructureIR | None = None) -> str:
    """The parameter's type: the input role (any sequence/mapping), unless the input
    structure also appears in replies (Cognito Identity's ``IdentityPool`` is both the
    input and the output of UpdateIdentityPool), where the dataclass field's reply
    types are what it accepts."""
    role = "output" if struct is not None and not struct.input_only else "input"
    ann = exprs.annotation(member.type, "_m.", role)
    if not param_required(member) and member.type.kind != "document":
        ann += " | None"
    return ann


def error_annotation(member: MemberIR) -> str:
    ann = exprs.annotation(member.type, "_m.", "output")
    return ann if member.type.kind == "document" else ann + " | None"


def ordered_params(op: OperationIR) -> list[MemberIR]:
    """Required parameters first, then optional ones, each group in model order."""
    if op.input is None:
        return []
    members = list(op.input.members)
    return [m for m in members if param_required(m)] + [m for m in members if not param_required(m)]


def endpoint_param_expr(path: str, mode: str) -> str:
    """Expression for an endpoint context parameter read from ``_request``.

    ``path`` is dotted Python member names (``table_creation_parameters.table_name``);
    a missing structure on the way gives None. ``mode`` ``keys`` gives the keys
    of a map member as a list (``keys(RequestItems)``).
    """
    names = path.split(".")
    expr = "_request." + ".".join(names)
    if mode == "keys":
        expr = f"list({expr})"
    guards = ["_request." + ".".join(names[: i + 1]) for i in range(len(names) - (0 if mode == "keys" else 1))]
    if guards:
        expr = f"({expr} if {' and '.join(g + ' is not None' for g in guards)} else None)"
    return expr


def item_annotation(p: PaginatorIR, prefix: str) -> str:
    """The type of one result-key item as the reply's list holds it: scalar items
    of reply lists may be None (see :func:`generator.exprs.annotation`)."""
    whole = exprs.annotation(TypeRef("list", p.result_key, element=p.item_type), prefix, "output")
    return whole[len("list[") : -1]


def paginator_params(op: OperationIR) -> list[MemberIR]:
    """The operation's parameters minus the page token (the paginator owns it)."""
    token = op.paginator.input_token if op.paginator else None
    return [m for m in ordered_params(op) if m.name != token]


def paginated_operations(ir: ServiceIR) -> list[OperationIR]:
    """Operations with a rendered paginator, in model order."""
    return [op for op in ir.operations if op.paginator is not None and not op.unsupported_reason]


# ------------------------------------------------------------------- docs


def constraint_text(t: TypeRef) -> str:
    """Human text for the model's limits: ``length 1-8000``, ``at most 10 items``..."""
    lo, hi = t.min, t.max
    if lo is None and hi is None:
        return ""
    if t.kind in ("string", "enum"):
        unit = "characters"
    elif t.kind == "blob":
        unit = "bytes"
    elif t.kind in ("list", "map"):
        unit = "items"
    else:
        unit = ""
    if unit:
        if lo is not None and hi is not None:
            return f"{_num(lo)} to {_num(hi)} {unit}"
        if lo is not None:
            return f"at least {_num(lo)} {unit}"
        return f"at most {_num(hi)} {unit}"
    if lo is not None and hi is not None:
        return f"{_num(lo)} to {_num(hi)}"
    if lo is not None:
        return f">= {_num(lo)}"
    return f"<= {_num(hi)}"


def _num(value: float | None) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _member_notes(member: MemberIR, *, for_input: bool) -> str:
    notes = []
    if for_input and param_required(member):
        notes.append("required")
    limits = constraint_text(member.type)
    if limits:
        notes.append(limits)
    if member.type.kind == "enum":
        notes.append(f"a {member.type.class_name} value or str")
    if member.idempotency_token and for_input:
        notes.append("a uuid4 is generated when omitted")
    if member.deprecated:
        notes.append("deprecated" + (f": {member.deprecated_message}" if member.deprecated_message else ""))
    return f" ({'; '.join(notes)})" if notes else ""


def _entry(name: str, text: str, width: int) -> list[str]:
    """``name: text`` wrapped with a hanging indent, as in Google-style sections."""
    text = text.strip() or "Not documented in the model."
    lines = docs.docstring_lines(f"{name}: {text}", width - 8)
    return ["    " + lines[0]] + ["        " + line if line else "" for line in lines[1:]]


def docstring(text: str | Iterable[str], indent: int = 4, width: int = 88) -> str:
    """A complete triple-quoted docstring; ``text`` is converted text or prepared lines."""
    if isinstance(text, str):
        lines = docs.docstring_lines(text, width - indent) if text else []
    else:
        lines = list(text)
    lines = [docs.escape_docstring(line) for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        lines = ["(No documentation in the model.)"]
    pad = " " * indent
    if len(lines) == 1 and len(lines[0]) + indent + 6 <= width:
        return f'"""{lines[0]}"""'
    body = "\n".join((pad + line) if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{pad}"""' if body else f'"""{lines[0]}\n{pad}"""'


def struct_doc_lines(struct: StructureIR, width: int = 84) -> list[str]:
    lines = docs.docstring_lines(struct.doc, width) if struct.doc else [f"The {struct.shape} shape."]
    if struct.is_union:
        lines += ["", "A tagged union: set exactly one attribute."]
    if struct.members:
        lines += ["", "Attributes:"]
        for m in struct.members:
            lines += _entry(m.py_name, docs.summary(m.doc) + _member_notes(m, for_input=struct.input_only), width)
    if struct.is_union and struct.needs_parse:
        lines += _entry(
            UNION_UNKNOWN_FIELD,
            "Set on replies only: the wire name of the member the service sent when it is "
            "none this model knows (a newer API version). Never sent.",
            width,
        )
    return lines


def method_doc_lines(op: OperationIR, ir: ServiceIR, width: int = 80) -> list[str]:
    lines = docs.docstring_lines(op.doc, width) if op.doc else [f"Call {op.name}."]
    if op.deprecated:
        lines = ["Deprecated" + (f": {op.deprecated_message}" if op.deprecated_message else "."), ""] + lines
    if op.paginator is not None:
        p = op.paginator
        lines += [""] + docs.docstring_lines(
            f"Pagination: this call returns one page. `{p.pages_method}(...)` iterates the "
            f"pages and `{p.items_method}(...)` the `{p.result_key_py}` items, lazily, "
            f"sending `{p.input_token_py}` for you.",
            width,
        )
    params = ordered_params(op)
    if params:
        lines += ["", "Args:"]
        for m in params:
            lines += _entry(m.py_name, m.doc + _member_notes(m, for_input=True), width)
    lines += ["", "Returns:"]
    if op.output is not None:
        out_doc = f"{op.output.class_name}: the {op.name} reply"
        members = ", ".join(m.py_name for m in op.output.members)
        if members:
            out_doc += f" ({members})"
        lines += _entry(op.output.class_name, out_doc.split(": ", 1)[1] + ".", width)
    else:
        lines += ["    None"]
    lines += ["", "Raises:"]
    for err in op.errors:
        summary = docs.summary(err.doc) or f"The service returned {err.code}."
        lines += _entry(f"errors.{err.class_name}", summary, width)
    lines += _entry(
        f"errors.{ir.base_error}", "Any other error reply (unmodeled codes keep their code and message).", width
    )
    lines += _entry(
        "errors.ParamValidationError",
        "Invalid parameters, found before any network I/O.",
        width,
    )
    lines += _entry(
        "aws_runtime.errors.TransportError", "No reply could be read (connection or timeout).", width
    )
    return lines


def paginator_doc_lines(op: OperationIR, ir: ServiceIR, kind: str, width: int = 80) -> list[str]:
    """Docstring of ``<op>_pages`` (kind ``pages``), ``<op>_items`` (``items``) or
    ``<Op>Paginator.paginate`` (``paginate``)."""
    p = op.paginator
    assert p is not None and op.output is not None
    item = item_annotation(p, "")
    token_param = p.input_token_py
    if kind == "items":
        lines = docs.docstring_lines(
            f"Iterate the `{p.result_key_py}` items ({item}) of {op.name} across pages, "
            f"lazily: a page is requested only when the previous page's items have been "
            f"consumed.",
            width,
        )
    else:
        lines = docs.docstring_lines(
            f"Iterate the pages ({op.output.class_name}) of {op.name} lazily: one "
            f"request per page, sent when the previous page has been consumed.",
            width,
        )
    size = f" and page size (`{p.limit_key_py}`)" if p.limit_key_py else ""
    rules = (
        f"Every request sends the same filters{size}; only `{token_param}` changes, taken "
        f"from each reply's top-level `{p.output_token}` (a token nested deeper in the reply "
        f"is never used). The iteration ends when a reply has no token (missing, null or "
        f'""); a token that was already sent raises PaginationError instead of looping. '
        f"Nothing is sent before iteration starts, and each new iteration starts over "
        f"from `starting_token`."
    )
    lines += [""] + docs.docstring_lines(rules, width)
    if kind == "paginate":
        lines += [""] + docs.docstring_lines(
            f"boto3's spelling of `client.{p.pages_method}(...)`; parameters are snake_case "
            f"keywords, and boto3's PaginationConfig keys are the keywords `max_items` "
            f"(MaxItems) and `starting_token` (StartingToken); the page size (PageSize) is "
            + (f"`{p.limit_key_py}`." if p.limit_key_py else "not configurable for this operation."),
            width,
        )
    params = paginator_params(op)
    lines += ["", "Args:"]
    for m in params:
        note = " Sent as the page size on every request." if m.name == p.limit_key else ""
        lines += _entry(m.py_name, m.doc + note + _member_notes(m, for_input=True), width)
    lines += _entry(
        "max_items",
        "Stop after this many items in total (>= 1), cutting the last page if needed; "
        "None for all of them.",
        width,
    )
    lines += _entry(
        "starting_token",
        "Continue an earlier run: its `resume_token`, or a page token from a reply's "
        f"`{p.output_token_py}`. None starts at the first page.",
        width,
    )
    lines += ["", "Returns:"]
    if kind == "items":
        lines += _entry(
            f"ItemIterator[{item}]",
            f"iterate it for {item} objects; after a `break` or at the end, its "
            "`resume_token` is where to continue (None when the listing is complete).",
            width,
        )
    else:
        lines += _entry(
            f"PageIterator[{op.output.class_name}, {item}]",
            f"iterate it for {op.output.class_name} pages, or call `.items()` for the "
            f"{item} objects; its `resume_token` is where to continue (None when the "
            "listing is complete).",
            width,
        )
    lines += ["", "Raises:"]
    lines += _entry(
        "errors.ParamValidationError",
        "Here, for a bad `max_items` or `starting_token`; at the first request, before "
        "any network I/O, for invalid operation parameters.",
        width,
    )
    lines += _entry(
        "aws_runtime.errors.PaginationError",
        "While iterating, after the page that repeated an already sent token.",
        width,
    )
    lines += _entry(
        f"errors.{ir.base_error}",
        f"While iterating, any error {op.name} raises (see `{op.method}`).",
        width,
    )
    return lines


def paginator_class_doc_lines(op: OperationIR, is_async: bool = False, width: int = 84) -> list[str]:
    p = op.paginator
    assert p is not None
    client = "async client" if is_async else "client"
    lines = docs.docstring_lines(
        f"Paginator for {op.name}, as returned by the {client}'s "
        f'`get_paginator("{op.method}")`. Its `paginate(...)` is '
        f"`client.{p.pages_method}(...)`: pages are {op.output.class_name if op.output else ''} "
        f"replies, items (`.items()`) are the `{p.result_key_py}` entries.",
        width,
    )
    if is_async:
        lines += [""] + docs.docstring_lines(
            "Both are async iterators: `async for page in ...` / `async for item in ...`.", width
        )
    return lines


@dataclasses.dataclass(frozen=True)
class Flavour:
    """One client flavour rendered from the same templates: the sync client and its
    asyncio twin (``Async<Client>``; ``async def`` operations, async paginators)."""

    name: str
    prefix: str
    base_class: str

    @property
    def is_async(self) -> bool:
        return self.name == "async"


FLAVOURS = (
    Flavour("sync", "", "_rt_client.BaseClient"),
    Flavour("async", "Async", "_rt_aio.AsyncBaseClient"),
)
"""Every generated package has both clients (same operations, docs, types, errors)."""


def paginator_class_names(paginated: list[OperationIR], flavours: tuple[Flavour, ...]) -> list[str]:
    """Paginator class names of every flavour (``DescribeCasesPaginator``,
    ``AsyncDescribeCasesPaginator``, ...)."""
    return [f.prefix + op.paginator.class_name for op in paginated for f in flavours if op.paginator]


def client_class_names(ir: ServiceIR, flavours: tuple[Flavour, ...]) -> list[str]:
    """``__all__`` of ``client.py``: the client class of every flavour."""
    return sorted_all([f.prefix + ir.client_class for f in flavours])


def async_client_doc_lines(ir: ServiceIR, paginated: bool, width: int = 84) -> list[str]:
    """Docstring of ``Async<Client>``: what differs from the sync client."""
    cls = ir.client_class
    text = (
        f"The asyncio flavour of {cls}: the same operations, parameters, types, "
        "validation and errors, run by the same call pipeline. "
        "Each operation is a coroutine (`await client.<operation>(...)`)."
    )
    if paginated:
        text += (
            " Paginators are async iterators (`async for`): `<operation>_pages(...)`, "
            "`<operation>_items(...)` and the paginator's `paginate(...)`."
        )
    return docs.docstring_lines(text, width) + [""] + docs.docstring_lines(
        f"Use `async with Async{cls}(...) as client:` or `await client.close()`; a call on "
        "a closed client raises ClientClosedError before any request. Credentials are "
        "resolved off the event loop, once for concurrent calls. See "
        f"{cls} for the service's documentation.",
        width,
    )


def get_paginator_doc_lines(paginated: list[OperationIR], prefix: str = "", width: int = 80) -> list[str]:
    names = ", ".join(f'"{op.method}"' for op in paginated)
    lines = docs.docstring_lines(
        "The paginator for an operation, by its snake_case name (boto3's "
        "`client.get_paginator(name).paginate(...)`). Each name returns its own "
        f"typed paginator class. Pageable operations: {names}.",
        width,
    )
    lines += ["", "Args:"]
    lines += _entry("operation_name", f"One of {names}.", width)
    lines += ["", "Returns:"]
    for op in paginated:
        assert op.paginator is not None
        lines += _entry(f"paginators.{prefix}{op.paginator.class_name}", f'for "{op.method}".', width)
    lines += ["", "Raises:"]
    lines += _entry(
        "aws_runtime.errors.OperationNotPageableError",
        "For any other name (also a ValueError).",
        width,
    )
    return lines


def error_doc_lines(err: ErrorIR, width: int = 84) -> list[str]:
    lines = docs.docstring_lines(err.doc, width) if err.doc else [f"The {err.code} error."]
    lines += ["", f"Error code: ``{err.code}``."]
    extra = [m for m in err.members if m.py_name != "message"]
    if extra:
        lines += ["", "Attributes:"]
        for m in extra:
            lines += _entry(m.py_name, docs.summary(m.doc) or m.name, width)
    return lines


def _natural(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def sorted_all(names: Iterable[str]) -> list[str]:
    """``__all__`` order as ruff's RUF022 (isort-style) wants it: SCREAMING_CASE,
    then CamelCase, then the rest, each in natural order."""

    def key(name: str) -> tuple[int, list[Any]]:
        if len(name) > 1 and name.isupper():
            group = 0
        elif name[:1].isupper():
            group = 1
        else:
            group = 2
        return group, _natural(name)

    return sorted(names, key=key)


def pyrepr(value: Any) -> str:
    """A Python literal for ``value`` (str, number, bool, None, lists/dicts of these)."""
    return repr(value)


# -------------------------------------------------------------- rendering


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept next to the black cache (``.cache/jinja``).

    Compiling the templates costs about 0.1 s per run; jinja keys each entry
    by the template's name and a checksum of its source, so an edited template
    is simply compiled again. ``None`` (no caching) when the folder cannot be made.
    """
    folder = CACHE_ROOT / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = pyrepr
    env.filters["sorted_all"] = sorted_all
    env.globals.update(
        exprs=exprs,
        docstring=docstring,
        struct_doc_lines=struct_doc_lines,
        method_doc_lines=method_doc_lines,
        error_doc_lines=error_doc_lines,
        field_annotation=field_annotation,
        field_default=field_default,
        error_field_annotation=error_field_annotation,
        error_field_default=error_field_default,
        optional_field=optional_field,
        param_annotation=param_annotation,
        param_required=param_required,
        error_annotation=error_annotation,
        ordered_params=ordered_params,
        paginator_params=paginator_params,
        item_annotation=item_annotation,
        endpoint_param_expr=endpoint_param_expr,
        paginator_doc_lines=paginator_doc_lines,
        paginator_class_doc_lines=paginator_class_doc_lines,
        get_paginator_doc_lines=get_paginator_doc_lines,
        async_client_doc_lines=async_client_doc_lines,
        client_class_names=client_class_names,
        paginator_class_names=paginator_class_names,
        flavours=FLAVOURS,
        summary=docs.summary,
        union_unknown_field=UNION_UNKNOWN_FIELD,
        union_unknown_wire="SDK_UNKNOWN_MEMBER",
    )
    return env


MODULES = {
    "__init__.py": "__init__.py.j2",
    "models.py": "models.py.j2",
    "_serde.py": "_serde.py.j2",
    "errors.py": "errors.py.j2",
    "endpoints.py": "endpoints.py.j2",
    "client.py": "client.py.j2",
    "paginators.py": "paginators.py.j2",
}


MAX_CLASSES_PER_MODULE = 250
"""Split threshold: a service with more enum and structure classes than this gets
``models/`` and ``_serde/`` packages of ``_part_N`` modules instead of single modules."""

_MARKER = "# {IMPORTS}\n"


def _with_imports(text: str, level: int = 1, extensions: Sequence[ExtensionModule] = ()) -> str:
    if _MARKER in text:
        head, _, tail = text.partition(_MARKER)
        text = head + imports_for(tail, level, extensions) + "\n" + tail
    return text


def split_parts(ir: ServiceIR, limit: int = MAX_CLASSES_PER_MODULE) -> list[tuple[list[EnumIR], list[StructureIR]]]:
    """Deterministic split of the model classes into parts of at most ``limit``.

    Classes (enums and structures together) are ordered by case-insensitive
    class name, then cut into ``ceil(n / limit)`` runs of near-equal size. One
    part (no split) when there are at most ``limit`` classes.
    """
    named: list[tuple[str, EnumIR | StructureIR]] = [(e.class_name, e) for e in ir.enums]
    named += [(s.class_name, s) for s in ir.structures]
    named.sort(key=lambda pair: (pair[0].lower(), pair[0]))
    count = max(1, -(-len(named) // limit))
    size = -(-len(named) // count) if named else 0
    parts: list[tuple[list[EnumIR], list[StructureIR]]] = []
    for k in range(count):
        chunk = [obj for _, obj in named[k * size : (k + 1) * size]]
        enums = [o for o in chunk if isinstance(o, EnumIR)]
        structs = [o for o in chunk if isinstance(o, StructureIR)]
        parts.append((enums, structs))
    return parts


def _referenced_classes(struct: StructureIR) -> set[str]:
    names: set[str] = set()
    for m in struct.members:
        t: TypeRef | None = m.type
        while t is not None:
            if t.class_name:
                names.add(t.class_name)
            t = t.element
    return names


def _late_imports(needed: dict[str, list[str]], what: str) -> str:
    """``from ._part_N import ...`` lines placed at the END of a part module.

    Parts refer to each other (a structure of part 1 holds one of part 3 and
    the other way round); importing after every definition of the module lets
    the parts import each other in any order without a cycle error.
    """
    if not needed:
        return ""
    lines = [
        "",
        "",
        f"# {what} of the other parts, imported after this module's definitions so",
        "# that parts referring to each other can be imported in any order.",
    ]
    for part in sorted(needed, key=_natural):
        names = sorted(set(needed[part]), key=_natural)
        lines.append(f"from .{part} import (  # noqa: E402")
        lines += [f"    {name}," for name in names]
        lines.append(")")
    return "\n".join(lines) + "\n"


def _render_split(
    env: jinja2.Environment, ir: ServiceIR, header: str, files: dict[str, str], native: frozenset[str]
) -> None:
    """``models/`` and ``_serde/`` as packages of ``_part_N`` modules plus an index."""
    parts = split_parts(ir)
    part_names = [f"_part_{k + 1}" for k in range(len(parts))]
    class_part: dict[str, str] = {}
    func_part: dict[str, str] = {}
    for part, (enums, structs) in zip(part_names, parts):
        for e in enums:
            class_part[e.class_name] = part
        for s in structs:
            class_part[s.class_name] = part
            for prefix, needed in (
                ("serialize_", s.needs_serialize and s.class_name not in native),
                ("validate_", s.needs_validate),
                ("parse_", s.needs_parse),
            ):
                if needed:
                    func_part[prefix + s.func] = part
    model_index: list[tuple[str, list[str]]] = []
    serde_index: list[tuple[str, list[str]]] = []
    models_t = env.get_template("models.py.j2")
    serde_t = env.get_template("_serde.py.j2")
    for part, (enums, structs) in zip(part_names, parts):
        sub = dataclasses.replace(ir, enums=tuple(enums), structures=tuple(structs))
        needed: dict[str, list[str]] = {}
        for s in structs:
            for name in _referenced_classes(s):
                if class_part[name] != part:
                    needed.setdefault(class_part[name], []).append(name)
        text = _with_imports(models_t.render(ir=sub, header=header, paginated=[], native=native), level=2)
        files[f"models/{part}.py"] = text + _late_imports(needed, "Classes")
        model_index.append((part, sorted([e.class_name for e in enums] + [s.class_name for s in structs], key=_natural)))

        text = _with_imports(serde_t.render(ir=sub, header=header, paginated=[], native=native), level=2)
        defined = [f for f, p in func_part.items() if p == part]
        calls: dict[str, list[str]] = {}
        for func in sorted(set(re.findall(r"(?<![\w.])((?:serialize|validate|parse)_\w+)", text))):
            owner = func_part.get(func)
            if owner is not None and owner != part:
                calls.setdefault(owner, []).append(func)
        files[f"_serde/{part}.py"] = text + _late_imports(calls, "Functions")
        serde_index.append((part, sorted(defined, key=_natural)))
    index_t = env.get_template("_index.py.j2")
    files["models/__init__.py"] = index_t.render(
        header=header,
        title=f"Models of {ir.full_name}: one frozen ``msgspec.Struct`` per structure shape.",
        parts=model_index,
        max_classes=MAX_CLASSES_PER_MODULE,
        export_all=True,
    )
    files["_serde/__init__.py"] = index_t.render(
        header=header,
        title=f"Per-shape wire code for {ir.full_name}: validate, parse and serialize code (private).",
        parts=serde_index,
        max_classes=MAX_CLASSES_PER_MODULE,
        export_all=False,
    )


def render_package(ir: ServiceIR, extensions: Sequence[ExtensionModule] = ()) -> dict[str, str]:
    """Render every module of the package: ``{relative path: source}`` (unformatted).

    Each template renders the module body; the import block is computed from
    the body and placed where the template puts ``{IMPORTS}``. A service with
    more than :data:`MAX_CLASSES_PER_MODULE` model classes gets ``models`` and
    ``_serde`` as packages split by :func:`split_parts`; ``<package>.models.X``
    works either way.

    ``extensions`` are the service's hand-written modules
    (:mod:`generator.extensions`): the client classes inherit their mixins and
    ``extensions/__init__.py`` is rendered; the copies themselves are added by
    :func:`generator.writer.generate_files`, unformatted.
    """
    env = _environment()
    header = (
        f"# Generated by aws-codegen from botocore {ir.botocore_version} "
        f"({ir.service_name} {ir.api_version}, model sha256 {ir.model_hash[:16]}).\n"
        "# Do not edit by hand: change the templates or the generator and regenerate\n"
        "# (`python -m generator`; `make generate` in the aws-codegen repository).\n"
    )
    paginated = paginated_operations(ir)
    native = exprs.encoded_natively(ir.structures)
    files: dict[str, str] = {}
    split = len(ir.enums) + len(ir.structures) > MAX_CLASSES_PER_MODULE
    for name, template in MODULES.items():
        if name == "paginators.py" and not paginated:
            continue
        if split and name in ("models.py", "_serde.py"):
            continue
        text = env.get_template(template).render(
            ir=ir, header=header, paginated=paginated, extensions=extensions, native=native
        )
        files[name] = _with_imports(text, extensions=extensions)
    if extensions:
        files["extensions/__init__.py"] = env.get_template("extensions.py.j2").render(
            ir=ir, header=header, extensions=extensions
        )
    if split:
        _render_split(env, ir, header, files, native)
    files["py.typed"] = ""
    return files
