"""The compiled Support endpoint resolver, and how the client uses it.

(a) Conformance: the rule set in ``../shared/conformance/botocore-data`` (botocore
    1.43.11) is compiled by generating a package from that model directory with
    the CLI (``--model``/``--ruleset``/``--paginators``); all 27 cases of
    ``endpoint-rules/support/endpoint-tests-1.json`` must give the exact URL,
    properties (signing region and name) and error messages. The pinned botocore
    ships a newer rule set whose FIPS/global answers differ, so these cases are
    not run against ``generated/aws_support``.
(b) Differential: ``aws_support.endpoints`` (compiled from the pinned botocore)
    equals botocore's own ``EndpointProvider`` for the 27 parameter sets and a
    grid of every known region and some unknown ones × FIPS × dual-stack ×
    custom endpoint.
(c) Client: the resolved URL and signing region are what the client uses, from
    arguments, ``Config`` and the environment.
"""

from __future__ import annotations

import copy
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CONFORMANCE
from helpers.protocols import FakeTransport
from helpers.server import ScriptedServer

import aws_support
from aws_runtime.client import InvalidRegionError
from aws_runtime.config import Config
from aws_runtime.errors import EndpointResolutionError
from aws_runtime.http import HttpResponse
from aws_support import SupportClient
from aws_support.endpoints import resolve_endpoint as pinned_resolve
from generator import cli
from generator.endpoints import compile_ruleset
from generator.loader import load_files, load_service

MODEL_DIR = CONFORMANCE / "botocore-data" / "support" / "2013-04-15"
TESTS_FILE = CONFORMANCE / "endpoint-rules" / "support" / "endpoint-tests-1.json"
TEST_CASES: list[dict[str, Any]] = (
    json.loads(TESTS_FILE.read_text(encoding="utf-8"))["testCases"] if TESTS_FILE.is_file() else []
)
# Rule-set parameter name → resolver keyword argument.
KWARGS = {"Region": "region", "UseFIPS": "use_fips", "UseDualStack": "use_dual_stack", "Endpoint": "endpoint"}


def _kwargs(params: dict[str, Any]) -> dict[str, Any]:
    return {KWARGS[name]: value for name, value in params.items()}


def _outcome(resolve: Any, **kwargs: Any) -> dict[str, Any]:
    """``{"endpoint": {url, properties, headers}}`` or ``{"error": message}``."""
    try:
        ep = resolve(**kwargs)
    except EndpointResolutionError as exc:
        return {"error": str(exc)}
    return {"endpoint": {"url": ep.url, "properties": dict(ep.properties), "headers": dict(ep.headers)}}


# ------------------------------------------------------------ (a) conformance


