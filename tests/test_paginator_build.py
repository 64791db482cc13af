"""Which paginators the generator renders, and how, for variations of the Support model."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from generator.build import build_service
from generator.loader import ModelSources, load_service
from generator.naming import NameClashError
from generator.writer import generate_files


@pytest.fixture(scope="module")
def sources() -> ModelSources:
    return load_service("support")


def _with(sources: ModelSources, pagination: dict[str, Any], service: dict[str, Any] | None = None) -> ModelSources:
    return dataclasses.replace(
        sources, paginators={"pagination": pagination}, service=service or sources.service
    )


def _paginated(sources: ModelSources) -> dict[str, Any]:
    ir = build_service(sources)
    return {op.name: op.paginator for op in ir.operations if op.paginator is not None}


def test_support_paginators(sources: ModelSources) -> None:
    found = _paginated(sources)
    assert sorted(found) == ["DescribeCases", "DescribeCommunications"]
    cases = found["DescribeCases"]
    assert (cases.input_token_py, cases.output_token_py, cases.result_key_py, cases.limit_key_py) == (
        "next_token",
        "next_token",
        "cases",
        "max_results",
    )
    assert (cases.class_name, cases.pages_method, cases.items_method) == (
        "DescribeCasesPaginator",
        "describe_cases_pages",
        "describe_cases_items",
    )
    assert cases.item_type.class_name == "CaseDetails"


@pytest.mark.parametrize(
    "config",
    [
        {"input_token": "nextToken", "output_token": "recentCommunications.nextToken", "result_key": "cases"},
        {"input_token": ["nextToken", "x"], "output_token": ["nextToken", "y"], "result_key": "cases"},
        {"input_token": "nextToken", "output_token": "nextToken", "result_key": "cases", "more_results": "m"},
        {"input_token": "nextToken", "output_token": "nextToken", "result_key": "nextToken"},  # not a list
        {"input_token": "bogus", "output_token": "nextToken", "result_key": "cases"},
    ],
    ids=["dotted-token", "several-tokens", "more-results", "non-list-result", "unknown-member"],
)
def test_unsupported_paginator_configs_are_skipped(sources: ModelSources, config: dict[str, Any]) -> None:
    assert _paginated(_with(sources, {"DescribeCases": config})) == {}


def test_no_limit_key_means_no_page_size(sources: ModelSources) -> None:
    config = {"input_token": "nextToken", "output_token": "nextToken", "result_key": "cases"}
    ir = build_service(_with(sources, {"DescribeCases": config}))
    files = generate_files(ir)
    assert "page_size=None," in files["paginators.py"]
    client = files["client.py"]
    # one paginator: a plain Literal parameter, no overloads (mypy needs two or more)
    assert "@_t.overload" not in client
    assert 'operation_name: _t.Literal["describe_cases"]' in client
    for name, text in files.items():
        if name.endswith(".py"):
            compile(text, name, "exec")


def test_no_paginators_means_no_module_and_no_get_paginator(sources: ModelSources) -> None:
    files = generate_files(build_service(_with(sources, {})))
    assert "paginators.py" not in files
    assert "get_paginator" not in files["client.py"]
    assert "from . import paginators" not in files["__init__.py"]


def test_member_named_like_a_paginator_parameter_drops_only_the_paginator(sources: ModelSources) -> None:
    """Naming rule 9 (ACM's and Route 53 Domains' ``MaxItems`` page size): no
    paginator for that operation, the operation itself keeps the member."""
    service = copy.deepcopy(sources.service)
    service["shapes"]["DescribeCasesRequest"]["members"]["maxItems"] = {"shape": "MaxResults"}
    ir = build_service(_with(sources, sources.paginators["pagination"], service))
    ops = {op.name: op for op in ir.operations}
    assert ops["DescribeCases"].paginator is None
    assert ops["DescribeCases"].input is not None
    assert "max_items" in [m.py_name for m in ops["DescribeCases"].input.members]
    assert ops["DescribeCommunications"].paginator is not None


def test_operation_named_like_a_pages_method_is_a_clash(sources: ModelSources) -> None:
    service = copy.deepcopy(sources.service)
    service["operations"]["DescribeCasesPages"] = dict(
        service["operations"]["ResolveCase"], name="DescribeCasesPages"
    )
    with pytest.raises(NameClashError, match="describe_cases_pages"):
        build_service(_with(sources, sources.paginators["pagination"], service))


def test_paginators_not_rendered_are_reported() -> None:
    """DynamoDB Query/Scan have several result keys: the CLI names them instead of staying silent."""
    from generator.build import build_service
    from generator.loader import load_service

    ir = build_service(load_service("dynamodb"))
    assert dict(ir.skipped_paginators) == {
        "Query": "several tokens or result keys, or a dotted path",
        "Scan": "several tokens or result keys, or a dotted path",
    }
    assert sorted(op.name for op in ir.operations if op.paginator) == [
        "ListBackups",
        "ListBulkOperations",
        "ListTables",
        "ListTagsOfResource",
    ]
