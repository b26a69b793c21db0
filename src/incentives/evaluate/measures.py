"""Stage 1: measures over ledger lines (DESIGN §2).

Contract: for each payee and period, every measure is exactly *a filter, an
optional per-line expression, and an aggregate* over the payee's credited
lines dated inside the measure's window (the pay period, or from the start of
the enclosing month, quarter or year for a to-date measure). Nothing here
reads anything about the payee but their lines, so a columnar backend can
replace this module. The result does not depend on the order of the ledger:
lines are visited in (date, txn_id) order and aggregates are order-free
(``min``/``max`` ties go to the first line in that order).

Per-line problems (no matching rate-table row, a division by zero) are
collected as diagnostics naming the ledger file, row and the plan rule.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, DivisionByZero, InvalidOperation

from incentives.compile import ir
from incentives.data import LedgerLine
from incentives.diagnostics import Diagnostic, Related
from incentives.errors import InternalError
from incentives.evaluate.closures import Closure, compile_expr, in_force
from incentives.evaluate.crediting import Credit
from incentives.evaluate.tiers import NoBandError
from incentives.evaluate.trace import show_rate
from incentives.money import format_decimal
from incentives.periods import Period, calendar_period
from incentives.source import Span
from incentives.values import Value

__all__ = ["Contribution", "LineEnv", "MeasureValue", "PayeeLines", "compute_measures"]


@dataclass(frozen=True, slots=True)
class Contribution:
    """One ledger line's part in a measure."""

    txn_id: str
    value: Value
    #: Rate-table rows used for this line, when tracing.
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class MeasureValue:
    value: Value
    contributions: tuple[Contribution, ...]
    #: True when no line matched and the measure's default was used.
    defaulted: bool = False


class _RateMiss(LookupError):
    def __init__(self, table: ir.RateTable, key: tuple[Value, ...]) -> None:
        super().__init__(table.name)
        self.table = table
        self.key = key


class LineEnv:
    """Reads one credited ledger line for line-level expressions."""

    __slots__ = ("credit", "hits", "plan", "tracing")

    def __init__(self, plan: ir.Plan, tracing: bool) -> None:
        self.plan = plan
        self.tracing = tracing
        self.credit: Credit | None = None
        self.hits: list[str] = []

    def column(self, name: str) -> Value:
        credit = self.credit
        assert credit is not None
        line = credit.line
        if name in credit.amounts:
            return credit.amounts[name]
        match name:
            case "txn_id":
                return line.txn_id
            case "date":
                return line.date
            case "payee":
                return credit.payee
            case "seller":
                return line.payee
            case "credit_share":
                return credit.share
            case "credit_type":
                return credit.credit_type
            case "currency":
                return line.currency
        return line.values[name]

    def as_of(self) -> date:
        assert self.credit is not None
        return self.credit.line.date

    def rate(self, table_name: str) -> Decimal:
        table, since = in_force(
            self.plan.rate_tables[table_name],
            self.plan.rate_versions.get(table_name, ()),
            self.as_of(),
        )
        key = tuple(self.column(k) for k in table.keys)
        row = _match(table, key)
        if self.tracing:
            cells = ", ".join(f"{k} {v!s}" for k, v in zip(table.keys, key, strict=True))
            where = "otherwise" if row is table.otherwise else f"row at line {row.span.line}"
            if since is not None:
                where += f", the version from {since.isoformat()}"
            self.hits.append(
                f"{table.name} ({cells}): {show_rate(row.value, table.type)} ({where})"
            )
        return row.value

    def tiers(self, name: str) -> ir.TierTable:
        table, since = in_force(
            self.plan.tiers[name], self.plan.tier_versions.get(name, ()), self.as_of()
        )
        if since is not None and self.tracing:
            self.hits.append(f"{name}: the version from {since.isoformat()}")
        return table

    def note(self, kind: str, node: object, payload: object) -> None:
        if kind == "version" and self.tracing and isinstance(payload, date):
            self.hits.append(f"{node}: the version from {payload.isoformat()}")

    def field(self, name: str) -> Value:
        raise InternalError(f"line-level expression read roster field {name}")

    def metric(self, name: str) -> Value:
        raise InternalError(f"line-level expression read metric {name}")

    def value(self, name: str) -> Value:
        raise InternalError(f"line-level expression read per-payee value {name}")

    def team_value(self, node: ir.TeamValue) -> Value:
        raise InternalError(f"line-level expression read team value {node.name}")

    def rank(self, node: ir.Rank) -> Value:
        raise InternalError(f"line-level expression read rank of {node.name}")


def _match(table: ir.RateTable, key: tuple[Value, ...]) -> ir.RateRow:
    for row in table.rows:
        if all(k is None or k == v for k, v in zip(row.keys, key, strict=True)):
            return row
    if table.otherwise is not None:
        return table.otherwise
    raise _RateMiss(table, key)