@pytest.fixture(scope="module")
def conformance_package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Generate ``conf_support`` from the conformance model files through the CLI."""
    out = tmp_path_factory.mktemp("endpoint-conformance")
    code = cli.main(
        [
            "--model",
            str(MODEL_DIR / "service-2.json"),
            "--paginators",
            str(MODEL_DIR / "paginators-1.json"),
            "--ruleset",
            str(MODEL_DIR / "endpoint-rule-set-1.json"),
            "--package",
            "conf_support",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    sys.path.insert(0, str(out))
    try:
        importlib.invalidate_caches()
        yield importlib.import_module("conf_support")
    finally:
        sys.path.remove(str(out))


def test_there_are_27_cases() -> None:
    assert len(TEST_CASES) == 27


@pytest.mark.parametrize(
    "case",
    TEST_CASES,
    ids=[f"endpoint-tests-1.json::{i:02d} {c['documentation']}" for i, c in enumerate(TEST_CASES)],
)
def test_conformance_case(case: dict[str, Any], conformance_package: Any) -> None:
    got = _outcome(conformance_package.endpoints.resolve_endpoint, **_kwargs(case.get("params", {})))
    expect = case["expect"]
    if "error" in expect:
        assert got == {"error": expect["error"]}
    else:
        want = expect["endpoint"]
        assert got == {
            "endpoint": {
                "url": want["url"],
                "properties": want.get("properties", {}),
                "headers": want.get("headers", {}),
            }
        }


def test_cli_model_generation_matches_the_library_path(conformance_package: Any) -> None:
    """``--model`` with explicit paths = the same files picked up next to the model."""
    sources = load_files(MODEL_DIR / "service-2.json")
    assert sources.service_name == "support"
    assert sources.global_region == "aws-global"
    assert sources.paginators["pagination"]
    assert sources.ruleset == json.loads((MODEL_DIR / "endpoint-rule-set-1.json").read_text())
    client_cls = conformance_package.SupportClient
    assert client_cls._SERVICE.global_region == "aws-global"
    assert conformance_package.MODEL_SHA256 != aws_support.MODEL_SHA256


# ------------------------------------------------------------ (b) differential

_LOADER_DATA = load_service("support")


@pytest.fixture(scope="module")
def botocore_resolve() -> Any:
    from botocore.endpoint_provider import EndpointProvider
    from botocore.exceptions import EndpointResolutionError as BotoEndpointError

    provider = EndpointProvider(_LOADER_DATA.ruleset, _LOADER_DATA.partitions)
    params = {v: k for k, v in KWARGS.items()}

    def resolve(**kwargs: Any) -> Any:
        try:
            ep = provider.resolve_endpoint(**{params[k]: v for k, v in kwargs.items() if v is not None})
        except BotoEndpointError as exc:
            raise EndpointResolutionError(str(exc.kwargs["msg"])) from None
        return ep

    return resolve


def _grid() -> list[dict[str, Any]]:
    regions: list[str] = []
    for part in _LOADER_DATA.partitions["partitions"]:
        regions.extend(part["regions"])
    regions += [
        "us-west-99",
        "eu-central-9",
        "cn-south-7",
        "us-gov-central-3",
        "us-iso-north-2",
        "us-isob-west-5",
        "eu-isoe-west-9",
        "us-isof-north-9",
        "eusc-de-west-9",
        "mars-west-1",
        "not a region!",
        "",
    ]
    grid = []
    for region in [*regions, None]:
        for fips in (False, True):
            for dual in (False, True):
                for endpoint in (None, "https://example.com/base"):
                    grid.append({"region": region, "use_fips": fips, "use_dual_stack": dual, "endpoint": endpoint})
    return grid


GRID = _grid()


@pytest.mark.parametrize("case", TEST_CASES, ids=[c["documentation"] for c in TEST_CASES])
def test_pinned_resolver_equals_botocore_on_the_test_params(case: dict[str, Any], botocore_resolve: Any) -> None:
    kwargs = _kwargs(case.get("params", {}))
    assert _outcome(pinned_resolve, **kwargs) == _outcome(botocore_resolve, **kwargs)


def test_pinned_resolver_equals_botocore_on_a_grid(botocore_resolve: Any) -> None:
    assert len(GRID) > 300
    mismatches = []
    for kwargs in GRID:
        ours, theirs = _outcome(pinned_resolve, **kwargs), _outcome(botocore_resolve, **kwargs)
        if ours != theirs:
            mismatches.append((kwargs, ours, theirs))
    assert not mismatches, mismatches[:5]


def test_the_two_rule_sets_really_differ() -> None:
    """Why (a) uses the conformance copy: the pinned rule set answers differently."""
    fips_gov = _outcome(pinned_resolve, region="us-gov-east-1", use_fips=True, use_dual_stack=False)
    assert fips_gov["endpoint"]["url"] == "https://support-fips.us-gov-west-1.amazonaws.com"


@pytest.mark.parametrize("spelling", [str.lower, str.capitalize, str.upper])
def test_parameter_types_in_any_case_compile_alike(spelling: Any) -> None:
    conformance = json.loads((MODEL_DIR / "endpoint-rule-set-1.json").read_text())
    assert conformance["parameters"]["Region"]["type"] == "String"
    respelled = copy.deepcopy(conformance)
    for spec in respelled["parameters"].values():
        spec["type"] = spelling(spec["type"])
    partitions = _LOADER_DATA.partitions
    assert compile_ruleset(respelled, partitions) == compile_ruleset(conformance, partitions)
    assert {p.type for p in compile_ruleset(respelled, partitions).params} == {"string", "boolean"}


# ------------------------------------------------------------------ (c) client


def _client(transport: FakeTransport, **kwargs: Any) -> SupportClient:
    return SupportClient(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", transport=transport, **kwargs)


def _scope(authorization: str) -> str:
    return authorization.split("Credential=AKIDEXAMPLE/")[1].split(",")[0].split("/", 1)[1]


@pytest.mark.parametrize(
    ("region", "url", "signing_region"),
    [
        ("eu-west-1", "https://support.us-east-1.amazonaws.com", "us-east-1"),
        ("us-east-1", "https://support.us-east-1.amazonaws.com", "us-east-1"),
        ("cn-northwest-1", "https://support.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        ("us-gov-east-1", "https://support.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        ("us-iso-west-1", "https://support.us-iso-east-1.c2s.ic.gov", "us-iso-east-1"),
    ],
)
def test_client_sends_to_the_resolved_url_signed_for_its_region(
    region: str, url: str, signing_region: str
) -> None:
    transport = FakeTransport(HttpResponse(200, {}, b"{}"))
    client = _client(transport, region_name=region)
    assert client.endpoint_url == url
    assert client.region_name == region
    assert client.signing_region == signing_region
    client.describe_services()
    (request,) = transport.requests
    assert request.url == url + "/"
    assert _scope(request.headers["Authorization"]) == f"{signing_region}/support/aws4_request"


@pytest.mark.parametrize(
    ("config", "env"),
    [
        (Config(use_fips_endpoint=True), {}),
        (None, {"AWS_USE_FIPS_ENDPOINT": "true"}),
        (Config(use_dualstack_endpoint=True), {}),
        (None, {"AWS_USE_DUALSTACK_ENDPOINT": "true"}),
        (Config(use_fips_endpoint=True, use_dualstack_endpoint=True), {}),
        (None, {"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"}),
        (Config(use_fips_endpoint=False), {"AWS_USE_FIPS_ENDPOINT": "true"}),
    ],
)
@pytest.mark.parametrize("region", ["eu-west-1", "cn-north-1", "us-gov-east-1"])
def test_fips_and_dualstack_reach_the_resolver(
    config: Config | None,
    env: dict[str, str],
    region: str,
    botocore_resolve: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    fips = config.use_fips_endpoint if config and config.use_fips_endpoint is not None else "AWS_USE_FIPS_ENDPOINT" in env
    dual = config.use_dualstack_endpoint if config and config.use_dualstack_endpoint is not None else (
        "AWS_USE_DUALSTACK_ENDPOINT" in env
    )
    expected = botocore_resolve(region=region, use_fips=fips, use_dual_stack=dual, endpoint=None)
    transport = FakeTransport(HttpResponse(200, {}, b"{}"))
    client = _client(transport, region_name=region, config=config)
    assert client.endpoint_url == expected.url
    assert ("fips" in client.endpoint_url) is fips
    client.describe_services()
    (request,) = transport.requests
    assert request.url == expected.url + "/"
    schemes = expected.properties.get("authSchemes") or [{}]
    assert _scope(request.headers["Authorization"]) == f"{schemes[0].get('signingRegion', region)}/support/aws4_request"


@pytest.mark.parametrize("env", [{}, {"AWS_REGION": ""}])
def test_no_region_anywhere_uses_the_aws_global_endpoint(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    transport = FakeTransport(HttpResponse(200, {}, b"{}"))
    client = _client(transport)
    assert client.region_name == "aws-global"
    assert client.endpoint_url == "https://support.us-east-1.amazonaws.com"
    client.describe_services()
    assert _scope(transport.requests[0].headers["Authorization"]) == "us-east-1/support/aws4_request"


@pytest.mark.parametrize(
    ("source", "expected"),
    [("AWS_REGION", "https://support.cn-north-1.amazonaws.com.cn"), ("AWS_DEFAULT_REGION", "https://support.us-gov-west-1.amazonaws.com"), ("profile", "https://support.cn-north-1.amazonaws.com.cn")],
)
def test_region_from_environment_and_profile(
    source: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if source == "AWS_REGION":
        monkeypatch.setenv("AWS_REGION", "cn-northwest-1")
    elif source == "AWS_DEFAULT_REGION":
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-gov-east-1")
    else:
        config_file = tmp_path / "config"
        config_file.write_text("[default]\nregion = cn-northwest-1\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    assert _client(FakeTransport(HttpResponse(200, {}, b"{}"))).endpoint_url == expected


def test_endpoint_url_override_goes_to_that_server_signed_with_the_client_region() -> None:
    with ScriptedServer() as server, SupportClient(
        region_name="eu-west-1",
        endpoint_url=server.url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    ) as client:
        assert client.endpoint_url == server.url
        client.describe_services()
    (request,) = server.requests
    assert request.path == "/"
    assert request.headers["host"] == server.url.removeprefix("http://")
    assert _scope(request.headers["authorization"]) == "eu-west-1/support/aws4_request"


def test_endpoint_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with ScriptedServer() as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_SUPPORT", server.url)
        with SupportClient(region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret") as client:
            client.describe_services()
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (Config(use_fips_endpoint=True), "Invalid Configuration: FIPS and custom endpoint are not supported"),
        (Config(use_dualstack_endpoint=True), "Invalid Configuration: Dualstack and custom endpoint are not supported"),
    ],
)
def test_custom_endpoint_with_fips_or_dualstack_is_refused_before_any_io(config: Config, message: str) -> None:
    transport = FakeTransport(HttpResponse(200, {}, b"{}"))
    with pytest.raises(EndpointResolutionError, match=message):
        _client(transport, region_name="us-east-1", endpoint_url="https://example.com", config=config)
    assert transport.requests == []


@pytest.mark.parametrize("region", ["not a region!", "us-east-1/../x", "-us-east-1", "a" * 64, "eu_west_1"])
def test_region_names_that_cannot_be_host_labels_are_refused(region: str) -> None:
    transport = FakeTransport(HttpResponse(200, {}, b"{}"))
    with pytest.raises(InvalidRegionError, match="doesn't match a supported format") as info:
        _client(transport, region_name=region)
    assert isinstance(info.value, ValueError)
    assert repr(region) in str(info.value)
