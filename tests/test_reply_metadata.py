"""Reply metadata (boto3's ResponseMetadata) on every reply, and input built from boto3's dicts.

* ``reply.response_metadata``: request id, status, headers and retry count, from the
  scripted server (after a retry), from a real moto server and from moto in process,
  without changing ``==``, ``hash`` or ``repr`` of the reply.
* ``from_dict``: for every Support operation, the request built from the wire-named dict
  boto3 code passes is byte for byte the request built from model objects; bad dicts
  fail with the same messages as bad model input.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from helpers.clients import FakeSleep, error_reply, fast_config, make_client
from helpers.convert import example_params, kwargs_for
from helpers.server import Reply, ScriptedServer
from helpers.smoke import RecordingTransport

import aws_support
from aws_runtime.errors import ParamValidationError
from aws_runtime.shapes import NO_METADATA, ResponseMetadata, as_kwargs, from_dict
from aws_runtime.testing import MotoTransport, Stubber
from aws_support import SupportClient, models
from generator.loader import load_service

MODEL = load_service("support").service
OPERATIONS = list(MODEL["operations"])

# ------------------------------------------------------------------ metadata


def test_request_id_status_headers_and_retries_from_the_scripted_server() -> None:
    script = [
        error_reply(503, "ServiceUnavailable", headers={"x-amzn-RequestId": "rid-1"}),
        error_reply(500, "InternalServerError", headers={"x-amzn-RequestId": "rid-2"}),
        Reply(body={"caseId": "case-1"}, headers={"x-amzn-RequestId": "rid-3", "X-Extra": "yes"}),
    ]
    with ScriptedServer(script) as server, make_client(server.url, fast_config(FakeSleep())) as client:
        reply = client.create_case(subject="s", communication_body="b")
    meta = reply.response_metadata
    assert isinstance(meta, ResponseMetadata)
    assert (meta.request_id, meta.http_status_code, meta.retry_attempts, meta.attempts) == ("rid-3", 200, 2, 3)
    assert meta.http_headers["x-extra"] == "yes"
    assert meta.to_dict() == {
        "RequestId": "rid-3",
        "HTTPStatusCode": 200,
        "HTTPHeaders": dict(meta.http_headers),
        "RetryAttempts": 2,
    }
    # the metadata is beside the fields: equality, hash and repr are the model's
    plain = models.CreateCaseResponse(case_id="case-1")
    assert reply == plain and hash(reply) == hash(plain) and repr(reply) == repr(plain)
    assert plain.response_metadata is NO_METADATA
    assert msgspec.structs.replace(reply, case_id="x").response_metadata is NO_METADATA


def test_first_attempt_success_has_zero_retries() -> None:
    with ScriptedServer([Reply(body={"cases": []}, headers={"x-amzn-RequestId": "only"})]) as server, make_client(
        server.url
    ) as client:
        meta = client.describe_cases().response_metadata
    assert (meta.request_id, meta.retry_attempts, meta.http_status_code) == ("only", 0, 200)


def test_every_page_carries_its_own_request_id() -> None:
    script = [
        Reply(body={"cases": [{"caseId": "a"}], "nextToken": "t1"}, headers={"x-amzn-RequestId": "p1"}),
        Reply(body={"cases": [{"caseId": "b"}]}, headers={"x-amzn-RequestId": "p2"}),
    ]
    with ScriptedServer(script) as server, make_client(server.url) as client:
        ids = [page.response_metadata.request_id for page in client.describe_cases_pages()]
    assert ids == ["p1", "p2"]


def test_request_id_from_a_real_moto_server(support_client: SupportClient) -> None:
    reply = support_client.describe_severity_levels()
    meta = reply.response_metadata
    assert meta.http_status_code == 200 and meta.retry_attempts == 0
    assert meta.request_id and meta.request_id == meta.http_headers["x-amzn-requestid"]


def test_request_id_from_moto_in_process() -> None:
    from moto import mock_aws

    with mock_aws():
        client = SupportClient(region_name="us-east-1", transport=MotoTransport(),
                               aws_access_key_id="testing", aws_secret_access_key="testing")
        meta = client.create_case(subject="s", communication_body="b").response_metadata
    assert meta.http_status_code == 200 and meta.retry_attempts == 0 and len(meta.request_id or "") > 10


def test_stubbed_reply_metadata() -> None:
    client = SupportClient(region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_response("create_case", {"caseId": "c", "ResponseMetadata": {"RequestId": "stub-1"}})
        meta = client.create_case(subject="s", communication_body="b").response_metadata
    assert (meta.request_id, meta.http_status_code) == ("stub-1", 200)


# ------------------------------------------------------------------ dict input


def _body(send: Any) -> bytes:
    transport = RecordingTransport()
    client = SupportClient(region_name="us-east-1", transport=transport,
                           aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    send(client)
    (request,) = transport.requests
    return request.body


@pytest.mark.parametrize("operation", OPERATIONS)
def test_dict_input_equals_model_input_on_the_wire(operation: str, support_ir: Any) -> None:
    from botocore import xform_name

    params = example_params(MODEL, operation)
    op = next(o for o in support_ir.operations if o.name == operation)
    method = xform_name(operation)
    from_models = _body(lambda c: getattr(c, method)(**kwargs_for(support_ir, aws_support.models, operation, params)))
    if op.input is None:
        pytest.skip("no input")
    request = from_dict(getattr(models, op.input.class_name), params)
    from_dicts = _body(lambda c: getattr(c, method)(**as_kwargs(request)))
    assert from_dicts == from_models
    assert len(from_models) > 2 or not params


def test_nested_dicts_and_model_objects_mix() -> None:
    built = from_dict(models.AddAttachmentsToSetRequest, {
        "attachments": [{"fileName": "a.txt", "data": b"one"}, models.Attachment(file_name="b.txt", data=b"two")],
    })
    assert built == models.AddAttachmentsToSetRequest(attachments=[
        models.Attachment(file_name="a.txt", data=b"one"), models.Attachment(file_name="b.txt", data=b"two"),
    ])


def _problems(send: Any) -> str:
    client = SupportClient(region_name="us-east-1", transport=RecordingTransport(),
                           aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    with pytest.raises(ParamValidationError) as info:
        send(client)
    return str(info.value)


def test_bad_values_give_the_same_messages_as_model_input() -> None:
    from_model = _problems(lambda c: c.add_attachments_to_set(
        attachments=[models.Attachment(file_name=3, data="text")],  # type: ignore[arg-type]
    ))
    from_dicts = _problems(lambda c: c.add_attachments_to_set(**as_kwargs(from_dict(
        models.AddAttachmentsToSetRequest, {"attachments": [{"fileName": 3, "data": "text"}]},
    ))))
    assert from_dicts == from_model
    assert "Invalid type for parameter attachments[0].file_name, value: 3" in from_model


def test_missing_required_member_gives_the_validation_message() -> None:
    message = _problems(lambda c: c.create_case(**as_kwargs(from_dict(models.CreateCaseRequest, {"subject": "s"}))))
    assert message == 'Parameter validation failed:\nMissing required parameter in input: "communication_body"'


def test_unknown_keys_and_non_objects_are_reported_at_once() -> None:
    with pytest.raises(ParamValidationError) as info:
        from_dict(models.AddAttachmentsToSetRequest, {
            "attachments": [{"fileNam": "a"}, "not an object"], "extra": 1,
        })
    assert info.value.problems == (
        'Unknown parameter in attachments[0]: "fileNam", must be one of: fileName, data',
        "Invalid type for parameter attachments[1], value: 'not an object', type: str, valid types: dict, Attachment",
        'Unknown parameter in input: "extra", must be one of: attachmentSetId, attachments',
    )
