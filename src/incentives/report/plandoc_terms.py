"""The plan document's words for what carries across periods, and the plan's terms.

Contract: pure functions from the compiled plan (:mod:`incentives.compile.ir`)
to :data:`~incentives.report.plandoc_words.Words`, quoting the plan's own
text for every expression, so the document says exactly what is computed:

* :func:`carry_bullets` — a component's holdback, true-up and cap over a
  horizon, as bullets under the component;
* :func:`settlement_items` — the draws, clawbacks and wage floors, each a
  titled block of "What you are paid";
* :func:`plan_terms` — the terms a written plan must state, in the order of
  :data:`TERM_TITLES`: when a sale is earned, clawbacks (or how refunds
  count without one), what happens on termination, and whom to ask (the
  header's ``contact``, when given). Every plan has the first three.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from incentives.compile import ir
from incentives.report.plandoc_words import Words, code, source_text, text

__all__ = ["TERM_TITLES", "Settlement", "Term", "carry_bullets", "plan_terms", "settlement_items"]

TermKey = Literal["earn_event", "clawback_window", "termination", "dispute_contact"]

#: The heading of each kind of term, in the order a written plan lists them.
TERM_TITLES: dict[TermKey, str] = {
    "earn_event": "When pay is earned",
    "clawback_window": "Refunds and clawbacks",
    "termination": "If your employment ends",
    "dispute_contact": "Questions and disputes",
}


@dataclass(frozen=True)
class Term:
    """A structured clause of the plan."""

    key: TermKey
    text: Words


@dataclass(frozen=True)
class Settlement:
    """A draw, clawback or wage floor, described for "What you are paid"."""

    title: str
    anchor: str
    kind: str
    name: str
    paragraphs: tuple[Words, ...]


def _src(plan: ir.Plan, node: ir.Expr) -> Words:
    return code(source_text(plan, node.span))


def carry_bullets(plan: ir.Plan, c: ir.Component) -> tuple[Words, ...]:
    """What carries from one period to the next for one component."""
    bullets: list[Words] = []
    if c.true_up is not None:
        horizon = c.true_up.value
        bullets.append(
            text(
                f"Trued up over the {horizon}: each pay period pays what the {horizon} has "
                f"earned so far, less what earlier periods of the {horizon} already paid."
            )
        )
    cap = c.horizon_cap
    if cap is not None:
        horizon = cap.horizon.value
        after = (
            "carried over and paid in later periods as the cap leaves room"
            if cap.carry
            else "forfeited"
        )
        bullets.append(
            text("At most ")
            + _src(plan, cap.limit)
            + text(f" per {horizon}; the excess is {after}.")
        )
    hold = c.hold
    if hold is not None:
        share = f"{(hold.share * 100).normalize():f}%"
        if hold.release == "periods":
            when = f"paid {hold.periods} pay period{'s' if hold.periods != 1 else ''} later"
            bullets.append(text(f"{share} of each payment is held back and {when}."))
        elif hold.release == "date":
            assert hold.day is not None
            bullets.append(
                text(f"{share} of each payment is held back and paid in the pay period of ")
                + code(hold.day.isoformat())
                + text(".")
            )
        else:
            bullets.append(
                text(f"{share} of what each sale earns is held back until the date in ")
                + code(hold.column or "")
                + text(" (such as the day the customer paid), and paid in that pay period.")
            )
    return tuple(bullets)


def settlement_items(plan: ir.Plan) -> tuple[Settlement, ...]:
    """The draws, clawbacks and wage floors of the plan, in plan order by kind."""
    items: list[Settlement] = []
    labels = {c.name: c.label for c in plan.components}
    for draw in plan.draws:
        if draw.kind == "guarantee":
            words = text("Tops your pay for the period up to ") + _src(plan, draw.amount)
        else:
            words = text("Pays ") + _src(plan, draw.amount) + text(" each period as an advance")
        if draw.when is not None:
            words += text(" while ") + _src(plan, draw.when)
        words += text(".")
        if draw.recovered:
            limit = (
                text(", at most ") + _src(plan, draw.limit) + text(" a period")
                if draw.limit is not None
                else ()
            )
            rest = (
                text("What it adds is a balance repaid from your later pay")
                + (text(" above the guarantee") if draw.kind == "guarantee" else ())
                + limit
                + text("; the statement shows the balance before and after.")
            )
        else:
            rest = text("What it adds is yours: it is not repaid.")
        items.append(Settlement(draw.label, f"draw-{draw.name}", "draw", draw.name, (words, rest)))
    for k in plan.clawbacks:
        targets = ", ".join(labels.get(t, t) for t in k.targets)
        words = (
            text("A refund — a ledger line where ")
            + _src(plan, k.condition)
            + text(" — names the sale it refunds in ")
            + code(k.column)
            + text(
                f". Within {k.days} days of that sale it takes back what the sale earned in "
                f"{targets}, in proportion to the refund and at the rate it was paid; "
                "a later refund takes nothing back."
            )
        )
        items.append(Settlement(k.label, f"clawback-{k.name}", "clawback", k.name, (words,)))
    for w in plan.wage_floors:
        words = (
            text("Your pay for a period is at least ")
            + _src(plan, w.rate)
            + text(" for each hour of ")
            + _src(plan, w.hours)
        )
        if w.when is not None:
            words += text(" when ") + _src(plan, w.when)
        words += text(", checked after every other rule.")
        rule = (
            text("Any shortfall is paid as a line of the statement.")
            if w.topped_up
            else text(
                "A shortfall is shown on the statement and reported to the plan's "
                "administrators; this plan does not pay it."
            )
        )
        items.append(Settlement(w.label, f"wage-{w.name}", "minimum wage", w.name, (words, rule)))
    return tuple(items)


def plan_terms(plan: ir.Plan) -> tuple[Term, ...]:
    """The plan's terms (see the module docstring)."""
    return tuple(
        t
        for t in (_earn_event(plan), _refunds(plan), _termination(plan), _contact(plan))
        if t is not None
    )


