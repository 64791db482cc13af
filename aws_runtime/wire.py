"""Conversions between Python values and JSON wire values, used by generated serde code.

Request side (``ser_*``): Python value → JSON-ready value.
Reply side (``de_*``): JSON value → Python value, checking the JSON type. A
wrong type raises :class:`WireTypeError`, which the client turns into a
:class:`~aws_runtime.errors.ResponseParseError` carrying the HTTP status and a
body excerpt. ``None`` (a missing member or JSON ``null``) always passes
through as ``None``: required members are never enforced on replies.

Wire rules (botocore ``serialize.JSONSerializer`` / ``parsers.BaseJSONParser``
and the Smithy awsJson specifications):

* blob: base64 text on the wire, raw ``bytes`` in Python (encoded once);
* timestamp: epoch seconds by default (``timestampFormat`` may select
  ``iso8601`` or ``rfc822``), timezone-aware UTC ``datetime`` in Python; naive
  datetimes sent by the caller are taken as UTC;
* float/double: JSON numbers, or the strings ``"NaN"``, ``"Infinity"`` and
  ``"-Infinity"`` for the non-finite values; integers are accepted;
* integer/long: JSON integers (a float with an integral value is accepted);
* document: any JSON value, passed through.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import datetime as _dt
import email.utils
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = [
    "JSON_NULL",
    "Document",
    "JsonNull",
    "WireTypeError",
    "de_blob",
    "de_bool",
    "de_document",
    "de_enum",
    "de_float",
    "de_int",
    "de_list_of",
    "de_map_of",
    "de_nested",
    "de_object",
    "de_str",
    "de_timestamp",
    "de_unknown_member",
    "ignore_output",
    "new_idempotency_token",
    "ser_blob",
    "ser_document",
    "ser_float",
    "ser_timestamp",
]

_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_E = TypeVar("_E")
_R = TypeVar("_R")


class WireTypeError(Exception):
    """A reply member has the wrong JSON type.

    ``path`` is the wire path of the offending value (``cases[0].caseId``); it
    is built while the error propagates out of nested parse functions, so the
    happy path never formats paths.
    """

    def __init__(self, name: str, expected: str, value: object) -> None:
        self.parts: list[str] = [name] if name else []
        self.expected = expected
        if isinstance(value, dict):
            self.got = "object"
        elif isinstance(value, list):
            self.got = "array"
        else:
            self.got = type(value).__name__
        super().__init__(name, expected)

    def within(self, name: str) -> WireTypeError:
        """Prefix the path with the enclosing member name or ``[index]``."""
        if name:
            self.parts.append(name)
        return self

    @property
    def path(self) -> str:
        out = ""
        for part in reversed(self.parts):
            out = out + part if part.startswith("[") or not out else f"{out}.{part}"
        return out or "(top level)"

    def __str__(self) -> str:
        return f"member {self.path} should be {self.expected}, got {self.got}"


# ---------------------------------------------------------------- request side


def ser_blob(value: bytes | bytearray | memoryview) -> str:
    """Base64 text of the bytes (standard alphabet, padded)."""
    return base64.b64encode(value).decode("ascii")


def ser_float(value: float | Decimal) -> float | str:
    """A float, or ``"NaN"``/``"Infinity"``/``"-Infinity"`` for non-finite values.

    A :class:`~decimal.Decimal` is sent as the nearest double, ``float(value)``,
    exactly as botocore's ``JSONSerializer._serialize_type_float`` sends it (the
    member is a double on the service side too); ints are sent as they are.
    """
    if not isinstance(value, (float, int)):
        value = float(value)
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def ser_timestamp(value: _dt.datetime, fmt: str = "unixTimestamp") -> int | float | str:
    """Encode a datetime per the member's ``timestampFormat``.

    ``unixTimestamp`` (the JSON default): epoch seconds, an int when there is
    no sub-second part, else a float with millisecond precision. ``iso8601``:
    ``YYYY-MM-DDTHH:MM:SS[.fff]Z``. ``rfc822``: ``Sun, 02 Jan 2000 20:34:56 GMT``.
    Naive datetimes are taken as UTC.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    else:
        value = value.astimezone(_UTC)
    if fmt == "iso8601":
        if value.microsecond:
            return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "rfc822":
        return email.utils.format_datetime(value, usegmt=True)
    seconds = calendar.timegm(value.utctimetuple())
    if value.microsecond:
        return round(seconds + value.microsecond / 1_000_000, 3)
    return seconds


