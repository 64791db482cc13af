"""Naming rules (generator.naming, README "Naming rules"): each rule on the real model names
that need it, the clash check failing loudly, and the reserved-name lists matching the
runtime classes they protect."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from aws_runtime.errors import ServiceError
from generator import naming
from generator.build import build_service
from generator.extensions import EXTENSIONS_ROOT, load_extensions
from generator.loader import ModelSources, load_service
from generator.writer import generate_files, write_package


@pytest.mark.parametrize(
    ("model", "python"),
    [
        ("CreateCase", "create_case"),
        ("ccEmailAddresses", "cc_email_addresses"),
        ("ACLs", "acls"),  # MemoryDB: xform_name gives "_acls"
        ("HITs", "hits"),  # MTurk
        ("CIDRs", "cidrs"),  # Network Firewall
        ("KMSKeyId", "kms_key_id"),
    ],
)
def test_rule_1_snake_case(model: str, python: str) -> None:
    assert naming.snake(model) == python


@pytest.mark.parametrize(
    ("model", "python"),
    [
        ("From", "from_"),
        ("type", "type_"),
        ("Type", "type_"),
        ("And", "and_"),
        ("Lambda", "lambda_"),
        ("BOOL", "bool_"),
        ("Bytes", "bytes_"),
        ("List", "list_"),
        ("self", "self_"),
        ("id", "id"),
        ("Filter", "filter"),
        ("client", "client"),
        ("ACLs", "acls"),
    ],
)
def test_rule_2_member_names(model: str, python: str) -> None:
    assert naming.member_name(model) == python


@pytest.mark.parametrize(
    ("shape", "python"),
    [
        ("Warning", "Warning_"),  # Kendra, Textract
        ("ResourceWarning", "ResourceWarning_"),  # ARC Region Switch
        ("Exception", "Exception_"),
        ("Type", "Type"),  # CloudTrail, Kendra, Logs: not a builtin
        ("Union", "Union"),  # Glue: modules use typing only as _t
        ("List", "List"),
        ("Client", "Client"),
    ],
)
def test_rule_3_class_names(shape: str, python: str) -> None:
    assert naming.class_name(shape) == python


@pytest.mark.parametrize("flavour", ["SupportClient", "AsyncSupportClient"])
def test_rule_4_client_attributes_cover_the_runtime_client(flavour: str) -> None:
    import aws_support

    client = getattr(aws_support, flavour)(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    ir = build_service(load_service("support"))
    generated = {op.method for op in ir.operations}
    generated |= {n for op in ir.operations if op.paginator for n in (op.paginator.pages_method, op.paginator.items_method)}
    # hand-written mixin methods (extensions/support) are checked by the generator itself:
    # an operation named like one stops generation (tests/test_extensions.py)
    extensions = {name for m in load_extensions(EXTENSIONS_ROOT / "support") for _, names in m.members for name in names}
    public = {n for n in dir(client) if not n.startswith("_")} - generated - extensions
    assert extensions == {"upload_attachment", "download_attachment"}
    assert public <= naming.CLIENT_ATTRIBUTES, public - naming.CLIENT_ATTRIBUTES
    assert naming.method_name("Close") == "close_"
    assert naming.method_name("GetPaginator") == "get_paginator_"


def test_rule_5_error_attributes_cover_service_error() -> None:
    public = {n for n in dir(ServiceError("m")) if not n.startswith("_")} - {"message"}
    assert public <= naming.ERROR_ATTRIBUTES, public - naming.ERROR_ATTRIBUTES
    assert naming.error_member_name("RequestId") == "request_id_"  # Directory Service
    assert naming.error_member_name("code") == "code_"
    assert naming.error_member_name("Message") == "message"


def test_rule_6_enum_member_names() -> None:
    assert naming.enum_member_names(["5.1", "5.3"]) == ["V_5_1", "V_5_3"]  # CloudHSM ClientVersion
    assert naming.enum_member_names(["a-b", "a_b", "A B", ""]) == ["A_B", "A_B_2", "A_B_3", "EMPTY"]
    with pytest.raises(naming.NameClashError):
        naming.enum_member_names(["x", "x", "X_2"])


def test_rule_10_error_class_names() -> None:
    assert naming.error_class_name("ServiceError", "SupportError") == "ServiceError_"
    assert naming.error_class_name("SupportError", "SupportError") == "SupportError_"
    assert naming.error_class_name("ERROR_CLASSES", "SupportError") == "ERROR_CLASSES_"
    assert naming.error_class_name("CaseIdNotFound", "SupportError") == "CaseIdNotFound"


# --------------------------------------------- a model full of awkward names


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Support's model plus every kind of awkward name, generated and imported."""
    sources = load_service("support")
    service = copy.deepcopy(sources.service)
    shapes = service["shapes"]
    shapes["String"] = {"type": "string"}
    shapes["Exception"] = {"type": "structure", "members": {"from": {"shape": "String"}, "self": {"shape": "String"}}}
    shapes["Type"] = {"type": "string", "enum": ["a-b", "a_b", "1x", ""]}
    request = shapes["DescribeServicesRequest"]["members"]
    request["ACLs"] = {"shape": "String"}
    request["Type"] = {"shape": "Type"}
    request["client"] = {"shape": "String"}
    request["Exception"] = {"shape": "Exception"}
    for name in ("ServiceError", "SupportError"):
        shapes[name] = {
            "type": "structure",
            "members": {"message": {"shape": "String"}, "code": {"shape": "String"}, "RequestId": {"shape": "String"}},
            "exception": True,
        }
        service["operations"]["DescribeServices"].setdefault("errors", []).append({"shape": name})
    service["operations"]["Close"] = dict(service["operations"]["ResolveCase"], name="Close")
    ir = build_service(_replace(sources, service), package="aws_awkward")
    root = tmp_path_factory.mktemp("awkward")
    write_package(generate_files(ir), root / "aws_awkward")
    sys.path.insert(0, str(root))
    try:
        pkg = importlib.import_module("aws_awkward")
        yield ir, pkg
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("aws_awkward")]:
            del sys.modules[name]


