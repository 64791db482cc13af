"""End to end against a real moto server on 127.0.0.1 (started by the session fixture).

moto advances each listed case's status on every DescribeCases call, so no test
asserts a fixed status across reads; statuses are checked against the set moto cycles through.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from aws_support import SupportClient, errors, models

MOTO_STATUSES = {
    "opened",
    "pending-customer-action",
    "reopened",
    "resolved",
    "unassigned",
    "work-in-progress",
}


def _create(client: SupportClient, subject: str) -> str:
    reply = client.create_case(
        subject=subject,
        communication_body="Instance i-123 does not boot",
        service_code="amazon-elastic-compute-cloud-linux",
        category_code="other",
        severity_code="low",
        cc_email_addresses=["ops@example.com"],
        language="en",
        issue_type="technical",
    )
    assert isinstance(reply, models.CreateCaseResponse)
    assert reply.case_id is not None
    return reply.case_id


def test_create_case_with_non_ascii_subject_round_trips(support_client: SupportClient) -> None:
    subject = "Ünïcödé ✓ 日本語 subject"
    case_id = _create(support_client, subject)
    assert re.fullmatch(r"case-12345678910-2020-\w{16}", case_id)

    found = support_client.describe_cases(case_id_list=[case_id], include_resolved_cases=True)
    assert isinstance(found, models.DescribeCasesResponse)
    assert found.cases is not None and len(found.cases) == 1
    case = found.cases[0]
    assert isinstance(case, models.CaseDetails)
    assert case.case_id == case_id
    assert case.subject == subject
    assert case.service_code == "amazon-elastic-compute-cloud-linux"
    assert case.category_code == "other"
    assert case.cc_email_addresses == ["ops@example.com"]
    assert case.language == "en"
    assert case.submitted_by == "moto@moto.com"
    assert case.status in MOTO_STATUSES
    assert isinstance(case.time_created, str)  # a string in the model, sent verbatim
    comms = case.recent_communications
    assert isinstance(comms, models.RecentCaseCommunications)
    assert comms.communications is not None
    first = comms.communications[0]
    assert isinstance(first, models.Communication)
    assert first.body == "Instance i-123 does not boot"
    assert first.attachment_set is not None
    assert first.attachment_set[0] == models.AttachmentDetails(
        attachment_id=None, file_name="support_file.txt"
    )


def test_describe_cases_filters_and_include_communications_false(support_client: SupportClient) -> None:
    case_id = _create(support_client, "filters")
    reply = support_client.describe_cases(
        case_id_list=[case_id],
        include_resolved_cases=True,
        include_communications=False,
        max_results=10,
        language="en",
    )
    assert reply.cases is not None
    assert [c.case_id for c in reply.cases] == [case_id]
    assert reply.cases[0].recent_communications is None
    assert reply.next_token is None


def test_include_resolved_cases_controls_visibility(support_client: SupportClient) -> None:
    case_id = _create(support_client, "to resolve")
    resolved = support_client.resolve_case(case_id=case_id)
    assert isinstance(resolved, models.ResolveCaseResponse)
    assert resolved.final_case_status == "resolved"
    assert resolved.initial_case_status in MOTO_STATUSES

    everything = support_client.describe_cases(include_resolved_cases=True)
    assert everything.cases is not None
    assert case_id in {c.case_id for c in everything.cases}


def test_trusted_advisor_checks_and_refresh(support_client: SupportClient) -> None:
    checks = support_client.describe_trusted_advisor_checks(language="en")
    assert isinstance(checks, models.DescribeTrustedAdvisorChecksResponse)
    assert checks.checks is not None and len(checks.checks) == 104
    low_util = next(c for c in checks.checks if c.id == "Qch7DwouX1")
    assert low_util.name == "Low Utilization Amazon EC2 Instances"
    assert low_util.category == "cost_optimizing"
    assert low_util.metadata is not None and low_util.metadata[:2] == ["Region/AZ", "Instance ID"]

    statuses = []
    for _ in range(3):
        reply = support_client.refresh_trusted_advisor_check(check_id="Qch7DwouX1")
        assert isinstance(reply.status, models.TrustedAdvisorCheckRefreshStatus)
        assert reply.status.check_id == "Qch7DwouX1"
        assert reply.status.millis_until_next_refreshable == 123
        statuses.append(reply.status.status)
    cycle = ["none", "enqueued", "processing", "success", "abandoned"]
    start = cycle.index(statuses[0])
    assert statuses == [cycle[(start + i) % len(cycle)] for i in range(3)]


def test_unimplemented_operation_gives_typed_error_not_html_noise(moto_endpoint: str) -> None:
    from aws_runtime import Config

    client = SupportClient(
        region_name="us-east-1",
        endpoint_url=moto_endpoint,
        aws_access_key_id="AKIDMOTOTEST",
        aws_secret_access_key="moto-secret-key",
        config=Config(retry_mode="off"),
    )
    with pytest.raises(errors.SupportError) as info:
        client.describe_attachment(attachment_id="attachment-1")
    err = info.value
    assert type(err) is errors.SupportError
    assert err.code == "500"
    assert err.status_code == 500
    assert err.operation_name == "DescribeAttachment"
    assert err.message == "500 Internal Server Error"
    assert "<html" not in str(err)


def test_requests_are_signed_for_support_in_us_east_1(moto_endpoint: str) -> None:
    """moto routes on the Authorization scope: a request that reached the Support
    backend proves the scope is .../us-east-1/support/aws4_request."""
    client = SupportClient(
        region_name="us-east-1",
        endpoint_url=moto_endpoint,
        aws_access_key_id="AKIDMOTOTEST",
        aws_secret_access_key="moto-secret-key",
        aws_session_token="session-token-value",
    )
    assert client.signing_region == "us-east-1"
    reply: Any = client.describe_trusted_advisor_checks(language="ja")
    assert reply.checks