def new_idempotency_token() -> str:
    """A fresh idempotency token (uuid4 text), as botocore fills ``idempotencyToken`` members.

    Also the client's ``amz-sdk-invocation-id``. ``uuid`` is imported here, at
    the first call, to keep 0.4 MiB and 2 ms out of every client's start-up.
    """
    import uuid

    return str(uuid.uuid4())


# ------------------------------------------------------------------ reply side


def de_str(value: Any, name: str = "") -> str | None:
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, str):
        return str(value)
    raise WireTypeError(name, "a string", value)


def de_enum(enum_cls: type[_E], value: Any, name: str = "") -> _E | str | None:
    """The enum member for a known value; unknown values are kept as plain ``str``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise WireTypeError(name, "a string", value)
    member: _E | None = enum_cls._value2member_map_.get(value)  # type: ignore[attr-defined]
    return value if member is None else member


def de_int(value: Any, name: str = "") -> int | None:
    if value is None or value.__class__ is int:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise WireTypeError(name, "an integer", value)


_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def de_float(value: Any, name: str = "") -> float | None:
    if value is None:
        return None
    cls = value.__class__
    if cls is float:
        return value  # type: ignore[no-any-return]
    if cls is int:
        try:
            return float(value)
        except OverflowError:
            raise WireTypeError(name, "a number in float range", value) from None
    if cls is str and value in _NON_FINITE:
        return _NON_FINITE[value]
    raise WireTypeError(name, "a number", value)


def de_bool(value: Any, name: str = "") -> bool | None:
    if value is None or value.__class__ is bool:
        return value
    raise WireTypeError(name, "a boolean", value)


def de_blob(value: Any, name: str = "") -> bytes | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise WireTypeError(name, "base64 text", value)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise WireTypeError(name, "base64 text", value) from None


_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$"
)


def de_timestamp(value: Any, name: str = "") -> _dt.datetime | None:
    """Epoch seconds (number or numeric text), ISO 8601 or RFC 822/7231 text → aware UTC datetime."""
    if value is None:
        return None
    if value.__class__ is int or value.__class__ is float:
        try:
            return _EPOCH + _dt.timedelta(seconds=value)
        except (OverflowError, ValueError):  # out of range, inf, NaN
            raise WireTypeError(name, "a timestamp in range", value) from None
    if isinstance(value, str):
        parsed = parse_timestamp_text(value)
        if parsed is not None:
            return parsed
    raise WireTypeError(name, "a timestamp", value)


def parse_timestamp_text(text: str) -> _dt.datetime | None:
    """Parse epoch-seconds text, ISO 8601 or an HTTP date; ``None`` when it is none of these."""
    text = text.strip()
    try:
        return _EPOCH + _dt.timedelta(seconds=float(text))
    except (ValueError, OverflowError):
        pass
    m = _ISO_RE.match(text)
    if m:
        year, month, day, hour, minute, second = (int(g) for g in m.group(1, 2, 3, 4, 5, 6))
        frac = m.group(7) or ""
        micro = int((frac + "000000")[:6]) if frac else 0
        tz = _UTC
        if m.group(9):
            offset = _dt.timedelta(hours=int(m.group(10)), minutes=int(m.group(11)))
            tz = _dt.timezone(offset if m.group(9) == "+" else -offset)
        try:
            return _dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz).astimezone(
                _UTC
            )
        except (ValueError, OverflowError):
            return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=_UTC)
        return parsed.astimezone(_UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class JsonNull:
    """The type of :data:`JSON_NULL`, the one value that sends JSON ``null`` as a document.

    A member set to ``None`` is left out of the request (it is "not set"), so a
    document member that must be ``null`` on the wire takes ``JSON_NULL``.
    Inside a document (object values, array items) plain ``None`` is ``null``.
    botocore sends ``null`` for a document member given as ``None``
    (``JSONSerializer._serialize_type_structure`` with ``is_document_type``).
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "JSON_NULL"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "JSON_NULL"  # unpickles as this module's JSON_NULL

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonNull)

    def __hash__(self) -> int:
        return 0


