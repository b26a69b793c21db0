"""Compiled rules that settle a period after its components.

Draws, clawbacks, wage floors and termination.

Contract: each rule complete (the checker required every clause that must be
said); the evaluator applies them in the order stage 4 documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from incentives.compile.ir.expressions import Expr
from incentives.source import Span

__all__ = [
    "Clawback",
    "Draw",
    "Termination",
    "WageFloor",
]


@dataclass(frozen=True, slots=True)
class Draw:
    """A guarantee (pay at least ``amount``) or an advance (pay ``amount`` now).

    A recovered shortfall is carried as a balance and repaid from later
    earnings, at most ``limit`` a period; a forgiven one is not carried.
    """

    name: str
    label: str
    kind: Literal["guarantee", "advance"]
    amount: Expr
    recovered: bool
    limit: Expr | None
    when: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class Clawback:
    """Refund lines (``condition``) reverse what their original line earned."""

    name: str
    label: str
    targets: tuple[str, ...]
    condition: Expr
    column: str
    days: int
    span: Span


@dataclass(frozen=True, slots=True)
class WageFloor:
    """Pay at least ``rate`` × ``hours`` a period: a shortfall is topped up or flagged."""

    name: str
    label: str
    rate: Expr
    hours: Expr
    topped_up: bool
    when: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class Termination:
    holdbacks: Literal["released", "forfeited"] | None
    draws: Literal["forgiven", "recovered"] | None
