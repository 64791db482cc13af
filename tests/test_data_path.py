"""The msgspec data path: replies decoded from the body bytes in one pass, requests
encoded natively, replies turned back into boto3's dict, and the environment
credential provider without botocore.

Reply rules are checked against botocore's own JSON parser on the same bytes
(``to_dict`` of our typed result must equal what boto3 returns), and the
credential precedence against botocore's own chain.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pytest

from aws_runtime import wire
from aws_runtime.credentials import BotocoreChainProvider, environment_credentials
from aws_runtime.errors import CredentialRetrievalError
from aws_support import _serde, models

KITCHEN = Path(__file__).resolve().parent / "fixtures" / "expected"
UTC = dt.timezone.utc


def botocore_parse(operation: str, body: bytes) -> Any:
    """What boto3 returns for ``body`` (botocore's JSON parser and Support's model)."""
    import botocore.session
    from botocore.parsers import create_parser

    model = botocore.session.get_session().get_service_model("support")
    shape = model.operation_model(operation).output_shape
    parsed = create_parser("json").parse(
        {"body": body, "headers": {}, "status_code": 200}, shape
    )
    parsed.pop("ResponseMetadata", None)
    return parsed


SUMMARIES = {
    "summaries": [
        {
            "checkId": "c1",
            "timestamp": "2026-01-02T03:04:05Z",
            "status": "warning",
            "hasFlaggedResources": True,
            "resourcesSummary": {
                "resourcesProcessed": 10,
                "resourcesFlagged": 2,
                "resourcesIgnored": 0,
                "resourcesSuppressed": 0,
            },
            "categorySpecificSummary": {
                "costOptimizing": {
                    "estimatedMonthlySavings": 12,  # an integer literal for a double
                    "estimatedPercentMonthlySavings": 0.25,
                }
            },
            "aNewMember": {"ignored": [1, 2]},
        },
        None,  # a null item stays in place
        {"checkId": "c3", "status": None, "resourcesSummary": None},
    ]
}


def test_reply_equals_botocore_parse_as_boto3_dict() -> None:
    body = json.dumps(SUMMARIES).encode()
    reply = _serde.parse_describe_trusted_advisor_check_summaries_response(body)
    summaries = reply.summaries
    assert summaries is not None and summaries[1] is None
    first, third = summaries[0], summaries[2]
    assert first is not None and third is not None
    savings = first.category_specific_summary
    assert savings is not None and savings.cost_optimizing is not None
    assert savings.cost_optimizing.estimated_monthly_savings == 12.0
    assert type(savings.cost_optimizing.estimated_monthly_savings) is float
    assert third.status is None and third.resources_summary is None  # required, yet absent
    # boto3's dict for the same bytes: wire names, None members left out
    assert wire.to_dict(reply) == botocore_parse("DescribeTrustedAdvisorCheckSummaries", body)
    assert json.loads(wire.to_json(reply)) == wire.to_dict(reply)


def test_non_finite_double_strings_are_floats() -> None:
    for text, check in (
        ("NaN", math.isnan),
        ("Infinity", lambda v: v == math.inf),
        ("-Infinity", lambda v: v == -math.inf),
    ):
        body = json.dumps(
            {"summaries": [{"categorySpecificSummary": {"costOptimizing": {"estimatedMonthlySavings": text}}}]}
        ).encode()
        reply = _serde.parse_describe_trusted_advisor_check_summaries_response(body)
        assert reply.summaries is not None and reply.summaries[0] is not None
        cso = reply.summaries[0].category_specific_summary
        assert cso is not None and cso.cost_optimizing is not None
        assert check(cso.cost_optimizing.estimated_monthly_savings)


def describe_cases_body(bad: Any) -> bytes:
    cases: list[Any] = [
        {"caseId": f"case-{i}", "recentCommunications": {"communications": []}} for i in range(5)
    ]
    cases[3]["recentCommunications"] = bad
    return json.dumps({"cases": cases}).encode()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (describe_cases_body("text"), "member cases[3].recentCommunications should be an object, got str"),
        (describe_cases_body([1]), "member cases[3].recentCommunications should be an object, got array"),
        (
            describe_cases_body({"communications": [{"caseId": 7}]}),
            "member cases[3].recentCommunications.communications[0].caseId should be a string, got int",
        ),
        (b'{"cases": [{"caseId": "\xff"}]}', "body is not JSON (UnicodeDecodeError)"),
        (b'{"cases": [', "body is not JSON (JSONDecodeError)"),
        (b'{"cases": [{"x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}]}", "body is not JSON (RecursionError)"),
        (b"[]", "expected a JSON object, got an array"),
    ],
)
def test_wrong_replies_name_the_path_and_are_never_msgspec_errors(body: bytes, reason: str) -> None:
    with pytest.raises(wire.ReplyDecodeError) as info:
        _serde.parse_describe_cases_response(body)
    assert str(info.value) == reason
    assert not isinstance(info.value, msgspec.MsgspecError)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_empty_body_and_unknown_members() -> None:
    assert _serde.parse_describe_cases_response(b"") == models.DescribeCasesResponse()
    assert _serde.parse_describe_cases_response(b" \n") == models.DescribeCasesResponse()
    reply = _serde.parse_describe_cases_response(b'{"cases": null, "nextToken": "t", "more": {"a": [null]}}')
    assert reply == models.DescribeCasesResponse(cases=None, next_token="t")


def test_long_keeps_every_64_bit_value() -> None:
    body = json.dumps({"status": {"checkId": "c", "millisUntilNextRefreshable": 2**63 - 1}}).encode()
    reply = _serde.parse_refresh_trusted_advisor_check_response(body)
    assert reply.status is not None and reply.status.millis_until_next_refreshable == 2**63 - 1
    body = json.dumps({"status": {"millisUntilNextRefreshable": -(2**63)}}).encode()
    reply = _serde.parse_refresh_trusted_advisor_check_response(body)
    assert reply.status is not None and reply.status.millis_until_next_refreshable == -(2**63)


def test_one_cached_decoder_per_operation_output() -> None:
    parse = _serde.parse_describe_cases_response
    parse(b"{}")
    first = parse._decoder
    parse(b'{"cases": []}')
    assert first is not None and parse._decoder is first


@pytest.fixture(scope="module")
def kitchen() -> Iterator[ModuleType]:
    """The committed kitchen-sink fixture package (timestamps, blobs, nested maps)."""
    sys.path.insert(0, str(KITCHEN))
    try:
        yield importlib.import_module("aws_kitchen")
    finally:
        sys.path.remove(str(KITCHEN))
        for name in [m for m in sys.modules if m == "aws_kitchen" or m.startswith("aws_kitchen.")]:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (1767323045, dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
        (1767323045.25, dt.datetime(2026, 1, 2, 3, 4, 5, 250000, tzinfo=UTC)),
        ("2026-01-02T03:04:05Z", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2026-01-02T04:04:05+01:00", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2026-01-02T03:04:05", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("Fri, 02 Jan 2026 03:04:05 GMT", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ],
)
def test_timestamps_are_aware_utc_datetimes(kitchen: ModuleType, when: Any, expected: dt.datetime) -> None:
    body = json.dumps({"when": when, "payload": "AP8=", "color": "mauve"}).encode()
    reply = kitchen._serde.parse_put_thing_output(body)
    assert reply.when == expected and reply.when.tzinfo is not None
    assert reply.when.utcoffset() == dt.timedelta(0)
    assert reply.payload == b"\x00\xff"  # base64 decoded once
    assert reply.color == "mauve"  # a value the model does not list is kept


def test_nested_nulls_and_wrong_timestamps(kitchen: ModuleType) -> None:
    body = b'{"forest": {"a": [{"value": "v", "children": [null]}, null], "b": null}}'
    reply = kitchen._serde.parse_put_thing_output(body)
    node = kitchen.models.Node
    assert reply.forest == {"a": [node(value="v", children=[None]), None], "b": None}
    with pytest.raises(wire.ReplyDecodeError, match=r"^member when should be a timestamp, got str$"):
        kitchen._serde.parse_put_thing_output(b'{"when": "yesterday"}')
    with pytest.raises(wire.ReplyDecodeError, match=r"^member payload should be base64 text$"):
        kitchen._serde.parse_put_thing_output(b'{"payload": "!!"}')


def test_to_dict_keeps_bytes_and_datetimes(kitchen: ModuleType) -> None:
    reply = kitchen._serde.parse_put_thing_output(b'{"when": 0, "payload": "AP8=", "names": ["a", null]}')
    assert wire.to_dict(reply) == {
        "when": dt.datetime(1970, 1, 1, tzinfo=UTC),
        "payload": b"\x00\xff",
        "names": ["a", None],
    }
    assert json.loads(wire.to_json(reply)) == {
        "when": "1970-01-01T00:00:00Z",
        "payload": "AP8=",
        "names": ["a", None],
    }


def test_request_encoding_leaves_none_out_and_sends_false_zero_empty(kitchen: ModuleType) -> None:
    m = kitchen.models
    request = m.PutThingInput(id="i", type_=m.Color.RED, flag=False, count=0, from_="", ratio=math.nan)
    sent = json.loads(wire.encode_request(kitchen._serde.serialize_put_thing_input(request)))
    assert sent["flag"] is False and sent["Count"] == 0 and sent["from"] == ""
    assert sent["ratio"] == "NaN" and sent["type"] == "red"
    assert "self" not in sent and "when" not in sent
    # validation off: a required member set to None is left out, as botocore does
    unchecked = m.Node(value=None, children=[m.Node(value="x")])
    assert json.loads(wire.encode_request(unchecked, validated=False)) == {"children": [{"value": "x"}]}


# ------------------------------------------------------------- credentials


def _botocore_keys(profile: str | None = None) -> tuple[str, str, str | None] | type[Exception]:
    import botocore.session

    try:
        creds = botocore.session.Session(profile=profile).get_credentials()
    except Exception as exc:  # noqa: BLE001  # any botocore failure is compared by kind
        return type(exc)
    assert creds is not None
    frozen = creds.get_frozen_credentials()
    return frozen.access_key, frozen.secret_key, frozen.token


def _ours(profile: str | None = None) -> tuple[str, str, str | None] | type[Exception]:
    try:
        creds = BotocoreChainProvider(profile).load()
    except CredentialRetrievalError:
        return CredentialRetrievalError
    return creds.access_key, creds.secret_key, creds.token


@pytest.fixture
def profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "credentials"
    path.write_text(
        "[default]\naws_access_key_id = AKDEFAULT\naws_secret_access_key = sdefault\n"
        "[named]\naws_access_key_id = AKNAMED\naws_secret_access_key = snamed\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(path))


@pytest.mark.parametrize(
    ("env", "profile", "expected"),
    [
        ({"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "senv"}, None, ("AKENV", "senv", None)),
        (
            {"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "senv", "AWS_SESSION_TOKEN": "t2", "AWS_SECURITY_TOKEN": "t1"},
            None,
            ("AKENV", "senv", "t1"),
        ),
        ({"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "senv", "AWS_SESSION_TOKEN": "t2"}, None, ("AKENV", "senv", "t2")),
        # an explicitly named profile skips the environment keys
        ({"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "senv"}, "named", ("AKNAMED", "snamed", None)),
        # AWS_PROFILE does not: the environment keys still win...
        ({"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "senv", "AWS_PROFILE": "named"}, None, ("AKENV", "senv", None)),
        # ...but a missing AWS_PROFILE profile is still an error, as in botocore
        ({"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "senv", "AWS_PROFILE": "nope"}, None, CredentialRetrievalError),
        ({"AWS_ACCESS_KEY_ID": "AKENV"}, None, CredentialRetrievalError),  # partial keys
        ({"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "senv"}, None, ("AKDEFAULT", "sdefault", None)),
        ({}, None, ("AKDEFAULT", "sdefault", None)),
    ],
)
def test_environment_provider_keeps_botocore_precedence(
    profiles: None, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], profile: str | None, expected: Any
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    theirs = _botocore_keys(profile)
    assert _ours(profile) == expected
    if expected is CredentialRetrievalError:
        assert isinstance(theirs, type) and issubclass(theirs, Exception)
    else:
        assert theirs == expected


def test_environment_keys_need_no_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "senv")
    monkeypatch.setitem(sys.modules, "botocore.session", None)  # importing it would fail
    provider = BotocoreChainProvider()
    assert provider.load().access_key == "AKENV"
    assert provider.refreshable is False
    assert environment_credentials({"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "AWS_CREDENTIAL_EXPIRATION": "x"}) is None


def test_non_finite_literals_are_read_as_json_loads_reads_them() -> None:
    """botocore reads replies with json.loads, which takes bare NaN/Infinity literals."""
    body = b'{"summaries": [{"categorySpecificSummary": {"costOptimizing": {"estimatedMonthlySavings": -Infinity}}, "x": NaN}]}'
    reply = _serde.parse_describe_trusted_advisor_check_summaries_response(body)
    assert reply.summaries is not None and reply.summaries[0] is not None
    cso = reply.summaries[0].category_specific_summary
    assert cso is not None and cso.cost_optimizing is not None
    assert cso.cost_optimizing.estimated_monthly_savings == -math.inf
