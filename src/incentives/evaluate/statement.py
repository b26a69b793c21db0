"""Stage 2: one payee, one period — named values, components, total.

Contract: :func:`evaluate_statement` computes every per-payee value of the
plan in its evaluation order and returns the payee's statement. A component
is computed as: its payment (an expression, its per-line measure, or a
multiplier's uplift ``(factor − 1) × Σ targets``), then ``when`` (nothing
if false), then the gate (nothing below the threshold), then its cap and
floor, then the plan's rounding. The trace of each line records each of these
steps as a part, so the parts add up exactly to the amount. The total is the
sum of the lines; a total cap or floor adds an adjustment line. Problems
(a zero quota, a value outside every band, a missing metric or quota) are
returned as diagnostics naming the payee, the period and the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import partial
from typing import TypeVar, cast

from incentives.check.types import show
from incentives.compile import ir
from incentives.data import Payee, ValidatedData
from incentives.diagnostics import Diagnostic
from incentives.errors import InternalError
from incentives.evaluate.closures import Closure, compile_expr, in_force
from incentives.evaluate.measures import MeasureValue
from incentives.evaluate.quotas import MissingQuota, quota_for
from incentives.evaluate.teams import EmptyTeam, TeamView
from incentives.evaluate.tiers import NoBandError, TierResult, ZeroQuotaError
from incentives.evaluate.trace import band_parts, describe, unit_of
from incentives.money import format_decimal, quantize, to_grid
from incentives.periods import Period, months_between
from incentives.results.models import Statement, StatementLine, TraceNode
from incentives.source import Span
from incentives.values import Value

__all__ = [
    "CompiledPlan",
    "ComputeProblem",
    "PayeeEnv",
    "PayeeRun",
    "evaluate_statement",
    "guard",
]


class _MissingMetric(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class _MissingField(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


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
        if name in _PERIOD_VALUES:
            return self._period_value(name)
        payee = self.payee
        value: Value | None = getattr(payee, name) if name in _STANDARD else payee.fields.get(name)
        if value is None:
            raise _MissingField(name)
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
                raise _MissingMetric(name)
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
                raise _MissingField("start_date")
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


_PERIOD_VALUES = frozenset({"period_start", "period_end", "tenure_month"})
_STANDARD = frozenset(
    {"name", "role", "manager", "fte", "start_date", "end_date", "payout_currency", "plan"}
)


def _span_text(span: Span) -> str:
    return f"{span.file}:{span.line}:{span.column}"


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
                    line = _component(self.compiled, env, components[name], self.measures)
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
            lines += _total_adjustments(self.compiled, env, lines)
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


class ComputeProblem(Exception):
    """A value that cannot be computed for one payee and period (an R-code)."""

    def __init__(self, code: str, message: str, span: Span, hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.span, self.hint = code, message, span, hint

    def to_diagnostic(self, payee: str, period: str) -> Diagnostic:
        return Diagnostic(
            self.code,
            f"payee `{payee}`, {period}: {self.message}",
            self.span,
            hint=self.hint,
        )


_T = TypeVar("_T")


def guard(name: str, span: Span, run: Callable[[], _T]) -> _T:
    """Run a computation, turning arithmetic and lookup failures into problems."""
    try:
        return run()
    except (DivisionByZero, InvalidOperation):
        raise ComputeProblem(
            "R702",
            f"`{name}` divides by zero",
            span,
            "is a quota or a measure it divides by zero for this payee?",
        ) from None
    except ZeroQuotaError as exc:
        raise ComputeProblem(
            "R702",
            f"`{name}` reads attainment against a quota of {format_decimal(exc.quota)}",
            span,
            "attainment is undefined for a zero quota; give the payee a quota",
        ) from None
    except NoBandError as exc:
        raise ComputeProblem(
            "R703",
            f"`{name}`: {format_decimal(exc.value)} falls below every band of `{exc.table}`",
            span,
            f"add a band below the first one of `{exc.table}` to say what it pays",
        ) from None
    except _MissingMetric as exc:
        raise ComputeProblem(
            "R704",
            f"no `{exc.name}` metric in the metrics table",
            span,
            f"add the metric, or give `{exc.name}` a default in the plan",
        ) from None
    except EmptyTeam as exc:
        raise ComputeProblem(
            "R709",
            f"`{name}`: the {exc.what} has no payees this period",
            span,
            "use `sum of …`, which is 0 for an empty team, or guard it with `if`",
        ) from None
    except _MissingField as exc:
        raise ComputeProblem(
            "R707",
            f"the roster has no `{exc.name}` for this payee",
            span,
            f"fill in `{exc.name}` in roster.csv",
        ) from None
    except MissingQuota as exc:
        raise ComputeProblem(
            "R701",
            f"the quotas table has no goal for {exc.label}",
            span,
            f"add a row `{exc.payee},{exc.label},<amount>,<currency>` to quotas.csv",
        ) from None
    except ValueError as exc:
        raise ComputeProblem("R706", f"`{name}`: {exc}", span) from None


def _measure(env: PayeeEnv, plan: ir.Plan, name: str, value: MeasureValue) -> None:
    measure = next(m for m in plan.measures if m.name == name)
    env.values[name] = value.value
    detail = plan_text(plan, measure.span).split("=", 1)[-1].strip()
    if value.defaulted:
        detail += " (no matching lines: the default)"
    env.traces[name] = TraceNode(
        kind="measure",
        label=name,
        value=describe(value.value),
        unit=unit_of(measure.type),
        detail=detail,
        at=_span_text(measure.span),
        lines=[c.txn_id for c in value.contributions],
    )


def plan_text(plan: ir.Plan, span: Span) -> str:
    return " ".join(plan.source.text[span.start : span.end].split())


def _let(compiled: CompiledPlan, env: PayeeEnv, let: ir.Let) -> None:
    env.start()
    closure = compiled.closure(let.value)
    value = guard(let.name, let.span, lambda: closure(env))
    env.values[let.name] = value
    detail = "; ".join([plan_text(compiled.plan, let.value.span), *_note_texts(env)])
    env.traces[let.name] = TraceNode(
        kind="value",
        label=let.name,
        value=describe(value),
        unit=unit_of(let.type),
        detail=detail,
        at=_span_text(let.span),
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
        at=_span_text(quota.span),
        inputs=list(env.inputs),
    )


def _note_texts(env: PayeeEnv) -> list[str]:
    """Team values and dated versions an evaluation used, in words, once each."""
    texts: dict[str, None] = {}
    for kind, node, payload in env.notes:
        if kind == "team":
            texts[str(payload)] = None
        elif kind == "version" and isinstance(payload, date):
            texts[f"{node}: the version from {payload.isoformat()}"] = None
    return list(texts)


def _money(value: Value) -> Decimal:
    assert isinstance(value, Decimal)
    return value


def _component(
    compiled: CompiledPlan, env: PayeeEnv, c: ir.Component, measures: dict[str, MeasureValue]
) -> StatementLine:
    plan = compiled.plan
    env.start()
    unit = unit_of(c.type)
    formula, raw = _payment(compiled, env, c, measures)
    parts = [formula]
    amount = raw

    def adjust(kind: str, label: str, new: Decimal, detail: str, span: Span) -> None:
        nonlocal amount
        parts.append(
            TraceNode(
                kind=kind,
                label=label,
                value=format_decimal(new - amount),
                unit=unit,
                detail=detail,
                at=_span_text(span),
            )
        )
        amount = new

    if c.when is not None:
        when = compiled.closure(c.when)
        if not guard(c.name, c.when.span, lambda: when(env)):
            condition = plan_text(plan, c.when.span)
            adjust(
                "condition",
                f"when {condition}",
                Decimal(0),
                "the condition is not met",
                c.when.span,
            )
    if c.gate is not None and amount != 0:
        gate = c.gate
        base_f, threshold_f = compiled.closure(gate.base), compiled.closure(gate.threshold)
        base = _money(guard(c.name, gate.span, lambda: base_f(env)))
        threshold = _money(guard(c.name, gate.span, lambda: threshold_f(env)))
        if base < threshold:
            adjust(
                "gate",
                "gate",
                Decimal(0),
                f"{show(base, c.type)} is below the threshold {show(threshold, c.type)}: "
                "nothing is paid",
                gate.span,
            )
    limits: dict[str, Decimal] = {}
    if c.cap is not None:
        cap_f = compiled.closure(c.cap)
        cap = limits["cap"] = _money(guard(c.name, c.cap.span, lambda: cap_f(env)))
        if amount > cap:
            adjust("cap", "cap", cap, f"capped at {show(cap, c.type)}", c.cap.span)
    if c.floor is not None:
        floor_f = compiled.closure(c.floor)
        floor = limits["floor"] = _money(guard(c.name, c.floor.span, lambda: floor_f(env)))
        if amount < floor:
            adjust(
                "floor",
                "floor",
                floor,
                f"raised to the floor {show(floor, c.type)}",
                c.floor.span,
            )
    if "cap" in limits and "floor" in limits and limits["cap"] < limits["floor"]:
        raise ComputeProblem(
            "R710",
            f"`{c.name}`: its cap {show(limits['cap'], c.type)} is below its floor "
            f"{show(limits['floor'], c.type)}, so no amount can respect both",
            c.span,
            "make sure the cap is never below the floor",
        )
    rounding = plan.rounding
    if rounding is not None and rounding.components:
        rounded = quantize(amount, rounding.unit, rounding.mode)
        # Rounding must not undo a cap or a floor that is not a whole number of units.
        if limits.get("cap") is not None and rounded > limits["cap"]:
            rounded = to_grid(limits["cap"], rounding.unit, up=False)
        if limits.get("floor") is not None and rounded < limits["floor"]:
            rounded = to_grid(limits["floor"], rounding.unit, up=True)
            if limits.get("cap") is not None and rounded > limits["cap"]:
                raise ComputeProblem(
                    "R710",
                    f"`{c.name}`: no amount from its floor {show(limits['floor'], c.type)} to "
                    f"its cap {show(limits['cap'], c.type)} is a whole multiple of the rounding "
                    f"unit {format_decimal(rounding.unit)}",
                    c.span,
                    "widen the gap between the cap and the floor to at least one rounding "
                    "unit, or round to a finer unit",
                )
        if rounded != amount:
            adjust(
                "rounding",
                "rounding",
                rounded,
                f"rounded {rounding.mode.value} to {format_decimal(rounding.unit)}: "
                f"{format_decimal(amount)} → {format_decimal(rounded)}",
                c.span,
            )
        amount = rounded  # same value; now written to the rounding unit
    trace = TraceNode(
        kind="component",
        label=c.name,
        value=format_decimal(amount),
        unit=unit,
        detail=c.label,
        at=_span_text(c.span),
        parts=parts,
        inputs=list(env.inputs),
    )
    return StatementLine(
        component=c.name,
        label=c.label,
        kind=c.kind,
        amount=amount,
        currency=plan.currency,
        trace=trace,
    )


def _payment(
    compiled: CompiledPlan, env: PayeeEnv, c: ir.Component, measures: dict[str, MeasureValue]
) -> tuple[TraceNode, Decimal]:
    unit = unit_of(c.type)
    at = _span_text(c.span)
    if c.lines is not None:
        mv = measures[c.lines]
        parts = [
            TraceNode(
                kind="line",
                label=f"line {contribution.txn_id}",
                value=describe(contribution.value),
                unit=unit,
                detail=contribution.detail,
                lines=[contribution.txn_id],
            )
            for contribution in mv.contributions
        ]
        raw = _money(mv.value)
        node = TraceNode(
            kind="formula",
            label=c.formula,
            value=format_decimal(raw),
            unit=unit,
            detail=f"{len(parts)} matching line(s)",
            at=at,
            lines=[p.lines[0] for p in parts],
            parts=parts,
        )
        return node, raw
    if c.factor is not None:
        factor_f = compiled.closure(c.factor)
        factor = _money(guard(c.name, c.factor.span, lambda: factor_f(env)))
        factor_type = c.factor.type
        uplift = factor - 1
        parts = []
        raw = Decimal(0)
        for target in c.targets:
            amount = _money(env.value(target))
            value = uplift * amount
            raw += value
            parts.append(
                TraceNode(
                    kind="multiplier",
                    label=target,
                    value=format_decimal(value),
                    unit=unit,
                    detail=f"{show(amount, c.type)} × ({show(factor, factor_type)} − 1)",
                    inputs=[target],
                )
            )
        node = TraceNode(
            kind="formula",
            label=c.formula,
            value=format_decimal(raw),
            unit=unit,
            detail=f"factor {show(factor, factor_type)}",
            at=at,
            parts=parts,
            inputs=list(env.inputs),
        )
        return node, raw
    assert c.amount is not None
    amount_f = compiled.closure(c.amount)
    raw = _money(guard(c.name, c.amount.span, lambda: amount_f(env)))
    tier_notes = [p for k, _, p in env.notes if k == "tiers"]
    breakdown_parts: list[TraceNode] = []
    detail = None
    if len(tier_notes) == 1 and isinstance(tier_notes[0], TierResult):
        result = tier_notes[0]
        breakdown = band_parts(result, unit)
        if isinstance(c.amount, ir.TierApply):
            breakdown_parts = breakdown
        else:
            detail = "; ".join(f"{p.label}: {p.detail}" for p in breakdown)
    for text in _note_texts(env):
        detail = f"{detail}; {text}" if detail else text
    excess = [p for k, _, p in env.notes if k == "excess"]
    if excess:
        base, threshold, above = cast(tuple[Decimal, Decimal, Decimal], excess[0])
        note = (
            f"pays on the excess of {show(base, c.type)} over {show(threshold, c.type)}: "
            f"{show(above, c.type)}"
        )
        detail = f"{detail}; {note}" if detail else note
    node = TraceNode(
        kind="formula",
        label=c.formula,
        value=format_decimal(raw),
        unit=unit,
        detail=detail,
        at=at,
        parts=breakdown_parts,
        inputs=list(env.inputs),
    )
    return node, raw


def _total_adjustments(
    compiled: CompiledPlan, env: PayeeEnv, lines: list[StatementLine]
) -> list[StatementLine]:
    plan = compiled.plan
    total = Decimal(0)
    for line in lines:
        total += line.amount
    extra: list[StatementLine] = []
    for kind, limit_expr in (("cap", plan.total.cap), ("floor", plan.total.floor)):
        if limit_expr is None:
            continue
        env.start()
        limit = _money(
            guard(f"total {kind}", limit_expr.span, partial(compiled.closure(limit_expr), env))
        )
        if (kind == "cap" and total > limit) or (kind == "floor" and total < limit):
            target = limit
            rounding = plan.rounding
            if rounding is not None and rounding.components:
                target = to_grid(limit, rounding.unit, up=kind == "floor")
            adjustment = target - total
            total += adjustment
            words = "capped at" if kind == "cap" else "raised to the floor"
            extra.append(
                StatementLine(
                    component=f"total_{kind}",
                    label=f"Total {kind}",
                    kind=kind,
                    amount=adjustment,
                    currency=plan.currency,
                    trace=TraceNode(
                        kind=kind,
                        label=f"total_{kind}",
                        value=format_decimal(adjustment),
                        unit=plan.currency,
                        detail=(
                            f"the total of the lines above is {words} "
                            f"{show(limit, limit_expr.type)}"
                        ),
                        at=_span_text(limit_expr.span),
                        inputs=list(env.inputs),
                    ),
                )
            )
    return extra
