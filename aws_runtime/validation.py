"""Client-side parameter checks called by generated validators.

Each ``check_*`` function appends one line per problem to ``errors`` and never
raises; the generated operation method raises a single
:class:`~aws_runtime.errors.ParamValidationError` with every line once the
whole input has been walked. Paths are the caller's (snake_case) names:
``communication_body``, ``attachments[0].data``.

Rules come from the model: ``required`` members, the Python type of each shape
and the ``min``/``max`` traits (length for strings, blobs, lists and maps;
value for numbers). Enums and patterns are not enforced, so new values the
service adds keep working. Message wording follows botocore's
``ParamValidator`` (``botocore/validate.py``), which also reports max limits here.
"""

from __future__ import annotations

import datetime as _dt
import math
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import ParamValidationError
from .wire import JsonNull

__all__ = [
    "check_blob",
    "check_bool",
    "check_document",
    "check_float",
    "check_int",
    "check_item",
    "check_list",
    "check_map",
    "check_map_key",
    "check_required",
    "check_str",
    "check_struct",
    "check_timestamp",
    "check_union",
    "join",
    "validate",
]

_MAX_REPR = 60


def join(path: str, name: str) -> str:
    """``path.name``, or ``name`` at the top level; ``[i]`` suffixes are appended as is."""
    if not path:
        return name
    if not name:
        return path
    if name.startswith("["):
        return path + name
    return f"{path}.{name}"


def _short(value: Any) -> str:
    text = repr(value)
    if len(text) > _MAX_REPR:
        text = text[: _MAX_REPR - 3] + "..."
    return text


def _type_error(errors: list[str], path: str, name: str, value: Any, valid: str) -> None:
    errors.append(
        f"Invalid type for parameter {join(path, name)}, value: {_short(value)}, "
        f"type: {type(value).__name__}, valid types: {valid}"
    )


def _length(
    errors: list[str], path: str, name: str, size: int, min_len: int | None, max_len: int | None
) -> None:
    if min_len is not None and size < min_len:
        errors.append(
            f"Invalid length for parameter {join(path, name)}, value: {size}, "
            f"valid min length: {min_len}"
        )
    elif max_len is not None and size > max_len:
        errors.append(
            f"Invalid length for parameter {join(path, name)}, value: {size}, "
            f"valid max length: {max_len}"
        )


def _range(
    errors: list[str],
    path: str,
    name: str,
    value: float,
    min_value: float | None,
    max_value: float | None,
) -> None:
    if min_value is not None and value < min_value:
        errors.append(
            f"Invalid value for parameter {join(path, name)}, value: {value}, "
            f"valid min value: {min_value}"
        )
    elif max_value is not None and value > max_value:
        errors.append(
            f"Invalid value for parameter {join(path, name)}, value: {value}, "
            f"valid max value: {max_value}"
        )


def check_required(value: Any, errors: list[str], path: str, name: str) -> bool:
    """Report a missing required member (``None`` counts as missing); True when present."""
    if value is None:
        errors.append(f'Missing required parameter in {path or "input"}: "{name}"')
        return False
    return True


def check_item(value: Any, errors: list[str], path: str, name: str) -> bool:
    """Report a ``None`` item in a list or map that the model does not mark sparse."""
    if value is None:
        errors.append(
            f"Invalid type for parameter {join(path, name)}, value: None, type: NoneType, "
            "valid types: any but None (the model does not allow null items here)"
        )
        return False
    return True


def check_map_key(key: Any, errors: list[str], path: str, name: str) -> None:
    """Map keys are ``str``."""
    if not isinstance(key, str):
        _type_error(errors, path, name, key, "str (map key)")


def validate(validator: Any, value: Any) -> None:
    """Run a generated ``validate_<shape>`` function and raise one
    :class:`~aws_runtime.errors.ParamValidationError` listing every problem."""
    errors: list[str] = []
    validator(value, errors, "")
    if errors:
        raise ParamValidationError(errors)


def check_str(
    value: Any,
    errors: list[str],
    path: str,
    name: str,
    min_len: int | None = None,
    max_len: int | None = None,
) -> None:
    """A ``str`` whose length in characters is within [min_len, max_len]."""
    if value is None:
        return
    if not isinstance(value, str):
        _type_error(errors, path, name, value, "str")
    elif min_len is not None or max_len is not None:
        _length(errors, path, name, len(value), min_len, max_len)


def check_int(
    value: Any,
    errors: list[str],
    path: str,
    name: str,
    min_value: int | None = None,
    max_value: int | None = None,
) -> None:
    """An ``int`` (not ``bool``) within [min_value, max_value]."""
    if value is None:
        return
    if value.__class__ is bool or not isinstance(value, int):
        _type_error(errors, path, name, value, "int")
    elif min_value is not None or max_value is not None:
        _range(errors, path, name, value, min_value, max_value)


