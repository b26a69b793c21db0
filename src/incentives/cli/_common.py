"""What every subcommand shares: loading plans, writing output, turning errors into exit codes.

Contract: commands write only through :func:`emit`, which sends UTF-8 bytes
whatever the locale; they load plans only through :func:`load` (or
:func:`read_source`), which remembers each plan's text so that any later
diagnostic pointing into the plan is rendered with its source line. Errors
are not caught in the commands: :class:`IncentivesGroup` catches them once,
renders them on stderr (the diagnostics, the message, then its details)
and exits with the code of the policy in
:mod:`incentives.cli`.
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import click

from incentives.diagnostics import Severity
from incentives.errors import (
    DataError,
    IncentivesError,
    InternalError,
    PlanError,
    PlanSyntaxError,
    UsageError,
)
from incentives.pipeline import Plan, check_source, read_plan_file
from incentives.report._text import visible
from incentives.report.diagnostics import render_text, summary
from incentives.source import SourceFile

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_USAGE",
    "CliState",
    "IncentivesGroup",
    "emit",
    "exit_code",
    "is_terminal",
    "load",
    "output_format",
    "read_source",
    "render_details",
    "state",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


@dataclass
class CliState:
    """Per-invocation state, kept on the click context."""

    #: Show tracebacks of internal errors.
    debug: bool = False
    #: Plan texts read so far, by the name diagnostics use.
    sources: dict[str, SourceFile] = field(default_factory=dict)


def state() -> CliState:
    """The state of the running invocation (created on first use)."""
    ctx = click.get_current_context()
    found = ctx.find_object(CliState)
    if found is None:
        found = CliState()
        ctx.find_root().obj = found
    return found


def emit(text: str, *, err: bool = False) -> None:
    """Write ``text`` as UTF-8 to stdout (or stderr), independent of the locale."""
    # click writes bytes to the binary buffer under a text stream unchanged.
    click.echo(text.encode("utf-8"), nl=False, err=err)


def is_terminal() -> bool:
    """Whether stdout is an interactive terminal (rich output) or not (plain text)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def read_source(path: str) -> SourceFile:
    """Read a plan file and remember its text for rendering diagnostics.

    Raises:
        UsageError: the file cannot be read.
        PlanSyntaxError: the file is not UTF-8.
    """
    source = read_plan_file(path)
    state().sources[source.name] = source
    return source


def load(path: str) -> Plan:
    """Read, check and compile a plan; warnings are noted on stderr.

    Raises:
        PlanError: with every diagnostic, if the plan has errors.
        UsageError: the file cannot be read.
    """
    source = read_source(path)
    plan, diagnostics = check_source(source)
    if plan is None:
        kind = PlanSyntaxError if any(d.code.startswith("E0") for d in diagnostics) else PlanError
        raise kind(f"{path}: {summary(diagnostics)}", diagnostics)
    warnings = sum(1 for d in plan.diagnostics if d.severity is Severity.WARNING)
    if warnings:
        emit(
            f"note: {path}: {summary(plan.diagnostics)}; `incentives check` lists them\n", err=True
        )
    return plan


def render_details(exc: IncentivesError) -> str:
    """The error's ``details``, one indented line each (empty if it has none).

    >>> print(render_details(UsageError("x", details=["s.json: plan: missing"])), end="")
      s.json: plan: missing
    """
    return "".join(f"  {visible(line)}\n" for line in exc.details)


def output_format(
    given: str | None, output: str | None, suffixes: Mapping[str, str], default: str
) -> str:
    """The format a command writes: ``--format`` if given, else ``--output``'s suffix.

    Without either, ``default``. Every command that reads the format from the
    file name (``doc``, ``plot``, ``report``) uses this one rule, so a file
    name whose suffix names no format (``plan.pdf``, ``notes``) is refused the
    same way everywhere rather than filled with another format.

    Args:
        given: the ``--format`` option, if any.
        output: the ``--output`` option, if any.
        suffixes: each accepted suffix (``.html``, lowercase) and its format.
        default: the format without ``--format`` or ``--output``.

    Raises:
        UsageError: ``--output`` has another suffix (or none): naming the file
            and every accepted suffix.

    >>> output_format(None, "a.HTM", {".md": "markdown", ".htm": "html"}, "markdown")
    'html'
    """
    if given is not None:
        return given
    if output is None:
        return default
    chosen = suffixes.get(Path(output).suffix.lower())
    if chosen is not None:
        return chosen
    names = sorted(suffixes, key=list(suffixes).index)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    raise UsageError(f"`{output}`: name a {listed} file, or give --format")


def exit_code(exc: IncentivesError) -> int:
    """The exit code of a library error (see the policy in :mod:`incentives.cli`).

    >>> from incentives.errors import EvaluationError
    >>> exit_code(UsageError("x")), exit_code(EvaluationError("x")), exit_code(InternalError("x"))
    (2, 1, 3)
    """
    if isinstance(exc, InternalError):
        return EXIT_INTERNAL
    if isinstance(exc, UsageError | DataError):
        return EXIT_USAGE
    # PlanError, EvaluationError, and any finding a later release adds.
    return EXIT_FINDINGS


class IncentivesGroup(click.Group):
    """A click group that turns every error into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except InternalError as exc:
            _report_internal(ctx, exc)
        except IncentivesError as exc:
            text = render_text(exc.diagnostics, state().sources) if exc.diagnostics else ""
            # The message may quote what the user typed (`--period $'2026-03\0'`).
            emit(f"{text}error: {visible(str(exc))}\n{render_details(exc)}", err=True)
            ctx.exit(exit_code(exc))
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(EXIT_FINDINGS)
        except Exception as exc:
            _report_internal(ctx, exc)


def _silence_stdout() -> None:
    # The reader (``| head``) went away. Point stdout at /dev/null so the
    # interpreter's final flush does not print a second error, and stop
    # quietly, as Unix tools do.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _report_internal(ctx: click.Context, exc: BaseException) -> NoReturn:
    debug = bool(ctx.params.get("debug")) or state().debug
    message = f"internal error: {type(exc).__name__}: {exc}, please report it"
    if debug:
        details = "".join(traceback.format_exception(exc))
        emit(f"{details}{message}\n", err=True)
    else:
        emit(f"{message} (run with --debug to see the traceback)\n", err=True)
    ctx.exit(EXIT_INTERNAL)
