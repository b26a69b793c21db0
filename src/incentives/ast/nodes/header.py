"""The plan header: name, version, currency, period, rounding and the other clauses.

Contract: one node per header clause, in the order written; the checker says
which are required, given twice or invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal as TLiteral

from incentives.ast.nodes.expressions import Literal, MinorUnit
from incentives.source import Span

__all__ = [
    "ContactClause",
    "CurrencyClause",
    "DescriptionClause",
    "HeaderClause",
    "PeriodClause",
    "PlanHeader",
    "RoundingClause",
    "StartsClause",
    "VersionClause",
    "VersionsClause",
]


@dataclass(frozen=True, slots=True)
class VersionClause:
    version: str
    span: Span


@dataclass(frozen=True, slots=True)
class DescriptionClause:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class CurrencyClause:
    code: str
    span: Span


@dataclass(frozen=True, slots=True)
class PeriodClause:
    """``period month`` or ``period two weeks from 2026-01-05``."""

    unit: TLiteral["week", "two_weeks", "month", "quarter", "year"]
    anchor: date | None
    span: Span


@dataclass(frozen=True, slots=True)
class RoundingClause:
    """``rounding half_up to 0.01 on components`` or ``rounding none``."""

    mode: str | None
    unit: Literal | MinorUnit | None
    places: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class StartsClause:
    """``starts 2026-01-01``: the plan pays from this date; nothing before counts."""

    day: Literal
    span: Span


@dataclass(frozen=True, slots=True)
class VersionsClause:
    """``versions at period end``: which dated definition a period uses."""

    point: TLiteral["period_start", "period_end"]
    span: Span


@dataclass(frozen=True, slots=True)
class ContactClause:
    """``contact "Compensation team, comp@example.com"``: whom payees ask about their pay."""

    text: str
    span: Span


HeaderClause = (
    VersionClause | DescriptionClause | CurrencyClause | PeriodClause | RoundingClause
    | StartsClause | VersionsClause | ContactClause
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlanHeader:
    name: str
    clauses: tuple[HeaderClause, ...]
    span: Span
