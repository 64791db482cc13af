"""The attachment upload and download workflow without I/O, shared by the sync and async clients.

The Support multipart attachment workflow (botocore 1.44 model, ``support``
2013-04-15; operation and shape documentation quoted in the docstrings below):

1. ``GetAttachmentUploadLinks(fileName, fileSizeBytes)`` starts an upload: it
   returns ``uploadId``, ``partSizeBytes`` (parts 1 to n - 1 are exactly that
   size, the last may be smaller; at most 104,857,600 bytes), ``totalParts``,
   ``nextIndex`` and at most 10 ``uploadUrls`` (``url``, ``partIndex`` from 1,
   ``expiryDate`` in ISO 8601). More URLs (or fresh ones for expired URLs):
   the same call with ``uploadId`` and ``uploadRange`` (``startIndex``
   inclusive, ``endIndex`` exclusive, at most 10 parts).
2. Each part is sent with an unsigned HTTP ``PUT`` of its bytes to its
   presigned URL (an S3 URL); the reply's ``ETag`` header is kept.
3. ``CompleteAttachmentUpload(uploadId, completedUploads=[{partIndex, eTag}])``.
4. ``DescribeAttachmentUploadStatus(uploadId)`` until ``uploadStatus`` is
   ``attachment-ready`` (or ``failed``); the upload id then goes into
   ``uploadIds`` of ``CreateCase`` or ``AddCommunicationToCase``.

Downloads: ``GetAttachmentDownloadLink(attachmentId)`` gives ``fileName`` and
``downloadUrl`` (``url``, ``expiryDate``); the file is an unsigned ``GET``.

This module decides everything (part plan, which URL a part uses and when to
ask for more, what a presigned reply means, retry or give up, ETags in order,
status polling schedule, file-size checks, where a download goes); the client
mixins in :mod:`.attachments` only perform the calls, the HTTP requests, the
file reads and the sleeps. Retry decisions for a failed ``PUT``/``GET`` are the
client's own :class:`aws_runtime.retries.RetryPolicy` (same modes, attempts
and retry quota as its API calls).
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from aws_runtime.errors import AWSError, ConnectionClosedError, ServiceError, TransportError
from aws_runtime.http import HttpRequest, HttpResponse
from aws_runtime.retries import RETRY, CallState, RetryPolicy

from .. import models as _m

__all__ = [
    "MAX_FILE_SIZE",
    "MAX_PART_SIZE",
    "URLS_PER_CALL",
    "AttachmentDownloadError",
    "AttachmentError",
    "AttachmentNotReadyError",
    "AttachmentPartError",
    "AttachmentUploadError",
    "AttachmentUploadFailedError",
    "FileChangedError",
    "FileSource",
    "Part",
    "Progress",
    "ProgressCallback",
    "StatusWait",
    "UploadSession",
]

MAX_FILE_SIZE = 157_286_400
"""``FileSize`` max in the model (150 MiB): the largest file the workflow takes."""
MAX_PART_SIZE = 104_857_600
"""``PartSizeBytes`` max in the model (100 MiB): a larger part size in a reply is refused."""
URLS_PER_CALL = 10
"""``uploadUrls`` holds at most 10 URLs per call; an ``uploadRange`` spans at most 10 parts."""
URL_MARGIN = _dt.timedelta(seconds=30)
"""A URL whose ``expiryDate`` is closer than this is not used: new links are asked for."""
MAX_NEW_LINKS_PER_PART = 3
"""How often one part may be given a new URL after its URL was refused as expired."""
ERROR_BODY_LIMIT = 4096
"""Bytes of a presigned endpoint's error reply that are read (its XML code and message)."""
DEFAULT_MAX_WAIT = 300.0
"""Seconds ``upload_attachment`` waits for ``attachment-ready`` after completing, by default."""

STEP_READ = "read part"
STEP_LINKS = "GetAttachmentUploadLinks"
STEP_PUT = "PUT part"
STEP_COMPLETE = "CompleteAttachmentUpload"
STEP_STATUS = "DescribeAttachmentUploadStatus"
STEP_DOWNLOAD_LINK = "GetAttachmentDownloadLink"
STEP_GET = "GET attachment"

READY = "attachment-ready"
NOT_READY = "attachment-not-ready"
FAILED = "failed"

