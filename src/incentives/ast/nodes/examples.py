"""Worked examples embedded in a plan: periods, payees, lines, expectations.

Contract: each clause as written, with ids (``Ident``) kept in the form the
author used.
"""

from __future__ import annotations

from dataclasses import dataclass

from incentives.ast.nodes.expressions import Ident, Literal, Name
from incentives.source import Span

__all__ = [
    "ExExchange",
    "ExExpect",
    "ExField",
    "ExLine",
    "ExMetric",
    "ExPayee",
    "ExPeriod",
    "ExQuota",
    "ExSplit",
    "ExampleClause",
    "ExampleDecl",
]


@dataclass(frozen=True, slots=True)
class ExPeriod:
    """``period "2026-03"`` or ``period "2026-01" to "2026-03"``."""

    label: str
    span: Span
    last: str | None = None


@dataclass(frozen=True, slots=True)
class ExField:
    name: Name
    value: Literal
    span: Span


@dataclass(frozen=True, slots=True)
class ExPayee:
    payee: Ident
    fields: tuple[ExField, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ExQuota:
    payee: Ident
    period: str
    amount: Literal
    span: Span


@dataclass(frozen=True, slots=True)
class ExMetric:
    payee: Ident
    name: Name
    value: Literal
    span: Span


@dataclass(frozen=True, slots=True)
class ExLine:
    txn_id: Ident
    day: Literal
    payee: Ident
    amount: Literal
    fields: tuple[ExField, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ExExpect:
    """``expect alice commission: 1,234.56 USD``; ``target`` None means total."""

    payee: Ident
    target: Name | None
    value: Literal
    span: Span
    #: The period the expectation is about (the example's last period if None).
    period: str | None = None


@dataclass(frozen=True, slots=True)
class ExSplit:
    """``split t1 alice: 60%`` or ``split t1 sam: 20% as "engineer"`` (a splits row)."""

    txn_id: Ident
    payee: Ident
    share: Literal
    credit: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class ExExchange:
    """``exchange 2026-03-01 EUR USD: 1.0850`` (an fx row)."""

    day: Literal
    source: str
    target: str
    rate: Literal
    span: Span


ExampleClause = ExPeriod | ExPayee | ExQuota | ExMetric | ExLine | ExExpect | ExSplit | ExExchange


@dataclass(frozen=True, slots=True)
class ExampleDecl:
    title: str
    clauses: tuple[ExampleClause, ...]
    span: Span
