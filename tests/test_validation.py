"""Client-side validation: every rule, the combined report, and that nothing is sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.server import Reply, ScriptedServer

from aws_runtime import Config
from aws_support import SupportClient, errors, models


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer([Reply(body={})]) as srv:
        yield srv


@pytest.fixture
def client(server: ScriptedServer) -> SupportClient:
    return SupportClient(
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )


def problems(call: Any) -> list[str]:
    with pytest.raises(errors.ParamValidationError) as info:
        call()
    text = str(info.value)
    assert text.startswith("Parameter validation failed:\n")
    assert text.splitlines()[1:] == list(info.value.problems)
    return list(info.value.problems)


def test_param_validation_error_is_a_value_error_importable_from_errors() -> None:
    assert issubclass(errors.ParamValidationError, ValueError)
    from aws_runtime.errors import ParamValidationError

    assert errors.ParamValidationError is ParamValidationError


def test_required_member_missing(client: SupportClient, server: ScriptedServer) -> None:
    kwargs: dict[str, Any] = {"subject": None, "communication_body": "body"}
    assert problems(lambda: client.create_case(**kwargs)) == [
        'Missing required parameter in input: "subject"'
    ]
    assert server.requests == []


def test_wrong_python_types(client: SupportClient) -> None:
    bad: dict[str, Any] = {
        "case_id_list": "case-1",
        "include_resolved_cases": "yes",
        "max_results": True,
        "display_id": 42,
    }
    assert problems(lambda: client.describe_cases(**bad)) == [
        "Invalid type for parameter case_id_list, value: 'case-1', type: str, valid types: list, tuple",
        "Invalid type for parameter display_id, value: 42, type: int, valid types: str",
        "Invalid type for parameter include_resolved_cases, value: 'yes', type: str, valid types: bool",
        "Invalid type for parameter max_results, value: True, type: bool, valid types: int",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "Invalid length for parameter communication_body, value: 0, valid min length: 1"),
        (
            "x" * 8001,
            "Invalid length for parameter communication_body, value: 8001, valid max length: 8000",
        ),
    ],
)
def test_string_length_bounds(client: SupportClient, body: str, expected: str) -> None:
    assert problems(lambda: client.create_case(subject="s", communication_body=body)) == [expected]


def test_string_length_at_bounds_is_accepted(client: SupportClient, server: ScriptedServer) -> None:
    client.create_case(subject="s", communication_body="x")
    client.create_case(subject="s", communication_body="é" * 8000)  # characters, not bytes
    assert len(server.requests) == 2
    assert server.requests[1].json()["communicationBody"] == "é" * 8000


def test_list_length_bounds(client: SupportClient) -> None:
    assert problems(
        lambda: client.create_case(
            subject="s", communication_body="b", cc_email_addresses=["a@example.com"] * 11
        )
    ) == ["Invalid length for parameter cc_email_addresses, value: 11, valid max length: 10"]
    assert problems(lambda: client.describe_cases(case_id_list=["c"] * 101)) == [
        "Invalid length for parameter case_id_list, value: 101, valid max length: 100"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (9, "Invalid value for parameter max_results, value: 9, valid min value: 10"),
        (101, "Invalid value for parameter max_results, value: 101, valid max value: 100"),
    ],
)
def test_number_range(client: SupportClient, value: int, expected: str) -> None:
    assert problems(lambda: client.describe_cases(max_results=value)) == [expected]


def test_number_range_bounds_accepted(client: SupportClient, server: ScriptedServer) -> None:
    client.describe_cases(max_results=10)
    client.describe_cases(max_results=100)
    assert [r.json()["maxResults"] for r in server.requests] == [10, 100]


def test_nested_structures_and_list_items(client: SupportClient) -> None:
    bad_data: Any = "not bytes"
    attachments: Any = [
        models.Attachment(file_name="ok.txt", data=b"fine"),
        models.Attachment(file_name=7, data=bad_data),  # type: ignore[arg-type]
        None,
        "not an attachment",
    ]
    assert problems(lambda: client.add_attachments_to_set(attachments=attachments)) == [
        "Invalid type for parameter attachments[1].file_name, value: 7, type: int, valid types: str",
        (
            "Invalid type for parameter attachments[1].data, value: 'not bytes', type: str, "
            "valid types: bytes, bytearray, memoryview"
        ),
        (
            "Invalid type for parameter attachments[2], value: None, type: NoneType, "
            "valid types: any but None (the model does not allow null items here)"
        ),
        (
            "Invalid type for parameter attachments[3], value: 'not an attachment', type: str, "
            "valid types: Attachment"
        ),
    ]


def test_nested_required_and_bounds(client: SupportClient) -> None:
    uploads: Any = [models.CompletedUpload(part_index=None, e_tag="")]  # type: ignore[arg-type]
    assert problems(
        lambda: client.complete_attachment_upload(upload_id="", completed_uploads=uploads)
    ) == [
        "Invalid length for parameter upload_id, value: 0, valid min length: 1",
        'Missing required parameter in completed_uploads[0]: "part_index"',
        "Invalid length for parameter completed_uploads[0].e_tag, value: 0, valid min length: 1",
    ]
    assert problems(
        lambda: client.get_attachment_upload_links(
            file_name="f",
            file_size_bytes=0,
            upload_range=models.UploadRange(start_index=0, end_index=1),
        )
    ) == [
        "Invalid value for parameter file_size_bytes, value: 0, valid min value: 1",
        "Invalid value for parameter upload_range.start_index, value: 0, valid min value: 1",
        "Invalid value for parameter upload_range.end_index, value: 1, valid min value: 2",
    ]


def test_all_problems_reported_together_and_nothing_sent(
    client: SupportClient, server: ScriptedServer
) -> None:
    bad: dict[str, Any] = {
        "subject": None,
        "communication_body": "",
        "cc_email_addresses": ["a"] * 11,
        "dry_run": "no",
    }
    found = problems(lambda: client.create_case(**bad))
    assert found == [
        'Missing required parameter in input: "subject"',
        "Invalid length for parameter communication_body, value: 0, valid min length: 1",
        "Invalid length for parameter cc_email_addresses, value: 11, valid max length: 10",
        "Invalid type for parameter dry_run, value: 'no', type: str, valid types: bool",
    ]
    assert server.requests == []
    assert server.connections == 0


def test_validation_off_sends_what_it_was_given(server: ScriptedServer) -> None:
    client = SupportClient(
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(validate=False),
    )
    client.describe_cases(max_results=5, case_id_list=["c"] * 101)
    sent = server.requests[-1].json()
    assert sent == {"caseIdList": ["c"] * 101, "maxResults": 5}


def test_none_is_omitted_but_false_and_zero_are_sent(
    client: SupportClient, server: ScriptedServer
) -> None:
    client.describe_cases(include_resolved_cases=False, include_communications=None, dry_run=False)
    body = server.requests[-1].body
    assert json.loads(body) == {"includeResolvedCases": False, "dryRun": False}
    assert b"null" not in body
    client.describe_services()
    assert server.requests[-1].body == b"{}"


def test_blob_is_base64_once_on_the_wire(client: SupportClient, server: ScriptedServer) -> None:
    client.add_attachments_to_set(
        attachments=[models.Attachment(file_name="a.bin", data=b"\x00\xffhello")]
    )
    assert server.requests[-1].json() == {
        "attachments": [{"fileName": "a.bin", "data": "AP9oZWxsbw=="}]
    }
