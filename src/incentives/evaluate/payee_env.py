"""What a per-payee expression reads: the compiled plan and the payee's environment.

Contract: :class:`CompiledPlan` holds one closure per expression of the plan,
compiled once per run and shared by every payee and period;
:meth:`CompiledPlan.value` evaluates one for a payee (a
:class:`~incentives.evaluate.problems.ComputeProblem` when it has no value).
:class:`PayeeEnv` is what those closures read for one payee and one period:
the values computed so far, roster fields, metrics, period values
(``period_start``, ``period_end``, ``tenure_month``), the tier and rate table
versions in force, and team values in the second pass. Every input it reads
is recorded with its trace (its source row) for the statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from incentives.compile import ir
from incentives.data import Payee, ValidatedData
from incentives.errors import InternalError
from incentives.evaluate.closures import Closure, compile_expr, in_force
from incentives.evaluate.problems import MissingField, MissingMetric, guard
from incentives.evaluate.teams import TeamView
from incentives.evaluate.trace import describe, plan_text
from incentives.periods import Period, months_between
from incentives.results.models import TraceNode
from incentives.values import Value

__all__ = ["PERIOD_VALUES", "CompiledPlan", "PayeeEnv"]


@dataclass
class CompiledPlan:
    """Closures for every per-payee expression, built once per run."""

    plan: ir.Plan
    closures: dict[int, Closure] = field(default_factory=dict)

    def closure(self, expr: ir.Expr) -> Closure:
        key = id(expr)
        found = self.closures.get(key)
        if found is None:
            found = self.closures[key] = compile_expr(expr)
        return found

    def value(self, expr: ir.Expr, env: PayeeEnv) -> Value:
        """``expr`` for the env's payee and period; a ComputeProblem if it has none."""
        closure = self.closure(expr)
        return guard(plan_text(self.plan, expr.span), expr.span, lambda: closure(env))


class PayeeEnv:
    """Reads a payee's values for one period."""

    def __init__(self, plan: ir.Plan, payee: Payee, period: Period, data: ValidatedData) -> None:
        self.plan = plan
        self.payee = payee
        self.period = period
        self.data = data
        self.values: dict[str, Value] = {}
        self.traces: dict[str, TraceNode] = {}
        self.notes: list[tuple[str, object, object]] = []
        self.inputs: dict[str, None] = {}
        #: Every payee's first-pass values, once the second pass starts.
        self.team: TeamView | None = None

    def start(self) -> None:
        self.notes = []
        self.inputs = {}

    def note_texts(self) -> list[str]:
        """Team values and dated versions an evaluation used, in words, once each."""
        texts: dict[str, None] = {}
        for kind, node, payload in self.notes:
            if kind == "team":
                texts[str(payload)] = None
            elif kind == "version" and isinstance(payload, date):
                texts[f"{node}: the version from {payload.isoformat()}"] = None
        return list(texts)

    def column(self, name: str) -> Value:
        raise InternalError(f"per-payee expression read ledger column {name}")

    def rate(self, table: str) -> Decimal:
        raise InternalError(f"per-payee expression read rate table {table}")

    def as_of(self) -> date:
        if self.plan.versions_at == "period_end":
            return self.period.end
        return self.period.start

    def tiers(self, name: str) -> ir.TierTable:
        table, since = in_force(
            self.plan.tiers[name], self.plan.tier_versions.get(name, ()), self.as_of()
        )
        if since is not None:
            self.notes.append(("version", name, since))
        return table

    def note(self, kind: str, node: object, payload: object) -> None:
        self.notes.append((kind, node, payload))

    def team_value(self, node: ir.TeamValue) -> Value:
        if self.team is None:
            raise InternalError("a team value was read before the second pass")
        value, detail = self.team.team_value(node, self.payee)
        self.notes.append(("team", node, detail))
        return value

    def rank(self, node: ir.Rank) -> Value:
        if self.team is None:
            raise InternalError("a rank was read before the second pass")
        value, detail = self.team.rank(node, self.payee)
        self.notes.append(("team", node, detail))
        return value

    def value(self, name: str) -> Value:
        self.inputs[name] = None
        return self.values[name]

    def field(self, name: str) -> Value:
        if name in PERIOD_VALUES:
            return self._period_value(name)
        payee = self.payee
        value: Value | None = getattr(payee, name) if name in _STANDARD else payee.fields.get(name)
        if value is None:
            raise MissingField(name)
        self._input(name, value, "roster field", payee.ref)
        return value

    def metric(self, name: str) -> Value:
        entry = self.data.metrics.get((self.payee.id, self.period.label, name))
        detail = f"metric for {self.period.label}"
        if entry is not None:
            value = entry.value
        else:
            spec = next(m for m in self.plan.metrics if m.name == name)
            if spec.default is None:
                raise MissingMetric(name)
            value = spec.default
            detail = "no value in the metrics table; the plan's default"
        self._input(name, value, detail, None if entry is None else entry.ref)
        return value

    def _period_value(self, name: str) -> Value:
        period = self.period
        value: Value
        if name == "period_start":
            value, detail = period.start, f"the first day of {period.label}"
        elif name == "period_end":
            value, detail = period.end, f"the last day of {period.label}"
        else:
            start = self.payee.start_date
            if start is None:
                raise MissingField("start_date")
            first = max(start, period.start)
            value = Decimal(months_between(start, first) + 1)
            detail = f"month {value} since the start date {start.isoformat()}"
        self._input(name, value, detail, None)
        return value

    def _input(self, name: str, value: Value, detail: str, ref: object) -> None:
        self.inputs[name] = None
        if name not in self.traces:
            where = f"{ref.source}:{ref.row}" if ref is not None else None  # type: ignore[attr-defined]
            self.traces[name] = TraceNode(
                kind="input", label=name, value=describe(value), detail=detail, at=where
            )


PERIOD_VALUES = frozenset({"period_start", "period_end", "tenure_month"})
_STANDARD = frozenset(
    {"name", "role", "manager", "fte", "start_date", "end_date", "payout_currency", "plan"}
)
