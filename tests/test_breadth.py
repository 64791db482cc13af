"""Generator breadth: every JSON-protocol botocore model generates a package that imports,
constructs its client, serializes one valid request per operation (no network) and
rejects one out-of-range value per operation where the model has a bound.

``make test`` runs a sample of diverse services (:data:`SAMPLE`, checked to really
cover the largest and smallest models, unions, documents, recursion, timestamp
formats, event streams and host prefixes); the full sweep over every JSON-protocol
service is marked ``sweep`` (CI=true or ``--sweep``).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.smoke import RecordingTransport, smoke_package

from generator.build import build_service, client_class_name, package_name
from generator.cli import ALL_JSON, ServiceResult, generate_many, main
from generator.loader import ModelSources, json_services, load_service
from generator.render import MAX_CLASSES_PER_MODULE

#: service → why it is in the sample
SAMPLE = {
    "sagemaker": "largest model (3260 shapes): models/ and _serde/ split into parts",
    "marketplacecommerceanalytics": "smallest model (18 shapes); deprecated operations",
    "dynamodb": "recursive AttributeValue; maps of lists of structures; context endpoint params",
    "bcm-dashboards": "recursive unions (Expression and/or/not members)",
    "identitystore": "documents",
    "b2bi": "timestampFormat, unions, deprecated members",
    "logs": "event stream operation refused; hostPrefix; CloudWatchLogsClient",
    "kinesis": "event stream operation refused; static and member endpoint params",
    "acm": "required ServiceType endpoint param; MaxItems paginator rule; and/or/not members",
    "memorydb": "ACLs member (leading-underscore naming rule)",
    "ds": "RequestId error members (error attribute naming rule)",
    "cloudwatch": "cbor-first model that also lists json; query compatible; request compression",
}

ALL = json_services()


@pytest.fixture(scope="session")
def generated_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder on ``sys.path`` that generated packages are written into, on demand."""
    root = tmp_path_factory.mktemp("breadth")
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))


_results: dict[str, ServiceResult] = {}


def _ensure(root: Path, services: list[str]) -> None:
    missing = [s for s in services if s not in _results]
    for result in generate_many(missing, root):
        _results[result.service] = result


_sources: dict[str, ModelSources] = {}


def _check_service(root: Path, service: str, batch: list[str]) -> Any:
    _ensure(root, batch)
    result = _results[service]
    assert result.status == "ok", result.message
    sources = _sources.get(service) or load_service(service)
    ir = build_service(sources)
    assert ir.package == package_name(service)
    report = smoke_package(ir, sources.service)
    assert not report.problems, "\n".join(report.problems)
    assert report.operations == len(sources.service["operations"])
    assert report.sent + report.refused_unsupported == report.operations
    assert report.bound_checked + report.no_bound == report.sent
    return report


# ------------------------------------------------------------------ sample


def _shape_features(service: str) -> set[str]:
    model = load_service(service).service
    shapes = model["shapes"]
    found: set[str] = set()

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        shape = shapes[start]
        refs = [m["shape"] for m in shape.get("members", {}).values()]
        refs += [shape[k]["shape"] for k in ("member", "value") if k in shape]
        for ref in refs:
            if ref == target:
                return True
            if ref not in seen:
                seen.add(ref)
                if reaches(ref, target, seen):
                    return True
        return False

    for name, shape in shapes.items():
        if shape.get("union"):
            found.add("union")
        if shape.get("document"):
            found.add("document")
        if shape.get("eventstream"):
            found.add("eventstream")
        if shape.get("deprecated") or any(m.get("deprecated") for m in shape.get("members", {}).values()):
            found.add("deprecated member")
        if shape.get("timestampFormat") or any(m.get("timestampFormat") for m in shape.get("members", {}).values()):
            found.add("timestampFormat")
        if shape["type"] == "structure" and reaches(name, name, set()):
            found.add("recursion")
        if shape["type"] == "map":
            value = shapes[shape["value"]["shape"]]
            if value["type"] == "list" and shapes[value["member"]["shape"]]["type"] == "structure":
                found.add("map of lists of structures")
    for op in model["operations"].values():
        if op.get("endpoint", {}).get("hostPrefix"):
            found.add("hostPrefix")
        if op.get("staticContextParams"):
            found.add("staticContextParams")
    return found


