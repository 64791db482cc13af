"""Issue 11: what every JSON-protocol service needs beyond Support, checked against botocore.

* unauthenticated operations (``smithy.api#noAuth`` / ``authtype: none``): sent
  unsigned, never resolving credentials; every other operation stays signed;
* query-compatible errors (SQS, CloudWatch): class from ``__type``, code from
  ``x-amzn-query-error`` as botocore's, both codes kept; other services ignore the header;
* the JSON services' customizations of botocore's ``handlers.py`` that change the wire;
* inputs as the annotations allow them: any ``Mapping`` for maps, ``Decimal`` for
  floats/doubles (sent as botocore sends it), documents with ``JSON_NULL``/``None``.

The packages are generated on demand (only the services these tests need) into a
temporary folder on ``sys.path``; the black cache makes reruns quick.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

import pytest
from helpers.convert import example_params, kwargs_for
from helpers.server import Reply, ScriptedServer

from aws_runtime.config import Config
from aws_runtime.errors import NoCredentialsError
from generator.build import build_service, resolve_auth
from generator.cli import generate_many
from generator.ir import ServiceIR
from generator.loader import _botocore_loader, json_services, load_service

SERVICES = [
    "cognito-idp", "cognito-identity", "sqs", "cloudwatch", "machinelearning", "dynamodb",
    "application-autoscaling", "identitystore",
]
NO_RETRY = Config(total_max_attempts=1)


class Generated:
    """Generated packages of :data:`SERVICES`: module, IR and raw model per service."""

    def __init__(self, root: Path) -> None:
        results = generate_many(SERVICES, root)
        bad = [f"{r.service}: {r.message}" for r in results if r.status != "ok"]
        assert not bad, bad
        self.packages: dict[str, ModuleType] = {}
        self.irs: dict[str, ServiceIR] = {}
        self.models: dict[str, dict[str, Any]] = {}
        for service in SERVICES:
            sources = load_service(service)
            ir = build_service(sources)
            self.irs[service] = ir
            self.models[service] = sources.service
            self.packages[service] = importlib.import_module(ir.package)

    def client(self, service: str, url: str, **kwargs: Any) -> Any:
        ir = self.irs[service]
        cls = getattr(self.packages[service], ir.client_class)
        return cls(region_name="us-east-1", endpoint_url=url, config=NO_RETRY, **kwargs)


@pytest.fixture(scope="module")
def gen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("json-services")
    sys.path.insert(0, str(root))
    try:
        yield Generated(root)
    finally:
        sys.path.remove(str(root))


class Server:
    """One scripted server for the module: ``reply`` answers every request until changed."""

    def __init__(self) -> None:
        self.reply = Reply(body=b"{}")
        self.scripted = ScriptedServer(lambda _rec: self.reply)
        self.url = ""
        self._clients: dict[tuple[str, str, bool], Any] = {}

    @property
    def requests(self) -> list[Any]:
        return self.scripted.requests

    def ours(self, gen: Generated, service: str, signed: bool = True) -> Any:
        key = ("ours", service, signed)
        if key not in self._clients:
            keys = {"aws_access_key_id": "AKID", "aws_secret_access_key": "secret"} if signed else {}
            self._clients[key] = gen.client(service, self.url, **keys)
        return self._clients[key]

    def boto(self, service: str, signed: bool = True) -> Any:
        key = ("boto", service, signed)
        if key not in self._clients:
            keys = {"aws_access_key_id": "AKID", "aws_secret_access_key": "secret"} if signed else {}
            self._clients[key] = _boto_client(service, self.url, **keys)
        return self._clients[key]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server()
    with srv.scripted:
        srv.url = srv.scripted.url
        yield srv


def _boto_client(service: str, url: str, **kwargs: Any) -> Any:
    import boto3
    from botocore.config import Config as BotoConfig

    return boto3.session.Session().client(
        service,
        region_name="us-east-1",
        endpoint_url=url,
        config=BotoConfig(retries={"total_max_attempts": 1}),
        **kwargs,
    )


# ------------------------------------------------------------ unauthenticated operations

_LOADER = _botocore_loader()


def _model(service: str) -> dict[str, Any]:
    """The raw ``service-2`` model (newest version), from one shared, caching botocore Loader."""
    return dict(_LOADER.load_service_model(service, "service-2"))


NO_AUTH = [
    (service, name)
    for service in json_services()
    for name, op in _model(service)["operations"].items()
    if resolve_auth(_model(service)["metadata"], op) == "none"
]
SIGNING_HEADERS = {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}


def test_auth_survey_of_every_json_service() -> None:
    """What the 154 models say about auth: only Cognito has unauthenticated operations
    (38), every other operation resolves to SigV4 (partnercentral-channel lists SigV4a
    first, which botocore without the CRT skips, as the generator does)."""
    counts: dict[str, int] = {}
    for service in json_services():
        model = _model(service)
        for op in model["operations"].values():
            auth = resolve_auth(model["metadata"], op)
            counts[auth] = counts.get(auth, 0) + 1
    assert set(counts) == {"v4", "none"}
    assert counts["none"] == len(NO_AUTH) == 38
    assert {s for s, _ in NO_AUTH} == {"cognito-idp", "cognito-identity"}
    for service, op in [("cognito-idp", "SignUp"), ("cognito-idp", "InitiateAuth"),
                        ("cognito-identity", "GetId"), ("cognito-identity", "GetCredentialsForIdentity")]:
        assert (service, op) in NO_AUTH


def test_resolve_auth_precedence() -> None:
    meta = {"signatureVersion": "v4", "auth": ["aws.auth#sigv4"]}
    assert resolve_auth(meta, {}) == "v4"
    assert resolve_auth(meta, {"auth": ["smithy.api#noAuth"]}) == "none"
    assert resolve_auth(meta, {"authtype": "none"}) == "none"
    # an operation's auth list overrides its legacy authtype and the service's list
    assert resolve_auth({"auth": ["smithy.api#noAuth"]}, {"auth": ["aws.auth#sigv4"], "authtype": "none"}) == "v4"
    assert resolve_auth({"auth": ["smithy.api#noAuth"]}, {}) == "none"
    assert resolve_auth({"auth": ["aws.auth#sigv4a", "aws.auth#sigv4"]}, {}) == "v4"
    assert resolve_auth({"auth": ["aws.auth#sigv4a"]}, {}) == "v4a"
    assert resolve_auth({"signatureVersion": "v4"}, {}) == "v4"


def test_sign_up_works_without_credentials(gen: Generated) -> None:
    """The issue's example: Cognito sign-up and sign-in from an app with no AWS credentials."""
    reply = {"UserConfirmed": False, "UserSub": "5f1b2c3d-0000-4000-8000-000000000001"}
    with ScriptedServer([Reply(body=reply)]) as server:
        client = gen.client("cognito-idp", server.url)
        result = client.sign_up(client_id="app-client-1", username="alice", password="S3cret!pass")
        assert result.user_sub == reply["UserSub"]
        sent = server.requests[-1]
        assert not SIGNING_HEADERS & set(sent.headers)
        assert sent.headers["x-amz-target"] == "AWSCognitoIdentityProviderService.SignUp"
        client.initiate_auth(auth_flow="USER_PASSWORD_AUTH", client_id="app-client-1",
                             auth_parameters={"USERNAME": "alice", "PASSWORD": "S3cret!pass"})
        assert not SIGNING_HEADERS & set(server.requests[-1].headers)
        # the same client still signs what needs signing: no credentials, so it fails before I/O
        before = len(server.requests)
        with pytest.raises(NoCredentialsError):
            client.list_users(user_pool_id="us-east-1_abcdefghi")
        assert len(server.requests) == before


