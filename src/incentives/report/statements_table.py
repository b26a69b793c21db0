"""Statements as plain-text tables, one per period (``incentives run``).

Contract: :func:`period_tables` lays a :class:`~incentives.results.RunResult`
out as one :class:`PeriodTable` per period of the run, in run order: a row
per statement (payee order, as in the result) and a column per component, in
the order components first appear on the statements (plan order), then the
statement total and its currency. A payee without a line for a component
gets an empty cell. When every statement of the period is in one currency a
``total`` row adds up each column exactly (in the engine's decimal context).
:func:`render_table` writes the tables and the row accounting line as text;
under each period's table, the balances carried (draws, held amounts, caps,
true-ups: opening → closing, with what happened) and the leaderboards; after
the row accounting line, every share of a credited line that counts for no
statement, with its reason. Columns are padded with spaces, amounts
right-aligned, every cell passed through
:func:`~incentives.report._text.visible`. The bytes depend only on the
result, never on the terminal, locale or time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from incentives.money import evaluation_context, format_decimal, minor_unit
from incentives.report._text import cell_width, pad, visible
from incentives.results import Leaderboard, RowAccounting, RunResult, Statement

__all__ = [
    "PeriodTable",
    "below_tables",
    "period_tables",
    "render_table",
    "rows_summary",
    "unpaid_share_lines",
]


@dataclass(frozen=True)
class PeriodTable:
    """The statements of one period, as rows of text cells."""

    #: Period label ("2026-03").
    period: str
    #: "2026-03 (2026-03-01 to 2026-03-31)", or the label alone if no statement.
    title: str
    headers: tuple[str, ...]
    #: Whether each column holds amounts (aligned right).
    numeric: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Column sums, when the period has statements in a single currency.
    totals: tuple[str, ...] | None


def period_tables(result: RunResult) -> list[PeriodTable]:
    """One table per period of the run, in run order (see the module docstring)."""
    tables = []
    for period in result.periods:
        statements = [s for s in result.statements if s.period == period]
        tables.append(_period_table(period, statements))
    return tables


def _period_table(period: str, statements: Sequence[Statement]) -> PeriodTable:
    components: list[str] = []
    for statement in statements:
        for line in statement.lines:
            if line.component not in components:
                components.append(line.component)
    headers = ("payee", "name", *components, "total", "currency")
    numeric = (False, False, *(True for _ in components), True, False)
    rows = []
    for s in statements:
        amounts = {line.component: format_decimal(line.amount) for line in s.lines}
        cells = [amounts.get(c, "") for c in components]
        rows.append((s.payee, s.payee_name or "", *cells, format_decimal(s.total), s.currency))
    title = period
    if statements:
        title = f"{period} ({statements[0].start.isoformat()} to {statements[0].end.isoformat()})"
    totals = None
    currencies = {s.currency for s in statements}
    if len(currencies) == 1:
        sums = [_sum([s.amount(c) for s in statements if _has(s, c)]) for c in components]
        total = _sum([s.total for s in statements])
        totals = ("total", "", *sums, total, statements[0].currency)
    return PeriodTable(period, title, headers, numeric, tuple(rows), totals)


def _has(statement: Statement, component: str) -> bool:
    return any(line.component == component for line in statement.lines)


def _sum(amounts: Sequence[Decimal]) -> str:
    with evaluation_context():
        return format_decimal(sum(amounts, Decimal(0)))


def rows_summary(rows: RowAccounting) -> str:
    """The row accounting in one line.

    >>> rows_summary(RowAccounting(read=5, credited=3, excluded={"late": 2}))
    'rows: 5 read, 3 credited, 2 excluded: 2 late'
    """
    excluded = sum(rows.excluded.values())
    text = f"rows: {rows.read} read, {rows.credited} credited, {excluded} excluded"
    if rows.unpaid_shares:
        text = text.replace(
            " credited,", f" credited ({len(rows.unpaid_shares)} share(s) not paid, below),", 1
        )
    if rows.excluded:
        reasons = sorted(rows.excluded.items())
        text += ": " + "; ".join(f"{count} {reason}" for reason, count in reasons)
    return text


def wage_shortfalls(result: RunResult) -> list[str]:
    """One line per statement that pays less than a minimum wage the plan only flags."""
    found = []
    for s in result.statements:
        for w in s.wage_checks:
            if w.outcome == "below_minimum":
                found.append(
                    f"below the minimum wage: {s.payee} {s.period} `{w.name}`: paid "
                    f"{format_decimal(w.paid)} of {format_decimal(w.minimum)} {w.currency} "
                    f"({format_decimal(w.hours)} hours), short {format_decimal(w.shortfall)}"
                )
    return [visible(line) for line in found]


def below_tables(result: RunResult) -> dict[str, list[str]]:
    """What each period's table is followed by: its balances, then its leaderboards."""
    found = {}
    for period in result.periods:
        statements = [s for s in result.statements if s.period == period]
        boards = [b for b in result.leaderboards if b.period == period]
        found[period] = balance_lines(statements) + [
            line for b in boards for line in board_lines(b)
        ]
    return found


