"""Interceptors: user code that runs at fixed points of every call.

An interceptor is an object with up to four methods that the call pipeline
(:mod:`aws_runtime.pipeline`) calls for every attempt. The sync and the async
client run the same pipeline, so one interceptor works with both. Subclass
:class:`Interceptor` and override what you need; the base methods do nothing::

    from aws_runtime.http import HttpRequest
    from aws_runtime.interceptors import CallContext, Interceptor

    class TraceHeader(Interceptor):
        def before_sign(self, context: CallContext, request: HttpRequest) -> None:
            request.headers["X-Trace-Id"] = context.invocation_id   # signed with the rest

    client = SupportClient(region_name="us-east-1", interceptors=[TraceHeader()])
    client.add_interceptor(AnotherOne())                             # several per client

The points, per attempt (a call with retries passes them once per attempt):

1. ``before_sign(context, request)``: the request is built (method, URL,
   headers, body) and not yet signed. Headers may be added or changed here;
   they are signed with the others. botocore's equivalent: the
   ``before-sign.<service>.<Operation>`` event.
2. ``after_sign(context, request)``: the request as it will be sent,
   ``Authorization`` included. Changing it now breaks the signature: look, do
   not touch. (botocore: ``before-send``.)
3. ``after_reply(context, outcome)``: the attempt's outcome, before it is
   parsed or mapped to an error: an :class:`~aws_runtime.http.HttpResponse`
   (any status; ``status``, ``headers`` with lower-cased names, ``body``
   bytes) or the :class:`~aws_runtime.errors.TransportError` when no reply
   came (timeout, reset). (botocore: ``needs-retry`` sees the same.)
4. ``on_retry_decision(context, error, decision)``: after a failed attempt
   (an error reply or no reply), ``error`` and what the retry policy decided:
   ``decision.action`` is ``"retry"``, ``"correct_clock"``,
   ``"refresh_credentials"`` or ``"raise"``, ``decision.delay`` the backoff in
   seconds.

``context`` (:class:`CallContext`) carries ``operation_name``, ``params`` (the
input as sent: wire names, JSON-ready; read-only), ``invocation_id`` (the
``amz-sdk-invocation-id`` of every attempt), ``attempt`` (from 1) and ``data``
(a dict private to the call, shared by all interceptors and attempts).

Rules:

* Interceptors run in the order they were registered (``interceptors=`` at
  construction first, then each ``add_interceptor``), at every point.
* Hooks are plain (non-async) methods, also on the async client: they run
  inline in the pipeline and must not block on I/O.
* An exception raised by a hook is not caught, wrapped or retried: the call
  stops and the exception reaches the caller as itself.

The classes are defined in :mod:`aws_runtime.pipeline`, next to the points that
call them; this module is their documented home.
"""

from __future__ import annotations

from .pipeline import CallContext, Interceptor
from .retries import Decision

__all__ = ["HOOKS", "CallContext", "Decision", "Interceptor", "check_interceptor"]

HOOKS = ("before_sign", "after_sign", "after_reply", "on_retry_decision")
"""The hook method names, in the order they run within an attempt."""


def check_interceptor(interceptor: object) -> None:
    """Raise ``TypeError`` unless ``interceptor`` is an instance with every hook method
    (an :class:`Interceptor` subclass instance has them all). Catches a class passed
    instead of an instance, or a plain function, at registration rather than mid-call."""
    if isinstance(interceptor, type) or not all(callable(getattr(interceptor, h, None)) for h in HOOKS):
        raise TypeError(
            f"interceptor {interceptor!r} must be an instance with the methods "
            f"{', '.join(HOOKS)}: subclass aws_runtime.interceptors.Interceptor"
        )
