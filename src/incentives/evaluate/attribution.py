"""What each ledger line earned of a component: the basis of clawbacks and
holdbacks by line.

Contract: :func:`line_earnings` splits a component's payment (before its
conditions, caps and rounding) among the lines behind it, exactly:

* a per-line payment: each line's own amount;
* ``RATE of M`` (M a plain sum measure): the rate times the line's part of M;
* ``TIERS on M [against Q]``: the lines fill the base in (date, txn_id) order,
  so a line's earning is what its slice of the base pays — for marginal tiers
  the integral of the band rates over the slice (the rate *and band* it was
  paid in), for retroactive and interpolated tiers the rate the whole base
  reached times the line.

The parts add up to the component's payment by its formula. Nothing is
rounded here. Stage 4 then scales them to what the component actually paid
(after its conditions, gates, caps, floors and rounding), so what a line is
said to have earned is its share of the pay.
"""

from __future__ import annotations

from decimal import Decimal

from incentives.compile import ir
from incentives.evaluate import tiers
from incentives.evaluate.closures import Env, compile_expr
from incentives.evaluate.measures import MeasureValue

__all__ = ["line_earnings"]


def line_earnings(
    attribution: ir.Attribution,
    measures: dict[str, MeasureValue],
    env: Env,
) -> list[tuple[str, Decimal]]:
    """(txn_id, earning) for each line behind the component, in line order."""
    contributions = measures[attribution.measure].contributions
    parts = [(c.txn_id, _decimal(c.value)) for c in contributions]
    if attribution.kind == "lines":
        return parts
    if attribution.kind == "rate":
        assert attribution.rate is not None
        rate = _decimal(compile_expr(attribution.rate)(env))
        return [(txn, rate * value) for txn, value in parts]
    apply = attribution.tiers
    assert apply is not None
    table = env.tiers(apply.table)
    quota = _decimal(compile_expr(apply.quota)(env)) if apply.quota is not None else None
    if table.kind != "marginal":
        total = sum((v for _, v in parts), Decimal(0))
        result = tiers.apply(table, "on", total, quota, None)
        rate = result.parts[0].rate if result.parts else Decimal(0)
        return [(txn, rate * value) for txn, value in parts]
    earned: list[tuple[str, Decimal]] = []
    position = Decimal(0)
    paid_so_far = Decimal(0)
    for txn, value in parts:
        position += value
        upto = tiers.apply(table, "on", position, quota, None).value
        earned.append((txn, upto - paid_so_far))
        paid_so_far = upto
    return earned


def _decimal(value: object) -> Decimal:
    assert isinstance(value, Decimal)
    return value
