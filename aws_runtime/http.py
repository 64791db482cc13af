"""Plain HTTP request and response values passed between the sans-IO core and a transport."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["HttpRequest", "HttpResponse"]


@dataclass(slots=True)
class HttpRequest:
    """An HTTP request ready to sign and send.

    ``url`` is absolute (``https://host[:port]/path[?query]``); ``headers``
    keeps insertion order and the caller's spelling; ``body`` is the exact
    bytes sent.
    """

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(slots=True)
class HttpResponse:
    """An HTTP reply: status, headers with lower-cased names, and the full body."""

    status: int
    headers: dict[str, str]
    body: bytes
