"""Stage 4 holdbacks: a share of a payment held back, then released or forfeited.

Contract: :func:`hold_back` holds a share of a component's positive payment
as a negative ``…_held`` line, due N periods later (never past the calendar's
end), in the period of a date, or line by line in the period of each line's
date column (divided in proportion to what each line earned, by the same
largest-remainder allocation as split credit). :func:`release` pays what is
due as a ``…_released`` line and, in a payee's last period, releases or
forfeits the rest as the termination rule says. :func:`forfeit_held` drops
the held share of a refunded line in proportion to the refund.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from incentives.check.types import PERCENT as _PERCENT
from incentives.check.types import show
from incentives.compile import ir
from incentives.evaluate.crediting import allocate
from incentives.evaluate.settlement import Settlement, held_order, line_unit
from incentives.evaluate.trace import span_text
from incentives.money import format_decimal
from incentives.results.models import TraceNode
from incentives.results.state import HeldItem

__all__ = ["forfeit_held", "hold_back", "release"]


def hold_back(s: Settlement, c: ir.Component, earnings: list[tuple[str, Decimal]]) -> None:
    hold = c.hold
    index = s.index(c.name)
    assert hold is not None and index is not None
    amount = s.lines[index].amount
    if amount <= 0:
        return
    held = s.round(amount * hold.share)
    if held == 0:
        return
    period = s.inp.period
    items: list[HeldItem] = []
    if hold.release == "column":
        items = _held_by_line(s, c, hold, held, earnings)
    else:
        release_period = None
        if hold.release == "periods":
            assert hold.periods is not None
            release_period = _periods_later(s, hold.periods)
        items = [
            HeldItem(
                component=c.name,
                amount=held,
                held_in=period.label,
                release_period=release_period,
                release_date=hold.day,
                txn_id=None,
                waiting=False,
            )
        ]
    s.carry.held.extend(items)
    s.held_notes.setdefault(c.name, []).append(f"{s.show(held)} held back")
    share = show(hold.share, _PERCENT)
    beyond = hold.release == "periods" and items[0].release_period is None
    when = {
        "periods": f"released after {hold.periods} period(s)"
        + (", which is past the calendar's end: held until termination" if beyond else ""),
        "date": f"released in the period of {hold.day.isoformat() if hold.day else ''}",
        "column": f"released line by line when `{hold.column}` is reached",
    }[hold.release]
    s.add(
        f"{c.name}_held",
        f"{c.label} (held back)",
        "holdback",
        -held,
        [],
        f"{share} of {s.show(amount)} held back, {when}",
        span_text(c.span),
    )


def release(s: Settlement) -> None:
    period = s.inp.period
    terminating = s.last_period and s.plan.termination.holdbacks is not None
    released: dict[str, list[HeldItem]] = {}
    forfeited: dict[str, list[HeldItem]] = {}
    kept: list[HeldItem] = []
    components = {c.name: c for c in s.plan.components}
    for item in sorted(s.carry.held, key=held_order):
        if item.waiting:
            item = _date_now_known(s, item, components[item.component])
        due = (item.release_period is not None and item.release_period <= period.label) or (
            item.release_date is not None and item.release_date <= period.end
        )
        if item.release_period is None and item.release_date is None and not item.waiting:
            due = False
        if not due and terminating:
            target = released if s.plan.termination.holdbacks == "released" else forfeited
            target.setdefault(item.component, []).append(item)
        elif due:
            released.setdefault(item.component, []).append(item)
        else:
            kept.append(item)
    s.carry.held = kept
    names = set(s.held_opening) | set(s.held_notes) | set(released) | set(forfeited)
    for name in sorted(names | {i.component for i in kept}):
        out = released.get(name, [])
        amount = sum((i.amount for i in out), Decimal(0))
        if amount:
            parts = [
                TraceNode(
                    kind="release",
                    label=f"held in {i.held_in}" + (f" for line {i.txn_id}" if i.txn_id else ""),
                    value=format_decimal(i.amount),
                    unit=s.plan.currency,
                    lines=[i.txn_id] if i.txn_id else [],
                )
                for i in out
            ]
            component = components[name]
            s.add(
                f"{name}_released",
                f"{component.label} (released)",
                "release",
                amount,
                parts,
                "held back earlier, released this period",
                span_text(component.span),
            )
        notes = list(s.held_notes.get(name, []))
        if amount:
            notes.append(f"{s.show(amount)} released")
        lost = sum((i.amount for i in forfeited.get(name, [])), Decimal(0))
        if lost:
            notes.append(f"{s.show(lost)} forfeited on termination")
        after = sum((i.amount for i in kept if i.component == name), Decimal(0))
        s.balance(name, "held", s.held_opening.get(name, Decimal(0)), after, "; ".join(notes))


def forfeit_held(
    s: Settlement, txn: str, ratio: Decimal, components: Collection[str]
) -> dict[str, Decimal]:
    """Forfeit ``ratio`` of what is held for line ``txn`` in ``components``: amounts lost."""
    kept = []
    lost: dict[str, Decimal] = {}
    for item in s.carry.held:
        if item.txn_id == txn and item.component in components:
            remaining = s.round(item.amount * (1 - ratio))
            gone = item.amount - remaining
            lost[item.component] = lost.get(item.component, Decimal(0)) + gone
            if remaining:
                kept.append(item.model_copy(update={"amount": remaining}))
        else:
            kept.append(item)
    s.carry.held = kept
    for component, amount in lost.items():
        s.held_notes.setdefault(component, []).append(
            f"{s.show(amount)} forfeited: line {txn} refunded"
        )
    return lost


def forfeit_pooled(
    s: Settlement, component: str, held_in: str, amount: Decimal, txn: str
) -> Decimal:
    """Forfeit up to ``amount`` of what ``component`` held back in ``held_in`` for no one line.

    A holdback released after N periods or on a date holds a share of the
    component's whole payment; a refunded line forfeits its share of it.
    Returns what was forfeited.
    """
    lost = Decimal(0)
    kept = []
    for item in s.carry.held:
        if (
            lost < amount
            and item.component == component
            and item.held_in == held_in
            and item.txn_id is None
        ):
            gone = min(item.amount, amount - lost)
            lost += gone
            if item.amount - gone:
                kept.append(item.model_copy(update={"amount": item.amount - gone}))
        else:
            kept.append(item)
    s.carry.held = kept
    if lost:
        s.held_notes.setdefault(component, []).append(
            f"{s.show(lost)} forfeited: line {txn} refunded"
        )
    return lost


def _periods_later(s: Settlement, count: int) -> str | None:
    """The label of the period ``count`` periods after this one; None past 9999-12-31."""
    target = s.inp.period
    for _ in range(count):
        if target.end == date.max:
            return None
        target = s.plan.scheme.following(target)
    return target.label


def _held_by_line(
    s: Settlement,
    c: ir.Component,
    hold: ir.Hold,
    held: Decimal,
    earnings: list[tuple[str, Decimal]],
) -> list[HeldItem]:
    weights: dict[str, Decimal] = {}
    for txn, earned in earnings:
        if earned > 0:
            weights[txn] = weights.get(txn, Decimal(0)) + earned
    if not weights:
        return [
            HeldItem(
                component=c.name,
                amount=held,
                held_in=s.inp.period.label,
                release_period=None,
                release_date=None,
                txn_id=None,
                waiting=False,
            )
        ]
    parts = allocate(held, list(weights.items()), line_unit(s.plan, held), "largest_remainder", "")
    items = []
    for txn, amount in parts.items():
        if amount == 0:
            continue
        assert hold.column is not None
        day = s.inp.ledger[txn].values.get(hold.column)
        items.append(
            HeldItem(
                component=c.name,
                amount=amount,
                held_in=s.inp.period.label,
                release_period=None,
                release_date=day if isinstance(day, date) else None,
                txn_id=txn,
                waiting=not isinstance(day, date),
            )
        )
    return items


def _date_now_known(s: Settlement, item: HeldItem, component: ir.Component) -> HeldItem:
    """A held item waiting for its line's date, with the date if the ledger now has it.

    An item held in an earlier run (read from an opening state) whose line
    had no date then is released once a later ledger fills the date in.
    """
    hold = component.hold
    line = s.inp.ledger.get(item.txn_id or "")
    if hold is None or hold.column is None or line is None:
        return item
    day = line.values.get(hold.column)
    if not isinstance(day, date):
        return item
    return item.model_copy(update={"release_date": day, "waiting": False})