def render_table(result: RunResult) -> str:
    """Every period's table, then the row accounting line; ends with a newline."""
    blocks = []
    below = below_tables(result)
    for table in period_tables(result):
        block = _render_period(table)
        blocks.append(block + "".join(visible(line) + "\n" for line in below[table.period]))
    flagged = wage_shortfalls(result)
    if flagged:
        blocks.append("\n".join(flagged) + "\n")
    blocks.append(
        rows_summary(result.rows)
        + "\n"
        + "".join(visible(line) + "\n" for line in unpaid_share_lines(result.rows))
    )
    return "\n".join(blocks)


def balance_lines(statements: Sequence[Statement]) -> list[str]:
    """The balances the statements carry, as an aligned block under a heading.

    >>> from incentives.results.models import Balance
    >>> s = Statement.model_construct(payee="ana", currency="USD", balances=[
    ...     Balance(name="floor_pay", kind="draw", opening=Decimal(0), closing=Decimal(800))])
    >>> print("\\n".join(balance_lines([s])))
    balances:
      ana  floor_pay  draw  0.00  ->  800.00  USD
    """
    rows = []
    for s in statements:
        # balances are kept in the plan's currency, before any payout conversion
        currency = s.conversion.source if s.conversion is not None else s.currency
        for b in s.balances:
            rows.append(
                (
                    s.payee,
                    b.name,
                    b.kind.replace("_", " "),
                    _money(b.opening, currency),
                    "->",
                    _money(b.closing, currency),
                    currency,
                    b.detail or "",
                )
            )
    if not rows:
        return []
    widths = [max(cell_width(visible(r[i])) for r in rows) for i in range(len(rows[0]))]
    right = (False, False, False, True, False, True, False, False)
    lines = ["balances:"]
    for r in rows:
        cells = [pad(visible(c), widths[i], right=right[i]) for i, c in enumerate(r)]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def _money(amount: Decimal, currency: str) -> str:
    """An amount with at least the currency's minor digits (0 → 0.00)."""
    with evaluation_context():
        unit = minor_unit(currency)
        if amount.as_tuple().exponent > unit.as_tuple().exponent:  # type: ignore[operator]
            amount = amount.quantize(unit)
        return format_decimal(amount)


def board_lines(board: Leaderboard) -> list[str]:
    """A leaderboard: its ranking in the plan's words, then one line per place."""
    group = f" (group {board.group})" if board.group else ""
    head = f"leaderboard: {board.ranking}{group}"
    return [
        head,
        *(
            f"  {row.rank}. {row.payee}"
            + (f" {row.payee_name}" if row.payee_name else "")
            + f": {row.value}"
            for row in board.rows
        ),
    ]


def unpaid_share_lines(rows: RowAccounting) -> list[str]:
    """Each share of a credited line that counts for no statement, with its reason;
    then the metrics rows not read because the plan declares no such metric."""
    found = [
        f"share not paid: line {u.txn_id}, {_share(u.share)} to {u.payee} ({u.credit_type}): "
        f"{u.reason}"
        for u in rows.unpaid_shares
    ]
    if rows.ignored_metrics:
        names = ", ".join(f"`{name}` ({count})" for name, count in rows.ignored_metrics.items())
        found.append(f"metrics rows not read (this plan declares no such metric): {names}")
    return found


def _share(share: Decimal) -> str:
    with evaluation_context():
        return format_decimal(share.scaleb(2).normalize()) + "%"


def _render_period(table: PeriodTable) -> str:
    if not table.rows:
        return f"{visible(table.title)}: no statements\n"
    body = [tuple(visible(cell) for cell in row) for row in table.rows]
    footer = tuple(visible(cell) for cell in table.totals) if table.totals else None
    every = [table.headers, *body, *([footer] if footer else [])]
    widths = [max(cell_width(row[i]) for row in every) for i in range(len(table.headers))]
    rule = tuple("-" * w for w in widths)

    def line(cells: Sequence[str]) -> str:
        padded = [pad(cell, widths[i], right=table.numeric[i]) for i, cell in enumerate(cells)]
        return "  ".join(padded).rstrip()

    out = [visible(table.title), line(table.headers), line(rule)]
    out.extend(line(row) for row in body)
    if footer:
        out.extend([line(rule), line(footer)])
    return "\n".join(out) + "\n"
