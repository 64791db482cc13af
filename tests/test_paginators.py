"""Generated paginators against a scripted server and a real moto server.

The scripted server plays a Support service holding 25 cases served in pages of
``maxResults``; it records every request, so the tests check exactly what was
sent on each page request (filters kept, only the token changing).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers.server import Recorded, Reply, ScriptedServer

from aws_runtime import Config
from aws_runtime.errors import OperationNotPageableError, PaginationError, ParamValidationError
from aws_runtime.pagination import RESUME_TOKEN_PREFIX, ItemIterator, PageIterator
from aws_support import SupportClient, models, paginators

CASE_IDS = [f"case-{i:02d}" for i in range(25)]
FILTERS: dict[str, Any] = {
    "after_time": "2024-01-01T00:00:00Z",
    "include_resolved_cases": True,
    "language": "en",
    "max_results": 10,
}
WIRE_FILTERS = {
    "afterTime": "2024-01-01T00:00:00Z",
    "includeResolvedCases": True,
    "language": "en",
    "maxResults": 10,
}


def _case(case_id: str) -> dict[str, Any]:
    # Every case carries a nested recentCommunications.nextToken that must never be
    # taken for the page token.
    return {
        "caseId": case_id,
        "subject": f"subject of {case_id}",
        "recentCommunications": {
            "communications": [{"caseId": case_id, "body": "hello"}],
            "nextToken": f"nested-{case_id}",
        },
    }


def cases_service(
    ids: list[str] = CASE_IDS, token: Callable[[int], Any] = lambda end: f"t{end}"
) -> Callable[[Recorded], Reply]:
    """DescribeCases over ``ids``: the page token is ``token(offset of the next page)``,
    the last page carries no token."""

    def respond(rec: Recorded) -> Reply:
        assert rec.headers["x-amz-target"] == "AWSSupport_20130415.DescribeCases"
        body = rec.json()
        start = int(body["nextToken"][1:]) if "nextToken" in body else 0
        size = body.get("maxResults", 100)
        page = ids[start : start + size]
        reply: dict[str, Any] = {"cases": [_case(c) for c in page]}
        if start + size < len(ids):
            reply["nextToken"] = token(start + size)
        return Reply(body=reply)

    return respond


@pytest.fixture
def server_client() -> Iterator[Callable[[Callable[[Recorded], Reply] | list[Reply]], tuple[ScriptedServer, SupportClient]]]:
    started: list[ScriptedServer] = []

    def make(script: Callable[[Recorded], Reply] | list[Reply]) -> tuple[ScriptedServer, SupportClient]:
        server = ScriptedServer(script)
        server.__enter__()
        started.append(server)
        client = SupportClient(
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIDTEST",
            aws_secret_access_key="secret",
            config=Config(retry_mode="off"),
        )
        return server, client

    yield make
    for server in started:
        server.__exit__(None, None, None)


def test_items_25_cases_in_pages_of_10_three_requests_filters_kept(server_client: Any) -> None:
    server, client = server_client(cases_service())
    items = client.describe_cases_items(**FILTERS)
    assert isinstance(items, ItemIterator)
    assert server.requests == []  # lazy: nothing sent before iteration

    got = list(items)

    assert all(isinstance(c, models.CaseDetails) for c in got)
    assert [c.case_id for c in got] == CASE_IDS  # 25 items, in order, no repeats
    assert len({c.case_id for c in got}) == 25
    bodies = [r.json() for r in server.requests]
    assert bodies == [
        WIRE_FILTERS,
        {**WIRE_FILTERS, "nextToken": "t10"},
        {**WIRE_FILTERS, "nextToken": "t20"},
    ]
    assert items.resume_token is None


def test_pages_are_typed_replies_and_boto3_spelling_sends_the_same(server_client: Any) -> None:
    server, client = server_client(cases_service())
    pages = client.describe_cases_pages(**FILTERS)
    assert isinstance(pages, PageIterator)
    got = list(pages)
    assert all(type(p) is models.DescribeCasesResponse for p in got)
    assert [len(p.cases or []) for p in got] == [10, 10, 5]
    assert [p.next_token for p in got] == ["t10", "t20", None]
    first_case = (got[0].cases or [])[0]
    assert first_case.recent_communications is not None
    assert first_case.recent_communications.next_token == "nested-case-00"
    sent_direct = [r.json() for r in server.requests]

    paginator = client.get_paginator("describe_cases")
    assert isinstance(paginator, paginators.DescribeCasesPaginator)
    again = list(paginator.paginate(**FILTERS))
    assert again == got
    assert [r.json() for r in server.requests[3:]] == sent_direct
    assert len(server.requests) == 6


def test_each_iteration_starts_over_and_items_of_pages(server_client: Any) -> None:
    server, client = server_client(cases_service())
    pages = client.describe_cases_pages(**FILTERS)
    assert [c.case_id for c in pages.items()] == CASE_IDS
    assert [c.case_id for c in pages.items()] == CASE_IDS
    assert len(server.requests) == 6


@pytest.mark.parametrize(
    "reply", [{"cases": [_case("a")]}, {"cases": [_case("a")], "nextToken": None}, {"cases": [_case("a")], "nextToken": ""}],
    ids=["missing", "null", "empty"],
)
def test_missing_null_or_empty_token_ends(server_client: Any, reply: dict[str, Any]) -> None:
    server, client = server_client([Reply(body=reply), Reply(status=500, body="must not be requested")])
    assert [c.case_id for c in client.describe_cases_items()] == ["a"]
    assert len(server.requests) == 1


def test_token_seen_two_pages_earlier_raises_after_delivering_the_page(server_client: Any) -> None:
    script = [
        Reply(body={"cases": [_case("a")], "nextToken": "A"}),
        Reply(body={"cases": [_case("b")], "nextToken": "B"}),
        Reply(body={"cases": [_case("c")], "nextToken": "A"}),  # not the previous token
        Reply(status=500, body="must not be requested"),
    ]
    server, client = server_client(script)
    seen: list[str | None] = []
    items = client.describe_cases_items()
    with pytest.raises(PaginationError) as info:
        for case in items:
            seen.append(case.case_id)
    assert seen == ["a", "b", "c"]
    assert len(server.requests) == 3
    assert [r.json().get("nextToken") for r in server.requests] == [None, "A", "B"]
    err = info.value
    assert err.operation_name == "DescribeCases"
    assert err.token == "A"
    assert err.pages == 3
    assert "already sent with request 2" in str(err)
    assert items.resume_token is None


def test_echo_of_the_starting_token_raises_after_one_request(server_client: Any) -> None:
    server, client = server_client(
        lambda rec: Reply(body={"cases": [_case("a")], "nextToken": rec.json()["nextToken"]})
    )
    pages = client.describe_cases_pages(starting_token="resume-here")
    with pytest.raises(PaginationError, match="already sent with request 1"):
        list(pages)
    assert len(server.requests) == 1
    assert server.requests[0].json() == {"nextToken": "resume-here"}


def test_max_items_cuts_a_page_and_resume_token_continues_exactly(server_client: Any) -> None:
    server, client = server_client(cases_service())
    first = client.describe_cases_pages(**FILTERS, max_items=15)
    pages = list(first)
    assert [len(p.cases or []) for p in pages] == [10, 5]
    assert len(server.requests) == 2
    token = first.resume_token
    assert token is not None and token.startswith(RESUME_TOKEN_PREFIX)

    rest = client.describe_cases_items(**FILTERS, starting_token=token)
    later = [c.case_id for c in rest]
    got = [c.case_id for p in pages for c in p.cases or []] + later
    assert got == CASE_IDS
    # the cut page is requested again with its own token, the rest as usual
    assert [r.json().get("nextToken") for r in server.requests[2:]] == ["t10", "t20"]
    assert rest.resume_token is None


def test_max_items_on_a_page_boundary_gives_the_service_token(server_client: Any) -> None:
    server, client = server_client(cases_service())
    items = client.describe_cases_items(**FILTERS, max_items=20)
    assert len(list(items)) == 20
    assert len(server.requests) == 2
    assert items.resume_token == "t20"
    rest = client.describe_cases_items(**FILTERS, starting_token=items.resume_token)
    assert [c.case_id for c in rest] == CASE_IDS[20:]


def test_break_mid_page_then_resume_with_the_next_item(server_client: Any) -> None:
    server, client = server_client(cases_service())
    items = client.describe_cases_items(**FILTERS)
    taken = []
    for case in items:
        taken.append(case.case_id)
        if len(taken) == 13:
            break
    assert len(server.requests) == 2
    rest = [c.case_id for c in client.describe_cases_items(**FILTERS, starting_token=items.resume_token)]
    assert taken + rest == CASE_IDS


def test_resume_with_another_page_size_is_rejected_before_io(server_client: Any) -> None:
    server, client = server_client(cases_service())
    items = client.describe_cases_items(**FILTERS, max_items=5)
    list(items)
    assert items.resume_token is not None
    before = len(server.requests)
    with pytest.raises(ParamValidationError, match="page size 10 but this call uses page size 20"):
        client.describe_cases_items(**{**FILTERS, "max_results": 20}, starting_token=items.resume_token)
    assert len(server.requests) == before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_items": 0}, "max_items, value: 0, valid min value: 1"),
        ({"max_items": "5"}, "Invalid type for parameter max_items"),
        ({"max_items": True}, "Invalid type for parameter max_items"),
        ({"starting_token": ""}, "starting_token, value: ''"),
        ({"starting_token": RESUME_TOKEN_PREFIX + "not-base64!"}, "not a resume token"),
    ],
)
def test_bad_paginator_arguments_fail_at_the_call(server_client: Any, kwargs: dict[str, Any], message: str) -> None:
    server, client = server_client(cases_service())
    with pytest.raises(ParamValidationError, match=message):
        client.describe_cases_pages(**kwargs)
    assert server.requests == []


def test_invalid_operation_parameters_fail_before_the_first_request(server_client: Any) -> None:
    server, client = server_client(cases_service())
    items = client.describe_cases_items(max_results=5)
    with pytest.raises(ParamValidationError, match="maxResults|max_results"):
        list(items)
    assert server.requests == []


def test_describe_communications_items_keep_case_id(server_client: Any) -> None:
    def respond(rec: Recorded) -> Reply:
        body = rec.json()
        assert rec.headers["x-amz-target"] == "AWSSupport_20130415.DescribeCommunications"
        if "nextToken" not in body:
            return Reply(body={"communications": [{"body": "one"}, {"body": "two"}], "nextToken": "p2"})
        return Reply(body={"communications": [{"body": "three"}]})

    server, client = server_client(respond)
    bodies = [c.body for c in client.describe_communications_items(case_id="case-1", max_results=10)]
    assert bodies == ["one", "two", "three"]
    assert [r.json() for r in server.requests] == [
        {"caseId": "case-1", "maxResults": 10},
        {"caseId": "case-1", "nextToken": "p2", "maxResults": 10},
    ]
    paginator = client.get_paginator("describe_communications")
    assert isinstance(paginator, paginators.DescribeCommunicationsPaginator)


def test_get_paginator_unknown_name(server_client: Any) -> None:
    _server, client = server_client(cases_service())
    assert client.can_paginate("describe_cases")
    assert not client.can_paginate("create_case")
    assert not client.can_paginate("DescribeCases")
    with pytest.raises(OperationNotPageableError) as info:
        client.get_paginator("create_case")  # type: ignore[call-overload]
    assert isinstance(info.value, ValueError)
    assert info.value.pageable == ("describe_cases", "describe_communications")


def test_empty_pages_in_the_middle_are_followed(server_client: Any) -> None:
    script = [
        Reply(body={"cases": [], "nextToken": "A"}),
        Reply(body={"nextToken": "B"}),
        Reply(body={"cases": [_case("z")]}),
    ]
    server, client = server_client(script)
    assert [c.case_id for c in client.describe_cases_items()] == ["z"]
    assert len(server.requests) == 3


# ------------------------------------------------------------------ moto


def _moto_cases(client: SupportClient, n: int) -> list[str]:
    ids = []
    for i in range(n):
        reply = client.create_case(subject=f"paginate {i}", communication_body="body")
        assert reply.case_id is not None
        ids.append(reply.case_id)
    return ids


def test_moto_one_page_ends_normally_and_nested_token_is_ignored(support_client: SupportClient) -> None:
    created = _moto_cases(support_client, 3)
    pages = list(support_client.describe_cases_pages(include_resolved_cases=True, max_results=10))
    # moto returns every case in one page with nextToken null: the run ends after it.
    assert len(pages) == 1
    assert pages[0].next_token is None
    ids = [c.case_id for c in pages[0].cases or []]
    assert set(created) <= set(ids)
    assert len(ids) == len(set(ids))
    nested = [c.recent_communications.next_token for c in pages[0].cases or [] if c.recent_communications]
    assert nested and set(nested) == {"foo_next_token"}


def test_moto_echoes_the_starting_token_and_the_loop_guard_stops(support_client: SupportClient) -> None:
    created = _moto_cases(support_client, 2)
    items = support_client.describe_cases_items(include_resolved_cases=True, starting_token="page-2")
    seen = []
    with pytest.raises(PaginationError) as info:
        for case in items:
            seen.append(case.case_id)
    assert info.value.pages == 1
    assert info.value.token == "page-2"
    assert set(created) <= set(seen)  # the one page moto sent was delivered first
    assert len(seen) == len(set(seen))


def test_moto_boto3_spelling_with_max_items(support_client: SupportClient) -> None:
    _moto_cases(support_client, 3)
    paginator = support_client.get_paginator("describe_cases")
    pages = paginator.paginate(include_resolved_cases=True, max_items=2)
    got = list(pages)
    assert len(got) == 1 and len(got[0].cases or []) == 2
    token = pages.resume_token
    assert token is not None and token.startswith(RESUME_TOKEN_PREFIX)
    decoded = json.loads(__import__("base64").urlsafe_b64decode(token[len(RESUME_TOKEN_PREFIX) :]))
    assert decoded == {"page_size": None, "skip": 2, "token": None}
