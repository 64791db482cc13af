"""Test doubles for the tests of programs that use a generated client.

Two ways to test code that calls AWS without reaching AWS, both driving the
client's real pipeline (parameter validation, serialization, signing,
interceptors, error mapping, reply parsing); only the network is replaced,
through the client's transport.

:class:`Stubber` (botocore's ``botocore.stub.Stubber``, same method names):
queue replies and error replies, in the order the code under test will call::

    from aws_runtime.testing import Stubber

    client = SupportClient(region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_response("create_case", {"caseId": "case-1"},
                             expected_params={"subject": "Printer on fire",
                                              "communicationBody": "Help"})
        stubber.add_client_error("describe_cases", "CaseIdNotFound", "no such case")
        run_my_program(client)
        stubber.assert_no_pending_responses()

:class:`MotoTransport`: send every request to moto's in-process backends
(``moto.mock_aws``) with no server and no socket::

    from moto import mock_aws
    from aws_runtime.testing import MotoTransport

    with mock_aws():
        client = SupportClient(region_name="us-east-1", transport=MotoTransport(),
                               aws_access_key_id="testing", aws_secret_access_key="testing")
        case_id = client.create_case(subject="s", communication_body="b").case_id

``moto.mock_aws`` alone does not catch these clients: it hooks botocore's
``before-send`` event and the ``requests`` library, and this runtime uses
neither; :class:`MotoTransport` hands the signed request to the same dispatch
function (``moto.core.models.botocore_stubber``) instead.
"""

from __future__ import annotations

import base64
import collections
import datetime as _dt
import enum
import json
import pprint
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from .credentials import CredentialGate, Credentials, StaticCredentialProvider
from .http import HttpRequest, HttpResponse
from .retries import RetryPolicy

if TYPE_CHECKING:
    from typing_extensions import Self

    from .client import BaseClient

__all__ = [
    "ANY",
    "MotoNotActiveError",
    "MotoTransport",
    "StubAssertionError",
    "StubResponseError",
    "Stubber",
    "UnStubbedResponseError",
]

ClientT = TypeVar("ClientT", bound="BaseClient")
ReplyT = TypeVar("ReplyT")

STUB_CREDENTIALS = Credentials("AKIDSTUBBEREXAMPLE", "stubber-secret-not-a-real-key")
"""Credentials a client signs with while a :class:`Stubber` is active (no real keys needed)."""


