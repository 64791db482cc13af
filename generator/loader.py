"""Load a service model, its paginators and endpoint rule set.

By service name, through botocore's own ``Loader`` restricted to the data that
ships inside the installed botocore (``~/.aws/models`` is ignored so the
output depends only on the pinned botocore), or from explicit JSON files
(``--model``). Nothing is vendored: the installed botocore is the source of truth.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ModelSources",
    "UnsupportedProtocolError",
    "json_services",
    "load_files",
    "load_service",
    "model_hash",
]

SUPPORTED_PROTOCOLS = ("json",)


class UnsupportedProtocolError(ValueError):
    """The model's protocol is not awsJson (``json``)."""


@dataclass(frozen=True)
class ModelSources:
    """The documents one package is generated from.

    ``service_name`` is botocore's directory name (``support``, ``logs``);
    ``global_region`` is the aws partition's ``partitionEndpoint`` from
    botocore's legacy ``endpoints.json`` (``aws-global`` for Support), used
    when no region is configured, as botocore does. ``legacy_retry`` is the
    ``__default__`` policy of botocore's ``data/_retry.json`` merged with the
    service's section (by ``endpointPrefix``) exactly as botocore's
    ``translate.build_retry_config`` does for the ``legacy`` retry mode.
    """

    service_name: str
    service: dict[str, Any]
    paginators: dict[str, Any]
    ruleset: dict[str, Any] | None
    partitions: dict[str, Any]
    botocore_version: str
    global_region: str | None = None
    legacy_retry: dict[str, Any] | None = None


def _botocore_loader() -> Any:
    import botocore.loaders

    return botocore.loaders.Loader(
        extra_search_paths=[botocore.loaders.Loader.BUILTIN_DATA_PATH],
        include_default_search_paths=False,
    )


def _botocore_version() -> str:
    import botocore

    return str(botocore.__version__)


def check_protocol(service: dict[str, Any], source: str) -> None:
    """Raise :class:`UnsupportedProtocolError` unless the model uses awsJson.

    A model listing several ``protocols`` is accepted when ``json`` is one of them.
    """
    if speaks_json(service):
        return
    protocol = service.get("metadata", {}).get("protocol")
    raise UnsupportedProtocolError(
        f"{source}: protocol {protocol!r} is not supported (only 'json', the awsJson 1.0/1.1 protocol)"
    )


def speaks_json(service: dict[str, Any]) -> bool:
    """True when :func:`check_protocol` accepts the model (``json`` is its protocol or one of them)."""
    metadata = service.get("metadata", {})
    protocols = metadata.get("protocols") or [metadata.get("protocol")]
    return metadata.get("protocol") in SUPPORTED_PROTOCOLS or any(
        p in SUPPORTED_PROTOCOLS for p in protocols
    )


def json_services() -> list[str]:
    """Every botocore service (newest API version) whose model the generator accepts, sorted.

    That is the models whose ``protocol`` is ``json`` plus those whose
    ``protocols`` list names ``json`` after a preferred protocol the generator
    does not speak (``smithy-rpc-v2-cbor`` first, ``json`` second: the service
    accepts awsJson too, so the generated client uses it). Computed once per
    process (it reads every botocore model).
    """
    return list(_json_services())


@functools.cache
def _json_services() -> tuple[str, ...]:
    loader = _botocore_loader()
    names = []
    for name in sorted(loader.list_available_services("service-2")):
        service = loader.load_service_model(name, "service-2")
        if speaks_json(service):
            names.append(name)
    return tuple(names)


def _global_region(loader: Any, service: dict[str, Any]) -> str | None:
    prefix = service["metadata"].get("endpointPrefix")
    if not prefix:
        return None
    endpoints = loader.load_data("endpoints")
    for partition in endpoints.get("partitions", []):
        if partition.get("partition") == "aws":
            svc = partition.get("services", {}).get(prefix, {})
            value = svc.get("partitionEndpoint")
            return str(value) if value else None
    return None


