"""Exceptions raised by the runtime and by every generated client.

Hierarchy::

    AWSError
    ├── ParamValidationError (also a ValueError)   bad input, raised before any I/O
    ├── ServiceError                              the service answered with an error
    │   └── <Service>Error → one class per modeled error shape (generated)
    ├── ResponseParseError                        a 2xx reply that cannot be parsed
    ├── TransportError                            no usable HTTP response
    │   ├── EndpointConnectionError
    │   │   ├── ConnectTimeoutError
    │   │   ├── SSLError                          TLS handshake/certificate (not retried)
    │   │   └── ProxyConnectionError
    │   ├── ReadTimeoutError
    │   ├── ConnectionClosedError
    │   ├── ResponseTooLargeError                 reply above Config.max_response_bytes (not retried)
    │   └── CallTimeoutError                      Config.call_timeout reached (not retried)
    ├── InvalidConfigError (also a ValueError)    unusable setting, raised when a client is built
    ├── NoCredentialsError
    │   └── CredentialRetrievalError
    ├── EndpointResolutionError
    ├── PaginationError                            the service repeated a page token
    └── OperationNotPageableError (also a ValueError)

No exception text ever contains credentials: messages are built from
parameter paths, error codes, service messages and HTTP metadata only.

Errors raised after I/O (:class:`ServiceError`, :class:`ResponseParseError`,
:class:`TransportError`) carry ``attempts`` (requests sent for the call) and
``retry_note`` (why retrying stopped: ``"max attempts reached"``, ``"retry
quota exhausted"``, or ``""``); their text ends with e.g. ``(after 3 attempts;
max attempts reached)`` whenever more than one attempt was made or a note is set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "AWSError",
    "CallTimeoutError",
    "ClientClosedError",
    "ClientError",
    "ConnectTimeoutError",
    "ConnectionClosedError",
    "CredentialRetrievalError",
    "DeadlineExceededError",
    "EndpointConnectionError",
    "EndpointResolutionError",
    "InvalidConfigError",
    "NoCredentialsError",
    "OperationNotPageableError",
    "PaginationError",
    "ParamValidationError",
    "ProfileNotFoundError",
    "ProxyConnectionError",
    "ReadTimeoutError",
    "ResponseParseError",
    "ResponseTooLargeError",
    "SSLError",
    "ServiceError",
    "TransportError",
    "UnsupportedOperationError",
]


class AWSError(Exception):
    """Base class of every exception raised by the runtime or a generated client."""


def _attempts_text(attempts: int, note: str) -> str:
    """`` (after N attempts; note)``, or ``""`` for a single attempt without a note."""
    if attempts <= 1 and not note:
        return ""
    noun = "attempt" if attempts == 1 else "attempts"
    return f" (after {attempts} {noun}; {note})" if note else f" (after {attempts} {noun})"


class ParamValidationError(AWSError, ValueError):
    """Client-side validation failed; raised before any network I/O.

    ``problems`` holds one line per problem, each naming the parameter path
    (``attachments[0].data``) and the rule it broke (required, type, min/max
    length, min/max value), in the order they were found. ``str()`` gives
    ``"Parameter validation failed:"`` followed by one problem per line, the
    format botocore's ``ParamValidationError`` uses.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("Parameter validation failed:\n" + "\n".join(self.problems))


