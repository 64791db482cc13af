"""Client construction: credentials, region and endpoint sources, in boto3's order."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from helpers.server import Reply, ScriptedServer

from aws_runtime import Config
from aws_runtime.errors import NoCredentialsError
from aws_support import SupportClient


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer([Reply(body={"severityLevels": []})]) as srv:
        yield srv


def credential_scope(server: ScriptedServer) -> str:
    auth = server.requests[-1].headers["authorization"]
    return auth.split("Credential=")[1].split(",")[0]


def test_explicit_keys_win_over_the_environment(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    client = SupportClient(
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="AKIDEXPLICIT",
        aws_secret_access_key="explicit-secret",
        aws_session_token="explicit-token",
    )
    client.describe_severity_levels()
    assert credential_scope(server).startswith("AKIDEXPLICIT/")
    assert server.requests[-1].headers["x-amz-security-token"] == "explicit-token"


def test_botocore_chain_reads_environment_credentials(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "env-token")
    client = SupportClient(region_name="us-east-1", endpoint_url=server.url)
    client.describe_severity_levels()
    assert credential_scope(server).startswith("AKIDFROMENV/")
    assert server.requests[-1].headers["x-amz-security-token"] == "env-token"


def test_profile_name_selects_shared_credentials_and_region(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    creds = tmp_path / "credentials"
    creds.write_text("[ops]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n")
    config = tmp_path / "config"
    config.write_text("[profile ops]\nregion = eu-central-1\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    client = SupportClient(endpoint_url=server.url, profile_name="ops")
    assert client.region_name == "eu-central-1"
    client.describe_severity_levels()
    assert credential_scope(server).startswith("AKIDPROFILE/")
    assert "/eu-central-1/support/aws4_request" in credential_scope(server)


def test_no_credentials_fails_before_any_request(server: ScriptedServer) -> None:
    client = SupportClient(region_name="us-east-1", endpoint_url=server.url)
    with pytest.raises(NoCredentialsError, match="Unable to locate credentials"):
        client.describe_severity_levels()
    assert server.requests == []


def test_half_a_key_pair_is_rejected() -> None:
    with pytest.raises(ValueError, match="aws_secret_access_key is required"):
        SupportClient(region_name="us-east-1", aws_access_key_id="AKID")
    with pytest.raises(ValueError, match="aws_access_key_id is required"):
        SupportClient(region_name="us-east-1", aws_secret_access_key="secret")


@pytest.mark.parametrize(
    ("env", "expected_region"),
    [
        ({"AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "eu-west-1"}, "ap-south-1"),
        ({"AWS_DEFAULT_REGION": "eu-west-1"}, "eu-west-1"),
        ({}, "aws-global"),
    ],
)
def test_region_sources(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected_region: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    client = SupportClient(aws_access_key_id="a", aws_secret_access_key="b")
    assert client.region_name == expected_region
    # Support has one global endpoint per partition, signed for us-east-1 in aws.
    assert client.endpoint_url == "https://support.us-east-1.amazonaws.com"
    assert client.signing_region == "us-east-1"


def test_endpoint_url_sources_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    def make(**kwargs: str) -> SupportClient:
        return SupportClient(
            region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b", **kwargs
        )

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1111")
    assert make().endpoint_url == "http://127.0.0.1:1111"
    monkeypatch.setenv("AWS_ENDPOINT_URL_SUPPORT", "http://127.0.0.1:2222")
    assert make().endpoint_url == "http://127.0.0.1:2222"
    assert make(endpoint_url="http://127.0.0.1:3333").endpoint_url == "http://127.0.0.1:3333"
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    assert make().endpoint_url == "https://support.us-east-1.amazonaws.com"


def test_repr_and_config_are_plain() -> None:
    client = SupportClient(
        region_name="eu-west-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="super-secret-value",
        config=Config(connect_timeout=5, read_timeout=7, max_pool_connections=3),
    )
    assert repr(client) == (
        "SupportClient(region_name='eu-west-1', endpoint_url='https://support.us-east-1.amazonaws.com')"
    )
    assert client.config.connect_timeout == 5
    assert client.config.read_timeout == 7
    assert client.config.retry_mode == "standard"
    assert client.config.total_max_attempts == 3
    with pytest.raises(ValueError, match="retry_mode must be one of standard, legacy, adaptive, off"):
        Config(retry_mode="fast")


def test_explicit_keys_do_not_import_botocore(tmp_path: Path) -> None:
    """Cold start: with explicit keys and a region, botocore is never imported."""
    script = textwrap.dedent(
        """
        import sys
        from aws_support import SupportClient
        SupportClient(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("botocore", "boto3")))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "AWS_CONFIG_FILE": str(tmp_path / "none")},
    )
    assert result.stdout.strip() == "[]"


def test_profile_endpoint_url_service_section_then_global(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """As boto3: a profile's services section, then the profile's endpoint_url, then the rule set."""
    config = tmp_path / "config"
    config.write_text(
        "[profile local]\nregion = us-east-1\nservices = local-services\n"
        "endpoint_url = http://127.0.0.1:7001\n\n"
        "[services local-services]\nsupport =\n  endpoint_url = http://127.0.0.1:7002\n\n"
        "[profile global-only]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:7003\n\n"
        "[profile ignoring]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:7004\n"
        "ignore_configured_endpoint_urls = true\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))

    def url(profile: str, **kwargs: str) -> str:
        return SupportClient(
            profile_name=profile, aws_access_key_id="a", aws_secret_access_key="b", **kwargs
        ).endpoint_url

    assert url("local") == "http://127.0.0.1:7002"
    assert url("global-only") == "http://127.0.0.1:7003"
    assert url("ignoring") == "https://support.us-east-1.amazonaws.com"
    assert url("local", endpoint_url="http://127.0.0.1:7005") == "http://127.0.0.1:7005"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:7006")
    assert url("local") == "http://127.0.0.1:7006"
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    assert url("local") == "https://support.us-east-1.amazonaws.com"


def test_unknown_profile_is_a_typed_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from aws_runtime.errors import AWSError, ProfileNotFoundError

    (tmp_path / "config").write_text("[profile other]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    with pytest.raises(ProfileNotFoundError, match="'support-admin' could not be found") as info:
        SupportClient(profile_name="support-admin")
    assert isinstance(info.value, AWSError) and isinstance(info.value, ValueError)
