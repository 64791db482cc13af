"""Service customizations from botocore's ``handlers.py`` that change what a JSON-protocol
service is sent, or where (sans-IO).

Each function names the botocore handler it reproduces. The generator decides which
operations use which customization (``generator.build.WIRE_CUSTOMIZATIONS``); the call
path applies them before signing, as botocore's handlers run before its signer.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from urllib.parse import quote, urlsplit, urlunsplit

from .errors import ParamValidationError

__all__ = ["add_recursion_detection_header", "switch_host"]


def switch_host(url: str, new_endpoint: str, parameter: str) -> str:
    """``url`` with the scheme and host of ``new_endpoint``; path and query kept.

    botocore ``utils.switch_host_with_param`` (machinelearning ``Predict`` is sent to
    the ``PredictEndpoint`` URL the caller passes, handler
    ``switch_host_machinelearning``). Raises :class:`ParamValidationError` naming
    ``parameter`` when ``new_endpoint`` is not an ``http(s)://host`` URL, before any
    I/O (botocore would build a URL without a host).
    """
    parts = urlsplit(new_endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problem = (
            f"Invalid value for parameter {parameter}, value: {new_endpoint!r}: "
            "must be an http:// or https:// URL with a host"
        )
        raise ParamValidationError([problem])
    original = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, original.path, original.query, ""))


def add_recursion_detection_header(headers: MutableMapping[str, str]) -> None:
    """Inside AWS Lambda, pass the function's trace id on as ``X-Amzn-Trace-Id``.

    botocore ``handlers.add_recursion_detection_header``: when both
    ``AWS_LAMBDA_FUNCTION_NAME`` and ``_X_AMZN_TRACE_ID`` are set and the request
    has no ``X-Amzn-Trace-Id`` yet, the trace id is sent percent-encoded except
    for ``-=;:+&[]{}"',``. Read on every call, as botocore does.
    """
    env = os.environ
    trace_id = env.get("_X_AMZN_TRACE_ID")
    if trace_id and "AWS_LAMBDA_FUNCTION_NAME" in env and "X-Amzn-Trace-Id" not in headers:
        headers["X-Amzn-Trace-Id"] = quote(trace_id, safe="-=;:+&[]{}\"',")
