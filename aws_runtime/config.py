"""Client configuration: timeouts, pooling, retries, validation, endpoint flags, proxies,
TLS client certificate, reply size limit and per-call deadline.

Settings left as ``None`` are resolved when a client is built, in the order
boto3 users expect: the ``Config`` value, then the environment variable, then
the profile in the shared config file, then the default. See :meth:`Config.resolve`.
"""

from __future__ import annotations

import logging
import os
import random as _random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from .compression import DEFAULT_MIN_COMPRESSION_SIZE, MAX_MIN_COMPRESSION_SIZE
from .netconfig import DEFAULT_MAX_RESPONSE_BYTES
from .secrets import EnvironView, redact_url

if TYPE_CHECKING:
    from .credentials import ProfileSettings

__all__ = ["RETRY_MODES", "Config"]

RETRY_MODES = ("standard", "legacy", "adaptive", "off")
"""Retry modes: botocore's ``standard`` (the default), ``legacy`` and ``adaptive``,
and this client's ``off`` (exactly one attempt). See :mod:`aws_runtime.retries`."""

_BOTO3_RETRY_MODES = ("legacy", "standard", "adaptive")  # botocore config.py _validate_retry_configuration
_RETRIES_KEYS = ("max_attempts", "mode", "total_max_attempts")
_TRUE = ("true", "1", "yes")
USERAGENT_APPID_MAXLEN = 50  # botocore args.py: longer values are logged as a warning
logger = logging.getLogger("aws_runtime")