ProgressCallback = Callable[[int, int | None], object]
"""``progress(bytes_done, bytes_total)``: bytes confirmed so far (an upload counts a part
when its PUT succeeded; a download counts bytes written) and the total (``None`` for a
download whose server did not send ``Content-Length``). Called with 0 first, then after
each part or chunk, from one thread at a time, never with a smaller ``bytes_done``."""


# --------------------------------------------------------------------------- errors


class AttachmentError(AWSError):
    """An attachment upload or download failed.

    Attributes:
        step: what was being done: ``"read part"``, ``"GetAttachmentUploadLinks"``,
            ``"PUT part"``, ``"CompleteAttachmentUpload"``,
            ``"DescribeAttachmentUploadStatus"``, ``"GetAttachmentDownloadLink"``
            or ``"GET attachment"``.
        upload_id: the upload's id once the service gave one, else ``None``.
        part_index: the part (from 1) the step was working on, or ``None``.
        attempts: requests sent for that step (retries included).

    The error that caused it (a service error, a transport error, an ``OSError``)
    is ``__cause__``. Texts never contain a presigned URL's query (its signature).
    """

    def __init__(
        self,
        message: str,
        *,
        step: str,
        upload_id: str | None = None,
        part_index: int | None = None,
        attempts: int = 1,
    ) -> None:
        self.step = step
        self.upload_id = upload_id
        self.part_index = part_index
        self.attempts = attempts
        where = f"{step}" + (f" (part {part_index})" if part_index is not None else "")
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        super().__init__(f"{where} failed{tries}: {message}")


class AttachmentUploadError(AttachmentError):
    """``upload_attachment`` failed at ``step``."""


class AttachmentPartError(AttachmentUploadError):
    """A part could not be read or stored; ``part_index`` says which. ``status_code`` and
    ``code`` are those of the presigned endpoint's last reply (0 and ``""`` when no reply came)."""

    def __init__(
        self,
        message: str,
        *,
        step: str,
        part_index: int,
        upload_id: str | None = None,
        attempts: int = 1,
        status_code: int = 0,
        code: str = "",
    ) -> None:
        self.status_code = status_code
        self.code = code
        super().__init__(
            message, step=step, upload_id=upload_id, part_index=part_index, attempts=attempts
        )


class FileChangedError(AttachmentPartError):
    """The file's size changed while it was being uploaded (a part read short, or the
    file grew or shrank before completion). Nothing is completed."""


class AttachmentUploadFailedError(AttachmentUploadError):
    """The service reported the upload as ``failed`` (``uploadStatus``)."""


class AttachmentNotReadyError(AttachmentUploadError):
    """The upload was completed but not ``attachment-ready`` within ``max_wait`` seconds.
    ``upload_id`` can still be polled with ``describe_attachment_upload_status``."""


class AttachmentDownloadError(AttachmentError):
    """``download_attachment`` failed at ``step``; the destination was not written
    (the partial download is removed)."""


# --------------------------------------------------------------------------- helpers


def shown_url(url: str) -> str:
    """A presigned URL for messages: scheme, host and path; the query (signature,
    credential scope, security token) replaced by ``?...``."""
    base, sep, _ = url.partition("?")
    return base + ("?..." if sep else "")


def scrub(error: TransportError) -> TransportError:
    """The same transport error with the presigned URL's query removed from its text and
    ``url`` (the transport names the full URL, signature included)."""
    url = error.url
    if "?" not in url:
        return error
    shown = shown_url(url)
    text = str(error.args[0]) if error.args else ""
    return type(error)(text.replace(url, shown), url=shown, attempts=error.attempts)


def parse_expiry(text: str | None) -> _dt.datetime | None:
    """``expiryDate`` (ISO 8601, e.g. ``2026-12-02T15:04:05Z``) as aware UTC, or ``None``
    when missing or unparseable (the URL is then used until the endpoint refuses it)."""
    if not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = _dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.timezone.utc)
    return parsed.astimezone(_dt.timezone.utc)


_XML_FIELD = re.compile(rb"<(Code|Message)>([^<]{0,512})</\1>")


