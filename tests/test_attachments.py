"""upload_attachment / download_attachment against a local server playing Support's
attachment workflow and its presigned PUT/GET endpoints (tests/helpers/attachment_server.py).

The model allows at most 10 upload URLs per call; a 25 MiB file in 5 MiB parts is
5 parts (one batch), so the two-batch case uses 2 MiB parts (13 parts: URLs 1-10,
then 11-13 through ``uploadRange``).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.attachment_server import AttachmentServer
from helpers.clients import FakeSleep, fast_config, make_client

from aws_support import SupportClient
from aws_support.extensions import attachments as att

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """25 MiB of non-repeating bytes (so a misplaced part cannot go unnoticed)."""
    path = tmp_path_factory.mktemp("att") / "console.log"
    with open(path, "wb") as out:
        for block in range(25 * 16):  # 64 KiB blocks
            seed = hashlib.sha256(block.to_bytes(4, "big")).digest()
            out.write(seed * (64 * 1024 // len(seed)))
    return path


@pytest.fixture
def server() -> Iterator[AttachmentServer]:
    with AttachmentServer() as srv:
        yield srv


@pytest.fixture
def sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def client(server: AttachmentServer, sleep: FakeSleep) -> Iterator[SupportClient]:
    with make_client(server.url, fast_config(sleep)) as c:
        yield c


def stored(server: AttachmentServer, upload_id: str) -> bytes:
    upload = server.uploads[upload_id]
    return b"".join(upload.parts[i] for i in range(1, upload.total + 1))


def completed_etags(server: AttachmentServer, upload_id: str) -> list[tuple[int, str]]:
    upload = server.uploads[upload_id]
    assert upload.completed is not None
    return [(c["partIndex"], c["eTag"]) for c in upload.completed]


@pytest.mark.parametrize("concurrency", [1, 4])
def test_upload_two_batches_bytes_and_etags_in_order(
    server: AttachmentServer, client: SupportClient, big_file: Path, concurrency: int
) -> None:
    server.part_size = 2 * MiB
    calls: list[tuple[int, int | None]] = []
    upload_id = client.upload_attachment(
        big_file, concurrency=concurrency, progress=lambda d, t: calls.append((d, t))
    )
    data = big_file.read_bytes()
    assert stored(server, upload_id) == data
    upload = server.uploads[upload_id]
    assert upload.total == 13 and upload.file_name == "console.log"
    expected = [(i, '"' + hashlib.md5(data[(i - 1) * 2 * MiB : i * 2 * MiB]).hexdigest() + '"') for i in range(1, 14)]
    assert completed_etags(server, upload_id) == expected
    links = [body for kind, _, body in server.requests if kind == "GetAttachmentUploadLinks"]
    assert len(links) == 2  # URLs 1-10, then 11-13
    assert links[0] == {"fileName": "console.log", "fileSizeBytes": 25 * MiB}
    assert links[1]["uploadRange"] == {"startIndex": 11, "endIndex": 14}
    assert server.counts["PUT"] == 13
    assert sorted(server.put_sizes) == [MiB] + [2 * MiB] * 12
    # progress: starts at 0, never goes back, ends at the total, one call per part
    assert calls[0] == (0, 25 * MiB) and calls[-1] == (25 * MiB, 25 * MiB)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls) and len(calls) == 14
    if concurrency == 4:
        assert 2 <= server.max_in_flight <= 4
    else:
        assert server.max_in_flight == 1


def test_upload_5mib_parts_one_batch_with_failures(
    server: AttachmentServer, client: SupportClient, sleep: FakeSleep, big_file: Path
) -> None:
    """Part 2 fails once (HTTP 500: retried after the policy's backoff), part 4's first
    URL is refused as expired (new URL asked for with uploadRange, no backoff)."""
    server.fail_once = {2}
    server.expire_first_url = {4}
    upload_id = client.upload_attachment(big_file, concurrency=1)
    assert stored(server, upload_id) == big_file.read_bytes()
    assert server.uploads[upload_id].total == 5
    puts = [path for kind, path, _ in server.requests if kind == "PUT"]
    assert [p.rsplit("/", 1)[1] for p in puts] == ["1", "2", "2", "3", "4", "4", "5"]
    links = [body for kind, _, body in server.requests if kind == "GetAttachmentUploadLinks"]
    assert len(links) == 2 and links[1]["uploadRange"] == {"startIndex": 4, "endIndex": 6}
    assert sleep.delays[0] == 0.5  # standard mode: random 0.5 * min(2 ** 0, 20)
    assert [i for i, _ in completed_etags(server, upload_id)] == [1, 2, 3, 4, 5]


def test_expiry_date_in_the_past_asks_for_new_links_before_sending(
    server: AttachmentServer, client: SupportClient, big_file: Path
) -> None:
    server.past_expiry = {3}
    upload_id = client.upload_attachment(big_file, concurrency=1)
    assert stored(server, upload_id) == big_file.read_bytes()
    assert server.counts["PUT"] == 5  # no PUT to the stale URL
    links = [body for kind, _, body in server.requests if kind == "GetAttachmentUploadLinks"]
    assert links[1]["uploadRange"] == {"startIndex": 3, "endIndex": 6}


def test_part_failing_past_max_attempts_names_part_and_step(
    server: AttachmentServer, sleep: FakeSleep, big_file: Path
) -> None:
    with make_client(server.url, fast_config(sleep, max_attempts=1)) as c:
        server.fail_once = {3}
        with pytest.raises(att.AttachmentPartError) as info:
            c.upload_attachment(big_file, concurrency=1)
    err = info.value
    assert (err.step, err.part_index, err.status_code, err.code) == ("PUT part", 3, 500, "InternalError")
    assert err.upload_id in server.uploads
    assert str(err).startswith("PUT part (part 3) failed: HTTP 500 InternalError")
    assert "X-Amz-Signature" not in str(err)
    assert server.counts["CompleteAttachmentUpload"] == 0


def test_failed_status_is_a_typed_error(server: AttachmentServer, client: SupportClient, big_file: Path) -> None:
    server.final_status = "failed"
    with pytest.raises(att.AttachmentUploadFailedError) as info:
        client.upload_attachment(big_file)
    assert info.value.step == "DescribeAttachmentUploadStatus"
    assert "5 of 5 parts" in str(info.value)
    assert server.counts["CompleteAttachmentUpload"] == 1


def test_status_wait_is_bounded(server: AttachmentServer, client: SupportClient, sleep: FakeSleep, big_file: Path) -> None:
    server.not_ready_polls = 10_000
    with pytest.raises(att.AttachmentNotReadyError) as info:
        client.upload_attachment(big_file, max_wait=3.0)
    assert sum(sleep.delays) == pytest.approx(3.0)
    assert sleep.delays[:4] == [0.25, 0.5, 1.0, 1.25]
    assert server.counts["DescribeAttachmentUploadStatus"] == 4
    assert info.value.upload_id is not None


def test_file_object_and_size_change(server: AttachmentServer, client: SupportClient) -> None:
    data = os.urandom(11 * MiB)
    buf = io.BytesIO(b"skip" + data)
    buf.seek(4)
    upload_id = client.upload_attachment(buf, file_name="dump.bin", concurrency=2)
    assert stored(server, upload_id) == data

    class Growing(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            if self.tell() > 6 * MiB:  # grows after the second part was read
                self.seek(0, os.SEEK_END)
                self.write(b"more")
            return chunk

    with pytest.raises(att.FileChangedError) as info:
        client.upload_attachment(Growing(data), file_name="dump.bin", concurrency=1)
    assert info.value.step == "read part"
    assert server.counts["CompleteAttachmentUpload"] == 1  # only the first upload completed


def test_bad_input_before_any_request(server: AttachmentServer, client: SupportClient, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="file size must be 1 to 157286400"):
        client.upload_attachment(empty)
    with pytest.raises(ValueError, match="concurrency"):
        client.upload_attachment(empty, concurrency=0)
    with pytest.raises(ValueError, match="file_name is required"):
        client.upload_attachment(io.BytesIO(b"x"))
    with open(tmp_path / "t.txt", "w+") as text, pytest.raises(TypeError, match="binary mode"):
        client.upload_attachment(text)  # type: ignore[arg-type]
    target = tmp_path / "exists.bin"
    target.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        client.download_attachment("attachment-x", target)
    assert sum(server.counts.values()) == 0


def test_download_byte_for_byte_with_resume_and_overwrite(
    server: AttachmentServer, client: SupportClient, big_file: Path, tmp_path: Path
) -> None:
    upload_id = client.upload_attachment(big_file)
    case_id = client.create_case(
        subject="s", communication_body="b", upload_ids=[upload_id]
    ).case_id
    assert case_id is not None
    comms = client.describe_communications(case_id=case_id).communications or []
    attachment = (comms[0].attachment_set or [])[0]
    assert attachment.attachment_id is not None
    server.cut_download_once = True  # first GET ends half-way: resumed with Range
    calls: list[tuple[int, int | None]] = []
    path = client.download_attachment(attachment.attachment_id, tmp_path, progress=lambda d, t: calls.append((d, t)))
    assert path == tmp_path / "console.log"
    assert path.read_bytes() == big_file.read_bytes()
    gets = [body["range"] for kind, _, body in server.requests if kind == "GET"]
    assert gets[0] is None and gets[1] is not None and gets[1].startswith("bytes=")
    assert calls[0] == (0, 25 * MiB) and calls[-1] == (25 * MiB, 25 * MiB)
    assert [p.name for p in tmp_path.iterdir()] == ["console.log"]  # no .part file left
    with pytest.raises(FileExistsError):
        client.download_attachment(attachment.attachment_id, tmp_path)
    path.write_bytes(b"stale")
    client.download_attachment(attachment.attachment_id, path, overwrite=True)
    assert path.read_bytes() == big_file.read_bytes()


def test_download_unknown_attachment(server: AttachmentServer, client: SupportClient, tmp_path: Path) -> None:
    with pytest.raises(att.AttachmentDownloadError) as info:
        client.download_attachment("attachment-nope", tmp_path / "x")
    assert info.value.step == "GetAttachmentDownloadLink"
    assert type(info.value.__cause__).__name__ == "AttachmentIdNotFound"
    assert not (tmp_path / "x").exists()


def test_upload_call_error_names_step(server: AttachmentServer, client: SupportClient, big_file: Path) -> None:
    original = server._op_CompleteAttachmentUpload

    def broken(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return server._error("UploadIdNotFound", "gone")

    server._op_CompleteAttachmentUpload = broken  # type: ignore[method-assign]
    with pytest.raises(att.AttachmentUploadError) as info:
        client.upload_attachment(big_file)
    assert info.value.step == "CompleteAttachmentUpload"
    assert type(info.value.__cause__).__name__ == "UploadIdNotFound"
    server._op_CompleteAttachmentUpload = original  # type: ignore[method-assign]


def test_session_refuses_replies_that_cannot_describe_the_file() -> None:
    """The sans-IO core checks the service's numbers against the model's limits."""
    from aws_support import models as m
    from aws_support.extensions import _transfer as tx

    def reply(**kw: Any) -> Any:
        base: dict[str, Any] = {"upload_id": "u-1", "part_size_bytes": 5 * MiB, "total_parts": 3, "upload_urls": []}
        base.update(kw)
        return m.GetAttachmentUploadLinksResponse(**base)

    size = 11 * MiB
    for bad, why in [
        (reply(upload_id=None), "no uploadId"),
        (reply(part_size_bytes=200 * MiB), "partSizeBytes must be 1 to 104857600"),
        (reply(total_parts=2), "totalParts is 2, but 11534336 bytes in parts of 5242880 bytes make 3"),
        (reply(upload_urls=[m.UploadUrl(url="http://h/p", part_index=4, expiry_date="x")]), "part 4"),
    ]:
        with pytest.raises(att.AttachmentUploadError, match=why) as info:
            tx.UploadSession("f", size).on_links(bad)
        assert info.value.step == "GetAttachmentUploadLinks"
    session = tx.UploadSession("f", size)
    session.on_links(reply())
    assert [(p.index, p.offset, p.size) for p in session.parts] == [
        (1, 0, 5 * MiB), (2, 5 * MiB, 5 * MiB), (3, 10 * MiB, MiB)
    ]
    with pytest.raises(att.AttachmentUploadError, match="another uploadId"):
        session.on_links(reply(upload_id="u-2"))
    assert session.links_request(3)["upload_range"] == m.UploadRange(start_index=3, end_index=4)
    assert tx.shown_url("https://h/p?X-Amz-Signature=abc") == "https://h/p?..."
    assert tx.parse_expiry("2026-12-02T15:04:05Z") is not None and tx.parse_expiry("soon") is None
