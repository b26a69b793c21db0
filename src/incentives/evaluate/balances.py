"""Stage 4: what carries from one period to the next (DESIGN §3 "Multi-period state").

Contract: :func:`settle` takes a payee's statement for a period (stages 1–3)
and the payee's carried state, and returns the statement paid, updating the
state. Periods are settled in order, and the state is derived from nothing
but the inputs (or an opening snapshot). In order:

1. **true-ups** — a component that trues up over a horizon pays what it has
   earned to date in the horizon minus what it already paid in it;
2. **caps over a horizon** — a component (or the total, step 5) pays, to
   date in the horizon, the lesser of what it earned and its cap, less what
   it paid earlier in the horizon; the excess is withheld (a negative period
   uses it up first), and at the next horizon either forfeited or carried
   over to be paid as room allows;
3. **holdbacks** — a share of a positive payment is held back (a negative
   ``…_held`` line) and released (a ``…_released`` line) N periods later, in
   the period of a date, or in the period of a line's date column; a line
   that is refunded forfeits its held share in proportion;
4. **clawbacks** — a refund line within the window reverses what its
   original line earned, in proportion to the refund, at the rate and band it
   was paid in, scaled to what its component actually paid (a cap, gate or
   condition pays less than the formula); outside the window it reverses
   nothing (the trace says so); then what is due is **released**;
5. the **total cap over a horizon**;
6. **draws** — with E the total so far: a guarantee tops pay up to its amount
   and an advance pays its amount; a recovered shortfall is carried as a
   balance and repaid from later earnings above the guarantee (or from any
   earnings, for an advance, and once the draw is no longer active), never
   pushing pay below the draw while it is active and at most the stated limit
   a period; a forgiven shortfall is not carried. For every draw,
   Σ (paid − earned) equals its balance;
7. **termination** — in a payee's last period, held amounts are released or
   forfeited, and draw balances forgiven or recovered, as the plan says.

New lines are rounded with the plan's rounding of components; the trace of
each line still adds up exactly to its amount, and the statement total is the
sum of its lines. Balances before and after are listed on the statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from incentives.compile import ir
from incentives.evaluate.attribution import line_earnings
from incentives.evaluate.clawbacks import remember_earnings, reverse_refunds
from incentives.evaluate.crediting import allocate
from incentives.evaluate.draws import settle_draws
from incentives.evaluate.holdbacks import hold_back, release
from incentives.evaluate.horizons import (
    close_horizons,
    horizon_cap,
    total_horizon_cap,
    true_up,
)
from incentives.evaluate.settlement import Carry, SettleInput, Settlement, line_unit
from incentives.results.models import Statement

__all__ = ["Carry", "SettleInput", "settle"]


def settle(inp: SettleInput, carry: Carry) -> Statement:
    """The statement paid after stage 4 (see the module docstring)."""
    s = Settlement(inp, carry)
    close_horizons(s)
    components = {c.name: c for c in s.plan.components}
    earnings = _earnings(s, components)
    for c in s.plan.components:
        if c.true_up is not None:
            true_up(s, c)
        if c.horizon_cap is not None:
            horizon_cap(s, c.name, c.horizon_cap, c.name)
    remember_earnings(s, earnings)  # first: a refund in the same period reverses its line
    for c in s.plan.components:
        if c.hold is not None:
            hold_back(s, c, earnings.get(c.name, []))
    reverse_refunds(s)  # after holding: a line refunded in its own period forfeits its held share
    release(s)
    if s.plan.total.horizon_cap is not None:
        total_horizon_cap(s, s.plan.total.horizon_cap)
    settle_draws(s)
    total = sum((line.amount for line in s.lines), Decimal(0))
    return s.inp.statement.model_copy(
        update={"lines": s.lines, "total": total, "balances": s.balances}
    )


def _earnings(
    s: Settlement, components: Mapping[str, ir.Component]
) -> dict[str, list[tuple[str, Decimal]]]:
    needed = {t for k in s.plan.clawbacks for t in k.targets}
    needed |= {c.name for c in s.plan.components if c.hold and c.hold.release == "column"}
    found: dict[str, list[tuple[str, Decimal]]] = {}
    for name in sorted(needed):
        component = components[name]
        index = s.index(name)
        if component.attribution is not None and index is not None:
            raw = line_earnings(component.attribution, s.inp.measures, s.inp.env)
            found[name] = _scaled(s, raw, s.lines[index].amount)
    return found


def _scaled(
    s: Settlement, raw: list[tuple[str, Decimal]], paid: Decimal
) -> list[tuple[str, Decimal]]:
    """What each line earned of what the component paid.

    The lines' raw earnings come from the formula alone; a cap, floor, gate
    or condition makes the component pay another amount. Each line's
    earning is then its share of what was paid, in proportion to its raw
    earning (in whole units of the plan's rounding, the remainder to the
    largest shares), so a refund never reverses more than its line was
    paid, and nothing when a gate or condition paid nothing. Shares in whole
    units also mean that refunding every line reverses exactly what was paid
    (three lines earning 1.005 each of 3.02 paid earn 1.01, 1.01 and 1.00).
    """
    total = sum((amount for _, amount in raw), Decimal(0))
    unit = line_unit(s.plan, paid)
    if total == paid and all(amount % unit == 0 for _, amount in raw):
        return raw
    if paid == 0:
        return [(txn, Decimal(0)) for txn, _ in raw]
    if total > 0 and all(amount >= 0 for _, amount in raw):
        # keyed by position: a payee can be credited twice with one line (a split
        # share and an overlay); ties go to the earlier line
        keys = [f"{i:09d}" for i in range(len(raw))]
        weights = [(key, amount) for key, (_, amount) in zip(keys, raw, strict=True)]
        parts = allocate(paid, weights, unit, "largest_remainder", "")
        return [(txn, parts[key]) for key, (txn, _) in zip(keys, raw, strict=True)]
    if total == 0:
        return raw
    return [(txn, amount * paid / total) for txn, amount in raw]
