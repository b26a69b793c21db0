"""``incentives plot PLAN --quota AMOUNT`` / ``--payee ID``: the payout curve.

Runs the plan for one payee whose sales in one period go from 0 % to 200 % of
their quota in ``--steps`` steps (:mod:`incentives.report.curve`), and draws
the total and each component with band edges, gates, caps and floors marked
(:mod:`incentives.report.plot`, needs the ``plot`` extra), or prints the
points as CSV (``--format csv``, no extra needed).

Who is plotted:

* ``--quota AMOUNT`` — a synthetic full-time, fully ramped payee whose quota
  is AMOUNT (the sales at 100 %), in ``--period`` (default: the period of the
  plan's first example); declared ledger columns, roster fields and metrics
  take neutral values or defaults, set with ``--column``, ``--field`` and
  ``--metric NAME=VALUE`` (cell text, as in the CSV files); a plan that
  splits by the splits table gets an empty one (the payee's line is theirs
  in full);
* ``--payee ID --data DIR --period P`` — a real payee, with their roster row,
  quotas, metrics (``--metric`` overrides), earlier ledger lines credited to
  them (with those lines' split rows) and the fx rates; only their sales in
  the period vary, as one line credited 100 % to them. ``--quota`` then sets
  100 % when the plan has no quota of its own.

``--quota`` is an amount in the plan's currency (``10,000.00``, optionally
followed by the currency code), at least the currency's minor unit, with at
most 18 digits before the point and 12 after, and small enough that 200 % of
it is an amount too. A refusal names the option and the value as written,
never a place in the curve's synthetic records.

Output: ``--output FILE`` (``.svg``, ``.png`` or ``.csv``; the format follows
the suffix unless ``--format`` says otherwise), written atomically; without
it, stdout. PNG is not written to a terminal.

Exit: 0 on success; 1 if the plan has errors or a point cannot be computed;
2 for bad options, a payee not on the plan or not active, invalid data,
matplotlib missing for SVG or PNG, or an output file that cannot be written.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import click

from incentives.check.types import money, show
from incentives.cli._common import emit, is_terminal, load, output_format
from incentives.data import Dataset
from incentives.errors import UsageError
from incentives.money import NumberTextError, parse_decimal
from incentives.periods import Period
from incentives.pipeline import Plan
from incentives.report.curve import (
    MAX_STEPS,
    Curve,
    Scenario,
    compute_curve,
    payee_scenario,
    render_curve_csv,
    synthetic_scenario,
)
from incentives.report.curve_scenario import check_quota
from incentives.report.files import write_atomically

__all__ = ["plot"]

_FORMATS = ("svg", "png", "csv")
_SUFFIXES = {f".{name}": name for name in _FORMATS}
_AMOUNT = re.compile(r"(-?[0-9]{1,3}(?:,[0-9]{3})+|-?[0-9]+)(\.[0-9]+)?(?:\s*([A-Z]{3}))?")


@click.command("plot")
@click.argument("plan_path", metavar="PLAN")
@click.option("--payee", metavar="ID", help="plot this payee of --data (with --period)")
@click.option("--data", "data_dir", metavar="DIR", help="directory of CSV inputs (with --payee)")
@click.option("--period", metavar="P", help="pay period (2026-03) or a date in it")
@click.option("--quota", metavar="AMOUNT", help="the sales at 100% attainment")
@click.option("--output", "-o", metavar="FILE", help="write FILE.svg, FILE.png or FILE.csv")
@click.option("--format", "file_format", type=click.Choice(_FORMATS), help="default: from FILE")
@click.option(
    "--steps",
    type=click.IntRange(1, MAX_STEPS),
    default=200,
    show_default=True,
    help="steps from 0% to 200%",
)
@click.option("--component", metavar="NAME", help="plot one component only")
@click.option("--metric", multiple=True, metavar="NAME=VALUE", help="a metric's value")
@click.option("--column", multiple=True, metavar="NAME=VALUE", help="a ledger column's value")
@click.option("--field", multiple=True, metavar="NAME=VALUE", help="a roster field (with --quota)")
def plot(
    plan_path: str,
    payee: str | None,
    data_dir: str | None,
    period: str | None,
    quota: str | None,
    output: str | None,
    file_format: str | None,
    steps: int,
    component: str | None,
    metric: tuple[str, ...],
    column: tuple[str, ...],
    field: tuple[str, ...],
) -> None:
    """Plot the payout from 0% to 200% attainment, with band edges, gates and caps."""
    plan = load(plan_path)
    chosen = output_format(file_format, output, _SUFFIXES, "svg")
    metrics, columns = _assignments("metric", metric), _assignments("column", column)
    reference = _amount(quota, plan) if quota is not None else None
    if payee is not None:
        if data_dir is None or period is None:
            raise UsageError("--payee needs --data DIR and --period P")
        if field:
            raise UsageError("--field is for --quota: with --payee the roster's row is used")
        scenario = payee_scenario(
            plan.ir,
            Dataset.from_dir(data_dir),
            plan.period(period),
            payee,
            quota=reference,
            metrics=metrics,
            columns=columns,
            quota_text=quota,
        )
    elif reference is not None:
        if data_dir is not None:
            raise UsageError("--data is for --payee; with --quota the payee is synthetic")
        scenario = synthetic_scenario(
            plan.ir,
            _period(plan, period),
            reference,
            metrics=metrics,
            columns=columns,
            fields=_assignments("field", field),
            quota_text=quota,
        )
    else:
        raise UsageError("give --quota AMOUNT, or --payee ID with --data DIR and --period P")
    curve = compute_curve(scenario, steps=steps, component=component)
    _note_quota(curve, scenario)
    if chosen == "csv":
        data = render_curve_csv(curve).encode("utf-8")
    else:
        from incentives.report.plot import render_plot

        data = render_plot(curve, "png" if chosen == "png" else "svg")
    if output is None:
        if chosen == "png" and is_terminal():
            raise UsageError("PNG is binary: write it with --output FILE.png")
        click.echo(data, nl=False)
        return
    target = Path(output)
    try:
        write_atomically(target.parent, [(target.name, data)])
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"cannot write `{output}`: {reason}") from None
    emit(f"wrote {output}\n", err=True)


def _assignments(option: str, values: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for text in values:
        name, sep, value = text.partition("=")
        if not sep or not name:
            raise UsageError(f"--{option} {text}: write NAME=VALUE")
        if name in found:
            raise UsageError(f"--{option} {name} is given twice")
        found[name] = value
    return found


def _amount(text: str, plan: Plan) -> Decimal:
    match = _AMOUNT.fullmatch(text.strip())
    if match is None or (match[3] is not None and match[3] != plan.currency):
        raise UsageError(
            f"--quota {text}: write an amount in {plan.currency}, like 10000 or 10,000.00"
        )
    try:
        amount = parse_decimal(match[1].replace(",", "") + (match[2] or ""))
    except NumberTextError as exc:
        number = exc.message.partition("` has ")[2]
        raise UsageError(f"--quota {text}: it has {number} ({exc.hint})") from None
    check_quota(amount, plan.currency, text)
    return amount


def _period(plan: Plan, period: str | None) -> Period:
    if period is not None:
        return plan.period(period)
    if plan.ir.examples:
        return plan.period(plan.ir.examples[0].period)
    raise UsageError("the plan has no example to take a period from: give --period P")


def _note_quota(curve: Curve, scenario: Scenario) -> None:
    if curve.plan_quota is None or curve.plan_quota == curve.quota:
        return
    currency = money(curve.currency)
    emit(
        f"note: the plan's quota `{curve.quota_name}` is {show(curve.plan_quota, currency)} "
        f"for {scenario.payee} in {curve.period}; attainment on the curve is sales ÷ "
        f"{show(curve.quota, currency)}\n",
        err=True,
    )


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = plot