def _earn_event(plan: ir.Plan) -> Term:
    column = plan.crediting.earn_on
    if column is None or column == "date":
        words = text("A sale counts in the pay period of its ledger date.")
    else:
        words = (
            text("A sale counts in the pay period of the date in ")
            + code(column)
            + text(" (the day it is earned); a sale without that date is not earned yet.")
        )
    dated = [m for m in plan.measures if m.dated_by is not None]
    for m in dated:
        words += (
            text(" ") + code(m.name) + text(" counts sales by the date in ")
            + code(m.dated_by or "") + text(".")
        )  # fmt: skip
    if plan.starts is not None:
        words += text(" Nothing dated before ") + code(plan.starts.isoformat()) + text(" counts.")
    return Term("earn_event", words)


def _refunds(plan: ir.Plan) -> Term:
    if not plan.clawbacks:
        return Term(
            "clawback_window",
            text(
                "A refund is a negative ledger line: it reduces the sales of the pay period "
                "it is dated in, and so that period's pay; earlier periods are not reopened."
            ),
        )
    windows = sorted({k.days for k in plan.clawbacks})
    days = " or ".join(str(d) for d in windows)
    return Term(
        "clawback_window",
        text(
            f"A refund within {days} days of the sale it names takes back what that sale "
            "earned (see the clawbacks above); a later refund takes nothing back."
        ),
    )


def _termination(plan: ir.Plan) -> Term:
    words = text(
        "You are paid for every pay period in which you are active, up to your last day; "
        "sales dated after it do not count."
    )
    holds = any(c.hold is not None for c in plan.components)
    if holds and plan.termination.holdbacks == "released":
        words += text(" Anything still held back is paid in your last pay period.")
    elif holds and plan.termination.holdbacks == "forfeited":
        words += text(" Anything still held back on your last day is forfeited.")
    recovered = any(d.recovered for d in plan.draws)
    if recovered and plan.termination.draws == "forgiven":
        words += text(" A draw balance not yet repaid is forgiven.")
    elif recovered and plan.termination.draws == "recovered":
        words += text(" A draw balance not yet repaid is taken from your final pay.")
    elif recovered:
        words += text(" This plan does not say what happens to a draw balance not yet repaid.")
    return Term("termination", words)


def _contact(plan: ir.Plan) -> Term | None:
    if not plan.contact:
        return None
    return Term("dispute_contact", text(f"Ask {plan.contact} about your pay or to dispute it."))
