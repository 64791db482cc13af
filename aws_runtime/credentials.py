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
from typing import Any, Protocol

from .errors import CredentialRetrievalError, NoCredentialsError, ProfileNotFoundError

__all__ = [
    "BotocoreChainProvider",
    "CredentialGate",
    "CredentialProvider",
    "Credentials",
    "StaticCredentialProvider",
    "environment_credentials",
]


@dataclass(frozen=True, slots=True, repr=False)
class Credentials:
    """An access key pair and optional session token. ``repr`` never shows the secrets."""

    access_key: str
    secret_key: str
    token: str | None = None

    def __repr__(self) -> str:
        shown = f"...{self.access_key[-4:]}" if len(self.access_key) > 4 else "..."
        token = ", token=<redacted>" if self.token else ""
        return f"Credentials(access_key={shown!r}, secret_key=<redacted>{token})"


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

        try:
            session = botocore.session.Session(profile=self.profile_name)
            source = session.get_credentials()
        except Exception as exc:
            raise _retrieval_error(exc) from exc
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
        try:
            frozen = source.get_frozen_credentials()
        except Exception as exc:
            raise _retrieval_error(exc) from exc
        if not frozen.access_key or not frozen.secret_key:
            raise NoCredentialsError("botocore's credential provider chain returned empty keys")
        return Credentials(frozen.access_key, frozen.secret_key, frozen.token or None)

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
    return CredentialRetrievalError(
        f"botocore's credential provider chain failed: {type(exc).__name__}: {exc}"
    )


@dataclass(frozen=True)
class ProfileSettings:
    """What a client reads from the shared config file for one profile."""

    region: str | None
    endpoint_url: str | None


def profile_settings(profile_name: str | None, service_key: str) -> ProfileSettings:
    """``region`` and the configured endpoint URL of a profile, read through botocore.

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
    endpoint = None
    if str(scoped.get("ignore_configured_endpoint_urls", "")).lower() != "true":
        section_name = scoped.get("services")
        if section_name:
            section = session.full_config.get("services", {}).get(section_name, {})
            service = section.get(service_key)
            if isinstance(service, dict):
                endpoint = service.get("endpoint_url")
        endpoint = endpoint or scoped.get("endpoint_url")
    return ProfileSettings(str(region) if region else None, str(endpoint) if endpoint else None)
