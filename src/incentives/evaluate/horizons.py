"""Stage 4 over a horizon longer than the pay period: true-ups and caps.

Contract: :func:`true_up` makes a component pay what it earned to date in its
horizon minus what it already paid in it; :func:`horizon_cap` and
:func:`total_horizon_cap` pay, to date in the horizon, the lesser of what
it earned and the cap, less what earlier periods of it paid; the excess is
withheld (a negative period uses it up before taking back pay), and at the
next horizon it is forfeited or carried over to be paid as room allows. The
state of each lives in the payee's
:class:`~incentives.evaluate.settlement.Carry`; balances are listed.
"""

from __future__ import annotations

from decimal import Decimal

from incentives.compile import ir
from incentives.evaluate.crediting import allocate
from incentives.evaluate.settlement import Settlement, line_unit
from incentives.evaluate.trace import span_text
from incentives.periods import calendar_period
from incentives.results.state import CapState, TrueUpState

__all__ = ["horizon_cap", "total_horizon_cap", "true_up"]


def true_up(s: Settlement, c: ir.Component) -> None:
    index = s.index(c.name)
    assert index is not None and c.true_up is not None
    horizon = calendar_period(c.true_up, s.inp.period.end).label
    state = s.carry.true_ups.get(c.name)
    paid = state.paid if state is not None and state.horizon == horizon else Decimal(0)
    earned = s.lines[index].amount
    pay = earned - paid
    s.adjust(
        index,
        pay,
        "true_up",
        f"{s.show(earned)} earned in {horizon} to date, less {s.show(paid)} paid earlier in it",
        span_text(c.span),
    )
    s.carry.true_ups[c.name] = TrueUpState(horizon=horizon, paid=paid + pay)
    s.balance(c.name, "true_up", paid, paid + pay, f"paid so far in {horizon}")


def horizon_cap(s: Settlement, name: str, cap: ir.HorizonCap, component: str) -> None:
    index = s.index(component)
    assert index is not None
    amount = s.lines[index].amount
    pay, detail, before, after = _cap_room(s, name, cap, amount)
    if pay != amount:
        s.adjust(index, pay, "horizon_cap", detail, span_text(cap.span))
    s.balance(name, "withheld", before, after, detail if after != before else "")


def total_horizon_cap(s: Settlement, cap: ir.HorizonCap) -> None:
    total = sum((line.amount for line in s.lines), Decimal(0))
    pay, detail, before, after = _cap_room(s, "total", cap, total)
    if pay != total:
        s.add(
            "total_horizon_cap",
            f"Total cap per {cap.horizon.value}",
            "cap",
            pay - total,
            [],
            detail,
            span_text(cap.span),
        )
    s.balance("total", "withheld", before, after, detail if after != before else "")


def close_horizons(s: Settlement) -> None:
    """Before anything else settles: horizons that ended with their excess forfeited.

    Each line of such a horizon was paid only the share of what it earned
    that the cap let through; what is remembered of it for clawbacks is
    scaled to that share, so a later refund never reverses pay the cap
    withheld and never paid.
    """
    caps = [(c.name, c.horizon_cap) for c in s.plan.components if c.horizon_cap is not None]
    if s.plan.total.horizon_cap is not None:
        caps.append(("total", s.plan.total.horizon_cap))
    for key, cap in caps:
        state = s.carry.caps.get(key)
        if state is None or cap.carry or state.withheld <= 0:
            continue
        if calendar_period(cap.horizon, s.inp.period.end).label == state.horizon:
            continue
        earned = state.paid + state.withheld
        if earned > 0:
            share = min(max(state.paid / earned, Decimal(0)), Decimal(1))
            _paid_share(s, key, cap, state.horizon, share)


def _paid_share(s: Settlement, key: str, cap: ir.HorizonCap, horizon: str, share: Decimal) -> None:
    """Scale what lines earned in a closed horizon to what the cap let through.

    When a horizon ends with its excess forfeited, each line of it was paid
    only ``share`` of what it earned; a later refund reverses that, never
    what was withheld and never paid. ``key`` is a component, or ``total``
    for every component.
    """
    found: list[tuple[str, int]] = []  # (txn, index) of each earning of the horizon
    for txn, remembered in s.carry.earnings.items():
        for i, e in enumerate(remembered):
            in_scope = key == "total" or e.component == key
            if in_scope and (
                calendar_period(cap.horizon, s.plan.scheme.parse(e.period).end).label == horizon
            ):
                found.append((txn, i))
    amounts = [s.carry.earnings[txn][i].amount for txn, i in found]
    total = sum(amounts, Decimal(0))
    if total > 0 and all(amount >= 0 for amount in amounts):
        # in whole units, the remainder to the largest: refunding every line
        # reverses exactly what the cap let through
        keys = [f"{n:09d}" for n in range(len(found))]
        target = s.round(total * share)
        unit = line_unit(s.plan, target)
        parts = allocate(
            target, list(zip(keys, amounts, strict=True)), unit, "largest_remainder", ""
        )
        scaled = [parts[key] for key in keys]
    else:
        scaled = [s.round(amount * share) for amount in amounts]
    for (txn, i), amount in zip(found, scaled, strict=True):
        entries = s.carry.earnings[txn]
        entries[i] = entries[i].model_copy(update={"amount": amount})


def _cap_room(
    s: Settlement, key: str, cap: ir.HorizonCap, amount: Decimal
) -> tuple[Decimal, str, Decimal, Decimal]:
    """(pay, detail, withheld before, withheld after) for a cap over a horizon.

    The cap holds on what has been earned in the horizon so far: the horizon
    pays, to date, the lesser of what it earned (with what was carried into
    it) and the cap, and this period pays that less what earlier periods of
    the horizon paid. What was earned beyond the cap is withheld; a later
    negative period uses up what is withheld before it takes back pay. At a
    new horizon what is still withheld is carried over or forfeited, as the
    plan says, and the balance says which.
    """
    horizon = calendar_period(cap.horizon, s.inp.period.end).label
    limit = max(s.value(cap.limit), Decimal(0))
    state = s.carry.caps.get(key)
    before = state.withheld if state is not None else Decimal(0)
    paid = withheld = Decimal(0)
    notes = []
    if state is not None:
        if state.horizon == horizon:
            paid, withheld = state.paid, state.withheld
        elif state.withheld:
            if cap.carry:
                withheld = state.withheld
                notes.append(f"{s.show(withheld)} withheld in {state.horizon} carried over")
            else:
                notes.append(f"{s.show(state.withheld)} withheld in {state.horizon} forfeited")
    earned = paid + withheld + amount
    pay = s.round(min(earned, limit)) - paid
    after = earned - (paid + pay)
    s.carry.caps[key] = CapState(horizon=horizon, paid=paid + pay, withheld=after)
    notes.insert(
        0,
        f"cap {s.show(limit)} per {cap.horizon.value}: {s.show(paid)} paid earlier in {horizon}",
    )
    return pay, "; ".join(notes), before, after