def presigned_error(response: HttpResponse, operation: str) -> ServiceError:
    """A :class:`ServiceError` for an error reply of a presigned URL (S3's XML error:
    ``<Code>`` and ``<Message>``, read from the first 4 KiB only). Without a code the
    HTTP status is the code, as botocore does. The retry policy reads ``status_code``
    and ``code`` (503 ``SlowDown`` and 500 ``InternalError`` are retried)."""
    found = {m.group(1): m.group(2) for m in _XML_FIELD.finditer(response.body[:4096])}
    code = found.get(b"Code", b"").decode("utf-8", "replace") or str(response.status)
    message = found.get(b"Message", b"").decode("utf-8", "replace")
    return ServiceError(
        message,
        code=code,
        status_code=response.status,
        request_id=response.headers.get("x-amz-request-id"),
        operation_name=operation,
        headers=response.headers,
    )


def is_expired_url(error: AWSError) -> bool:
    """A presigned URL refused because it expired: HTTP 403 whose S3 code or message
    says so (``AccessDenied`` "Request has expired", ``ExpiredToken``, ``RequestExpired``)."""
    if not isinstance(error, ServiceError) or error.status_code != 403:
        return False
    text = f"{error.code} {error.message}".lower()
    return "expired" in text


def decide_retry(
    policy: RetryPolicy, state: CallState, error: AWSError, random: Callable[[], float]
) -> float | None:
    """Seconds to wait before retrying a failed presigned request, or ``None`` to give up:
    the client's retry policy decides (mode, ``max_attempts``, retry quota). Presigned
    requests carry no SigV4 signature of ours, so clock and credential corrections do not
    apply: only plain retries."""
    decision = policy.decide(
        state, error, now=lambda: _dt.datetime.now(_dt.timezone.utc), random=random, refreshable=False
    )
    return decision.delay if decision.action == RETRY else None


# --------------------------------------------------------------------------- progress


class Progress:
    """Counts confirmed bytes and calls the user's callback, one call at a time
    (thread-safe), never going backwards."""

    def __init__(self, total: int | None, callback: ProgressCallback | None) -> None:
        self.total = total
        self.done = 0
        self._callback = callback
        self._lock = threading.Lock()

    def start(self) -> None:
        """Report ``(0, total)``."""
        if self._callback is not None:
            with self._lock:
                self._callback(0, self.total)

    def add(self, count: int) -> None:
        """``count`` more bytes are confirmed."""
        with self._lock:
            self.done += count
            if self._callback is not None:
                self._callback(self.done, self.total)


# --------------------------------------------------------------------------- the file


@dataclass(frozen=True, slots=True)
class Part:
    """One part: ``index`` from 1, ``offset`` and ``size`` in bytes within the upload."""

    index: int
    offset: int
    size: int