def test_unsigned_operations_never_load_credentials(gen: Generated) -> None:
    class Exploding:
        refreshable = True

        def load(self) -> Any:
            raise AssertionError("credentials loaded for an unsigned operation")

        def refresh(self) -> Any:
            raise AssertionError("credentials refreshed for an unsigned operation")

    with ScriptedServer([Reply(status=400, body={"__type": "ExpiredTokenException"}),
                         Reply(body={"IdentityId": "us-east-1:1"})]) as server:
        client = gen.client("cognito-identity", server.url, credential_provider=Exploding())
        # an expired-token reply does not trigger a credential refresh for an unsigned call
        with pytest.raises(gen.packages["cognito-identity"].errors.CognitoIdentityError):
            client.get_id(identity_pool_id="us-east-1:0000-pool")
        assert client.get_id(identity_pool_id="us-east-1:0000-pool").identity_id == "us-east-1:1"


@pytest.mark.parametrize(("service", "operation"), NO_AUTH, ids=[f"{s}.{o}" for s, o in NO_AUTH])
def test_every_unauthenticated_operation_is_sent_like_botocore(
    gen: Generated, server: Server, service: str, operation: str
) -> None:
    """Each of the 38: no credentials configured anywhere; our request and botocore's
    (which sends it unsigned too) carry no signing header and the same body."""
    from botocore import xform_name

    params = example_params(gen.models[service], operation)
    server.reply = Reply(body=b"{}")
    getattr(server.ours(gen, service, signed=False), xform_name(operation))(
        **kwargs_for(gen.irs[service], gen.packages[service].models, operation, params)
    )
    mine = server.requests[-1]
    getattr(server.boto(service, signed=False), xform_name(operation))(**params)
    boto = server.requests[-1]
    assert not SIGNING_HEADERS & set(mine.headers)
    assert not SIGNING_HEADERS & set(boto.headers)
    assert mine.headers["x-amz-target"] == boto.headers["x-amz-target"]
    assert mine.json() == boto.json()