def load_service(name: str, api_version: str | None = None) -> ModelSources:
    """Load ``service-2``, ``paginators-1`` and ``endpoint-rule-set-1`` for ``name`` from botocore."""
    from botocore.exceptions import DataNotFoundError

    loader = _botocore_loader()
    try:
        version = api_version or loader.determine_latest_version(name, "service-2")
    except DataNotFoundError:
        raise ValueError(f"botocore {_botocore_version()} has no service named {name!r}") from None
    service = loader.load_service_model(name, "service-2", version)
    check_protocol(service, f"service {name!r}")
    try:
        paginators = loader.load_service_model(name, "paginators-1", version)
    except DataNotFoundError:
        paginators = {"pagination": {}}
    try:
        ruleset = loader.load_service_model(name, "endpoint-rule-set-1", version)
    except DataNotFoundError:
        ruleset = None
    return _sources(loader, name, service, paginators, ruleset)


def load_files(
    model_path: str | os.PathLike[str],
    paginators_path: str | os.PathLike[str] | None = None,
    ruleset_path: str | os.PathLike[str] | None = None,
    service_name: str | None = None,
) -> ModelSources:
    """Load a model from JSON files (plain or gzipped, as botocore ships them: ``*.json.gz``).
    Paginators and rule set default to ``paginators-1.json[.gz]`` and
    ``endpoint-rule-set-1.json[.gz]`` next to the model when present; without a rule set
    the generated client needs ``endpoint_url``. ``service_name`` defaults to the folder two levels up
    (``<name>/<api-version>/service-2.json``), else the model's ``endpointPrefix``.
    Partition data and the global region (``partitionEndpoint``, looked up by
    ``endpointPrefix``) come from the installed botocore, as for :func:`load_service`."""
    path = Path(model_path)
    service = _read_json(path)
    check_protocol(service, str(path))
    pag = Path(paginators_path) if paginators_path else _sibling(path, "paginators-1.json")
    rules = Path(ruleset_path) if ruleset_path else _sibling(path, "endpoint-rule-set-1.json")
    paginators = _read_json(pag) if pag is not None and pag.is_file() else {"pagination": {}}
    ruleset = _read_json(rules) if rules is not None and rules.is_file() else None
    if service_name is None:
        parent = path.resolve().parent
        if parent.name == service["metadata"].get("apiVersion"):
            service_name = parent.parent.name
        else:
            service_name = str(service["metadata"].get("endpointPrefix") or path.stem)
    return _sources(_botocore_loader(), service_name, service, paginators, ruleset)


def _sources(
    loader: Any,
    name: str,
    service: dict[str, Any],
    paginators: dict[str, Any],
    ruleset: dict[str, Any] | None,
) -> ModelSources:
    """The model documents plus what always comes from the installed botocore: partition
    data, its version, and the global region (``partitionEndpoint``)."""
    return ModelSources(
        service_name=name,
        service=service,
        paginators=paginators,
        ruleset=ruleset,
        partitions=loader.load_data("partitions"),
        botocore_version=_botocore_version(),
        global_region=_global_region(loader, service),
        legacy_retry=_legacy_retry(loader, service),
    )


def _legacy_retry(loader: Any, service: dict[str, Any]) -> dict[str, Any] | None:
    """``_retry.json`` resolved for the service (botocore ``client._register_legacy_retries``)."""
    import copy

    from botocore.translate import build_retry_config  # type: ignore[import-untyped]

    data = loader.load_data("_retry")
    if not data:
        return None
    data = copy.deepcopy(data)  # build_retry_config resolves $ref in place
    prefix = service["metadata"].get("endpointPrefix") or ""
    config = build_retry_config(prefix, data.get("retry", {}), data.get("definitions", {}))
    return dict(config["__default__"])


def _read_json(path: Path) -> Any:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # gzip magic: botocore ships its models gzipped
        data = gzip.decompress(data)
    return json.loads(data.decode("utf-8"))


def _sibling(model: Path, name: str) -> Path | None:
    for candidate in (model.with_name(name), model.with_name(name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def model_hash(sources: ModelSources) -> str:
    """SHA-256 over the canonical JSON of the service model, paginators and rule set."""
    digest = hashlib.sha256()
    for doc in (sources.service, sources.paginators, sources.ruleset):
        digest.update(json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()
