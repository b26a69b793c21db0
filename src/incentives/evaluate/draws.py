"""Stage 4 draws: guarantees and advances, recovered or forgiven.

Contract: with E the total so far, a guarantee tops pay up to its amount and
an advance pays its amount; a recovered shortfall is carried as a balance and
repaid from later earnings above the guarantee (or from any earnings, for an
advance, and once the draw is no longer active), never pushing pay below the
draw while it is active and at most the stated limit a period; a forgiven
shortfall is not carried. For every draw, Σ (paid − earned) equals its
balance. In a payee's last period the termination rule recovers or forgives
what is left.
"""

from __future__ import annotations

from decimal import Decimal

from incentives.evaluate.settlement import Settlement
from incentives.evaluate.trace import span_text

__all__ = ["settle_draws"]


def settle_draws(s: Settlement) -> None:
    earned = sum((line.amount for line in s.lines), Decimal(0))
    for draw in s.plan.draws:
        active = draw.when is None or s.truthy(draw.when)
        amount = s.value(draw.amount) if active else Decimal(0)
        limit = s.value(draw.limit) if draw.limit is not None else None
        before = s.carry.draws.get(draw.name, Decimal(0))
        paid_draw = Decimal(0)
        recovery = Decimal(0)
        positive = max(earned, Decimal(0))
        if draw.kind == "guarantee":
            if active:
                paid_draw = max(amount - earned, Decimal(0))
                if draw.recovered and paid_draw == 0:
                    recovery = min(before, earned - amount)
            elif draw.recovered:
                recovery = min(before, positive)
        else:
            paid_draw = amount
            owed = before + amount if draw.recovered else amount
            recovery = min(owed, positive)
        if limit is not None:
            recovery = min(recovery, max(limit, Decimal(0)))
        paid_draw, recovery = s.round(paid_draw), s.round(recovery)
        if s.last_period and s.plan.termination.draws == "recovered" and draw.recovered:
            left = before + paid_draw - recovery
            extra = min(left, max(earned + paid_draw - recovery, Decimal(0)))
            recovery += s.round(extra)
        after = before + paid_draw - recovery if draw.recovered else Decimal(0)
        detail = ""
        if s.last_period and s.plan.termination.draws == "forgiven" and after:
            detail = f"{s.show(after)} forgiven on termination"
            after = Decimal(0)
        what = "guaranteed" if draw.kind == "guarantee" else "advanced"
        if paid_draw:
            s.add(
                draw.name,
                draw.label,
                "draw",
                paid_draw,
                [],
                f"{s.show(amount)} {what}; earned {s.show(earned)}",
                span_text(draw.span),
            )
        if recovery:
            s.add(
                f"{draw.name}_recovery",
                f"{draw.label} (recovered)",
                "draw_recovery",
                -recovery,
                [],
                f"repays the draw balance of {s.show(before + paid_draw)} from earnings "
                f"of {s.show(earned)}",
                span_text(draw.span),
            )
        s.carry.draws[draw.name] = after
        s.balance(draw.name, "draw", before, after, detail, always=True)
