"""AWS Signature Version 4 (header signing), sans-IO.

Follows the AWS SigV4 specification ("Create a signed AWS API request" in the
IAM user guide) and matches ``botocore.auth.SigV4Auth`` for non-S3 services:

1. canonical request = method, canonical URI (dot segments removed, each
   segment URI-encoded again), canonical query (pairs encoded with the
   unreserved set ``A-Za-z0-9-_.~`` and sorted by key, then value), canonical
   headers (names lower-cased and sorted, values trimmed with inner
   whitespace collapsed, repeated headers joined with ``,``), the signed
   header list and the hex SHA-256 of the payload;
2. string to sign = ``AWS4-HMAC-SHA256``, the ``X-Amz-Date`` time, the scope
   ``<yyyymmdd>/<region>/<service>/aws4_request`` and the hex SHA-256 of the
   canonical request;
3. signing key = HMAC-SHA256 chain ``"AWS4" + secret`` → date → region →
   service → ``aws4_request``; signature = hex HMAC of the string to sign.

The signer adds ``X-Amz-Date``, ``X-Amz-Security-Token`` (when the
credentials carry a session token, before signing, so it is signed) and
``Authorization``. Headers botocore never signs (``user-agent``,
``expect``, ``x-amzn-trace-id`` and the hop-by-hop headers) are skipped.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from .credentials import Credentials
from .http import HttpRequest

__all__ = [
    "ALGORITHM",
    "SigV4Signer",
    "SigningResult",
    "canonical_headers",
    "canonical_query_string",
    "canonical_request",
    "canonical_uri",
    "derive_signing_key",
    "string_to_sign",
]

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

# Headers botocore's SigV4Auth leaves out of the signature (auth.py SIGNED_HEADERS_BLACKLIST
# plus hop-by-hop headers a proxy may rewrite).
UNSIGNED_HEADERS = frozenset(
    {
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
        "authorization",
    }
)


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, plus collapsing empty segments (``//``) as AWS requires."""
    if not path:
        return "/"
    out: list[str] = []
    for segment in path.split("/"):
        if not segment or segment == ".":
            continue
        if segment == "..":
            if out:
                out.pop()
        else:
            out.append(segment)
    result = "/" + "/".join(out)
    if path.endswith("/") and out:
        result += "/"
    return result


def canonical_uri(path: str) -> str:
    """Normalize ``path`` and URI-encode it again (non-S3 services double-encode)."""
    return quote(remove_dot_segments(path), safe="/~")


