"""Declarations of pay: tier tables, rate tables, components and the total.

Contract: bands, rows and component clauses in the order and multiplicity
written, including the clauses that carry pay across periods (holdbacks,
true-ups, caps over a horizon).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TLiteral

from incentives.ast.nodes.expressions import Expr, Literal, Name
from incentives.source import Span

__all__ = [
    "AnyKey",
    "Band",
    "Bound",
    "CapClause",
    "ComponentClause",
    "ComponentDecl",
    "FloorClause",
    "GateClause",
    "HoldClause",
    "HorizonCapClause",
    "MultipliesClause",
    "PayAmount",
    "PayPerLine",
    "PayPerUnit",
    "PaySpec",
    "PaysClause",
    "RateRow",
    "RateTableDecl",
    "TiersDecl",
    "TotalDecl",
    "TrueUpClause",
    "WhenClause",
]


@dataclass(frozen=True, slots=True)
class Bound:
    value: Expr
    inclusive: bool
    span: Span


@dataclass(frozen=True, slots=True)
class Band:
    """One band: bounds (None = unbounded on that side) and what it pays.

    ``value`` is the band's rate or amount; for an interpolated band that
    moves from one value to another, ``value`` is the start and ``value_to``
    the end.
    """

    lower: Bound | None
    upper: Bound | None
    value: Expr
    value_to: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class TiersDecl:
    name: Name
    kind: TLiteral["marginal", "retroactive", "flat", "interpolated"]
    bands: tuple[Band, ...]
    span: Span
    #: A dated version of the table: in force from this date.
    start: Literal | None = None


@dataclass(frozen=True, slots=True)
class AnyKey:
    """The wildcard ``any`` in a rate table row."""

    span: Span


@dataclass(frozen=True, slots=True)
class RateRow:
    """A row of a rate table; ``keys`` is empty for ``otherwise``."""

    keys: tuple[Literal | AnyKey, ...]
    value: Literal
    otherwise: bool
    span: Span


@dataclass(frozen=True, slots=True)
class RateTableDecl:
    name: Name
    keys: tuple[Name, ...]
    policy: TLiteral["unique", "first"] | None
    rows: tuple[RateRow, ...]
    span: Span
    #: A dated version of the table: in force from this date.
    start: Literal | None = None


@dataclass(frozen=True, slots=True)
class PayAmount:
    """``pays EXPR``: a payee-level amount."""

    amount: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class PayPerLine:
    """``pays EXPR per line [where COND]``: summed over matching lines."""

    amount: Expr
    where: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class PayPerUnit:
    """``pays EXPR per unit of COLUMN [where COND]``."""

    amount: Expr
    units: Expr
    where: Expr | None
    span: Span


PaySpec = PayAmount | PayPerLine | PayPerUnit


@dataclass(frozen=True, slots=True)
class PaysClause:
    spec: PaySpec
    span: Span


@dataclass(frozen=True, slots=True)
class WhenClause:
    condition: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class GateClause:
    threshold: Expr
    mode: TLiteral["nothing_below", "excess_only"]
    span: Span


@dataclass(frozen=True, slots=True)
class CapClause:
    per_line: bool
    limit: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class FloorClause:
    per_line: bool
    limit: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class MultipliesClause:
    targets: tuple[Name, ...]
    factor: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class HoldClause:
    """``hold back 20% for 2 periods | until 2026-12-31 | until paid_on``."""

    share: Expr
    release: TLiteral["periods", "date", "column"]
    periods: int | None
    day: Literal | None
    column: Name | None
    span: Span


@dataclass(frozen=True, slots=True)
class TrueUpClause:
    """``true up over quarter``: pay to-date earned minus to-date paid."""

    horizon: TLiteral["month", "quarter", "year"]
    span: Span


@dataclass(frozen=True, slots=True)
class HorizonCapClause:
    """``cap at 50,000 USD per year, excess forfeited | excess carried over``."""

    limit: Expr
    horizon: TLiteral["month", "quarter", "year"]
    carry: bool
    span: Span


ComponentClause = (
    PaysClause | WhenClause | GateClause | CapClause | FloorClause | MultipliesClause
    | HoldClause | TrueUpClause | HorizonCapClause
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ComponentDecl:
    kind: TLiteral["commission", "bonus", "spiff", "multiplier"]
    name: Name
    label: str | None
    clauses: tuple[ComponentClause, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class TotalDecl:
    clauses: tuple[CapClause | FloorClause | HorizonCapClause, ...]
    span: Span
