"""Run botocore's protocol test files through the generator.

Each case becomes a one-operation service model (the suite's ``metadata`` and
``shapes`` plus the case's ``given`` operation), which goes through the same
pipeline as ``make generate``: a ``service-2.json`` file on disk →
:func:`generator.loader.load_files` → :func:`generator.build.build_service` →
:func:`generator.writer.generate_files` → :func:`generator.writer.write_package`.
The generated package is imported and called with a :class:`FakeTransport`
that records the request and returns a canned reply.

Cases of one suite that share their operation are generated once; packages
are cached by the SHA-256 of the model, so an input suite and an output
suite with the same model share one package too.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import importlib
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec

from aws_runtime.http import HttpRequest, HttpResponse
from generator.build import build_service
from generator.ir import ServiceIR
from generator.loader import load_files
from generator.writer import generate_files, write_package

JSON_FILES = (
    "input/json.json",
    "output/json.json",
    "input/json_1_0.json",
    "output/json_1_0.json",
    "input/json_1_0-query-compatible.json",
    "output/json_1_0-query-compatible.json",
    "legacy/input/json.json",
    "legacy/output/json.json",
)


@dataclass(frozen=True)
class Case:
    """One protocol test case with what it needs from its suite."""

    file: str  # relative to botocore-protocols/
    case_id: str
    suite: dict[str, Any] = field(repr=False, compare=False)
    case: dict[str, Any] = field(repr=False, compare=False)

    @property
    def is_input(self) -> bool:
        return "serialized" in self.case

    @property
    def operation(self) -> str:
        return str(self.case["given"].get("name") or "OperationName")


def load_cases(root: Path) -> list[Case]:
    """Every case of the JSON-protocol files, ids unique per file.

    Legacy cases have no ``id``; they are named ``<suite index>.<case index>``
    plus the suite description.
    """
    cases: list[Case] = []
    for rel in JSON_FILES:
        suites = json.loads((root / rel).read_text(encoding="utf-8"))
        for si, suite in enumerate(suites):
            for ci, case in enumerate(suite["cases"]):
                cid = case.get("id") or f"{si}.{ci} {suite['description']}"
                cases.append(Case(rel, cid, suite, case))
    return cases


def model_for(case: Case) -> dict[str, Any]:
    """The service-2 model of one case: suite metadata and shapes, one operation."""
    given = dict(case.case["given"])
    name = case.operation
    given["name"] = name
    return {
        "version": "2.0",
        "metadata": dict(case.suite["metadata"]),
        "shapes": case.suite["shapes"],
        "operations": {name: given},
        "documentation": case.suite["description"],
    }


def _model_hash(model: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(model, sort_keys=True).encode()).hexdigest()


@dataclass
class Generated:
    """A generated, imported package and the IR it came from."""

    ir: ServiceIR
    package: ModuleType
    client_cls: type[Any]
    models: ModuleType
    errors: ModuleType


class Generator:
    """Generates (once per model hash) and imports packages under ``out_dir``."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.cache: dict[str, Generated] = {}
        out_dir.mkdir(parents=True, exist_ok=True)
        if str(out_dir) not in sys.path:
            sys.path.insert(0, str(out_dir))

    def get(self, model: dict[str, Any]) -> Generated:
        digest = _model_hash(model)
        hit = self.cache.get(digest)
        if hit is not None:
            return hit
        name = f"proto_{digest[:12]}"
        model_dir = self.out_dir / "_models" / name
        model_dir.mkdir(parents=True, exist_ok=True)
        model_path = model_dir / "service-2.json"
        model_path.write_text(json.dumps(model, indent=1), encoding="utf-8")
        sources = load_files(model_path, service_name=name)
        ir = build_service(sources, package=name)
        write_package(generate_files(ir), self.out_dir / name)
        importlib.invalidate_caches()
        package = importlib.import_module(name)
        client_mod = importlib.import_module(f"{name}.client")
        gen = Generated(
            ir=ir,
            package=package,
            client_cls=getattr(client_mod, ir.client_class),
            models=importlib.import_module(f"{name}.models"),
            errors=importlib.import_module(f"{name}.errors"),
        )
        self.cache[digest] = gen
        return gen


class FakeTransport:
    """Records every request and answers each with the same canned reply."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return self.response

    def close(self) -> None:
        pass


def plain(value: Any) -> Any:
    """A comparable form of a parsed value: models (msgspec Structs) become dicts
    without ``None`` members (botocore drops them), enums their value, datetimes
    epoch floats, NaN the string ``"NaN"``; ``None`` inside lists and maps stays."""
    if isinstance(value, msgspec.Struct):
        out = {}
        for f in msgspec.structs.fields(value):
            v = getattr(value, f.name)
            if v is not None:
                out[f.name] = plain(v)
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, "timestamps must be timezone-aware"
        return value.timestamp()
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
