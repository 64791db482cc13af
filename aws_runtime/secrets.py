"""Keeping secrets out of text: a wrapper for secret strings and redacting reprs.

The secret access key, the session token and a proxy password must never be
shown by ``str``, ``repr``, logs, pickles or tracebacks formatted with
``capture_locals=True`` (which calls ``repr`` on every local of every frame).
The runtime therefore:

* holds them in :class:`Secret`, whose ``repr``/``str`` hide the value and
  which refuses to be pickled; the value is read with :meth:`Secret.reveal`
  only where it is used (signing, the ``Proxy-Authorization`` header);
* keeps HTTP headers in :class:`RedactedHeaders`, a ``dict`` whose ``repr``
  replaces ``Authorization``, ``X-Amz-Security-Token`` and
  ``Proxy-Authorization`` values with ``<redacted>``;
* shows URLs through :func:`redact_url` (user info replaced by ``***``, as
  botocore's ``httpsession.mask_proxy_url``) and the environment through
  :class:`EnvironView` (a mapping whose ``repr`` lists no values).

Sans-IO, standard library only.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NoReturn
from urllib.parse import urlsplit

__all__ = [
    "REDACTED",
    "SENSITIVE_HEADERS",
    "EnvironView",
    "RedactedHeaders",
    "Secret",
    "redact_text",
    "redact_url",
]

REDACTED = "<redacted>"

SENSITIVE_HEADERS = frozenset({"authorization", "x-amz-security-token", "proxy-authorization"})
"""Header names (lower case) whose values are never shown."""


class Secret:
    """A secret string that does not show itself.

    ``repr()`` and ``str()`` give ``Secret('<redacted>')``; pickling raises
    ``TypeError`` (a pickle is text on disk or on a wire); comparison is in
    constant time. :meth:`reveal` returns the value.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"Secret wraps a str, got {type(value).__name__}")
        self._value = value

    def reveal(self) -> str:
        """The secret value (use it, never print it)."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode("utf-8"), other._value.encode("utf-8"))

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret (secret key, session token or proxy password) cannot be pickled")

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret:
        return self

    def __copy__(self) -> Secret:
        return self


class RedactedHeaders(dict[str, str]):
    """A header ``dict`` whose ``repr`` hides credential-bearing values.

    Behaves as a plain ``dict`` otherwise (the transport sends the real values).
    ``copy()`` keeps the type so copies stay redacted.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        shown = {
            name: (REDACTED if name.lower() in SENSITIVE_HEADERS else value)
            for name, value in self.items()
        }
        return f"RedactedHeaders({shown!r})"

    __str__ = __repr__

    def copy(self) -> RedactedHeaders:
        return RedactedHeaders(self)

    def __reduce__(self) -> tuple[Any, ...]:
        items = {k: (REDACTED if k.lower() in SENSITIVE_HEADERS else v) for k, v in self.items()}
        return (RedactedHeaders, (items,))


class EnvironView(Mapping[str, str]):
    """A read-only view of an environment mapping whose ``repr`` shows no values.

    Code that keeps ``os.environ`` in a local variable would otherwise print
    every variable (``AWS_SECRET_ACCESS_KEY`` included) in a traceback formatted
    with ``capture_locals=True``.
    """

    __slots__ = ("_env",)

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def __getitem__(self, key: str) -> str:
        return self._env[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._env)

    def __len__(self) -> int:
        return len(self._env)

    def __repr__(self) -> str:
        return f"<environment: {len(self._env)} variables>"


def redact_url(url: str) -> str:
    """``url`` with any user info replaced by ``***`` (``http://***@proxy:3128``).

    Never raises; text that is not a URL is returned with everything before an
    ``@`` in its authority masked.
    """
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
    except ValueError:
        return "<unparseable URL>"
    if "@" not in netloc:
        return url
    host = netloc.rpartition("@")[2]
    return url.replace(netloc, "***@" + host, 1)


def redact_text(text: str, secrets: Iterable[Secret | str | None]) -> str:
    """``text`` with every occurrence of each non-empty secret (and its
    percent-encoded form) replaced by ``<redacted>``: a last line of defence for
    messages built from third-party exception text."""
    from urllib.parse import quote

    for secret in secrets:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if not value:
            continue
        for form in {value, quote(value, safe="")}:
            text = text.replace(form, REDACTED)
    return text
