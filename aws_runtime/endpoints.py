"""Functions that compiled endpoint rule sets call, and the resolved endpoint value.

The generator compiles each service's ``endpoint-rule-set-1`` into plain Python
(``<package>/endpoints.py``); there is no rules interpreter at run time. The
compiled code calls the standard library functions of the Smithy rules
language defined here: ``aws.partition``, ``aws.parseArn``,
``aws.isVirtualHostableS3Bucket``, ``isValidHostLabel``, ``parseURL``,
``substring``, ``uriEncode``, ``split``, and the ``getAttr`` path lookup.
Semantics follow the Smithy "Rules engine" specification and botocore's
``endpoint_provider.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from .errors import EndpointResolutionError

__all__ = [
    "Endpoint",
    "EndpointResolutionError",
    "get_attr",
    "is_valid_host_label",
    "is_virtual_hostable_s3_bucket",
    "parse_arn",
    "parse_url",
    "partition",
    "split",
    "substring",
    "uri_encode",
]


@dataclass(frozen=True)
class Endpoint:
    """A resolved endpoint: URL, properties (e.g. ``authSchemes``) and extra headers."""

    url: str
    properties: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def _sigv4_scheme(self) -> Mapping[str, Any] | None:
        """The auth scheme this client signs with: the first ``sigv4`` entry of
        ``authSchemes``. SigV4a entries are skipped, as botocore skips them
        without its optional CRT signer (``regions.EndpointRulesetResolver.
        auth_schemes_to_signing_ctx`` picks the first scheme it can sign)."""
        for scheme in self.properties.get("authSchemes", ()):
            if scheme.get("name") == "sigv4":
                return scheme  # type: ignore[no-any-return]
        return None

    @property
    def signing_region(self) -> str | None:
        """``signingRegion`` of the first SigV4 auth scheme, if the rule set sets one."""
        scheme = self._sigv4_scheme()
        region = scheme.get("signingRegion") if scheme is not None else None
        return str(region) if region else None

    @property
    def signing_name(self) -> str | None:
        """``signingName`` of the first SigV4 auth scheme, if the rule set sets one."""
        scheme = self._sigv4_scheme()
        name = scheme.get("signingName") if scheme is not None else None
        return str(name) if name else None

    @property
    def unsupported_auth(self) -> str | None:
        """Why this endpoint cannot be used, or None: its ``authSchemes`` list only
        schemes other than SigV4 (EventBridge global endpoints: SigV4a only, for
        which botocore without the CRT raises ``MissingDependencyException``)."""
        schemes = self.properties.get("authSchemes")
        if not schemes or self._sigv4_scheme() is not None:
            return None
        names = ", ".join(str(s.get("name")) for s in schemes)
        return f"the endpoint requires the auth scheme(s) {names}; this client signs only with SigV4"


def partition(partitions: Sequence[Mapping[str, Any]], region: str | None) -> dict[str, Any]:
    """``aws.partition``: the partition outputs for ``region`` plus ``name``.

    Lookup order (botocore ``RuleSetStandardLibrary.aws_partition``): a region
    listed explicitly by a partition, then the first partition whose
    ``regionRegex`` matches, else the first partition (``aws``). Region-level
    overrides in the data replace the partition's outputs.
    """
    if region is not None:
        for part in partitions:
            if region in part["regions"]:
                return _partition_result(part, region)
        for part in partitions:
            if re.match(part["regionRegex"], region):
                return _partition_result(part, region)
    return _partition_result(partitions[0], region)


def _partition_result(part: Mapping[str, Any], region: str | None) -> dict[str, Any]:
    result = dict(part["outputs"])
    overrides = part["regions"].get(region) if region is not None else None
    if overrides:
        result.update({k: v for k, v in overrides.items() if k != "description"})
    result["name"] = part["id"]
    return result


_HOST_LABEL = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$")


def is_valid_host_label(value: str | None, allow_subdomains: bool) -> bool:
    """``isValidHostLabel``: 1-63 letters, digits or ``-``, not starting with ``-``;
    with ``allow_subdomains``, several such labels joined by ``.``."""
    if value is None:
        return False
    labels = value.split(".") if allow_subdomains else [value]
    return all(_HOST_LABEL.match(label) for label in labels)


_IPV4 = re.compile(r"^(\d{1,3}\.){3}\d{1,3}$")


def parse_url(value: str | None) -> dict[str, Any] | None:
    """``parseURL``: scheme, authority, path, normalizedPath and isIp; ``None`` if not a
    plain http(s) URL (query strings are rejected, as the spec requires)."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.query or parts.fragment or parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.hostname or ""
    is_ip = bool(_IPV4.match(host)) or parts.netloc.startswith("[")
    path = parts.path
    normalized = path if path.endswith("/") else path + "/"
    if not normalized.startswith("/"):
        normalized = "/" + normalized
    return {
        "scheme": parts.scheme,
        "authority": parts.netloc,
        "path": path,
        "normalizedPath": normalized,
        "isIp": is_ip,
    }


def substring(value: str | None, start: int, stop: int, reverse: bool) -> str | None:
    """``substring``: ASCII-only ``value[start:stop]`` (counted from the end when
    ``reverse``); ``None`` when out of range or not ASCII."""
    if value is None or not value.isascii() or start >= stop or len(value) < stop:
        return None
    if reverse:
        return value[len(value) - stop : len(value) - start]
    return value[start:stop]


def uri_encode(value: str | None) -> str | None:
    """``uriEncode``: percent-encode everything but ``A-Za-z0-9-_.~``."""
    if value is None:
        return None
    return quote(value, safe="-_.~")


def split(value: str | None, delimiter: str, limit: int) -> list[str] | None:
    """``split``: like ``str.split``; ``limit`` 0 means no limit, else at most ``limit`` parts."""
    if value is None:
        return None
    if limit == 0:
        return value.split(delimiter)
    return value.split(delimiter, limit - 1)


def parse_arn(value: str | None) -> dict[str, Any] | None:
    """``aws.parseArn``: ``arn:partition:service:region:account:resource`` → parts, or ``None``."""
    if value is None or not value.startswith("arn:"):
        return None
    parts = value.split(":", 5)
    if len(parts) != 6 or not parts[1] or not parts[2] or not parts[5]:
        return None
    return {
        "partition": parts[1],
        "service": parts[2],
        "region": parts[3],
        "accountId": parts[4],
        "resourceId": re.split(r"[:/]", parts[5]),
    }


_S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9\-]{1,61}[a-z0-9]$")


def is_virtual_hostable_s3_bucket(value: str | None, allow_subdomains: bool) -> bool:
    """``aws.isVirtualHostableS3Bucket``: a DNS-compatible bucket name that is not an IP."""
    if value is None:
        return False
    labels = value.split(".") if allow_subdomains else [value]
    if _IPV4.match(value):
        return False
    return all(_S3_BUCKET.match(label) for label in labels)


_PATH_PART = re.compile(r"([^\[\].]+)|\[(\d+)\]")


def get_attr(value: Any, path: str) -> Any:
    """``getAttr``: follow ``a.b[0]`` through dicts and lists; ``None`` when a step is missing."""
    current = value
    for name, index in _PATH_PART.findall(path):
        if current is None:
            return None
        if name:
            current = current.get(name) if isinstance(current, Mapping) else None
        else:
            i = int(index)
            current = current[i] if isinstance(current, list) and i < len(current) else None
    return current


def no_rule_matched() -> EndpointResolutionError:
    """The error raised when a rule set's rules fall through."""
    return EndpointResolutionError("No endpoint rule matched the given parameters")
