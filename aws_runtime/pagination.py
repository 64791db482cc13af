"""Lazy, typed pagination shared by every generated client.

A paginated operation (``paginators-1.json``: an input token, an output token,
a result key and optionally a limit key) is iterated page by page. The
generated code supplies, per operation, a ``fetch(token)`` callable that calls
the operation with the user's filters and page size fixed and only the token
varying, plus three small typed accessors (page token, page items, page with
its item list replaced). This module holds the rest:

* :class:`PaginationState`: the sans-IO bookkeeping of one run (which token to
  send next, when to stop, how many items to deliver, the loop guard, the
  resume token). It never does I/O and is unit-tested on its own.
* :class:`PageIterator` and :class:`ItemIterator`: the lazy iterators handed to
  users. Nothing is sent before iteration starts; every ``iter()`` starts a
  fresh run from ``starting_token``.

Rules (botocore's ``botocore.paginate`` where it has one, stricter where noted):

* The run ends when the reply's output token is missing, ``null`` or ``""``.
  Only the top-level output token member is read; a token nested deeper in the
  reply (Support's ``cases[].recentCommunications.nextToken``) is never taken
  for the page token, because the generated accessor reads one attribute.
* A reply token that was already sent in this run (the starting token
  included, not only the previous one, which is all botocore checks) raises
  :class:`~aws_runtime.errors.PaginationError` after that page has been
  delivered, instead of requesting the same pages forever.
* ``max_items`` delivers at most that many items in total, then stops; the
  page that crosses the limit is delivered with its item list cut.
* ``resume_token`` tells where to continue: pass it back as ``starting_token``.

Resume tokens
-------------
After (or during) iteration, ``resume_token`` is the ``starting_token`` that
continues with the first item not yet delivered, or ``None`` when the listing
is complete. When that point is a page boundary it is the service's own page
token, verbatim (so a page's ``next_token`` works as a ``starting_token`` too).
When it is inside a page (``max_items`` cut a page, or an item iteration was
left mid-page) it is ``"aws-codegen-resume-1:"`` followed by URL-safe base64
of the JSON object ``{"token": <page token or null>, "skip": <n>,
"page_size": <limit or null>}``: the page is requested again with its token and
its first ``n`` items are skipped. Such a token must be used with the same
filters and page size it was issued for; a different page size is rejected
before any I/O (the skip count would land elsewhere). Anything that does not
start with the prefix is taken as a service token and sent unchanged.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .errors import PaginationError, ParamValidationError

__all__ = [
    "RESUME_TOKEN_PREFIX",
    "AsyncItemIterator",
    "AsyncPageIterator",
    "ItemIterator",
    "PageIterator",
    "PaginationState",
    "ResumePoint",
    "decode_starting_token",
    "encode_resume_point",
]

RESUME_TOKEN_PREFIX = "aws-codegen-resume-1:"
"""Prefix of resume tokens that point inside a page (see the module docstring)."""

PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")


@dataclass(frozen=True)
class ResumePoint:
    """Where a run starts: the page token to send and how many items of that page to skip.

    Attributes:
        token: the page token to request the first page with (``None``: the
            first page of the listing).
        skip: items at the start of that page that were already delivered.
        page_size: the limit-key value the skip count was measured with.
    """

    token: str | None
    skip: int = 0
    page_size: int | None = None


def encode_resume_point(point: ResumePoint) -> str | None:
    """The resume token for ``point``: the bare page token when nothing is skipped,
    else the prefixed, base64-encoded JSON form (module docstring)."""
    if point.skip == 0:
        return point.token
    payload = json.dumps(
        {"token": point.token, "skip": point.skip, "page_size": point.page_size},
        separators=(",", ":"),
        sort_keys=True,
    )
    return RESUME_TOKEN_PREFIX + base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii")


def decode_starting_token(
    starting_token: str | None, page_size: int | None, *, parameter: str = "starting_token"
) -> ResumePoint:
    """Parse a ``starting_token``; raises :class:`ParamValidationError` (before any I/O)
    for ``""``, a malformed prefixed token, or one issued for another page size."""
    if starting_token is None:
        return ResumePoint(None)
    if not isinstance(starting_token, str) or not starting_token:
        problem = (
            f"Invalid value for parameter {parameter}, value: {starting_token!r}: "
            "must be a non-empty string (a resume token or the service's page token) or None"
        )
        raise ParamValidationError([problem])
    if not starting_token.startswith(RESUME_TOKEN_PREFIX):
        return ResumePoint(starting_token)
    encoded = starting_token[len(RESUME_TOKEN_PREFIX) :]
    try:
        data = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")).decode("utf-8"))
        token, skip, size = data["token"], data["skip"], data["page_size"]
        if not (token is None or (isinstance(token, str) and token)):
            raise ValueError("token")
        if isinstance(skip, bool) or not isinstance(skip, int) or skip < 0:
            raise ValueError("skip")
        if size is not None and (isinstance(size, bool) or not isinstance(size, int)):
            raise ValueError("page_size")
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        problem = (
            f"Invalid value for parameter {parameter}: it starts with "
            f"{RESUME_TOKEN_PREFIX!r} but is not a resume token this runtime issued"
        )
        raise ParamValidationError([problem]) from None
    if skip and size != page_size:
        problem = (
            f"Invalid value for parameter {parameter}: the resume token was issued for "
            f"page size {size} but this call uses page size {page_size}; resume with the "
            "same page size (the token skips items counted in pages of that size)"
        )
        raise ParamValidationError([problem])
    return ResumePoint(token, skip, size)


def _check_max_items(max_items: int | None) -> None:
    if max_items is None:
        return
    if isinstance(max_items, bool) or not isinstance(max_items, int):
        problem = (
            f"Invalid type for parameter max_items, value: {max_items!r}, "
            f"type: {type(max_items)}, valid types: <class 'int'>"
        )
        raise ParamValidationError([problem])
    if max_items < 1:
        raise ParamValidationError(
            [f"Invalid value for parameter max_items, value: {max_items}, valid min value: 1"]
        )


def _short(token: str) -> str:
    return repr(token if len(token) <= 60 else token[:57] + "...")


class PaginationState:
    """Sans-IO state of one pagination run.

    Drive it like this (:meth:`PageIterator.__iter__` does)::

        state = PaginationState("DescribeCases", starting_token=..., max_items=..., page_size=...)
        while not state.done:
            page = fetch(state.request_token)          # the only I/O
            start, stop = state.receive(len(items_of(page)), token_of(page))
            ... deliver items[start:stop] ...
            state.raise_if_looping()

    Attributes:
        operation_name: the model's operation name, for error messages.
        request_token: the token to send with the next request (``None`` for the first page).
        done: no further request is to be made.
        pages: replies received so far.
        delivered: items delivered so far (counted against ``max_items``).
    """

    def __init__(
        self,
        operation_name: str,
        *,
        starting_token: str | None = None,
        max_items: int | None = None,
        page_size: int | None = None,
        output_token_name: str = "nextToken",
    ) -> None:
        _check_max_items(max_items)
        start = decode_starting_token(starting_token, page_size)
        self.operation_name = operation_name
        self.output_token_name = output_token_name
        self.max_items = max_items
        self.page_size = page_size
        self.request_token: str | None = start.token
        self.done = False
        self.pages = 0
        self.delivered = 0
        self._skip = start.skip
        self._sent: dict[str, int] = {}  # token -> request number that sent it
        if start.token is not None:
            self._sent[start.token] = 1
        self._page_token: str | None = start.token
        self._page_count = 0
        self._next_token: str | None = None
        self._looping: PaginationError | None = None
        self._resume: str | None = encode_resume_point(start)

    def receive(self, item_count: int, reply_token: str | None) -> tuple[int, int]:
        """Record one reply: ``item_count`` items under the result key and the reply's
        output token. Returns ``(start, stop)``, the slice of the page's items to deliver.

        Afterwards :attr:`done` says whether to stop and :attr:`request_token` holds the
        next token. A repeated token is recorded and raised by :meth:`raise_if_looping`,
        so the page that carried it can still be delivered first.
        """
        if self.done:
            raise RuntimeError("receive() called on a finished pagination run")
        self.pages += 1
        self._page_token = self.request_token
        self._page_count = item_count
        start = min(self._skip, item_count)
        self._skip = 0
        stop = item_count
        if self.max_items is not None:
            stop = min(stop, start + self.max_items - self.delivered)
        self.delivered += stop - start
        token = reply_token or None  # missing, null and "" all end the listing
        self._next_token = None
        self.done = True
        if token is not None and token in self._sent:
            first = self._sent[token]
            self._looping = PaginationError(
                f"{self.operation_name} reply {self.pages} returned {self.output_token_name} "
                f"{_short(token)}, the token already sent with request {first}; stopping "
                "instead of requesting the same pages again",
                operation_name=self.operation_name,
                token=token,
                pages=self.pages,
            )
        elif token is not None:
            self._next_token = token
            if stop == item_count and (self.max_items is None or self.delivered < self.max_items):
                self.done = False
                self._sent[token] = self.pages + 1
                self.request_token = token
        self._resume = self.resume_token_at(stop)
        return start, stop

    def resume_token_at(self, index: int) -> str | None:
        """The resume token for continuing at item ``index`` of the last page received:
        a prefixed token inside the page, the next page token at its end (``None`` when
        the listing is complete or the service repeated a token)."""
        if index < self._page_count:
            return encode_resume_point(ResumePoint(self._page_token, index, self.page_size))
        return self._next_token

    @property
    def resume_token(self) -> str | None:
        """Resume token after everything received so far has been delivered."""
        return self._resume

    def raise_if_looping(self) -> None:
        """Raise the :class:`PaginationError` recorded by :meth:`receive`, if any."""
        if self._looping is not None:
            raise self._looping


class PageIterator(Generic[PageT, ItemT]):
    """Lazy iteration over the pages (typed reply objects) of one paginated call.

    ``for page in iterator`` sends the first request only when iteration starts
    and one more request each time the previous page has been consumed; each
    new ``iter()`` starts over from ``starting_token``. :meth:`items` iterates
    the items of the result key instead. :attr:`resume_token` says where to
    continue (see :mod:`aws_runtime.pagination`).

    A page whose item list was cut by ``max_items`` (or skipped into by a
    resume token) is delivered as a copy with only the delivered items; its
    other members, the service's page token included, are as the service sent
    them, so resume from :attr:`resume_token`, not from that page's token.

    Raises (while iterating): :class:`~aws_runtime.errors.PaginationError` when
    the service repeats a token, and whatever the operation itself raises.
    Construction raises :class:`~aws_runtime.errors.ParamValidationError` for a
    bad ``max_items`` or ``starting_token``, before any I/O.
    """

    def __init__(
        self,
        operation_name: str,
        fetch: Callable[[str | None], PageT],
        *,
        token_of: Callable[[PageT], str | None],
        items_of: Callable[[PageT], Sequence[ItemT]],
        with_items: Callable[[PageT, list[ItemT]], PageT],
        full_result: Callable[[PageT, list[ItemT], str | None], PageT] | None = None,
        starting_token: str | None = None,
        max_items: int | None = None,
        page_size: int | None = None,
        output_token_name: str = "nextToken",
    ) -> None:
        self.operation_name = operation_name
        self._fetch = fetch
        self._token_of = token_of
        self._items_of = items_of
        self._with_items = with_items
        self._full_result = full_result
        self._starting_token = starting_token
        self._max_items = max_items
        self._page_size = page_size
        self._output_token_name = output_token_name
        self._new_state()  # validates max_items and starting_token now, before any I/O
        self.resume_token: str | None = starting_token
        """Where to continue (module docstring); updated as pages are delivered."""

    def _new_state(self) -> PaginationState:
        return PaginationState(
            self.operation_name,
            starting_token=self._starting_token,
            max_items=self._max_items,
            page_size=self._page_size,
            output_token_name=self._output_token_name,
        )

    def _run(self) -> Iterator[tuple[PageT, Sequence[ItemT], int, int, PaginationState]]:
        """Yield ``(page, all its items, start, stop, state)`` for each reply received."""
        state = self._new_state()
        while not state.done:
            page = self._fetch(state.request_token)
            items = self._items_of(page)
            start, stop = state.receive(len(items), self._token_of(page))
            yield page, items, start, stop, state
            state.raise_if_looping()

    def __iter__(self) -> Iterator[PageT]:
        self.resume_token = self._starting_token
        for page, items, start, stop, state in self._run():
            if (start, stop) != (0, len(items)):
                page = self._with_items(page, list(items[start:stop]))
            self.resume_token = state.resume_token
            yield page

    def build_full_result(self) -> PageT:
        """Every page fetched and merged into one reply of the operation's output type.

        botocore's ``PageIterator.build_full_result``: the result key holds the
        items of all pages in order (at most ``max_items``), the other members
        are those of the first page, and the output token member holds
        :attr:`resume_token`: ``None`` when the listing is complete, else where to
        continue (``max_items`` stopped the run). Sends every page request;
        raises what iterating raises (:class:`~aws_runtime.errors.PaginationError`,
        the operation's errors).
        """
        if self._full_result is None:
            raise TypeError(f"{self.operation_name} paginator was built without a full_result function")
        first: PageT | None = None
        merged: list[ItemT] = []
        for page in self:
            if first is None:
                first = page
            merged.extend(self._items_of(page))
        assert first is not None  # a run always receives at least one page
        return self._full_result(first, merged, self.resume_token)

    def items(self) -> ItemIterator[ItemT]:
        """Iterate the items of the result key across pages (same run settings)."""
        return ItemIterator(self._run, self.operation_name, self._starting_token)


class ItemIterator(Generic[ItemT]):
    """Lazy iteration over the result-key items of a paginated call, across pages.

    :attr:`resume_token` is updated before each item is handed out, so after a
    ``break`` it continues with the next item, even in the middle of a page.
    """

    def __init__(
        self,
        run: Callable[[], Iterator[tuple[Any, Sequence[ItemT], int, int, PaginationState]]],
        operation_name: str,
        starting_token: str | None,
    ) -> None:
        self._run = run
        self._starting_token = starting_token
        self.operation_name = operation_name
        self.resume_token: str | None = starting_token
        """Where to continue (see :mod:`aws_runtime.pagination`)."""

    def __iter__(self) -> Iterator[ItemT]:
        self.resume_token = self._starting_token
        for _page, items, start, stop, state in self._run():
            for index in range(start, stop):
                self.resume_token = state.resume_token_at(index + 1)
                yield items[index]
            self.resume_token = state.resume_token


class AsyncPageIterator(Generic[PageT, ItemT]):
    """The async twin of :class:`PageIterator`: ``async for page in iterator``.

    Same rules, the same :class:`PaginationState`: lazy (the first request is
    sent when iteration starts), one request per consumed page, every new
    ``aiter()`` starts over from ``starting_token``, :attr:`resume_token` kept
    up to date, :meth:`items` iterates the result-key items. ``fetch`` is the
    async operation call with everything but the token fixed.
    """

    def __init__(
        self,
        operation_name: str,
        fetch: Callable[[str | None], Awaitable[PageT]],
        *,
        token_of: Callable[[PageT], str | None],
        items_of: Callable[[PageT], Sequence[ItemT]],
        with_items: Callable[[PageT, list[ItemT]], PageT],
        full_result: Callable[[PageT, list[ItemT], str | None], PageT] | None = None,
        starting_token: str | None = None,
        max_items: int | None = None,
        page_size: int | None = None,
        output_token_name: str = "nextToken",
    ) -> None:
        self.operation_name = operation_name
        self._fetch = fetch
        self._token_of = token_of
        self._items_of = items_of
        self._with_items = with_items
        self._full_result = full_result
        self._starting_token = starting_token
        self._max_items = max_items
        self._page_size = page_size
        self._output_token_name = output_token_name
        self._new_state()  # validates max_items and starting_token now, before any I/O
        self.resume_token: str | None = starting_token
        """Where to continue (module docstring); updated as pages are delivered."""

    def _new_state(self) -> PaginationState:
        return PaginationState(
            self.operation_name,
            starting_token=self._starting_token,
            max_items=self._max_items,
            page_size=self._page_size,
            output_token_name=self._output_token_name,
        )

    async def _run(self) -> AsyncIterator[tuple[PageT, Sequence[ItemT], int, int, PaginationState]]:
        """Yield ``(page, all its items, start, stop, state)`` for each reply received."""
        state = self._new_state()
        while not state.done:
            page = await self._fetch(state.request_token)
            items = self._items_of(page)
            start, stop = state.receive(len(items), self._token_of(page))
            yield page, items, start, stop, state
            state.raise_if_looping()

    async def __aiter__(self) -> AsyncIterator[PageT]:
        self.resume_token = self._starting_token
        async for page, items, start, stop, state in self._run():
            if (start, stop) != (0, len(items)):
                page = self._with_items(page, list(items[start:stop]))
            self.resume_token = state.resume_token
            yield page

    async def build_full_result(self) -> PageT:
        """Every page fetched and merged into one reply: the async twin of
        :meth:`PageIterator.build_full_result` (same rules)."""
        if self._full_result is None:
            raise TypeError(f"{self.operation_name} paginator was built without a full_result function")
        first: PageT | None = None
        merged: list[ItemT] = []
        async for page in self:
            if first is None:
                first = page
            merged.extend(self._items_of(page))
        assert first is not None  # a run always receives at least one page
        return self._full_result(first, merged, self.resume_token)

    def items(self) -> AsyncItemIterator[ItemT]:
        """Iterate the items of the result key across pages (same run settings)."""
        return AsyncItemIterator(self._run, self.operation_name, self._starting_token)


class AsyncItemIterator(Generic[ItemT]):
    """The async twin of :class:`ItemIterator`: ``async for item in iterator``;
    :attr:`resume_token` is updated before each item is handed out."""

    def __init__(
        self,
        run: Callable[[], AsyncIterator[tuple[Any, Sequence[ItemT], int, int, PaginationState]]],
        operation_name: str,
        starting_token: str | None,
    ) -> None:
        self._run = run
        self._starting_token = starting_token
        self.operation_name = operation_name
        self.resume_token: str | None = starting_token
        """Where to continue (see :mod:`aws_runtime.pagination`)."""

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        self.resume_token = self._starting_token
        async for _page, items, start, stop, state in self._run():
            for index in range(start, stop):
                self.resume_token = state.resume_token_at(index + 1)
                yield items[index]
            self.resume_token = state.resume_token
