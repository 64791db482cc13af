"""Sign a request with botocore's own ``SigV4Auth`` at a fixed time, for differential tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from unittest import mock


def botocore_sign(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    access_key: str,
    secret_key: str,
    token: str | None = None,
    service: str,
    region: str,
    when: dt.datetime,
) -> dict[str, str]:
    """The headers botocore's ``SigV4Auth.add_auth`` leaves on the request."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
    auth = SigV4Auth(Credentials(access_key, secret_key, token), service, region)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(request)
    return dict(request.headers.items())
