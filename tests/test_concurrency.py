"""One client shared by 8 threads: no errors, no crossed replies, pooled connections
reused, sockets released by close()."""

from __future__ import annotations

import threading

import pytest
from helpers.clients import FakeSleep, make_client, refresh_status_body
from helpers.server import Recorded, Reply, ScriptedServer

from aws_runtime import Config
from aws_runtime.errors import ClientClosedError

pytestmark = pytest.mark.usefixtures("flavour")  # every scenario, sync and async client

THREADS = 8
CALLS_PER_THREAD = 500


def _echo(rec: Recorded) -> Reply:
    check_id = rec.json()["checkId"]
    return Reply(body=refresh_status_body(check_id, len(check_id)))


def _hammer(client: object, threads: int, calls: int) -> list[str]:
    problems: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def worker(t: int) -> None:
        barrier.wait()
        for i in range(calls):
            check_id = f"t{t}-call{i}"
            try:
                reply = client.refresh_trusted_advisor_check(check_id=check_id)  # type: ignore[attr-defined]
                if reply.status.check_id != check_id:
                    raise AssertionError(f"crossed reply: {reply.status.check_id} for {check_id}")
            except Exception as exc:  # noqa: BLE001  # collected, asserted empty below
                with lock:
                    problems.append(f"{check_id}: {type(exc).__name__}: {exc}")

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in pool)
    return problems


def test_eight_threads_share_one_client(flavour: str) -> None:
    sleep = FakeSleep()
    with ScriptedServer(_echo) as server:
        client = make_client(server.url, Config(sleep=sleep))  # max_pool_connections=10
        problems = _hammer(client, THREADS, CALLS_PER_THREAD)
        assert problems == []
        assert len(server.requests) == THREADS * CALLS_PER_THREAD
        assert sleep.delays == []  # not a single retry
        accepted = server.connections
        # Each thread holds at most one connection at a time, and the pool (10) keeps them all.
        assert 1 <= accepted <= THREADS
        assert server.open_connections == accepted
        assert client._retry.quota.available == 500

        client.close()
        assert server.wait_for_open_connections(0), server.open_connections

        if flavour == "async":
            # A closed async client refuses calls at once (aiohttp sessions cannot reopen).
            with pytest.raises(ClientClosedError):
                client.refresh_trusted_advisor_check(check_id="after-close")
            assert len(server.requests) == THREADS * CALLS_PER_THREAD
        else:
            # close() does not break the sync client: the next call opens one new connection.
            reply = client.refresh_trusted_advisor_check(check_id="after-close")
            assert reply.status is not None and reply.status.check_id == "after-close"
            assert server.connections == accepted + 1
            client.close()
        assert server.wait_for_open_connections(0)
    print(f"\nconcurrency: {len(server.requests)} requests over {accepted} connections")


def test_small_pool_keeps_at_most_its_size_open() -> None:
    """Like boto3, the pool does not block: 8 threads on a pool of 2 open extra
    connections when needed, but only 2 stay open once the calls are done."""
    with ScriptedServer(_echo) as server:
        client = make_client(server.url, Config(max_pool_connections=2))
        problems = _hammer(client, THREADS, 50)
        assert problems == []
        assert len(server.requests) == THREADS * 50
        assert server.wait_for_open_connections(2)
        client.close()
        assert server.wait_for_open_connections(0)
    print(f"\nsmall pool: {len(server.requests)} requests over {server.connections} connections")
