"""Interceptors: user code that runs at fixed points of every call.

An interceptor is an object with up to four methods, called by the client's
call pipeline (the same pipeline serves the sync and the async client, so one
interceptor works with both). Subclass :class:`Interceptor` and override what
you need; the base methods do nothing::

    from aws_runtime.interceptors import Interceptor, CallContext
    from aws_runtime.http import HttpRequest

    class TraceHeader(Interceptor):
        def before_signing(self, context: CallContext, request: HttpRequest) -> None:
            request.headers["X-Trace-Id"] = context.invocation_id   # signed with the rest

    client = SupportClient(region_name="us-east-1", interceptors=[TraceHeader()])
    client.add_interceptor(AnotherOne())                             # several per client

The points, per attempt (a call with retries passes them once per attempt):

1. :meth:`Interceptor.before_signing` ``(context, request)``: the request is
   built (method, URL, headers, body) and not yet signed. Headers may be added
   or changed here; they are signed with the others. Botocore's equivalent is
   the ``before-sign.<service>.<Operation>`` event.
2. :meth:`Interceptor.after_signing` ``(context, request)``: the request as it
   will be sent, ``Authorization`` included. Changing it now breaks the
   signature; look, do not touch. (botocore: ``before-send``.)
3. :meth:`Interceptor.after_reply` ``(context, response)``: an HTTP reply
   arrived (any status): ``response.status``, ``response.headers`` (lower-cased
   names) and ``response.body`` (bytes), before it is parsed or mapped to an
   error. Not called when no reply came (timeout, reset). (botocore:
   ``needs-retry`` sees the same.)
4. :meth:`Interceptor.on_retry_decision` ``(context, decision)``: after a
   failed attempt (error reply or no reply), what the retry policy decided:
   ``decision.action`` is ``"retry"``, ``"correct_clock"``,
   ``"refresh_credentials"`` or ``"raise"``, with ``decision.delay`` (seconds)
   and ``context.error`` the error of that attempt.

Rules:

* Interceptors run in the order they were registered, at every point.
* Hooks are plain (non-async) functions, also on the async client: they run
  inline in the pipeline and must not block on I/O.
* An exception raised by a hook is not caught, wrapped or retried: the call
  stops and the exception surfaces to the caller as itself.
* ``context.params`` is the operation input as sent (a dict with the model's
  wire names); treat it as read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .http import HttpRequest, HttpResponse
from .retries import Decision

__all__ = ["CallContext", "Interceptor", "InterceptorChain"]


@dataclass(slots=True)
class CallContext:
    """What an interceptor knows about the call it is called for.

    Attributes:
        service_id: the model's ``serviceId`` (``"Support"``).
        operation_name: the model's operation name (``"CreateCase"``).
        params: the serialized input (wire names, JSON-ready values).
        invocation_id: the ``amz-sdk-invocation-id`` shared by every attempt of the call.
        attempt: the attempt number, from 1.
        error: the error of the last failed attempt (set before
            :meth:`Interceptor.on_retry_decision`), else ``None``.
        data: a dict private to the call, shared by every interceptor and every
            attempt (e.g. a start time set in ``before_signing`` and read in
            ``after_reply``).
    """

    service_id: str
    operation_name: str
    params: Mapping[str, Any]
    invocation_id: str
    attempt: int = 0
    error: BaseException | None = None
    data: dict[str, Any] = field(default_factory=dict)


class Interceptor:
    """Base class of interceptors: every hook does nothing until overridden.

    See :mod:`aws_runtime.interceptors` for when each hook runs and what it may
    change. Any exception a hook raises ends the call and reaches the caller
    unchanged.
    """

    def before_signing(self, context: CallContext, request: HttpRequest) -> None:
        """The unsigned request of one attempt; ``request.headers`` may be changed."""

    def after_signing(self, context: CallContext, request: HttpRequest) -> None:
        """The signed request of one attempt, as it will be sent (do not change it)."""

    def after_reply(self, context: CallContext, response: HttpResponse) -> None:
        """The HTTP reply to one attempt (any status), before parsing."""

    def on_retry_decision(self, context: CallContext, decision: Decision) -> None:
        """What the retry policy decided after a failed attempt (``context.error``)."""


class InterceptorChain:
    """The interceptors of one client, in registration order; runs one point for all.

    Empty chains are falsy, so the pipeline skips all of this for clients
    without interceptors.
    """

    __slots__ = ("_items",)

    def __init__(self, interceptors: Iterable[Interceptor] = ()) -> None:
        self._items: tuple[Interceptor, ...] = ()
        for interceptor in interceptors:
            self.add(interceptor)

    def add(self, interceptor: Interceptor) -> None:
        """Register one more interceptor, after the existing ones.

        Raises ``TypeError`` when ``interceptor`` has none of the four hook methods
        (a class passed instead of an instance, a function).
        """
        hooks = ("before_signing", "after_signing", "after_reply", "on_retry_decision")
        if isinstance(interceptor, type) or not any(callable(getattr(interceptor, h, None)) for h in hooks):
            raise TypeError(
                f"interceptor {interceptor!r} must be an instance with at least one of the "
                f"methods {', '.join(hooks)} (subclass aws_runtime.interceptors.Interceptor)"
            )
        self._items = (*self._items, interceptor)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._items)

    def before_signing(self, context: CallContext, request: HttpRequest) -> None:
        for interceptor in self._items:
            hook = getattr(interceptor, "before_signing", None)
            if hook is not None:
                hook(context, request)

    def after_signing(self, context: CallContext, request: HttpRequest) -> None:
        for interceptor in self._items:
            hook = getattr(interceptor, "after_signing", None)
            if hook is not None:
                hook(context, request)

    def after_reply(self, context: CallContext, response: HttpResponse) -> None:
        for interceptor in self._items:
            hook = getattr(interceptor, "after_reply", None)
            if hook is not None:
                hook(context, response)

    def on_retry_decision(self, context: CallContext, decision: Decision) -> None:
        for interceptor in self._items:
            hook = getattr(interceptor, "on_retry_decision", None)
            if hook is not None:
                hook(context, decision)
