"""Reply-side edge cases that must become typed errors, never bare exceptions."""

from __future__ import annotations

import math

import pytest
from helpers.clients import FakeSleep, make_client
from helpers.server import ScriptedServer

from aws_runtime import Config
from aws_runtime.awsjson import parse_error, parse_success
from aws_runtime.errors import CredentialRetrievalError, NoCredentialsError, ResponseParseError
from aws_runtime.http import HttpResponse
from aws_runtime.wire import WireTypeError, de_float, de_int, de_timestamp


@pytest.mark.parametrize(
    ("func", "value"),
    [
        (de_float, 10**400),
        (de_float, "1.5"),
        (de_float, True),
        (de_int, math.inf),
        (de_int, 1.5),
        (de_int, "3"),
        (de_timestamp, math.nan),
        (de_timestamp, math.inf),
        (de_timestamp, 1e300),
        (de_timestamp, "0001-01-01T00:00:00+01:00"),
        (de_timestamp, "9999-12-31T23:59:59-01:00"),
        (de_timestamp, "nan"),
        (de_timestamp, "not a time"),
        (de_timestamp, [1]),
    ],
)
def test_out_of_range_and_wrong_values_are_wire_type_errors(func: object, value: object) -> None:
    with pytest.raises(WireTypeError):
        func(value, "member")  # type: ignore[operator]


def test_in_range_values_still_parse() -> None:
    assert de_float(10**300) == 1e300
    assert de_float("-Infinity") == -math.inf
    assert de_int(3.0) == 3
    ts = de_timestamp("2026-01-02T03:04:05+01:00")
    assert ts is not None and ts.isoformat() == "2026-01-02T02:04:05+00:00"


@pytest.mark.parametrize("body", [b"[" * 200_000, b'{"a":' * 200_000])
def test_deeply_nested_json_is_a_typed_error(body: bytes) -> None:
    with pytest.raises(ResponseParseError) as info:
        parse_success(HttpResponse(200, {}, body), "Op")
    assert info.value.body_excerpt == body[:200].decode()
    info500 = parse_error(HttpResponse(500, {}, body))
    assert info500.code == "500"
    assert len(info500.message) <= 200


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (b'{"__type": 5, "message": ["x"]}', "400", '["x"]'),
        (b'{"__type": "ns#Foo:http://x", "Message": null}', "Foo", ""),
        (b'{"__type": "", "code": "BarError"}', "BarError", ""),
        (b"\x00\x01\x02", "400", "\x00\x01\x02"),
        (b"\xff" * 10, "400", "\ufffd" * 10),
        (b"   ", "400", ""),
    ],
)
def test_parse_error_never_raises(body: bytes, code: str, message: str) -> None:
    info = parse_error(HttpResponse(400, {}, body))
    assert (info.code, info.message) == (code, message)


def test_missing_profile_is_a_typed_credential_error_before_any_request() -> None:
    with ScriptedServer() as server:
        client = make_client(
            server.url,
            Config(sleep=FakeSleep()),
            aws_access_key_id=None,
            aws_secret_access_key=None,
            profile_name="no-such-profile",
        )
        with pytest.raises(CredentialRetrievalError) as info:
            client.describe_severity_levels()
    assert server.requests == []
    assert isinstance(info.value, NoCredentialsError)
    assert type(info.value.__cause__).__name__ == "ProfileNotFound"
    assert "no-such-profile" in str(info.value)


def test_no_credentials_at_all_is_a_typed_error() -> None:
    with ScriptedServer() as server:
        client = make_client(
            server.url, Config(), aws_access_key_id=None, aws_secret_access_key=None
        )
        with pytest.raises(NoCredentialsError):
            client.describe_severity_levels()
    assert server.requests == []


def test_keys_and_credential_provider_together_are_rejected() -> None:
    from helpers.clients import RotatingProvider

    with pytest.raises(ValueError, match="not both"):
        make_client(
            "http://127.0.0.1:1",
            None,
            credential_provider=RotatingProvider(),
            aws_access_key_id="AKID",
            aws_secret_access_key="s",
        )
