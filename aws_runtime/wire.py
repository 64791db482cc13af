"""Conversions between Python values and JSON wire values, used by generated serde code.

Request side (``ser_*``): Python value → JSON-ready value.
Reply side (``de_*``): JSON value → Python value, checking the JSON type. A
wrong type raises :class:`WireTypeError`, which the client turns into a
:class:`~aws_runtime.errors.ResponseParseError` carrying the HTTP status and a
body excerpt. ``None`` (a missing member or JSON ``null``) always passes
through as ``None``: required members are never enforced on replies.

Generated models are :class:`msgspec.Struct` classes. A reply body is decoded
straight from its bytes into the operation's output class by a cached
:class:`ReplyDecoder` (one native pass, no intermediate dicts); a request
structure is encoded to JSON bytes natively by :func:`encode_request`, or, for
structures holding timestamps, floats or idempotency tokens, from the dict the
generated ``serialize_<shape>`` function builds.
Field types msgspec cannot decode by itself are spelled with three markers
that are plain types for type checkers: :data:`Double` (``float``),
:data:`Timestamp` (``datetime``) and ``OpenEnum[E]`` (``E | str``).

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
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeAlias, TypeVar

import msgspec
import msgspec.inspect as _mi

__all__ = [
    "UNKNOWN_MEMBER_WIRE_NAME",
    "Double",
    "Nullable",
    "OpenEnum",
    "ReplyDecoder",
    "Timestamp",
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
    "encode",
    "encode_request",
    "ignore_output",
    "new_idempotency_token",
    "ser_blob",
    "ser_float",
    "ser_timestamp",
    "to_dict",
    "to_json",
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


def ser_float(value: float) -> float | str:
    """A float, or ``"NaN"``/``"Infinity"``/``"-Infinity"`` for non-finite values."""
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


# ------------------------------------------------------- msgspec field markers

if TYPE_CHECKING:
    Double: TypeAlias = float
    """A ``float`` member (``float``/``double`` shapes): to type checkers, ``float``."""
    Timestamp: TypeAlias = _dt.datetime
    """A ``timestamp`` member: to type checkers, ``datetime.datetime``."""
    OpenEnum: TypeAlias = _E | str
    """``OpenEnum[E]``: a member of enum shape ``E``, open to values the model does not
    list. To type checkers ``E | str``; replies hold plain ``str`` values (equal to the
    ``E`` members, which are ``str`` enums)."""
    Nullable: TypeAlias = Annotated[_E, "may be None in replies"]
    """``Nullable[X]``: an item of a reply list or map. To type checkers ``X``; the
    decoder keeps a ``null`` item as ``None`` in place, as botocore does."""
else:

    class _Marker(type):
        """Metaclass of the decode markers: an instance of the real type passes
        msgspec's check of what ``dec_hook`` returned."""

        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, cls._real)

    class Double(metaclass=_Marker):
        """Runtime marker of ``float``/``double`` members: decoded by :func:`_dec_hook`
        (numbers, integer literals included, and ``"NaN"``/``"Infinity"``/``"-Infinity"``)."""

        _real = float

    class Timestamp(metaclass=_Marker):
        """Runtime marker of ``timestamp`` members: decoded by :func:`_dec_hook` into an
        aware UTC ``datetime`` (epoch seconds, ISO 8601 or RFC 822 text)."""

        _real = _dt.datetime

    class OpenEnum:
        """``OpenEnum[E]`` is ``str`` at run time: replies keep any text, known or not."""

        def __class_getitem__(cls, item: object) -> type[str]:
            return str

    class Nullable:
        """``Nullable[X]`` is ``X | None`` at run time: ``null`` items stay in place."""

        def __class_getitem__(cls, item: Any) -> Any:
            return item | None


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def _dec_hook(tp: type, obj: Any) -> Any:
    """msgspec ``dec_hook`` for the :data:`Double` and :data:`Timestamp` markers.

    Raises ``TypeError`` worded as msgspec's own messages, which msgspec
    re-raises as a ``ValidationError`` carrying the member's path.
    """
    if tp is Double:
        cls = obj.__class__
        if cls is float:
            return obj
        if cls is int:
            try:
                return float(obj)
            except OverflowError:
                raise TypeError("Expected `number in float range`, got `int`") from None
        if cls is str and obj in _NON_FINITE:
            return _NON_FINITE[obj]
        raise TypeError(f"Expected `number`, got `{_kind(obj)}`")
    if tp is Timestamp:
        try:
            parsed = de_timestamp(obj)
        except WireTypeError as exc:
            expected = exc.expected.removeprefix("a ")
            raise TypeError(f"Expected `{expected}`, got `{_kind(obj)}`") from None
        return parsed
    raise NotImplementedError(f"no decoder for {tp!r}")


