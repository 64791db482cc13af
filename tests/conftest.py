"""Shared fixtures. Every test runs with an empty AWS environment (no real credentials,
config files, regions, proxies or CA bundles leak in) and with outbound connections
limited to loopback."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"



def _find_conformance() -> Path:
    """The third-party conformance data: ``$AWS_CODEGEN_CONFORMANCE``, ``../shared/conformance``
    next to the checkout, or the workplace's ``/work/shared/conformance``."""
    candidates = [
        os.environ.get("AWS_CODEGEN_CONFORMANCE", ""),
        str(ROOT.parent / "shared" / "conformance"),
        "/work/shared/conformance",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "SHA256SUMS").is_file():
            return Path(candidate)
    return Path(candidates[1])  # tests that need it fail with a clear missing-file error


CONFORMANCE = _find_conformance()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sweep", action="store_true", help="run the slow sweeps (also when CI=true)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--sweep") or os.environ.get("CI", "").lower() == "true":
        return
    skip = pytest.mark.skip(reason="slow sweep: runs when CI=true or with --sweep")
    for item in items:
        if "sweep" in item.keywords:
            item.add_marker(skip)


_SUITE_TESTS = ("test_protocol_suites.py::test_case[", "test_sigv4.py::test_suite_case[", "test_endpoints.py::test_conformance_case[")
_suite_results: dict[str, dict[str, int]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count outcomes of conformance cases per data file, for the summary below."""
    marker = next((m for m in _SUITE_TESTS if m in report.nodeid), None)
    if marker is None or not (report.when == "call" or report.outcome != "passed"):
        return
    param = report.nodeid.split(marker, 1)[1]
    data_file = param.split("::", 1)[0]
    counts = _suite_results.setdefault(data_file, {"passed": 0, "skipped": 0, "failed": 0})
    counts[report.outcome] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line per conformance data file: ``input/json.json 54/54`` (+ skipped/failed)."""
    if not _suite_results:
        return
    terminalreporter.section("conformance pass counts")
    for data_file, counts in _suite_results.items():
        total = sum(counts.values())
        extra = "".join(
            f", {counts[k]} {k}" for k in ("skipped", "failed") if counts[k]
        )
        terminalreporter.write_line(f"{data_file} {counts['passed']}/{total}{extra}")


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = None
        if ip is None or not ip.is_loopback:
            raise ConnectionRefusedError(f"tests may only connect to loopback, not {host!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def clean_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if (
            key.startswith("AWS_")
            or key in ("BOTO_CONFIG", "REQUESTS_CA_BUNDLE", "BOTOCORE_TCP_KEEPALIVE")
            or key.lower().endswith("_proxy")  # the client honours HTTP(S)_PROXY/NO_PROXY
        ):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A real moto server in this process on 127.0.0.1, random port; region us-east-1 only."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a scenario for both clients: ``helpers.clients.make_client`` builds a
    SupportClient, then an AsyncSupportClient driven through ``helpers.aio.SyncView``
    (closed at teardown). Use with ``pytestmark = pytest.mark.usefixtures("flavour")``."""
    from helpers import clients

    token = clients.FLAVOUR.set(request.param)
    try:
        yield request.param
    finally:
        clients.FLAVOUR.reset(token)
        opened, clients.OPENED[:] = list(clients.OPENED), []
        if opened:
            from helpers.aio import run

            for client in opened:
                run(client.close())


@pytest.fixture(params=["sync", "async"])
def support_client(request: pytest.FixtureRequest, moto_endpoint: str) -> Iterator[Any]:
    """A client of the session's moto server: the SupportClient, then the
    AsyncSupportClient through ``helpers.aio.SyncView`` (same scenarios, both clients)."""
    from aws_support import AsyncSupportClient, SupportClient

    kwargs: dict[str, Any] = {
        "region_name": "us-east-1",
        "endpoint_url": moto_endpoint,
        "aws_access_key_id": "AKIDMOTOTEST",
        "aws_secret_access_key": "moto-secret-key",
    }
    if request.param == "sync":
        with SupportClient(**kwargs) as client:
            yield client
    else:
        from helpers.aio import SyncView

        with SyncView(AsyncSupportClient(**kwargs)) as view:
            yield view


@pytest.fixture(scope="session")
def support_ir() -> Any:
    from generator.build import build_service
    from generator.loader import load_service

    return build_service(load_service("support"))
