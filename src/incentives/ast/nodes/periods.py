"""Declarations of what a period's pay settles with: draws, clawbacks, termination, wage floors.

Contract: each declaration with its clauses as written; the checker requires
the ones that must be said (an amount, a shortfall rule, a window …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TLiteral

from incentives.ast.nodes.expressions import Expr, Name
from incentives.ast.nodes.pay import WhenClause
from incentives.source import Span

__all__ = [
    "ClawbackClause",
    "ClawbackDecl",
    "ClawbackLines",
    "ClawbackMatched",
    "ClawbackReverses",
    "ClawbackWindow",
    "DrawAmount",
    "DrawClause",
    "DrawDecl",
    "DrawShortfall",
    "TerminationDecl",
    "TerminationRule",
    "WageClause",
    "WageFloorDecl",
    "WageRate",
    "WageShortfall",
]


@dataclass(frozen=True, slots=True)
class DrawAmount:
    """``guarantee 2,000 USD`` or ``advance 2,000 USD``."""

    kind: TLiteral["guarantee", "advance"]
    amount: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class DrawShortfall:
    """``shortfall forgiven`` or ``shortfall recovered [at most X per period]``."""

    recovered: bool
    limit: Expr | None
    span: Span


DrawClause = DrawAmount | DrawShortfall | WhenClause


@dataclass(frozen=True, slots=True)
class DrawDecl:
    name: Name
    label: str | None
    clauses: tuple[DrawClause, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ClawbackReverses:
    targets: tuple[Name, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ClawbackLines:
    condition: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class ClawbackMatched:
    column: Name
    span: Span


@dataclass(frozen=True, slots=True)
class ClawbackWindow:
    days: int
    span: Span


ClawbackClause = ClawbackReverses | ClawbackLines | ClawbackMatched | ClawbackWindow


@dataclass(frozen=True, slots=True)
class ClawbackDecl:
    name: Name
    label: str | None
    clauses: tuple[ClawbackClause, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class TerminationRule:
    rule: TLiteral["holdbacks_released", "holdbacks_forfeited", "draws_forgiven", "draws_recovered"]
    span: Span


@dataclass(frozen=True, slots=True)
class TerminationDecl:
    clauses: tuple[TerminationRule, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class WageRate:
    """``at 16.00 USD per hour of hours_worked``."""

    rate: Expr
    hours: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class WageShortfall:
    """``shortfall topped up`` or ``shortfall flagged``."""

    topped_up: bool
    span: Span


WageClause = WageRate | WageShortfall | WhenClause


@dataclass(frozen=True, slots=True)
class WageFloorDecl:
    """``wage floor NAME ["label"]``: pay at least a rate per hour worked."""

    name: Name
    label: str | None
    clauses: tuple[WageClause, ...]
    span: Span
