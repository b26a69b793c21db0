"""Shared helpers of the robustness tests: paths, the CLI in and out of process, snapshots."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

import incentives
from incentives.cli import cli

HERE = Path(__file__).parent
REPO = HERE.parents[1]
PLANS = HERE / "plans"
DATA = HERE / "data"
#: The directory holding the ``incentives`` package being tested.
SRC = Path(incentives.__file__).resolve().parents[1]

_MAIN = "import sys; from incentives.cli import main; sys.argv[0] = 'incentives'; main()"


def cli_subprocess(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``incentives ARGS`` in a fresh interpreter; stdout and stderr as bytes."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "LC_", "HYPOTHESIS")) and key not in ("LANG", "TZ")
    }
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(SRC), *filter(None, [os.environ.get("PYTHONPATH", "")])]
    )
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", _MAIN, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def cli_invoke(*args: str) -> Result:
    """Run ``incentives ARGS`` in this process (stdout and stderr kept apart)."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def snapshot(directory: Path) -> dict[str, bytes | None]:
    """Every file and directory under ``directory`` (hidden ones too), with file bytes."""
    if not directory.exists():
        return {}
    found: dict[str, bytes | None] = {}
    for path in sorted(directory.rglob("*")):
        key = path.relative_to(directory).as_posix()
        found[key] = path.read_bytes() if path.is_file() else None
    return found


def assert_no_traceback(text: str) -> None:
    assert "Traceback (most recent call last)" not in text, text
    assert "internal error" not in text, text
