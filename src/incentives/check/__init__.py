"""Stage 2 of the pipeline: AST → checked plan, or every problem with it.

Contract: :func:`check` never raises for a mistake in the plan. It returns a
:class:`CheckResult` with all diagnostics in source order and, when there is
no error among them, a :class:`CheckedPlan`: names resolved, every
expression typed with its level (constant, per line, per payee), tier bands
contiguous and non-overlapping, rate tables unambiguous, no cycles, and a
deterministic evaluation order. The compiler and the evaluator trust these
facts and never re-check them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from incentives.ast import nodes as n
from incentives.check.context import CheckContext, Level, Symbol, TierInfo
from incentives.check.graph import evaluation_order
from incentives.check.passes import PASSES
from incentives.check.types import Type
from incentives.diagnostics import Diagnostic, has_errors, sort_diagnostics
from incentives.money import RoundingMode, evaluation_context
from incentives.parse.parser import reserved_words
from incentives.periods import PeriodScheme
from incentives.source import SourceFile

__all__ = ["CheckResult", "CheckedPlan", "Level", "check"]


@dataclass(frozen=True)
class CheckedPlan:
    """A plan the checker accepted, with everything it learned about it."""

    ast: n.PlanFile
    source: SourceFile
    currency: str
    scheme: PeriodScheme
    rounding_mode: RoundingMode | None
    rounding_unit: Decimal | None
    rounding_places: tuple[str, ...]
    symbols: Mapping[str, Symbol]
    #: Type and level of every expression node, by ``id(node)``.
    types: Mapping[int, Type]
    levels: Mapping[int, Level]
    tier_info: Mapping[str, TierInfo]
    #: Lets, measures, quotas and components, dependencies first.
    order: tuple[str, ...]
    #: Warnings (a checked plan has no errors).
    warnings: tuple[Diagnostic, ...]
    #: The checker's own state, for constant folding during lowering.
    context: CheckContext

    def type_of(self, expr: object) -> Type:
        return self.types[id(expr)]

    def level_of(self, expr: object) -> Level:
        return self.levels[id(expr)]


@dataclass(frozen=True)
class CheckResult:
    plan: CheckedPlan | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return self.plan is not None


def check(plan: n.PlanFile, source: SourceFile) -> CheckResult:
    """Check a parsed plan; see the module docstring for what a pass guarantees."""
    ctx = CheckContext(plan)
    with evaluation_context():
        for run in PASSES:
            run(ctx, reserved_words())
        order = evaluation_order(ctx)
    diagnostics = sort_diagnostics(ctx.diagnostics)
    if has_errors(diagnostics) or ctx.scheme is None:
        return CheckResult(None, diagnostics)
    checked = CheckedPlan(
        ast=plan,
        source=source,
        currency=ctx.currency,
        scheme=ctx.scheme,
        rounding_mode=ctx.rounding_mode,
        rounding_unit=ctx.rounding_unit,
        rounding_places=ctx.rounding_places,
        symbols=dict(ctx.symbols),
        types=dict(ctx.types),
        levels=dict(ctx.levels),
        tier_info=dict(ctx.tier_info),
        order=order,
        warnings=tuple(diagnostics),
        context=ctx,
    )
    return CheckResult(checked, diagnostics)
