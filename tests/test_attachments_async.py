"""The async client's upload_attachment / download_attachment: the same workflow core as the
sync client's, sent by tasks through the aiohttp transport; cancellation stops everything."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.attachment_server import AttachmentServer
from helpers.clients import ACCESS_KEY, SECRET_KEY, FakeSleep, fast_config

from aws_support import AsyncSupportClient
from aws_support.extensions import _transfer
from aws_support.extensions import attachments as att

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("att") / "trace.bin"
    with open(path, "wb") as out:
        for block in range(25 * 16):
            seed = hashlib.sha256(b"async" + block.to_bytes(4, "big")).digest()
            out.write(seed * (64 * 1024 // len(seed)))
    return path


@pytest.fixture
def server() -> Iterator[AttachmentServer]:
    with AttachmentServer(part_size=2 * MiB) as srv:
        yield srv


def aclient(server: AttachmentServer, sleep: FakeSleep, **config: Any) -> AsyncSupportClient:
    return AsyncSupportClient(
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=fast_config(sleep, **config),
    )


def test_async_upload_with_faults_then_download(server: AttachmentServer, big_file: Path, tmp_path: Path) -> None:
    server.fail_once = {3}
    server.expire_first_url = {12}
    server.cut_download_once = True
    sleep = FakeSleep()
    calls: list[tuple[int, int | None]] = []

    async def main() -> Path:
        async with aclient(server, sleep) as client:
            upload_id = await client.upload_attachment(
                big_file, concurrency=4, progress=lambda d, t: calls.append((d, t))
            )
            case = await client.create_case(subject="s", communication_body="b", upload_ids=[upload_id])
            assert case.case_id is not None
            comms = (await client.describe_communications(case_id=case.case_id)).communications or []
            attachment_id = (comms[0].attachment_set or [])[0].attachment_id
            assert attachment_id is not None
            return await client.download_attachment(attachment_id, tmp_path / "copy.bin")

    path = asyncio.run(main())
    data = big_file.read_bytes()
    assert path.read_bytes() == data
    (upload,) = server.uploads.values()
    assert b"".join(upload.parts[i] for i in range(1, 14)) == data
    assert upload.completed is not None
    assert [c["partIndex"] for c in upload.completed] == list(range(1, 14))
    assert [c["eTag"] for c in upload.completed] == [upload.etags[i] for i in range(1, 14)]
    assert server.counts["PUT"] == 15  # 13 parts, one retried after HTTP 500, one after an expired URL
    assert server.counts["GetAttachmentUploadLinks"] == 3  # parts 1-10, 11-13, a new URL for 12
    assert server.counts["GET"] == 2  # the cut download resumed with Range
    assert 2 <= server.max_in_flight <= 4
    assert calls[0] == (0, 25 * MiB) and calls[-1] == (25 * MiB, 25 * MiB)
    assert sleep.delays[:1] == [0.5]  # the retry policy's backoff, through the client's sleep


def test_async_failed_status(server: AttachmentServer, big_file: Path) -> None:
    server.final_status = "failed"

    async def main() -> None:
        async with aclient(server, FakeSleep()) as client:
            await client.upload_attachment(big_file)

    with pytest.raises(att.AttachmentUploadFailedError) as info:
        asyncio.run(main())
    assert info.value.step == "DescribeAttachmentUploadStatus"


def test_async_cancellation_stops_every_part(
    server: AttachmentServer, big_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled while 4 PUTs wait on the server: CancelledError, the file closed, no
    other PUT sent and nothing completed, even after the held PUTs are answered."""
    closed: list[bool] = []
    real_close = _transfer.FileSource.close

    def close(self: _transfer.FileSource) -> None:
        closed.append(True)
        real_close(self)

    monkeypatch.setattr(_transfer.FileSource, "close", close)
    server.hold_puts = threading.Event()

    async def main() -> None:
        async with aclient(server, FakeSleep()) as client:
            task = asyncio.ensure_future(client.upload_attachment(big_file, concurrency=4))
            deadline = time.monotonic() + 10
            while server.in_flight < 4 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            assert server.in_flight == 4
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(main())
    started = server.in_flight
    server.hold_puts.set()
    deadline = time.monotonic() + 5
    while server.in_flight and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started == 4 and closed == [True]
    assert server.counts["PUT"] == 4
    assert server.counts["CompleteAttachmentUpload"] == 0