JSON_NULL = JsonNull()
"""Send JSON ``null`` as the value of a document member (see :class:`JsonNull`)."""

Document: TypeAlias = (
    None | str | int | float | bool | JsonNull | Sequence["Document"] | Mapping[str, "Document"]
)
"""What a document member accepts: JSON values as Python values. Objects are any
``Mapping`` with ``str`` keys, arrays a ``list`` or ``tuple``, ``None`` inside a
document is ``null`` and :data:`JSON_NULL` sends ``null`` as the whole document."""


def ser_document(value: Document) -> Any:
    """The JSON-ready form of a document: mappings become dicts, tuples lists,
    :data:`JSON_NULL` ``None``; other values pass through. ``Decimal`` is not a
    document value (botocore refuses it too)."""
    if value is None or value is JSON_NULL:
        return None
    cls = value.__class__
    if cls is str or cls is int or cls is float or cls is bool:
        return value
    if isinstance(value, Mapping):
        return {k: ser_document(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [ser_document(v) for v in value]
    return value  # validation off: json encoding reports it


def de_document(value: Any, name: str = "") -> Any:
    """Documents are any JSON value and pass through unchanged."""
    return value


def de_object(value: Any) -> dict[str, Any]:
    """The JSON object of a structure; anything else is a :class:`WireTypeError`."""
    if value.__class__ is dict:
        return value
    raise WireTypeError("", "an object", value)


def de_nested(parse: Callable[[Any], _R], value: Any, name: str = "") -> _R | None:
    """Parse a nested structure member with its generated ``parse_<shape>`` function."""
    if value is None:
        return None
    try:
        return parse(value)
    except WireTypeError as exc:
        raise exc.within(name) from None


def de_list_of(convert: Callable[[Any], object], value: Any, name: str = "") -> list[Any] | None:
    """Convert each item of a JSON array; ``null`` items stay ``None`` in place.

    Typed loosely on purpose: the generated field annotation carries the
    precise item type.
    """
    if value is None:
        return None
    if value.__class__ is not list:
        raise WireTypeError(name, "an array", value)
    try:
        return [None if item is None else convert(item) for item in value]
    except WireTypeError as exc:
        for index, item in enumerate(value):
            try:
                if item is not None:
                    convert(item)
            except WireTypeError:
                break
        exc.within(f"[{index}]")
        raise exc.within(name) from None


def de_map_of(convert: Callable[[Any], object], value: Any, name: str = "") -> dict[str, Any] | None:
    """Convert each value of a JSON object used as a map; ``null`` values stay ``None``."""
    if value is None:
        return None
    if value.__class__ is not dict:
        raise WireTypeError(name, "an object", value)
    key = ""
    try:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out[key] = None if item is None else convert(item)
        return out
    except WireTypeError as exc:
        exc.within(f"[{key!r}]")
        raise exc.within(name) from None


def de_unknown_member(value: dict[str, Any], known: Sequence[str]) -> str | None:
    """For a union reply: the first member name the model does not know, when no
    known member is set (``__type`` and ``null`` values are ignored); else ``None``.

    botocore reports the same case as ``{"SDK_UNKNOWN_MEMBER": {"name": ...}}``.
    """
    if any(value.get(name) is not None for name in known):
        return None
    for name, item in value.items():
        if item is not None and name != "__type" and name not in known:
            return name
    return None


def ignore_output(body: Any) -> None:
    """Parser for operations without an output shape: the reply body is ignored."""
    return
