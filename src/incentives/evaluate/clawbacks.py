"""Stage 4 clawbacks: refunds reverse what their original lines earned.

Contract: :func:`remember_earnings` records what each line earned for the
components a clawback targets (forgetting lines older than the longest
window); :func:`reverse_refunds` reverses, for a refund line within its
window, the same share of what the original line earned (at the rate and
band it was paid in, in the period it was paid). The share is the refund
over what is left of the line after earlier refunds, so several refunds of
one line reverse at most what it earned; each reversal is rounded with the
plan's rounding of components. That share of anything still held back for
the line (held by line, or the line's part of a component's holdback for N
periods or until a date) is forfeited instead of reversed, so a full refund
takes back exactly what was paid. Under a cap over a horizon, a reversal of
a line earned in the current horizon first uses up what the cap withholds
(earned, never paid), as a negative line would. A refund outside the window,
of a line that earned the payee nothing, or of a line already refunded in
full reverses nothing and the trace says why.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from incentives.check.types import money, show
from incentives.compile import ir
from incentives.evaluate.crediting import Credit
from incentives.evaluate.holdbacks import forfeit_held, forfeit_pooled
from incentives.evaluate.settlement import Settlement
from incentives.evaluate.trace import span_text
from incentives.money import format_decimal
from incentives.periods import calendar_period
from incentives.results.models import TraceNode
from incentives.results.state import LineEarning

__all__ = ["remember_earnings", "reverse_refunds"]


def remember_earnings(s: Settlement, earnings: dict[str, list[tuple[str, Decimal]]]) -> None:
    period = s.inp.period
    cutoff = period.start.toordinal() - s.inp.longest_window
    for txn in list(s.carry.earnings):
        if all(e.line_date.toordinal() < cutoff for e in s.carry.earnings[txn]):
            del s.carry.earnings[txn]
    targets = {t for k in s.plan.clawbacks for t in k.targets}
    for component in sorted(targets & set(earnings)):
        for txn, amount in earnings[component]:
            line = s.inp.ledger[txn]
            s.carry.earnings.setdefault(txn, []).append(
                LineEarning(
                    txn_id=txn,
                    component=component,
                    amount=amount,
                    period=period.label,
                    line_date=line.date,
                    line_amount=line.amount,
                )
            )


def reverse_refunds(s: Settlement) -> None:
    for clawback in s.plan.clawbacks:
        refunds = s.inp.refunds.get(clawback.name, ())
        if not refunds:
            continue
        parts: list[TraceNode] = []
        total = Decimal(0)
        for refund in refunds:
            found = _reverse(s, clawback, refund)
            parts.extend(found)
            total += sum((Decimal(p.value or "0") for p in found), Decimal(0))
        s.add(
            clawback.name,
            clawback.label,
            "clawback",
            total,
            parts,
            f"{len(refunds)} refund line(s)",
            span_text(clawback.span),
        )


def _reverse(s: Settlement, clawback: ir.Clawback, refund: Credit) -> list[TraceNode]:
    """The trace parts one refund line adds to its clawback, updating what is remembered.

    The share reversed is the refund over what is left of the original line
    (earlier refunds of the same line have used up the rest), so refunds of
    one line never reverse more than it earned. Each reversal is rounded with
    the plan's rounding of components. What was held back from the line and
    never paid is forfeited instead of reversed: the part adds it back.
    """
    original = refund.line.values.get(clawback.column)
    assert isinstance(original, str)
    remembered = s.carry.earnings.get(original, [])
    earned = [e for e in remembered if e.component in clawback.targets]
    if not earned:
        line = s.inp.ledger[original]
        age = (refund.line.date - line.date).days
        if age > clawback.days:
            return [_note(refund, _outside(original, line.date, age, clawback.days), s)]
        return [_note(refund, f"refund of {original}: it earned this payee nothing on record", s)]
    first = earned[0]
    age = (refund.line.date - first.line_date).days
    if age > clawback.days:
        return [_note(refund, _outside(original, first.line_date, age, clawback.days), s)]
    left = abs(first.line_amount)
    if left == 0:
        return [_note(refund, f"line {original} was already refunded in full: nothing more", s)]
    refunded = min(abs(refund.line.amount), left)
    ratio = refunded / left
    forfeited = forfeit_held(s, original, ratio, clawback.targets)
    components = {c.name: c for c in s.plan.components}
    parts: list[TraceNode] = []
    updated: dict[int, LineEarning] = {}
    for e in earned:
        reversal = s.round(-(e.amount * ratio))
        component = components[e.component]
        kept = forfeited.get(e.component, Decimal(0))
        if component.hold is not None and component.hold.release != "column":
            share = s.round(e.amount * component.hold.share * ratio)
            kept += forfeit_pooled(s, e.component, e.period, share, original)
        absorbed = _absorbed(s, component, e.period, -(reversal + kept), -reversal)
        parts.append(
            TraceNode(
                kind="clawback",
                label=f"{e.component} on line {original}",
                value=format_decimal(reversal),
                unit=s.plan.currency,
                detail=f"refund {refund.line.txn_id} returns {_amount(refunded, refund)} of the "
                f"{_amount(left, refund)} left of line {original}: that share of the "
                f"{s.show(s.round(e.amount))} it earned (in {e.period}) is reversed",
                lines=[refund.line.txn_id, original],
            )
        )
        if absorbed:
            parts.append(
                TraceNode(
                    kind="clawback",
                    label=f"{e.component} withheld by its cap",
                    value=format_decimal(absorbed),
                    unit=s.plan.currency,
                    detail=f"{s.show(absorbed)} of it comes out of what the cap over a "
                    f"{component.horizon_cap.horizon.value if component.horizon_cap else ''} "
                    "withholds, not out of pay",
                    lines=[refund.line.txn_id, original],
                )
            )
        if kept:
            parts.append(
                TraceNode(
                    kind="clawback",
                    label=f"{e.component} held back on line {original}",
                    value=format_decimal(kept),
                    unit=s.plan.currency,
                    detail=f"{s.show(kept)} of it was held back and never paid: "
                    "forfeited instead of reversed",
                    lines=[refund.line.txn_id, original],
                )
            )
        updated[id(e)] = e.model_copy(
            update={"amount": e.amount + reversal, "line_amount": left - refunded}
        )
    s.carry.earnings[original] = [updated.get(id(e), e) for e in remembered]
    return parts


def _absorbed(
    s: Settlement, component: ir.Component, earned_in: str, amount: Decimal, earned: Decimal
) -> Decimal:
    """How much of a reversal comes out of what the component's cap withholds.

    A refund lowers what the horizon earned (by ``earned``, the line's whole
    share, held part included), so under a cap over a horizon it uses up what
    is withheld (earned beyond the cap, never paid) before it takes back pay
    (``amount``: the reversal less the held share forfeited), as a negative
    line would. What the horizon paid goes down by the rest of ``earned``:
    a forfeited held share was never paid either. Only for a line earned in
    the current horizon (or any, when the excess is carried over); the cap's
    state is updated.
    """
    cap = component.horizon_cap
    state = s.carry.caps.get(component.name)
    if cap is None or state is None or amount <= 0:
        return Decimal(0)
    horizon = calendar_period(cap.horizon, s.plan.scheme.parse(earned_in).end).label
    if horizon != state.horizon and not cap.carry:
        # a closed horizon forfeited its excess (its lines' earnings were scaled
        # to what it paid); carried over, what is withheld still includes it
        return Decimal(0)
    taken = min(state.withheld, amount)
    s.carry.caps[component.name] = state.model_copy(
        update={"withheld": state.withheld - taken, "paid": state.paid - (earned - taken)}
    )
    if not taken:
        return Decimal(0)
    note = f"{s.show(taken)} used up by a refund"
    for i, balance in enumerate(s.balances):
        if balance.name == component.name and balance.kind == "withheld":
            detail = f"{balance.detail}; {note}" if balance.detail else note
            s.balances[i] = balance.model_copy(
                update={"closing": balance.closing - taken, "detail": detail}
            )
            break
    return taken


def _amount(value: Decimal, refund: Credit) -> str:
    """A ledger amount in the line's own currency (the refund's and its sale's)."""
    return show(value, money(refund.line.currency))


def _outside(original: str, day: date, age: int, window: int) -> str:
    return (
        f"refund of {original} ({day.isoformat()}) is {age} days later, "
        f"outside the {window}-day window: nothing reversed"
    )


def _note(refund: Credit, detail: str, s: Settlement) -> TraceNode:
    return TraceNode(
        kind="clawback",
        label=f"refund {refund.line.txn_id}",
        value="0",
        unit=s.plan.currency,
        detail=detail,
        lines=[refund.line.txn_id],
    )
