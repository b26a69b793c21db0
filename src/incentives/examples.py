"""Running the examples a plan carries (``incentives test``).

Contract: :func:`run_examples` runs every ``example`` of a plan through the
same pipeline as real data (records → dataset → validation → evaluation)
and compares each expectation exactly: amounts with exact decimal equality
(``1,234.50 USD`` equals ``1234.5``, and ``1234.51`` does not), other values
by their text. An example whose data is invalid or cannot be computed fails
with the diagnostics that explain why; nothing is skipped. A problem the data
layer finds in an example's records (``<records:roster>``, row 1) is pointed
back at the clause of the plan that wrote that record (``payee kim: …``), or
at the example itself, with a hint in the example's own terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from incentives.compile import ir
from incentives.data import Dataset
from incentives.diagnostics import Diagnostic, Related
from incentives.errors import DataError, EvaluationError, UsageError
from incentives.evaluate import evaluate
from incentives.evaluate.trace import describe
from incentives.money import evaluation_context
from incentives.results import RunResult
from incentives.source import Span
from incentives.values import ColumnType, Value

__all__ = ["ExampleOutcome", "Mismatch", "run_examples"]


@dataclass(frozen=True)
class Mismatch:
    payee: str
    #: Component or value name; None for the total.
    name: str | None
    expected: str
    actual: str
    span: Span
    #: The currencies, when an amount was expected in one and paid in another.
    expected_currency: str | None = None
    actual_currency: str | None = None


@dataclass(frozen=True)
class ExampleOutcome:
    title: str
    span: Span
    mismatches: list[Mismatch] = field(default_factory=list)
    #: Why the example could not run at all (invalid data, evaluation errors).
    problems: list[Diagnostic] = field(default_factory=list)
    checked: int = 0

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.problems


def run_examples(plan: ir.Plan) -> list[ExampleOutcome]:
    """Run each embedded example and compare its expectations."""
    return [_run(plan, example) for example in plan.examples]


def _run(plan: ir.Plan, example: ir.Example) -> ExampleOutcome:
    try:
        dataset = Dataset.from_records(
            ledger=list(example.ledger),
            roster=list(example.roster),
            quotas=list(example.quotas) or None,
            metrics=list(example.metrics) or None,
            splits=list(example.splits) if example.splits or plan.crediting.splits else None,
            fx=list(example.fx) or None,
        )
        first = plan.scheme.parse(example.period)
        last = plan.scheme.parse(example.last_period) if example.last_period else first
        periods = plan.scheme.span(first, last)
        result = evaluate(plan, dataset, periods)
    except (DataError, EvaluationError) as exc:
        problems = [_in_plan(plan, example, d) for d in exc.diagnostics]
        return ExampleOutcome(example.title, example.span, problems=problems)
    except (UsageError, ValueError) as exc:
        diagnostic = Diagnostic(
            "E502",
            str(exc),
            example.span,
            hint='name a pay period of the plan, like `period "2026-03"`',
        )
        return ExampleOutcome(example.title, example.span, problems=[diagnostic])
    mismatches = []
    optional = optional_lines(plan)
    for payee, name, expected, currency, label, span in example.expectations:
        period = plan.scheme.parse(label).label if label else result.periods[-1]
        actual, actual_currency = _actual(result, payee, name, period, optional)
        if not _equal(expected, actual) or (
            currency is not None and actual_currency is not None and currency != actual_currency
        ):
            currencies = (
                (currency, actual_currency) if currency != actual_currency else (None, None)
            )
            mismatches.append(
                Mismatch(payee, name, describe(expected), _show(actual), span, *currencies)
            )
    return ExampleOutcome(
        example.title, example.span, mismatches, checked=len(example.expectations)
    )


def optional_lines(plan: ir.Plan) -> frozenset[str]:
    """Statement lines the plan adds only when they pay something (0 when absent)."""
    names = {"total_cap", "total_floor", "total_horizon_cap"}
    for draw in plan.draws:
        names |= {draw.name, f"{draw.name}_recovery"}
    names |= {clawback.name for clawback in plan.clawbacks}
    names |= {floor.name for floor in plan.wage_floors}
    for c in plan.components:
        if c.hold is not None:
            names |= {f"{c.name}_held", f"{c.name}_released"}
    return frozenset(names)


def _actual(
    result: RunResult, payee: str, name: str | None, period: str, optional: frozenset[str]
) -> tuple[Value | None, str | None]:
    """The value an expectation names, and its currency if it is a statement amount."""
    statements = [s for s in result.statements if s.payee == payee and s.period == period]
    if not statements:
        return None, None
    statement = statements[0]
    if name is None:
        return statement.total, statement.currency
    for line in statement.lines:
        if line.component == name:
            return line.amount, line.currency
    node = statement.values.get(name)
    if node is None or node.value is None:
        if name in optional:
            return Decimal(0), statement.currency
        return None, None
    return node.value, None


def _equal(expected: Value, actual: Value | None) -> bool:
    if actual is None:
        return False
    if isinstance(expected, Decimal):
        try:
            with evaluation_context():
                return (
                    expected == Decimal(actual) if isinstance(actual, str) else expected == actual
                )
        except ArithmeticError:
            return False
    return describe(expected) == (actual if isinstance(actual, str) else describe(actual))


def _show(actual: Value | None) -> str:
    if actual is None:
        return "no statement or no such value for this payee"
    return actual if isinstance(actual, str) else describe(actual)


# ------------------------------------------------------------ problems in the plan

_RECORDS = re.compile(r"<records:(\w+)>")
_QUOTED = re.compile(r"`([^`]+)`")

#: A data hint that names a file of a dataset, and the table it names.
_FILES = re.compile(r"\b(ledger|roster|quotas|metrics|splits|fx)\.csv\b")

#: How an example writes a record of each table, in full.
_CLAUSE_FORMS = {
    "ledger": "line t1 2026-03-02 kim: 100 {currency}",
    "roster": "payee kim",
    "quotas": 'quotas kim "2026-03": 1,000 {currency}',
    "metrics": "metric kim csat: 90%",
    "splits": "split t1 kim: 50%",
    "fx": "exchange 2026-03-01 EUR USD: 1.08",
}

#: How an example writes a record of each table, for hints: its keyword.
_CLAUSES = {table: form.split()[0] for table, form in _CLAUSE_FORMS.items()}

#: A value of each column type, for hints that show how to write one.
_SAMPLES = {
    ColumnType.TEXT: '"A"',
    ColumnType.DECIMAL: "1",
    ColumnType.COUNT: "1",
    ColumnType.PERCENT: "100%",
    ColumnType.DATE: "2026-01-01",
    ColumnType.BOOL: "true",
}


def _in_plan(plan: ir.Plan, example: ir.Example, diagnostic: Diagnostic) -> Diagnostic:
    """A diagnostic about the example's records, pointed at the plan text that wrote them.

    One already in the plan (a value that cannot be computed) keeps its place;
    a hint that tells the data owner to add a row to a file is told in the
    example's terms instead.
    """
    table = _table_of(diagnostic.span)
    if table is None:
        related = tuple(_related_in_plan(example, r) for r in diagnostic.related)
        hint = diagnostic.hint
        file = _FILES.search(hint or "")
        if file is not None:
            form = _CLAUSE_FORMS[file.group(1)].format(currency=plan.currency)
            hint = f"add it to the example, like `{form}`"
        return replace(diagnostic, related=related, hint=hint)
    span = _record_span(example, table, diagnostic.span.line, diagnostic.span.column)
    return replace(
        diagnostic,
        span=span,
        hint=_example_hint(plan, example, table, diagnostic),
        related=tuple(_related_in_plan(example, r) for r in diagnostic.related),
    )


def _table_of(span: Span) -> str | None:
    found = _RECORDS.fullmatch(span.file)
    return found.group(1) if found else None


def _related_in_plan(example: ir.Example, related: Related) -> Related:
    table = _table_of(related.span)
    if table is None:
        return related
    return Related(_record_span(example, table, related.span.line, related.span.column),
                   related.message)  # fmt: skip


def _records(example: ir.Example, table: str) -> tuple[ir.ExampleRecord, ...]:
    return next((found for name, found in example.records if name == table), ())


def _rows(example: ir.Example, table: str) -> Sequence[dict[str, Value]]:
    rows: dict[str, Sequence[dict[str, Value]]] = {
        "ledger": example.ledger,
        "roster": example.roster,
        "quotas": example.quotas,
        "metrics": example.metrics,
        "splits": example.splits,
        "fx": example.fx,
    }
    return rows.get(table, ())


def _record_span(example: ir.Example, table: str, row: int, column: int) -> Span:
    """The clause that wrote record ``row`` (1-based) of ``table``, or the part of it
    that wrote ``column``; the first such clause for the whole table (row 0); else
    the example."""
    records = _records(example, table)
    if not records:
        return example.span
    record = records[row - 1] if 1 <= row <= len(records) else records[0]
    if row >= 1 and column >= 1:
        # Columns are numbered as the records' keys first appear (data.records).
        names = list(dict.fromkeys(key for found in _rows(example, table) for key in found))
        if column <= len(names):
            cell = dict(record.cells).get(names[column - 1])
            if cell is not None:
                return cell
    return record.span


def _example_hint(plan: ir.Plan, example: ir.Example, table: str, diagnostic: Diagnostic) -> str:
    """What to change in the example; the data layer's own hint speaks of files."""
    clause = _CLAUSES.get(table, "clause")
    if diagnostic.span.line == 0:
        declared = dict(_declared(plan, table))
        missing = [
            name
            for name in _QUOTED.findall(diagnostic.message)
            if name in declared and not any(name in row for row in _rows(example, table))
        ]
        if missing:
            name = missing[0]
            kind = declared[name]
            sample = f"0 {plan.currency}" if kind is ColumnType.MONEY else _SAMPLES.get(kind, "…")
            if table == "roster":
                payee = next((str(row.get("payee")) for row in example.roster), "kim")
                return (
                    f"give the example's payees a `{name}`, like `payee {payee}: {name} {sample}`"
                )
            return f"give each `{clause}` of the example a `{name}`, like `{name} {sample}`"
    if diagnostic.hint and not _FILES.search(diagnostic.hint) and "file" not in diagnostic.hint:
        return diagnostic.hint
    return f"correct the example's `{clause}` so that it holds data the plan can read"


def _declared(plan: ir.Plan, table: str) -> Iterable[tuple[str, ColumnType]]:
    if table == "roster":
        return plan.roster_fields
    if table == "ledger":
        return plan.ledger_columns
    return ()
