"""``incentives explain PLAN --data DIR --period P --payee ID``: how a statement came about.

Runs one period and prints one payee's statement as a tree: each line's
trace with its parts, the values it used, the plan locations and the ledger
lines behind each step (:mod:`incentives.report.explain`). ``--format json``
prints the statement model with its traces and values.

Exit: 0 on success; 1 if the plan has errors or a value cannot be computed;
2 for a bad period, a missing file, invalid data, or a payee with no
statement in the period: a roster payee on another plan or not active in the
period is told so (with their dates and their nearest period on the plan);
any other id gets the nearest payee ids.
"""

from __future__ import annotations

import difflib

import click

from incentives.cli._common import emit, is_terminal, load
from incentives.cli._console import print_tree, terminal_console
from incentives.data import Dataset
from incentives.errors import UsageError
from incentives.evaluate import requirements
from incentives.evaluate.run import active_in, on_plan
from incentives.periods import Period
from incentives.pipeline import Plan
from incentives.report.explain import explain_tree, render_tree
from incentives.report.statements_json import render_statement_json
from incentives.results import RunResult, Statement

__all__ = ["explain", "find_statement"]

#: How many payee ids a "no such payee" message lists at most.
_LISTED = 10


@click.command("explain")
@click.argument("plan_path", metavar="PLAN")
@click.option("--data", "data_dir", required=True, metavar="DIR", help="directory of CSV inputs")
@click.option("--period", required=True, metavar="P", help="pay period (2026-03) or a date in it")
@click.option("--payee", required=True, metavar="ID", help="the payee id, as in the roster")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="a tree for people, the statement model for tools",
)
def explain(plan_path: str, data_dir: str, period: str, payee: str, output_format: str) -> None:
    """Explain one payee's statement, line by line, down to the ledger."""
    plan = load(plan_path)
    the_period = plan.period(period)
    dataset = Dataset.from_dir(data_dir)
    result = plan.run(dataset, period=the_period)
    if not any(s.payee == payee and s.period == the_period.label for s in result.statements):
        _refuse_a_payee_not_paid(plan, dataset, payee, the_period)
    statement = find_statement(result, payee, the_period.label)
    if output_format == "json":
        emit(render_statement_json(statement))
    elif is_terminal():
        print_tree(explain_tree(statement), terminal_console())
    else:
        emit(render_tree(explain_tree(statement)))


def find_statement(result: RunResult, payee: str, period: str) -> Statement:
    """The statement of ``payee`` in ``period``.

    Raises:
        UsageError: naming the closest payee ids when there is no such statement.
    """
    ids = [s.payee for s in result.statements if s.period == period]
    if payee in ids:
        return result.statement(payee, period)
    message = f"no statement for payee `{payee}` in {period}"
    if not ids:
        raise UsageError(f"{message}: nobody on the plan has a statement in {period}")
    close = difflib.get_close_matches(payee, ids, n=3, cutoff=0.6)
    folded = [i for i in ids if i.casefold() == payee.casefold() and i not in close]
    close = folded + close
    if close:
        raise UsageError(f"{message}; did you mean {_names(close)}?")
    listed = ", ".join(f"`{i}`" for i in ids[:_LISTED])
    more = f" and {len(ids) - _LISTED} more" if len(ids) > _LISTED else ""
    raise UsageError(f"{message}; payees with a statement: {listed}{more}")


def _refuse_a_payee_not_paid(plan: Plan, dataset: Dataset, payee: str, period: Period) -> None:
    """Say why a payee of the roster has no statement: another plan, or not active.

    A payee the roster has is not a typo, so no look-alike ids are offered.

    Raises:
        UsageError: if the roster has ``payee`` and either holds.
    """
    person = dataset.validate(requirements(plan.ir)).roster.get(payee)
    if person is None:
        return
    if not on_plan(plan.ir, person):
        raise UsageError(
            f"payee `{payee}` is on another plan ({person.plan}), not on `{plan.name}`"
        )
    if active_in(person, period):
        return
    start, end = person.start_date, person.end_date
    if start is not None and end is not None:
        when = f"employed from {start.isoformat()} to {end.isoformat()}"
    elif start is not None:
        when = f"employed from {start.isoformat()}"
    else:
        when = f"employed until {end.isoformat() if end is not None else '?'}"
    scheme = plan.ir.scheme
    if start is not None and start > period.end:
        near = f"their first active {scheme.kind.noun} is {scheme.period_of(start).label}"
    elif end is not None:
        near = f"their last active {scheme.kind.noun} is {scheme.period_of(end).label}"
    else:  # pragma: no cover - not active means one date is outside the period
        near = "choose a period they were active in"
    raise UsageError(f"payee `{payee}` is not active in {period.label} ({when}): {near}")


def _names(ids: list[str]) -> str:
    quoted = [f"`{i}`" for i in ids]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = explain
