"""``incentives report PLAN --data DIR --as-of DATE``: where the team stands mid-period.

Loads the plan and the dataset and computes, for the pay period containing
DATE and the ledger lines dated on or before it, each payee's measures
against the target prorated to the date, attainment, pace, payout to date
and the projected payout at the current pace, the plan's leaderboards, the
distribution of attainment and the payout's cost as a share of sales
(:mod:`incentives.report.standing`).

Output: ``--format html`` is one self-contained page with inline SVG charts
(:mod:`incentives.report.standing_html`); ``--format json`` the same figures
as canonical JSON. Without ``--format``, the suffix of ``-o`` chooses:
``.html`` or ``.htm`` for HTML, ``.json`` for JSON; any other suffix, or
none, is refused (exit 2, listing these). JSON on stdout without ``-o``. ``-o FILE`` is
written atomically (:mod:`incentives.report.files`).

Exit: 0 on success; 1 if the plan has errors or a value cannot be computed;
2 for a date that is not ``YYYY-MM-DD``, a missing file or directory, invalid
data, an output file whose suffix names no format, or one that cannot be
written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from incentives.cli._common import emit, load
from incentives.cli._common import output_format as pick_format
from incentives.data import Dataset
from incentives.errors import UsageError
from incentives.periods import parse_date
from incentives.report.files import write_atomically
from incentives.report.standing import render_standing_json, standing_report

__all__ = ["report"]

#: The suffixes ``-o`` may have, and the format each means.
_SUFFIXES = {".html": "html", ".htm": "html", ".json": "json"}


def _as_of(ctx: click.Context, param: click.Parameter, value: str) -> date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@click.command("report")
@click.argument("plan_path", metavar="PLAN")
@click.option("--data", "data_dir", required=True, metavar="DIR", help="directory of CSV inputs")
@click.option(
    "--as-of",
    "as_of",
    required=True,
    metavar="DATE",
    callback=_as_of,
    help="YYYY-MM-DD: report on the period containing DATE, reading the lines dated up to it",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "json"]),
    help="html or json; default: from -o (.html/.htm or .json), else json",
)
@click.option("--output", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout")
def report(
    plan_path: str,
    data_dir: str,
    as_of: date,
    output_format: str | None,
    output: str | None,
) -> None:
    """Where the team stands part-way through a period: targets to date, pace, projection."""
    chosen = pick_format(output_format, output, _SUFFIXES, "json")
    plan = load(plan_path)
    standing = standing_report(plan, Dataset.from_dir(data_dir), as_of)
    if chosen == "html":
        from incentives.report.standing_html import render_standing_html

        text = render_standing_html(standing)
    else:
        text = render_standing_json(standing)
    if output is None:
        emit(text)
        return
    target = Path(output)
    if target.is_dir():
        # Checked first: write_atomically would leave its temporary file behind
        # when the final rename meets a directory.
        raise UsageError(f"cannot write `{output}`: it is a directory")
    try:
        write_atomically(target.parent, [(target.name, text.encode("utf-8"))])
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"cannot write `{output}`: {reason}") from None
    emit(f"wrote {output}\n", err=True)


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = report