# ------------------------------------------------------------ query-compatible errors

def _error_shapes(model: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [
        (name, shape.get("error", {}).get("code"))
        for name, shape in model["shapes"].items()
        if shape.get("exception")
    ]


def _error_reply(shape: str, legacy: str | None, fault: str = "Sender", status: int = 400) -> Reply:
    headers = {"x-amzn-query-error": f"{legacy};{fault}"} if legacy else {}
    body = {"__type": f"com.amazonaws.test#{shape}", "message": f"{shape} happened"}
    return Reply(status=status, body=body, headers=headers, content_type="application/x-amz-json-1.0")


def test_sqs_queue_does_not_exist(gen: Generated) -> None:
    """The issue's example: SQS's own class, the legacy code boto3 callers match, both kept."""
    errors = gen.packages["sqs"].errors
    legacy = "AWS.SimpleQueueService.NonExistentQueue"
    with ScriptedServer([_error_reply("QueueDoesNotExist", legacy)]) as server:
        client = gen.client("sqs", server.url, aws_access_key_id="AKID", aws_secret_access_key="secret")
        with pytest.raises(errors.QueueDoesNotExist) as info:
            client.get_queue_url(queue_name="missing")
        assert server.requests[-1].headers["x-amzn-query-mode"] == "true"
    err = info.value
    assert err.code == legacy
    assert err.query_error_code == "QueueDoesNotExist"
    assert err.error_type == "Sender"
    assert err.response["Error"] == {
        "Code": legacy, "Message": "QueueDoesNotExist happened", "QueryErrorCode": "QueueDoesNotExist", "Type": "Sender",
    }


def test_cloudwatch_resource_not_found_is_reachable(gen: Generated) -> None:
    errors = gen.packages["cloudwatch"].errors
    assert errors.ERROR_CLASSES["ResourceNotFound"] is errors.ResourceNotFound
    assert errors.ERROR_CLASSES["DashboardNotFoundError"] is errors.DashboardNotFoundError
    assert errors.ERROR_CLASSES["InternalServiceError"] is errors.InternalServiceFault
    source = Path(errors.__file__).read_text(encoding="utf-8")
    block = source[source.index("ERROR_CLASSES:"):]
    keys = [line.split(":")[0].strip() for line in block.splitlines()[1:] if line.startswith("    \"")]
    assert len(keys) == len(set(keys)), "duplicate key in ERROR_CLASSES"


@functools.cache
def _botocore_exceptions(service: str) -> Any:
    import botocore.session
    from botocore.errorfactory import ClientExceptionsFactory

    model = botocore.session.get_session().get_service_model(service)
    return ClientExceptionsFactory().create_client_exceptions(model)


def _botocore_error(service: str, reply: Reply) -> tuple[str, str, dict[str, Any]]:
    """(class name, code, Error dict) botocore gives for ``reply``, through its JSON parser,
    the SQS after-call handler and its exception factory (CloudWatch's botocore client
    speaks CBOR, so the JSON path is driven directly)."""
    from botocore.handlers import _handle_sqs_compatible_error
    from botocore.parsers import create_parser

    parsed = create_parser("json").parse(
        {"status_code": reply.status, "headers": dict(reply.headers), "body": reply.payload()}, None
    )
    context: dict[str, Any] = {}
    if service == "sqs":
        _handle_sqs_compatible_error(parsed, context)
    code = context.get("error_code_override") or parsed["Error"]["Code"]
    cls = _botocore_exceptions(service).from_code(code)
    return cls.__name__, parsed["Error"]["Code"], parsed["Error"]


QC_ERRORS = [
    (service, shape, legacy)
    for service in ("sqs", "cloudwatch")
    for shape, legacy in _error_shapes(_model(service))
]


@pytest.mark.parametrize("with_header", [True, False], ids=["header", "no-header"])
def test_every_query_compatible_error_raises_its_class(gen: Generated, server: Server, with_header: bool) -> None:
    """Every modeled error of SQS (28) and CloudWatch (19), with and without
    ``x-amzn-query-error``: our class is the shape's own, our code and Error dict are
    botocore's. botocore's class differs only where it cannot know better: without
    the header it looks a CloudWatch shape with a modeled code up by that code
    (generic ClientError), and with it, the two shapes sharing ``ResourceNotFound``
    get the last one's class."""
    differences = []
    checked = 0
    for service, shape, modeled in QC_ERRORS:
        package = gen.packages[service]
        # SQS legacy codes are not in its model (AWS.SimpleQueueService.NonExistentQueue...);
        # CloudWatch's are its modeled error codes, or the shape name
        legacy = (modeled or (f"AWS.Legacy.{shape}" if service == "sqs" else shape)) if with_header else None
        fault = "Receiver" if shape.startswith("Internal") else "Sender"
        reply = server.reply = _error_reply(shape, legacy, fault)
        client = server.ours(gen, service)
        call = client.list_queues if service == "sqs" else client.list_dashboards
        with pytest.raises(package.errors.ServiceError) as info:
            call()
        err = info.value
        boto_class, boto_code, boto_error = _botocore_error(service, reply)
        expected_class = next(e.class_name for e in gen.irs[service].errors if e.shape == shape)
        assert type(err).__name__ == expected_class, (service, shape)
        assert err.code == boto_code == (legacy or shape)
        assert err.response["Error"] == boto_error
        assert err.query_error_code == (shape if with_header else None)
        assert err.error_type == (fault if with_header else None)
        if boto_class != expected_class:
            differences.append((service, shape, boto_class))
        checked += 1
    assert checked == 28 + 19
    if with_header:
        assert differences == [("cloudwatch", "DashboardNotFoundError", "ResourceNotFound")]
    else:
        assert sorted(s for _, s, _ in differences) == sorted(
            s for svc, s, code in QC_ERRORS if svc == "cloudwatch" and code and code != s
        )
        assert all(cls == "ClientError" for _, _, cls in differences)


def test_header_ignored_by_services_that_are_not_query_compatible(gen: Generated) -> None:
    errors = gen.packages["cognito-identity"].errors
    reply = _error_reply("ResourceNotFoundException", "Legacy.Code")
    with ScriptedServer([reply]) as server:
        client = gen.client("cognito-identity", server.url)
        with pytest.raises(errors.ResourceNotFoundException) as info:
            client.get_id(identity_pool_id="us-east-1:0000-pool")
        assert "x-amzn-query-mode" not in server.requests[-1].headers
    assert info.value.code == "ResourceNotFoundException"
    assert info.value.query_error_code is None and info.value.error_type is None


@pytest.mark.parametrize("throttled_by", ["header", "type"])
def test_throttling_is_detected_from_either_code(gen: Generated, throttled_by: str) -> None:
    """SQS ``RequestThrottled`` (shape name) or a throttling legacy code: both retried."""
    if throttled_by == "type":
        first = _error_reply("RequestThrottled", "AWS.SimpleQueueService.Busy")
    else:
        first = _error_reply("SomethingElse", "Throttling")
    with ScriptedServer([first, Reply(body={"QueueUrls": []})]) as server:
        sqs = gen.packages["sqs"]
        client = getattr(sqs, gen.irs["sqs"].client_class)(
            region_name="us-east-1", endpoint_url=server.url, aws_access_key_id="AKID",
            aws_secret_access_key="secret", config=Config(total_max_attempts=2,
                                                          sleep=lambda _s: None),
        )
        assert client.list_queues().queue_urls == []
        assert len(server.requests) == 2


def test_query_mode_header_only_for_query_compatible_services(gen: Generated) -> None:
    flags = {s: gen.irs[s].query_compatible for s in SERVICES}
    assert flags == {"cognito-idp": False, "cognito-identity": False, "sqs": True, "cloudwatch": True,
                     "machinelearning": False, "dynamodb": False, "application-autoscaling": False,
                     "identitystore": False}
    with ScriptedServer([Reply(body=b"{}")]) as server:
        for service, call in (("sqs", "list_queues"), ("cloudwatch", "list_dashboards"),
                              ("cognito-idp", "list_user_pools")):
            kwargs = {"max_results": 1} if service == "cognito-idp" else {}
            client = gen.client(service, server.url, aws_access_key_id="AKID", aws_secret_access_key="secret")
            getattr(client, call)(**kwargs)
            assert server.requests[-1].headers.get("x-amzn-query-mode") == (
                "true" if flags[service] else None
            ), service
    qc = [s for s in json_services() if "awsQueryCompatible" in _model(s)["metadata"]]
    assert qc == ["cloudwatch", "sqs"]



# ------------------------------------------------------------ handlers.py customizations

def _signature_is_valid(rec: Any, url: str, service: str) -> bool:
    """Recompute the SigV4 signature of a recorded request (key AKID/secret) with botocore."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    auth_header = rec.headers["authorization"]
    signed = auth_header.split("SignedHeaders=")[1].split(",")[0].split(";")
    assert "host" in signed
    headers = {name: rec.headers[name] for name in signed if name != "host"}
    request = AWSRequest(method=rec.method, url=url + rec.path, data=rec.body, headers=headers)
    request.context["timestamp"] = rec.headers["x-amz-date"]
    auth = SigV4Auth(BotoCredentials("AKID", "secret"), service, "us-east-1")
    expected = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
    return bool(auth_header.endswith("Signature=" + expected))


def test_machinelearning_predict_goes_to_predict_endpoint(gen: Generated) -> None:
    """botocore ``switch_host_machinelearning``: the request goes to the scheme and host of
    ``PredictEndpoint`` (the path is kept) and is signed for that host; same bytes as botocore."""
    dead = "http://127.0.0.1:9"  # the rule-set endpoint: nothing listens there
    reply = {"Prediction": {"predictedLabel": "1"}}
    with ScriptedServer([Reply(body=reply)]) as server:
        ours = gen.client("machinelearning", dead, aws_access_key_id="AKID", aws_secret_access_key="secret")
        result = ours.predict(ml_model_id="ml-1", record={"a": "1"}, predict_endpoint=server.url)
        assert result.prediction is not None and result.prediction.predicted_label == "1"
        mine = server.requests[-1]
        _boto_client("machinelearning", dead, aws_access_key_id="AKID", aws_secret_access_key="secret").predict(
            MLModelId="ml-1", Record={"a": "1"}, PredictEndpoint=server.url
        )
        boto = server.requests[-1]
        assert mine.body == boto.body
        assert mine.path == boto.path == "/"
        assert mine.headers["host"] == boto.headers["host"] == server.url.split("://")[1]
        assert _signature_is_valid(mine, server.url, "machinelearning")
        # other operations still go to the rule-set endpoint; a bad URL is refused before I/O
        before = len(server.requests)
        with pytest.raises(ValueError, match="predict_endpoint"):
            ours.predict(ml_model_id="ml-1", record={}, predict_endpoint="not a url")
        assert len(server.requests) == before


def test_endpoint_discovery_operation_sends_api_version(gen: Generated) -> None:
    """botocore ``inject_api_version_header_if_needed``: DescribeEndpoints (DynamoDB,
    Timestream) carries ``x-amz-api-version``; other operations do not."""
    with ScriptedServer([Reply(body={"Endpoints": []})]) as server:
        ours = gen.client("dynamodb", server.url, aws_access_key_id="AKID", aws_secret_access_key="secret")
        ours.describe_endpoints()
        mine = server.requests[-1]
        _boto_client("dynamodb", server.url, aws_access_key_id="AKID", aws_secret_access_key="secret").describe_endpoints()
        boto = server.requests[-1]
        assert mine.headers["x-amz-api-version"] == boto.headers["x-amz-api-version"] == "2012-08-10"
        ours.list_tables()
        assert "x-amz-api-version" not in server.requests[-1].headers


def test_recursion_detection_header_inside_lambda(gen: Generated, monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore ``add_recursion_detection_header``: in Lambda the trace id goes along, encoded as botocore does."""
    trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0 "x"'
    with ScriptedServer([Reply(body={"QueueUrls": []})]) as server:
        ours = gen.client("sqs", server.url, aws_access_key_id="AKID", aws_secret_access_key="secret")
        ours.list_queues()
        assert "x-amzn-trace-id" not in server.requests[-1].headers  # not in Lambda
        monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "fn")
        monkeypatch.setenv("_X_AMZN_TRACE_ID", trace)
        ours.list_queues()
        mine = server.requests[-1]
        _boto_client("sqs", server.url, aws_access_key_id="AKID", aws_secret_access_key="secret").list_queues()
        boto = server.requests[-1]
    assert mine.headers["x-amzn-trace-id"] == boto.headers["x-amzn-trace-id"]
    assert "%20" in mine.headers["x-amzn-trace-id"]