def canonical_query_string(query: str) -> str:
    """Encode each ``key=value`` pair of a query string and sort by key, then value.

    Each key and value is percent-decoded first and then encoded with the
    unreserved set, so raw (``ሴ``) and already-encoded (``%E1%88%B4``) input
    give the same canonical form (AWS test suite ``get-vanilla-utf8-query`` and
    ``get-vanilla-query-order-encoded``). ``+`` is kept as a literal plus.
    """
    if not query:
        return ""
    pairs: list[tuple[str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((quote(unquote(key), safe="-_.~"), quote(unquote(value), safe="-_.~")))
    pairs.sort()
    return "&".join(f"{k}={v}" for k, v in pairs)


def canonical_headers(headers: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """Return ``(canonical_headers_block, signed_headers)`` for the given header pairs.

    Names are lower-cased; values are trimmed and inner runs of whitespace
    collapsed to one space; a header given several times has its values joined
    with ``,`` in the order given. Unsigned headers are skipped.
    """
    merged: dict[str, list[str]] = {}
    for name, value in headers:
        lname = name.lower().strip()
        if lname in UNSIGNED_HEADERS:
            continue
        merged.setdefault(lname, []).append(" ".join(value.split()))
    names = sorted(merged)
    block = "".join(f"{n}:{','.join(merged[n])}\n" for n in names)
    return block, ";".join(names)


def canonical_request(
    method: str,
    path: str,
    query: str,
    headers: Iterable[tuple[str, str]],
    payload_hash: str,
) -> tuple[str, str]:
    """Return ``(canonical_request, signed_headers)``."""
    block, signed = canonical_headers(headers)
    creq = "\n".join(
        [method.upper(), canonical_uri(path), canonical_query_string(query), block, signed, payload_hash]
    )
    return creq, signed


def string_to_sign(amz_date: str, scope: str, creq: str) -> str:
    """``AWS4-HMAC-SHA256\\n<amz_date>\\n<scope>\\n<hex sha256 of the canonical request>``."""
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{_sha256_hex(creq.encode('utf-8'))}"


def derive_signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    """HMAC chain ``"AWS4"+secret`` → date (yyyymmdd) → region → service → ``aws4_request``."""
    k = _hmac(("AWS4" + secret_key).encode("utf-8"), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


@dataclass(frozen=True, slots=True)
class SigningResult:
    """What :meth:`SigV4Signer.sign` computed: the canonical request, the string
    to sign and the ``Authorization`` header value it set."""

    canonical_request: str
    string_to_sign: str
    authorization: str


class SigV4Signer:
    """Signs :class:`HttpRequest` objects in place for one service and region.

    ``service`` is the signing name (e.g. ``support``) and ``region`` the signing
    region from endpoint resolution (e.g. ``us-east-1``). The derived signing key
    is cached per (secret, day, region, service). Thread-safe.
    """

    __slots__ = ("_key_cache", "region", "service")

    def __init__(self, service: str, region: str) -> None:
        self.service = service
        self.region = region
        self._key_cache: tuple[str, str, bytes] | None = None

    def __repr__(self) -> str:
        return f"SigV4Signer(service={self.service!r}, region={self.region!r})"

    def _signing_key(self, secret_key: str, date: str) -> bytes:
        cached = self._key_cache
        if cached is not None and cached[0] == date and hmac.compare_digest(cached[1], secret_key):
            return cached[2]
        key = derive_signing_key(secret_key, date, self.region, self.service)
        self._key_cache = (date, secret_key, key)
        return key

    def sign(
        self,
        request: HttpRequest,
        credentials: Credentials,
        now: _dt.datetime | None = None,
        *,
        extra_headers: Sequence[tuple[str, str]] = (),
    ) -> SigningResult:
        """Add ``X-Amz-Date``, the session token header and ``Authorization`` to ``request``.

        ``now`` is the signing time (UTC; default: the current time). Any old
        ``Authorization`` header is replaced. ``extra_headers`` are signed as if
        present on the request (used by tests to sign repeated headers).
        Only headers present at signing time are covered by the signature.
        Returns the intermediate values (canonical request, string to sign) with
        the header, for debugging and conformance tests.
        """
        if now is None:
            now = _dt.datetime.now(_dt.timezone.utc)
        elif now.tzinfo is not None:
            now = now.astimezone(_dt.timezone.utc)
        amz_date = now.strftime("%Y%m%dT%H%M%SZ")
        date = amz_date[:8]
        headers = request.headers
        for name in [n for n in headers if n.lower() in ("authorization", "x-amz-date", "x-amz-security-token")]:
            del headers[name]
        headers["X-Amz-Date"] = amz_date
        if credentials.token:
            headers["X-Amz-Security-Token"] = credentials.token
        parts = urlsplit(request.url)
        pairs = list(headers.items())
        if not any(n.lower() == "host" for n, _ in pairs):
            pairs.append(("host", _host_header(parts.scheme, parts.hostname or "", parts.port)))
        pairs.extend(extra_headers)
        creq, signed = canonical_request(
            request.method, parts.path or "/", parts.query, pairs, _sha256_hex(request.body)
        )
        scope = f"{date}/{self.region}/{self.service}/aws4_request"
        sts = string_to_sign(amz_date, scope, creq)
        signature = hmac.new(
            self._signing_key(credentials.secret_key, date), sts.encode("utf-8"), hashlib.sha256
        ).hexdigest()
        authorization = (
            f"{ALGORITHM} Credential={credentials.access_key}/{scope}, "
            f"SignedHeaders={signed}, Signature={signature}"
        )
        headers["Authorization"] = authorization
        return SigningResult(creq, sts, authorization)


def _host_header(scheme: str, hostname: str, port: int | None) -> str:
    """Host as botocore derives it: lower-case name, port kept unless it is the scheme default."""
    host = hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and not (
        (scheme == "https" and port == 443) or (scheme == "http" and port == 80)
    ):
        return f"{host}:{port}"
    return host
