"""A keep-alive HTTP/1.1 server with canned AWS Support replies, for the benchmarks only.

Run as ``python -m bench.server``: it listens on 127.0.0.1 (a free port), prints
``PORT <n>`` on stdout once it accepts connections, and serves until it gets
SIGTERM/SIGINT or its stdin closes. It runs in its own process so that the
client under test does not share an interpreter (or the GIL) with it.

Replies are chosen by the request path and the ``X-Amz-Target`` header and
are built once, at start-up, as complete byte strings, so answering costs
one header scan and one ``write``:

* ``.../CreateCase`` → ``{"caseId": "case-..."}``;
* ``.../DescribeCases`` on a path ``/cases/<n>/`` → ``n`` realistic cases
  (``/`` alone means 20), each with five recent communications, attachments
  and CC addresses;
* ``DynamoDB_20120810.Query`` → 1,000 items of 10 attributes (S, N, BOOL,
  nested M and L), about 1 MB; ``DynamoDB_20120810.PutItem`` → ``{}``;
* anything else → HTTP 400 with an awsJson error body.

Only 127.0.0.1 is ever bound.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from typing import Any

__all__ = ["case_details", "describe_cases_reply", "dynamodb_item", "main", "query_reply"]

_TARGET_PREFIX = "AWSSupport_20130415."
DEFAULT_CASES = 20
COMMUNICATIONS = 5
"""Recent communications per case (the DescribeCases reply of issue 12: 20 cases × 5, ~50 KB)."""
DYNAMODB_PREFIX = "DynamoDB_20120810."
QUERY_ITEMS = 1000
CASE_ID = "case-123456789012-muen-2026-4b1f0e2a5a6c8d11"


def _communication(case_id: str, i: int, k: int) -> dict[str, Any]:
    """Recent communication ``k`` of case ``i``: alternately the customer's (with an
    attachment) and AWS Support's answer."""
    if k % 2 == 0:
        return {
            "caseId": case_id,
            "body": "The instance stopped answering after a kernel update; "
            "console output attached.",
            "submittedBy": "ops@example.com",
            "timeCreated": "2026-03-14T15:09:26.535Z",
            "attachmentSet": [
                {"attachmentId": f"attachment-{i:08d}-{k}", "fileName": "console.log"}
            ],
        }
    return {
        "caseId": case_id,
        "body": "Thank you for contacting AWS Support. We are looking into it.",
        "submittedBy": "Amazon Web Services",
        "timeCreated": "2026-03-14T15:21:03.112Z",
        "attachmentSet": [],
    }


def case_details(i: int) -> dict[str, Any]:
    """One CaseDetails object as the Support API returns it (wire names, ISO-8601 text times)."""
    case_id = f"case-123456789012-muen-2026-{i:016x}"
    return {
        "caseId": case_id,
        "displayId": str(1000000000 + i),
        "subject": f"EC2 instance i-{i:017x} fails its status checks",
        "status": "opened" if i % 3 else "resolved",
        "serviceCode": "amazon-elastic-compute-cloud-linux",
        "categoryCode": "instance-issue",
        "severityCode": ("low", "normal", "high", "urgent")[i % 4],
        "submittedBy": "ops@example.com",
        "timeCreated": "2026-03-14T15:09:26.535Z",
        "recentCommunications": {
            "communications": [_communication(case_id, i, k) for k in range(COMMUNICATIONS)],
            "nextToken": None,
        },
        "ccEmailAddresses": ["oncall@example.com", "lead@example.com"],
        "language": "en",
    }


def describe_cases_reply(count: int) -> dict[str, Any]:
    """A DescribeCases reply with ``count`` cases."""
    return {"cases": [case_details(i) for i in range(count)]}


def dynamodb_item(i: int) -> dict[str, Any]:
    """One DynamoDB item in wire form: 10 attributes, about 1 KB."""
    return {
        "pk": {"S": f"customer#{i % 97:06d}"},
        "sk": {"S": f"order#2026-03-14T15:09:26Z#{i:08d}"},
        "amount": {"N": f"{(i * 37) % 100000 / 100:.2f}"},
        "quantity": {"N": str(i % 7 + 1)},
        "gift": {"BOOL": i % 5 == 0},
        "status": {"S": ("placed", "packed", "shipped", "delivered")[i % 4]},
        "tags": {"L": [{"S": "priority"}, {"S": f"region-{i % 9}"}, {"N": str(i % 13)}]},
        "address": {
            "M": {
                "street": {"S": f"{i % 400 + 1} Harbour Street"},
                "city": {"S": "Wellington"},
                "postcode": {"S": f"{6000 + i % 100:04d}"},
                "geo": {"M": {"lat": {"N": "-41.2866"}, "lon": {"N": "174.7756"}}},
            }
        },
        "lines": {
            "L": [
                {"M": {"sku": {"S": f"SKU-{(i + k) % 5000:05d}"}, "count": {"N": str(k + 1)}}}
                for k in range(4)
            ]
        },
        "note": {"S": "Leave at the front desk; call on arrival. " * 8},
    }


