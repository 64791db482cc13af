"""The generated clients' base classes: construction and the blocking driver.

A generated client subclasses :class:`BaseClient` (sync) or
:class:`aws_runtime.aio.AsyncBaseClient` (async), sets the service's
constants (:class:`ServiceSpec`, error map, compiled endpoint resolver) and
adds one method per operation. Each method validates its input, serializes it
to a JSON-ready dict and calls ``_call``, which runs the call pipeline
(:mod:`aws_runtime.pipeline`):

endpoint (resolved once, at construction) → build request (awsJson) →
sign (SigV4, every attempt) → send → parse or raise → retry
decision (standard mode, retry quota) → typed result.

Everything but the transport is sans-IO; :class:`ClientCore` holds what both
flavours share (region, credentials, endpoint, retry policy, pipeline).
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import re
import sys
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .config import Config
from .credentials import (
    BotocoreChainProvider,
    CredentialGate,
    CredentialProvider,
    Credentials,
    StaticCredentialProvider,
    profile_settings,
)
from .endpoints import Endpoint
from .errors import AWSError, InvalidConfigError, ParamValidationError, ServiceError
from .interceptors import check_interceptor
from .netconfig import (
    ProxySettings,
    TLSSettings,
    check_header_value,
    endpoint_url_problem,
    header_value_problem,
    resolve_proxies,
    resolve_tls,
)
from .pipeline import CallPipeline, Effect, Interceptor, run_sync
from .retries import RetryPolicy
from .secrets import EnvironView, Secret
from .sigv4 import SigV4Signer
from .transport import Transport, Urllib3Transport

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["RUNTIME_VERSION", "BaseClient", "ClientCore", "InvalidRegionError", "NoRegionError", "ServiceSpec"]

RUNTIME_VERSION = "0.1.0"
logger = logging.getLogger("aws_runtime")

_T = TypeVar("_T")
_HOST_LABEL_VALUE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


class NoRegionError(AWSError, ValueError):
    """No region was given or configured and the service has no global default."""


class InvalidRegionError(AWSError, ValueError):
    """The region name is not a valid host label (botocore's ``InvalidRegionError``)."""


# botocore ``utils.validate_region_name``: the region becomes part of a host name.
# Matched with fullmatch: "$" would also match before a final newline ("us-east-1\n").
_REGION_NAME = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?")


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


class ClientCore:
    """Shared machinery of generated clients (sync :class:`BaseClient` and async
    :class:`aws_runtime.aio.AsyncBaseClient`); not used directly.

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

    Network settings (:mod:`aws_runtime.netconfig`): ``verify`` (``False``, ``True``
    or a CA bundle path) then ``AWS_CA_BUNDLE``, the profile's ``ca_bundle``,
    ``REQUESTS_CA_BUNDLE`` and botocore's default store decide which servers are
    trusted; ``Config.proxies`` (or ``HTTP(S)_PROXY``/``NO_PROXY``), ``client_cert``,
    ``tcp_keepalive`` (or the profile's), ``max_response_bytes`` and ``call_timeout``
    the rest. All are checked here, before any network I/O.

    Retries, timeouts and pooling come from ``config`` (see
    :class:`~aws_runtime.config.Config` and :mod:`aws_runtime.retries`). One
    client may be shared by many threads: the connection pool, the retry
    quota, the clock offset and the credential provider are thread-safe.
    ``close()`` (or leaving a ``with`` block) closes pooled connections.

    ``interceptors`` (and :meth:`add_interceptor`) register user hooks run at
    fixed points of every call (:mod:`aws_runtime.interceptors`). ``transport``
    replaces the HTTP transport: any object with ``send(HttpRequest) ->
    HttpResponse`` and ``close()`` (:class:`~aws_runtime.transport.Transport`),
    e.g. :class:`aws_runtime.testing.MotoTransport` in tests.

    Raises ``ValueError`` for a half-given key pair or keys given together
    with ``credential_provider``, :class:`InvalidRegionError` (a ``ValueError``)
    for a region that is not a valid host label as a whole,
    :class:`~aws_runtime.errors.InvalidConfigError` (a ``ValueError``) for an
    unusable ``endpoint_url``, proxy, CA bundle or client certificate and for
    credentials, region or ``user_agent_extra`` with control characters (naming
    the setting, never echoing a secret),
    :class:`~aws_runtime.errors.EndpointResolutionError` when the rule set
    rejects the configuration. The secret key and session token are wrapped
    (:class:`~aws_runtime.secrets.Secret`) before anything else happens, so no
    traceback shows them.
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
        verify: bool | str | None = None,
        credential_provider: CredentialProvider | None = None,
        transport: Any = None,
        interceptors: Sequence[Interceptor] = (),
    ) -> None:
        # The secrets are wrapped before anything can raise, and the plain parameters
        # dropped, so no frame of a traceback (capture_locals=True) shows them.
        secret_key = Secret(aws_secret_access_key) if isinstance(aws_secret_access_key, str) else None
        token = Secret(aws_session_token) if isinstance(aws_session_token, str) and aws_session_token else None
        key_given = aws_secret_access_key is not None
        aws_secret_access_key = aws_session_token = None
        spec = self._SERVICE
        self.config: Config = (config if config is not None else Config()).resolve()
        self._validate = self.config.validate

        if aws_access_key_id is not None or key_given:
            if not aws_access_key_id or not secret_key:
                missing = "aws_secret_access_key" if aws_access_key_id else "aws_access_key_id"
                raise ValueError(
                    f"{missing} is required when the other half of the key pair is given"
                )
            if credential_provider is not None:
                raise ValueError(
                    "pass either aws_access_key_id/aws_secret_access_key or "
                    "credential_provider, not both"
                )
            problem = (
                header_value_problem(aws_access_key_id, "aws_access_key_id")
                or header_value_problem(secret_key.reveal(), "aws_secret_access_key")
                or (token and header_value_problem(token.reveal(), "aws_session_token"))
            )
            if problem:
                raise InvalidConfigError(problem)
            self._credentials: CredentialProvider = StaticCredentialProvider(
                Credentials(
                    aws_access_key_id,
                    secret_key.reveal(),
                    token.reveal() if token is not None else None,
                )
            )
        elif credential_provider is not None:
            self._credentials = credential_provider
        else:
            self._credentials = BotocoreChainProvider(profile_name)
        del secret_key, token

        env = EnvironView(os.environ)  # repr shows no values (AWS_SECRET_ACCESS_KEY...)
        ignore_configured = env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() in ("true", "1")
        region = region_name or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
        endpoint_source = "endpoint_url"
        if endpoint_url is None and not ignore_configured:
            endpoint_source = spec.endpoint_env_var if env.get(spec.endpoint_env_var) else "AWS_ENDPOINT_URL"
            endpoint_url = env.get(spec.endpoint_env_var) or env.get("AWS_ENDPOINT_URL") or None
        wants_profile_net = verify is None or self.config.tcp_keepalive is None
        config_text = (
            _config_file_text() if region is None or endpoint_url is None or wants_profile_net else ""
        )
        needs_endpoint = endpoint_url is None and not ignore_configured and "endpoint_url" in config_text
        needs_net = wants_profile_net and ("ca_bundle" in config_text or "tcp_keepalive" in config_text)
        profile_ca_bundle: str | None = None
        profile_keepalive: bool | None = None
        if (
            (region is None and (profile_name or env.get("AWS_PROFILE") or config_text))
            or needs_endpoint
            or needs_net
        ):
            # botocore reads the profile only when it can matter: start-up stays light
            settings = profile_settings(profile_name, spec.config_key)
            region = region or settings.region
            if endpoint_url is None and not ignore_configured:
                endpoint_url = settings.endpoint_url
                endpoint_source = "the profile's endpoint_url"
            profile_ca_bundle = settings.ca_bundle
            profile_keepalive = settings.tcp_keepalive
        if region is None:
            region = spec.global_region
        if region is None:
            raise NoRegionError(
                f"You must specify a region for {spec.service_id}: pass region_name=... "
                "or set AWS_REGION / AWS_DEFAULT_REGION"
            )
        if not isinstance(region, str) or not _REGION_NAME.fullmatch(region):
            shown = repr(region) if isinstance(region, str) and region.isprintable() else "given"
            raise InvalidRegionError(
                f"Provided region_name {shown} doesn't match a supported format: "
                "1-63 letters, digits or '-', starting and ending with a letter or digit"
            )
        self.region_name: str = region
        check_header_value(self.config.user_agent_extra, "Config.user_agent_extra")
        if endpoint_url is not None:
            problem = endpoint_url_problem(endpoint_url, endpoint_source)
            if problem is not None:
                endpoint_url = None  # it may carry a password: not a local of this frame
                raise InvalidConfigError(problem)

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
        # Decided here, applied by the flavour's transport (and by any helper that sends).
        keepalive = self.config.tcp_keepalive
        self._tls: TLSSettings = resolve_tls(
            verify, env, profile_ca_bundle, self.config.client_cert
        )
        self._proxy_settings: ProxySettings = resolve_proxies(self.config, env)
        self._tcp_keepalive = bool(profile_keepalive if keepalive is None else keepalive)
        self._transport = transport if transport is not None else self._default_transport()
        self._retry = RetryPolicy(
            self.config.retry_mode or "standard", self.config.max_attempts or 1
        )
        extra = f" {self.config.user_agent_extra}" if self.config.user_agent_extra else ""
        self._user_agent = (
            f"aws-codegen-python/{RUNTIME_VERSION} {spec.package}/{spec.package_version} "
            f"Python/{sys.version.split()[0]}{extra}"  # platform.python_version(), cheaper
        )
        self._credential_gate = CredentialGate(self._credentials)
        self._pipeline = CallPipeline(
            config=self.config,
            retry=self._retry,
            credentials=self._credentials,
            errors=self._ERRORS,
            base_error=self._BASE_ERROR,
            user_agent=self._user_agent,
            target_prefix=spec.target_prefix + ".",
            json_version=spec.json_version,
            query_compatible=spec.query_compatible,
        )
        self._pipeline.call_timeout = self.config.call_timeout
        for interceptor in interceptors:
            self.add_interceptor(interceptor)

    def add_interceptor(self, interceptor: Interceptor) -> None:
        """Register an interceptor (:mod:`aws_runtime.interceptors`) after those already
        registered (``interceptors=`` at construction come first); it runs for every
        later call, sync or async. Raises ``TypeError`` for a class or an object with no
        hook method."""
        check_interceptor(interceptor)
        self._pipeline.interceptors = (*self._pipeline.interceptors, interceptor)

    def _default_transport(self) -> Any:
        """The transport built when none is passed (the flavour's own)."""
        raise NotImplementedError

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
        """``SupportClient(region_name=..., endpoint_url=...)``; never raises, also for a
        client whose constructor failed half-way (missing parts show as ``None``)."""
        region = getattr(self, "region_name", None)
        url = getattr(self, "endpoint_url", None)
        return f"{type(self).__name__}(region_name={region!r}, endpoint_url={url!r})"

    # ------------------------------------------------------------------ calls

    def _steps(
        self,
        operation_name: str,
        params: Mapping[str, Any] | bytes,
        parse: Callable[[Any], _T],
        host_prefix: str = "",
        request_compression: Sequence[str] = (),
        endpoint_params: Mapping[str, Any] | None = None,
    ) -> Generator[Effect, Any, _T]:
        """The sans-IO steps of one call (:meth:`CallPipeline.steps`) for this client's
        endpoint (or the operation's own, see :meth:`_endpoint_for`)."""
        url, signer = (
            (self.endpoint_url, self._signer) if not endpoint_params else self._endpoint_for(endpoint_params)
        )
        return self._pipeline.steps(
            operation_name,
            params,
            parse,
            url=url,
            signer=signer,
            host_prefix=host_prefix,
            request_compression=request_compression,
        )

    @property
    def _clock_offset(self) -> _dt.timedelta:
        """The offset added to the local clock for signatures (learnt from skew errors)."""
        return self._pipeline.clock_offset


class BaseClient(ClientCore):
    __doc__ = ClientCore.__doc__

    _transport: Transport

    def _default_transport(self) -> Transport:
        return Urllib3Transport(
            connect_timeout=self.config.connect_timeout,
            read_timeout=self.config.read_timeout,
            max_pool_connections=self.config.max_pool_connections,
            tls=self._tls,
            proxies=self._proxy_settings,
            tcp_keepalive=self._tcp_keepalive,
            max_response_bytes=self.config.max_response_bytes,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections. The client can still be used; it reconnects."""
        self._transport.close()

    def _call(
        self,
        operation_name: str,
        params: Mapping[str, Any] | bytes,
        parse: Callable[[Any], _T],
        host_prefix: str = "",
        request_compression: Sequence[str] = (),
        endpoint_params: Mapping[str, Any] | None = None,
    ) -> _T:
        """Send one operation with retries and return ``parse(reply)``: the call
        pipeline's steps (:mod:`aws_runtime.pipeline`) run by the blocking driver.

        ``host_prefix`` is the operation's expanded ``endpoint.hostPrefix``;
        ``request_compression`` its ``requestcompression`` encodings (the body
        is compressed once, before the first signature, see
        :mod:`aws_runtime.compression`); ``endpoint_params`` the rule-set
        parameters the operation sets, which give it its own endpoint
        (:meth:`_endpoint_for`).

        Raises the operation's modeled error class (or the service's base error
        class) for error replies, :class:`ResponseParseError` for unparseable
        2xx replies and :class:`TransportError` subclasses when no reply came;
        each with ``attempts`` set to the number of requests sent.
        """
        return run_sync(
            self._steps(operation_name, params, parse, host_prefix, request_compression, endpoint_params),
            self._transport,
            self._credential_gate,
            self.config.sleep,
        )
