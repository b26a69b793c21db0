"""Fixtures for the CLI tests: a workspace with a plan and a dataset, and a runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from incentives.cli import cli

from .cli_support import PLAN, Invoke, Workspace


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A workspace holding ``t.plan`` (:data:`PLAN`) and ``data/`` (basic)."""
    monkeypatch.chdir(tmp_path)
    workspace = Workspace(tmp_path)
    workspace.write("t.plan", PLAN)
    workspace.data()
    return workspace


@pytest.fixture
def invoke() -> Invoke:
    """Run ``incentives ARGS...`` in-process; stdout and stderr kept apart."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return run