# ------------------------------------------------------------ maps, numbers, documents

def test_register_scalable_target_accepts_mapping_proxy(gen: Generated, server: Server) -> None:
    """The issue's example: a ``MappingProxyType`` where the annotation says ``Mapping``."""
    tags = {"team": "data", "env": "prod"}
    args = {"ServiceNamespace": "ecs", "ResourceId": "service/c/s", "ScalableDimension": "ecs:service:DesiredCount"}
    server.reply = Reply(body={"ScalableTargetARN": "arn:aws:application-autoscaling:us-east-1:1:scalable-target/x"})
    server.ours(gen, "application-autoscaling").register_scalable_target(
        service_namespace="ecs", resource_id="service/c/s", scalable_dimension="ecs:service:DesiredCount",
        tags=MappingProxyType(tags),
    )
    mine = server.requests[-1]
    server.boto("application-autoscaling").register_scalable_target(**args, Tags=tags)
    assert mine.body == server.requests[-1].body
    assert mine.json()["Tags"] == tags


@pytest.mark.parametrize("validate", [True, False], ids=["validated", "unvalidated"])
def test_decimal_double_inputs_are_sent_as_botocore_sends_them(gen: Generated, server: Server, validate: bool) -> None:
    """Decimal for a double (nested and top level): accepted, and the body is byte for byte
    botocore's for the same Decimal (the nearest double; validation off no longer crashes)."""
    from aws_runtime.config import Config

    m = gen.packages["application-autoscaling"].models
    value = Decimal("70.12345678901234567890123")
    server.reply = Reply(body={"PolicyARN": "arn:x"})
    client = getattr(gen.packages["application-autoscaling"], gen.irs["application-autoscaling"].client_class)(
        region_name="us-east-1", endpoint_url=server.url, aws_access_key_id="AKID",
        aws_secret_access_key="secret", config=Config(total_max_attempts=1, validate=validate),
    )
    client.put_scaling_policy(
        policy_name="p", service_namespace="ecs", resource_id="service/c/s",
        scalable_dimension="ecs:service:DesiredCount", policy_type="TargetTrackingScaling",
        target_tracking_scaling_policy_configuration=m.TargetTrackingScalingPolicyConfiguration(
            target_value=value, scale_in_cooldown=60,
        ),
    )
    mine = server.requests[-1]
    server.boto("application-autoscaling").put_scaling_policy(
        PolicyName="p", ServiceNamespace="ecs", ResourceId="service/c/s",
        ScalableDimension="ecs:service:DesiredCount", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={"TargetValue": value, "ScaleInCooldown": 60},
    )
    assert mine.body == server.requests[-1].body
    assert mine.json()["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == float(value)


def test_decimal_range_and_type_checks(gen: Generated, server: Server) -> None:
    from aws_runtime.errors import ParamValidationError

    m = gen.packages["application-autoscaling"].models
    client = server.ours(gen, "application-autoscaling")
    before = len(server.requests)
    with pytest.raises(ParamValidationError, match="target_value"):
        client.put_scaling_policy(
            policy_name="p", service_namespace="ecs", resource_id="r", scalable_dimension="ecs:service:DesiredCount",
            target_tracking_scaling_policy_configuration=m.TargetTrackingScalingPolicyConfiguration(
                target_value=Decimal("sNaN"),
            ),
        )
    assert len(server.requests) == before


def test_documents_null_and_mappings(gen: Generated, server: Server) -> None:
    """JSON null as a whole document member (``JSON_NULL``; ``None`` means not set) and
    inside one (``None``), documents as any Mapping/tuple, maps of documents with None
    values: bodies as botocore's for the same values (botocore's ``Settings=None``)."""
    from aws_runtime.wire import JSON_NULL

    server.reply = Reply(body={})
    client = server.ours(gen, "cognito-idp")
    boto = server.boto("cognito-idp")
    cases = [
        (JSON_NULL, None),
        ({"a": None, "b": [1, None, "x"]}, {"a": None, "b": [1, None, "x"]}),
        (MappingProxyType({"nested": MappingProxyType({"k": (1, 2)})}), {"nested": {"k": [1, 2]}}),
        ([None], [None]),
    ]
    for ours_value, boto_value in cases:
        client.create_managed_login_branding(user_pool_id="us-east-1_abc", client_id="c1", settings=ours_value)
        mine = server.requests[-1]
        boto.create_managed_login_branding(UserPoolId="us-east-1_abc", ClientId="c1", Settings=boto_value)
        assert mine.body == server.requests[-1].body, ours_value
    client.create_managed_login_branding(user_pool_id="us-east-1_abc", client_id="c1", settings=None)
    assert "Settings" not in server.requests[-1].json()
    with pytest.raises(ValueError, match="settings"):
        client.create_managed_login_branding(user_pool_id="us-east-1_abc", client_id="c1", settings={"x": object()})


def test_map_of_documents_takes_none_values(gen: Generated, server: Server) -> None:
    """identitystore ``extensions`` (map of documents): a None value is JSON null, as botocore sends it."""
    server.reply = Reply(body={"UserId": "u", "IdentityStoreId": "d-1"})
    ext = {"aws:identitystore:enterprise": None, "other": MappingProxyType({"k": None})}
    server.ours(gen, "identitystore").create_user(identity_store_id="d-1234567890", user_name="alice", extensions=ext)
    mine = server.requests[-1]
    server.boto("identitystore").create_user(
        IdentityStoreId="d-1234567890", UserName="alice", Extensions={"aws:identitystore:enterprise": None, "other": {"k": None}}
    )
    assert mine.body == server.requests[-1].body
    assert mine.json()["Extensions"] == {"aws:identitystore:enterprise": None, "other": {"k": None}}
