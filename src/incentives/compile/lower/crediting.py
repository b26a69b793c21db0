"""Lowering who is credited with a line and how currencies convert.

Contract: crediting rules (the credited column, reassignments from a date,
split and overlay credit types) and the FX policy (when the rate is read,
how conversions round) come out as plain IR records.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from incentives.ast import nodes as n
from incentives.compile import ir
from incentives.compile.lower.expressions import ExprLowering
from incentives.money import RoundingMode

__all__ = ["CreditingLowering"]


class CreditingLowering(ExprLowering):
    def crediting(self) -> ir.Crediting:
        rules: list[ir.CreditRule] = []
        splits = False
        overlays: set[str] = set()
        remainder: str = "largest_remainder"
        earn_on: str | None = None
        for decl in self.cp.ast.declarations:
            if not isinstance(decl, n.CreditingDecl):
                continue
            for clause in decl.clauses:
                match clause:
                    case n.CreditTo(column=column, start=start):
                        day = start.value if start is not None else None
                        assert day is None or isinstance(day, date)
                        rules.append(ir.CreditRule(column.text, day))
                    case n.SplitBySplits():
                        splits = True
                    case n.OverlayClause(types=types):
                        overlays.update(types)
                    case n.RemainderClause(rule=rule):
                        remainder = rule
                    case n.EarnOn(column=column):
                        earn_on = column.text
        rules.sort(key=lambda r: (r.start is not None, r.start or date.min))
        if not rules or rules[0].start is not None:
            rules.insert(0, ir.CreditRule("payee", None))
        return ir.Crediting(
            tuple(rules),
            splits,
            frozenset(overlays),
            remainder,  # type: ignore[arg-type]
            earn_on,
        )

    def fx(self) -> ir.Fx | None:
        for decl in self.cp.ast.declarations:
            if isinstance(decl, n.FxDecl):
                when = "line_date"
                rounding: tuple[RoundingMode, Decimal] | None = None
                payout = False
                for clause in decl.clauses:
                    match clause:
                        case n.FxConvert(when=w):
                            when = w
                        case n.FxRound(mode=mode, unit=unit):
                            rounding = (RoundingMode(mode), self.unit(unit))
                        case n.FxPayout():
                            payout = True
                return ir.Fx(when, rounding, payout)  # type: ignore[arg-type]
        return None
