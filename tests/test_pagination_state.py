"""The sans-IO pagination machinery (aws_runtime.pagination) without any server."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_runtime.errors import PaginationError, ParamValidationError
from aws_runtime.pagination import (
    RESUME_TOKEN_PREFIX,
    PageIterator,
    PaginationState,
    ResumePoint,
    decode_starting_token,
    encode_resume_point,
)


@dataclass(frozen=True)
class Page:
    items: list[int] | None
    token: str | None


class FakeService:
    def __init__(self, total: int, page_size: int) -> None:
        self.total = total
        self.page_size = page_size
        self.sent: list[str | None] = []

    def fetch(self, token: str | None) -> Page:
        self.sent.append(token)
        start = int(token) if token else 0
        stop = min(start + self.page_size, self.total)
        return Page(list(range(start, stop)), str(stop) if stop < self.total else None)

    def iterator(self, *, max_items: int | None = None, starting_token: str | None = None) -> PageIterator[Page, int]:
        return PageIterator(
            "ListThings",
            self.fetch,
            token_of=lambda p: p.token,
            items_of=lambda p: p.items or (),
            with_items=lambda p, items: replace(p, items=items),
            starting_token=starting_token,
            max_items=max_items,
            page_size=self.page_size,
        )


def test_resume_point_round_trip_and_bare_tokens() -> None:
    assert encode_resume_point(ResumePoint("abc")) == "abc"
    assert encode_resume_point(ResumePoint(None)) is None
    token = encode_resume_point(ResumePoint("abc", 3, 10))
    assert token is not None and token.startswith(RESUME_TOKEN_PREFIX)
    assert decode_starting_token(token, 10) == ResumePoint("abc", 3, 10)
    first_page = encode_resume_point(ResumePoint(None, 4, None))
    assert decode_starting_token(first_page, None) == ResumePoint(None, 4, None)
    # anything without the prefix is the service's own token, sent verbatim
    assert decode_starting_token("eyJzb21lIjoidG9rZW4ifQ==", 10) == ResumePoint("eyJzb21lIjoidG9rZW4ifQ==")


@pytest.mark.parametrize(
    "payload",
    ['{"token":"a","skip":-1,"page_size":null}', '{"token":"","skip":1,"page_size":null}', '{"skip":1}', "[1]"],
)
def test_forged_resume_tokens_are_rejected(payload: str) -> None:
    import base64

    token = RESUME_TOKEN_PREFIX + base64.urlsafe_b64encode(payload.encode()).decode()
    with pytest.raises(ParamValidationError, match="not a resume token"):
        decode_starting_token(token, None)


def test_state_machine_step_by_step() -> None:
    state = PaginationState("Op", max_items=15, page_size=10)
    assert state.request_token is None and not state.done
    assert state.receive(10, "t10") == (0, 10)
    assert state.request_token == "t10" and not state.done
    assert state.resume_token == "t10"
    assert state.receive(10, "t20") == (0, 5)
    assert state.done and state.delivered == 15 and state.pages == 2
    assert state.resume_token == encode_resume_point(ResumePoint("t10", 5, 10))
    assert state.resume_token_at(10) == "t20"
    with pytest.raises(RuntimeError):
        state.receive(1, None)


def test_repeat_is_recorded_then_raised() -> None:
    state = PaginationState("Op", starting_token="s")
    assert state.receive(2, "s") == (0, 2)  # the page is still delivered
    assert state.done
    with pytest.raises(PaginationError) as info:
        state.raise_if_looping()
    assert (info.value.token, info.value.pages, info.value.operation_name) == ("s", 1, "Op")
    assert state.resume_token is None


def test_nothing_is_fetched_until_iteration() -> None:
    service = FakeService(5, 2)
    pages = service.iterator()
    assert service.sent == []
    assert [p.items for p in pages] == [[0, 1], [2, 3], [4]]
    assert service.sent == [None, "2", "4"]


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(0, 40),
    page_size=st.integers(1, 7),
    chunks=st.lists(st.integers(1, 9), min_size=1, max_size=12),
    by_items=st.booleans(),
)
def test_resuming_chunk_by_chunk_delivers_everything_once(
    total: int, page_size: int, chunks: list[int], by_items: bool
) -> None:
    """Consuming a listing in max_items chunks, resuming each time, yields every item
    exactly once and in order, whatever the page size and chunk sizes."""
    service = FakeService(total, page_size)
    got: list[int] = []
    token: str | None = None
    for chunk in chunks * (total + 1):
        pages = service.iterator(max_items=chunk, starting_token=token)
        if by_items:
            items = pages.items()
            got.extend(items)
            token = items.resume_token
        else:
            for page in pages:
                got.extend(page.items or [])
            token = pages.resume_token
        if token is None:
            break
    assert got == list(range(total))
