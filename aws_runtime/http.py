"""Plain HTTP request and response values passed between the sans-IO core and a transport."""

from __future__ import annotations

from dataclasses import dataclass, field

from .secrets import RedactedHeaders

__all__ = ["HttpRequest", "HttpResponse"]


@dataclass(slots=True, repr=False)
class HttpRequest:
    """An HTTP request ready to sign and send.

    ``url`` is absolute (``https://host[:port]/path[?query]``); ``headers``
    keeps insertion order and the caller's spelling (a
    :class:`~aws_runtime.secrets.RedactedHeaders`: a ``dict`` whose ``repr``
    hides ``Authorization``, ``X-Amz-Security-Token`` and
    ``Proxy-Authorization``); ``body`` is the exact bytes sent. ``repr()``
    never shows credential headers or the body.
    """

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=RedactedHeaders)
    body: bytes = b""

    def __post_init__(self) -> None:
        if self.headers.__class__ is not RedactedHeaders:
            self.headers = RedactedHeaders(self.headers)

    def __repr__(self) -> str:
        return (
            f"HttpRequest(method={self.method!r}, url={self.url!r}, "
            f"headers={self.headers!r}, body=<{len(self.body)} bytes>)"
        )


@dataclass(slots=True)
class HttpResponse:
    """An HTTP reply: status, headers with lower-cased names, and the full body."""

    status: int
    headers: dict[str, str]
    body: bytes
