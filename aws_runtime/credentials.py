"""Credentials and credential providers.

Explicit keys passed to a client win. Otherwise botocore's standard credential
provider chain is used (environment, assume-role, web identity, SSO, shared
credentials and config files, credential_process, container and instance
metadata; see botocore ``credentials.create_credential_resolver``). botocore is
imported lazily, on the first signed request, so explicit keys never pay for
the import. The chain's first step, the environment provider, is done here
without botocore (:func:`environment_credentials`), keeping botocore's
precedence exactly.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any, NoReturn, Protocol

from .errors import (
    CredentialRetrievalError,
    InvalidConfigError,
    NoCredentialsError,
    ProfileNotFoundError,
)
from .netconfig import header_value_problem
from .secrets import Secret

__all__ = [
    "BotocoreChainProvider",
    "CredentialGate",
    "CredentialProvider",
    "Credentials",
    "StaticCredentialProvider",
    "environment_credentials",
]


class Credentials:
    """An access key pair and optional session token.

    The secret key and token are held as :class:`~aws_runtime.secrets.Secret`:
    ``repr``/``str`` show only the last 4 characters of the access key id,
    pickling raises ``TypeError``, and the attributes ``secret_key`` and
    ``token`` return the plain strings for signing. Immutable; equal when all
    three parts are equal.
    """

    __slots__ = ("_secret", "_token", "access_key")

    access_key: str
    _secret: Secret
    _token: Secret | None

    def __init__(self, access_key: str, secret_key: str, token: str | None = None) -> None:
        object.__setattr__(self, "access_key", access_key)
        object.__setattr__(self, "_secret", Secret(secret_key))
        object.__setattr__(self, "_token", Secret(token) if token else None)

    @property
    def secret_key(self) -> str:
        """The secret access key (used to derive the SigV4 signing key)."""
        return self._secret.reveal()

    @property
    def token(self) -> str | None:
        """The session token, or None."""
        token = self._token
        return token.reveal() if token is not None else None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Credentials are immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Credentials):
            return NotImplemented
        return (self.access_key, self._secret, self._token) == (
            other.access_key,
            other._secret,
            other._token,
        )

    def __hash__(self) -> int:
        return hash((self.access_key, self._secret, self._token))

    def __reduce__(self) -> NoReturn:
        raise TypeError("Credentials cannot be pickled (they hold a secret key)")

    def __repr__(self) -> str:
        shown = f"...{self.access_key[-4:]}" if len(self.access_key) > 4 else "..."
        token = ", token=<redacted>" if self._token is not None else ""
        return f"Credentials(access_key={shown!r}, secret_key=<redacted>{token})"

    __str__ = __repr__

    def problem(self) -> str | None:
        """Why these credentials cannot be sent (a part with control characters or
        characters outside Latin-1, which would break the HTTP headers), naming the
        part but never echoing it; None when they are fine."""
        for name, value in (
            ("access key id", self.access_key),
            ("secret access key", self.secret_key),
            ("session token", self.token),
        ):
            problem = header_value_problem(value, f"the {name}")
            if problem is not None:
                return problem
        return None


class CredentialProvider(Protocol):
    """Where a client gets credentials for each signature."""

    @property
    def refreshable(self) -> bool:
        """True when :meth:`refresh` can produce different credentials."""
        ...

    def load(self) -> Credentials:
        """Return current credentials; raises :class:`NoCredentialsError` if there are none."""
        ...

    def refresh(self) -> Credentials:
        """Discard cached credentials and load fresh ones (after an expired-token error)."""
        ...


class CredentialGate:
    """A client's single-flight access to its credential provider (thread-safe).

    :meth:`load` is ``provider.load()`` (botocore's chain resolves once under its
    own lock, and its refreshable credentials refresh once when they near expiry).
    :meth:`refresh` is for a request rejected with an expired token: concurrent
    callers refresh once. A caller passes the credentials its request was signed
    with (``stale``); when another caller refreshed since those were loaded, the
    refreshed credentials are returned without a second ``provider.refresh()``.
    """

    __slots__ = ("_lock", "_refreshed", "provider")

    def __init__(self, provider: CredentialProvider) -> None:
        self.provider = provider
        self._lock = threading.Lock()
        self._refreshed: Credentials | None = None

    def __repr__(self) -> str:
        return f"CredentialGate({self.provider!r})"

    @property
    def refreshable(self) -> bool:
        """Whether the provider can refresh (see :class:`CredentialProvider`)."""
        return self.provider.refreshable

    def load(self) -> Credentials:
        """The provider's current credentials (may block on first resolution)."""
        return self.provider.load()

    def refresh(self, stale: Credentials | None = None) -> Credentials:
        """Refresh once for every caller that saw ``stale`` rejected (see the class docstring)."""
        with self._lock:
            refreshed = self._refreshed
            if refreshed is not None and stale is not None and refreshed != stale:
                return refreshed
            refreshed = self._refreshed = self.provider.refresh()
            return refreshed


