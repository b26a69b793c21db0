"""Crediting: who each ledger line counts for, how much, in the plan currency.

Contract: :func:`credit_lines` turns every ledger line into one or more
:class:`Credit` records before stage 1 reads anything:

* the payee is the one the plan's crediting rule in force on the line's date
  names (the ``payee`` column unless the plan says ``credit to COLUMN``);
* a line listed in the splits table is shared instead: each ``split`` share
  gets ``amount × share`` in whole minor units of the line's currency and the
  parts add up exactly to the line, the remainder cents going by the plan's
  rule (``largest remainder``: to the largest fractional remainders, ties to
  the lower payee id; ``seller``: all to the payee the ledger names, or the
  lowest payee id if the seller has no share). Overlay shares are on top of the
  100% and are rounded toward zero to whole minor units. Every money column is
  shared the same way;
* a line in another currency is converted with the fx table's rate in force
  on the line's date (or on the last day of its pay period), rounded only if
  the plan says so. A missing rate is an error naming the line and the date;
  nothing is ever converted at 1.

Problems (a crediting column naming nobody, a missing rate) are collected and
raised together as one :class:`~incentives.errors.DataError`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from incentives.compile import ir
from incentives.data import FxRate, LedgerLine, SplitEntry, ValidatedData
from incentives.diagnostics import Diagnostic, sort_diagnostics
from incentives.errors import DataError
from incentives.money import format_decimal, minor_unit, quantize
from incentives.source import Span
from incentives.values import ColumnType

__all__ = ["Credit", "allocate", "credit_lines", "fx_rate"]


@dataclass(frozen=True, slots=True)
class Credit:
    """A ledger line as it counts for one payee."""

    line: LedgerLine
    #: The credited payee.
    payee: str
    #: "direct", "split", or the name of an overlay type.
    credit_type: str
    #: The share of the line credited (1 for a direct credit).
    share: Decimal
    #: Every money column of the line, credited and in the plan currency.
    amounts: Mapping[str, Decimal]
    #: How the amounts were derived from the line (split, conversion), for traces.
    notes: tuple[str, ...] = field(default=())


def money_columns(plan: ir.Plan) -> tuple[str, ...]:
    return ("amount", *(c for c, t in plan.ledger_columns if t is ColumnType.MONEY))


def _line_span(line: LedgerLine) -> Span:
    return Span(line.ref.source, line.ref.row, 0, line.ref.row, 1)


def allocate(
    total: Decimal,
    shares: Sequence[tuple[str, Decimal]],
    unit: Decimal,
    rule: str,
    seller: str,
) -> dict[str, Decimal]:
    r"""Share ``total`` in whole ``unit``\ s in proportion to positive ``shares``.

    The shares need not add up to 1 (a holdback is shared by what each line
    earned); the parts always add up to ``total`` exactly. Each part is its
    exact share rounded down to the unit, and the units left over go one each
    to the largest fractional remainders (ties to the smaller key), or all to
    ``seller`` under the ``seller`` rule.

    >>> allocate(Decimal("100.00"), [("a", Decimal("0.5")), ("b", Decimal("0.5"))],
    ...          Decimal("0.01"), "largest_remainder", "a")
    {'a': Decimal('50.00'), 'b': Decimal('50.00')}
    >>> allocate(Decimal("0.05"), [("b", Decimal("0.5")), ("a", Decimal("0.5"))],
    ...          Decimal("0.01"), "largest_remainder", "b")
    {'b': Decimal('0.02'), 'a': Decimal('0.03')}
    """
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    weight = sum((share for _, share in shares), Decimal(0))
    exact = {payee: magnitude * share / weight for payee, share in shares}
    parts = {payee: value.quantize(unit, rounding=ROUND_DOWN) for payee, value in exact.items()}
    left = magnitude - sum(parts.values(), Decimal(0))
    steps = int((left / unit).to_integral_value())
    if rule == "seller":
        receiver = seller if seller in parts else min(parts)
        parts[receiver] += unit * steps
    else:
        order = sorted(parts, key=lambda p: (-(exact[p] - parts[p]), p))
        for payee in order[:steps]:
            parts[payee] += unit
    return {payee: value * sign for payee, value in parts.items()}


def fx_rate(
    rates: Mapping[tuple[str, str], tuple[FxRate, ...]], source: str, target: str, day: date
) -> FxRate | None:
    """The rate from ``source`` to ``target`` in force on ``day`` (latest on or before it)."""
    series = rates.get((source, target), ())
    index = bisect_right([r.date for r in series], day)
    return series[index - 1] if index else None


def _credited_payee(plan: ir.Plan, line: LedgerLine) -> tuple[str, str]:
    """(payee id, column) under the crediting rule in force on the line's date."""
    rule = plan.crediting.rules[0]
    for candidate in plan.crediting.rules:
        if candidate.start is None or candidate.start <= line.date:
            rule = candidate
    if rule.column == "payee":
        return line.payee, "payee"
    value = line.values.get(rule.column, "")
    return (value if isinstance(value, str) else ""), rule.column


