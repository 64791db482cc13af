"""Wire logging: what went over the network, on the ``aws_runtime.wire`` DEBUG logger.

Turn it on like botocore's ``botocore.endpoint``/``botocore.parsers`` DEBUG
output, but on a logger of its own so the rest of the runtime's DEBUG lines
(attempts, retry decisions) can stay off::

    import logging
    logging.basicConfig()
    logging.getLogger("aws_runtime.wire").setLevel(logging.DEBUG)

Every attempt writes two records (one per direction), each a few lines::

    >>> POST https://support.us-east-1.amazonaws.com/ (CreateCase attempt 1)
    X-Amz-Target: AWSSupport_20130415.CreateCase
    Content-Type: application/x-amz-json-1.1
    Authorization: <redacted>
    ...
    {"subject": "Printer on fire", ...}
    <<< HTTP 200 (CreateCase attempt 1)
    x-amzn-requestid: 5b7f...
    {"caseId": "case-12345"}

Rules:

* The values of ``Authorization``, ``X-Amz-Security-Token`` and
  ``Proxy-Authorization`` (any spelling) are written as ``<redacted>``; the
  secret access key is never part of a request, only of the signature
  computation, so nothing else carries a credential.
* Bodies are shown up to :data:`BODY_LIMIT` bytes (module attribute, change it
  to see more or less), followed by ``... (N bytes in all)``; a body that is
  not UTF-8 text (a gzip-compressed request) is summarised as
  ``<N bytes, not text>``; an empty body is not shown.
* A failed attempt with no reply (timeout, reset) writes its reason instead
  of a reply record.
* Nothing is formatted unless the logger is enabled for DEBUG, so leaving it
  off costs one ``isEnabledFor`` check per attempt.

botocore logs the same information from ``botocore.endpoint``
(``_send_request``: "Sending http request") and ``botocore.parsers``
("Response headers/body"), with the signature unredacted.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from .http import HttpRequest, HttpResponse
from .secrets import SENSITIVE_HEADERS

__all__ = ["BODY_LIMIT", "REDACTED_HEADERS", "enabled", "log_failure", "log_outcome", "log_request", "log_response", "wire_logger"]

wire_logger = logging.getLogger("aws_runtime.wire")
"""The wire logger (``aws_runtime.wire``); DEBUG records only."""

BODY_LIMIT = 4096
"""Bytes of a request or reply body written to the wire log (the rest is counted, not shown)."""

REDACTED_HEADERS = SENSITIVE_HEADERS
"""Header names (lower case) whose values are replaced by ``<redacted>``: the same set
:class:`~aws_runtime.secrets.RedactedHeaders` hides in ``repr``."""

_DEBUG = logging.DEBUG


def enabled() -> bool:
    """Whether the wire logger writes DEBUG records (checked once per attempt)."""
    return wire_logger.isEnabledFor(_DEBUG)


def _headers_text(headers: Mapping[str, str]) -> list[str]:
    return [
        f"{name}: <redacted>" if name.lower() in REDACTED_HEADERS else f"{name}: {value}"
        for name, value in headers.items()
    ]


def _body_text(body: bytes) -> list[str]:
    if not body:
        return []
    limit = max(0, int(BODY_LIMIT))
    shown = body[:limit]
    try:
        text = shown.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(shown) - 3:  # not merely a multi-byte character cut at the limit
            return [f"<{len(body)} bytes, not text>"]
        text = shown[: exc.start].decode("utf-8")
    if len(body) > limit:
        text += f" ... ({len(body)} bytes in all)"
    return [text]


def log_request(request: HttpRequest, label: str, attempt: int) -> None:
    """Write the request line, headers and body of one attempt (``label``: the
    operation name). Call only after :func:`enabled` returned True."""
    lines = [f">>> {request.method} {request.url} ({label} attempt {attempt})"]
    lines += _headers_text(request.headers)
    lines += _body_text(request.body)
    wire_logger.debug("%s", "\n".join(lines))


def log_response(response: HttpResponse, label: str, attempt: int) -> None:
    """Write the status, headers and body of the reply to one attempt."""
    lines = [f"<<< HTTP {response.status} ({label} attempt {attempt})"]
    lines += _headers_text(response.headers)
    lines += _body_text(response.body)
    wire_logger.debug("%s", "\n".join(lines))


def log_outcome(outcome: HttpResponse | BaseException, label: str, attempt: int) -> None:
    """:func:`log_response` for a reply, :func:`log_failure` for a transport error."""
    if isinstance(outcome, HttpResponse):
        log_response(outcome, label, attempt)
    else:
        log_failure(outcome, label, attempt)


def log_failure(error: BaseException, label: str, attempt: int) -> None:
    """Write why an attempt got no reply (the transport error's class and message)."""
    wire_logger.debug("<<< no reply (%s attempt %d): %s: %s", label, attempt, type(error).__name__, error)