def query_reply(count: int = QUERY_ITEMS) -> dict[str, Any]:
    """A DynamoDB Query reply with ``count`` items."""
    return {
        "Items": [dynamodb_item(i) for i in range(count)],
        "Count": count,
        "ScannedCount": count,
        "LastEvaluatedKey": {"pk": {"S": "customer#000001"}, "sk": {"S": "order#next"}},
    }


def _http(
    status: int,
    reason: str,
    payload: dict[str, Any],
    request_id: str,
    content_type: str = "application/x-amz-json-1.1",
) -> bytes:
    body = json.dumps(payload).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"x-amzn-RequestId: {request_id}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Date: Sat, 14 Mar 2026 15:09:26 GMT\r\n"
        "\r\n"
    )
    return head.encode("latin-1") + body


_REQUEST_ID = "c0ffee00-0000-4000-8000-000000000001"
_CREATE = _http(200, "OK", {"caseId": CASE_ID}, _REQUEST_ID)
_UNKNOWN = _http(
    400,
    "Bad Request",
    {"__type": "UnknownOperationException", "message": "not canned"},
    _REQUEST_ID,
)
_describe: dict[int, bytes] = {}
_dynamodb: dict[str, bytes] = {}


def _dynamodb_reply(operation: str) -> bytes:
    reply = _dynamodb.get(operation)
    if reply is None:
        payload = query_reply() if operation == "Query" else {}
        reply = _http(200, "OK", payload, _REQUEST_ID, "application/x-amz-json-1.0")
        _dynamodb[operation] = reply
    return reply


def _describe_reply(count: int) -> bytes:
    reply = _describe.get(count)
    if reply is None:
        reply = _describe[count] = _http(200, "OK", describe_cases_reply(count), _REQUEST_ID)
    return reply


def reply_for(path: str, target: str) -> bytes:
    """The full canned HTTP reply for a request path and ``X-Amz-Target`` value."""
    if target in (DYNAMODB_PREFIX + "Query", DYNAMODB_PREFIX + "PutItem"):
        return _dynamodb_reply(target[len(DYNAMODB_PREFIX) :])
    if not target.startswith(_TARGET_PREFIX):
        return _UNKNOWN
    operation = target[len(_TARGET_PREFIX) :]
    if operation == "CreateCase":
        return _CREATE
    if operation == "DescribeCases":
        parts = [p for p in path.split("/") if p]
        if not parts:
            return _describe_reply(DEFAULT_CASES)
        if len(parts) == 2 and parts[0] == "cases" and parts[1].isdigit():
            return _describe_reply(int(parts[1]))
    return _UNKNOWN


class _Protocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and pipelining; requests must carry Content-Length."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1] if lines[0].count(" ") >= 2 else "/"
            length = 0
            target = ""
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value.strip())
                elif name == "x-amz-target":
                    target = value.strip()
            total = end + 4 + length
            if len(buffer) < total:
                return
            del buffer[:total]
            assert self._transport is not None
            self._transport.write(reply_for(path, target))


async def _serve() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Protocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    for count in (10, DEFAULT_CASES, 100, 1000):  # build the scale replies up front
        _describe_reply(count)
    _dynamodb_reply("Query")
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))

    def on_stdin() -> None:
        if not os.read(stdin, 4096) and not stop.done():  # end of stdin: the parent is gone
            stop.set_result(None)

    stdin = sys.stdin.fileno()
    loop.add_reader(stdin, on_stdin)
    sys.stdout.write(f"PORT {port}\n")
    sys.stdout.flush()
    async with server:
        await stop


def main() -> None:
    """Serve until SIGTERM, SIGINT or end of stdin."""
    asyncio.run(_serve())


if __name__ == "__main__":
    main()
