"""Attachment upload and download helpers: ``client.upload_attachment`` and
``client.download_attachment``.

The generated ``SupportClient`` inherits :class:`AttachmentsClientMixin` and
``AsyncSupportClient`` :class:`AttachmentsAsyncClientMixin` (see
README "Attachments" and "Extending a service"). The workflow's decisions are in
:mod:`._transfer` (no I/O); this module performs the calls, the presigned
``PUT``/``GET`` requests through the client's own transport (its proxies, TLS
trust, timeouts and connection pool), the file reads and the waits.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
import threading
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar, cast

from aws_runtime.errors import AWSError, TransportError

from .. import models as _m
from . import _transfer as _tx
from ._transfer import (
    AttachmentDownloadError,
    AttachmentError,
    AttachmentNotReadyError,
    AttachmentPartError,
    AttachmentUploadError,
    AttachmentUploadFailedError,
    FileChangedError,
    ProgressCallback,
)

if TYPE_CHECKING:
    from ..client import AsyncSupportClient, SupportClient

__all__ = [
    "AttachmentDownloadError",
    "AttachmentError",
    "AttachmentNotReadyError",
    "AttachmentPartError",
    "AttachmentUploadError",
    "AttachmentUploadFailedError",
    "AttachmentsAsyncClientMixin",
    "AttachmentsClientMixin",
    "FileChangedError",
    "ProgressCallback",
]

_T = TypeVar("_T")


def _step(step: str, call: Callable[[], _T], upload_id: str | None = None) -> _T:
    """Run one Support call of the workflow; its failure becomes an
    :class:`AttachmentUploadError` naming the step (the call's error as ``__cause__``)."""
    try:
        return call()
    except AWSError as exc:
        attempts = getattr(exc, "attempts", 1)
        raise AttachmentUploadError(
            f"{type(exc).__name__}: {exc}", step=step, upload_id=upload_id, attempts=attempts
        ) from exc


class AttachmentsClientMixin:
    """``upload_attachment`` and ``download_attachment`` for the sync ``SupportClient``."""

    def upload_attachment(
        self,
        file: str | os.PathLike[str] | IO[bytes],
        *,
        file_name: str | None = None,
        concurrency: int = 4,
        progress: ProgressCallback | None = None,
        max_wait: float = _tx.DEFAULT_MAX_WAIT,
    ) -> str:
        """Upload a file with the multipart attachment workflow; return its upload id
        once the service reports it ``attachment-ready``.

        The id goes into ``upload_ids`` of ``create_case`` or
        ``add_communication_to_case``. Steps: ``GetAttachmentUploadLinks`` (the
        service chooses the part size; at most 10 URLs per call, more are asked
        for as parts need them, and again for a URL that expired), one unsigned
        ``PUT`` per part to its presigned URL through this client's transport,
        ``CompleteAttachmentUpload`` with every part's ETag in part order, then
        ``DescribeAttachmentUploadStatus`` until ready.

        Args:
            file: a path, or a readable, seekable binary file object (read from
                its current position to its end, left open). 1 byte to 150 MiB.
            file_name: the attachment's name (default: the file's base name).
            concurrency: parts sent at once (>= 1). Memory holds at most
                ``concurrency`` parts (part size × concurrency bytes).
            progress: ``progress(bytes_done, bytes_total)``, called with 0 first
                and after each stored part (see ``ProgressCallback``).
            max_wait: seconds to wait for ``attachment-ready`` after completing
                (polls at 0.25 s, doubling, at most 5 s apart).

        Returns:
            str: the upload id.

        Raises:
            ValueError: bad arguments or file, before any network I/O
                (``TypeError`` for a file object opened in text mode).
            OSError: the path cannot be opened.
            AttachmentPartError: a part could not be read or stored after the
                client's retries (``part_index``, ``status_code``, ``code``);
                ``FileChangedError`` when the file changed size.
            AttachmentUploadFailedError: the service reported ``failed``.
            AttachmentNotReadyError: not ready within ``max_wait``.
            AttachmentUploadError: a Support call of the workflow failed (``step``
                names it; the service error is ``__cause__``).
        """
        _tx.check_upload_options(concurrency, max_wait)
        client = cast("SupportClient", self)
        source = _tx.FileSource(file, file_name)
        try:
            session = _tx.UploadSession(source.name, source.size)
            reply = _step(
                _tx.STEP_LINKS,
                lambda: client.get_attachment_upload_links(**session.first_links_request()),
            )
            session.on_links(reply)
            tracker = _tx.Progress(source.size, progress)
            tracker.start()
            links_lock = threading.Lock()
            workers = min(concurrency, len(session.parts))
            if workers == 1:
                for part in session.parts:
                    self._upload_part(session, source, part, tracker, links_lock)
            else:
                self._upload_parts_threaded(session, source, tracker, links_lock, workers)
            source.check_unchanged(session.upload_id, session.total_parts)
        finally:
            source.close()
        upload_id = session.upload_id
        assert upload_id is not None
        done = _step(
            _tx.STEP_COMPLETE,
            lambda: client.complete_attachment_upload(**session.completion_request()),
            upload_id,
        )
        if session.on_status(done.upload_status, _tx.STEP_COMPLETE):
            return upload_id
        wait_ = _tx.StatusWait(max_wait)
        while True:
            delay = wait_.next_delay()
            if delay is None:
                raise wait_.timeout(upload_id)
            client.config.sleep(delay)
            status = _step(
                _tx.STEP_STATUS,
                lambda: client.describe_attachment_upload_status(upload_id=upload_id),
                upload_id,
            )
            if session.on_status(status.upload_status, _tx.STEP_STATUS, status.upload_progress):
                return upload_id

    def _upload_parts_threaded(
        self,
        session: _tx.UploadSession,
        source: _tx.FileSource,
        tracker: _tx.Progress,
        links_lock: threading.Lock,
        workers: int,
    ) -> None:
        """Parts on ``workers`` threads, each taking the next part when free; the first
        error stops the others from starting new parts and is raised."""
        pending = iter(session.parts)
        take = threading.Lock()
        stop = threading.Event()

        def worker() -> None:
            while not stop.is_set():
                with take:
                    part = next(pending, None)
                if part is None:
                    return
                try:
                    self._upload_part(session, source, part, tracker, links_lock)
                except BaseException:
                    stop.set()
                    raise

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="attachment-part") as pool:
            futures: list[Future[None]] = [pool.submit(worker) for _ in range(workers)]
            wait(futures, return_when=FIRST_EXCEPTION)
            stop.set()
        for future in futures:
            error = future.exception()
            if error is not None:
                raise error

    def _upload_part(
        self,
        session: _tx.UploadSession,
        source: _tx.FileSource,
        part: _tx.Part,
        tracker: _tx.Progress,
        links_lock: threading.Lock,
    ) -> None:
        """Read ``part``, PUT it (retried by the client's retry policy; a new URL when
        the old one expired) and keep its ETag."""
        client = cast("SupportClient", self)
        attempt = _tx.PartUpload(session, part, client._retry, client.config.random)
        data = source.read(part, session.upload_id)
        while True:
            url = session.url_for(part)
            if url is None:
                with links_lock:  # one thread asks; the others find the URLs afterwards
                    url = session.url_for(part)
                    if url is None:
                        request = session.links_request(part.index)
                        reply = _step(
                            _tx.STEP_LINKS,
                            functools.partial(client.get_attachment_upload_links, **request),
                            session.upload_id,
                        )
                        url = session.on_new_links(reply, part)
            try:
                response = client._transport.send(attempt.request(url, data))
            except TransportError as exc:
                client.config.sleep(attempt.on_error(exc))
                continue
            outcome = attempt.on_reply(response)
            if outcome == _tx.DONE:
                tracker.add(part.size)
                return
            if isinstance(outcome, float):
                client.config.sleep(outcome)

    def download_attachment(
        self,
        attachment_id: str,
        destination: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> Path:
        """Download an attachment to a file, streaming it to disk; return the file's path.

        ``GetAttachmentDownloadLink`` gives the name and a presigned URL; the file
        is an unsigned ``GET`` through this client's transport, written in 64 KiB
        chunks to a temporary file next to the destination (``.<name>.<random>.part``),
        which becomes the destination only when complete. A failed ``GET`` is
        retried by the client's retry policy (resuming with ``Range`` when the
        server allows it); an expired URL is asked for again once.

        Args:
            attachment_id: the attachment's id (``attachment_id`` of an
                ``AttachmentDetails`` in ``describe_communications``).
            destination: a file path, or an existing folder (the file then gets
                the attachment's own name, which must be a plain file name).
            overwrite: replace an existing file; otherwise ``FileExistsError``.
            progress: ``progress(bytes_written, bytes_total)`` (total ``None`` when
                the server sends no ``Content-Length``).

        Returns:
            Path: the file written.

        Raises:
            FileExistsError: the destination exists and ``overwrite`` is false
                (checked before any network I/O for a file path).
            FileNotFoundError: the destination's folder does not exist.
            AttachmentDownloadError: the link could not be had, the ``GET`` failed
                after retries, or the body was shorter than announced (``step``).
        """
        client = cast("SupportClient", self)
        target, is_folder = _tx.download_target(destination, overwrite)
        link = _download_link(client, attachment_id)
        if is_folder:
            target = _tx.file_in_folder(target, link.file_name, overwrite)
        part_path = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.part")
        try:
            with open(part_path, "wb") as out:
                self._download_to(client, attachment_id, link, out, progress)
            _tx.finish_download(part_path, target, overwrite)
        finally:
            if part_path.exists():
                part_path.unlink()
        return target

    def _download_to(
        self,
        client: SupportClient,
        attachment_id: str,
        link: _m.GetAttachmentDownloadLinkResponse,
        out: IO[bytes],
        progress: ProgressCallback | None,
    ) -> None:
        transport = client._transport
        stream = getattr(transport, "stream", None)
        download = _tx.Download(client._retry, client.config.random, progress)
        while True:
            request = download.request(link.download_url.url if link.download_url else None)
            outcome: float | str
            try:
                reply = stream(request) if stream is not None else _tx.WholeReply(transport.send(request))
                try:
                    start = download.on_head(reply.status, reply.headers)
                    if start is None:
                        body = reply.read(_tx.ERROR_BODY_LIMIT)
                        outcome = download.on_error(download.error_reply(reply.status, reply.headers, body))
                    else:
                        out.seek(start)
                        out.truncate()
                        for chunk in reply.chunks():
                            out.write(chunk)
                            download.on_chunk(len(chunk))
                        download.on_end()
                        return
                finally:
                    reply.close()
            except TransportError as exc:
                outcome = download.on_error(exc)
            if outcome == _tx.NEW_URL:
                link = _download_link(client, attachment_id)
            elif isinstance(outcome, float):
                client.config.sleep(outcome)


def _download_link(client: SupportClient, attachment_id: str) -> _m.GetAttachmentDownloadLinkResponse:
    try:
        return client.get_attachment_download_link(attachment_id=attachment_id)
    except AWSError as exc:
        raise AttachmentDownloadError(
            f"{type(exc).__name__}: {exc}",
            step=_tx.STEP_DOWNLOAD_LINK,
            attempts=getattr(exc, "attempts", 1),
        ) from exc


class AttachmentsAsyncClientMixin:
    """``upload_attachment`` and ``download_attachment`` for ``AsyncSupportClient``: the
    same workflow as :class:`AttachmentsClientMixin` (one :mod:`._transfer` core), with
    parts sent by ``concurrency`` tasks. Cancelling the awaiting task cancels every part
    in flight, sends nothing more and closes the file (no upload is completed)."""

    async def upload_attachment(
        self,
        file: str | os.PathLike[str] | IO[bytes],
        *,
        file_name: str | None = None,
        concurrency: int = 4,
        progress: ProgressCallback | None = None,
        max_wait: float = _tx.DEFAULT_MAX_WAIT,
    ) -> str:
        """As ``SupportClient.upload_attachment`` (same arguments, result and errors);
        file reads run in a worker thread (``asyncio.to_thread``)."""
        _tx.check_upload_options(concurrency, max_wait)
        client = cast("AsyncSupportClient", self)
        source = await asyncio.to_thread(_tx.FileSource, file, file_name)
        try:
            session = _tx.UploadSession(source.name, source.size)
            session.on_links(
                await _astep(
                    _tx.STEP_LINKS,
                    client.get_attachment_upload_links(**session.first_links_request()),
                )
            )
            tracker = _tx.Progress(source.size, progress)
            tracker.start()
            links_lock = asyncio.Lock()
            pending = iter(session.parts)

            async def worker() -> None:
                for part in pending:  # one shared iterator: each part goes to one task
                    await self._upload_part(session, source, part, tracker, links_lock)

            tasks = [
                asyncio.ensure_future(worker())
                for _ in range(min(concurrency, len(session.parts)))
            ]
            try:
                await asyncio.gather(*tasks)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            source.check_unchanged(session.upload_id, session.total_parts)
        finally:
            source.close()
        upload_id = session.upload_id
        assert upload_id is not None
        done = await _astep(
            _tx.STEP_COMPLETE,
            client.complete_attachment_upload(**session.completion_request()),
            upload_id,
        )
        if session.on_status(done.upload_status, _tx.STEP_COMPLETE):
            return upload_id
        wait_ = _tx.StatusWait(max_wait)
        while True:
            delay = wait_.next_delay()
            if delay is None:
                raise wait_.timeout(upload_id)
            await _sleep(client, delay)
            status = await _astep(
                _tx.STEP_STATUS,
                client.describe_attachment_upload_status(upload_id=upload_id),
                upload_id,
            )
            if session.on_status(status.upload_status, _tx.STEP_STATUS, status.upload_progress):
                return upload_id

    async def _upload_part(
        self,
        session: _tx.UploadSession,
        source: _tx.FileSource,
        part: _tx.Part,
        tracker: _tx.Progress,
        links_lock: asyncio.Lock,
    ) -> None:
        client = cast("AsyncSupportClient", self)
        attempt = _tx.PartUpload(session, part, client._retry, client.config.random)
        data = await asyncio.to_thread(source.read, part, session.upload_id)
        while True:
            url = session.url_for(part)
            if url is None:
                async with links_lock:
                    url = session.url_for(part)
                    if url is None:
                        reply = await _astep(
                            _tx.STEP_LINKS,
                            client.get_attachment_upload_links(**session.links_request(part.index)),
                            session.upload_id,
                        )
                        url = session.on_new_links(reply, part)
            try:
                response = await client._transport.send(attempt.request(url, data))
            except TransportError as exc:
                await _sleep(client, attempt.on_error(exc))
                continue
            outcome = attempt.on_reply(response)
            if outcome == _tx.DONE:
                tracker.add(part.size)
                return
            if isinstance(outcome, float):
                await _sleep(client, outcome)

    async def download_attachment(
        self,
        attachment_id: str,
        destination: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> Path:
        """As ``SupportClient.download_attachment`` (same arguments, result and errors);
        file writes run in a worker thread. Cancelled, it removes the partial file."""
        client = cast("AsyncSupportClient", self)
        target, is_folder = _tx.download_target(destination, overwrite)
        link = await _adownload_link(client, attachment_id)
        if is_folder:
            target = _tx.file_in_folder(target, link.file_name, overwrite)
        part_path = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.part")
        try:
            out: IO[bytes] = await asyncio.to_thread(open, part_path, "wb")
            with out:
                await self._download_to(client, attachment_id, link, out, progress)
            _tx.finish_download(part_path, target, overwrite)
        finally:
            if part_path.exists():
                part_path.unlink()
        return target

    async def _download_to(
        self,
        client: AsyncSupportClient,
        attachment_id: str,
        link: _m.GetAttachmentDownloadLinkResponse,
        out: IO[bytes],
        progress: ProgressCallback | None,
    ) -> None:
        transport = client._transport
        stream = getattr(transport, "stream", None)
        download = _tx.Download(client._retry, client.config.random, progress)
        while True:
            request = download.request(link.download_url.url if link.download_url else None)
            outcome: float | str
            try:
                reply = await stream(request) if stream is not None else _tx.AsyncWholeReply(await transport.send(request))
                try:
                    start = download.on_head(reply.status, reply.headers)
                    if start is None:
                        body = await reply.read(_tx.ERROR_BODY_LIMIT)
                        outcome = download.on_error(download.error_reply(reply.status, reply.headers, body))
                    else:
                        out.seek(start)
                        out.truncate()
                        async for chunk in reply.chunks():
                            await asyncio.to_thread(out.write, chunk)
                            download.on_chunk(len(chunk))
                        download.on_end()
                        return
                finally:
                    reply.close()
            except TransportError as exc:
                outcome = download.on_error(exc)
            if outcome == _tx.NEW_URL:
                link = await _adownload_link(client, attachment_id)
            elif isinstance(outcome, float):
                await _sleep(client, outcome)


async def _astep(step: str, call: Awaitable[_T], upload_id: str | None = None) -> _T:
    """:func:`_step` for a coroutine of the async client."""
    try:
        return await call
    except AWSError as exc:
        attempts = getattr(exc, "attempts", 1)
        raise AttachmentUploadError(
            f"{type(exc).__name__}: {exc}", step=step, upload_id=upload_id, attempts=attempts
        ) from exc


async def _sleep(client: AsyncSupportClient, seconds: float) -> None:
    """The async client's sleep (``Config.sleep`` when injected, else ``asyncio.sleep``)."""
    result = client._sleep(seconds)
    if inspect.isawaitable(result):
        await result


async def _adownload_link(client: AsyncSupportClient, attachment_id: str) -> _m.GetAttachmentDownloadLinkResponse:
    try:
        return await client.get_attachment_download_link(attachment_id=attachment_id)
    except AWSError as exc:
        raise AttachmentDownloadError(
            f"{type(exc).__name__}: {exc}",
            step=_tx.STEP_DOWNLOAD_LINK,
            attempts=getattr(exc, "attempts", 1),
        ) from exc