class ReplyDecodeError(WireTypeError):
    """A reply body that does not decode into its modeled type; ``str()`` is the reason
    (``member cases[3].recentCommunications should be an object, got array``,
    ``body is not JSON (JSONDecodeError)``...). The client turns it into a
    :class:`~aws_runtime.errors.ResponseParseError`."""

    def __init__(self, reason: str) -> None:
        Exception.__init__(self, reason)
        self.parts = []
        self.expected = ""
        self.got = ""
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


_EXPECTED_WORDS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "number": "a number",
    "bool": "a boolean",
    "object": "an object",
    "array": "an array",
    "bytes": "base64 text",
    "null": "null",
}
_GOT_WORDS = {"array": "an array", "object": "an object", "str": "a string", "null": "null"}
_VALIDATION = re.compile(r"^Expected `([^`]*)`, got `([^`]*)`(?: - at `\$(.*)`)?$", re.DOTALL)
_AT = re.compile(r"^(.*) - at `\$(.*)`$", re.DOTALL)


def _reason(message: str) -> str:
    """msgspec's ``ValidationError`` text in this client's words, with the wire path."""
    m = _VALIDATION.match(message)
    if m:
        expected = m.group(1).replace(" | null", "")
        got = m.group(2)
        words = _EXPECTED_WORDS.get(expected)
        if words is None:
            words = "an " + expected if expected[:1] in "aeiou" else "a " + expected
        path = m.group(3)
        if path is None:  # the top level
            return f"expected a JSON {expected}, got {_GOT_WORDS.get(got, 'a ' + got)}"
        return f"member {path.lstrip('.')} should be {words}, got {got}"
    m = _AT.match(message)
    if m:
        text, path = m.group(1), m.group(2).lstrip(".")
        if text.startswith("Invalid base64"):
            return f"member {path} should be base64 text"
        return f"member {path}: {text[:1].lower()}{text[1:]}"
    return message


def _mark_unknown_members(value: Any, info: Any) -> Any:
    """Rewrite decoded JSON so that every union object keeps only members the model
    knows, plus :data:`UNKNOWN_MEMBER_WIRE_NAME` naming the member it sent when it set
    none of the known ones (botocore's ``SDK_UNKNOWN_MEMBER``; ``__type`` and ``null``
    values are ignored). ``info`` is the ``msgspec.inspect`` type of ``value``."""
    if isinstance(info, _mi.UnionType):
        for sub in info.types:
            if not isinstance(sub, _mi.NoneType):
                return _mark_unknown_members(value, sub)
        return value
    if isinstance(info, _mi.StructType):
        if value.__class__ is not dict:
            return value
        fields = {f.encode_name: f for f in info.fields}
        if info.forbid_unknown_fields and any(key not in fields for key in value):
            known = [name for name in fields if name != UNKNOWN_MEMBER_WIRE_NAME]
            unknown = de_unknown_member(value, known)
            value = {k: v for k, v in value.items() if k in fields}
            if unknown is not None:
                value[UNKNOWN_MEMBER_WIRE_NAME] = unknown
        return {
            k: _mark_unknown_members(v, fields[k].type) if k in fields else v
            for k, v in value.items()
        }
    if isinstance(info, (_mi.ListType, _mi.VarTupleType)) and value.__class__ is list:
        return [_mark_unknown_members(item, info.item_type) for item in value]
    if isinstance(info, _mi.DictType) and value.__class__ is dict:
        return {k: _mark_unknown_members(v, info.value_type) for k, v in value.items()}
    return value


UNKNOWN_MEMBER_WIRE_NAME = "SDK_UNKNOWN_MEMBER"
"""Wire name of the ``sdk_unknown_member`` field of union models (as botocore names it)."""


