"""For every Support operation, the request this client sends equals botocore's.

Both clients talk to the same scripted local server with the same parameters
(built from the model, every member filled within its limits); X-Amz-Target and
Content-Type must be identical and the bodies equal as parsed JSON (this client
encodes with msgspec: compact, raw UTF-8, so the bytes may differ). Content-Length
and the SigV4 signature are over the bytes this client sent: botocore's own
signer, fed those bytes at the same time, computes the same Authorization.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from helpers.convert import example_params, kwargs_for
from helpers.server import Reply, ScriptedServer
from helpers.signing import botocore_sign

import aws_support
from aws_support import SupportClient
from generator.loader import load_service

MODEL = load_service("support").service
OPERATIONS = list(MODEL["operations"])


def test_all_twenty_operations_are_covered() -> None:
    assert len(OPERATIONS) == 20


@pytest.fixture(scope="module")
def captured(support_ir: Any) -> dict[str, tuple[Any, Any]]:
    import boto3
    from botocore import xform_name
    from botocore.config import Config as BotoConfig

    out: dict[str, tuple[Any, Any]] = {}
    with ScriptedServer([Reply(body=b"{}")]) as server:
        ours = SupportClient(
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
        )
        theirs = boto3.session.Session().client(
            "support",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=BotoConfig(retries={"total_max_attempts": 1}),
        )
        for op in OPERATIONS:
            params = example_params(MODEL, op)
            getattr(ours, xform_name(op))(**kwargs_for(support_ir, aws_support.models, op, params))
            mine = server.requests[-1]
            getattr(theirs, xform_name(op))(**params)
            boto = server.requests[-1]
            out[op] = (mine, boto)
    return out


@pytest.mark.parametrize("operation", OPERATIONS)
def test_request_matches_botocore(operation: str, captured: dict[str, tuple[Any, Any]]) -> None:
    mine, boto = captured[operation]
    assert mine.method == boto.method == "POST"
    assert mine.path == boto.path == "/"
    assert mine.headers["x-amz-target"] == boto.headers["x-amz-target"] == f"AWSSupport_20130415.{operation}"
    assert mine.headers["content-type"] == boto.headers["content-type"] == "application/x-amz-json-1.1"
    assert mine.json() == boto.json()
    assert mine.json() != {} or operation not in ("CreateCase", "DescribeCases")
    assert int(mine.headers["content-length"]) == len(mine.body)
    assert int(boto.headers["content-length"]) == len(boto.body)


@pytest.mark.parametrize("operation", ["CreateCase", "DescribeCases", "AddAttachmentsToSet"])
def test_signature_is_over_the_bytes_sent(operation: str, captured: dict[str, tuple[Any, Any]]) -> None:
    """botocore's SigV4Auth over this client's exact body and headers gives the same
    Authorization: the payload hash covers the compact msgspec bytes that were sent."""
    mine, _ = captured[operation]
    when = dt.datetime.strptime(mine.headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
    headers = {
        name: mine.headers[name]
        for name in ("content-type", "x-amz-target")
    }
    again = botocore_sign(
        "POST",
        "http://" + mine.headers["host"] + "/",
        headers,
        mine.body,
        access_key="AKIDEXAMPLE",
        secret_key="secret",
        service="support",
        region="us-east-1",
        when=when,
    )
    assert again["Authorization"] == mine.headers["authorization"]


def test_signed_headers_match_botocore(captured: dict[str, tuple[Any, Any]]) -> None:
    mine, boto = captured["CreateCase"]
    signed = lambda h: h["authorization"].split("SignedHeaders=")[1].split(",")[0]
    assert signed(mine.headers) == signed(boto.headers) == "content-type;host;x-amz-date;x-amz-target"
    assert int(mine.headers["content-length"]) == len(mine.body)
