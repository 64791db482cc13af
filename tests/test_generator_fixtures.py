"""Generator unit tests on a small fixture model covering every shape kind and naming rule.

The fixture (tests/fixtures/models/kitchen) has reserved member names (``id``,
``type``, ``from``, ``self``, ``list``), structures named ``Type`` and
``Exception``, an operation named ``Close``, recursion, nested lists and maps,
a union, a document, an enum, every scalar type, an idempotency token, a
renamed (locationName) member and an error with a ``code`` member. Expected
output lives in tests/fixtures/expected/aws_kitchen; refresh it with
``UPDATE_EXPECTED=1 pytest tests/test_generator_fixtures.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from aws_runtime.http import HttpRequest, HttpResponse
from generator.build import build_service
from generator.loader import load_files
from generator.writer import diff_package, generate_files, write_package

FIXTURES = Path(__file__).parent / "fixtures"
MODEL = FIXTURES / "models" / "kitchen" / "2020-01-01" / "service-2.json"
EXPECTED = FIXTURES / "expected" / "aws_kitchen"


@pytest.fixture(scope="module")
def kitchen_files() -> dict[str, str]:
    return generate_files(build_service(load_files(MODEL)))


def test_output_matches_expected_files(kitchen_files: dict[str, str]) -> None:
    if os.environ.get("UPDATE_EXPECTED") == "1":
        write_package(kitchen_files, EXPECTED)
    diff = diff_package(kitchen_files, EXPECTED)
    assert not diff, f"fixture output changed; review and refresh with UPDATE_EXPECTED=1:\n{diff}"


@pytest.fixture(scope="module")
def kitchen(kitchen_files: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("kitchen")
    write_package(kitchen_files, root / "aws_kitchen")
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("aws_kitchen")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == "aws_kitchen" or m.startswith("aws_kitchen.")]:
            del sys.modules[name]


class Recorder:
    """A transport that records requests and answers with canned replies."""

    def __init__(self, *replies: HttpResponse) -> None:
        self.requests: list[HttpRequest] = []
        self.replies = list(replies) or [HttpResponse(200, {}, b"{}")]

    def send(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return self.replies[min(len(self.requests), len(self.replies)) - 1]

    def close(self) -> None:
        pass


def client(pkg: ModuleType, transport: Recorder, **config: Any) -> Any:
    from aws_runtime import Config

    return pkg.KitchenSinkClient(
        region_name="us-east-1",
        endpoint_url="https://kitchen.example.test",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retry_mode="off", **config),
        transport=transport,
    )


def test_names_follow_the_documented_rules(kitchen: ModuleType) -> None:
    m = kitchen.models
    fields = list(m.PutThingInput.__struct_fields__)
    assert fields[:6] == ["id", "type_", "from_", "self_", "list_", "count"]
    assert "renamed" in fields and "iso_when" in fields
    assert m.Type.__name__ == "Type"
    assert m.Exception_.__name__ == "Exception_"
    assert not hasattr(m, "Exception")
    assert [c.value for c in m.Color] == ["red", "dark-blue", "1st"]
    assert [c.name for c in m.Color] == ["RED", "DARK_BLUE", "V_1ST"]
    cls = kitchen.KitchenSinkClient
    assert callable(cls.close_) and cls.close is not cls.close_
    err = kitchen.errors.ThingNotFound
    assert issubclass(err, kitchen.errors.KitchenSinkError)
    assert kitchen.errors.ERROR_CLASSES["ThingNotFoundCode"] is err
    assert kitchen.errors.ERROR_CLASSES["ThingNotFound"] is err


def test_every_kind_serializes(kitchen: ModuleType) -> None:
    m = kitchen.models
    rec = Recorder()
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    client(kitchen, rec).put_thing(
        id="thing-1",
        type_=m.Color.DARK_BLUE,
        from_="a",
        self_="b",
        list_=("x", "y"),
        count=3,
        big=2**40,
        ratio=0.5,
        flag=False,
        payload=b"\x00\x01",
        when=when,
        iso_when=when.replace(microsecond=250000),
        doc={"any": [1, "two", None, {"three": 3.0}]},
        tags={"k": "v"},
        forest={"f": [m.Node(value="root", children=[m.Node(value="leaf")])]},
        matrix=[[1, 2], [3]],
        choice=m.Choice(number=4),
        renamed="r",
    )
    (request,) = rec.requests
    assert request.headers["X-Amz-Target"] == "KitchenSink_20200101.PutThing"
    assert request.headers["Content-Type"] == "application/x-amz-json-1.0"
    body = json.loads(request.body)
    token = body.pop("token")
    assert uuid.UUID(token).version == 4
    assert body == {
        "id": "thing-1",
        "type": "dark-blue",
        "from": "a",
        "self": "b",
        "list": ["x", "y"],
        "Count": 3,
        "big": 2**40,
        "ratio": 0.5,
        "flag": False,
        "payload": "AAE=",
        "when": 1704164645,
        "isoWhen": "2024-01-02T03:04:05.250Z",
        "doc": {"any": [1, "two", None, {"three": 3.0}]},
        "tags": {"k": "v"},
        "forest": {"f": [{"value": "root", "children": [{"value": "leaf"}]}]},
        "matrix": [[1, 2], [3]],
        "choice": {"number": 4},
        "wireName": "r",
    }


def test_given_idempotency_token_is_kept(kitchen: ModuleType) -> None:
    rec = Recorder()
    client(kitchen, rec).put_thing(id="t", type_="red", token="my-token")
    assert json.loads(rec.requests[0].body) == {"id": "t", "type": "red", "token": "my-token"}


def test_validation_reaches_every_kind(kitchen: ModuleType) -> None:
    m = kitchen.models
    rec = Recorder()
    bad_matrix: Any = [[1, "2"], [3], [4], [5]]
    with pytest.raises(kitchen.errors.ParamValidationError) as info:
        client(kitchen, rec).put_thing(
            id="x" * 21,
            type_=None,
            list_=[],
            count=11,
            ratio=-1.0,
            payload=b"x" * 17,
            when="2024-01-01",
            tags={"a": "1", "b": "2", "c": "3"},
            forest={"f": [m.Node(value="")]},
            matrix=bad_matrix,
            choice=m.Choice(text="t", number=1),
        )
    assert list(info.value.problems) == [
        "Invalid length for parameter id, value: 21, valid max length: 20",
        'Missing required parameter in input: "type_"',
        "Invalid length for parameter list_, value: 0, valid min length: 1",
        "Invalid value for parameter count, value: 11, valid max value: 10",
        "Invalid value for parameter ratio, value: -1.0, valid min value: 0",
        "Invalid length for parameter payload, value: 17, valid max length: 16",
        "Invalid type for parameter when, value: '2024-01-01', type: str, valid types: datetime",
        "Invalid length for parameter tags, value: 3, valid max length: 2",
        "Invalid length for parameter forest['f'][0].value, value: 0, valid min length: 1",
        "Invalid length for parameter matrix, value: 4, valid max length: 3",
        "Invalid type for parameter matrix[0][1], value: '2', type: str, valid types: int",
        ("Invalid number of parameters set for tagged union structure choice. "
        "Can only set one of the following keys: text, number."),
    ]
    assert rec.requests == []


def test_every_kind_parses(kitchen: ModuleType) -> None:
    m = kitchen.models
    reply = {
        "thing": {"name": "n"},
        "when": 1704164645.5,
        "names": ["a", None],
        "forest": {"f": [{"value": "root", "children": [{"value": "leaf", "children": []}]}]},
        "color": "ultraviolet",
        "payload": "AAE=",
    }
    rec = Recorder(HttpResponse(200, {}, json.dumps(reply).encode()))
    out = client(kitchen, rec).put_thing(id="t", type_="red")
    assert out == m.PutThingOutput(
        thing=m.Exception_(name="n"),
        when=dt.datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=dt.timezone.utc),
        names=["a", None],
        forest={"f": [m.Node(value="root", children=[m.Node(value="leaf", children=[])])]},
        color="ultraviolet",
        payload=b"\x00\x01",
    )


def test_error_members_named_like_service_error_attributes(kitchen: ModuleType) -> None:
    body = {"__type": "ThingNotFoundCode", "message": "gone", "code": "E42", "thingId": "t-1"}
    rec = Recorder(HttpResponse(404, {}, json.dumps(body).encode()))
    with pytest.raises(kitchen.errors.ThingNotFound) as info:
        client(kitchen, rec).put_thing(id="t", type_="red")
    err = info.value
    assert (err.code, err.message, err.code_, err.thing_id) == ("ThingNotFoundCode", "gone", "E42", "t-1")


def test_operation_without_input_or_output(kitchen: ModuleType) -> None:
    rec = Recorder()
    assert client(kitchen, rec).close_() is None
    assert rec.requests[0].body == b"{}"
    assert rec.requests[0].headers["X-Amz-Target"] == "KitchenSink_20200101.Close"


def test_generated_fixture_passes_mypy_strict(kitchen: ModuleType) -> None:
    package_dir = Path(kitchen.__file__).parent
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(package_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gzipped_model_files_generate_the_same_package(
    kitchen_files: dict[str, str], tmp_path: Path
) -> None:
    """botocore ships service-2.json.gz: ``--model`` accepts it as it is."""
    import gzip

    folder = tmp_path / "kitchen" / "2020-01-01"
    folder.mkdir(parents=True)
    (folder / "service-2.json.gz").write_bytes(gzip.compress(MODEL.read_bytes(), mtime=0))
    assert generate_files(build_service(load_files(folder / "service-2.json.gz"))) == kitchen_files