def test_sample_covers_sizes_and_features() -> None:
    sizes = sorted((len(load_service(s).service["shapes"]), s) for s in ALL)
    assert sizes[-1][1] in SAMPLE, f"largest model {sizes[-1]} not sampled"
    assert sizes[0][1] in SAMPLE, f"smallest model {sizes[0]} not sampled"
    covered: set[str] = set()
    for service in SAMPLE:
        covered |= _shape_features(service)
    wanted = {
        "union",
        "document",
        "eventstream",
        "deprecated member",
        "timestampFormat",
        "recursion",
        "map of lists of structures",
        "hostPrefix",
        "staticContextParams",
    }
    assert wanted <= covered, wanted - covered
    assert len(SAMPLE) >= 10


@pytest.mark.parametrize("service", list(SAMPLE))
def test_sample_service_generates_imports_and_serializes(generated_root: Path, service: str) -> None:
    report = _check_service(generated_root, service, list(SAMPLE))
    if service in ("logs", "kinesis"):
        assert report.refused_unsupported >= 1  # StartLiveTail, SubscribeToShard
    assert report.bound_checked >= 1


# ------------------------------------------------------------------- sweep


@pytest.mark.sweep
@pytest.mark.parametrize("service", [s for s in ALL if s not in SAMPLE])
def test_every_json_service_generates_imports_and_serializes(generated_root: Path, service: str) -> None:
    _check_service(generated_root, service, [s for s in ALL if s not in SAMPLE])


