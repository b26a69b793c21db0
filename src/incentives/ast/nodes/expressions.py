"""Names and expressions: the values a plan computes with.

Contract: names as written (unresolved), literals with their original text, and
every expression form of the grammar (arithmetic, comparison, logic, ``if``,
function calls, tier and rate-table uses, team values and ranks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal as TLiteral

from incentives.source import Span

__all__ = [
    "Binary",
    "BinaryOp",
    "Call",
    "Expr",
    "Ident",
    "IfElse",
    "InList",
    "Literal",
    "LiteralKind",
    "MinorUnit",
    "Name",
    "Rank",
    "Ref",
    "Round",
    "Scope",
    "TeamValue",
    "TierAt",
    "TierOn",
    "Unary",
]


@dataclass(frozen=True, slots=True)
class Name:
    """An identifier as written; ``quoted`` if it was in backticks."""

    text: str
    span: Span
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Ident:
    """An id in an example (payee, transaction): a name, string or integer."""

    text: str
    span: Span
    #: How it was written: ``name``, ``string`` or ``int`` (for the formatter).
    form: TLiteral["name", "string", "int"] = "name"


LiteralKind = TLiteral["money", "percent", "number", "date", "text", "bool"]


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant written in the plan.

    ``value`` is exact: a percent holds its fraction (``5%`` → ``0.05``), a
    money literal its amount with ``currency`` set.
    """

    kind: LiteralKind
    value: Decimal | str | bool | date
    text: str
    span: Span
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """A use of a name in an expression."""

    name: Name
    span: Span


BinaryOp = TLiteral["+", "-", "*", "/", "of", "=", "!=", "<", "<=", ">", ">=", "and", "or"]


@dataclass(frozen=True, slots=True)
class Binary:
    op: BinaryOp
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Unary:
    op: TLiteral["-", "not"]
    operand: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class InList:
    """``x in [a, b]`` or ``x not in [a, b]``."""

    operand: Expr
    items: tuple[Literal, ...]
    negated: bool
    span: Span


@dataclass(frozen=True, slots=True)
class IfElse:
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Call:
    """A built-in function: ``min``, ``max``, ``clamp`` or ``abs``."""

    function: str
    args: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class MinorUnit:
    """The words ``minor unit``: the currency's smallest unit."""

    span: Span


@dataclass(frozen=True, slots=True)
class Round:
    """``round(x)``, ``round(x, 0.01)`` or ``round(x, 0.01, half_up)``."""

    value: Expr
    unit: Literal | MinorUnit | None
    mode: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class TierOn:
    """``rates on sales`` or ``rates on sales against target``."""

    tiers: Name
    base: Expr
    quota: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class TierAt:
    """``curve at attainment``: the band value at a point."""

    tiers: Name
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose values a team expression reads.

    ``reports``: the payee's reports in the roster hierarchy (``depth`` levels
    down, all levels if None); ``group``: the payees sharing the value of the
    roster field ``field``; ``everyone``: every payee on the plan.
    """

    kind: TLiteral["reports", "group", "everyone"]
    depth: int | None
    field: Name | None
    span: Span


@dataclass(frozen=True, slots=True)
class TeamValue:
    """``sum of sales across reports``: a per-payee value gathered over a scope."""

    function: TLiteral["sum", "average", "min", "max"]
    name: Name
    scope: Scope
    span: Span


@dataclass(frozen=True, slots=True)
class Rank:
    """``rank of sales across everyone highest first ties by payee``."""

    name: Name
    scope: Scope
    descending: bool
    ties: TLiteral["payee", "field", "shared"]
    tie_field: Name | None
    span: Span


Expr = (
    Literal | Ref | Binary | Unary | InList | IfElse | Call | Round | TierOn | TierAt
    | TeamValue | Rank
)  # fmt: skip