def check_float(
    value: Any,
    errors: list[str],
    path: str,
    name: str,
    min_value: float | None = None,
    max_value: float | None = None,
) -> None:
    """A ``float``, ``int`` (not ``bool``) or ``decimal.Decimal`` within [min_value,
    max_value] (botocore ``validate`` accepts the same three); NaN skips the range, a
    signaling NaN Decimal is refused (it cannot become a float)."""
    if value is None:
        return
    if _is_decimal(value):
        if value.is_snan():
            _type_error(errors, path, name, value, "float, int, Decimal (not signaling NaN)")
        elif (min_value is not None or max_value is not None) and not value.is_nan():
            _range(errors, path, name, value, min_value, max_value)
    elif value.__class__ is bool or not isinstance(value, (int, float)):
        _type_error(errors, path, name, value, "float, int, Decimal")
    elif (min_value is not None or max_value is not None) and not (
        isinstance(value, float) and math.isnan(value)
    ):
        _range(errors, path, name, value, min_value, max_value)


def _is_decimal(value: Any) -> bool:
    """``isinstance(value, decimal.Decimal)`` without importing ``decimal``: a value
    cannot be a Decimal unless the caller imported the module."""
    module = sys.modules.get("decimal")
    return module is not None and isinstance(value, module.Decimal)


def check_bool(value: Any, errors: list[str], path: str, name: str) -> None:
    """A ``bool``."""
    if value is not None and value.__class__ is not bool:
        _type_error(errors, path, name, value, "bool")


def check_blob(
    value: Any,
    errors: list[str],
    path: str,
    name: str,
    min_len: int | None = None,
    max_len: int | None = None,
) -> None:
    """``bytes``, ``bytearray`` or ``memoryview`` whose size in bytes is within limits."""
    if value is None:
        return
    if not isinstance(value, (bytes, bytearray, memoryview)):
        _type_error(errors, path, name, value, "bytes, bytearray, memoryview")
    elif min_len is not None or max_len is not None:
        _length(errors, path, name, memoryview(value).nbytes, min_len, max_len)


def check_timestamp(value: Any, errors: list[str], path: str, name: str) -> None:
    """A ``datetime.datetime`` (naive values are taken as UTC)."""
    if value is not None and not isinstance(value, _dt.datetime):
        _type_error(errors, path, name, value, "datetime")


_DOC_SCALARS = (str, int, float, bool, JsonNull)


def check_document(value: Any, errors: list[str], path: str, name: str) -> None:
    """A document (:data:`aws_runtime.wire.Document`): None (JSON null inside a
    document), :data:`~aws_runtime.wire.JSON_NULL`, str, int, float, bool, a list or
    tuple of documents, a ``Mapping`` with str keys and document values."""
    if value is None or isinstance(value, _DOC_SCALARS):
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            check_document(item, errors, join(path, name), f"[{i}]")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                _type_error(errors, join(path, name), f"(key: {key!r})", key, "str")
            else:
                check_document(item, errors, join(path, name), key)
    else:
        _type_error(errors, path, name, value, "str, int, float, bool, None, list, tuple, Mapping")


def check_list(
    value: Any,
    errors: list[str],
    path: str,
    name: str,
    min_len: int | None = None,
    max_len: int | None = None,
) -> bool:
    """A ``list`` or ``tuple`` with a count in limits; True when its members should be checked."""
    if value is None:
        return False
    if not isinstance(value, (list, tuple)):
        _type_error(errors, path, name, value, "list, tuple")
        return False
    if min_len is not None or max_len is not None:
        _length(errors, path, name, len(value), min_len, max_len)
    return True


def check_map(
    value: Any,
    errors: list[str],
    path: str,
    name: str,
    min_len: int | None = None,
    max_len: int | None = None,
) -> bool:
    """A ``collections.abc.Mapping`` (``dict``, ``types.MappingProxyType``...) with a
    count in limits; True when its keys and values should be checked."""
    if value is None:
        return False
    if not isinstance(value, Mapping):
        _type_error(errors, path, name, value, "dict, Mapping")
        return False
    if min_len is not None or max_len is not None:
        _length(errors, path, name, len(value), min_len, max_len)
    return True


def check_struct(value: Any, cls: type, errors: list[str], path: str, name: str) -> bool:
    """An instance of the generated dataclass ``cls``; True when its members should be checked."""
    if value is None:
        return False
    if not isinstance(value, cls):
        _type_error(errors, path, name, value, cls.__name__)
        return False
    return True


def check_union(values: Sequence[Any], names: Sequence[str], errors: list[str], path: str) -> None:
    """A tagged union: exactly one member set (not ``None``)."""
    count = sum(1 for v in values if v is not None)
    if count != 1:
        errors.append(
            f"Invalid number of parameters set for tagged union structure {path or 'input'}. "
            f"Can only set one of the following keys: {', '.join(names)}."
        )