class FileSource:
    """The file being uploaded: a path (opened here, closed by :meth:`close`) or a
    seekable binary file object (read from its current position to its end; left open).

    Parts are read with ``os.pread`` on a file opened here (threads read in parallel),
    or with ``seek`` + ``read`` under a lock on a caller's file object. A part that
    reads short, or a size that differs at the end, raises :class:`FileChangedError`.

    Raises ``TypeError`` for a text-mode file object and ``ValueError`` (both before
    any network I/O) for an unreadable or unseekable one, a missing ``file_name`` for an object without ``name``,
    an empty file or one above :data:`MAX_FILE_SIZE`; ``OSError`` for a path that
    cannot be opened.
    """

    def __init__(self, file: str | os.PathLike[str] | IO[bytes], file_name: str | None = None) -> None:
        self._lock = threading.Lock()
        self._owned = isinstance(file, (str, os.PathLike))
        if isinstance(file, (str, os.PathLike)):
            path = Path(file)
            self._handle: IO[bytes] = open(path, "rb")  # noqa: SIM115  # closed by close()
            self.start = 0
            name = file_name if file_name is not None else path.name
        else:
            self._handle = file
            try:
                readable = file.readable() and file.seekable()
            except (AttributeError, ValueError, OSError):
                readable = False
            if not readable:
                raise ValueError(
                    "file must be a path or a readable, seekable binary file object "
                    "(parts are read at their offsets, and again when a part is retried)"
                )
            if not isinstance(file.read(0), bytes):
                raise TypeError("file must be opened in binary mode ('rb'), not text mode")
            self.start = file.tell()
            raw_name = getattr(file, "name", None)
            name = (
                file_name
                if file_name is not None
                else (os.path.basename(raw_name) if isinstance(raw_name, str) else "")
            )
        try:
            self.size = self._current_size() - self.start
            if not name:
                raise ValueError(
                    "file_name is required when the file object has no name "
                    "(GetAttachmentUploadLinks needs fileName)"
                )
            if self.size < 1 or self.size > MAX_FILE_SIZE:
                raise ValueError(
                    f"file size must be 1 to {MAX_FILE_SIZE} bytes (150 MiB, the model's "
                    f"FileSize range), got {self.size}"
                )
        except BaseException:
            self.close()
            raise
        self.name: str = name
        self._fd = self._handle.fileno() if self._owned and hasattr(os, "pread") else None

    def _current_size(self) -> int:
        if self._owned:
            return os.fstat(self._handle.fileno()).st_size
        with self._lock:
            here = self._handle.tell()
            end = self._handle.seek(0, os.SEEK_END)
            self._handle.seek(here)
            return end

    def read(self, part: Part, upload_id: str | None) -> bytes:
        """The bytes of ``part``; :class:`FileChangedError` when fewer are there,
        :class:`AttachmentPartError` (step ``read part``) for an ``OSError``."""
        try:
            if self._fd is not None:
                chunks = []
                got = 0
                while got < part.size:  # pread may return less than asked for
                    chunk = os.pread(self._fd, part.size - got, self.start + part.offset + got)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    got += len(chunk)
                data = b"".join(chunks)
            else:
                with self._lock:
                    self._handle.seek(self.start + part.offset)
                    data = self._handle.read(part.size)
        except OSError as exc:
            raise AttachmentPartError(
                f"cannot read the file: {exc.strerror or exc}",
                step=STEP_READ,
                part_index=part.index,
                upload_id=upload_id,
            ) from exc
        if len(data) != part.size:
            raise FileChangedError(
                f"the file changed size during the upload: part {part.index} should hold "
                f"{part.size} bytes at offset {part.offset}, {len(data)} were there",
                step=STEP_READ,
                part_index=part.index,
                upload_id=upload_id,
            )
        return data

    def check_unchanged(self, upload_id: str | None, last_part: int) -> None:
        """Raise :class:`FileChangedError` if the file's size is not what it was at the start."""
        size = self._current_size() - self.start
        if size != self.size:
            raise FileChangedError(
                f"the file changed size during the upload: {self.size} bytes at the start, "
                f"{size} now; nothing was completed",
                step=STEP_READ,
                part_index=last_part,
                upload_id=upload_id,
            )

    def close(self) -> None:
        """Close the file if it was opened here."""
        if self._owned:
            self._handle.close()


# --------------------------------------------------------------------------- upload


@dataclass
class _Url:
    url: str
    expiry: _dt.datetime | None


