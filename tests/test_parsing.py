"""Reply parsing rules for the generated Support client (awsJson 1.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.server import Reply, ScriptedServer

from aws_runtime import Config
from aws_runtime.errors import ResponseParseError
from aws_support import SupportClient, errors, models


def client_for(server: ScriptedServer) -> SupportClient:
    return SupportClient(
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retry_mode="off"),
    )


def test_nulls_unknown_members_and_positional_nulls_in_lists() -> None:
    reply = {
        "result": {
            "checkId": "Qch7DwouX1",
            "timestamp": "2026-11-29T10:00:00Z",
            "status": "warning",
            "resourcesSummary": {
                "resourcesProcessed": 3,
                "resourcesFlagged": 1,
                "resourcesIgnored": 0,
                "resourcesSuppressed": 0,
            },
            "categorySpecificSummary": {
                "costOptimizing": {
                    "estimatedMonthlySavings": 12,
                    "estimatedPercentMonthlySavings": 0.5,
                }
            },
            "flaggedResources": [
                {
                    "status": "warning",
                    "region": None,
                    "resourceId": "r-1",
                    "isSuppressed": False,
                    "metadata": ["us-east-1a", None, "i-123", None],
                    "someFutureMember": {"x": 1},
                }
            ],
        },
        "anotherUnknownTopLevelMember": True,
    }
    with ScriptedServer([Reply(body=reply, content_type="text/html; charset=utf-8")]) as server:
        out = client_for(server).describe_trusted_advisor_check_result(check_id="Qch7DwouX1")
    assert isinstance(out.result, models.TrustedAdvisorCheckResult)
    flagged = out.result.flagged_resources
    assert flagged == [
        models.TrustedAdvisorResourceDetail(
            status="warning",
            region=None,
            resource_id="r-1",
            is_suppressed=False,
            metadata=["us-east-1a", None, "i-123", None],
        )
    ]
    summary = out.result.category_specific_summary
    assert summary is not None and summary.cost_optimizing is not None
    savings = summary.cost_optimizing.estimated_monthly_savings
    assert savings == 12.0 and isinstance(savings, float)  # a JSON integer for a double
    assert out.result.resources_summary == models.TrustedAdvisorResourcesSummary(
        resources_processed=3, resources_flagged=1, resources_ignored=0, resources_suppressed=0
    )


def test_required_members_are_not_enforced_on_replies() -> None:
    with ScriptedServer(
        [Reply(body={"result": {"checkId": "x", "status": "not_available"}})]
    ) as server:
        out = client_for(server).describe_trusted_advisor_check_result(check_id="x")
    assert out.result == models.TrustedAdvisorCheckResult(check_id="x", status="not_available")
    assert out.result is not None and out.result.flagged_resources is None


def test_blob_reply_is_decoded_once_and_enum_keeps_unknown_values() -> None:
    with ScriptedServer(
        [
            Reply(body={"attachment": {"fileName": "a.bin", "data": "AP9oZWxsbw=="}}),
            Reply(body={"uploadStatus": "attachment-ready", "fileName": "f"}),
            Reply(body={"uploadStatus": "a-future-status", "fileName": "f"}),
        ]
    ) as server:
        client = client_for(server)
        att = client.describe_attachment(attachment_id="a")
        ready = client.describe_attachment_upload_status(upload_id="u")
        future = client.describe_attachment_upload_status(upload_id="u")
    assert att.attachment == models.Attachment(file_name="a.bin", data=b"\x00\xffhello")
    # Enum members of models hold the wire text (a plain str, decoded natively);
    # the str enum class gives the constants, equal to that text.
    assert ready.upload_status == models.UploadStatus.ATTACHMENT_READY
    assert type(ready.upload_status) is str and ready.upload_status == "attachment-ready"
    assert future.upload_status == "a-future-status"
    assert not isinstance(future.upload_status, models.UploadStatus)


def test_modeled_error_carries_code_message_and_members() -> None:
    body = {
        "__type": "com.amazon.support#ThrottlingException:http://internal",
        "message": "slow down",
        "throttlingReasons": [{"reason": "rate", "resource": "api"}],
    }
    reply = Reply(status=400, body=body, headers={"x-amzn-RequestId": "rid-1"})
    with ScriptedServer([reply]) as server, pytest.raises(errors.ThrottlingException) as info:
        client_for(server).describe_supported_languages(
            issue_type="technical", service_code="svc", category_code="cat"
        )
    err = info.value
    assert isinstance(err, errors.SupportError)
    assert err.code == "ThrottlingException"
    assert err.message == "slow down"
    assert err.status_code == 400
    assert err.operation_name == "DescribeSupportedLanguages"
    assert err.throttling_reasons == [models.ThrottlingReason(reason="rate", resource="api")]
    assert str(err) == (
        "An error occurred (ThrottlingException) when calling the "
        "DescribeSupportedLanguages operation: slow down"
    )


def test_case_id_not_found_and_unmodeled_code_kept_verbatim() -> None:
    with ScriptedServer(
        [
            Reply(status=400, body={"__type": "CaseIdNotFound", "Message": "no such case"}),
            Reply(
                status=400,
                body={"__type": "SubscriptionRequiredException", "message": "upgrade your plan"},
            ),
        ]
    ) as server:
        client = client_for(server)
        with pytest.raises(errors.CaseIdNotFound) as missing:
            client.resolve_case(case_id="case-1")
        with pytest.raises(errors.SupportError) as unmodeled:
            client.describe_severity_levels()
    assert missing.value.message == "no such case"
    assert type(unmodeled.value) is errors.SupportError
    assert unmodeled.value.code == "SubscriptionRequiredException"
    assert unmodeled.value.message == "upgrade your plan"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!doctype html><html>oops</html>", "body is not JSON"),
        (b'{"cases": [', "body is not JSON"),
        (b"[1, 2]", "expected a JSON object, got an array"),
        (b'{"cases": {"caseId": "x"}}', "member cases should be an array, got object"),
        (b'{"cases": [{"caseId": 5}]}', "member cases[0].caseId should be a string, got int"),
    ],
)
def test_unparseable_2xx_gives_response_parse_error(body: bytes, reason: str) -> None:
    with (
        ScriptedServer([Reply(status=200, body=body)]) as server,
        pytest.raises(ResponseParseError) as info,
    ):
        client_for(server).describe_cases()
    assert info.value.status_code == 200
    assert reason in str(info.value)
    assert info.value.body_excerpt == body[:200].decode()


def test_empty_2xx_body_is_an_empty_reply() -> None:
    with ScriptedServer([Reply(status=200, body=b"")]) as server:
        out = client_for(server).describe_cases()
    assert out == models.DescribeCasesResponse(cases=None, next_token=None)


def test_timestamps_are_strings_in_the_support_model() -> None:
    """afterTime/beforeTime/timeCreated are strings: sent and returned verbatim."""
    with ScriptedServer(
        [Reply(body={"communications": [{"timeCreated": "2026-11-29T15:13:02.766467"}]})]
    ) as server:
        out = client_for(server).describe_communications(
            case_id="c", after_time="2026-01-01", before_time="2026-12-31T00:00:00Z"
        )
        sent = server.requests[-1].json()
    assert sent == {"caseId": "c", "afterTime": "2026-01-01", "beforeTime": "2026-12-31T00:00:00Z"}
    assert out.communications is not None
    assert out.communications[0].time_created == "2026-11-29T15:13:02.766467"
    assert not isinstance(out.communications[0].time_created, dt.datetime)


def test_error_response_has_botocores_shape() -> None:
    body = {"__type": "CaseIdNotFound", "message": "no such case"}
    reply = Reply(status=400, body=body, headers={"x-amzn-RequestId": "rid-9"})
    with ScriptedServer([reply]) as server, pytest.raises(errors.CaseIdNotFound) as info:
        client_for(server).resolve_case(case_id="case-1")
    response = info.value.response
    assert response["Error"] == {"Code": "CaseIdNotFound", "Message": "no such case"}
    meta = response["ResponseMetadata"]
    assert (meta["RequestId"], meta["HTTPStatusCode"], meta["RetryAttempts"]) == ("rid-9", 400, 0)
    assert meta["HTTPHeaders"]["x-amzn-requestid"] == "rid-9"


def test_enum_members_print_their_wire_value() -> None:
    status = models.UploadStatus.ATTACHMENT_READY
    assert str(status) == f"{status}" == "attachment-ready"
    assert status == "attachment-ready"