class StaticCredentialProvider:
    """Fixed credentials given explicitly to the client. Never refreshable."""

    __slots__ = ("_credentials",)
    refreshable = False

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def __repr__(self) -> str:
        return f"StaticCredentialProvider({self._credentials!r})"

    def load(self) -> Credentials:
        return self._credentials

    def load_nowait(self) -> Credentials:
        """The credentials (never any I/O)."""
        return self._credentials

    def refresh(self) -> Credentials:
        return self._credentials


class BotocoreChainProvider:
    """botocore's standard credential provider chain, honouring ``profile_name``.

    The chain is resolved once, on first use, then
    ``get_frozen_credentials()`` is called for each signature so botocore can
    refresh temporary credentials before they expire. ``refresh()`` resolves
    the chain again from a new botocore session.

    Failures inside botocore (a profile that does not exist, a failing
    ``credential_process``, an unreachable metadata service...) raise
    :class:`CredentialRetrievalError` with botocore's exception as ``__cause__``.
    """

    def __init__(self, profile_name: str | None = None) -> None:
        self.profile_name = profile_name
        self._lock = threading.Lock()
        self._source: Any = None

    def __repr__(self) -> str:
        return f"BotocoreChainProvider(profile_name={self.profile_name!r})"

    @property
    def refreshable(self) -> bool:
        source = self._source
        return source is not None and hasattr(source, "refresh_needed")

    def _resolve(self) -> Any:
        if self.profile_name is None:
            found = environment_credentials(os.environ)
            if found is not None:
                return _FixedSource(found)
        import botocore.session  # type: ignore[import-untyped]  # lazy: explicit keys skip it

        failure: Exception | None = None
        try:
            session = botocore.session.Session(profile=self.profile_name)
            source = session.get_credentials()
        except Exception as exc:  # noqa: BLE001  # typed below, outside the except block
            failure = exc
        if failure is not None:
            raise _retrieval_error(failure)
        if source is None:
            raise NoCredentialsError(
                "Unable to locate credentials: pass aws_access_key_id and "
                "aws_secret_access_key, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                "or configure a profile (botocore's credential provider chain found none)"
            )
        return source

    def load(self) -> Credentials:
        source = self._source
        if source is None:
            with self._lock:
                if self._source is None:
                    self._source = self._resolve()
                source = self._source
        failure: Exception | None = None
        try:
            frozen = source.get_frozen_credentials()
            credentials = (
                Credentials(frozen.access_key, frozen.secret_key, frozen.token or None)
                if frozen.access_key and frozen.secret_key
                else None
            )
            del frozen
        except Exception as exc:  # noqa: BLE001  # typed below, outside the except block
            failure = exc
        if failure is not None:
            raise _retrieval_error(failure)
        if credentials is None:
            raise NoCredentialsError("botocore's credential provider chain returned empty keys")
        problem = credentials.problem()
        if problem is not None:
            raise CredentialRetrievalError(
                f"botocore's credential provider chain returned unusable credentials: {problem}"
            )
        return credentials

    def load_nowait(self) -> Credentials | None:
        """:meth:`load` when it needs no I/O (the chain is resolved and its credentials
        are not within botocore's advisory refresh window), else ``None``."""
        source = self._source
        if source is None:
            return None
        refresh_needed = getattr(source, "refresh_needed", None)
        if refresh_needed is not None and refresh_needed():
            return None
        return self.load()

    def refresh(self) -> Credentials:
        with self._lock:
            self._source = self._resolve()
        return self.load()


def environment_credentials(environ: Any) -> Credentials | None:
    """The chain's first step, botocore's ``credentials.EnvProvider``, without botocore.

    ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``, with ``AWS_SECURITY_TOKEN``
    or else ``AWS_SESSION_TOKEN`` as the session token. Returns ``None`` (the
    caller goes on with botocore's whole chain, which gives botocore's own
    answer) when the access key is unset or empty, and also in the two cases
    botocore's provider handles differently: the secret key is missing (botocore
    raises ``PartialCredentialsError``) or ``AWS_CREDENTIAL_EXPIRATION`` is set
    (refreshable environment credentials); and when ``AWS_PROFILE`` or
    ``AWS_DEFAULT_PROFILE`` is set, since botocore, while building its chain,
    raises ``ProfileNotFound`` for a profile that does not exist even when the
    environment keys would win.

    Only used when no profile was named explicitly: as botocore's
    ``create_credential_resolver`` removes the environment provider when the
    session's ``profile`` is set, ``profile_name=...`` skips the environment
    keys (``AWS_PROFILE`` does not).
    """
    access_key = environ.get("AWS_ACCESS_KEY_ID", "")
    secret_key = environ.get("AWS_SECRET_ACCESS_KEY", "")
    if not access_key or not secret_key or environ.get("AWS_CREDENTIAL_EXPIRATION", ""):
        return None
    if environ.get("AWS_PROFILE") or environ.get("AWS_DEFAULT_PROFILE"):
        return None  # botocore reads that profile first, and fails if it does not exist
    token = environ.get("AWS_SECURITY_TOKEN", "") or environ.get("AWS_SESSION_TOKEN", "")
    return Credentials(access_key, secret_key, token or None)


class _FixedSource:
    """Environment credentials in the place of botocore's credentials object
    (``get_frozen_credentials()``; not refreshable, as botocore's are not)."""

    __slots__ = ("_credentials",)

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def get_frozen_credentials(self) -> Credentials:
        return self._credentials


def _retrieval_error(exc: Exception) -> CredentialRetrievalError:
    """The typed error for a failure inside botocore, with botocore's exception as
    ``__cause__`` but without its traceback: botocore's frames hold credentials in
    their locals, which ``capture_locals=True`` would print."""
    exc.__traceback__ = None
    exc.__context__ = None
    error = CredentialRetrievalError(
        f"botocore's credential provider chain failed: {type(exc).__name__}: {exc}"
    )
    error.__cause__ = exc
    return error


@dataclass(frozen=True)
class ProfileSettings:
    """What a client reads from the shared config file for one profile."""

    region: str | None
    endpoint_url: str | None
    ca_bundle: str | None = None
    """The profile's ``ca_bundle`` (botocore configprovider ``ca_bundle``)."""
    tcp_keepalive: bool | None = None
    """The profile's ``tcp_keepalive`` (``true``/``false``; botocore ``tcp_keepalive``)."""


def profile_settings(profile_name: str | None, service_key: str) -> ProfileSettings:
    """``region``, the configured endpoint URL, ``ca_bundle`` and ``tcp_keepalive`` of a
    profile, read through botocore.

    The endpoint follows the AWS SDKs' "service-specific endpoints" rules (what
    boto3 does): ``endpoint_url`` under ``service_key`` (the serviceId in
    snake_case, ``support``) in the profile's ``services`` section, then the
    profile's own ``endpoint_url``; none when the profile sets
    ``ignore_configured_endpoint_urls = true``. Raises
    :class:`ProfileNotFoundError` for an unknown ``profile_name``.
    """
    import botocore.exceptions  # type: ignore[import-untyped]  # lazy
    import botocore.session

    session = botocore.session.Session(profile=profile_name)
    try:
        scoped = session.get_scoped_config()
        region = session.get_config_variable("region")
    except botocore.exceptions.ProfileNotFound:
        raise ProfileNotFoundError(
            f"The config profile {profile_name!r} could not be found in the shared config "
            "or credentials files"
        ) from None
    except botocore.exceptions.BotoCoreError as exc:  # e.g. ConfigParseError
        raise InvalidConfigError(
            f"The shared config file cannot be read: {type(exc).__name__}: {exc}"
        ) from None
    endpoint = None
    if str(scoped.get("ignore_configured_endpoint_urls", "")).lower() != "true":
        section_name = scoped.get("services")
        if section_name:
            section = session.full_config.get("services", {}).get(section_name, {})
            service = section.get(service_key)
            if isinstance(service, dict):
                endpoint = service.get("endpoint_url")
        endpoint = endpoint or scoped.get("endpoint_url")
    ca_bundle = scoped.get("ca_bundle")
    keepalive = scoped.get("tcp_keepalive")
    return ProfileSettings(
        str(region) if region else None,
        str(endpoint) if endpoint else None,
        ca_bundle=str(ca_bundle) if ca_bundle is not None else None,
        # botocore utils.ensure_boolean: only "true" (any case) is true
        tcp_keepalive=None if keepalive is None else str(keepalive).strip().lower() == "true",
    )
