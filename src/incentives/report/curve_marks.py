"""Where a payout curve may bend: band edges, gates, caps and floors.

Contract: :func:`collect_marks` reads the IR of the components a curve shows,
and of the ``let``\\ s they use, and returns :class:`Mark`\\ s sorted by axis,
value, kind and label, one per place (labels of marks at the same place are
joined with ``; ``):

* tier band edges on the attainment axis (``x``, 1 is 100 %): bounds in
  percent are attainment of the quota the table is applied against
  (``on … against Q``), or else of the plan's first quota; bounds in money
  are sales, converted to attainment by the reference quota; other bounds
  (counts, decimals) are not marked;
* gate thresholds (``nothing below`` and ``excess only``), converted the
  same way;
* component caps and floors and the total's cap and floor, on the amount
  axis (``y``).

Thresholds and limits that are expressions (``50% of target``) are computed
by the engine's own closures (:func:`~incentives.evaluate.closures.compile_expr`)
from the values the statement at 100 % traced; one that reads anything else
(a ledger column, a value never traced) is left unmarked. Only edges inside
(0 %, 200 %] are kept. Nothing here computes pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, cast

from incentives.check.types import Type, show
from incentives.compile import ir
from incentives.evaluate.closures import Env, compile_expr
from incentives.money import evaluation_context
from incentives.report.curve_scenario import STANDARD_FIELDS
from incentives.results import Statement
from incentives.values import ColumnType, Value

__all__ = ["Mark", "collect_marks"]


@dataclass(frozen=True)
class Mark:
    """A place where the curve may bend: an attainment (``x``) or an amount (``y``)."""

    kind: Literal["band", "gate", "cap", "floor"]
    axis: Literal["x", "y"]
    value: Decimal
    label: str
    #: The component it belongs to; None for band edges (a tier table may serve
    #: several components) and for the total's cap and floor.
    component: str | None


class _Unresolved(Exception):
    """An expression reads something the statement did not trace."""


class _StatementEnv:
    """Reads the values one statement traced, for the engine's closures."""

    def __init__(self, plan: ir.Plan, statement: Statement) -> None:
        self.plan = plan
        self.statement = statement
        self.types: dict[str, ColumnType] = {**STANDARD_FIELDS, **dict(plan.roster_fields)}
        self.types.update({m.name: m.column_type for m in plan.metrics})
        self.components = {c.name for c in plan.components}

    def column(self, name: str) -> Value:
        raise _Unresolved(name)

    def rate(self, table: str) -> Decimal:
        raise _Unresolved(table)

    def tiers(self, name: str) -> ir.TierTable:
        return self.plan.tiers[name]

    def note(self, kind: str, node: object, payload: object) -> None:
        pass

    def team_value(self, node: object) -> Value:
        raise _Unresolved("a team value")

    def as_of(self) -> date:
        # The day dated definitions are chosen by, as the statement's env does.
        if getattr(self.plan, "versions_at", "period_start") == "period_end":
            return self.statement.end
        return self.statement.start

    def rank(self, node: object) -> Value:
        raise _Unresolved("a rank")

    def field(self, name: str) -> Value:
        return self._read(name, self.types.get(name, ColumnType.TEXT).value)

    def metric(self, name: str) -> Value:
        return self.field(name)

    def value(self, name: str) -> Value:
        if name in self.components:
            return self.statement.amount(name)
        return self._read(name, None)

    def _read(self, name: str, kind: str | None) -> Value:
        node = self.statement.values.get(name)
        if node is None or node.value is None:
            raise _Unresolved(name)
        kind = node.unit or kind
        text = node.value
        if kind == "date":
            return date.fromisoformat(text)
        if kind == "bool":
            return text == "true"
        if kind == "text":
            return text
        return Decimal(text)


def _show(value: Decimal, t: Type) -> str:
    """A value as a plan would write it, without the trailing zeros of arithmetic.

    >>> from incentives.check.types import money
    >>> _show(Decimal("5000.0000"), money("USD")), _show(Decimal("1E+3"), money("USD"))
    ('5,000 USD', '1,000 USD')
    """
    with evaluation_context():
        tidy = value.normalize()
        if tidy.as_tuple().exponent > 0:  # type: ignore[operator]
            tidy = tidy.quantize(Decimal(1))
    return show(tidy, t)


def collect_marks(
    plan: ir.Plan,
    statement: Statement,
    *,
    quota: Decimal,
    plan_quota: Decimal | None,
    components: tuple[str, ...],
    with_total: bool,
) -> tuple[Mark, ...]:
    """The marks of ``components`` (and of the total, if ``with_total``).

    Args:
        plan: the plan.
        statement: the payee's statement at 100 % attainment.
        quota: the reference quota: sales at 100 %.
        plan_quota: the value of the plan's first quota for the payee, if any.
        components: the components the curve shows.
        with_total: whether the total's cap and floor are marked.
    """
    return _Marks(plan, statement, quota, plan_quota).collect(components, with_total=with_total)