def credit_lines(plan: ir.Plan, data: ValidatedData) -> list[Credit]:
    """Every credit of every ledger line (see the module docstring).

    Raises:
        DataError: if a line credits nobody known, or lacks an exchange rate.
    """
    problems: list[Diagnostic] = []
    credits: list[Credit] = []
    columns = money_columns(plan)
    for line in data.ledger:
        split = data.splits.get(line.txn_id) if plan.crediting.splits else None
        if split:
            shared = _split(plan, line, split, columns)
        else:
            payee, column = _credited_payee(plan, line)
            if payee not in data.roster:
                problems.append(_unknown_payee(line, payee, column))
                continue
            values = {c: _money(line, c) for c in columns}
            shared = [Credit(line, payee, "direct", Decimal(1), values)]
        for credit in shared:
            converted = _convert(plan, data, credit, problems)
            if converted is not None:
                credits.append(converted)
    if problems:
        found = sort_diagnostics(problems)
        raise DataError(f"{len(found)} problem(s) crediting the ledger", found)
    return credits


def _money(line: LedgerLine, column: str) -> Decimal:
    value = line.amount if column == "amount" else line.values[column]
    assert isinstance(value, Decimal)
    return value


def _unit(value: Decimal, currency: str) -> Decimal:
    """The currency's minor unit, or finer if the value itself is finer."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    own = Decimal(1).scaleb(min(exponent, 0))
    return min(minor_unit(currency), own)


def _split(
    plan: ir.Plan, line: LedgerLine, split: Sequence[SplitEntry], columns: Sequence[str]
) -> list[Credit]:
    rule = plan.crediting.remainder
    shares = [(e.payee, e.share) for e in split if e.credit == "split"]
    parts = {
        c: allocate(
            _money(line, c), shares, _unit(_money(line, c), line.currency), rule, line.payee
        )
        for c in columns
    }
    credits = []
    for entry in split:
        if entry.credit == "split":
            values = {c: parts[c][entry.payee] for c in columns}
            note = f"split: {format_decimal((entry.share * 100).normalize())}% of the line"
        else:
            values = {
                c: (_money(line, c) * entry.share).quantize(
                    _unit(_money(line, c), line.currency), rounding=ROUND_DOWN
                )
                for c in columns
            }
            note = (
                f"overlay {entry.credit}: {format_decimal((entry.share * 100).normalize())}% "
                "on top of the line"
            )
        credits.append(Credit(line, entry.payee, entry.credit, entry.share, values, (note,)))
    return credits


def _convert(
    plan: ir.Plan, data: ValidatedData, credit: Credit, problems: list[Diagnostic]
) -> Credit | None:
    line = credit.line
    if line.currency == plan.currency:
        return credit
    assert plan.fx is not None  # validation refuses other currencies without fx
    day = line.date if plan.fx.when == "line_date" else plan.scheme.period_of(line.date).end
    rate = fx_rate(data.fx, line.currency, plan.currency, day)
    if rate is None:
        problems.append(
            Diagnostic(
                "D617",
                f"line `{line.txn_id}` is in {line.currency}, and the fx table has no "
                f"{line.currency}→{plan.currency} rate on or before {day.isoformat()}",
                _line_span(line),
                hint=f"add a row `{day.isoformat()},{line.currency},{plan.currency},<rate>` "
                "to fx.csv; a missing rate is never taken as 1",
            )
        )
        return None
    amounts = {}
    for column, value in credit.amounts.items():
        converted = value * rate.rate
        if plan.fx.rounding is not None:
            mode, unit = plan.fx.rounding
            converted = quantize(converted, unit, mode)
        amounts[column] = converted
    note = (
        f"converted {format_decimal(credit.amounts['amount'])} {line.currency} "
        f"× {format_decimal(rate.rate)} ({line.currency}→{plan.currency} of "
        f"{rate.date.isoformat()}, {rate.ref.source}:{rate.ref.row})"
    )
    return Credit(
        line, credit.payee, credit.credit_type, credit.share, amounts, (*credit.notes, note)
    )


def _unknown_payee(line: LedgerLine, payee: str, column: str) -> Diagnostic:
    shown = f"`{payee}`" if payee else "an empty cell"
    return Diagnostic(
        "D605",
        f"line `{line.txn_id}` is credited by `{column}` to {shown}, which is not a payee "
        "in the roster",
        _line_span(line),
        hint=f"fill in `{column}` with a payee id from the roster",
    )
