"""``incentives check PLAN...``: report every diagnostic of each plan.

The diagnostics are this command's output, so they go to stdout (where CI
logs and editors read them; the exit code says whether any failed). Text
output: each file's diagnostics, compiler style with the plan line and
a caret underline, then one summary line for the file
(``plans/a.plan: 1 error, 2 warnings``). JSON output: one array with the
diagnostics of all files, in the order the files were given. A plan that
cannot be read is reported on stderr and checking goes on with the next one.

Exit: 0 when no file has an error (with ``--strict``, no warning either); 1
when one has; 2 when a file cannot be read (this takes precedence).
"""

from __future__ import annotations

import click

from incentives.cli._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, emit, read_source
from incentives.diagnostics import Diagnostic
from incentives.errors import PlanSyntaxError, UsageError
from incentives.pipeline import check_source
from incentives.report.diagnostics import render_json, render_text, summary
from incentives.source import SourceFile

__all__ = ["check"]


@click.command("check")
@click.argument("plans", metavar="PLAN...", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools",
)
@click.option("--strict", is_flag=True, help="fail (exit 1) on warnings too")
@click.pass_context
def check(ctx: click.Context, plans: tuple[str, ...], output_format: str, strict: bool) -> None:
    """Check plans for errors and warnings without running them."""
    unreadable = False
    failed = False
    everything: list[Diagnostic] = []
    for path in plans:
        source: SourceFile | None = None
        try:
            source = read_source(path)
        except UsageError as exc:
            emit(f"error: {exc}\n", err=True)
            unreadable = True
            continue
        except PlanSyntaxError as exc:
            # Not UTF-8: a finding about the file, rendered like the others.
            diagnostics = exc.diagnostics
        else:
            _, diagnostics = check_source(source)
        everything.extend(diagnostics)
        if any(d.is_error for d in diagnostics) or (strict and diagnostics):
            failed = True
        if output_format == "text":
            sources = {source.name: source} if source is not None else {}
            emit(render_text(diagnostics, sources) + f"{path}: {summary(diagnostics)}\n")
    if output_format == "json":
        emit(render_json(everything))
    ctx.exit(EXIT_USAGE if unreadable else EXIT_FINDINGS if failed else EXIT_OK)


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = check
