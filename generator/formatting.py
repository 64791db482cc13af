"""Format generated Python with black, in-process, pinned version, fixed mode.

Formatting dominates generation time, so results are cached on disk by a hash
of (black version, mode, source): a rerun with no model change does not even
import black. The cache lives in ``.cache/black`` under the repository (not
committed) and can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["BLACK_MODE_DESCRIPTION", "format_source"]

LINE_LENGTH = 88
BLACK_MODE_DESCRIPTION = f"line-length={LINE_LENGTH} target=py310"
_CACHE_DIR = Path(os.environ.get("AWS_CODEGEN_CACHE", Path(__file__).resolve().parent.parent / ".cache")) / "black"


def _black_version() -> str:
    from importlib.metadata import version

    return version("black")


def format_source(source: str, *, use_cache: bool = True) -> str:
    """Return ``source`` formatted by black (line length 88, Python 3.10 target).

    Raises ``black.InvalidInput`` (a ValueError) when the source does not parse:
    a template bug, reported with the offending line by the caller.
    """
    key = hashlib.sha256(
        f"{_black_version()}\0{BLACK_MODE_DESCRIPTION}\0".encode() + source.encode("utf-8")
    ).hexdigest()
    cached = _CACHE_DIR / key[:2] / key
    if use_cache and cached.is_file():
        return cached.read_text(encoding="utf-8")
    import black

    mode = black.Mode(
        target_versions={black.TargetVersion.PY310},
        line_length=LINE_LENGTH,
    )
    result = black.format_str(source, mode=mode)
    if use_cache:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(result, encoding="utf-8")
            tmp.replace(cached)
        except OSError:
            pass
    return result
