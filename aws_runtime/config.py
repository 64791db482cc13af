"""Client configuration: timeouts, pooling, retries, validation, endpoint flags, proxies,
TLS client certificate, reply size limit and per-call deadline.

Settings left as ``None`` are resolved when a client is built, in the order
boto3 users expect: the ``Config`` value, then the environment variable, then
the default. See :meth:`Config.resolve`.
"""

from __future__ import annotations

import os
import random as _random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .compression import DEFAULT_MIN_COMPRESSION_SIZE, MAX_MIN_COMPRESSION_SIZE
from .netconfig import DEFAULT_MAX_RESPONSE_BYTES
from .secrets import EnvironView, redact_url

__all__ = ["RETRY_MODES", "Config"]

RETRY_MODES = ("standard", "off")
"""Supported retry modes. ``legacy`` and ``adaptive`` (botocore) are not offered."""

_TRUE = ("true", "1", "yes")
_ENV_RETRY_MODES = {
    "": "standard",
    "standard": "standard",
    "legacy": "standard",
    "adaptive": "standard",
    "off": "off",
}
DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True, kw_only=True)
class Config:
    """Runtime settings shared by every generated client.

    Attributes:
        connect_timeout: seconds to wait for a TCP/TLS connection (boto3: 60).
        read_timeout: seconds to wait for reply bytes on an open connection (boto3: 60).
        max_pool_connections: connections kept per host (boto3: 10). As in
            boto3 the pool does not block: more concurrent calls than this open
            extra connections, which are closed after use instead of pooled.
        retry_mode: ``"standard"`` or ``"off"`` (exactly one attempt per call);
            ``None`` reads ``AWS_RETRY_MODE``, default ``"standard"``. See
            :mod:`aws_runtime.retries` for what standard mode retries.
        max_attempts: total attempts per call including the first (>= 1);
            ``None`` reads ``AWS_MAX_ATTEMPTS``, default 3.
        validate: run client-side parameter validation before sending
            (botocore's ``parameter_validation``).
        use_fips_endpoint: ``None`` reads ``AWS_USE_FIPS_ENDPOINT``, default False.
        use_dualstack_endpoint: ``None`` reads ``AWS_USE_DUALSTACK_ENDPOINT``,
            default False.
        user_agent_extra: appended to the User-Agent header.
        disable_request_compression: never compress request bodies; ``None``
            reads ``AWS_DISABLE_REQUEST_COMPRESSION``, default False.
        request_min_compression_size_bytes: bodies of operations with the
            ``requestcompression`` trait are gzipped from this size on
            (0 to 10485760); ``None`` reads
            ``AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES``, default 10240 (botocore's).
        proxies: proxy URLs by URL scheme (``{"https": "http://proxy:3128"}``) or by
            ``"scheme://host"``; user and password in the URL are sent as
            ``Proxy-Authorization`` and never shown. ``None`` (default) reads
            ``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY`` (lower case wins); ``{}``
            turns environment proxies off. Checked when a client is built. See
            :func:`aws_runtime.netconfig.resolve_proxies`.
        proxies_config: ``proxy_ca_bundle`` (CA bundle verifying an ``https://``
            proxy), ``proxy_client_cert`` (path or ``(cert, key)``),
            ``proxy_use_forwarding_for_https`` (as botocore's ``Config``).
        client_cert: client certificate for mutual TLS: a PEM file holding
            certificate and key, or a ``(cert, key)`` tuple of paths.
        tcp_keepalive: turn on TCP keep-alive probes; ``None`` reads
            ``BOTOCORE_TCP_KEEPALIVE``, then the profile's ``tcp_keepalive``, default False.
        max_response_bytes: largest reply body read, in bytes (default 64 MiB, see
            :data:`aws_runtime.netconfig.DEFAULT_MAX_RESPONSE_BYTES`). A larger
            ``Content-Length`` is refused before reading; a streamed body stops at
            the limit. Raises :class:`~aws_runtime.errors.ResponseTooLargeError`.
        call_timeout: seconds one call may take in all, counting every attempt,
            backoff sleep and body read; ``None`` (default, as boto3) for no limit.
            Raises :class:`~aws_runtime.errors.CallTimeoutError`.
        sleep: called with the backoff delay in seconds between attempts;
            inject a fake to make retry tests instant.
        random: returns a float in [0, 1) for backoff jitter; injectable.

    ``repr()`` masks user info in proxy URLs, and pickling a ``Config`` whose proxy
    URLs carry user info raises ``TypeError`` (the password would be in the pickle).
    """

    connect_timeout: float = 60.0
    read_timeout: float = 60.0
    max_pool_connections: int = 10
    retry_mode: str | None = None
    max_attempts: int | None = None
    validate: bool = True
    use_fips_endpoint: bool | None = None
    use_dualstack_endpoint: bool | None = None
    user_agent_extra: str | None = None
    disable_request_compression: bool | None = None
    request_min_compression_size_bytes: int | None = None
    proxies: Mapping[str, str | None] | None = None
    proxies_config: Mapping[str, Any] | None = None
    client_cert: str | tuple[str, str] | None = None
    tcp_keepalive: bool | None = None
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    call_timeout: float | None = None
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    random: Callable[[], float] = field(default=_random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = []
        if self.retry_mode is not None and self.retry_mode not in RETRY_MODES:
            problems.append(
                f"retry_mode must be one of {', '.join(RETRY_MODES)}, got {self.retry_mode!r}"
            )
        if self.max_attempts is not None and (
            isinstance(self.max_attempts, bool)
            or not isinstance(self.max_attempts, int)
            or self.max_attempts < 1
        ):
            problems.append(f"max_attempts must be an int >= 1, got {self.max_attempts!r}")
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                problems.append(f"{name} must be a number of seconds > 0, got {value!r}")
        if (
            isinstance(self.max_pool_connections, bool)
            or not isinstance(self.max_pool_connections, int)
            or self.max_pool_connections < 1
        ):
            problems.append(
                f"max_pool_connections must be an int >= 1, got {self.max_pool_connections!r}"
            )
        size = self.request_min_compression_size_bytes
        if size is not None and not _valid_compression_size(size):
            problems.append(
                "request_min_compression_size_bytes must be an int from 0 to "
                f"{MAX_MIN_COMPRESSION_SIZE}, got {size!r}"
            )
        if self.tcp_keepalive is not None and not isinstance(self.tcp_keepalive, bool):
            problems.append(f"tcp_keepalive must be True, False or None, got {self.tcp_keepalive!r}")
        limit = self.max_response_bytes
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            problems.append(f"max_response_bytes must be an int >= 1, got {limit!r}")
        deadline = self.call_timeout
        if deadline is not None and (
            isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or not deadline > 0
        ):
            problems.append(f"call_timeout must be None or a number of seconds > 0, got {deadline!r}")
        if problems:
            raise ValueError("Invalid Config: " + "; ".join(problems))

    def __repr__(self) -> str:
        shown = []
        for f in fields(self):
            if not f.repr:
                continue
            value = getattr(self, f.name)
            if f.name == "proxies" and value is not None:
                try:
                    value = {
                        k: redact_url(v) if isinstance(v, str) else v for k, v in dict(value).items()
                    }
                except Exception:  # noqa: BLE001  # repr never raises
                    value = f"<{type(value).__name__}>"
            shown.append(f"{f.name}={value!r}")
        return f"Config({', '.join(shown)})"

    def __getstate__(self) -> dict[str, Any]:
        """Pickle state; refused when a proxy URL carries user info (its password)."""
        proxies = self.proxies
        if proxies and any(
            isinstance(v, str) and redact_url(v) != v for v in dict(proxies).values()
        ):
            raise TypeError(
                "a Config whose proxy URLs carry a user name or password cannot be pickled"
            )
        return self.__dict__.copy()

    def resolve(self, environ: Mapping[str, str] | None = None) -> Config:
        """Return a copy with every ``None`` setting filled from the environment.

        ``AWS_RETRY_MODE`` (``standard`` or ``off``; botocore's ``legacy`` and
        ``adaptive`` are read as ``standard``), ``AWS_MAX_ATTEMPTS`` (total
        attempts, >= 1), ``AWS_USE_FIPS_ENDPOINT`` and ``AWS_USE_DUALSTACK_ENDPOINT``
        (``true``/``false``), ``AWS_DISABLE_REQUEST_COMPRESSION`` and
        ``AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES``, ``BOTOCORE_TCP_KEEPALIVE`` (left None
        when unset: the client then reads the profile). Raises ``ValueError`` naming
        the variable for any other retry mode, attempt count or unparseable value.
        """
        env = EnvironView(os.environ if environ is None else environ)  # repr shows no values
        mode = self.retry_mode
        if mode is None:
            raw = env.get("AWS_RETRY_MODE", "").strip().lower()
            if raw not in _ENV_RETRY_MODES:
                raise ValueError(
                    "AWS_RETRY_MODE must be one of standard, off (legacy and adaptive are "
                    f"read as standard), got {raw!r}"
                )
            mode = _ENV_RETRY_MODES[raw]
        attempts = self.max_attempts
        if attempts is None:
            raw = env.get("AWS_MAX_ATTEMPTS", "").strip()
            if raw:
                try:
                    attempts = int(raw)
                except ValueError:
                    attempts = 0
                if attempts < 1:
                    raise ValueError(
                        f"AWS_MAX_ATTEMPTS must be an integer >= 1 (total attempts), got {raw!r}"
                    )
            else:
                attempts = DEFAULT_MAX_ATTEMPTS
        fips = self.use_fips_endpoint
        if fips is None:
            fips = env.get("AWS_USE_FIPS_ENDPOINT", "").strip().lower() in _TRUE
        dualstack = self.use_dualstack_endpoint
        if dualstack is None:
            dualstack = env.get("AWS_USE_DUALSTACK_ENDPOINT", "").strip().lower() in _TRUE
        no_compression = self.disable_request_compression
        if no_compression is None:
            no_compression = env.get("AWS_DISABLE_REQUEST_COMPRESSION", "").strip().lower() in _TRUE
        min_size = self.request_min_compression_size_bytes
        if min_size is None:
            raw = env.get("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "").strip()
            if raw:
                try:
                    min_size = int(raw)
                except ValueError:
                    min_size = -1
                if not _valid_compression_size(min_size):
                    raise ValueError(
                        "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES must be an integer from 0 to "
                        f"{MAX_MIN_COMPRESSION_SIZE}, got {raw!r}"
                    )
            else:
                min_size = DEFAULT_MIN_COMPRESSION_SIZE
        keepalive = self.tcp_keepalive
        if keepalive is None and env.get("BOTOCORE_TCP_KEEPALIVE", "").strip():
            # botocore configprovider 'tcp_keepalive': env BOTOCORE_TCP_KEEPALIVE, then
            # the profile (read by the client), utils.ensure_boolean
            keepalive = env["BOTOCORE_TCP_KEEPALIVE"].strip().lower() == "true"
        return replace(
            self,
            tcp_keepalive=keepalive,
            retry_mode=mode,
            max_attempts=attempts,
            use_fips_endpoint=fips,
            use_dualstack_endpoint=dualstack,
            disable_request_compression=no_compression,
            request_min_compression_size_bytes=min_size,
        )


def _valid_compression_size(value: object) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value <= MAX_MIN_COMPRESSION_SIZE
    )
