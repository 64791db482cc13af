"""The AWS JSON 1.0 / 1.1 protocol (awsJson1_0, awsJson1_1), sans-IO.

Requests: ``POST /`` with ``Content-Type: application/x-amz-json-<version>``,
``X-Amz-Target: <targetPrefix>.<OperationName>`` and the input as a JSON
object (``{}`` when there are no parameters). Generated clients pass the body
already encoded (msgspec: compact JSON, raw UTF-8), equal to botocore's as
parsed JSON; a mapping is sent as ``json.dumps(obj).encode()``, byte for byte
what botocore sends. Query-compatible services also get
``x-amzn-query-mode: true``.

Replies: any status >= 300 is an error. A 2xx body is parsed as JSON whatever
its Content-Type says (moto sends ``text/html``); an empty body is ``{}``.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ResponseParseError
from .http import HttpRequest, HttpResponse

__all__ = [
    "ErrorInfo",
    "build_request",
    "parse_error",
    "parse_success",
    "sanitize_error_code",
]

_dumps = json.JSONEncoder().encode
_loads = json.loads


def build_request(
    endpoint_url: str,
    target: str,
    json_version: str,
    params: Mapping[str, Any] | bytes,
    *,
    host_prefix: str = "",
    query_compatible: bool = False,
) -> HttpRequest:
    """Build the unsigned request for one operation.

    ``endpoint_url`` is the resolved endpoint (scheme, host, optional port,
    path and query); ``target`` is ``<targetPrefix>.<OperationName>``;
    ``host_prefix`` (already expanded, e.g. ``"data-"``) is prepended to the
    host. The request goes to the endpoint's path and query exactly as given,
    ``/`` when the path is empty (botocore ``awsrequest._urljoin`` with the
    JSON protocol's request URI ``/``): ``http://h/base?x=1`` → ``POST /base?x=1``.
    ``params`` is the JSON body as bytes (generated clients encode their models
    with msgspec: compact, raw UTF-8) or a mapping sent as ``json.dumps`` would.
    Raises ``ValueError`` for NaN/Infinity values that were not converted
    by the serializer.
    """
    scheme, sep, rest = endpoint_url.partition("://")
    authority_end = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    authority, tail = rest[:authority_end], rest[authority_end:]
    if not tail.startswith("/"):
        tail = "/" + tail  # no path: "/" (and "?x=1" becomes "/?x=1")
    url = f"{scheme}{sep}{host_prefix}{authority}{tail}"
    headers = {
        "X-Amz-Target": target,
        "Content-Type": f"application/x-amz-json-{json_version}",
    }
    if query_compatible:
        headers["x-amzn-query-mode"] = "true"
    if isinstance(params, bytes):
        body = params
    else:
        body = _dumps(params).encode("utf-8") if params else b"{}"
    return HttpRequest("POST", url, headers, body)


def parse_success(response: HttpResponse, operation_name: str) -> dict[str, Any]:
    """The JSON object of a 2xx reply; ``{}`` for an empty body.

    Raises :class:`ResponseParseError` when the body is not JSON (including
    invalid UTF-8 and nesting too deep for the decoder) or not an object.
    """
    body = response.body
    if not body or body.isspace():
        return {}
    try:
        parsed = _loads(body)
    except (ValueError, RecursionError) as exc:
        raise ResponseParseError(
            f"body is not JSON ({exc.__class__.__name__})",
            status_code=response.status,
            body=body,
            operation_name=operation_name,
        ) from None
    if parsed.__class__ is not dict:
        raise ResponseParseError(
            f"expected a JSON object, got {_json_kind(parsed)}",
            status_code=response.status,
            body=body,
            operation_name=operation_name,
        )
    return parsed


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"


def sanitize_error_code(raw: str) -> str:
    """Drop a ``:``-suffix (URI) and a ``#``-prefix (namespace): ``ns#Foo:http://x`` → ``Foo``."""
    code = raw.split(":", 1)[0]
    if "#" in code:
        code = code.rsplit("#", 1)[1]
    return code.strip()


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """What an error reply says: code, message, parsed JSON body (``{}`` if none), request id.

    ``query_error_code`` and ``error_type`` are set from ``x-amzn-query-error``
    for query-compatible services.
    """

    code: str
    message: str
    body: Mapping[str, Any]
    request_id: str | None
    query_error_code: str | None = None
    error_type: str | None = None


_MAX_TEXT_MESSAGE = 200


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > _MAX_TEXT_MESSAGE:
        flat = flat[: _MAX_TEXT_MESSAGE - 3] + "..."
    return flat


_XML_CODE = re.compile(r"<Code>\s*([^<]+?)\s*</Code>", re.DOTALL)
_XML_MESSAGE = re.compile(r"<Message>\s*([^<]*?)\s*</Message>", re.DOTALL)
_HTML_TITLE = re.compile(r"<title>\s*([^<]*?)\s*</title>", re.DOTALL | re.IGNORECASE)


def _markup_error(text: str, status: int) -> tuple[str, str]:
    """Code and message from an XML ``<ErrorResponse>`` or an HTML error page.

    Proxies, load balancers and emulators answer with markup; the XML error
    format of the query protocol carries ``<Code>``/``<Message>``, an HTML
    page at least a ``<title>``. Falls back to the HTTP reason phrase.
    """
    import html  # only error pages need it; its entity table costs 0.5 MiB at import

    code_match = _XML_CODE.search(text)
    message_match = _XML_MESSAGE.search(text)
    if code_match:
        return sanitize_error_code(code_match.group(1)), html.unescape(
            message_match.group(1) if message_match else ""
        )
    title = _HTML_TITLE.search(text)
    reason = http.client.responses.get(status, "")
    if title and title.group(1).strip():
        return "", _excerpt(html.unescape(title.group(1)))
    return "", reason or _excerpt(text)


def parse_error(response: HttpResponse) -> ErrorInfo:
    """Extract the error code and message from an error reply. Never raises.

    Code, in order: the body's ``__type``; the ``x-amzn-ErrorType`` header;
    the body's ``code`` (or ``Code``); otherwise the HTTP status as text, as
    botocore does. The first two rules are botocore's; the header and
    ``code`` fallbacks follow the Smithy awsJson specification. Each source is
    sanitized with :func:`sanitize_error_code`. Message: ``message``, then
    ``Message``, then ``errorMessage``, else ``""``. A body that is not a JSON
    object gives the status as code (or the ``<Code>`` of an XML error
    document) and, as message: the XML ``<Message>``, an HTML page's
    ``<title>``, the start of other text, or for an empty 5xx body without
    an error code (botocore's generic error) the HTTP reason phrase.
    A ``x-amzn-query-error: Code;Type`` header (query-compatible services)
    overrides the code.
    """
    headers = response.headers
    request_id = headers.get("x-amzn-requestid") or headers.get("x-amz-request-id")
    body_obj: dict[str, Any] = {}
    text = ""
    raw = response.body
    if raw and not raw.isspace():
        try:
            parsed = _loads(raw)
        except (ValueError, RecursionError):
            parsed = None
        if isinstance(parsed, dict):
            body_obj = parsed
        else:
            text = raw.decode("utf-8", "replace")
    code = ""
    for candidate in (
        body_obj.get("__type"),
        headers.get("x-amzn-errortype"),
        body_obj.get("code"),
        body_obj.get("Code"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            code = sanitize_error_code(candidate)
            if code:
                break
    coded = bool(code)
    if not code:
        code = str(response.status)
    message: Any = ""
    for key in ("message", "Message", "errorMessage"):
        if key in body_obj:
            message = body_obj[key]
            break
    if not isinstance(message, str):
        message = "" if message is None else json.dumps(message)
    if not body_obj:
        if text.lstrip().startswith("<"):
            xml_code, message = _markup_error(text, response.status)
            if xml_code and code == str(response.status):
                code = xml_code
        elif text:
            message = _excerpt(text)
        elif response.status >= 500 and not coded:
            message = http.client.responses.get(response.status, "")
    query_code = error_type = None
    query_error = headers.get("x-amzn-query-error")
    if query_error:
        parts = query_error.split(";")
        if len(parts) == 2 and parts[0]:
            query_code, error_type = code, parts[1]
            code = parts[0]
    return ErrorInfo(code, message, body_obj, request_id, query_code, error_type)
