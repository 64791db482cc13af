"""The call pipeline shared by every generated client.

A generated client subclasses :class:`BaseClient`, sets the service's
constants (:class:`ServiceSpec`, error map, compiled endpoint resolver) and
adds one method per operation. Each method validates its input, serializes it
to a JSON-ready dict and calls :meth:`BaseClient._call`, which runs:

endpoint (resolved once, at construction) → build request (awsJson) →
sign (SigV4, every attempt) → send (urllib3) → parse or raise → retry
decision (standard mode, retry quota) → typed result.

Everything but the transport is sans-IO and lives in the sibling modules.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from . import awsjson
from .compression import DEFAULT_MIN_COMPRESSION_SIZE, compress_request
from .config import Config
from .credentials import (
    BotocoreChainProvider,
    CredentialProvider,
    Credentials,
    StaticCredentialProvider,
    profile_settings,
)
from .endpoints import Endpoint
from .errors import (
    AWSError,
    ParamValidationError,
    ResponseParseError,
    ServiceError,
    TransportError,
)
from .http import HttpRequest, HttpResponse
from .retries import (
    CORRECT_CLOCK,
    REFRESH_CREDENTIALS,
    RETRY,
    CallState,
    RetryPolicy,
)
from .sigv4 import SigV4Signer
from .transport import Transport, Urllib3Transport
from .wire import WireTypeError, new_idempotency_token

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["RUNTIME_VERSION", "BaseClient", "InvalidRegionError", "NoRegionError", "ServiceSpec"]

RUNTIME_VERSION = "0.1.0"
logger = logging.getLogger("aws_runtime")

_T = TypeVar("_T")
_UTC = _dt.timezone.utc
_HOST_LABEL_VALUE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


class NoRegionError(AWSError, ValueError):
    """No region was given or configured and the service has no global default."""


class InvalidRegionError(AWSError, ValueError):
    """The region name is not a valid host label (botocore's ``InvalidRegionError``)."""


# botocore ``utils.validate_region_name``: the region becomes part of a host name.
_REGION_NAME = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$")


@dataclass(frozen=True)
class ServiceSpec:
    """Service constants from the model's ``metadata`` (and botocore's endpoints data).

    Attributes:
        service_id: ``metadata.serviceId`` (``"Support"``).
        signing_name: ``signingName`` or ``endpointPrefix`` (``"support"``).
        target_prefix: ``targetPrefix`` (``"AWSSupport_20130415"``).
        json_version: ``jsonVersion`` (``"1.1"``).
        api_version: ``apiVersion``.
        package: the generated package name, for the User-Agent.
        package_version: the generated package version, for the User-Agent.
        global_region: region used when none is configured (botocore's
            ``partitionEndpoint`` for the aws partition, e.g. ``aws-global``), or
            ``None`` when a region is required.
        query_compatible: ``awsQueryCompatible`` is set in the metadata.
    """

    service_id: str
    signing_name: str
    target_prefix: str
    json_version: str
    api_version: str
    package: str
    package_version: str
    global_region: str | None = None
    query_compatible: bool = False

    @property
    def config_key(self) -> str:
        """The serviceId in snake_case (``support``): the key under a ``services``
        section of the shared config file."""
        return self.service_id.lower().replace(" ", "_").replace("-", "_")

    @property
    def endpoint_env_var(self) -> str:
        """``AWS_ENDPOINT_URL_<SERVICE_ID>``: upper case, spaces and dashes as ``_``."""
        return "AWS_ENDPOINT_URL_" + self.service_id.upper().replace(" ", "_").replace("-", "_")


def _config_file_text() -> str:
    """The shared config file's text ("" when there is none), to decide whether botocore
    must be imported to read it."""
    path = os.path.expanduser(os.environ.get("AWS_CONFIG_FILE") or os.path.join("~", ".aws", "config"))
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def expand_host_prefix(template: str, labels: Mapping[str, str | None]) -> str:
    """Fill ``{Label}`` placeholders of an operation's ``endpoint.hostPrefix``.

    Each label value must be non-empty and consist of letters, digits, ``-`` and
    ``.`` (botocore ``serialize._expand_host_prefix``); otherwise a
    :class:`ParamValidationError` naming the member is raised.
    """
    problems = []
    values: dict[str, str] = {}
    for name, value in labels.items():
        if not value or not isinstance(value, str) or not set(value) <= _HOST_LABEL_VALUE:
            problems.append(
                f"Invalid value for parameter {name}, value: {value!r}: a host label must be "
                "non-empty and contain only letters, digits, '-' and '.'"
            )
        else:
            values[name] = value
    if problems:
        raise ParamValidationError(problems)
    return template.format(**values)


class BaseClient:
    """Shared machinery of generated clients; not used directly.

    Construction resolves, in order (each step as boto3 does):

    * region: ``region_name``, ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the
      profile's ``region`` in the shared config file (read through botocore),
      then the service's global region if it has one; else :class:`NoRegionError`;
    * credentials: explicit ``aws_access_key_id``/``aws_secret_access_key``
      (and ``aws_session_token``), else ``credential_provider`` (any object
      with ``load()``, ``refresh()`` and ``refreshable``, see
      :class:`~aws_runtime.credentials.CredentialProvider`), else botocore's
      credential provider chain for ``profile_name``, imported lazily at the
      first call;
    * endpoint: ``endpoint_url``, ``AWS_ENDPOINT_URL_<SERVICE>``,
      ``AWS_ENDPOINT_URL``, then the profile's ``endpoint_url`` for the service
      (its ``services`` section) or for all services (all but the first unless
      ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true``), all passed through the
      compiled endpoint rule set with the FIPS and dual-stack flags; the
      resolved URL is :attr:`endpoint_url` and the signing region
      :attr:`signing_region`.

    Retries, timeouts and pooling come from ``config`` (see
    :class:`~aws_runtime.config.Config` and :mod:`aws_runtime.retries`). One
    client may be shared by many threads: the connection pool, the retry
    quota, the clock offset and the credential provider are thread-safe.
    ``close()`` (or leaving a ``with`` block) closes pooled connections.

    Raises ``ValueError`` for a half-given key pair or keys given together
    with ``credential_provider``, :class:`InvalidRegionError` (a ``ValueError``)
    for a region that cannot be part of a host name,
    :class:`~aws_runtime.errors.EndpointResolutionError` when the rule set
    rejects the configuration.
    """

    _SERVICE: ClassVar[ServiceSpec]
    _ERRORS: ClassVar[Mapping[str, type[ServiceError]]]
    _BASE_ERROR: ClassVar[type[ServiceError]]
    _resolve_endpoint: ClassVar[Callable[..., Endpoint]]
    """The compiled rule set (``<package>.endpoints.resolve_endpoint``): keyword
    arguments ``region``, ``use_fips``, ``use_dual_stack``, ``endpoint`` and the
    service's own rule-set parameters."""
    _ENDPOINT_DEFAULTS: ClassVar[Mapping[str, Any]] = {}
    """Rule-set parameters for the construction-time endpoint that only operations
    set otherwise (ACM's required ``ServiceType``: its first static value)."""

    def __init__(
        self,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        profile_name: str | None = None,
        config: Config | None = None,
        *,
        credential_provider: CredentialProvider | None = None,
        transport: Transport | None = None,
    ) -> None:
        spec = self._SERVICE
        self.config: Config = (config if config is not None else Config()).resolve()
        self._validate = self.config.validate

        if aws_access_key_id is not None or aws_secret_access_key is not None:
            if not aws_access_key_id or not aws_secret_access_key:
                missing = "aws_secret_access_key" if aws_access_key_id else "aws_access_key_id"
                raise ValueError(
                    f"{missing} is required when the other half of the key pair is given"
                )
            if credential_provider is not None:
                raise ValueError(
                    "pass either aws_access_key_id/aws_secret_access_key or "
                    "credential_provider, not both"
                )
            self._credentials: CredentialProvider = StaticCredentialProvider(
                Credentials(aws_access_key_id, aws_secret_access_key, aws_session_token or None)
            )
        elif credential_provider is not None:
            self._credentials = credential_provider
        else:
            self._credentials = BotocoreChainProvider(profile_name)

        env = os.environ
        ignore_configured = env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() in ("true", "1")
        region = region_name or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
        if endpoint_url is None and not ignore_configured:
            endpoint_url = env.get(spec.endpoint_env_var) or env.get("AWS_ENDPOINT_URL") or None
        config_text = _config_file_text() if region is None or endpoint_url is None else ""
        needs_endpoint = endpoint_url is None and not ignore_configured and "endpoint_url" in config_text
        if (region is None and (profile_name or env.get("AWS_PROFILE") or config_text)) or needs_endpoint:
            # botocore reads the profile only when it can matter: start-up stays light
            settings = profile_settings(profile_name, spec.config_key)
            region = region or settings.region
            if endpoint_url is None and not ignore_configured:
                endpoint_url = settings.endpoint_url
        if region is None:
            region = spec.global_region
        if region is None:
            raise NoRegionError(
                f"You must specify a region for {spec.service_id}: pass region_name=... "
                "or set AWS_REGION / AWS_DEFAULT_REGION"
            )
        if not _REGION_NAME.match(region):
            raise InvalidRegionError(
                f"Provided region_name {region!r} doesn't match a supported format: "
                "1-63 letters, digits or '-', starting and ending with a letter or digit"
            )
        self.region_name: str = region

        self._endpoint_args: dict[str, Any] = {
            "region": region,
            "use_fips": bool(self.config.use_fips_endpoint),
            "use_dual_stack": bool(self.config.use_dualstack_endpoint),
            "endpoint": endpoint_url,
        }
        endpoint = self._resolve_endpoint(**self._endpoint_args, **self._ENDPOINT_DEFAULTS)
        self.endpoint: Endpoint = endpoint
        self.endpoint_url: str = endpoint.url
        self.signing_region: str = endpoint.signing_region or region
        self._signer = SigV4Signer(endpoint.signing_name or spec.signing_name, self.signing_region)
        self._operation_endpoints: dict[str, tuple[str, SigV4Signer]] = {}
        self._transport: Transport = transport or Urllib3Transport(
            connect_timeout=self.config.connect_timeout,
            read_timeout=self.config.read_timeout,
            max_pool_connections=self.config.max_pool_connections,
        )
        self._retry = RetryPolicy(
            self.config.retry_mode or "standard", self.config.max_attempts or 1
        )
        self._clock_offset = _dt.timedelta(0)
        extra = f" {self.config.user_agent_extra}" if self.config.user_agent_extra else ""
        self._user_agent = (
            f"aws-codegen-python/{RUNTIME_VERSION} {spec.package}/{spec.package_version} "
            f"Python/{sys.version.split()[0]}{extra}"  # platform.python_version(), cheaper
        )
        self._target_prefix = spec.target_prefix + "."


    def _endpoint_for(self, params: Mapping[str, Any]) -> tuple[str, SigV4Signer]:
        """URL and signer for an operation that sets endpoint rule-set parameters
        (``staticContextParams``, ``contextParams``): resolved with the client's
        region, FIPS, dual-stack and endpoint settings plus ``params``, cached
        per distinct parameter values. Raises EndpointResolutionError."""
        key = repr(sorted(params.items()))
        found = self._operation_endpoints.get(key)
        if found is None:
            endpoint = self._resolve_endpoint(**{**self._endpoint_args, **self._ENDPOINT_DEFAULTS, **params})
            region = endpoint.signing_region or self.region_name
            signer = SigV4Signer(endpoint.signing_name or self._SERVICE.signing_name, region)
            found = (endpoint.url, signer)
            if len(self._operation_endpoints) < 256:  # bounded: values come from parameters
                self._operation_endpoints[key] = found
        return found

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(region_name={self.region_name!r}, "
            f"endpoint_url={self.endpoint_url!r})"
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections. The client can still be used; it reconnects."""
        self._transport.close()

    # ------------------------------------------------------------------ calls

    def _call(
        self,
        operation_name: str,
        params: Mapping[str, Any] | bytes,
        parse: Callable[[bytes], _T],
        host_prefix: str = "",
        request_compression: Sequence[str] = (),
        endpoint_params: Mapping[str, Any] | None = None,
    ) -> _T:
        """Send one operation with retries and return ``parse(reply_body_bytes)``.

        ``params`` is the request body (JSON bytes, as generated clients encode
        it) or a JSON-ready mapping; ``parse`` the operation's reply decoder
        (:class:`~aws_runtime.wire.ReplyDecoder`) or ``wire.ignore_output``.

        ``host_prefix`` is the operation's expanded ``endpoint.hostPrefix``;
        ``request_compression`` its ``requestcompression`` encodings (the body
        is compressed once, before the first signature, see
        :mod:`aws_runtime.compression`); ``endpoint_params`` the rule-set
        parameters the operation sets, which give it its own endpoint
        (:meth:`_endpoint_for`).

        Every attempt is signed afresh (current time plus the clock offset
        learnt from a skew error) and carries the same ``amz-sdk-invocation-id``.
        After a failure, :meth:`RetryPolicy.decide` chooses: back off and retry,
        correct the clock, refresh the credentials, or raise.

        Raises the operation's modeled error class (or the service's base error
        class) for error replies, :class:`ResponseParseError` for unparseable
        2xx replies and :class:`TransportError` subclasses when no reply came;
        each with ``attempts`` set to the number of requests sent.
        """
        spec = self._SERVICE
        url, signer = (self.endpoint_url, self._signer) if not endpoint_params else self._endpoint_for(endpoint_params)
        base = awsjson.build_request(
            url,
            self._target_prefix + operation_name,
            spec.json_version,
            params,
            host_prefix=host_prefix,
            query_compatible=spec.query_compatible,
        )
        config = self.config
        if request_compression and not config.disable_request_compression:
            compress_request(
                base,
                request_compression,
                DEFAULT_MIN_COMPRESSION_SIZE
                if config.request_min_compression_size_bytes is None
                else config.request_min_compression_size_bytes,
            )
        policy = self._retry
        max_attempts = policy.max_attempts
        invocation_id = new_idempotency_token()  # uuid4 text
        attempt = 0
        state: CallState | None = None
        while True:
            attempt += 1
            request = HttpRequest(base.method, base.url, dict(base.headers), base.body)
            signer.sign(
                request, self._credentials.load(), _dt.datetime.now(_UTC) + self._clock_offset
            )
            headers = request.headers
            headers["User-Agent"] = self._user_agent
            headers["amz-sdk-invocation-id"] = invocation_id
            headers["amz-sdk-request"] = f"attempt={attempt}; max={max_attempts}"
            error: ServiceError | TransportError
            try:
                response = self._transport.send(request)
            except TransportError as exc:
                error = exc
                logger.debug("%s attempt %d: %s", operation_name, attempt, type(exc).__name__)
            else:
                status = response.status
                logger.debug(
                    "%s attempt %d: HTTP %d request id %s",
                    operation_name,
                    attempt,
                    status,
                    response.headers.get("x-amzn-requestid"),
                )
                if status < 300:
                    policy.on_success(state)
                    return self._parse(operation_name, response, parse, attempt)
                error = self._service_error(operation_name, response, attempt)

            if state is None:
                state = CallState()
            state.attempts = attempt
            decision = policy.decide(
                state,
                error,
                now=_utc_now,
                random=config.random,
                refreshable=self._credentials.refreshable,
            )
            action = decision.action
            if action == RETRY:
                logger.debug(
                    "%s: %s, retrying in %.3f s",
                    operation_name,
                    _error_label(error),
                    decision.delay,
                )
                config.sleep(decision.delay)
            elif action == CORRECT_CLOCK and decision.clock_offset is not None:
                self._clock_offset = decision.clock_offset
                logger.debug(
                    "%s: %s, clock offset set to %.0f s, retrying",
                    operation_name,
                    _error_label(error),
                    decision.clock_offset.total_seconds(),
                )
            elif action == REFRESH_CREDENTIALS:
                logger.debug("%s: %s, refreshing credentials", operation_name, _error_label(error))
                try:
                    self._credentials.refresh()
                except AWSError as exc:  # the refresh failed: say what it was refreshing for
                    raise exc from error
            else:
                error.attempts = attempt
                error.retry_note = decision.note
                if decision.note:
                    logger.debug(
                        "%s: giving up after %d attempts (%s)",
                        operation_name,
                        attempt,
                        decision.note,
                    )
                raise error

    def _parse(
        self,
        operation_name: str,
        response: HttpResponse,
        parse: Callable[[bytes], _T],
        attempts: int = 1,
    ) -> _T:
        """``parse`` applied to the body bytes of a 2xx reply (decoded in one pass).

        Every failure is a :class:`ResponseParseError` (status, body excerpt,
        attempts): a body that is not a JSON object, a member of the wrong
        JSON type (``reason`` names its path), nesting too deep to parse. Any
        other exception from a parse function is a bug in generated code; it
        is still reported as a ``ResponseParseError``, with the original
        exception as ``__cause__``.
        """
        try:
            return parse(response.body)
        except ResponseParseError as exc:
            exc.attempts = attempts
            raise
        except WireTypeError as exc:
            reason = str(exc)
            cause: BaseException | None = None
        except RecursionError:
            reason = "JSON nested too deeply"
            cause = None
        except Exception as exc:  # noqa: BLE001  # a parse-function bug still gets a typed error
            reason = f"unexpected {type(exc).__name__} while parsing"
            cause = exc
        error = ResponseParseError(
            reason,
            status_code=response.status,
            body=response.body,
            operation_name=operation_name,
            attempts=attempts,
        )
        raise error from cause

    def _service_error(self, operation_name: str, response: HttpResponse, attempt: int) -> ServiceError:
        info = awsjson.parse_error(response)
        cls = self._ERRORS.get(info.code, self._BASE_ERROR)
        error = cls(
            info.message,
            code=info.code,
            status_code=response.status,
            request_id=info.request_id,
            operation_name=operation_name,
            attempts=attempt,
            headers=response.headers,
        )
        if info.body:
            try:
                error._set_modeled_fields(response.body)
            except (WireTypeError, RecursionError):
                logger.debug("%s: modeled error members of %s not parseable", operation_name, info.code)
        return error


def _utc_now() -> _dt.datetime:
    return _dt.datetime.now(_UTC)


def _error_label(error: AWSError) -> str:
    """``ServiceError ThrottlingException (HTTP 400)`` / ``ReadTimeoutError``: for DEBUG logs."""
    if isinstance(error, ServiceError):
        return f"{type(error).__name__} {error.code} (HTTP {error.status_code})"
    return type(error).__name__
