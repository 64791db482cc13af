"""SigV4: the AWS test suite, and botocore's ``SigV4Auth`` as a second opinion.

Suite (``../shared/conformance/sigv4/aws4_testsuite``, 34 cases): each ``.req``
is parsed into an :class:`HttpRequest` (repeated headers are signed through
``extra_headers``) and signed by :class:`aws_runtime.sigv4.SigV4Signer` with the
suite's credentials, region ``us-east-1``, service ``service`` and time
2015-08-30T12:36:00Z; the canonical request, string to sign and
Authorization header must equal the ``.creq``, ``.sts`` and ``.authz`` files
(``\\r`` removed). Where the ``.creq`` signs ``x-amz-security-token``, the
credentials carry that token.

Differential: every AWS Support operation's request, as the generated client
builds it, signed by our signer and by botocore at a fixed time, with and
without a session token, gives the same Authorization header; so does a
non-ASCII body, checked on the bytes a local server actually received.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CONFORMANCE
from helpers.convert import example_params, kwargs_for
from helpers.protocols import FakeTransport
from helpers.server import ScriptedServer
from helpers.signing import botocore_sign

import aws_support
from aws_runtime.credentials import Credentials
from aws_runtime.http import HttpRequest, HttpResponse
from aws_runtime.sigv4 import SigV4Signer
from aws_support import SupportClient
from generator.loader import load_service

SUITE = CONFORMANCE / "sigv4" / "aws4_testsuite"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SUITE_TIME = dt.datetime(2015, 8, 30, 12, 36, 0, tzinfo=dt.timezone.utc)

# case name → why it is not passed. Empty: all 34 pass.
SKIPS: dict[str, str] = {}


def _case_dirs() -> list[Path]:
    if not SUITE.is_dir():
        return []
    return sorted(p.parent for p in SUITE.rglob("*.req"))


CASES = _case_dirs()


def _case_name(path: Path) -> str:
    return path.relative_to(SUITE).as_posix()


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8").replace("\r", "")


def parse_request(text: str) -> tuple[HttpRequest, list[tuple[str, str]]]:
    """A ``.req`` file → the request (first value of each header) and the repeats.

    The request line is ``METHOD TARGET HTTP/1.1`` where TARGET may contain raw
    spaces and UTF-8; header lines are ``Name:value``; a line starting with
    whitespace continues the previous value; a blank line starts the body.
    """
    head, sep, body = text.partition("\n\n")
    lines = head.split("\n")
    method, _, rest = lines[0].partition(" ")
    target = rest.rsplit(" ", 1)[0]
    pairs: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:  # a trailing newline after the last header (two files have one)
            continue
        if line[:1] in (" ", "\t") and pairs:
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value}\n{line}")
        else:
            name, _, value = line.partition(":")
            pairs.append((name, value))
    headers: dict[str, str] = {}
    repeats: list[tuple[str, str]] = []
    for name, value in pairs:
        if name in headers:
            repeats.append((name, value))
        else:
            headers[name] = value
    host = next(v for n, v in pairs if n.lower() == "host")
    request = HttpRequest(method, f"https://{host}{target}", headers, body.encode("utf-8") if sep else b"")
    return request, repeats


def test_suite_has_34_cases() -> None:
    assert len(CASES) == 34


@pytest.mark.parametrize(
    "case", CASES, ids=lambda p: f"aws4_testsuite::{_case_name(p)}"
)
def test_suite_case(case: Path) -> None:
    name = _case_name(case)
    if name in SKIPS:
        pytest.skip(SKIPS[name])
    stem = case / case.name
    request, repeats = parse_request(_read(stem.with_suffix(".req")))
    creq = _read(stem.with_suffix(".creq"))
    token = next(
        (line.split(":", 1)[1] for line in creq.split("\n") if line.startswith("x-amz-security-token:")),
        None,
    )
    signer = SigV4Signer("service", "us-east-1")
    result = signer.sign(
        request, Credentials(ACCESS_KEY, SECRET_KEY, token), SUITE_TIME, extra_headers=repeats
    )
    assert result.canonical_request == creq
    assert result.string_to_sign == _read(stem.with_suffix(".sts"))
    assert result.authorization == _read(stem.with_suffix(".authz"))
    assert request.headers["Authorization"] == result.authorization
    assert request.headers["X-Amz-Date"] == "20150830T123600Z"


# ------------------------------------------------------------- differential

MODEL = load_service("support").service
OPERATIONS = list(MODEL["operations"])
FIXED = dt.datetime(2026, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc)
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//session+token=="


@pytest.fixture(scope="module")
def support_requests(support_ir: Any) -> dict[str, HttpRequest]:
    """The request the generated client builds for every operation (example params)."""
    transport = FakeTransport(HttpResponse(200, {}, b"{}"))
    client = SupportClient(
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        transport=transport,
    )
    out: dict[str, HttpRequest] = {}
    for op in OPERATIONS:
        method = next(o.method for o in support_ir.operations if o.name == op)
        kwargs = kwargs_for(support_ir, aws_support.models, op, example_params(MODEL, op))
        getattr(client, method)(**kwargs)
        out[op] = transport.requests[-1]
    return out


def _unsigned(request: HttpRequest) -> HttpRequest:
    """The request as it was before signing (signer and pipeline headers removed)."""
    drop = {"authorization", "x-amz-date", "x-amz-security-token", "user-agent"}
    headers = {
        k: v for k, v in request.headers.items() if k.lower() not in drop and not k.lower().startswith("amz-sdk-")
    }
    return HttpRequest(request.method, request.url, headers, request.body)


@pytest.mark.parametrize("token", [None, TOKEN], ids=["keys", "session-token"])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_signature_equals_botocore(
    operation: str, token: str | None, support_requests: dict[str, HttpRequest]
) -> None:
    base = _unsigned(support_requests[operation])
    assert base.url == "https://support.us-east-1.amazonaws.com/"
    assert set(base.headers) == {"X-Amz-Target", "Content-Type"}
    ours = HttpRequest(base.method, base.url, dict(base.headers), base.body)
    SigV4Signer("support", "us-east-1").sign(ours, Credentials(ACCESS_KEY, SECRET_KEY, token), FIXED)
    theirs = botocore_sign(
        base.method,
        base.url,
        base.headers,
        base.body,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        token=token,
        service="support",
        region="us-east-1",
        when=FIXED.replace(tzinfo=None),
    )
    assert ours.headers["Authorization"] == theirs["Authorization"]
    assert ours.headers["X-Amz-Date"] == theirs["X-Amz-Date"] == "20260203T040506Z"
    signed = "content-type;host;x-amz-date;x-amz-security-token;x-amz-target" if token else (
        "content-type;host;x-amz-date;x-amz-target"
    )
    assert f"SignedHeaders={signed}," in ours.headers["Authorization"]
    if token:
        assert ours.headers["X-Amz-Security-Token"] == theirs["X-Amz-Security-Token"] == TOKEN
    else:
        assert "X-Amz-Security-Token" not in ours.headers


def test_raw_utf8_body_is_hashed_as_bytes() -> None:
    body = '{"subject": "café ☕ 日本"}'.encode()
    request = HttpRequest(
        "POST",
        "https://support.us-east-1.amazonaws.com/",
        {"X-Amz-Target": "AWSSupport_20130415.CreateCase", "Content-Type": "application/x-amz-json-1.1"},
        body,
    )
    theirs = botocore_sign(
        request.method, request.url, request.headers, body,
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, service="support", region="us-east-1",
        when=FIXED.replace(tzinfo=None),
    )
    result = SigV4Signer("support", "us-east-1").sign(request, Credentials(ACCESS_KEY, SECRET_KEY), FIXED)
    assert result.canonical_request.endswith("\n" + hashlib.sha256(body).hexdigest())
    assert result.authorization == theirs["Authorization"]


@pytest.mark.parametrize("token", [None, TOKEN], ids=["keys", "session-token"])
def test_non_ascii_request_as_received_matches_botocore(token: str | None) -> None:
    """Content-Length and the signature cover the UTF-8 bytes the server received."""
    with ScriptedServer() as server, SupportClient(
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=token,
    ) as client:
        client.add_communication_to_case(
            case_id="case-1", communication_body="Grüße, 東京 ☕ — naïve café"
        )
    (received,) = server.requests
    assert int(received.headers["content-length"]) == len(received.body)
    assert json.loads(received.body)["communicationBody"] == "Grüße, 東京 ☕ — naïve café"
    signed = received.headers["authorization"].split("SignedHeaders=")[1].split(",")[0]
    assert signed == (
        "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
        if token
        else "content-type;host;x-amz-date;x-amz-target"
    )
    theirs = botocore_sign(
        "POST",
        f"{server.url}/",
        {"X-Amz-Target": received.headers["x-amz-target"], "Content-Type": received.headers["content-type"]},
        received.body,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        token=token,
        service="support",
        region="us-east-1",
        when=dt.datetime.strptime(received.headers["x-amz-date"], "%Y%m%dT%H%M%SZ"),
    )
    assert received.headers["authorization"] == theirs["Authorization"]
