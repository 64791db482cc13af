"""Hand-written runtime shared by every generated AWS client.

Modules: ``config`` (client settings), ``errors`` (exception hierarchy),
``awsjson`` (awsJson 1.0/1.1 protocol), ``sigv4`` (request signing),
``credentials`` (explicit keys or botocore's provider chain), ``endpoints``
(functions for compiled endpoint rule sets), ``retries`` (standard retry
mode), ``pagination`` (lazy typed paginators, loop guard, resume tokens),
``validation`` and ``wire`` (helpers for generated code), ``netconfig``
(proxies, TLS trust, endpoint checks, reply limits, call deadline),
``secrets`` (secret wrapper and redacting reprs), ``pipeline`` (one call as
sans-IO steps yielding effects: the retry loop, written once, with its
interceptor points), ``transport`` (urllib3) and ``client`` (the generated
clients' base class and the blocking driver), ``aio`` (the async clients'
base class, the async driver and the aiohttp transport), ``interceptors``
(the user-facing hook interface), ``wirelog`` (the ``aws_runtime.wire`` DEBUG
logger) and ``testing`` (``Stubber`` and ``MotoTransport`` for users' tests).
All but ``transport``, ``aio`` and ``testing`` are sans-IO.
"""

from .config import Config
from .errors import (
    AWSError,
    ClientError,
    ParamValidationError,
    ResponseParseError,
    ServiceError,
)

__all__ = [
    "AWSError",
    "ClientError",
    "Config",
    "ParamValidationError",
    "ResponseParseError",
    "ServiceError",
]
