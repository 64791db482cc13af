"""Settings as boto3 users have them: profile retry settings and their errors, the
profile values handed to the transport, the app id, a botocore Config by mistake,
and start-up without botocore when no config file can matter."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aws_runtime import Config
from aws_support import SupportClient

ROOT = Path(__file__).resolve().parent.parent


def client(**kwargs: object) -> SupportClient:
    kwargs.setdefault("region_name", "us-east-1")
    return SupportClient(aws_access_key_id="a", aws_secret_access_key="b", **kwargs)  # type: ignore[arg-type]


def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    (tmp_path / "config").write_text(text)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max_attempts = 0", "max_attempts in profile 'default' of the shared config file must be an integer >= 1"),
        ("max_attempts = abc", "max_attempts in profile 'default' of the shared config file must be an integer >= 1"),
        ("retry_mode = turbo", "retry_mode in profile 'default' of the shared config file must be one of"),
    ],
)
def test_bad_profile_values_name_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    profile(tmp_path, monkeypatch, f"[default]\n{text}\n")
    with pytest.raises(ValueError, match=re.escape(message)):
        client()
    # an argument or the environment wins, so the bad profile value is never read
    client(config=Config(retry_mode="standard", total_max_attempts=2))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")
    assert client().config.retry_mode == "legacy"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AWS_MAX_ATTEMPTS": "0"}, "AWS_MAX_ATTEMPTS (environment variable) must be an integer >= 1"),
        ({"AWS_RETRY_MODE": "abc"}, "AWS_RETRY_MODE (environment variable) must be one of"),
    ],
)
def test_bad_environment_values_fail_at_construction(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValueError, match=re.escape(message)):
        client()


def test_resolved_settings_on_the_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import certifi

    ca = tmp_path / "ops.pem"  # the CA bundle must exist and be PEM: checked at construction
    ca.write_bytes(Path(certifi.where()).read_bytes())
    profile(
        tmp_path,
        monkeypatch,
        "[profile ops]\nregion = eu-west-1\nretry_mode = adaptive\nmax_attempts = 6\n"
        f"ca_bundle = {ca}\ntcp_keepalive = true\nsdk_ua_app_id = ops-tool\n",
    )
    c = SupportClient(profile_name="ops", aws_access_key_id="a", aws_secret_access_key="b")
    assert (c.region_name, c.config.retry_mode, c.config.total_max_attempts) == ("eu-west-1", "adaptive", 6)
    assert c.config.user_agent_appid == "ops-tool"
    assert c.profile is not None
    assert (c.profile.profile, c.profile.ca_bundle, c.profile.keepalive) == ("ops", str(ca), True)
    assert c._pipeline.rate_limiter is not None
    assert c._retry.mode == "adaptive" and c._retry.max_attempts == 6


def test_a_botocore_config_is_a_type_error_saying_what_to_use() -> None:
    import botocore.config

    mistaken = botocore.config.Config(
        connect_timeout=5, retries={"max_attempts": 4, "mode": "adaptive"}, parameter_validation=False,
        signature_version="v4",
    )
    with pytest.raises(TypeError) as info:
        client(config=mistaken)
    text = str(info.value)
    assert "config must be an aws_runtime.Config, not botocore.config.Config" in text
    assert "aws_runtime.Config(connect_timeout=5, retries={'max_attempts': 4, 'mode': 'adaptive'}, validate=False)" in text
    assert "no equivalent here for: signature_version" in text
    # what it suggests works and means what boto3 meant: 4 retries = 5 attempts
    assert client(config=Config(connect_timeout=5, retries={"max_attempts": 4, "mode": "adaptive"})).config.total_max_attempts == 5


def test_retries_dict_on_the_resolved_config() -> None:
    c = client(config=Config(retries={"max_attempts": 0}))
    assert (c.config.retry_mode, c.config.total_max_attempts, c.config.retries) == ("standard", 1, None)


@pytest.mark.parametrize(
    ("config_text", "imported"),
    [
        (None, False),
        ("[default]\nregion = us-east-1\noutput = json\n", False),
        ("[default]\nretry_mode = legacy\n", True),
        ("[default]\nsdk_ua_app_id = x\n", True),
        ("[default]\ntcp_keepalive = true\n", True),
    ],
)
def test_botocore_is_imported_only_when_the_config_file_can_matter(
    tmp_path: Path, config_text: str | None, imported: bool
) -> None:
    path = tmp_path / "config"
    if config_text is not None:
        path.write_text(config_text)
    script = textwrap.dedent(
        """
        import sys
        from aws_support import SupportClient
        c = SupportClient(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
        print(any(m.split(".")[0] == "botocore" for m in sys.modules), c.config.retry_mode)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "AWS_CONFIG_FILE": str(path)},
    )
    loaded, mode = result.stdout.split()
    assert loaded == str(imported)
    assert mode == ("legacy" if config_text and "legacy" in config_text else "standard")
