"""aws_runtime.testing, used the way a user's own test suite would use it.

* A small program (open a case, page through open cases, tolerate a case that
  vanished) tested with :class:`Stubber`, no network.
* The same client against moto's in-process ``mock_aws`` through
  :class:`MotoTransport`, with socket creation and connects made to fail.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from aws_runtime.errors import ParamValidationError
from aws_runtime.testing import (
    ANY,
    MotoNotActiveError,
    MotoTransport,
    StubAssertionError,
    Stubber,
    StubResponseError,
    UnStubbedResponseError,
)
from aws_support import SupportClient, models

# ----------------------------------------------------------------- the user's program


def open_case(client: SupportClient, subject: str, body: str) -> str:
    """Open a low-severity case; returns its id."""
    return client.create_case(subject=subject, communication_body=body, severity_code="low").case_id or ""


def open_subjects(client: SupportClient) -> list[str]:
    """Subjects of every open case, all pages."""
    return [c.subject or "" for c in client.describe_cases_items(include_resolved_cases=False, max_results=10)]


def close_quietly(client: SupportClient, case_id: str) -> str:
    """Resolve a case; a case that no longer exists counts as closed."""
    try:
        return str(client.resolve_case(case_id=case_id).final_case_status)
    except client.exceptions.CaseIdNotFound as exc:
        return f"gone ({exc.message})"


# ----------------------------------------------------------------- Stubber


@pytest.fixture
def client() -> Iterator[SupportClient]:
    # no credentials anywhere: the Stubber signs with its own test keys
    with SupportClient(region_name="us-east-1") as c:
        yield c


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Creating or connecting a socket fails (and is recorded) for the rest of the test."""
    attempts: list[Any] = []

    def refuse_connect(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise AssertionError(f"socket connect to {address!r} in a no-network test")

    def refuse_socket(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise AssertionError("socket created in a no-network test")

    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse_connect)
    monkeypatch.setattr(socket, "create_connection", refuse_socket)
    monkeypatch.setattr(socket.socket, "__init__", refuse_socket)
    return attempts


def test_program_with_stubber(client: SupportClient, no_sockets: list[Any]) -> None:
    with Stubber(client) as stubber:
        stubber.add_response(
            "create_case",
            {"caseId": "case-1"},
            expected_params={"subject": "Printer on fire", "communicationBody": "Help", "severityCode": "low"},
        )
        stubber.add_response(
            client.describe_cases,  # typed: the reply is checked against DescribeCasesResponse
            {"cases": [{"caseId": "case-1", "subject": "Printer on fire"}], "nextToken": "page-2"},
            expected_params={"includeResolvedCases": False, "maxResults": 10},
        )
        stubber.add_response(
            "describe_cases",
            {"cases": [{"caseId": "case-0", "subject": "Old one"}]},
            expected_params={"includeResolvedCases": False, "maxResults": 10, "nextToken": "page-2"},
        )
        stubber.add_response("resolve_case", {"initialCaseStatus": "opened", "finalCaseStatus": "resolved"})
        stubber.add_client_error(
            "resolve_case", "CaseIdNotFound", "Case case-0 not found", expected_params={"caseId": "case-0"}
        )

        assert open_case(client, "Printer on fire", "Help") == "case-1"
        assert open_subjects(client) == ["Printer on fire", "Old one"]
        assert close_quietly(client, "case-1") == "resolved"
        assert close_quietly(client, "case-0") == "gone (Case case-0 not found)"
        stubber.assert_no_pending_responses()
    assert no_sockets == []
    assert [r.headers["X-Amz-Target"].split(".")[1] for r in stubber.requests] == [
        "CreateCase", "DescribeCases", "DescribeCases", "ResolveCase", "ResolveCase",
    ]


def test_stubbed_error_is_the_typed_class_with_its_metadata(client: SupportClient) -> None:
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "describe_cases", "CaseIdNotFound", "nope", 404, response_meta={"RequestId": "rid-42"}
        )
        with pytest.raises(client.exceptions.CaseIdNotFound) as info:
            client.describe_cases(case_id_list=["x"])
    err = info.value
    assert (err.code, err.message, err.status_code, err.request_id, err.operation_name) == (
        "CaseIdNotFound", "nope", 404, "rid-42", "DescribeCases",
    )
    assert err.response["Error"] == {"Code": "CaseIdNotFound", "Message": "nope"}


def test_modeled_error_fields_reach_the_exception(client: SupportClient) -> None:
    with Stubber(client) as stubber:
        stubber.add_client_error(
            client.describe_cases,
            "ThrottlingException",
            "slow down",
            modeled_fields={"throttlingReasons": [{"reason": "RATE_EXCEEDED", "resource": "cases"}]},
        )
        with pytest.raises(client.exceptions.ThrottlingException) as info:
            client.describe_cases()
    assert info.value.throttling_reasons == [models.ThrottlingReason(reason="RATE_EXCEEDED", resource="cases")]
    assert info.value.attempts == 1  # botocore's Stubber: a queued error is final, not retried