class _Any:
    """Matches any value in ``expected_params`` (botocore's ``stub.ANY``)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "<ANY>"


ANY: Any = _Any()
"""Put in ``expected_params`` for a parameter whose value the test does not check."""


class StubResponseError(AssertionError):
    """The call does not match the next queued reply (another operation was queued)."""

    def __init__(self, operation_name: str, reason: str) -> None:
        self.operation_name = operation_name
        self.reason = reason
        super().__init__(f"Error getting response stub for operation {operation_name}: {reason}")


class StubAssertionError(StubResponseError):
    """The call's parameters differ from the queued reply's ``expected_params``."""


class UnStubbedResponseError(StubResponseError):
    """A call was made with no reply left in the queue."""


class MotoNotActiveError(RuntimeError):
    """:class:`MotoTransport` was used outside ``moto.mock_aws`` (or moto has no backend
    for the request's URL); raised instead of reaching the network."""


def _to_wire(value: Any) -> Any:
    """A value as it appears in awsJson: bytes as base64 text, timestamps as epoch
    seconds (botocore ``serialize.JSONSerializer``), mappings and lists recursively."""
    if isinstance(value, Mapping):
        return {k: _to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_wire(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, _dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
        seconds = moment.timestamp()
        return int(seconds) if seconds == int(seconds) else seconds
    if isinstance(value, enum.Enum):  # a model enum: its wire value
        return value.value
    return value


def _reply_body(reply: Any) -> bytes:
    """The JSON body a server would send for ``reply``: a wire-named mapping (botocore's
    ``service_response``) or a reply model object."""
    if isinstance(reply, Mapping):
        return json.dumps(_to_wire(reply)).encode("utf-8")
    raise TypeError(f"service_response must be a reply object or a wire-named dict, not {type(reply).__name__}")


def _operation_key(name: str) -> str:
    """``create_case``, ``CreateCase`` and ``createCase`` all give ``createcase``."""
    return name.replace("_", "").lower()


@dataclass
class _Queued:
    operation: str  # as given, for messages
    key: str
    response: HttpResponse
    expected_params: Mapping[str, Any] | None


@dataclass
class _StubTransport:
    stubber: Stubber[Any]
    requests: list[HttpRequest] = field(default_factory=list)

    def send(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return self.stubber._answer(request)

    def close(self) -> None:
        return None


class Stubber(Generic[ClientT]):
    """Queued replies for a client's calls, checked in order (botocore's ``Stubber``).

    While active (``activate()`` or a ``with`` block) the client sends nothing:
    each call takes the next queued reply, after the real pipeline validated,
    serialized and signed the request, and the reply goes through the real
    parser and error mapping, so a stubbed error raises the same typed class
    (``client.exceptions.CaseIdNotFound``) a real one would. The client signs
    with :data:`STUB_CREDENTIALS` while active, so tests need no AWS keys.

    Retries: by default each queued reply is the final answer of its call, as
    with botocore's Stubber (a queued ``ThrottlingException`` is raised, not
    retried). ``Stubber(client, retries=True)`` keeps the client's retry policy:
    every attempt takes the next queued reply (queue three throttling errors to
    test ``max_attempts=3``); the backoff delay goes through ``Config.sleep``.

    Mismatches raise ``AssertionError`` subclasses at the call that does not
    match: :class:`UnStubbedResponseError` (nothing queued),
    :class:`StubResponseError` (another operation queued next),
    :class:`StubAssertionError` (parameters differ from ``expected_params``).
    """

    def __init__(self, client: ClientT, *, retries: bool = False) -> None:
        self.client = client
        self.retries = retries
        self._queue: collections.deque[_Queued] = collections.deque()
        self._saved: tuple[Any, Any, Any, Any] | None = None
        self._transport = _StubTransport(self)

    # ------------------------------------------------------------ activation

    def activate(self) -> None:
        """Route the client's calls to the queue (idempotent)."""
        if self._saved is not None:
            return
        client: Any = self.client
        pipeline = client._pipeline
        self._saved = (client._transport, client._credential_gate, pipeline.credentials, pipeline.retry)
        provider = StaticCredentialProvider(STUB_CREDENTIALS)
        client._transport = self._transport
        client._credential_gate = CredentialGate(provider)
        pipeline.credentials = provider
        if not self.retries:
            pipeline.retry = RetryPolicy("off", 1)

    def deactivate(self) -> None:
        """Give the client back its transport, credentials and retry policy."""
        if self._saved is None:
            return
        client: Any = self.client
        client._transport, client._credential_gate, client._pipeline.credentials, client._pipeline.retry = self._saved
        self._saved = None

    def __enter__(self) -> Self:
        self.activate()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.deactivate()

    @property
    def requests(self) -> list[HttpRequest]:
        """Every signed request the client sent while stubbed, in order."""
        return self._transport.requests

    # ------------------------------------------------------------ queueing

    @overload
    def add_response(
        self,
        method: Callable[..., ReplyT],
        service_response: ReplyT | Mapping[str, Any],
        expected_params: Mapping[str, Any] | None = None,
    ) -> None: ...

    @overload
    def add_response(
        self,
        method: str,
        service_response: Any,
        expected_params: Mapping[str, Any] | None = None,
    ) -> None: ...

    def add_response(
        self,
        method: Any,
        service_response: Any,
        expected_params: Mapping[str, Any] | None = None,
    ) -> None:
        """Queue a successful reply.

        ``method``: the client method (``client.create_case``, type-checked
        against ``service_response``) or its name (``"create_case"``, or the
        model's ``"CreateCase"``). ``service_response``: the reply model object,
        or the dict a boto3 test would pass (wire names: ``{"caseId": "c-1"}``;
        bytes and datetimes allowed). A ``ResponseMetadata`` key in the dict sets
        the reply's ``RequestId``, ``HTTPStatusCode`` (default 200) and
        ``HTTPHeaders`` and is not part of the body. ``expected_params``: the
        wire-named parameters the call must send (:data:`ANY` matches
        anything), as in botocore; ``None`` checks nothing.
        """
        name = self._method_name(method)
        meta: Mapping[str, Any] = {}
        if isinstance(service_response, Mapping) and "ResponseMetadata" in service_response:
            service_response = dict(service_response)
            meta = service_response.pop("ResponseMetadata") or {}
        response = self._response(
            int(meta.get("HTTPStatusCode", 200)), _reply_body(service_response), meta
        )
        self._queue.append(_Queued(name, _operation_key(name), response, expected_params))

    def add_client_error(
        self,
        method: Callable[..., Any] | str,
        service_error_code: str = "",
        service_message: str = "",
        http_status_code: int = 400,
        service_error_meta: Mapping[str, Any] | None = None,
        expected_params: Mapping[str, Any] | None = None,
        response_meta: Mapping[str, Any] | None = None,
        modeled_fields: Mapping[str, Any] | None = None,
    ) -> None:
        """Queue an error reply (botocore's ``add_client_error``, same parameters).

        The reply is an awsJson error document (``__type`` = ``service_error_code``,
        ``message`` = ``service_message``, plus ``modeled_fields``, the error
        shape's members by wire name) with status ``http_status_code``; the
        client maps it to its error class as it would a real reply.
        ``service_error_meta`` adds keys to the document; ``response_meta`` may
        set ``RequestId`` and ``HTTPHeaders``.
        """
        name = self._method_name(method)
        document: dict[str, Any] = {"__type": service_error_code, "message": service_message}
        document.update(service_error_meta or {})
        document.update(modeled_fields or {})
        if not service_error_code:
            del document["__type"]
        response = self._response(
            http_status_code, json.dumps(_to_wire(document)).encode("utf-8"), response_meta or {}
        )
        self._queue.append(_Queued(name, _operation_key(name), response, expected_params))

    def assert_no_pending_responses(self) -> None:
        """Raise ``AssertionError`` when queued replies were not used."""
        if self._queue:
            names = ", ".join(q.operation for q in self._queue)
            raise AssertionError(f"{len(self._queue)} responses remaining in queue: {names}")

    # ------------------------------------------------------------ internals

    @staticmethod
    def _method_name(method: Callable[..., Any] | str) -> str:
        if isinstance(method, str):
            return method
        name = getattr(method, "__name__", None)
        if not isinstance(name, str):
            raise TypeError(f"method must be a client method or its name, not {method!r}")
        return name

    @staticmethod
    def _response(status: int, body: bytes, meta: Mapping[str, Any]) -> HttpResponse:
        headers = {str(k).lower(): str(v) for k, v in (meta.get("HTTPHeaders") or {}).items()}
        headers.setdefault("x-amzn-requestid", str(meta.get("RequestId") or "stubbed-request-id"))
        headers.setdefault("content-type", "application/x-amz-json-1.1")
        headers["content-length"] = str(len(body))
        return HttpResponse(status, headers, body)

    def _answer(self, request: HttpRequest) -> HttpResponse:
        target = request.headers.get("X-Amz-Target", "")
        operation = target.rsplit(".", 1)[-1]
        if not self._queue:
            raise UnStubbedResponseError(
                operation,
                "Unexpected API Call: A call was made but no additional calls expected. "
                "Either the API Call was not stubbed or it was called multiple times.",
            )
        queued = self._queue[0]
        if queued.key != _operation_key(operation):
            raise StubResponseError(operation, f"Operation mismatch: found response for {queued.operation}.")
        if queued.expected_params is not None:
            sent = json.loads(request.body or b"{}")
            expected = _to_wire(queued.expected_params)
            if not (sorted(expected) == sorted(sent) and all(expected[k] == sent[k] for k in expected)):
                raise StubAssertionError(
                    operation,
                    f"Expected parameters:\n{pprint.pformat(expected)},\n"
                    f"but received:\n{pprint.pformat(sent)}",
                )
        self._queue.popleft()
        return queued.response


class MotoTransport:
    """A transport that hands each signed request to moto's in-process backends.

    Use inside ``moto.mock_aws()`` (decorator, context manager, or ``start()``):
    the request goes to moto's dispatch (the function moto registers on
    botocore's ``before-send`` event), which runs the backend in this process
    and returns its reply. No server, no socket, no thread. Backend state is
    moto's: a client with this transport sees what boto3 clients inside the
    same ``mock_aws`` see.

    Raises :class:`MotoNotActiveError` when ``mock_aws`` is not active or moto
    has no backend for the URL (a custom ``endpoint_url``: leave it unset so the
    client resolves the service's real host name, which moto matches).
    """

    def send(self, request: HttpRequest) -> HttpResponse:
        from botocore.awsrequest import AWSPreparedRequest  # type: ignore[import-untyped]
        from botocore.compat import HTTPHeaders  # type: ignore[import-untyped]
        from moto.core.models import botocore_stubber

        if not botocore_stubber.enabled:
            raise MotoNotActiveError(
                "MotoTransport needs moto's mock_aws to be active (with mock_aws(): ...)"
            )
        headers = HTTPHeaders()
        for name, value in request.headers.items():
            headers[name] = value
        prepared = AWSPreparedRequest(
            method=request.method,
            url=request.url,
            headers=headers,
            body=request.body,
            stream_output=False,
        )
        reply = botocore_stubber("before-send", prepared)
        if reply is None:
            raise MotoNotActiveError(f"moto has no backend for {request.url!r}")
        return HttpResponse(
            int(reply.status_code),
            {str(k).lower(): str(v) for k, v in reply.headers.items()},
            bytes(reply.content or b""),
        )

    def close(self) -> None:
        """Nothing to close."""

    def __repr__(self) -> str:
        return "MotoTransport()"
