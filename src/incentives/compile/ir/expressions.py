"""Compiled expressions: typed, resolved, constants folded.

Contract: every node says what it reads (a ledger column, a roster field, a
metric, a rate table, a per-payee value), carries its concrete type and the
span of the plan text it came from; dated versions of a constant are
:class:`Versioned` nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from incentives.check.types import Type
from incentives.money import RoundingMode
from incentives.source import Span
from incentives.values import Value

__all__ = [
    "Arith",
    "Cmp",
    "Column",
    "Cond",
    "Const",
    "Excess",
    "Expr",
    "Field",
    "Fn",
    "InSet",
    "Logic",
    "Metric",
    "Neg",
    "Not",
    "Rank",
    "RateLookup",
    "Ref",
    "Round",
    "Scope",
    "TeamValue",
    "TierApply",
    "Versioned",
]


@dataclass(frozen=True, slots=True)
class Const:
    value: Value
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Column:
    """A ledger line's column (line level)."""

    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class RateLookup:
    """The value of a rate table for the current line (line level)."""

    table: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Field:
    """A roster field of the payee (payee level)."""

    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Metric:
    """A metric of the payee for the period (payee level)."""

    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Ref:
    """A named per-payee value computed earlier (let, measure, quota, component)."""

    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Arith:
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Cmp:
    op: Literal["=", "!=", "<", "<=", ">", ">="]
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Logic:
    op: Literal["and", "or"]
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class InSet:
    operand: Expr
    values: tuple[Value, ...]
    negated: bool
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Cond:
    condition: Expr
    then: Expr
    otherwise: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Fn:
    name: Literal["min", "max", "clamp", "abs"]
    args: tuple[Expr, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Round:
    value: Expr
    unit: Decimal
    mode: RoundingMode
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Excess:
    """``max(base - threshold, 0)``: the part of a base above a gate's threshold."""

    base: Expr
    threshold: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose lines or values a team measure or team value reads (see ``ast.Scope``)."""

    kind: Literal["reports", "group", "everyone"]
    depth: int | None
    field: str | None


@dataclass(frozen=True, slots=True)
class TeamValue:
    """A per-payee value gathered over the payees of a scope (stage 3)."""

    function: Literal["sum", "average", "min", "max"]
    name: str
    scope: Scope
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Rank:
    """A payee's 1-based position among the payees of a scope (stage 3)."""

    name: str
    scope: Scope
    descending: bool
    ties: Literal["payee", "field", "shared"]
    tie_field: str | None
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Versioned:
    """A constant with dated versions: the value in force on the evaluation's date.

    ``versions`` is ordered by date; the first has no date (in force before
    the others). Payee-level expressions are dated by their period (its start,
    or its end if the plan says ``versions at period end``); line-level ones by
    the line's date.
    """

    name: str
    versions: tuple[tuple[date | None, Value], ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class TierApply:
    """A tier table applied to a base (``on``) or read at a value (``at``).

    For ``on``: ``quota`` turns attainment bands into money slices of the
    base; ``start`` (a gate's threshold, marginal tables only) pays only the
    slices above it.
    """

    table: str
    mode: Literal["on", "at"]
    base: Expr
    quota: Expr | None
    start: Expr | None
    type: Type
    span: Span


Expr = (
    Const
    | Column
    | RateLookup
    | Field
    | Metric
    | Ref
    | Arith
    | Neg
    | Cmp
    | Logic
    | Not
    | InSet
    | Cond
    | Fn
    | Round
    | Excess
    | TierApply
    | TeamValue
    | Rank
    | Versioned
)