def test_retries_true_lets_each_attempt_take_the_next_reply(client: SupportClient) -> None:
    from aws_runtime import Config

    delays: list[float] = []
    config = Config(sleep=delays.append, random=lambda: 0.5)
    with SupportClient(region_name="us-east-1", config=config) as c, Stubber(c, retries=True) as stubber:
        stubber.add_client_error("create_case", "ThrottlingException", "slow down")
        stubber.add_response("create_case", {"caseId": "case-9"})
        assert c.create_case(subject="s", communication_body="b").case_id == "case-9"
        stubber.assert_no_pending_responses()
    assert delays == [0.5]


def test_mismatches_fail_at_the_call(client: SupportClient) -> None:
    with Stubber(client) as stubber:
        with pytest.raises(UnStubbedResponseError, match="Unexpected API Call"):
            client.describe_services()
        stubber.add_response("create_case", {"caseId": "c"})
        with pytest.raises(StubResponseError, match="Operation mismatch: found response for create_case"):
            client.describe_services()
        stubber.add_response("create_case", {"caseId": "c"}, expected_params={"subject": "other", "communicationBody": ANY})
        client.create_case(subject="s", communication_body="b")  # the first queued reply: no expectation
        with pytest.raises(StubAssertionError, match="'subject': 'other'"):
            client.create_case(subject="s", communication_body="b")
        with pytest.raises(AssertionError, match="1 responses remaining in queue: create_case"):
            stubber.assert_no_pending_responses()


def test_validation_still_runs_before_anything_is_consumed(client: SupportClient) -> None:
    with Stubber(client) as stubber:
        stubber.add_response("create_case", {"caseId": "c"})
        with pytest.raises(ParamValidationError, match="communication_body"):
            client.create_case(subject="s", communication_body=None)  # type: ignore[arg-type]
        assert client.create_case(subject="s", communication_body="b").case_id == "c"


def test_a_bad_reply_fails_like_a_real_one(client: SupportClient) -> None:
    from aws_runtime.errors import ResponseParseError

    with Stubber(client) as stubber:
        stubber.add_response("create_case", {"caseId": 12})
        with pytest.raises(ResponseParseError, match="caseId"):
            client.create_case(subject="s", communication_body="b")


def test_deactivate_restores_the_client(client: SupportClient) -> None:
    before = (client._transport, client._credential_gate, client._pipeline.retry)
    stubber = Stubber(client)
    stubber.activate()
    assert client._transport is not before[0] and client._pipeline.retry is not before[2]
    stubber.deactivate()
    assert (client._transport, client._credential_gate, client._pipeline.retry) == before


# ----------------------------------------------------------------- moto in process


def test_mock_aws_in_process_without_sockets(no_sockets: list[Any]) -> None:
    from moto import mock_aws

    with mock_aws():
        client = SupportClient(
            region_name="us-east-1",
            transport=MotoTransport(),
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        created = client.create_case(subject="Printer on fire", communication_body="Help", severity_code="low")
        assert created.case_id and created.case_id.startswith("case-")
        cases = client.describe_cases(case_id_list=[created.case_id]).cases or []
        assert [(c.case_id, c.subject) for c in cases] == [(created.case_id, "Printer on fire")]
        resolved = client.resolve_case(case_id=created.case_id)
        assert resolved.final_case_status == "resolved"
        checks = client.describe_trusted_advisor_checks(language="en").checks or []
        assert len(checks) > 50
        assert all(isinstance(c, models.TrustedAdvisorCheckDescription) and c.id for c in checks)
        assert {c.category for c in checks} >= {"cost_optimizing", "security"}
    assert no_sockets == []


def test_mock_aws_state_is_shared_with_boto3_in_the_same_mock() -> None:
    boto3 = pytest.importorskip("boto3")
    from moto import mock_aws

    with mock_aws():
        ours = SupportClient(region_name="us-east-1", transport=MotoTransport(),
                             aws_access_key_id="testing", aws_secret_access_key="testing")
        case_id = ours.create_case(subject="seen by boto3", communication_body="b").case_id
        theirs = boto3.client("support", region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        found = theirs.describe_cases(caseIdList=[case_id])["cases"]
        assert [c["subject"] for c in found] == ["seen by boto3"]


def test_moto_transport_outside_mock_aws_refuses() -> None:
    client = SupportClient(region_name="us-east-1", transport=MotoTransport(),
                           aws_access_key_id="testing", aws_secret_access_key="testing")
    with pytest.raises(MotoNotActiveError, match="mock_aws"):
        client.describe_services()
