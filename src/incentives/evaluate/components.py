"""A component's statement line, and the total's cap and floor adjustments.

Contract: :func:`component_line` computes one component for a payee and
period: its payment (an expression, the sum of its per-line measure, or a
multiplier's uplift ``(factor − 1) × Σ targets``), then ``when`` (nothing if
false), the gate (nothing below the threshold), the cap and the floor
(a cap below the floor is R710), then the plan's rounding, which never takes
pay past the cap or the floor (R710 when no rounded amount fits between
them). The trace records each step as a part, so the parts add up exactly to
the amount. :func:`total_adjustments` adds the total's cap or floor line.
Values that cannot be computed raise
:class:`~incentives.evaluate.problems.ComputeProblem`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import cast

from incentives.check.types import show
from incentives.compile import ir
from incentives.evaluate.measures import MeasureValue
from incentives.evaluate.payee_env import CompiledPlan, PayeeEnv
from incentives.evaluate.problems import ComputeProblem, guard
from incentives.evaluate.tiers import TierResult
from incentives.evaluate.trace import (
    band_parts,
    line_parts,
    plan_text,
    span_text,
    unit_of,
)
from incentives.money import format_decimal, quantize, to_grid
from incentives.results.models import StatementLine, TraceNode
from incentives.source import Span
from incentives.values import Value

__all__ = ["component_line", "total_adjustments"]


def _money(value: Value) -> Decimal:
    assert isinstance(value, Decimal)
    return value


def component_line(
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
                at=span_text(span),
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
        at=span_text(c.span),
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
    at = span_text(c.span)
    if c.lines is not None:
        mv = measures[c.lines]
        parts = line_parts(mv, unit)
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
        breakdown = band_parts(result, unit, lines_behind(env))
        if isinstance(c.amount, ir.TierApply):
            breakdown_parts = breakdown
        else:
            detail = "; ".join(f"{p.label}: {p.detail}" for p in breakdown)
    for text in env.note_texts():
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
        lines=[] if breakdown_parts else lines_behind(env),
    )
    return node, raw


def lines_behind(env: PayeeEnv) -> list[str]:
    """The ledger lines behind the values an evaluation read: its measures', and its lets'.

    In the order first met, each once; a team value or rank reads other
    payees' lines and adds none here (its note says whose values it used).
    """
    found: dict[str, None] = {}
    seen: set[str] = set()
    todo = list(reversed(env.inputs))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        trace = env.traces.get(name)
        if trace is None:
            continue
        if trace.kind == "measure":
            found.update(dict.fromkeys(trace.lines))
        else:
            todo.extend(reversed(trace.inputs))
    return list(found)


def total_adjustments(
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
                        at=span_text(limit_expr.span),
                        inputs=list(env.inputs),
                    ),
                )
            )
    return extra
