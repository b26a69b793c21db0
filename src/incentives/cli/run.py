"""``incentives run PLAN --data DIR --period P``: compute the statements.

Loads the plan and the dataset, runs the periods from ``--period`` through
``--to`` and prints the statements as a table (people), JSON or CSV (tools).
``--trace`` adds each line's trace and the named values to the JSON.

With ``--out DIR`` it also writes an audit bundle into DIR
(:mod:`incentives.report.bundle`): the plan file and the input files, exact
bytes (with ``--no-copy``, only the inputs' SHA-256 in the manifest),
``outputs/statements.json`` (complete, with traces),
``outputs/statements.csv``, one HTML statement per payee and period under
``outputs/statements/<period>/``, and ``manifest.json``. Every file is
rendered in memory first, then written atomically with the manifest last
(:mod:`incentives.report.files`), so a failed run leaves no partial file.
``incentives audit DIR`` re-runs the bundle and compares.

``--closing FILE`` writes the state after the last period
(:func:`incentives.results.state.render_state`: canonical JSON that records
its own SHA-256); ``--opening FILE`` reads such a file back and refuses one
that is not valid (each problem named by its JSON path), whose content no
longer matches its SHA-256, or that does not fit the plan and the roster
(:mod:`incentives.evaluate.opening`).

Exit: 0 on success; 1 if the plan has errors or a value cannot be computed;
2 for a bad period, a missing file or directory, invalid data, an opening
state that is not valid, was changed after it was written or does not fit
the plan, ``--no-copy``
without ``--out``, or an output directory that cannot be written.
"""

from __future__ import annotations

from pathlib import Path

import click

from incentives.cli._common import emit, is_terminal, load
from incentives.cli._console import print_tables, terminal_console
from incentives.data import Dataset
from incentives.data.csv_source import FileTooLarge, UnreadableFile, read_file
from incentives.errors import UsageError
from incentives.report.bundle import Bundle, write_bundle
from incentives.report.files import write_atomically
from incentives.report.statements_csv import render_csv
from incentives.report.statements_json import render_run_json
from incentives.report.statements_table import (
    below_tables,
    period_tables,
    render_table,
    rows_summary,
    unpaid_share_lines,
    wage_shortfalls,
)
from incentives.results.state import read_state, render_state

__all__ = ["bundle_summary", "run"]


@click.command("run")
@click.argument("plan_path", metavar="PLAN")
@click.option("--data", "data_dir", required=True, metavar="DIR", help="directory of CSV inputs")
@click.option("--period", required=True, metavar="P", help="pay period (2026-03) or a date in it")
@click.option("--to", "last", metavar="P2", help="run every period from P through P2")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="how to print the statements",
)
@click.option(
    "--out", "out_dir", metavar="DIR", help="also write an audit bundle (plan, inputs, outputs)"
)
@click.option(
    "--no-copy", is_flag=True, help="with --out: record the inputs' SHA-256 instead of copies"
)
@click.option("--trace", is_flag=True, help="include traces and named values in JSON output")
@click.option(
    "--opening",
    "opening_path",
    metavar="FILE",
    help="start from this state (the --closing file of a run that ended just before)",
)
@click.option(
    "--closing",
    "closing_path",
    metavar="FILE",
    help="write the state after the last period (JSON with its own SHA-256), for a later --opening",
)
def run(
    plan_path: str,
    data_dir: str,
    period: str,
    last: str | None,
    output_format: str,
    out_dir: str | None,
    no_copy: bool,
    trace: bool,
    opening_path: str | None,
    closing_path: str | None,
) -> None:
    """Compute the statements of a plan for one or more periods."""
    if no_copy and out_dir is None:
        raise click.UsageError("--no-copy only applies to --out")
    plan = load(plan_path)
    periods = plan.periods(period, last)  # a bad period fails before any data is read
    if (opening_path or closing_path) and not plan.ir.stateful:
        raise UsageError(
            "--opening and --closing are for plans that carry balances from one period "
            "to the next; this plan carries nothing"
        )
    opening: tuple[str, bytes] | None = None
    state = None
    if opening_path is not None:
        opening = (opening_path, _read(opening_path))
        state = read_state(opening[1], opening_path)
    dataset = Dataset.from_dir(data_dir)
    result = plan.run(dataset, period=periods[0], to=periods[-1], opening=state)
    if out_dir is not None:
        try:
            bundle = write_bundle(
                out_dir,
                plan,
                dataset,
                result,
                data_dir=data_dir,
                copy_inputs=not no_copy,
                opening=opening,
            )
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise UsageError(f"cannot write the outputs to `{out_dir}`: {reason}") from None
    # The closing state last: a bundle that cannot be written leaves it as it was.
    if closing_path is not None and result.closing is not None:
        try:
            target = Path(closing_path)
            write_atomically(target.parent, [(target.name, render_state(result.closing))])
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise UsageError(f"cannot write `{closing_path}`: {reason}") from None
    if out_dir is not None:
        emit(f"wrote {out_dir}: {bundle_summary(bundle)}\n", err=True)
    if output_format == "json":
        emit(render_run_json(result, trace=trace))
    elif output_format == "csv":
        emit(render_csv(result))
    elif is_terminal():
        rows_lines = [rows_summary(result.rows), *unpaid_share_lines(result.rows)]
        print_tables(period_tables(result), rows_lines, terminal_console(), below_tables(result))
    else:
        emit(render_table(result))  # lists the wage shortfalls itself
        return
    for line in wage_shortfalls(result):
        emit(f"warning: {line}\n", err=True)


#: Largest opening state read (a state is a few bytes per payee and held item).
MAX_STATE_BYTES = 1 << 30


def _read(path: str) -> bytes:
    """The bytes of an opening state: a regular file only, never a device or a pipe."""
    try:
        return read_file(path, limit=MAX_STATE_BYTES)
    except UnreadableFile as exc:
        raise UsageError(f"cannot read the opening state: {exc.message}") from None
    except FileTooLarge as exc:
        raise UsageError(
            f"{path}: the opening state is {exc.size:,} bytes; the limit is {MAX_STATE_BYTES:,}"
        ) from None


def bundle_summary(bundle: Bundle) -> str:
    """What a bundle holds, in one line.

    >>> for part in bundle_summary(Bundle((), "plan/t.plan", 2, True, 3, 5)).split(", "):
    ...     print(part)
    plan/t.plan
    2 inputs copied
    statements.json
    statements.csv
    3 HTML statements
    manifest.json
    """
    inputs = f"{bundle.inputs} input{'s' if bundle.inputs != 1 else ''}"
    inputs += " copied" if bundle.copied else " hashed, not copied"
    html = f"{bundle.statements} HTML statement{'s' if bundle.statements != 1 else ''}"
    return f"{bundle.plan_copy}, {inputs}, statements.json, statements.csv, {html}, manifest.json"


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = run
