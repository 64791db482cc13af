"""Clients, credential providers and checks shared by the robustness tests."""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from aws_runtime import Config
from aws_runtime.credentials import Credentials
from aws_support import SupportClient
from helpers.server import Recorded, Reply

ACCESS_KEY = "AKIDROBUSTTEST"
SECRET_KEY = "robust/Secret+Key+0123456789abcdefghijklmn"
SESSION_TOKEN = "robust-Session-Token-IQoJb3JpZ2luX2VjEXAMPLE"


class FakeSleep:
    """Records backoff delays instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.delays.append(seconds)


def fast_config(sleep: FakeSleep, **kwargs: Any) -> Config:
    """Config with injected sleep and a fixed jitter of 0.5 (delay = 0.5 * min(2**(n-1), 20))."""
    kwargs.setdefault("random", lambda: 0.5)
    return Config(sleep=sleep, **kwargs)


FLAVOUR: contextvars.ContextVar[str] = contextvars.ContextVar("FLAVOUR", default="sync")
"""Which client :func:`make_client` builds: ``"sync"`` or ``"async"`` (set by the
``flavour`` fixture in conftest.py, so a scenario runs for both clients)."""

OPENED: list[Any] = []
"""Async clients made by :func:`make_client` in the current test (closed at teardown)."""


def make_client(url: str, config: Config | None = None, **kwargs: Any) -> SupportClient:
    """A SupportClient for ``url``, or (under the ``flavour`` fixture's ``"async"``) an
    AsyncSupportClient seen through :class:`helpers.aio.SyncView`."""
    if "credential_provider" not in kwargs:
        kwargs.setdefault("aws_access_key_id", ACCESS_KEY)
        kwargs.setdefault("aws_secret_access_key", SECRET_KEY)
    if FLAVOUR.get() == "async":
        from aws_support import AsyncSupportClient
        from helpers.aio import SyncView

        client = AsyncSupportClient(region_name="us-east-1", endpoint_url=url, config=config, **kwargs)
        OPENED.append(client)
        return SyncView(client)  # type: ignore[return-value]
    return SupportClient(region_name="us-east-1", endpoint_url=url, config=config, **kwargs)


class RotatingProvider:
    """A refreshable provider: ``refresh()`` switches to the next key pair.

    With ``rotate_on_load`` every ``load()`` returns a new pair, so each signed
    request shows which load it used.
    """

    refreshable = True

    def __init__(self, *, rotate_on_load: bool = False) -> None:
        self.generation = 1
        self.loads = 0
        self.refreshes = 0
        self.rotate_on_load = rotate_on_load
        self._lock = threading.Lock()

    @staticmethod
    def credentials_for(generation: int) -> Credentials:
        return Credentials(
            f"AKIDGEN{generation}", f"secret-gen-{generation}", f"token-gen-{generation}"
        )

    def load(self) -> Credentials:
        with self._lock:
            self.loads += 1
            if self.rotate_on_load and self.loads > 1:
                self.generation += 1
            return self.credentials_for(self.generation)

    def refresh(self) -> Credentials:
        with self._lock:
            self.refreshes += 1
            self.generation += 1
            return self.credentials_for(self.generation)


def access_key_of(rec: Recorded) -> str:
    """The access key id in the request's ``Authorization`` credential scope."""
    return rec.headers["authorization"].split("Credential=")[1].split("/")[0]


def signature_is_valid(
    rec: Recorded, url: str, creds: Credentials, region: str = "us-east-1"
) -> bool:
    """Recompute the SigV4 signature of a recorded request with botocore and compare."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    auth_header = rec.headers["authorization"]
    signed = auth_header.split("SignedHeaders=")[1].split(",")[0].split(";")
    headers = {name: rec.headers[name] for name in signed if name != "host"}
    request = AWSRequest(method=rec.method, url=url + rec.path, data=rec.body, headers=headers)
    request.context["timestamp"] = rec.headers["x-amz-date"]
    auth = SigV4Auth(
        BotoCredentials(creds.access_key, creds.secret_key, creds.token), "support", region
    )
    canonical = auth.canonical_request(request)
    expected = auth.signature(auth.string_to_sign(request, canonical), request)
    return auth_header.endswith("Signature=" + expected)


def refresh_status_body(check_id: str, millis: int) -> dict[str, Any]:
    return {
        "status": {"checkId": check_id, "status": "enqueued", "millisUntilNextRefreshable": millis}
    }


OK = Reply(body=refresh_status_body("Qch7DwouX1", 123))


def error_reply(status: int, code: str, message: str = "", **kwargs: Any) -> Reply:
    return Reply(status=status, body={"__type": code, "message": message}, **kwargs)
