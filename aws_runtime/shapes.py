"""Reply metadata and dict input: the two places where boto3 code meets the typed models.

Reply metadata
--------------
Every reply object a client returns carries :class:`ResponseMetadata` (boto3's
``response["ResponseMetadata"]``) as ``reply.response_metadata``: the request
id, HTTP status, reply headers and the number of retries. It is kept beside the
model's fields, not among them: ``==``, ``hash()``, ``repr()``, encoding and
``msgspec.structs.replace`` see the fields only, so two replies with the same
members compare equal whichever request brought them. A copy made with
``replace`` or a reply built by hand (tests) has no metadata of its own:
``reply.response_metadata`` is then :data:`NO_METADATA` (status 0, no request
id). Pickling keeps the fields only.

Dict input
----------
:func:`from_dict` builds any structure from the dict boto3 code passes
(wire names, nested dicts and lists), e.g. ``from_dict(models.Attachment,
{"fileName": "log.txt", "data": b"..."})``; :func:`as_kwargs` turns an operation's
input structure into the keyword arguments of its client method, so a whole
boto3 call ports as ``client.create_case(**as_kwargs(from_dict(models.CreateCaseRequest, params)))``.
Values are not converted or checked here: the client's validation checks them
when the call is made, with the same messages as for model input
(``Invalid type for parameter attachments[0].file_name ...``); only keys the
structure does not have, and a non-dict where a structure belongs, are
reported at once, as :class:`~aws_runtime.errors.ParamValidationError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec
import msgspec.inspect as _mi

from .errors import ParamValidationError
from .http import HttpResponse

__all__ = ["NO_METADATA", "ResponseMetadata", "as_kwargs", "attach_metadata", "from_dict", "metadata_of"]

_S = TypeVar("_S")
_KEY = "_aws_response_metadata"


@dataclass(frozen=True, slots=True)
class ResponseMetadata:
    """What the HTTP exchange of a call said, beside the reply's modeled members.

    Attributes:
        request_id: the ``x-amzn-RequestId`` header (``x-amz-request-id`` as a
            fallback), ``None`` when the reply had none. AWS Support asks for it.
        http_status_code: the HTTP status of the reply (``0``: not from a call).
        http_headers: the reply's headers, names lower-cased.
        retry_attempts: requests sent before the one that succeeded (boto3's
            ``RetryAttempts``: 0 when the first attempt succeeded).
    """

    request_id: str | None = None
    http_status_code: int = 0
    http_headers: Mapping[str, str] = field(default_factory=dict)
    retry_attempts: int = 0

    @property
    def attempts(self) -> int:
        """Requests sent for the call, the successful one included (``retry_attempts + 1``)."""
        return self.retry_attempts + 1 if self.http_status_code else 0

    def to_dict(self) -> dict[str, Any]:
        """boto3's ``ResponseMetadata`` dict: ``RequestId``, ``HTTPStatusCode``,
        ``HTTPHeaders``, ``RetryAttempts``."""
        return {
            "RequestId": self.request_id,
            "HTTPStatusCode": self.http_status_code,
            "HTTPHeaders": dict(self.http_headers),
            "RetryAttempts": self.retry_attempts,
        }


NO_METADATA = ResponseMetadata()
"""The metadata of a reply object that did not come from a call (built by hand, copied)."""


def attach_metadata(reply: _S, response: HttpResponse, attempts: int) -> _S:
    """Record ``response``'s request id, status and headers and the attempt count
    on ``reply`` (a model built with ``dict=True``); returns ``reply``. Objects that
    cannot hold it (``None`` for operations without output) are returned unchanged."""
    store = getattr(reply, "__dict__", None)
    if store is not None:
        headers = response.headers
        store[_KEY] = ResponseMetadata(
            headers.get("x-amzn-requestid") or headers.get("x-amz-request-id"),
            response.status,
            headers,
            max(0, attempts - 1),
        )
    return reply


def metadata_of(reply: object) -> ResponseMetadata:
    """The :class:`ResponseMetadata` recorded on ``reply``, else :data:`NO_METADATA`."""
    store = getattr(reply, "__dict__", None)
    if store is None:
        return NO_METADATA
    found = store.get(_KEY)
    return found if isinstance(found, ResponseMetadata) else NO_METADATA


# ------------------------------------------------------------------ dict input

def from_dict(shape: type[_S], data: Mapping[str, Any]) -> _S:
    """Build structure ``shape`` (a generated model class) from a wire-named dict.

    Nested structures may be given as dicts (or already as model objects), at any
    depth: in members, list items and map values. Other values are kept as given
    and checked by the client's validation when the call is made. Raises
    :class:`~aws_runtime.errors.ParamValidationError` listing every key the
    structure does not have (botocore's ``Unknown parameter in input: "x", must
    be one of: ...``) and every non-dict given where a structure belongs.
    """
    info = _mi.type_info(shape)
    if not isinstance(info, _mi.StructType):
        raise TypeError(f"from_dict() needs a generated structure class, not {shape!r}")
    problems: list[str] = []
    result = _struct(info, data, "input", problems)
    if problems:
        raise ParamValidationError(problems)
    return result  # type: ignore[no-any-return]


def _struct(info: _mi.StructType, data: Any, path: str, problems: list[str]) -> Any:
    if isinstance(data, info.cls):
        return data
    if not isinstance(data, Mapping):
        problems.append(
            f"Invalid type for parameter {path}, value: {data!r}, type: {type(data).__name__}, "
            f"valid types: dict, {info.cls.__name__}"
        )
        return None
    fields = {f.encode_name: f for f in info.fields}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        found = fields.get(key)
        if found is None:
            where = "input" if path == "input" else path
            problems.append(
                f'Unknown parameter in {where}: "{key}", must be one of: {", ".join(fields)}'
            )
            continue
        child = found.name if path == "input" else f"{path}.{found.name}"
        kwargs[found.name] = _value(found.type, value, child, problems)
    for f in info.fields:  # required members left out: None, reported by validation
        if f.required and f.name not in kwargs:
            kwargs[f.name] = None
    return info.cls(**kwargs)


def _value(info: Any, value: Any, path: str, problems: list[str]) -> Any:
    if value is None:
        return None
    if isinstance(info, _mi.UnionType):
        structs = [t for t in info.types if isinstance(t, _mi.StructType)]
        containers = [t for t in info.types if isinstance(t, (_mi.ListType, _mi.DictType))]
        if structs:
            return _struct(structs[0], value, path, problems) if isinstance(value, Mapping) or isinstance(value, structs[0].cls) else value
        if containers:
            return _value(containers[0], value, path, problems)
        return value
    if isinstance(info, _mi.StructType):
        return _struct(info, value, path, problems)
    if isinstance(info, _mi.ListType) and isinstance(value, (list, tuple)):
        return [_value(info.item_type, item, f"{path}[{i}]", problems) for i, item in enumerate(value)]
    if isinstance(info, _mi.DictType) and isinstance(value, Mapping):
        return {k: _value(info.value_type, v, f"{path}.{k}", problems) for k, v in value.items()}
    return value


def as_kwargs(request: msgspec.Struct) -> dict[str, Any]:
    """The members of an input structure as the keyword arguments of its client method
    (snake_case names; members that are ``None`` left out)."""
    return {
        name: value
        for name in request.__struct_fields__
        if (value := getattr(request, name)) is not None
    }
