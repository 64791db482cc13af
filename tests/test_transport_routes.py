"""Urllib3Transport keeps one pool and request path per URL: same bytes on the wire as
PoolManager.request, connections reused, and a working reconnect after close()."""

from __future__ import annotations

from helpers.server import Reply, ScriptedServer

from aws_runtime.http import HttpRequest
from aws_runtime.transport import Urllib3Transport


def _post(transport: Urllib3Transport, url: str, body: bytes = b"{}") -> int:
    reply = transport.send(HttpRequest("POST", url, {"X-Amz-Target": "Svc.Op"}, body))
    return reply.status


def test_paths_queries_and_bodies_reach_the_server_as_given() -> None:
    with ScriptedServer([Reply(body={"ok": True})]) as srv:
        transport = Urllib3Transport()
        assert _post(transport, f"{srv.url}/", b'{"a": 1}') == 200
        assert _post(transport, f"{srv.url}/prefix/v1/?x=1&y=two") == 200
        assert _post(transport, f"{srv.url}/") == 200
        assert [r.path for r in srv.requests] == ["/", "/prefix/v1/?x=1&y=two", "/"]
        assert srv.requests[0].body == b'{"a": 1}'
        assert srv.requests[0].headers["x-amz-target"] == "Svc.Op"
        assert srv.requests[0].headers["host"] == srv.url.removeprefix("http://")
        assert srv.connections == 1  # one keep-alive connection for every URL of the origin
        transport.close()


def test_close_drops_the_cached_pools_and_the_next_call_reconnects() -> None:
    with ScriptedServer([Reply(body={})]) as srv:
        transport = Urllib3Transport()
        url = f"{srv.url}/"
        assert _post(transport, url) == 200
        pool_before = transport._route(url)[0]
        transport.close()
        assert pool_before.pool is None  # closed by PoolManager.clear()
        assert _post(transport, url) == 200
        assert transport._route(url)[0] is not pool_before
        assert srv.connections == 2
        transport.close()


def test_a_pool_closed_elsewhere_is_looked_up_again() -> None:
    with ScriptedServer([Reply(body={})]) as srv:
        transport = Urllib3Transport()
        url = f"{srv.url}/"
        assert _post(transport, url) == 200
        evicted = transport._route(url)[0]
        transport._manager(None).pools.clear()  # the pool manager forgets it (eviction) ...
        evicted.close()  # ... and it is closed
        assert _post(transport, url) == 200
        assert transport._route(url)[0] is not evicted
        transport.close()
