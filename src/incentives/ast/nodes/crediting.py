"""Declarations of whose sale a line is and which currency it is paid in.

Contract: crediting rules (splits, overlays, credit by a column from a date,
the remainder rule, the earning date) and the FX clauses, as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TLiteral

from incentives.ast.nodes.expressions import Literal, MinorUnit, Name
from incentives.source import Span

__all__ = [
    "CreditTo",
    "CreditingClause",
    "CreditingDecl",
    "EarnOn",
    "FxClause",
    "FxConvert",
    "FxDecl",
    "FxPayout",
    "FxRound",
    "OverlayClause",
    "RemainderClause",
    "SplitBySplits",
]


@dataclass(frozen=True, slots=True)
class EarnOn:
    """``earn on paid_on``: lines count in the period of this date column."""

    column: Name
    span: Span


@dataclass(frozen=True, slots=True)
class CreditTo:
    """``credit to owner [from 2026-04-01]``: the column naming who a line counts for."""

    column: Name
    start: Literal | None
    span: Span


@dataclass(frozen=True, slots=True)
class SplitBySplits:
    """``split by splits``: share the lines listed in the splits table."""

    span: Span


@dataclass(frozen=True, slots=True)
class OverlayClause:
    """``overlay "sales_engineer"``: credit types paid on top of the 100%."""

    types: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class RemainderClause:
    """``remainder to largest remainder`` or ``remainder to seller``."""

    rule: TLiteral["largest_remainder", "seller"]
    span: Span


CreditingClause = CreditTo | SplitBySplits | OverlayClause | RemainderClause | EarnOn


@dataclass(frozen=True, slots=True)
class CreditingDecl:
    clauses: tuple[CreditingClause, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class FxConvert:
    """``convert at line date`` or ``convert at period end``."""

    when: TLiteral["line_date", "period_end"]
    span: Span


@dataclass(frozen=True, slots=True)
class FxRound:
    """``round half_up to 0.01``: rounding of converted line amounts."""

    mode: str
    unit: Literal | MinorUnit
    span: Span


@dataclass(frozen=True, slots=True)
class FxPayout:
    """``pay in payout currency``: statements in each payee's payout currency."""

    span: Span


FxClause = FxConvert | FxRound | FxPayout


@dataclass(frozen=True, slots=True)
class FxDecl:
    clauses: tuple[FxClause, ...]
    span: Span
