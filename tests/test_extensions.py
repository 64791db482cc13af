"""The hand-written extension mechanism (generator/extensions.py, README "Extending a service"):
modules of extensions/<service>/ are copied unchanged into <package>/extensions/, the client
inherits their mixins, names may not clash, and the output stays deterministic."""

from __future__ import annotations

import asyncio
import importlib
import sys
from pathlib import Path

import pytest

from generator.build import build_service
from generator.extensions import EXTENSIONS_ROOT, ExtensionError, load_extensions
from generator.loader import load_files
from generator.naming import NameClashError
from generator.writer import generate_files, write_package

MODEL = Path(__file__).parent / "fixtures" / "models" / "kitchen" / "2020-01-01" / "service-2.json"

MIXIN = '''"""A hand-written helper."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..client import KitchenSinkClient


class GreetingClientMixin:
    """Adds ``greet``."""

    def greet(self, who: str) -> str:
        client = cast("KitchenSinkClient", self)
        return f"hello {who} from {client.region_name}"


class GreetingAsyncClientMixin:
    async def greet(self, who: str) -> str:
        return who


def helper_not_a_mixin() -> int:
        return 1  # odd indentation that black would change: copies stay verbatim
'''


@pytest.fixture(scope="module")
def ir() -> object:
    return build_service(load_files(MODEL))


def test_modules_are_copied_verbatim_and_mixins_inherited(ir: object, tmp_path: Path) -> None:
    ext = tmp_path / "extensions" / "kitchen"
    ext.mkdir(parents=True)
    (ext / "greeting.py").write_text(MIXIN)
    files = generate_files(ir, extensions=ext)  # type: ignore[arg-type]
    copy = files["extensions/greeting.py"]
    assert copy.splitlines()[0] == (
        "# Hand-written, copied unchanged by aws-codegen from extensions/kitchen/greeting.py."
    )
    assert copy.split("\n", 2)[2] == MIXIN
    assert "from .extensions import greeting as _ext_greeting" in files["client.py"]
    assert "class KitchenSinkClient(_ext_greeting.GreetingClientMixin, _rt_client.BaseClient):" in files["client.py"]
    flat = " ".join(files["client.py"].split())  # black may wrap the class line
    assert (
        "class AsyncKitchenSinkClient( _ext_greeting.GreetingAsyncClientMixin, _rt_aio.AsyncBaseClient ):"
        in flat
    )
    assert generate_files(ir, extensions=ext) == files  # type: ignore[arg-type]  # deterministic

    out = tmp_path / "out"
    write_package(files, out / "aws_kitchen")
    sys.path.insert(0, str(out))
    try:
        pkg = importlib.import_module("aws_kitchen")
        client = pkg.KitchenSinkClient(
            region_name="eu-west-1",
            endpoint_url="https://kitchen.example.test",
            aws_access_key_id="AKID",
            aws_secret_access_key="s",
        )
        assert client.greet("you") == "hello you from eu-west-1"
        aclient = pkg.AsyncKitchenSinkClient(
            region_name="eu-west-1",
            endpoint_url="https://kitchen.example.test",
            aws_access_key_id="AKID",
            aws_secret_access_key="s",
        )
        assert asyncio.run(aclient.greet("you")) == "you"
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == "aws_kitchen" or m.startswith("aws_kitchen.")]:
            del sys.modules[name]

    # without the folder: no extensions package, the plain base class
    plain = generate_files(ir, extensions=tmp_path / "none")  # type: ignore[arg-type]
    assert not any(name.startswith("extensions/") for name in plain)
    assert "class KitchenSinkClient(_rt_client.BaseClient):" in plain["client.py"]


def test_a_mixin_may_not_shadow_a_generated_method(ir: object, tmp_path: Path) -> None:
    ext = tmp_path / "kitchen"
    ext.mkdir()
    (ext / "bad.py").write_text("class BadClientMixin:\n    def put_thing(self) -> None: ...\n")
    with pytest.raises(NameClashError, match=r"bad\.py:BadClientMixin\.put_thing .*'put_thing'"):
        generate_files(ir, extensions=ext)  # type: ignore[arg-type]


def test_folder_rules(tmp_path: Path) -> None:
    ext = tmp_path / "extensions" / "svc"
    ext.mkdir(parents=True)
    (ext / "notes.md").write_text("x")
    with pytest.raises(ExtensionError, match=r"extensions/svc/notes\.md: an extension folder holds only \.py"):
        load_extensions(ext)
    (ext / "notes.md").unlink()
    (ext / "broken.py").write_text("def f(:\n")
    with pytest.raises(ExtensionError, match=r"extensions/svc/broken\.py:1: not valid Python"):
        load_extensions(ext)
    (ext / "broken.py").unlink()
    (ext / "my-mod.py").write_text("x = 1\n")
    with pytest.raises(ExtensionError, match="identifiers"):
        load_extensions(ext)


def test_support_extension_is_found_where_the_readme_says() -> None:
    modules = load_extensions(EXTENSIONS_ROOT / "support")
    names = {m.name: m for m in modules}
    assert names["attachments"].sync_mixins == ("AttachmentsClientMixin",)
    assert names["_transfer"].sync_mixins == ()
