"""Running the examples a plan carries (``incentives test``).

Contract: :func:`run_examples` runs every ``example`` of a plan through the
same pipeline as real data (records → dataset → validation → evaluation)
and compares each expectation exactly: amounts with exact decimal equality
(``1,234.50 USD`` equals ``1234.5``, and ``1234.51`` does not), other values
by their text. An example whose data is invalid or cannot be computed fails
with the diagnostics that explain why; nothing is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from incentives.compile import ir
from incentives.data import Dataset
from incentives.diagnostics import Diagnostic
from incentives.errors import DataError, EvaluationError, UsageError
from incentives.evaluate import evaluate
from incentives.evaluate.trace import describe
from incentives.money import evaluation_context
from incentives.results import RunResult
from incentives.source import Span
from incentives.values import Value

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
        return ExampleOutcome(example.title, example.span, problems=exc.diagnostics)
    except (UsageError, ValueError) as exc:
        diagnostic = Diagnostic("E502", str(exc), example.span)
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
