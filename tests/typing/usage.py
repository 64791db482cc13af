"""What an editor sees: typed usage of the generated client, checked by ``mypy --strict``.

``make typecheck`` (part of ``make test``) runs mypy over this file. It is never
executed. ``assert_type`` fails type checking when the inferred type differs, and
every ``# type: ignore[code]`` must be needed (``--strict`` includes
``warn_unused_ignores``), so each ignored line proves that mypy reports exactly that
error there.
"""

from __future__ import annotations

from typing_extensions import assert_type

from aws_runtime.errors import PaginationError, ParamValidationError, ServiceError
from aws_runtime.pagination import ItemIterator, PageIterator
from aws_support import SupportClient, errors, models, paginators


def replies_are_typed(client: SupportClient) -> None:
    created = client.create_case(subject="s", communication_body="b")
    assert_type(created, models.CreateCaseResponse)
    assert_type(created.case_id, str | None)

    cases = client.describe_cases(case_id_list=["case-1"], max_results=10)
    assert_type(cases.cases, list[models.CaseDetails] | None)
    for case in cases.cases or []:
        assert_type(case.status, str | None)
        assert_type(case.cc_email_addresses, list[str | None] | None)  # scalar list elements of replies may be null
        if case.recent_communications is not None:
            assert_type(case.recent_communications.next_token, str | None)

    result = client.describe_trusted_advisor_check_result(check_id="Qch7DwouX1")
    if result.result is not None:
        for resource in result.result.flagged_resources or []:
            assert_type(resource.metadata, list[str | None] | None)


def wrong_arguments_are_type_errors(client: SupportClient) -> None:
    client.describe_cases(max_results="10")  # type: ignore[arg-type]
    client.create_case(subject="s")  # type: ignore[call-arg]
    client.create_case(subject="s", communication_body="b", severity="low")  # type: ignore[call-arg]
    client.resolve_case("case-1")  # type: ignore[call-arg]
    client.add_attachments_to_set(attachments=[{"data": b"x"}])  # type: ignore[list-item]


def errors_are_typed(client: SupportClient) -> None:
    try:
        client.resolve_case(case_id="case-1")
    except errors.CaseIdNotFound as err:
        assert_type(err.message, str)
        assert_type(err.code, str)
        assert_type(err.status_code, int)
        assert_type(err.request_id, str | None)
    except errors.SupportError as err:
        assert_type(err, errors.SupportError)
    except ParamValidationError as err:
        assert_type(err.problems, tuple[str, ...])
    assert issubclass(errors.CaseIdNotFound, ServiceError)


def paginators_are_typed(client: SupportClient) -> None:
    pages = client.describe_cases_pages(include_resolved_cases=True, max_results=10)
    assert_type(pages, PageIterator[models.DescribeCasesResponse, models.CaseDetails])
    for page in pages:
        assert_type(page, models.DescribeCasesResponse)
        assert_type(page.next_token, str | None)
    assert_type(pages.resume_token, str | None)
    assert_type(pages.items(), ItemIterator[models.CaseDetails])

    items = client.describe_cases_items(max_items=25, starting_token=pages.resume_token)
    assert_type(items, ItemIterator[models.CaseDetails])
    for case in items:
        assert_type(case, models.CaseDetails)
        assert_type(case.case_id, str | None)
    assert_type(items.resume_token, str | None)

    for communication in client.describe_communications_items(case_id="case-1"):
        assert_type(communication, models.Communication)
        assert_type(communication.body, str | None)

    paginator = client.get_paginator("describe_cases")
    assert_type(paginator, paginators.DescribeCasesPaginator)
    assert_type(
        paginator.paginate(max_results=10),
        PageIterator[models.DescribeCasesResponse, models.CaseDetails],
    )
    assert_type(
        client.get_paginator("describe_communications").paginate(case_id="case-1"),
        PageIterator[models.DescribeCommunicationsResponse, models.Communication],
    )
    try:
        list(pages)
    except PaginationError as err:
        assert_type(err.token, str)
        assert_type(err.pages, int)

    client.get_paginator("create_case")  # type: ignore[call-overload]
    client.describe_cases_pages(next_token="t")  # type: ignore[call-arg]
    client.describe_cases_items(max_items="5")  # type: ignore[arg-type]
    client.describe_communications_pages()  # type: ignore[call-arg]