@dataclass
class PayeeLines:
    """Credits in (date, txn_id, credit type) order, with their dates for bisecting."""

    lines: list[Credit]
    dates: list[date]

    @classmethod
    def of(
        cls, credits: Sequence[Credit], day: Callable[[Credit], date | None] | None = None
    ) -> PayeeLines:
        """Credits ordered by the date ``day`` gives them (the line's date by default).

        A credit ``day`` gives no date (an empty earning date) is left out.
        """
        when = day or (lambda c: c.line.date)
        dated = [(d, c) for c in credits if (d := when(c)) is not None]
        dated.sort(key=lambda x: (x[0], x[1].line.txn_id, x[1].credit_type))
        return cls([c for _, c in dated], [d for d, _ in dated])

    def window(self, start: date, end: date) -> list[Credit]:
        return self.lines[bisect_left(self.dates, start) : bisect_right(self.dates, end)]


@dataclass
class _Compiled:
    measure: ir.Measure
    argument: Closure | None
    where: Closure | None


def compute_measures(
    plan: ir.Plan,
    payee_lines: PayeeLines | Callable[[str | None], PayeeLines],
    period: Period,
    tracing: bool,
    problems: list[Diagnostic],
    compiled: list[_Compiled] | None = None,
    team_lines: Callable[[ir.Scope, str | None], PayeeLines] | None = None,
) -> dict[str, MeasureValue]:
    """Every measure of ``plan`` for one payee and period.

    ``payee_lines`` gives the payee's credits ordered by a date column (None:
    the plan's earning date); ``team_lines`` the combined lines of a scope's
    payees for team measures (``across …``), each line once.
    """
    measures = compiled if compiled is not None else compile_measures(plan)
    env = LineEnv(plan, tracing)
    results: dict[str, MeasureValue] = {}
    for item in measures:
        m = item.measure
        start = calendar_period(m.horizon, period.end).start if m.horizon else period.start
        if m.scope is not None:
            assert team_lines is not None
            source = team_lines(m.scope, m.dated_by)
        elif isinstance(payee_lines, PayeeLines):
            source = payee_lines
        else:
            source = payee_lines(m.dated_by)
        lines = source.window(start, period.end)
        try:
            results[m.name] = _aggregate(item, lines, env)
        except _LineProblem as problem:
            problems.append(problem.diagnostic)
    return results


def compile_measures(plan: ir.Plan) -> list[_Compiled]:
    return [
        _Compiled(
            m,
            compile_expr(m.argument) if m.argument is not None else None,
            compile_expr(m.where) if m.where is not None else None,
        )
        for m in plan.measures
    ]


class _LineProblem(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _line_span(line: LedgerLine) -> Span:
    return Span(line.ref.source, line.ref.row, 0, line.ref.row, 1)


def _aggregate(item: _Compiled, credits: list[Credit], env: LineEnv) -> MeasureValue:
    m = item.measure
    values: list[Contribution] = []
    for credit in credits:
        line = credit.line
        env.credit = credit
        env.hits = list(credit.notes) if env.tracing else []
        try:
            if item.where is not None and not item.where(env):
                continue
            value: Value = item.argument(env) if item.argument is not None else Decimal(1)
        except _RateMiss as miss:
            cells = ", ".join(f"{k} {v!s}" for k, v in zip(miss.table.keys, miss.key, strict=True))
            raise _LineProblem(
                Diagnostic(
                    "R705",
                    f"line `{line.txn_id}` ({cells}) matches no row of the rate table "
                    f"`{miss.table.name}`",
                    _line_span(line),
                    hint="add a row for it, or an `otherwise` row",
                    related=(Related(miss.table.span, f"`{miss.table.name}` is declared here"),),
                )
            ) from None
        except (DivisionByZero, InvalidOperation):
            raise _LineProblem(
                Diagnostic(
                    "R702",
                    f"line `{line.txn_id}`: `{m.component or m.name}` divides by zero",
                    _line_span(line),
                    related=(Related(m.span, "in this rule"),),
                )
            ) from None
        except NoBandError as exc:
            raise _LineProblem(
                Diagnostic(
                    "R703",
                    f"line `{line.txn_id}`: {format_decimal(exc.value)} falls below every "
                    f"band of `{exc.table}`",
                    _line_span(line),
                    related=(Related(m.span, "in this rule"),),
                )
            ) from None
        detail = "; ".join(env.hits) if env.hits else None
        values.append(Contribution(line.txn_id, value, detail))
    return _reduce(m, values)


def _reduce(m: ir.Measure, values: list[Contribution]) -> MeasureValue:
    match m.aggregate:
        case "sum":
            total = Decimal(0)
            for c in values:
                total += c.value  # type: ignore[operator]
            return MeasureValue(total, tuple(values))
        case "count":
            return MeasureValue(Decimal(len(values)), tuple(values))
        case "count_distinct":
            distinct = {c.value for c in values}
            return MeasureValue(Decimal(len(distinct)), tuple(values))
    if not values:
        assert m.default is not None
        return MeasureValue(m.default, (), defaulted=True)
    match m.aggregate:
        case "min":
            best = min(values, key=lambda c: c.value)  # type: ignore[arg-type, return-value, unused-ignore]
            return MeasureValue(best.value, (best,))
        case "max":
            best = max(values, key=lambda c: c.value)  # type: ignore[arg-type, return-value, unused-ignore]
            return MeasureValue(best.value, (best,))
        case "average":
            total = Decimal(0)
            for c in values:
                total += c.value  # type: ignore[operator]
            return MeasureValue(total / len(values), tuple(values))
    raise InternalError(m.aggregate)  # pragma: no cover
