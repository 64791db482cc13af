"""boto3 habits that work here too: ``client.exceptions.<ErrorName>``, paginators'
``build_full_result()``."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.server import Recorded, Reply, ScriptedServer

from aws_runtime.errors import PaginationError, ServiceError
from aws_support import SupportClient, errors, models

IDS = [f"case-{i:02d}" for i in range(25)]


def _cases(rec: Recorded) -> Reply:
    body = rec.json()
    start = int(body["nextToken"][1:]) if "nextToken" in body else 0
    size = body.get("maxResults", 100)
    reply: dict[str, Any] = {"cases": [{"caseId": c} for c in IDS[start : start + size]]}
    if start + size < len(IDS):
        reply["nextToken"] = f"t{start + size}"
    return Reply(body=reply)


def _client(url: str) -> SupportClient:
    return SupportClient(region_name="us-east-1", endpoint_url=url,
                         aws_access_key_id="AKIDTEST", aws_secret_access_key="secret")


def test_client_exceptions_are_the_error_classes() -> None:
    exceptions = SupportClient.exceptions
    for code, cls in errors.ERROR_CLASSES.items():
        assert getattr(exceptions, code) is cls
    assert exceptions.ClientError is ServiceError
    assert exceptions.SupportError is errors.SupportError
    assert exceptions.CaseIdNotFound is errors.CaseIdNotFound
    names = {n for n in vars(exceptions) if not n.startswith("_")}
    assert names == set(errors.ERROR_CLASSES) | {"ClientError", "SupportError"}


def test_client_exceptions_catch_a_real_error_reply() -> None:
    reply = Reply(status=400, body={"__type": "CaseIdNotFound", "message": "Case nope not found"})
    with ScriptedServer([reply]) as server, _client(server.url) as client, pytest.raises(
        client.exceptions.CaseIdNotFound, match="Case nope not found"
    ):
        client.resolve_case(case_id="nope")


def test_build_full_result_merges_every_page() -> None:
    with ScriptedServer(_cases) as server, _client(server.url) as client:
        full = client.get_paginator("describe_cases").paginate(max_results=10).build_full_result()
        assert isinstance(full, models.DescribeCasesResponse)
        assert [c.case_id for c in full.cases or []] == IDS
        assert full.next_token is None
        assert [r.json().get("nextToken") for r in server.requests] == [None, "t10", "t20"]


def test_build_full_result_with_max_items_gives_the_resume_token() -> None:
    with ScriptedServer(_cases) as server, _client(server.url) as client:
        pages = client.describe_cases_pages(max_results=10, max_items=15)
        first = pages.build_full_result()
        assert [c.case_id for c in first.cases or []] == IDS[:15]
        assert first.next_token == pages.resume_token and first.next_token
        rest = client.describe_cases_pages(max_results=10, starting_token=first.next_token).build_full_result()
        assert [c.case_id for c in rest.cases or []] == IDS[15:]
        assert rest.next_token is None


def test_build_full_result_keeps_the_loop_guard() -> None:
    with ScriptedServer([Reply(body={"cases": [{"caseId": "a"}], "nextToken": "same"})]) as server, _client(server.url) as client:
        with pytest.raises(PaginationError, match="already sent"):
            client.describe_cases_pages().build_full_result()
        assert len(server.requests) == 2
