r"""Stage 2: one payee, one period — named values, components, total.

Contract: :class:`PayeeRun` computes a payee's per-payee values (measures,
quotas, ``let``\ s and components, :mod:`incentives.evaluate.components`) in
the plan's evaluation order, pass by pass, and :meth:`PayeeRun.finish`
returns the statement: the component lines in plan order, the total's cap or
floor adjustment, and the total as the sum of the lines, with the trace of
every named value. :func:`evaluate_statement` does both passes for a plan
that reads no other payee's values. Problems (a zero quota, a value outside
every band, a missing metric or quota) are returned as diagnostics naming the
payee, the period and the rule; nothing is returned for that payee then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from incentives.compile import ir
from incentives.data import Payee, ValidatedData
from incentives.diagnostics import Diagnostic
from incentives.evaluate.components import component_line, total_adjustments
from incentives.evaluate.measures import MeasureValue
from incentives.evaluate.payee_env import CompiledPlan, PayeeEnv
from incentives.evaluate.problems import ComputeProblem, guard
from incentives.evaluate.quotas import quota_for
from incentives.evaluate.trace import describe, line_parts, plan_text, span_text, unit_of
from incentives.periods import Period
from incentives.results.models import Statement, StatementLine, TraceNode

__all__ = ["PayeeRun", "evaluate_statement"]


@dataclass
class PayeeRun:
    """One payee's evaluation for one period, pass by pass."""

    compiled: CompiledPlan
    env: PayeeEnv
    measures: dict[str, MeasureValue]
    lines: list[StatementLine] = field(default_factory=list)
    failed: bool = False

    def run(self, names: Sequence[str], problems: list[Diagnostic]) -> None:
        """Evaluate ``names`` in order; stop at the first problem (reported)."""
        plan = self.compiled.plan
        env = self.env
        components = {c.name: c for c in plan.components}
        for name in names:
            if self.failed:
                return
            try:
                if name in components:
                    line = component_line(self.compiled, env, components[name], self.measures)
                    env.values[name] = line.amount
                    self.lines.append(line)
                elif name in plan.lets:
                    _let(self.compiled, env, plan.lets[name])
                elif name in plan.quotas:
                    _quota(self.compiled, env, plan.quotas[name])
                else:
                    _measure(env, plan, name, self.measures[name])
            except ComputeProblem as problem:
                problems.append(problem.to_diagnostic(env.payee.id, env.period.label))
                self.failed = True

    def finish(self, problems: list[Diagnostic]) -> Statement | None:
        """The statement, once every name is evaluated (None if a problem was found)."""
        if self.failed:
            return None
        plan = self.compiled.plan
        env = self.env
        lines = sorted(self.lines, key=lambda line: _component_index(plan, line.component))
        try:
            lines += total_adjustments(self.compiled, env, lines)
        except ComputeProblem as problem:
            problems.append(problem.to_diagnostic(env.payee.id, env.period.label))
            return None
        total = Decimal(0)
        for line in lines:
            total += line.amount
        return Statement(
            payee=env.payee.id,
            payee_name=env.payee.name,
            period=env.period.label,
            start=env.period.start,
            end=env.period.end,
            currency=plan.currency,
            lines=lines,
            total=total,
            values=env.traces,
        )


def evaluate_statement(
    compiled: CompiledPlan,
    payee: Payee,
    period: Period,
    data: ValidatedData,
    measures: dict[str, MeasureValue],
    problems: list[Diagnostic],
) -> Statement | None:
    """The statement of a payee whose plan reads no other payee's values."""
    state = PayeeRun(compiled, PayeeEnv(compiled.plan, payee, period, data), measures)
    state.run(compiled.plan.order, problems)
    return state.finish(problems)


def _component_index(plan: ir.Plan, name: str) -> int:
    for i, c in enumerate(plan.components):
        if c.name == name:
            return i
    return len(plan.components)  # pragma: no cover


def _measure(env: PayeeEnv, plan: ir.Plan, name: str, value: MeasureValue) -> None:
    measure = next(m for m in plan.measures if m.name == name)
    env.values[name] = value.value
    detail = plan_text(plan, measure.span).split("=", 1)[-1].strip()
    if value.defaulted:
        detail += " (no matching lines: the default)"
    unit = unit_of(measure.type)
    parts = []
    if measure.aggregate == "sum" and any(c.detail for c in value.contributions):
        # Lines that were converted or split: each line's part, and how it came about.
        parts = line_parts(value, unit)
    env.traces[name] = TraceNode(
        kind="measure",
        label=name,
        value=describe(value.value),
        unit=unit,
        detail=detail,
        at=span_text(measure.span),
        lines=[c.txn_id for c in value.contributions],
        parts=parts,
    )


def _let(compiled: CompiledPlan, env: PayeeEnv, let: ir.Let) -> None:
    env.start()
    closure = compiled.closure(let.value)
    value = guard(let.name, let.span, lambda: closure(env))
    env.values[let.name] = value
    detail = "; ".join([plan_text(compiled.plan, let.value.span), *env.note_texts()])
    env.traces[let.name] = TraceNode(
        kind="value",
        label=let.name,
        value=describe(value),
        unit=unit_of(let.type),
        detail=detail,
        at=span_text(let.span),
        inputs=list(env.inputs),
    )


def _quota(compiled: CompiledPlan, env: PayeeEnv, quota: ir.Quota) -> None:
    env.start()
    goal = compiled.closure(quota.goal) if quota.goal is not None else None

    def goal_value() -> Decimal:
        assert goal is not None
        value = goal(env)
        assert isinstance(value, Decimal)
        return value

    result = guard(
        quota.name,
        quota.span,
        lambda: quota_for(quota, compiled.plan, env.payee, env.period, env.data, goal_value),
    )
    env.values[quota.name] = result.value
    env.traces[quota.name] = TraceNode(
        kind="quota",
        label=quota.name,
        value=describe(result.value),
        unit=unit_of(quota.type),
        detail=result.detail,
        at=span_text(quota.span),
        inputs=list(env.inputs),
    )
