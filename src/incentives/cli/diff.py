"""``incentives diff OLD NEW --data DIR --period P``: what a plan change does to pay.

Loads both plans and one dataset, runs each plan over the periods from
``--period`` through ``--to``, and prints per period, payee and component
the old amount, the new amount and the difference, with each payee's total,
each period's total and a grand total (:mod:`incentives.report.diff`), as a
table, JSON or CSV.

Exit: 0 whenever both plans ran, whatever the differences (this is a what-if,
not a test); 1 if a plan has errors or a value cannot be computed; 2 for a
bad period, plans with different pay periods or currencies, a missing file
or directory, or data that is invalid for either plan.
"""

from __future__ import annotations

import click

from incentives.cli._common import emit, load
from incentives.data import Dataset
from incentives.report.diff import (
    check_comparable,
    compare,
    render_diff_csv,
    render_diff_json,
    render_diff_table,
)

__all__ = ["diff"]


@click.command("diff")
@click.argument("old_path", metavar="OLD")
@click.argument("new_path", metavar="NEW")
@click.option("--data", "data_dir", required=True, metavar="DIR", help="directory of CSV inputs")
@click.option("--period", required=True, metavar="P", help="pay period (2026-03) or a date in it")
@click.option("--to", "last", metavar="P2", help="compare every period from P through P2")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="how to print the differences",
)
def diff(old_path: str, new_path: str, data_dir: str, period: str, last: str | None,
         output_format: str) -> None:  # fmt: skip
    """Compare what two plans pay on the same data: old, new and delta per component."""
    old = load(old_path)
    new = load(new_path)
    check_comparable(old.ir, new.ir)
    periods = old.periods(period, last)  # a bad period fails before any data is read
    dataset = Dataset.from_dir(data_dir)
    old_result = old.run(dataset, period=periods[0], to=periods[-1])
    new_result = new.run(dataset, period=periods[0], to=periods[-1])
    result = compare(old.ir, old_result, new.ir, new_result, old_file=old_path, new_file=new_path)
    if output_format == "json":
        emit(render_diff_json(result))
    elif output_format == "csv":
        emit(render_diff_csv(result))
    else:
        emit(render_diff_table(result))


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = diff
