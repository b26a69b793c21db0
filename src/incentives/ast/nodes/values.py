"""Declarations of data and values: columns, fields, metrics, holidays, lets, measures, quotas.

Contract: each declaration with its clauses in the order and multiplicity
written (the checker reports duplicates and omissions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TLiteral

from incentives.ast.nodes.expressions import Expr, Literal, MinorUnit, Name, Scope
from incentives.source import Span

__all__ = [
    "AcrossClause",
    "AggregateKind",
    "DatedClause",
    "DefaultClause",
    "FieldDecl",
    "FieldsDecl",
    "GoalClause",
    "HolidaysDecl",
    "LetDecl",
    "MeasureClause",
    "MeasureDecl",
    "OverClause",
    "ProrateClause",
    "QuotaClause",
    "QuotaDecl",
    "QuotaRoundClause",
    "RampClause",
    "RampStep",
    "SplitClause",
    "WhereClause",
]


@dataclass(frozen=True, slots=True)
class FieldDecl:
    """``units: count`` or ``csat: decimal default 3``."""

    name: Name
    type_name: str
    default: Expr | None
    span: Span
    #: ``optional``: a cell may be empty (only ``dated by``, ``earn on`` and
    #: ``hold back … until`` read such a column).
    optional: bool = False


@dataclass(frozen=True, slots=True)
class FieldsDecl:
    """``ledger columns …``, ``roster fields …`` or ``metrics …``."""

    table: TLiteral["ledger", "roster", "metrics"]
    fields: tuple[FieldDecl, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class HolidaysDecl:
    days: tuple[Literal, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class LetDecl:
    """``let rate = 5%``, or a dated version: ``let rate from 2026-07-01 = 6%``."""

    name: Name
    value: Expr
    span: Span
    start: Literal | None = None


AggregateKind = TLiteral["sum", "min", "max", "average", "count", "count_distinct"]


@dataclass(frozen=True, slots=True)
class WhereClause:
    condition: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class OverClause:
    """``over quarter to date``."""

    horizon: TLiteral["month", "quarter", "year"]
    span: Span


@dataclass(frozen=True, slots=True)
class DefaultClause:
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class AcrossClause:
    """``across reports to depth 2``: a team measure over the scope's lines."""

    scope: Scope
    span: Span


@dataclass(frozen=True, slots=True)
class DatedClause:
    """``dated by paid_on``: a line counts in the period of this date column."""

    column: Name
    span: Span


MeasureClause = WhereClause | OverClause | DefaultClause | AcrossClause | DatedClause


@dataclass(frozen=True, slots=True)
class MeasureDecl:
    name: Name
    aggregate: AggregateKind
    argument: Expr | None
    aggregate_span: Span
    clauses: tuple[MeasureClause, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class GoalClause:
    """``goal from quotas per quarter`` or ``goal 90,000 USD per quarter``."""

    source: Expr | None  # None: from the quotas table
    unit: TLiteral["week", "month", "quarter", "year", "period"] | None
    span: Span


@dataclass(frozen=True, slots=True)
class SplitClause:
    method: TLiteral["evenly", "calendar_days", "working_days", "weights"]
    weights: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ProrateClause:
    factors: tuple[TLiteral["fte", "days_active"], ...]
    span: Span


@dataclass(frozen=True, slots=True)
class RampStep:
    """``months 1 to 2 at 50%``; ``last`` is None for a single month."""

    first: int
    last: int | None
    factor: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class RampClause:
    steps: tuple[RampStep, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class QuotaRoundClause:
    mode: str
    unit: Literal | MinorUnit
    span: Span


QuotaClause = GoalClause | SplitClause | ProrateClause | RampClause | QuotaRoundClause


@dataclass(frozen=True, slots=True)
class QuotaDecl:
    name: Name
    clauses: tuple[QuotaClause, ...]
    span: Span
