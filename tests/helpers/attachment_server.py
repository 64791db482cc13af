"""A local server (127.0.0.1, port 0) that plays AWS Support's attachment workflow.

It answers the awsJson 1.1 operations of the workflow (``GetAttachmentUploadLinks``,
``CompleteAttachmentUpload``, ``DescribeAttachmentUploadStatus``,
``GetAttachmentDownloadLink``, plus ``CreateCase`` and ``DescribeCommunications``
to attach and find an upload) with the shapes of the botocore 1.44.8 model, and
the presigned endpoints they hand out: ``PUT /upload/<upload id>/<part>?X-Amz-...``
(S3-like: ``ETag`` header, XML errors) and ``GET /download/<attachment id>?X-Amz-...``
(``Range`` supported). URLs are http, on this server.

Faults are scripted through attributes: ``fail_once`` (parts whose first PUT
gets HTTP 500 ``InternalError``), ``expire_first_url`` (parts whose first URL
is refused with 403 "Request has expired"), ``past_expiry`` (parts whose first
URL carries an ``expiryDate`` in the past), ``not_ready_polls`` (status polls
answering ``attachment-not-ready`` before ``final_status``), ``final_status``,
``cut_download_once`` (the first GET sends half the body and closes), ``hold_puts``
(an event every PUT waits for before it is stored).
Every request is counted in ``counts`` (by operation name, ``PUT`` and ``GET``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

_TARGET = "AWSSupport_20130415."


@dataclass
class Upload:
    upload_id: str
    file_name: str
    size: int
    part_size: int
    total: int
    parts: dict[int, bytes] = field(default_factory=dict)
    etags: dict[int, str] = field(default_factory=dict)
    completed: list[dict[str, Any]] | None = None
    polls: int = 0


class AttachmentServer:
    def __init__(self, *, part_size: int = 5 * 1024 * 1024, urls_per_call: int = 10) -> None:
        self.part_size = part_size
        self.urls_per_call = urls_per_call
        self.fail_once: set[int] = set()
        self.expire_first_url: set[int] = set()
        self.past_expiry: set[int] = set()
        self.not_ready_polls = 1
        self.final_status = "attachment-ready"
        self.cut_download_once = False
        self.hold_puts: threading.Event | None = None  # PUTs wait for it (cancellation tests)
        self.counts: Counter[str] = Counter()
        self.uploads: dict[str, Upload] = {}
        self.attachments: dict[str, tuple[str, bytes]] = {}
        self.cases: dict[str, list[str]] = {}
        self.requests: list[tuple[str, str, dict[str, Any]]] = []  # (kind, path, json body)
        self.in_flight = 0
        self.max_in_flight = 0
        self.put_sizes: list[int] = []
        self._tokens: dict[str, tuple[str, int, bool]] = {}  # token -> (upload id, part, expired)
        self._first_url_given: set[tuple[str, int]] = set()
        self._failed: set[tuple[str, int]] = set()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # ------------------------------------------------------------------ Support operations

    def _op(self, name: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        handler = getattr(self, "_op_" + name, None)
        if handler is None:
            return 400, {"__type": "UnknownOperationException", "message": name}
        result: tuple[int, dict[str, Any]] = handler(body)
        return result

    def _error(self, code: str, message: str, status: int = 400) -> tuple[int, dict[str, Any]]:
        return status, {"__type": code, "message": message}

    def _op_GetAttachmentUploadLinks(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        upload_id = body.get("uploadId")
        if upload_id is None:
            size = int(body["fileSizeBytes"])
            upload_id = "upload-" + uuid.uuid4().hex
            total = -(-size // self.part_size)
            self.uploads[upload_id] = Upload(upload_id, body["fileName"], size, self.part_size, total)
        upload = self.uploads.get(upload_id)
        if upload is None:
            return self._error("UploadIdNotFound", "no such upload")
        rng = body.get("uploadRange") or {"startIndex": 1}
        start = int(rng["startIndex"])
        end = int(rng.get("endIndex") or start + self.urls_per_call)
        if end - start > 10:
            return self._error("ValidationException", "uploadRange spans more than 10 parts")
        end = min(end, start + self.urls_per_call, upload.total + 1)
        now = dt.datetime.now(dt.timezone.utc)
        urls = []
        for index in range(start, end):
            key = (upload_id, index)
            first = key not in self._first_url_given
            self._first_url_given.add(key)
            token = uuid.uuid4().hex
            expired = first and index in self.expire_first_url
            self._tokens[token] = (upload_id, index, expired)
            expiry = now - dt.timedelta(minutes=5) if first and index in self.past_expiry else now + dt.timedelta(minutes=15)
            urls.append(
                {
                    "url": f"{self.url}/upload/{upload_id}/{index}?X-Amz-Signature={token}&X-Amz-Expires=900",
                    "partIndex": index,
                    "expiryDate": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
            )
        reply = {
            "uploadId": upload_id,
            "partSizeBytes": upload.part_size,
            "totalParts": upload.total,
            "uploadUrls": urls,
        }
        if end <= upload.total:
            reply["nextIndex"] = end
        return 200, reply

    def _op_CompleteAttachmentUpload(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        upload = self.uploads.get(body["uploadId"])
        if upload is None:
            return self._error("UploadIdNotFound", "no such upload")
        upload.completed = body["completedUploads"]
        expected = [{"partIndex": i, "eTag": upload.etags.get(i)} for i in range(1, upload.total + 1)]
        if upload.completed != expected:
            return self._error("ValidationException", "parts or ETags do not match what was uploaded")
        data = b"".join(upload.parts[i] for i in range(1, upload.total + 1))
        self.attachments["attachment-" + upload.upload_id] = (upload.file_name, data)
        return 200, {"uploadStatus": "attachment-not-ready"}

    def _op_DescribeAttachmentUploadStatus(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        upload = self.uploads.get(body["uploadId"])
        if upload is None:
            return self._error("UploadIdNotFound", "no such upload")
        upload.polls += 1
        status = "attachment-not-ready" if upload.polls <= self.not_ready_polls else self.final_status
        return 200, {
            "uploadStatus": status,
            "fileName": upload.file_name,
            "uploadProgress": {"totalParts": upload.total, "completedPartsCount": len(upload.parts)},
        }

    def _op_CreateCase(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        case_id = "case-12345678910-2026-" + uuid.uuid4().hex[:16]
        ids = []
        for upload_id in body.get("uploadIds") or []:
            if "attachment-" + upload_id not in self.attachments:
                return self._error("UploadIdNotFound", f"upload {upload_id} is not ready")
            ids.append("attachment-" + upload_id)
        self.cases[case_id] = ids
        return 200, {"caseId": case_id}

    def _op_DescribeCommunications(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        ids = self.cases.get(body["caseId"])
        if ids is None:
            return self._error("CaseIdNotFound", "no such case")
        attachments = [{"attachmentId": a, "fileName": self.attachments[a][0]} for a in ids]
        return 200, {
            "communications": [
                {"caseId": body["caseId"], "body": "opened", "attachmentSet": attachments}
            ]
        }

    def _op_GetAttachmentDownloadLink(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        attachment_id = body["attachmentId"]
        if attachment_id not in self.attachments:
            return self._error("AttachmentIdNotFound", "no such attachment")
        expiry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=15)
        return 200, {
            "fileName": self.attachments[attachment_id][0],
            "downloadUrl": {
                "url": f"{self.url}/download/{attachment_id}?X-Amz-Signature={uuid.uuid4().hex}",
                "expiryDate": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        }

    # ------------------------------------------------------------------ presigned endpoints

    def _put(self, path: str, query: str, data: bytes) -> tuple[int, dict[str, str], bytes]:
        match = re.fullmatch(r"/upload/([^/]+)/(\d+)", path)
        token = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("X-Amz-Signature", "")
        known = self._tokens.get(token)
        if match is None or known is None or known[:2] != (match.group(1), int(match.group(2))):
            return 403, {}, _s3_error("SignatureDoesNotMatch", "The request signature we calculated does not match")
        upload_id, index, expired = known
        if expired:
            return 403, {}, _s3_error("AccessDenied", "Request has expired")
        key = (upload_id, index)
        if index in self.fail_once and key not in self._failed:
            self._failed.add(key)
            return 500, {}, _s3_error("InternalError", "We encountered an internal error. Please try again.")
        upload = self.uploads[upload_id]
        upload.parts[index] = data
        etag = '"' + hashlib.md5(data).hexdigest() + '"'  # S3's part ETag
        upload.etags[index] = etag
        self.put_sizes.append(len(data))
        return 200, {"ETag": etag}, b""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _send(self, status: int, headers: dict[str, str], body: bytes, *, length: int | None = None) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = self._body()
                op = self.headers.get("X-Amz-Target", "").removeprefix(_TARGET)
                payload = json.loads(body or b"{}")
                with server._lock:
                    server.counts[op] += 1
                    server.requests.append((op, self.path, payload))
                    status, reply = server._op(op, payload)
                self._send(
                    status,
                    {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": str(uuid.uuid4())},
                    json.dumps(reply).encode(),
                )

            def do_PUT(self) -> None:
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    data = self._body()
                    if server.hold_puts is not None:
                        server.hold_puts.wait(10)
                    path, _, query = self.path.partition("?")
                    with server._lock:
                        server.counts["PUT"] += 1
                        server.requests.append(("PUT", path, {"size": len(data)}))
                        status, headers, body = server._put(path, query, data)
                    if status == 200:
                        threading.Event().wait(0.02)  # let concurrent PUTs overlap
                    self._send(status, headers, body)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def do_GET(self) -> None:
                path, _, _ = self.path.partition("?")
                with server._lock:
                    server.counts["GET"] += 1
                    server.requests.append(("GET", path, {"range": self.headers.get("Range")}))
                match = re.fullmatch(r"/download/([^/]+)", path)
                found = server.attachments.get(match.group(1)) if match else None
                if found is None:
                    self._send(404, {}, _s3_error("NoSuchKey", "The specified key does not exist."))
                    return
                data = found[1]
                start = 0
                rng = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
                headers = {"Content-Type": "application/octet-stream", "ETag": '"x"'}
                status = 200
                if rng:
                    start = int(rng.group(1))
                    status = 206
                    headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
                body = data[start:]
                if server.cut_download_once:
                    server.cut_download_once = False
                    self._send(status, headers, body[: len(body) // 2], length=len(body))
                    self.close_connection = True
                    return
                self._send(status, headers, body)

        return Handler


def _s3_error(code: str, message: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
        f"<Message>{message}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>"
    ).encode()