@dataclass
class UploadSession:
    """State of one upload: what the service said, which URLs are usable, the ETags.

    ``now`` returns the current aware UTC time (injectable for tests).
    """

    file_name: str
    file_size: int
    now: Callable[[], _dt.datetime] = field(default=lambda: _dt.datetime.now(_dt.timezone.utc))
    upload_id: str | None = None
    part_size: int = 0
    total_parts: int = 0
    parts: list[Part] = field(default_factory=list)
    etags: dict[int, str] = field(default_factory=dict)
    links_calls: int = 0
    _urls: dict[int, _Url] = field(default_factory=dict)
    _new_links: dict[int, int] = field(default_factory=dict)

    # -- requests

    def first_links_request(self) -> dict[str, Any]:
        """Keyword arguments of ``get_attachment_upload_links`` that start the upload."""
        return {"file_name": self.file_name, "file_size_bytes": self.file_size}

    def links_request(self, start: int) -> dict[str, Any]:
        """Keyword arguments asking for URLs of parts ``start`` to ``start + 9`` (at most
        :data:`URLS_PER_CALL`, never past the last part)."""
        end = min(start + URLS_PER_CALL, self.total_parts + 1)
        return {
            "file_name": self.file_name,
            "upload_id": self.upload_id,
            "upload_range": _m.UploadRange(start_index=start, end_index=end),
        }

    def completion_request(self) -> dict[str, Any]:
        """Keyword arguments of ``complete_attachment_upload``: every part's ETag, in
        part order."""
        missing = [p.index for p in self.parts if p.index not in self.etags]
        if missing:  # the drivers complete only after every part succeeded
            raise AssertionError(f"parts {missing} have no ETag")
        return {
            "upload_id": self.upload_id,
            "completed_uploads": [
                _m.CompletedUpload(part_index=p.index, e_tag=self.etags[p.index]) for p in self.parts
            ],
        }

    # -- replies

    def on_links(self, reply: _m.GetAttachmentUploadLinksResponse) -> None:
        """Take a ``GetAttachmentUploadLinks`` reply. The first one fixes the upload id
        and the part plan (:attr:`parts`); every one adds URLs. Raises
        :class:`AttachmentUploadError` (step ``GetAttachmentUploadLinks``) for a reply
        that cannot describe this file: no upload id, another upload id, a part size
        outside 1 to 104,857,600 bytes, a part count that does not split the file, a
        URL for a part that does not exist."""
        self.links_calls += 1

        def bad(why: str) -> AttachmentUploadError:
            return AttachmentUploadError(why, step=STEP_LINKS, upload_id=self.upload_id)

        if not reply.upload_id:
            raise bad("the reply has no uploadId")
        if self.upload_id is None:
            size, total = reply.part_size_bytes, reply.total_parts
            if size is None or not 1 <= size <= MAX_PART_SIZE:
                raise bad(f"partSizeBytes must be 1 to {MAX_PART_SIZE}, got {size!r}")
            expected = math.ceil(self.file_size / size)
            if total != expected:
                raise bad(
                    f"totalParts is {total!r}, but {self.file_size} bytes in parts of "
                    f"{size} bytes make {expected}"
                )
            self.upload_id, self.part_size, self.total_parts = reply.upload_id, size, expected
            self.parts = [
                Part(i + 1, i * size, min(size, self.file_size - i * size)) for i in range(expected)
            ]
        elif reply.upload_id != self.upload_id:
            raise bad("the reply names another uploadId than the upload's")
        for item in reply.upload_urls or []:
            index = item.part_index
            if index is None or not 1 <= index <= self.total_parts or not item.url:
                raise bad(f"an upload URL is for part {index!r}, not one of 1 to {self.total_parts}")
            self._urls[index] = _Url(item.url, parse_expiry(item.expiry_date))

    def url_for(self, part: Part) -> str | None:
        """The URL to ``PUT`` ``part`` to, or ``None`` when new links must be asked for
        (:meth:`links_request`): none known yet, or it expires within 30 seconds."""
        known = self._urls.get(part.index)
        if known is None:
            return None
        if known.expiry is not None and known.expiry - URL_MARGIN <= self.now():
            del self._urls[part.index]
            return None
        return known.url

    def on_new_links(self, reply: _m.GetAttachmentUploadLinksResponse, part: Part) -> str:
        """Take the reply to :meth:`links_request` for ``part`` and return ``part``'s URL;
        :class:`AttachmentUploadError` when the reply has none."""
        self.on_links(reply)
        url = self.url_for(part)
        if url is None:
            raise AttachmentUploadError(
                f"the reply has no usable URL for part {part.index}",
                step=STEP_LINKS,
                upload_id=self.upload_id,
                part_index=part.index,
            )
        return url

    def url_refused(self, part: Part, error: AWSError, attempts: int) -> None:
        """The endpoint refused ``part``'s URL as expired: forget it, so the next
        :meth:`url_for` asks for a new one. After :data:`MAX_NEW_LINKS_PER_PART` new URLs
        for one part, :class:`AttachmentPartError`."""
        self._urls.pop(part.index, None)
        count = self._new_links[part.index] = self._new_links.get(part.index, 0) + 1
        if count > MAX_NEW_LINKS_PER_PART:
            raise self.part_error(part, error, attempts, f"the URL was refused as expired {count} times")

    def part_done(self, part: Part, response: HttpResponse) -> None:
        """A ``PUT`` of ``part`` answered 2xx: keep its ``ETag`` (exactly as sent, quotes
        included). A reply without one (or above the model's 256 characters) is an
        :class:`AttachmentPartError`."""
        etag = response.headers.get("etag", "")
        if not 1 <= len(etag) <= 256:
            raise AttachmentPartError(
                f"the reply (HTTP {response.status}) has no usable ETag header",
                step=STEP_PUT,
                part_index=part.index,
                upload_id=self.upload_id,
                status_code=response.status,
            )
        self.etags[part.index] = etag

    def part_error(self, part: Part, error: AWSError, attempts: int, why: str = "") -> AttachmentPartError:
        """The error that ends the upload because ``part`` could not be stored."""
        status = error.status_code if isinstance(error, ServiceError) else 0
        code = error.code if isinstance(error, ServiceError) else ""
        if isinstance(error, ServiceError):
            what = f"HTTP {status} {code}" + (f": {error.message}" if error.message else "")
        else:
            what = f"{type(error).__name__}" + (
                f" ({shown_url(error.url)})" if isinstance(error, TransportError) and error.url else ""
            )
        if why:
            what = f"{why} ({what})"
        return AttachmentPartError(
            what,
            step=STEP_PUT,
            part_index=part.index,
            upload_id=self.upload_id,
            attempts=attempts,
            status_code=status,
            code=code,
        )

    def on_status(self, status: object, step: str, progress: object = None) -> bool:
        """``True`` for ``attachment-ready``, ``False`` for ``attachment-not-ready``;
        :class:`AttachmentUploadFailedError` for ``failed`` and
        :class:`AttachmentUploadError` for any other value."""
        value = str(status) if status is not None else None
        if value == READY:
            return True
        if value == NOT_READY:
            return False
        if value == FAILED:
            detail = ""
            if isinstance(progress, _m.UploadProgress):
                detail = (
                    f" ({progress.completed_parts_count} of {progress.total_parts} parts "
                    "reported completed)"
                )
            raise AttachmentUploadFailedError(
                f"the service reported the upload as failed{detail}",
                step=step,
                upload_id=self.upload_id,
            )
        raise AttachmentUploadError(
            f"unexpected uploadStatus {value!r}", step=step, upload_id=self.upload_id
        )