class _Marks:
    def __init__(
        self, plan: ir.Plan, statement: Statement, quota: Decimal, plan_quota: Decimal | None
    ) -> None:
        self.plan = plan
        self.quota = quota
        self.plan_quota = plan_quota
        self.env = _StatementEnv(plan, statement)
        self.found: dict[tuple[str, str, Decimal], Mark] = {}

    def evaluate(self, expr: ir.Expr) -> Decimal | None:
        try:
            with evaluation_context():
                # The env reads only what the statement traced; anything else
                # (including an env method a later engine adds) leaves the
                # expression unresolved and the mark out.
                value = compile_expr(expr)(cast(Env, self.env))
        except (_Unresolved, ArithmeticError, LookupError, ValueError, TypeError, AttributeError):
            return None
        return value if isinstance(value, Decimal) and not isinstance(value, bool) else None

    def attainment(self, value: Decimal, t: Type, quota: Decimal | None) -> Decimal | None:
        """Where a bound or threshold of type ``t`` lies on the attainment axis."""
        with evaluation_context():
            if t.is_money:
                return value / self.quota
            if t.kind == "percent":
                of = quota if quota is not None else self.plan_quota
                return value if of is None else value * of / self.quota
        return None

    def add(self, kind: Literal["band", "gate", "cap", "floor"], axis: Literal["x", "y"],
            value: Decimal | None, label: str, component: str | None) -> None:  # fmt: skip
        if value is None or (axis == "x" and not 0 < value <= 2):
            return
        key = (axis, kind, value)
        found = self.found.get(key)
        if found is None:
            self.found[key] = Mark(kind, axis, value, label, component)
        elif label not in found.label.split("; "):
            other = component if component == found.component else None
            self.found[key] = Mark(kind, axis, value, f"{found.label}; {label}", other)

    def collect(self, components: tuple[str, ...], *, with_total: bool) -> tuple[Mark, ...]:
        for c in self.plan.components:
            if c.name in components:
                self.component(c)
        if with_total:
            for kind, limit in (("cap", self.plan.total.cap), ("floor", self.plan.total.floor)):
                if limit is not None:
                    value = self.evaluate(limit)
                    if value is not None:
                        label = f"total {kind} {_show(value, limit.type)}"
                        self.add(kind, "y", value, label, None)  # type: ignore[arg-type]
        return tuple(sorted(self.found.values(), key=lambda m: (m.axis, m.value, m.kind, m.label)))

    def component(self, c: ir.Component) -> None:
        roots = [c.amount, c.when, c.factor, c.cap, c.floor]
        if c.gate is not None:
            self.gate(c.name, c.gate.threshold, "nothing below")
            roots.append(c.gate.base)
        seen: set[str] = set()
        todo = [r for r in roots if r is not None]
        while todo:
            node = todo.pop()
            if isinstance(node, ir.Ref) and node.name in self.plan.lets and node.name not in seen:
                seen.add(node.name)
                todo.append(self.plan.lets[node.name].value)
            elif isinstance(node, ir.TierApply):
                self.bands(node)
                if node.start is not None:
                    self.gate(c.name, node.start, "excess only")
            elif isinstance(node, ir.Excess):
                self.gate(c.name, node.threshold, "excess only")
            todo.extend(ir.children(node))  # type: ignore[arg-type]
        for kind, limit in (("cap", c.cap), ("floor", c.floor)):
            if limit is not None:
                value = self.evaluate(limit)
                if value is not None:
                    label = f"{c.name} {kind} {_show(value, limit.type)}"
                    self.add(kind, "y", value, label, c.name)  # type: ignore[arg-type]

    def gate(self, component: str, threshold: ir.Expr, mode: str) -> None:
        value = self.evaluate(threshold)
        if value is not None:
            x = self.attainment(value, threshold.type, None)
            label = f"{component} gate {_show(value, threshold.type)} ({mode})"
            self.add("gate", "x", x, label, component)

    def bands(self, apply: ir.TierApply) -> None:
        table = self.plan.tiers[apply.table]
        quota = self.evaluate(apply.quota) if apply.quota is not None else None
        bounds = {b for band in table.bands for b in (band.lower, band.upper) if b is not None}
        for bound in sorted(bounds):
            x = self.attainment(bound, table.bound_type, quota)
            label = f"{table.name} {_show(bound, table.bound_type)}"
            self.add("band", "x", x, label, None)
