"""The command group: --version, --help, usage errors and the internal-error path."""

from __future__ import annotations

from pathlib import Path

import pytest

import incentives
import incentives.cli.run as run_module
from incentives.errors import InternalError

from .cli_support import BAD_PLAN, Invoke, Workspace

ROOT = Path(__file__).resolve().parents[2]


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"incentives {incentives.__version__}\n"


def test_help_lists_every_command(invoke: Invoke) -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("check", "run", "explain", "test"):
        assert command in result.stdout


def test_unknown_command_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("frobnicate")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_missing_required_option_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("run", "t.plan", "--period", "2026-03")
    assert result.exit_code == 2
    assert "--data" in result.stderr


def test_bad_format_choice_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("run", "t.plan", "--data", "data", "--period", "2026-03", "--format", "xml")
    assert result.exit_code == 2


def _explode(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("boom")


def test_unexpected_exception_is_an_internal_error_without_traceback(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_module.Dataset, "from_dir", _explode)
    result = invoke("run", "t.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        "internal error: ZeroDivisionError: boom, please report it "
        "(run with --debug to see the traceback)\n"
    )


def test_debug_shows_the_traceback(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_module.Dataset, "from_dir", _explode)
    result = invoke("--debug", "run", "t.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "_explode" in result.stderr
    assert result.stderr.endswith("internal error: ZeroDivisionError: boom, please report it\n")


def test_library_internal_error_exits_3(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise InternalError("an invariant broke")

    monkeypatch.setattr(run_module.Dataset, "from_dir", broken)
    result = invoke("run", "t.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 3
    assert result.stderr.startswith("internal error: InternalError: an invariant broke")


def test_library_errors_never_show_a_traceback(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("--debug", "run", "t.plan", "--data", "missing", "--period", "2026-03")
    assert result.exit_code == 2
    assert result.stderr == "error: data directory `missing` does not exist\n"


def test_main_is_the_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["incentives", "--version"])
    with pytest.raises(SystemExit) as exit_info:
        incentives.cli.main()
    assert exit_info.value.code == 0


def test_a_closed_pipe_stops_quietly(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def closed(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(run_module, "emit", closed)
    result = invoke("run", "t.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 1
    assert result.stderr == ""


def test_where_diagnostics_go_is_what_the_reference_says(invoke: Invoke, ws: Workspace) -> None:
    # check and test report findings: their diagnostics are their output, on
    # stdout. Other commands keep stdout for results and report on stderr.
    ws.write("bad.plan", BAD_PLAN)
    for command in (("check", "bad.plan"), ("test", "bad.plan")):
        result = invoke(*command)
        assert result.exit_code == 1
        assert "error[E101]" in result.stdout
        assert result.stderr == ""
    result = invoke("run", "bad.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 1
    assert "error[E101]" in result.stderr
    assert result.stdout == ""
    result = invoke("check", "missing.plan")
    assert result.exit_code == 2
    assert result.stdout == "" and "missing.plan" in result.stderr
    reference = " ".join((ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split())
    assert "`check` and `test` exist to report findings" in reference
    assert "go to **stdout**" in reference
    assert "its diagnostics, errors and notes to **stderr**" in reference
    assert "Diagnostics go to stderr" not in reference