class StatusWait:
    """Delays between ``DescribeAttachmentUploadStatus`` polls: ``first`` seconds,
    doubling, at most ``cap``, until ``max_wait`` seconds of waiting are used up."""

    def __init__(self, max_wait: float, first: float = 0.25, cap: float = 5.0) -> None:
        self.max_wait = max_wait
        self.waited = 0.0
        self.polls = 0
        self._next = first
        self._cap = cap

    def next_delay(self) -> float | None:
        """The next delay, or ``None`` when the wait is over."""
        left = self.max_wait - self.waited
        if left <= 0:
            return None
        delay = min(self._next, left)
        self._next = min(self._next * 2, self._cap)
        self.waited += delay
        self.polls += 1
        return delay

    def timeout(self, upload_id: str | None) -> AttachmentNotReadyError:
        return AttachmentNotReadyError(
            f"not attachment-ready after waiting {self.waited:g} s ({self.polls} status "
            "polls); poll describe_attachment_upload_status(upload_id=...) or raise max_wait",
            step=STEP_STATUS,
            upload_id=upload_id,
        )


def check_upload_options(concurrency: int, max_wait: float) -> None:
    """``ValueError`` (before any I/O) for ``concurrency`` < 1 or ``max_wait`` < 0."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be an int >= 1, got {concurrency!r}")
    if isinstance(max_wait, bool) or not isinstance(max_wait, (int, float)) or max_wait < 0:
        raise ValueError(f"max_wait must be a number of seconds >= 0, got {max_wait!r}")


# --------------------------------------------------------------------------- download


def download_target(destination: str | os.PathLike[str], overwrite: bool) -> tuple[Path, bool]:
    """Where a download goes, checked before any network I/O: ``(path, is_folder)``.

    An existing folder: the file keeps the attachment's name inside it (decided
    once the name is known, :func:`file_in_folder`). Otherwise the path itself,
    whose folder must exist; an existing file there is ``FileExistsError`` unless
    ``overwrite``.
    """
    path = Path(destination)
    if path.is_dir():
        return path, True
    if not path.parent.is_dir():
        raise FileNotFoundError(f"destination folder does not exist: {str(path.parent)!r}")
    if path.exists() and not overwrite:
        raise FileExistsError(f"destination exists: {str(path)!r} (pass overwrite=True to replace it)")
    return path, False


def file_in_folder(folder: Path, file_name: str | None, overwrite: bool) -> Path:
    """``folder / file_name`` for a name the service gave: a plain file name only (no
    folder part, not ``.``/``..``, no NUL), else :class:`AttachmentDownloadError`;
    ``FileExistsError`` when it exists and not ``overwrite``."""
    name = file_name or ""
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or os.path.basename(name) != name
    ):
        raise AttachmentDownloadError(
            f"the attachment's fileName {name!r} is not a plain file name; pass a file "
            "path as destination",
            step=STEP_DOWNLOAD_LINK,
        )
    path = folder / name
    if path.exists() and not overwrite:
        raise FileExistsError(f"destination exists: {str(path)!r} (pass overwrite=True to replace it)")
    return path


def declared_length(headers: Mapping[str, str]) -> int | None:
    """``Content-Length`` as an int, or ``None`` when missing or not a number."""
    raw = headers.get("content-length")
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw)


def resume_offset(status: int, headers: Mapping[str, str], have: int) -> int | None:
    """Where a ``GET`` reply's body starts within the file: 0 for 200, ``have`` for a
    206 whose ``Content-Range`` starts there; ``None`` for any other reply (an error)."""
    if status == 200:
        return 0
    if status == 206:
        match = re.match(r"bytes (\d+)-", headers.get("content-range", ""))
        if match and int(match.group(1)) == have:
            return have
    return None


def finish_download(part_path: Path, target: Path, overwrite: bool) -> None:
    """Move the finished ``part_path`` to ``target``: replacing it when ``overwrite``,
    else only if it still does not exist (a hard link, atomic; ``FileExistsError`` if
    something appeared meanwhile)."""
    if overwrite:
        os.replace(part_path, target)
        return
    try:
        os.link(part_path, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if target.exists():
            raise FileExistsError(f"destination exists: {str(target)!r}") from None
        os.replace(part_path, target)
        return
    os.unlink(part_path)


# --------------------------------------------------------------------------- per-request state

NEW_URL = "new-url"
""":meth:`PartUpload.on_reply` / :meth:`Download.on_error`: ask for a new URL, then resend."""
DONE = "done"
""":meth:`PartUpload.on_reply`: the part is stored."""


class PartUpload:
    """One part's ``PUT`` attempts: what each reply or failure means.

    The driver loops: URL from :meth:`UploadSession.url_for` (or new links), send
    :meth:`request`, then :meth:`on_reply` (:data:`DONE`; :data:`NEW_URL`: the URL
    expired, get another and resend at once; or seconds to sleep before resending)
    or, when no reply came, :meth:`on_error` (seconds to sleep; raises the part's
    error when the client's retry policy gives up).
    """

    def __init__(
        self, session: UploadSession, part: Part, policy: RetryPolicy, random: Callable[[], float]
    ) -> None:
        self.session = session
        self.part = part
        self.attempts = 0
        self._policy = policy
        self._random = random
        self._state = CallState()

    def request(self, url: str, data: bytes) -> HttpRequest:
        """The unsigned ``PUT`` of the part's bytes."""
        self.attempts += 1
        return HttpRequest("PUT", url, {"Content-Length": str(len(data))}, data)

    def on_reply(self, response: HttpResponse) -> float | str:
        """:data:`DONE` when stored (ETag kept); :data:`NEW_URL` for an expired URL;
        otherwise seconds to wait before resending (:meth:`on_error`)."""
        if response.status < 300:
            self._policy.on_success(self._state)
            self.session.part_done(self.part, response)
            return DONE
        error = presigned_error(response, STEP_PUT)
        if is_expired_url(error):
            self.session.url_refused(self.part, error, self.attempts)
            return NEW_URL
        return self.on_error(error)

    def on_error(self, error: AWSError) -> float:
        """Seconds to wait before resending after ``error``; raises the part's
        :class:`AttachmentPartError` when the retry policy gives up."""
        if isinstance(error, TransportError):
            error = scrub(error)
        self._state.attempts = self.attempts
        delay = decide_retry(self._policy, self._state, error, self._random)
        if delay is None:
            cause = error if isinstance(error, ServiceError) else None
            raise self.session.part_error(self.part, error, self.attempts) from cause
        return delay


class Download:
    """A download's ``GET`` attempts: resume offsets, length check, retry or new link.

    The driver loops: :meth:`request` for the current URL; with the reply's status
    and headers, :meth:`on_head` (``None``: read the error body and pass it to
    :meth:`on_error`; else the offset to write from: 0 means truncate the file);
    :meth:`on_chunk` per chunk written; :meth:`on_end` at the body's end (raises
    when short). Any failure goes to :meth:`on_error`: :data:`NEW_URL` (ask for a
    new link, once) or seconds to sleep before resending.
    """

    def __init__(
        self, policy: RetryPolicy, random: Callable[[], float], progress: ProgressCallback | None
    ) -> None:
        self.have = 0
        self.attempts = 0
        self.total: int | None = None
        self._policy = policy
        self._random = random
        self._state = CallState()
        self._callback = progress
        self._tracker: Progress | None = None
        self._new_link = False

    def request(self, url: str | None) -> HttpRequest:
        """The unsigned ``GET`` (with ``Range: bytes=<have>-`` when resuming)."""
        if not url:
            raise AttachmentDownloadError("the reply has no downloadUrl", step=STEP_DOWNLOAD_LINK)
        self.attempts += 1
        headers = {"Range": f"bytes={self.have}-"} if self.have else {}
        return HttpRequest("GET", url, headers)

    def on_head(self, status: int, headers: Mapping[str, str]) -> int | None:
        """Where the body goes in the file (0: from the start, truncate), or ``None``
        for an error reply. A declared size above :data:`MAX_FILE_SIZE` (the largest
        attachment) is an :class:`AttachmentDownloadError`."""
        start = resume_offset(status, headers, self.have)
        if start is None:
            return None
        length = declared_length(headers)
        self.total = None if length is None else start + length
        if self.total is not None and self.total > MAX_FILE_SIZE:
            raise AttachmentDownloadError(
                f"the server announces {self.total} bytes, more than the largest attachment "
                f"({MAX_FILE_SIZE} bytes)",
                step=STEP_GET,
                attempts=self.attempts,
            )
        self.have = start
        if self._tracker is None:
            self._tracker = Progress(self.total, self._callback)
            self._tracker.start()
        self._tracker.total = self.total
        return start

    def on_chunk(self, count: int) -> None:
        """``count`` more bytes were written. Progress reports only bytes beyond the most
        reported so far (a download restarted from 0 does not go back)."""
        self.have += count
        if self.have > MAX_FILE_SIZE:
            raise AttachmentDownloadError(
                f"the body exceeds the largest attachment ({MAX_FILE_SIZE} bytes)",
                step=STEP_GET,
                attempts=self.attempts,
            )
        assert self._tracker is not None
        gain = self.have - self._tracker.done
        if gain > 0:
            self._tracker.add(gain)

    def on_end(self) -> None:
        """The body ended: a short body is a ``ConnectionClosedError`` for :meth:`on_error`
        (raised here), so it is retried from where it stopped."""
        if self.total is not None and self.have < self.total:
            raise ConnectionClosedError(
                f"the body ended after {self.have} of {self.total} bytes", url=""
            )
        if self.total is not None and self.have > self.total:
            raise AttachmentDownloadError(
                f"the body has more bytes ({self.have}) than announced ({self.total})",
                step=STEP_GET,
                attempts=self.attempts,
            )
        self._policy.on_success(self._state)

    def error_reply(self, status: int, headers: Mapping[str, str], body: bytes) -> ServiceError:
        return presigned_error(HttpResponse(status, dict(headers), body), STEP_GET)

    def on_error(self, error: AWSError) -> float | str:
        """:data:`NEW_URL` for the first expired URL; else seconds to wait before resending;
        raises :class:`AttachmentDownloadError` when the retry policy gives up."""
        if isinstance(error, TransportError):
            error = scrub(error)
        if is_expired_url(error) and not self._new_link:
            self._new_link = True
            return NEW_URL
        self._state.attempts = self.attempts
        delay = decide_retry(self._policy, self._state, error, self._random)
        if delay is None:
            if isinstance(error, ServiceError):
                what = f"HTTP {error.status_code} {error.code}" + (
                    f": {error.message}" if error.message else ""
                )
            else:
                what = f"{type(error).__name__}: {error}"
            raise AttachmentDownloadError(what, step=STEP_GET, attempts=self.attempts) from (
                error if isinstance(error, ServiceError) else None
            )
        return delay


class WholeReply:
    """A complete :class:`HttpResponse` seen through the streaming interface, for a
    transport that has no ``stream`` method (a test's recording transport)."""

    def __init__(self, response: HttpResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self._body = response.body

    def chunks(self, size: int = 64 * 1024) -> Iterator[bytes]:
        for start in range(0, len(self._body), size):
            yield self._body[start : start + size]

    def read(self, limit: int) -> bytes:
        return self._body[:limit]

    def close(self) -> None:
        pass


class AsyncWholeReply(WholeReply):
    """:class:`WholeReply` for an async transport without ``stream``."""

    async def chunks(self, size: int = 64 * 1024) -> AsyncIterator[bytes]:  # type: ignore[override]
        for chunk in WholeReply.chunks(self, size):
            yield chunk

    async def read(self, limit: int) -> bytes:  # type: ignore[override]
        return WholeReply.read(self, limit)