@pytest.mark.sweep
def test_cli_all_json_generates_every_service(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--service all-json`` end to end (second run: the black cache is warm)."""
    assert main(["--service", ALL_JSON, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"{len(ALL)}/{len(ALL)} JSON-protocol services generated" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(package_name(s) for s in ALL)


def _mypy(root: Path, services: list[str], tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"),
         *(str(root / package_name(s)) for s in services)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]


def test_sample_packages_type_check_strict(generated_root: Path, tmp_path: Path) -> None:
    _ensure(generated_root, list(SAMPLE))
    _mypy(generated_root, list(SAMPLE), tmp_path)


@pytest.mark.sweep
def test_every_package_type_checks_strict(generated_root: Path, tmp_path: Path) -> None:
    """mypy --strict over all 154 packages at once (about 30 s on one core)."""
    _ensure(generated_root, ALL)
    _mypy(generated_root, ALL, tmp_path)


# ------------------------------------------------------------ names, sizes


def test_json_services_are_the_json_models_of_the_pinned_botocore() -> None:
    primary = [s for s in ALL if load_service(s).service["metadata"]["protocol"] == "json"]
    assert (len(ALL), len(primary)) == (154, 113)
    assert {"support", "dynamodb", "logs", "kms", "secretsmanager", "ssm", "ecs", "kinesis"} <= set(ALL)
    assert "s3" not in ALL and "lambda" not in ALL


@pytest.mark.parametrize(
    ("service", "package", "client"),
    [
        ("support", "aws_support", "SupportClient"),
        ("dynamodb", "aws_dynamodb", "DynamoDBClient"),
        ("logs", "aws_logs", "CloudWatchLogsClient"),
        ("cognito-idp", "aws_cognito_idp", "CognitoIdentityProviderClient"),
        ("acm-pca", "aws_acm_pca", "ACMPCAClient"),
    ],
)
def test_package_and_client_class_names(service: str, package: str, client: str) -> None:
    sources = load_service(service)
    assert package_name(service) == package
    assert client_class_name(sources.service["metadata"]["serviceId"]) == client


def test_large_models_are_split_and_every_name_still_works(generated_root: Path) -> None:
    _ensure(generated_root, ["sagemaker"])
    pkg = importlib.import_module("aws_sagemaker")
    ir = build_service(load_service("sagemaker"))
    parts = sorted((generated_root / "aws_sagemaker" / "models").glob("_part_*.py"))
    serde_parts = sorted((generated_root / "aws_sagemaker" / "_serde").glob("_part_*.py"))
    total = len(ir.structures) + len(ir.enums)
    assert len(parts) == len(serde_parts) == -(-total // MAX_CLASSES_PER_MODULE)
    assert not (generated_root / "aws_sagemaker" / "models.py").exists()
    for cls in [*ir.structures, *ir.enums]:
        assert getattr(pkg.models, cls.class_name).__name__ == cls.class_name
    assert sorted(pkg.models.__all__) == sorted(c.class_name for c in [*ir.structures, *ir.enums])
    # annotations naming classes of other parts resolve at run time too
    for cls in ir.structures[:400]:
        typing.get_type_hints(getattr(pkg.models, cls.class_name))


def test_small_models_stay_single_modules() -> None:
    root = Path(__file__).resolve().parent.parent / "generated" / "aws_support"
    assert (root / "models.py").is_file() and (root / "_serde.py").is_file()
    assert not (root / "models").exists()


# --------------------------------------------------------- endpoint params


def test_acm_acme_operations_go_to_their_own_endpoint(generated_root: Path) -> None:
    _ensure(generated_root, ["acm"])
    from aws_acm import ACMClient  # type: ignore[import-not-found]

    transport = RecordingTransport()
    client = ACMClient(region_name="eu-west-1", aws_access_key_id="AK", aws_secret_access_key="SK", transport=transport)
    assert client.endpoint_url == "https://acm.eu-west-1.amazonaws.com"
    client.list_certificates()
    acme = [
        op
        for op in build_service(load_service("acm")).operations
        if ("service_type", "ACM-ACME") in op.static_endpoint_params and op.input is not None
    ]
    assert len(acme) == 19
    method = getattr(client, acme[0].method)  # delete_acme_domain_validation or similar
    sources = load_service("acm")
    from helpers.convert import example_params, kwargs_for

    method(**kwargs_for(build_service(sources), importlib.import_module("aws_acm.models"), acme[0].name, example_params(sources.service, acme[0].name)))
    assert [r.url for r in transport.requests] == [
        "https://acm.eu-west-1.amazonaws.com/",
        "https://acm-acme.eu-west-1.api.aws/",  # the rule set uses the dual-stack suffix
    ]
    assert "/eu-west-1/acm/aws4_request" in transport.requests[1].headers["Authorization"]


def _botocore_provider(service: str) -> Any:
    from botocore.endpoint_provider import EndpointProvider

    sources = load_service(service)
    return EndpointProvider(sources.ruleset, sources.partitions)


_REGIONS = ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "ap-southeast-7", "mars-west-1"]


@pytest.mark.parametrize(
    ("service", "extra"),
    [
        ("acm", {"ServiceType": "ACM"}),
        ("acm", {"ServiceType": "ACM-ACME"}),
        ("kinesis", {"OperationType": "control", "StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s"}),
        ("kinesis", {"OperationType": "data"}),
        ("dynamodb", {}),
        ("logs", {}),
        ("sagemaker", {}),
        ("cloudwatch", {}),
    ],
)
def test_compiled_resolvers_equal_botocore(generated_root: Path, service: str, extra: dict[str, Any]) -> None:
    """The compiled rule set of sampled services equals botocore's EndpointProvider."""
    from botocore.exceptions import EndpointResolutionError as BotoError

    from aws_runtime.errors import EndpointResolutionError

    _ensure(generated_root, [service])
    resolve = importlib.import_module(package_name(service) + ".endpoints").resolve_endpoint
    provider = _botocore_provider(service)
    py = {p.name: p.py_name for p in build_service(load_service(service)).endpoints.params}
    checked = 0
    for region in _REGIONS:
        for fips in (False, True):
            for dual in (False, True):
                params = {"Region": region, "UseFIPS": fips, "UseDualStack": dual, **extra}
                try:
                    theirs: Any = provider.resolve_endpoint(**params)
                    theirs = (theirs.url, dict(theirs.properties))
                except BotoError as exc:
                    theirs = ("error", str(exc.kwargs["msg"]))
                try:
                    ours_ep = resolve(**{py[k]: v for k, v in params.items()})
                    ours: Any = (ours_ep.url, dict(ours_ep.properties))
                except EndpointResolutionError as exc:
                    ours = ("error", str(exc))
                assert ours == theirs, params
                checked += 1
    assert checked == len(_REGIONS) * 4


# ------------------------------------------------------------ non-JSON CLI


@pytest.mark.parametrize(
    ("service", "protocol"),
    [
        ("lambda", "rest-json"),
        ("sns", "query"),
        ("s3", "rest-xml"),
        ("ec2", "ec2"),
        ("cloudwatchomni", "smithy-rpc-v2-cbor"),
    ],
)
def test_non_json_models_are_refused_with_one_line(
    service: str, protocol: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--service", service, "--out", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert f"protocol {protocol!r} is not supported" in lines[0]
    assert service in lines[0]
    assert not any(tmp_path.iterdir())