class ServiceError(AWSError):
    """The service (or something in front of it) answered with an error.

    Attributes:
        code: the error code, e.g. ``"CaseIdNotFound"``. Taken from the reply's
            ``__type`` (namespace and URI suffix removed); when the reply has no
            code, the HTTP status as a string (``"500"``), as botocore does.
        message: the error message from the reply, ``""`` when there is none.
        status_code: the HTTP status of the reply.
        request_id: the ``x-amzn-RequestId`` header, or ``None``.
        operation_name: the model's operation name, e.g. ``"CreateCase"``.
        attempts: how many HTTP attempts were made before giving up.
        retry_note: why retrying stopped (``"max attempts reached"``,
            ``"retry quota exhausted"``), ``""`` when the error is not retryable.
        headers: the reply's headers, names lower-cased.
    """

    code: str
    message: str
    status_code: int
    request_id: str | None
    operation_name: str
    attempts: int
    retry_note: str
    headers: Mapping[str, str]

    def __init__(
        self,
        message: str = "",
        *,
        code: str = "",
        status_code: int = 0,
        request_id: str | None = None,
        operation_name: str = "",
        attempts: int = 1,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.status_code = status_code
        self.request_id = request_id
        self.operation_name = operation_name
        self.attempts = attempts
        self.retry_note = ""
        self.headers = dict(headers) if headers is not None else {}
        super().__init__(message)

    @property
    def response(self) -> dict[str, Any]:
        """The error in the shape of botocore's ``ClientError.response``, for code written
        against boto3: ``{"Error": {"Code", "Message"}, "ResponseMetadata": {"RequestId",
        "HTTPStatusCode", "HTTPHeaders", "RetryAttempts"}}``. Modeled members are
        attributes of the generated error classes, not keys here."""
        return {
            "Error": {"Code": self.code, "Message": self.message},
            "ResponseMetadata": {
                "RequestId": self.request_id,
                "HTTPStatusCode": self.status_code,
                "HTTPHeaders": dict(self.headers),
                "RetryAttempts": max(0, self.attempts - 1),
            },
        }

    def _set_modeled_fields(self, body: bytes) -> None:
        """Decode the error shape's modeled members from the reply body bytes.

        Generated error classes with members besides ``message`` override this
        (one cached decoder per modeled error); they raise
        :class:`~aws_runtime.wire.WireTypeError` for a body that does not fit.
        """

    def __str__(self) -> str:
        tail = _attempts_text(self.attempts, self.retry_note)
        return (
            f"An error occurred ({self.code}) when calling the "
            f"{self.operation_name} operation{tail}: {self.message}"
        )

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (
            _rebuild_service_error,
            (type(self), self.message, self.__dict__.copy()),
        )


def _rebuild_service_error(
    cls: type[ServiceError], message: str, state: dict[str, object]
) -> ServiceError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


ClientError = ServiceError
"""Alias for boto3 users who catch ``botocore.exceptions.ClientError``."""


class ResponseParseError(AWSError):
    """A 2xx reply whose body is not what the operation's output shape allows.

    Covers non-JSON bodies (HTML pages, truncated JSON), a JSON value that is
    not an object, and members of the wrong JSON type. ``body_excerpt`` holds
    at most the first 200 bytes of the body, decoded as UTF-8 with
    replacement characters; ``attempts`` and ``retry_note`` as for
    :class:`ServiceError`.
    """

    def __init__(
        self,
        reason: str,
        *,
        status_code: int,
        body: bytes = b"",
        operation_name: str = "",
        attempts: int = 1,
    ) -> None:
        self.reason = reason
        self.status_code = status_code
        self.operation_name = operation_name
        self.attempts = attempts
        self.retry_note = ""
        self.body_excerpt = body[:200].decode("utf-8", "replace")
        super().__init__(reason)

    def __str__(self) -> str:
        return (
            f"Could not parse the reply to {self.operation_name or 'the request'} "
            f"(HTTP {self.status_code}){_attempts_text(self.attempts, self.retry_note)}: "
            f"{self.reason}; body starts: {self.body_excerpt!r}"
        )


class TransportError(AWSError):
    """No usable HTTP response was received (connection or timeout failure).

    ``url`` is the endpoint URL; ``attempts`` and ``retry_note`` as for
    :class:`ServiceError`. ``retryable`` (a class attribute) is False for the
    failures that a new attempt cannot fix (certificate, size limit, call
    deadline); the retry policy never retries those.
    """

    retryable: bool = True

    def __init__(self, message: str, *, url: str = "", attempts: int = 1) -> None:
        self.url = url
        self.attempts = attempts
        self.retry_note = ""
        super().__init__(message)

    def __str__(self) -> str:
        return super().__str__() + _attempts_text(self.attempts, self.retry_note)


class EndpointConnectionError(TransportError):
    """The TCP or TLS connection could not be made or was reset."""


class ConnectTimeoutError(EndpointConnectionError):
    """Connecting took longer than ``Config.connect_timeout`` seconds."""


class ReadTimeoutError(TransportError):
    """The reply took longer than ``Config.read_timeout`` seconds."""


class ConnectionClosedError(TransportError):
    """The server closed the connection before a complete reply was read."""


class SSLError(EndpointConnectionError):
    """The TLS handshake failed: certificate not trusted, wrong host name, bad client
    certificate. Not retried (botocore retries its ``SSLError``; a certificate does not
    become trusted by asking again)."""

    retryable = False


class ProxyConnectionError(EndpointConnectionError):
    """The proxy could not be reached or refused the tunnel (``CONNECT``) to the endpoint.

    The message shows the proxy URL with its user info masked (botocore
    ``ProxyConnectionError`` and ``httpsession.mask_proxy_url``)."""


class ResponseTooLargeError(TransportError):
    """The reply is larger than ``Config.max_response_bytes``: refused from its
    ``Content-Length`` before reading, or stopped when the streamed body reached the
    limit. ``limit`` is the limit in bytes, ``received`` what was read (0 when the
    declared length was refused). Not retried."""

    retryable = False

    def __init__(self, message: str, *, url: str = "", limit: int = 0, received: int = 0) -> None:
        super().__init__(message, url=url)
        self.limit = limit
        self.received = received


class CallTimeoutError(TransportError):
    """The call did not finish within ``Config.call_timeout`` seconds, counting every
    attempt, backoff sleep and body read. ``limit`` is that setting (seconds), ``during``
    what the call was doing when the deadline passed. The last failure before the
    deadline, if any, is chained as ``__cause__``. Not retried."""

    retryable = False

    def __init__(
        self, message: str = "", *, url: str = "", limit: float | None = None, during: str = ""
    ) -> None:
        super().__init__(message or during, url=url)
        self.limit = limit
        self.during = during

    def __str__(self) -> str:
        limit = f"={self.limit:g} s" if self.limit is not None else ""
        return (
            f"Call did not finish within Config.call_timeout{limit} ({self.during})"
            + _attempts_text(self.attempts, self.retry_note)
        )


class InvalidConfigError(AWSError, ValueError):
    """A setting cannot be used, found when a client is built, before any network I/O:
    an ``endpoint_url`` or proxy URL that is not a valid http(s) URL, a missing, empty
    or unreadable CA bundle or client certificate, a credential, region or
    ``user_agent_extra`` containing control characters. The message names the setting
    and where it came from, never its secret part."""
DeadlineExceededError = CallTimeoutError
"""The pipeline's name for :class:`CallTimeoutError` (the call deadline is one error type)."""


class ClientClosedError(AWSError, RuntimeError):
    """A call was made on a client after ``close()``: nothing is sent, nothing retried."""




class NoCredentialsError(AWSError):
    """Neither explicit keys nor botocore's credential provider chain gave credentials."""


class CredentialRetrievalError(NoCredentialsError):
    """A credential provider failed while loading or refreshing credentials
    (the provider's own exception is chained as ``__cause__``)."""


class ProfileNotFoundError(AWSError, ValueError):
    """``profile_name`` (or ``AWS_PROFILE``) names a profile no shared config file defines."""


class EndpointResolutionError(AWSError):
    """The endpoint rule set raised an error or no rule matched."""


class UnsupportedOperationError(AWSError, NotImplementedError):
    """The operation exists in the model but this client cannot call it (e.g. event streams)."""


class PaginationError(AWSError):
    """A paginator stopped because the service sent a page token it had already been sent.

    Following it would request the same pages again, possibly forever, so the
    paginator raises this after delivering the page that carried the token.

    Attributes:
        operation_name: the model's operation name, e.g. ``"DescribeCases"``.
        token: the repeated token.
        pages: replies received in this run, the one with the repeated token included.
    """

    def __init__(self, message: str, *, operation_name: str = "", token: str = "", pages: int = 0) -> None:
        self.operation_name = operation_name
        self.token = token
        self.pages = pages
        super().__init__(message)


class OperationNotPageableError(AWSError, ValueError):
    """``get_paginator(name)`` was called with a name that has no paginator.

    Attributes:
        operation_name: the name that was asked for.
        pageable: the snake_case names that do have one.
    """

    def __init__(self, operation_name: str, pageable: Sequence[str]) -> None:
        self.operation_name = operation_name
        self.pageable = tuple(pageable)
        super().__init__(
            f"Operation cannot be paginated: {operation_name!r}; "
            f"pageable operations: {', '.join(self.pageable) or '(none)'}"
        )
