"""What the mid-period report reads from a plan: its measures, their quotas, the primary one.

Contract: :meth:`Shape.of` walks the compiled plan (no data) and finds

* ``measures``: the plan's named measures (not the per-line payments of
  components) that its pay reads (components, the total, draws), directly or
  through ``let`` values and quota goals, whose type is a number or an
  amount, in plan order;
* ``quotas``: for each such measure, the first quota the plan compares it
  with itself: ``TIERS on M against Q``, ``M / Q``, or a comparison of ``M``
  and ``Q`` (``M >= Q``);
* ``primary``: the first measure with a quota, in plan order (None if none);
* ``sales``: the primary measure if it is a sum of money over the payee's own
  lines for the pay period, else the first such measure (None if none).

A measure is *paced* (:func:`paced`) if it is a sum or a count over the pay
period: an average, minimum or maximum does not grow with time, and a
quarter-to-date measure is not the period's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from incentives.check.types import Type
from incentives.compile import ir
from incentives.money import minor_unit
from incentives.results.standing import MeasureInfo
from incentives.source import Span

__all__ = ["Shape", "paced", "step_of"]

_NUMBER = Decimal("0.01")


def _nodes(root: object) -> Iterator[object]:
    """Every IR node below ``root`` (dataclass fields, tuples), parents first."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple | list):
            stack.extend(reversed(node))
            continue
        if not dataclasses.is_dataclass(node) or isinstance(node, Span | Type | type):
            continue
        yield node
        stack.extend(reversed([getattr(node, f.name) for f in dataclasses.fields(node)]))


def _name_of(node: object) -> str | None:
    if isinstance(node, ir.Ref | ir.TeamValue | ir.Rank):
        return node.name
    return None


@dataclass(frozen=True)
class Shape:
    """What the report reads from the plan (see the module docstring)."""

    measures: tuple[ir.Measure, ...]
    #: measure name → the quota the plan compares it with.
    quotas: Mapping[str, str]
    primary: str | None
    sales: str | None

    @classmethod
    def of(cls, plan: ir.Plan) -> Shape:
        roots: list[object] = [plan.components, plan.total, plan.draws]
        reached: set[str] = set()
        pending = list(roots)
        while pending:
            for node in _nodes(pending.pop()):
                name = _name_of(node)
                if name is None or name in reached:
                    continue
                reached.add(name)
                if name in plan.lets:
                    pending.append(plan.lets[name].value)
                elif name in plan.quotas and plan.quotas[name].goal is not None:
                    pending.append(plan.quotas[name].goal)
        measures = tuple(
            m
            for m in plan.measures
            if m.component is None and m.name in reached and m.type.is_numeric
        )
        names = {m.name for m in measures}
        quotas: dict[str, str] = {}
        everything = [*plan.lets.values(), *plan.components, plan.total, plan.draws]
        for node in _nodes(everything):
            pair: tuple[object, object] | None = None
            if isinstance(node, ir.TierApply) and node.quota is not None:
                pair = (node.base, node.quota)
            elif isinstance(node, ir.Arith) and node.op == "/":
                pair = (node.left, node.right)
            elif isinstance(node, ir.Cmp):
                flipped = isinstance(node.left, ir.Ref) and node.left.name in plan.quotas
                pair = (node.right, node.left) if flipped else (node.left, node.right)
            if pair is None:
                continue
            measure, quota = (_name_of(x) if isinstance(x, ir.Ref) else None for x in pair)
            if measure in names and quota in plan.quotas and measure not in quotas:
                assert measure is not None and quota is not None
                quotas[measure] = quota
        primary = next((m.name for m in measures if m.name in quotas), None)
        own_money = [
            m.name
            for m in measures
            if m.type.is_money and m.aggregate == "sum" and m.scope is None and m.horizon is None
        ]
        sales = primary if primary in own_money else next(iter(own_money), None)
        return cls(measures, quotas, primary, sales)

    def info(self, measure: ir.Measure) -> MeasureInfo:
        return MeasureInfo(
            name=measure.name,
            aggregate=measure.aggregate,
            unit=_unit_text(measure.type),
            quota=self.quotas.get(measure.name),
            paced=paced(measure),
            horizon=measure.horizon.value if measure.horizon is not None else None,
        )


def paced(measure: ir.Measure) -> bool:
    """Whether the measure grows with the period: a sum or a count over the pay period."""
    return measure.aggregate in ("sum", "count") and measure.horizon is None


def _unit_text(t: Type) -> str:
    return t.currency if t.is_money and t.currency else t.kind


def step_of(t: Type) -> Decimal:
    """What a target or pace of this type is rounded to: the minor unit, or 0.01."""
    return minor_unit(t.currency) if t.is_money and t.currency else _NUMBER