def _replace(sources: ModelSources, service: dict[str, Any]) -> ModelSources:
    import dataclasses

    return dataclasses.replace(sources, service=service)


def test_awkward_names_generate_and_work(awkward: Any) -> None:
    _ir, pkg = awkward
    errors = pkg.errors
    assert errors.ServiceError is ServiceError  # the runtime alias is not shadowed
    assert issubclass(errors.ServiceError_, errors.SupportError)
    assert issubclass(errors.SupportError_, errors.SupportError)
    assert errors.ERROR_CLASSES["ServiceError"] is errors.ServiceError_
    assert errors.ERROR_CLASSES["SupportError"] is errors.SupportError_
    assert hasattr(errors.SupportError_, "request_id_") and hasattr(errors.SupportError_, "code_")
    models = pkg.models
    assert models.Type.A_B.value == "a-b" and models.Type.A_B_2.value == "a_b"
    assert models.Type.V_1X.value == "1x" and models.Type.EMPTY.value == ""
    exc = models.Exception_(from_="x", self_="y")
    assert (exc.from_, exc.self_) == ("x", "y")
    client = pkg.SupportClient(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    assert callable(client.close_) and client.close() is None
    import inspect

    params = inspect.signature(client.describe_services).parameters
    assert {"acls", "type_", "client", "exception"} <= set(params)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s["shapes"]["DescribeServicesRequest"]["members"].update(FooBar={"shape": "ServiceCode"}, foo_bar={"shape": "ServiceCode"}), "both become 'foo_bar'"),
        (lambda s: s["operations"].update(ListACLs=dict(s["operations"]["ResolveCase"], name="ListACLs"), ListAcls=dict(s["operations"]["ResolveCase"], name="ListAcls")), "both become 'list_acls'"),
    ],
)
def test_unresolvable_clashes_fail_loudly_naming_both(edit: Any, message: str) -> None:
    sources = load_service("support")
    service = copy.deepcopy(sources.service)
    edit(service)
    with pytest.raises(naming.NameClashError, match=message):
        build_service(_replace(sources, service))


def test_check_names_runs_before_anything_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from generator.cli import main

    sources = load_service("support")
    service = copy.deepcopy(sources.service)
    service["shapes"]["DescribeServicesRequest"]["members"].update(FooBar={"shape": "ServiceCode"}, foo_bar={"shape": "ServiceCode"})
    model = tmp_path / "service-2.json"
    model.write_text(json.dumps(service))
    assert main(["--model", str(model), "--out", str(tmp_path / "out")]) == 2
    assert "foo_bar" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_real_clash_examples_are_resolved_in_the_pinned_models() -> None:
    """The rules above fire on real models: spot checks of what they produce."""
    memorydb = build_service(load_service("memorydb"))
    assert "acls" in [m.py_name for s in memorydb.structures for m in s.members]
    ds = build_service(load_service("ds"))
    assert "request_id_" in [m.py_name for e in ds.errors for m in e.members]
    kendra = build_service(load_service("kendra"))
    assert "Warning_" in [s.class_name for s in kendra.structures]
    athena = build_service(load_service("athena"))
    assert athena.base_error == "AthenaError" and "AthenaError" in [s.class_name for s in athena.structures]
    acm = build_service(load_service("acm"))
    ops = {op.name: op for op in acm.operations}
    assert ops["ListCertificates"].paginator is None  # its MaxItems member: rule 9
