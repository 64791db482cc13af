"""What an editor sees with the async client, checked by ``mypy --strict`` (never executed).

``assert_type`` fails type checking when the inferred type differs; every
``# type: ignore[code]`` must be needed (``warn_unused_ignores``), so each ignored
line proves mypy reports exactly that error there.
"""

from __future__ import annotations

from typing_extensions import assert_type

from aws_runtime.errors import ClientClosedError, ParamValidationError
from aws_runtime.pagination import AsyncItemIterator, AsyncPageIterator
from aws_support import AsyncSupportClient, errors, models, paginators


async def replies_are_typed() -> None:
    async with AsyncSupportClient(region_name="us-east-1") as client:
        assert_type(client, AsyncSupportClient)
        created = await client.create_case(subject="s", communication_body="b")
        assert_type(created, models.CreateCaseResponse)
        assert_type(created.case_id, str | None)
        cases = await client.describe_cases(case_id_list=["case-1"], max_results=10)
        assert_type(cases.cases, list[models.CaseDetails] | None)
        resolved = await client.resolve_case(case_id="case-1")
        assert_type(resolved.final_case_status, str | None)


async def wrong_arguments_are_type_errors(client: AsyncSupportClient) -> None:
    await client.describe_cases(max_results="10")  # type: ignore[arg-type]
    await client.create_case(subject="s")  # type: ignore[call-arg]
    _ = client.describe_services().services  # type: ignore[attr-defined]  # forgot await
    async for _page in client.describe_cases(max_results=10):  # type: ignore[attr-defined]
        pass


async def paginators_are_async_iterators(client: AsyncSupportClient) -> None:
    pages = client.describe_cases_pages(include_resolved_cases=True, max_results=10)
    assert_type(pages, AsyncPageIterator[models.DescribeCasesResponse, models.CaseDetails])
    async for page in pages:
        assert_type(page, models.DescribeCasesResponse)
    items = client.describe_communications_items(case_id="case-1")
    assert_type(items, AsyncItemIterator[models.Communication])
    async for communication in items:
        assert_type(communication.body, str | None)
    assert_type(items.resume_token, str | None)
    paginator = client.get_paginator("describe_cases")
    assert_type(paginator, paginators.AsyncDescribeCasesPaginator)
    async for case in paginator.paginate(max_results=10).items():
        assert_type(case, models.CaseDetails)
    for _sync_page in pages:  # type: ignore[attr-defined]
        pass


async def errors_and_lifecycle(client: AsyncSupportClient) -> None:
    try:
        await client.resolve_case(case_id="case-1")
    except errors.CaseIdNotFound as err:
        assert_type(err.code, str)
    except ParamValidationError as err:
        assert_type(err.problems, tuple[str, ...])
    except ClientClosedError as err:
        assert_type(err, ClientClosedError)
    await client.close()
    assert_type(client.closed, bool)
    client.close()  # type: ignore[unused-coroutine]
