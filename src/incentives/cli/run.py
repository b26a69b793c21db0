"""``incentives run PLAN --data DIR --period P``: compute the statements.

Loads the plan and the dataset, runs the periods from ``--period`` through
``--to`` and prints the statements as a table (people), JSON or CSV (tools).
``--trace`` adds each line's trace and the named values to the JSON.

With ``--out DIR`` it also writes ``statements.json`` (complete, with
traces), ``statements.csv`` and ``manifest.json`` into DIR: all three are
rendered in memory first, then written atomically with the manifest last
(:mod:`incentives.report.files`), so a failed run leaves no partial file.

Exit: 0 on success; 1 if the plan has errors or a value cannot be computed;
2 for a bad period, a missing file or directory, invalid data, or an output
directory that cannot be written.
"""

from __future__ import annotations

from pathlib import Path

import click

from incentives.cli._common import emit, is_terminal, load
from incentives.cli._console import print_tables, terminal_console
from incentives.data import Dataset
from incentives.errors import UsageError
from incentives.pipeline import Plan
from incentives.report.files import write_atomically
from incentives.report.manifest import build_manifest, render_manifest
from incentives.report.statements_csv import render_csv
from incentives.report.statements_json import render_run_json
from incentives.report.statements_table import period_tables, render_table, rows_summary
from incentives.results import RunResult

__all__ = ["OUTPUT_FILES", "render_outputs", "run"]

#: The files ``--out`` writes, in the order they are published.
OUTPUT_FILES = ("statements.json", "statements.csv", "manifest.json")


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
@click.option("--out", "out_dir", metavar="DIR", help="also write statements and a manifest here")
@click.option("--trace", is_flag=True, help="include traces and named values in JSON output")
def run(
    plan_path: str,
    data_dir: str,
    period: str,
    last: str | None,
    output_format: str,
    out_dir: str | None,
    trace: bool,
) -> None:
    """Compute the statements of a plan for one or more periods."""
    plan = load(plan_path)
    periods = plan.periods(period, last)  # a bad period fails before any data is read
    dataset = Dataset.from_dir(data_dir)
    result = plan.run(dataset, period=periods[0], to=periods[-1])
    if out_dir is not None:
        files = render_outputs(plan_path, plan, dataset, result)
        try:
            write_atomically(out_dir, files)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise UsageError(f"cannot write the outputs to `{out_dir}`: {reason}") from None
        emit(f"wrote {', '.join(OUTPUT_FILES)} to {out_dir}\n", err=True)
    if output_format == "json":
        emit(render_run_json(result, trace=trace))
    elif output_format == "csv":
        emit(render_csv(result))
    elif is_terminal():
        print_tables(period_tables(result), rows_summary(result.rows), terminal_console())
    else:
        emit(render_table(result))


def render_outputs(
    plan_path: str, plan: Plan, dataset: Dataset, result: RunResult
) -> list[tuple[str, bytes]]:
    """Every ``--out`` file as bytes, manifest last.

    Raises:
        UsageError: if the plan file changed on disk while it was being run.
    """
    plan_bytes = _plan_bytes(plan_path, plan)
    outputs = {
        "statements.json": render_run_json(result, trace=True).encode("utf-8"),
        "statements.csv": render_csv(result).encode("utf-8"),
    }
    manifest = build_manifest(
        plan_file=plan_path,
        plan_bytes=plan_bytes,
        plan=plan.ir,
        dataset=dataset,
        result=result,
        outputs=outputs,
    )
    return [*outputs.items(), ("manifest.json", render_manifest(manifest).encode("utf-8"))]


def _plan_bytes(plan_path: str, plan: Plan) -> bytes:
    # The manifest hashes the file's bytes (a BOM included), so read them
    # again, and make sure they are still the text that was run.
    try:
        data = Path(plan_path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{plan_path}: cannot read the plan ({exc.strerror})") from None
    if data.decode("utf-8-sig", errors="replace") != plan.source.text:
        raise UsageError(f"{plan_path}: the plan changed while it was being run")
    return data


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = run
