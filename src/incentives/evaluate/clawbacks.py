"""Stage 4 clawbacks: refunds reverse what their original lines earned.

Contract: :func:`remember_earnings` records what each line earned for the
components a clawback targets (forgetting lines older than the longest
window); :func:`reverse_refunds` reverses, for a refund line within its
window, the same share of what the original line earned (at the rate and
band it was paid in, in the period it was paid), and forfeits that share of
anything held for the line. A refund outside the window, or of a line that
earned the payee nothing, reverses nothing and the trace says why.
"""

from __future__ import annotations

from decimal import Decimal

from incentives.check.types import PERCENT as _PERCENT
from incentives.check.types import show
from incentives.evaluate.crediting import Credit
from incentives.evaluate.holdbacks import forfeit_held
from incentives.evaluate.settlement import Settlement
from incentives.evaluate.trace import span_text
from incentives.money import format_decimal
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
            original = refund.line.values.get(clawback.column)
            assert isinstance(original, str)
            earned = [e for e in s.carry.earnings.get(original, [])
                      if e.component in clawback.targets]  # fmt: skip
            if not earned:
                line = s.inp.ledger[original]
                age = (refund.line.date - line.date).days
                if age > clawback.days:
                    missing = (
                        f"refund of {original} ({line.date.isoformat()}) is {age} days later, "
                        f"outside the {clawback.days}-day window: nothing reversed"
                    )
                else:
                    missing = f"refund of {original}: it earned this payee nothing on record"
                parts.append(_note(refund, missing, s.plan.currency))
                continue
            first = earned[0]
            age = (refund.line.date - first.line_date).days
            if age > clawback.days:
                parts.append(
                    _note(
                        refund,
                        f"refund of {original} ({first.line_date.isoformat()}) is {age} days "
                        f"later, outside the {clawback.days}-day window: nothing reversed",
                        s.plan.currency,
                    )
                )
                continue
            ratio = min(abs(refund.line.amount) / abs(first.line_amount), Decimal(1))
            for e in earned:
                reversal = -(e.amount * ratio)
                total += reversal
                parts.append(
                    TraceNode(
                        kind="clawback",
                        label=f"{e.component} on line {original}",
                        value=format_decimal(reversal),
                        unit=s.plan.currency,
                        detail=f"refund {refund.line.txn_id} returns "
                        f"{show(ratio, _PERCENT)} of line {original} "
                        f"(earned {s.show(e.amount)} in {e.period})",
                        lines=[refund.line.txn_id, original],
                    )
                )
            forfeit_held(s, original, ratio)
        s.add(
            clawback.name,
            clawback.label,
            "clawback",
            total,
            parts,
            f"{len(refunds)} refund line(s)",
            span_text(clawback.span),
        )


def _note(refund: Credit, detail: str, currency: str) -> TraceNode:
    return TraceNode(
        kind="clawback",
        label=f"refund {refund.line.txn_id}",
        value="0",
        unit=currency,
        detail=detail,
        lines=[refund.line.txn_id],
    )
