"""Run the async client under the sync tests: one event loop in a background thread.

:class:`SyncView` wraps an async client so the existing scenarios (moto end to
end, faults, soak, skew, token refresh, timeouts) run unchanged against both
clients: each coroutine method is submitted to the loop and waited for, async
iterators (paginators) are pulled one item at a time, and every other attribute
(``_retry``, ``_clock_offset``, ``config``...) is the async client's own. Calls
from several threads at once run concurrently on the one loop, through the one
client, as asyncio code would.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Iterator
from typing import Any, TypeVar

from typing_extensions import Self

_T = TypeVar("_T")
_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()


def loop() -> asyncio.AbstractEventLoop:
    """The shared background event loop (started on first use, a daemon thread)."""
    global _loop
    with _lock:
        if _loop is None:
            new = asyncio.new_event_loop()
            threading.Thread(target=new.run_forever, name="async-client-loop", daemon=True).start()
            _loop = new
    return _loop


def run(awaitable: Awaitable[_T]) -> _T:
    """Run ``awaitable`` on the background loop and return its result (or raise its error)."""

    async def wrapper() -> _T:
        return await awaitable

    return asyncio.run_coroutine_threadsafe(wrapper(), loop()).result()


class SyncView:
    """A blocking view of an async client, paginator or async iterator (see the module)."""

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)

    def __repr__(self) -> str:
        return f"SyncView({self._target!r})"

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value) or isinstance(value, type):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            return _adapt(value(*args, **kwargs))

        return call

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def __iter__(self) -> Iterator[Any]:
        iterator = self._target.__aiter__()
        while True:
            try:
                item = run(iterator.__anext__())
            except StopAsyncIteration:
                return
            yield item

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        run(self._target.close())

    @property
    def target(self) -> Any:
        """The wrapped async object."""
        return self._target


def _adapt(value: Any) -> Any:
    if asyncio.iscoroutine(value):
        return run(value)
    if hasattr(value, "__aiter__") or hasattr(value, "paginate"):
        return SyncView(value)
    return value
