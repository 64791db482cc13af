"""Request compression (``requestcompression`` trait) end to end, on a local server.

The operation is the Smithy ``PutWithContentEncoding`` test operation, generated
through the normal pipeline. The body is gzipped from 10240 bytes on (or the
configured size), ``Content-Encoding: gzip`` is added, and both the signature
and ``Content-Length`` cover the compressed bytes actually sent.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from typing import Any

import pytest
from conftest import CONFORMANCE
from helpers.protocols import Generated, Generator, load_cases, model_for
from helpers.server import ScriptedServer
from helpers.signing import botocore_sign

from aws_runtime.config import Config

ROOT = CONFORMANCE / "botocore-protocols"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    case = next(c for c in load_cases(ROOT) if c.case_id == "SDKAppliedContentEncoding_awsJson1_1")
    return Generator(tmp_path_factory.mktemp("compression")).get(model_for(case))


def _send(package: Generated, data: str, config: Config | None = None) -> Any:
    with ScriptedServer() as server:
        client = package.client_cls(
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=config,
        )
        client.put_with_content_encoding(data=data, encoding="custom")
        client.close()
    (request,) = server.requests
    return request


def test_large_body_is_gzipped_signed_and_sized_as_sent(package: Generated) -> None:
    data = "é" * 6000  # 12000 bytes once JSON-escaped: over the 10240 default
    request = _send(package, data)
    assert request.headers["content-encoding"] == "gzip"
    assert int(request.headers["content-length"]) == len(request.body)
    assert json.loads(gzip.decompress(request.body)) == {"encoding": "custom", "data": data}
    signed = request.headers["authorization"].split("SignedHeaders=")[1].split(",")[0]
    assert signed == "content-encoding;content-type;host;x-amz-date;x-amz-target"

    # botocore, signing the bytes the server received at the same time, agrees.
    when = dt.datetime.strptime(request.headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
    theirs = botocore_sign(
        "POST",
        f"http://{request.headers['host']}/",
        {n: request.headers[n] for n in signed.split(";") if n != "host"},
        request.body,
        access_key="AKIDEXAMPLE",
        secret_key="secret",
        service=package.ir.signing_name,
        region="us-east-1",
        when=when,
    )
    assert theirs["Authorization"] == request.headers["authorization"]


def test_small_body_is_sent_as_is(package: Generated) -> None:
    request = _send(package, "x" * 100)
    assert "content-encoding" not in request.headers
    assert json.loads(request.body) == {"encoding": "custom", "data": "x" * 100}


def test_threshold_and_switch_from_config(package: Generated) -> None:
    small = _send(package, "x" * 100, Config(request_min_compression_size_bytes=10))
    assert small.headers["content-encoding"] == "gzip"
    large = _send(package, "x" * 20000, Config(disable_request_compression=True))
    assert "content-encoding" not in large.headers
    assert len(large.body) > 20000


def test_threshold_and_switch_from_environment(
    package: Generated, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0")
    assert _send(package, "").headers["content-encoding"] == "gzip"
    monkeypatch.setenv("AWS_DISABLE_REQUEST_COMPRESSION", "true")
    assert "content-encoding" not in _send(package, "x" * 20000).headers


@pytest.mark.parametrize("value", [-1, 10485761, True, "10"])
def test_invalid_threshold_is_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="request_min_compression_size_bytes must be an int"):
        Config(request_min_compression_size_bytes=value)


def test_invalid_threshold_in_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "lots")
    with pytest.raises(ValueError, match="AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES must be"):
        Config().resolve()