@dataclass(frozen=True, kw_only=True)
class Config:
    """Runtime settings shared by every generated client.

    Attributes:
        connect_timeout: seconds to wait for a TCP/TLS connection (boto3: 60).
        read_timeout: seconds to wait for reply bytes on an open connection (boto3: 60).
        max_pool_connections: connections kept per host (boto3: 10). As in
            boto3 the pool does not block: more concurrent calls than this open
            extra connections, which are closed after use instead of pooled.
        retries: boto3's retry dict, with boto3's meaning (botocore ``config.py``,
            ``args.py`` ``_compute_retry_config``): ``"mode"`` (``"standard"``,
            ``"legacy"`` or ``"adaptive"``), ``"total_max_attempts"`` (attempts,
            the first included, >= 1) or ``"max_attempts"`` (retries after the
            first attempt, >= 0; ignored when ``total_max_attempts`` is given).
        retry_mode: this client's spelling of ``retries["mode"]``, also accepting
            ``"off"`` (exactly one attempt, no corrections). ``None`` reads
            ``AWS_RETRY_MODE``, then the profile's ``retry_mode``, default
            ``"standard"``. Give it or ``retries["mode"]``, not both.
        total_max_attempts: this client's spelling of ``retries["total_max_attempts"]``:
            attempts per call, the first included (>= 1). ``None`` reads
            ``AWS_MAX_ATTEMPTS``, then the profile's ``max_attempts`` (both count
            attempts, as in boto3), default per mode and service (standard and
            adaptive: 3, DynamoDB 4; legacy: botocore's ``_retry.json``, 5,
            DynamoDB 10). Give it or a ``retries`` count, not both.
        validate: run client-side parameter validation before sending
            (botocore's ``parameter_validation``).
        use_fips_endpoint: ``None`` reads ``AWS_USE_FIPS_ENDPOINT``, default False.
        use_dualstack_endpoint: ``None`` reads ``AWS_USE_DUALSTACK_ENDPOINT``,
            default False.
        user_agent_appid: application id sent in the User-Agent as ``app/<id>``
            (botocore ``useragent.py``; characters outside ``A-Za-z0-9!$%&'*+-.^_`|~,#``
            become ``-``). ``None`` reads ``AWS_SDK_UA_APP_ID``, then the profile's
            ``sdk_ua_app_id``.
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

    Invalid values raise ``ValueError`` naming the setting and where it came
    from: at construction for arguments, in :meth:`resolve` (when a client is
    built) for environment variables and profile settings.

    ``repr()`` masks user info in proxy URLs, and pickling a ``Config`` whose proxy
    URLs carry user info raises ``TypeError`` (the password would be in the pickle).
    """

    connect_timeout: float = 60.0
    read_timeout: float = 60.0
    max_pool_connections: int = 10
    retries: Mapping[str, Any] | None = None
    retry_mode: str | None = None
    total_max_attempts: int | None = None
    validate: bool = True
    use_fips_endpoint: bool | None = None
    use_dualstack_endpoint: bool | None = None
    user_agent_appid: str | None = None
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
        if self.total_max_attempts is not None and not _is_int(self.total_max_attempts, 1):
            problems.append(
                "total_max_attempts must be an int >= 1 (attempts, the first included), "
                f"got {self.total_max_attempts!r}"
            )
        problems.extend(self._retries_problems())
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
        if self.user_agent_appid is not None and not isinstance(self.user_agent_appid, str):
            problems.append(f"user_agent_appid must be a str, got {self.user_agent_appid!r}")
        if problems:
            raise ValueError("Invalid Config: " + "; ".join(problems))

    def _retries_problems(self) -> list[str]:
        """botocore ``Config._validate_retry_configuration``, plus the clashes with this
        client's own spelling."""
        retries = self.retries
        if retries is None:
            return []
        if not isinstance(retries, Mapping):
            return [f"retries must be a dict, got {type(retries).__name__}"]
        problems = []
        for key, value in retries.items():
            if key not in _RETRIES_KEYS:
                problems.append(
                    f"retries[{key!r}] is not a retry setting (valid: {', '.join(_RETRIES_KEYS)})"
                )
            elif key == "mode" and value not in _BOTO3_RETRY_MODES:
                problems.append(
                    f"retries['mode'] must be one of {', '.join(_BOTO3_RETRY_MODES)}, got {value!r}"
                    + (" (for one attempt use retry_mode='off')" if value == "off" else "")
                )
            elif key == "max_attempts" and not _is_int(value, 0):
                problems.append(
                    "retries['max_attempts'] must be an int >= 0 (retries after the first "
                    f"attempt, as in boto3), got {value!r}"
                )
            elif key == "total_max_attempts" and not _is_int(value, 1):
                problems.append(
                    "retries['total_max_attempts'] must be an int >= 1 (attempts, the first "
                    f"included), got {value!r}"
                )
        if "mode" in retries and self.retry_mode is not None:
            problems.append("give the retry mode once: retry_mode or retries['mode'], not both")
        if self.total_max_attempts is not None and (
            "max_attempts" in retries or "total_max_attempts" in retries
        ):
            problems.append(
                "give the attempt count once: total_max_attempts or retries['total_max_attempts'] / "
                "retries['max_attempts'], not both"
            )
        return problems

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

    def resolve(
        self,
        environ: Mapping[str, str] | None = None,
        profile: ProfileSettings | None = None,
    ) -> Config:
        """Return a copy with the settings left ``None`` filled in, as botocore orders
        them: this ``Config`` (argument), then the environment, then ``profile`` (the
        shared config file's profile, :func:`aws_runtime.credentials.profile_settings`),
        then the default.

        Retries (botocore ``args.py`` ``_compute_retry_config``): the mode from
        ``retry_mode``/``retries["mode"]``, ``AWS_RETRY_MODE``, the profile's
        ``retry_mode``, else ``"standard"``; the attempt count from
        ``total_max_attempts``/``retries["total_max_attempts"]``,
        ``retries["max_attempts"] + 1``, ``AWS_MAX_ATTEMPTS``, the profile's
        ``max_attempts``, else ``None`` (the mode's default for the service,
        applied by :class:`~aws_runtime.retries.RetryPolicy`). The result has
        ``retries=None`` and ``retry_mode`` set. The app id from
        ``user_agent_appid``, ``AWS_SDK_UA_APP_ID``, the profile's ``sdk_ua_app_id``.
        Also ``AWS_USE_FIPS_ENDPOINT``, ``AWS_USE_DUALSTACK_ENDPOINT``
        (``true``/``false``), ``AWS_DISABLE_REQUEST_COMPRESSION`` and
        ``AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`` and ``BOTOCORE_TCP_KEEPALIVE`` (left
        ``None`` when unset: the client then reads the profile).

        Raises ``ValueError`` naming the setting and its source (environment
        variable or profile) for an unknown retry mode, an attempt count that is
        not an integer >= 1, or another unparseable value.
        """
        env = EnvironView(os.environ if environ is None else environ)  # repr shows no values
        retries = self.retries or {}
        mode = self.retry_mode or retries.get("mode")
        if mode is None:
            mode = _mode_from(env.get("AWS_RETRY_MODE", "").strip(), "AWS_RETRY_MODE (environment variable)")
        if mode is None and profile is not None and profile.retry_mode is not None:
            mode = _mode_from(profile.retry_mode.strip(), _profile_source("retry_mode", profile))
        attempts = self.total_max_attempts
        if attempts is None:
            if "total_max_attempts" in retries:
                attempts = retries["total_max_attempts"]
            elif "max_attempts" in retries:
                attempts = retries["max_attempts"] + 1  # boto3: retries, not attempts
        if attempts is None:
            attempts = _attempts_from(
                env.get("AWS_MAX_ATTEMPTS", "").strip(), "AWS_MAX_ATTEMPTS (environment variable)"
            )
        if attempts is None and profile is not None and profile.max_attempts is not None:
            attempts = _attempts_from(profile.max_attempts.strip(), _profile_source("max_attempts", profile))
        appid = self.user_agent_appid
        if appid is None:
            appid = env.get("AWS_SDK_UA_APP_ID") or None
        if appid is None and profile is not None:
            appid = profile.sdk_ua_app_id or None
        if appid is not None and len(appid) > USERAGENT_APPID_MAXLEN:
            logger.warning(
                "The configured value for user_agent_appid exceeds the maximum length of %d "
                "characters.",
                USERAGENT_APPID_MAXLEN,
            )
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
            retries=None,
            retry_mode=mode or "standard",
            total_max_attempts=attempts,
            user_agent_appid=appid,
            tcp_keepalive=keepalive,
            use_fips_endpoint=fips,
            use_dualstack_endpoint=dualstack,
            disable_request_compression=no_compression,
            request_min_compression_size_bytes=min_size,
        )


def _is_int(value: object, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _profile_source(key: str, profile: ProfileSettings) -> str:
    return f"{key} in profile {profile.profile!r} of the shared config file"


def _mode_from(raw: str, source: str) -> str | None:
    if not raw:
        return None
    if raw not in RETRY_MODES:
        raise ValueError(
            f"Invalid retry setting: {source} must be one of {', '.join(RETRY_MODES)}, got {raw!r}"
        )
    return raw


def _attempts_from(raw: str, source: str) -> int | None:
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(
            f"Invalid retry setting: {source} must be an integer >= 1 (total attempts, the "
            f"first included), got {raw!r}"
        )
    return value


def _valid_compression_size(value: object) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value <= MAX_MIN_COMPRESSION_SIZE
    )