class ReplyDecoder(Generic[_R]):
    """Decode a reply body (bytes) straight into ``model`` in one native msgspec pass.

    One instance per operation output and per modeled error; the msgspec
    decoder is built at the first call and kept. Reply rules (botocore
    ``parsers.BaseJSONParser``): an empty body is ``{}``; ``required`` is never
    enforced (every reply field defaults to ``None``); ``null`` or missing
    members are ``None``; unknown members are ignored; ``null`` items of lists
    and maps stay in place; blobs are base64-decoded; :data:`Double` and
    :data:`Timestamp` members go through :func:`_dec_hook`. A union object
    naming a member the model does not know (a newer API) fails the fast pass
    (union models forbid unknown fields); the body is then decoded again after
    :func:`_mark_unknown_members` records that member's name.

    Raises :class:`ReplyDecodeError` (a :class:`WireTypeError`) for a body that
    is not JSON (invalid UTF-8 and nesting too deep included) or a member of the
    wrong JSON type, naming the member's wire path; never a msgspec exception.
    """

    __slots__ = ("_decoder", "_model")
    __aws_body_bytes__ = True
    """The call pipeline passes the body bytes (``pipeline.takes_body_bytes``)."""

    def __init__(self, model: type[_R]) -> None:
        self._model = model
        self._decoder: msgspec.json.Decoder[_R] | None = None

    def _build(self) -> msgspec.json.Decoder[_R]:
        decoder = msgspec.json.Decoder(self._model, dec_hook=_dec_hook)
        self._decoder = decoder
        return decoder

    def __call__(self, body: bytes) -> _R:
        decoder = self._decoder or self._build()
        if not body or body.isspace():
            body = b"{}"
        try:
            return decoder.decode(body)
        except msgspec.ValidationError as exc:
            message = str(exc)
            if message.startswith("Object contains unknown field"):
                return self._with_unknown_members(decoder, body)
            raise ReplyDecodeError(_reason(message)) from None
        except msgspec.DecodeError:
            return self._lenient(body)
        except RecursionError:
            raise ReplyDecodeError("body is not JSON (RecursionError)") from None

    def _lenient(self, body: bytes) -> _R:
        """A body msgspec refuses: botocore reads replies with ``json.loads``, which also
        takes the ``NaN``/``Infinity``/``-Infinity`` literals; they are read as the
        strings a ``double`` member accepts (and any other member refuses), the value
        re-encoded as strict JSON and decoded again. Anything else is not JSON."""
        try:
            raw = json.loads(body, parse_constant=str)
        except RecursionError:
            raise ReplyDecodeError("body is not JSON (RecursionError)") from None
        except ValueError:  # JSONDecodeError and UnicodeDecodeError
            raise ReplyDecodeError(_not_json(body)) from None
        return self(msgspec.json.encode(raw))

    def _with_unknown_members(self, decoder: msgspec.json.Decoder[_R], body: bytes) -> _R:
        try:
            raw = msgspec.json.decode(body)
            fixed = _mark_unknown_members(raw, _mi.type_info(self._model))
            return decoder.decode(msgspec.json.encode(fixed))
        except msgspec.ValidationError as exc:
            raise ReplyDecodeError(_reason(str(exc))) from None
        except RecursionError:
            raise ReplyDecodeError("body is not JSON (RecursionError)") from None


def _not_json(body: bytes) -> str:
    """The reason for a body msgspec could not read (checked only on this error path)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not JSON (UnicodeDecodeError)"
    return "body is not JSON (JSONDecodeError)"


class _NoOutput(msgspec.Struct, frozen=True):
    """The (empty) output of an operation without an output shape."""


_NO_OUTPUT = ReplyDecoder(_NoOutput)


def ignore_output(body: bytes) -> None:
    """Parser for operations without an output shape: the body must be a JSON object
    (or empty), its members are ignored. Raises :class:`ReplyDecodeError`."""
    _NO_OUTPUT(body)


ignore_output.__aws_body_bytes__ = True  # type: ignore[attr-defined]  # takes the body bytes


# ---------------------------------------------------------- request encoding


def _enc_hook(obj: Any) -> Any:
    """Sequences and mappings of other types than list/tuple/dict (the input role
    accepts any ``Sequence``/``Mapping``) are sent as JSON arrays and objects."""
    if isinstance(obj, Mapping):
        return dict(obj)
    if isinstance(obj, Sequence) and not isinstance(obj, (str, bytes)):
        return list(obj)
    raise TypeError(f"cannot send a {type(obj).__name__} value as JSON")


_ENCODER = msgspec.json.Encoder(enc_hook=_enc_hook)
encode: Callable[[Any], bytes] = _ENCODER.encode
"""JSON bytes of a model or of the dict a ``serialize_<shape>`` function built
(compact, raw UTF-8; blobs base64). Raises ``TypeError`` for values JSON cannot hold."""


def _without_none(value: Any) -> Any:
    if isinstance(value, msgspec.Struct):
        out = {}
        for f in msgspec.structs.fields(value):
            item = getattr(value, f.name)
            if item is not None:
                out[f.encode_name] = _without_none(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_without_none(item) for item in value]
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items()}
    return value


def encode_request(value: Any, validated: bool = True) -> bytes:
    """The JSON request body: an input model encoded natively, or the dict its
    generated ``serialize_<shape>`` function built (structures with timestamps,
    floats or idempotency tokens), which may hold natively encoded models.
    Members left at ``None`` are not sent (``omit_defaults``).

    ``validated`` is False when parameter validation is off: a required member
    set to ``None`` (which validation would have refused) is then left out too,
    as botocore's serializer skips ``None`` values.
    """
    return _ENCODER.encode(value if validated else _without_none(value))


# ------------------------------------------------------------ reply as data


def to_dict(value: Any) -> Any:
    """A reply (any model, list or dict of models) as the dict boto3 would have returned.

    Keys are the wire (camelCase/PascalCase) names, members that are ``None`` are
    left out, blobs stay ``bytes``, timestamps ``datetime``; enum values are
    ``str``. For logging and for porting code written against boto3.
    """
    return msgspec.to_builtins(value, builtin_types=(bytes, bytearray, _dt.datetime))


def to_json(value: Any) -> str:
    """A reply as JSON text with wire names: blobs as base64, timestamps as RFC 3339
    text (``2026-01-02T03:04:05Z``), ``None`` members left out. For logs."""
    return _ENCODER.encode(value).decode("utf-8")
