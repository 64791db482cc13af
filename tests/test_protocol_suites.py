"""botocore's JSON-protocol test suites, run through the generator.

For every case of ``input/json.json``, ``output/json.json``,
``input|output/json_1_0.json``, ``input|output/json_1_0-query-compatible.json``
and ``legacy/input|output/json.json`` (in ``../shared/conformance/botocore-protocols``),
a one-operation model is generated with the same pipeline as ``make generate``
(see :mod:`helpers.protocols`) and the generated client is called:

* input cases: the generated method is called with the case's ``params``
  converted to the generated types; the request the client hands to its
  transport must have the expected method, URI, every expected header,
  none of the forbidden headers, the expected host (resolved against the
  suite's ``clientEndpoint``) and a JSON-equal body;
* output cases: the canned reply goes through the client's parse path; the
  result must equal ``result`` (timestamps compared as epoch seconds, blobs
  as bytes), or for error cases the exception class, code, message and every
  modeled member must match.

Cases botocore skips (``protocol-tests-ignore-list.json``) are run too: the
awsJson specification is clear about them. The one case this client does not
pass is listed in :data:`SKIPS` with the reason; the summary line
``protocol suites: ...`` (see ``conftest.py``) gives per-file counts.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import CONFORMANCE
from helpers.convert import kwargs_for, to_python
from helpers.protocols import (
    JSON_FILES,
    Case,
    FakeTransport,
    Generated,
    Generator,
    load_cases,
    model_for,
    plain,
)
from helpers.server import Reply, ScriptedServer

from aws_runtime.config import Config
from aws_runtime.errors import ResponseParseError, ServiceError, UnsupportedOperationError
from aws_runtime.http import HttpResponse
from generator import cli
from generator.build import build_service
from generator.ir import OperationIR, TypeRef
from generator.loader import UnsupportedProtocolError, load_files
from generator.naming import NameClashError
from generator.render import param_required

ROOT = CONFORMANCE / "botocore-protocols"
CASES = load_cases(ROOT) if ROOT.is_dir() else []

# (file, case id) → (what this client does instead, why). The test asserts the
# alternative behaviour, then reports the case as skipped.
SKIPS: dict[tuple[str, str], tuple[type[Exception], str]] = {
    ("legacy/output/json.json", "3.1 Lists"): (
        ResponseParseError,
        ("the model declares MapType a string but the reply holds objects; replies are "
        "type-checked, so this raises ResponseParseError instead of passing {} through"),
    ),
    ("legacy/output/json.json", "6.0 RPC JSON Event Stream"): (
        UnsupportedOperationError,
        ("event-stream operations are not supported: the generated method raises "
        "UnsupportedOperationError"),
    ),
}

# The Smithy tests fix the idempotency token generator to this value.
FIXED_TOKEN = uuid.UUID("00000000-0000-4000-8000-000000000000")


@pytest.fixture(scope="module")
def generator(tmp_path_factory: pytest.TempPathFactory) -> Generator:
    return Generator(tmp_path_factory.mktemp("protocol-packages"))


def _operation(gen: Generated, name: str) -> OperationIR:
    return next(op for op in gen.ir.operations if op.name == name)


def _client(gen: Generated, case: Case, transport: FakeTransport, *, validate: bool) -> Any:
    return gen.client_cls(
        region_name="us-east-1",
        endpoint_url=case.suite.get("clientEndpoint", "https://example.com"),
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retry_mode="off", validate=validate),
        transport=transport,
    )


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _case_id(case: Case) -> str:
    return f"{case.file}::{case.case_id}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_case(case: Case, generator: Generator, monkeypatch: pytest.MonkeyPatch) -> None:
    skip = SKIPS.get((case.file, case.case_id))
    gen = generator.get(model_for(case))
    op = _operation(gen, case.operation)
    monkeypatch.setattr(uuid, "uuid4", lambda: FIXED_TOKEN)  # wire imports uuid lazily
    check = _check_input if case.is_input else _check_output
    if skip is None:
        check(case, gen, op)
        return
    raises, reason = skip
    with pytest.raises(raises):
        check(case, gen, op)
    pytest.skip(reason)


def _check_input(case: Case, gen: Generated, op: OperationIR) -> None:
    expected = case.case["serialized"]
    transport = FakeTransport(HttpResponse(200, {}, b"{}"))
    client = _client(gen, case, transport, validate=True)
    kwargs = kwargs_for(gen.ir, gen.models, case.operation, case.case["params"])
    getattr(client, op.method)(**kwargs)
    (request,) = transport.requests

    assert request.method == expected.get("method", "POST")
    url = urlsplit(request.url)
    uri = expected["uri"]
    endpoint_path = expected.get("host", "").partition("/")[2]
    if endpoint_path and uri == f"/{endpoint_path}/":
        # The suite joins the endpoint path with the requestUri "/"; botocore 1.44.8 sends
        # the endpoint's path as given (awsrequest._urljoin keeps it for "/"), and so does
        # this client (a real botocore client beside it: test_network.py).
        uri = f"/{endpoint_path}"
    assert url.path + (f"?{url.query}" if url.query else "") == uri
    for name, value in expected.get("headers", {}).items():
        assert _header(request.headers, name) == value, name
    for name in expected.get("forbidHeaders", []):
        assert _header(request.headers, name) is None, name
    if "host" in expected:
        # ``example.com/custom`` means host example.com with the endpoint's path kept.
        host, _, path = expected["host"].partition("/")
        assert url.netloc == host
        assert url.path.startswith(f"/{path}")

    body = request.body
    compressed = _header(request.headers, "Content-Encoding") == "gzip"
    if compressed:
        body = gzip.decompress(body)
    if "body" in expected:
        if expected["body"]:
            assert json.loads(body) == json.loads(expected["body"])
        elif compressed:  # the Smithy compression tests give no body: it is the params
            assert json.loads(body) == case.case["params"]
        else:
            assert body == b""


def _check_output(case: Case, gen: Generated, op: OperationIR) -> None:
    reply = case.case["response"]
    headers = {k.lower(): v for k, v in reply.get("headers", {}).items()}
    transport = FakeTransport(
        HttpResponse(reply["status_code"], headers, reply.get("body", "").encode("utf-8"))
    )
    client = _client(gen, case, transport, validate=False)
    # Required parameters are passed as None; validation is off, so nothing is sent for them.
    kwargs = {m.py_name: None for m in (op.input.members if op.input else ()) if param_required(m)}
    method = getattr(client, op.method)

    if "errorCode" not in case.case:
        result = method(**kwargs)
        if op.output is None:
            assert result is None
            assert case.case["result"] == {}
            return
        expected = to_python(gen.ir, gen.models, TypeRef("structure", op.output.shape), case.case["result"])
        assert plain(result) == plain(expected)
        return

    with pytest.raises(ServiceError) as info:
        method(**kwargs)
    error = info.value
    code = case.case["errorCode"]
    modeled = {e.code: e for e in gen.ir.errors}
    expected_cls = getattr(gen.errors, modeled[code].class_name) if code in modeled else getattr(
        gen.errors, gen.ir.base_error
    )
    assert type(error) is expected_cls
    assert error.code == code
    assert error.message == case.case.get("errorMessage", "")
    fields = case.case.get("error", {})
    if code in modeled:
        for member in modeled[code].members:
            value = getattr(error, member.py_name)
            if member.py_name == "message":
                continue  # the base class's message, checked above
            want = fields.get(member.name)
            assert plain(value) == plain(to_python(gen.ir, gen.models, member.type, want)), member.name
    else:
        assert fields == {}


def test_every_json_file_was_found() -> None:
    assert ROOT.is_dir(), f"conformance data not found at {ROOT}"
    counts: dict[str, int] = {}
    for case in CASES:
        counts[case.file] = counts.get(case.file, 0) + 1
    assert counts == {
        "input/json.json": 54,
        "output/json.json": 58,
        "input/json_1_0.json": 21,
        "output/json_1_0.json": 32,
        "input/json_1_0-query-compatible.json": 1,
        "output/json_1_0-query-compatible.json": 2,
        "legacy/input/json.json": 24,
        "legacy/output/json.json": 20,
    }


def test_skips_name_real_cases() -> None:
    ids = {(c.file, c.case_id) for c in CASES}
    assert set(SKIPS) <= ids


def test_union_reply_with_an_unknown_member(generator: Generator) -> None:
    """A union member this model does not know is reported by name, as botocore's
    ``SDK_UNKNOWN_MEMBER`` is; ``__type`` and nulls are not members."""
    case = next(c for c in CASES if c.case_id == "AwsJson11DeserializeIgnoreType")
    gen = generator.get(model_for(case))
    op = _operation(gen, case.operation)
    body = b'{"contents": {"__type": "ns#MyUnion", "stringValue": null, "newKind": {"a": 1}}}'
    client = _client(gen, case, FakeTransport(HttpResponse(200, {}, body)), validate=False)
    result = getattr(client, op.method)()
    assert plain(result) == {"contents": {"sdk_unknown_member": "newKind"}}

    known = b'{"contents": {"stringValue": "x", "newKind": 1}}'
    client = _client(gen, case, FakeTransport(HttpResponse(200, {}, known)), validate=False)
    assert plain(getattr(client, op.method)()) == {"contents": {"string_value": "x"}}


def test_generated_protocol_packages_pass_mypy_strict_and_ruff(generator: Generator) -> None:
    """Every package generated for the suites type-checks and lints like aws_support."""
    for case in CASES:
        generator.get(model_for(case))
    root = Path(__file__).resolve().parent.parent
    packages = sorted(p.name for p in generator.out_dir.glob("proto_*"))
    assert len(packages) == len(generator.cache) > 50
    env = {**os.environ, "MYPYPATH": str(root)}
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *packages],
        cwd=generator.out_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(root / "pyproject.toml"), *packages],
        cwd=generator.out_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


OTHER_PROTOCOL_FILES = sorted(
    str(p.relative_to(ROOT))
    for p in [*ROOT.glob("input/*.json"), *ROOT.glob("legacy/input/*.json")]
    if str(p.relative_to(ROOT)) not in JSON_FILES
) if ROOT.is_dir() else []


@pytest.mark.parametrize("rel", OTHER_PROTOCOL_FILES)
def test_other_protocols_are_refused(rel: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """rest-json, query, rest-xml, ec2 and cbor models stop generation with a clear error."""
    suite = json.loads((ROOT / rel).read_text(encoding="utf-8"))[0]
    case = Case(rel, "first", suite, suite["cases"][0])
    protocol = suite["metadata"]["protocol"]
    model_path = tmp_path / "service-2.json"
    model_path.write_text(json.dumps(model_for(case)), encoding="utf-8")
    with pytest.raises(UnsupportedProtocolError, match=f"protocol '{protocol}' is not supported"):
        load_files(model_path)
    assert cli.main(["--model", str(model_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"protocol '{protocol}' is not supported" in err
    assert not (tmp_path / "out").exists()


def test_a_model_listing_json_among_its_protocols_is_accepted(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.case_id == "AwsJson11EndpointTrait")
    model = model_for(case)
    model["metadata"] = {**model["metadata"], "protocol": "smithy-rpc-v2-cbor", "protocols": ["smithy-rpc-v2-cbor", "json"]}
    path = tmp_path / "service-2.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    assert load_files(path).service["metadata"]["protocols"] == ["smithy-rpc-v2-cbor", "json"]


def test_a_union_member_named_like_the_unknown_field_is_a_clash(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.case_id == "AwsJson11DeserializeIgnoreType")
    model = model_for(case)
    union = next(s for s in model["shapes"].values() if s.get("union"))
    union["members"]["SdkUnknownMember"] = {"shape": "String"}
    path = tmp_path / "service-2.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    with pytest.raises(NameClashError, match="sdk_unknown_member"):
        build_service(load_files(path))


def test_lists_case_passes_once_the_model_typo_is_fixed(generator: Generator) -> None:
    """The skipped legacy "Lists" case: with ``MapType`` declared a map, as its
    name and ``key``/``value`` say, the reply parses to the expected result."""
    case = next(c for c in CASES if (c.file, c.case_id) == ("legacy/output/json.json", "3.1 Lists"))
    suite = json.loads(json.dumps(case.suite))
    suite["shapes"]["MapType"]["type"] = "map"
    fixed = Case(case.file, case.case_id, suite, case.case)
    gen = generator.get(model_for(fixed))
    _check_output(fixed, gen, _operation(gen, fixed.operation))


def test_idempotency_token_is_a_fresh_uuid4_reused_across_retries(generator: Generator) -> None:
    case = next(c for c in CASES if c.suite["description"] == "Idempotency token auto fill")
    gen = generator.get(model_for(case))
    op = _operation(gen, case.operation)
    script = [Reply(status=500, body=b""), Reply(status=200, body=b"{}")] * 2
    with ScriptedServer(script) as server:
        client = gen.client_cls(
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=Config(max_attempts=2, sleep=lambda _: None),
        )
        getattr(client, op.method)()
        getattr(client, op.method)()
        client.close()
    tokens = [json.loads(r.body)["Token"] for r in server.requests]
    assert len(tokens) == 4
    assert tokens[0] == tokens[1] != tokens[2] == tokens[3]
    assert all(uuid.UUID(t).version == 4 for t in tokens)
    server_given = [json.loads(r.body) for r in server.requests]
    assert all(set(body) == {"Token"} for body in server_given)
