"""Lowering the rules that settle a period: draws, wage floors, clawbacks, termination.

Contract: each rule comes out complete (the checker required every clause
that must be said), with its expressions lowered and, where the plan leaves
a choice unsaid, the documented default made explicit.
"""

from __future__ import annotations

from incentives.ast import nodes as n
from incentives.compile import ir
from incentives.compile.lower.expressions import ExprLowering

__all__ = ["SettlementLowering"]


class SettlementLowering(ExprLowering):
    def draws(self) -> tuple[ir.Draw, ...]:
        found = []
        for decl in self.cp.ast.declarations:
            if not isinstance(decl, n.DrawDecl):
                continue
            amount = next(c for c in decl.clauses if isinstance(c, n.DrawAmount))
            shortfall = next(c for c in decl.clauses if isinstance(c, n.DrawShortfall))
            when = next((c for c in decl.clauses if isinstance(c, n.WhenClause)), None)
            found.append(
                ir.Draw(
                    decl.name.text,
                    decl.label or decl.name.text,
                    amount.kind,
                    self.expr(amount.amount),
                    shortfall.recovered,
                    self.expr(shortfall.limit) if shortfall.limit is not None else None,
                    self.expr(when.condition) if when is not None else None,
                    decl.span,
                )
            )
        return tuple(found)

    def wage_floors(self) -> tuple[ir.WageFloor, ...]:
        found = []
        for decl in self.cp.ast.declarations:
            if not isinstance(decl, n.WageFloorDecl):
                continue
            rate = next(c for c in decl.clauses if isinstance(c, n.WageRate))
            rule = next(c for c in decl.clauses if isinstance(c, n.WageShortfall))
            when = next((c for c in decl.clauses if isinstance(c, n.WhenClause)), None)
            found.append(
                ir.WageFloor(
                    decl.name.text,
                    decl.label or decl.name.text,
                    self.expr(rate.rate),
                    self.expr(rate.hours),
                    rule.topped_up,
                    self.expr(when.condition) if when is not None else None,
                    decl.span,
                )
            )
        return tuple(found)

    def clawbacks(self) -> tuple[ir.Clawback, ...]:
        found = []
        for decl in self.cp.ast.declarations:
            if not isinstance(decl, n.ClawbackDecl):
                continue
            parts = {type(c): c for c in decl.clauses}
            reverses = parts[n.ClawbackReverses]
            lines = parts[n.ClawbackLines]
            matched = parts[n.ClawbackMatched]
            window = parts[n.ClawbackWindow]
            assert isinstance(reverses, n.ClawbackReverses)
            assert isinstance(lines, n.ClawbackLines)
            assert isinstance(matched, n.ClawbackMatched)
            assert isinstance(window, n.ClawbackWindow)
            found.append(
                ir.Clawback(
                    decl.name.text,
                    decl.label or decl.name.text,
                    tuple(t.text for t in reverses.targets),
                    self.expr(lines.condition),
                    matched.column.text,
                    window.days,
                    decl.span,
                )
            )
        return tuple(found)

    def termination(self) -> ir.Termination:
        holdbacks: str | None = None
        draws: str | None = None
        for decl in self.cp.ast.declarations:
            if isinstance(decl, n.TerminationDecl):
                for clause in decl.clauses:
                    what, _, how = clause.rule.partition("_")
                    if what == "holdbacks":
                        holdbacks = how
                    else:
                        draws = how
        return ir.Termination(holdbacks, draws)  # type: ignore[arg-type]
