"""Request body compression for operations with the ``requestcompression`` trait.

Smithy's ``@requestCompression`` trait (botocore: the operation's
``requestcompression.encodings``) lets a client compress large request
bodies. As botocore does (``botocore/compress.py``): the first encoding of the
operation's list that the client supports is used, only when the body has at
least ``min_size`` bytes and compression is not disabled; the encoding is
appended to any existing ``Content-Encoding`` header. Only ``gzip`` is
supported. Compression happens before signing, so the payload hash and
``Content-Length`` cover the compressed bytes actually sent.
"""

from __future__ import annotations

from collections.abc import Sequence

from .http import HttpRequest

__all__ = ["DEFAULT_MIN_COMPRESSION_SIZE", "MAX_MIN_COMPRESSION_SIZE", "SUPPORTED_ENCODINGS", "compress_request"]

DEFAULT_MIN_COMPRESSION_SIZE = 10240
"""Bytes; botocore's default ``request_min_compression_size_bytes``."""
MAX_MIN_COMPRESSION_SIZE = 10485760
"""The largest allowed ``request_min_compression_size_bytes`` (10 MiB), as in botocore."""
SUPPORTED_ENCODINGS = ("gzip",)


def compress_request(request: HttpRequest, encodings: Sequence[str], min_size: int) -> None:
    """Compress ``request.body`` in place with the first supported encoding.

    Does nothing when none of ``encodings`` is supported or the body is
    smaller than ``min_size`` bytes. gzip output uses ``mtime=0`` so the same
    body always gives the same bytes (and the same signature).
    """
    if len(request.body) < min_size:
        return
    for encoding in encodings:
        if encoding == "gzip":
            import gzip  # lazy: most services never compress, and clients start faster

            request.body = gzip.compress(request.body, mtime=0)
            existing = request.headers.get("Content-Encoding")
            request.headers["Content-Encoding"] = f"{existing},gzip" if existing else "gzip"
            return
