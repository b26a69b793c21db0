"""The abstract syntax tree of a `.plan` file.

Contract: the AST is faithful to the source. Names are unresolved, clauses
keep the order and multiplicity the author wrote (the checker reports
duplicates and omissions), literal nodes keep their original text, and every
node has a :class:`~incentives.source.Span`. Nodes are frozen, slotted
dataclasses: hashable, cheap, and easy to match with ``match`` statements.
Nothing here imports Lark.

The nodes live in one module per part of the language — ``expressions``
(names and expressions), ``header``, ``values`` (columns, fields, lets,
measures, quotas), ``pay`` (tiers, rate tables, components, total),
``periods`` (draws, clawbacks, termination, wage floors), ``crediting``
(crediting and FX) and ``examples`` — and are all re-exported here, where
the whole plan (:class:`PlanFile`) and its declarations are put together.
Import this package, ``from incentives.ast import nodes as n``, not its
modules.
"""

from __future__ import annotations

from dataclasses import dataclass

from incentives.ast.nodes.crediting import (
    CreditingClause,
    CreditingDecl,
    CreditTo,
    EarnOn,
    FxClause,
    FxConvert,
    FxDecl,
    FxPayout,
    FxRound,
    OverlayClause,
    RemainderClause,
    SplitBySplits,
)
from incentives.ast.nodes.examples import (
    ExampleClause,
    ExampleDecl,
    ExExchange,
    ExExpect,
    ExField,
    ExLine,
    ExMetric,
    ExPayee,
    ExPeriod,
    ExQuota,
    ExSplit,
)
from incentives.ast.nodes.expressions import (
    Binary,
    BinaryOp,
    Call,
    Expr,
    Ident,
    IfElse,
    InList,
    Literal,
    LiteralKind,
    MinorUnit,
    Name,
    Rank,
    Ref,
    Round,
    Scope,
    TeamValue,
    TierAt,
    TierOn,
    Unary,
)
from incentives.ast.nodes.header import (
    ContactClause,
    CurrencyClause,
    DescriptionClause,
    HeaderClause,
    PeriodClause,
    PlanHeader,
    RoundingClause,
    StartsClause,
    VersionClause,
    VersionsClause,
)
from incentives.ast.nodes.pay import (
    AnyKey,
    Band,
    Bound,
    CapClause,
    ComponentClause,
    ComponentDecl,
    FloorClause,
    GateClause,
    HoldClause,
    HorizonCapClause,
    MultipliesClause,
    PayAmount,
    PayPerLine,
    PayPerUnit,
    PaysClause,
    PaySpec,
    RateRow,
    RateTableDecl,
    TiersDecl,
    TotalDecl,
    TrueUpClause,
    WhenClause,
)
from incentives.ast.nodes.periods import (
    ClawbackClause,
    ClawbackDecl,
    ClawbackLines,
    ClawbackMatched,
    ClawbackReverses,
    ClawbackWindow,
    DrawAmount,
    DrawClause,
    DrawDecl,
    DrawShortfall,
    TerminationDecl,
    TerminationRule,
    WageClause,
    WageFloorDecl,
    WageRate,
    WageShortfall,
)
from incentives.ast.nodes.values import (
    AcrossClause,
    AggregateKind,
    DatedClause,
    DefaultClause,
    FieldDecl,
    FieldsDecl,
    GoalClause,
    HolidaysDecl,
    LetDecl,
    MeasureClause,
    MeasureDecl,
    OverClause,
    ProrateClause,
    QuotaClause,
    QuotaDecl,
    QuotaRoundClause,
    RampClause,
    RampStep,
    SplitClause,
    WhereClause,
)
from incentives.source import Span

__all__ = [
    "AcrossClause",
    "AggregateKind",
    "AnyKey",
    "Band",
    "Binary",
    "BinaryOp",
    "Bound",
    "Call",
    "CapClause",
    "ClawbackClause",
    "ClawbackDecl",
    "ClawbackLines",
    "ClawbackMatched",
    "ClawbackReverses",
    "ClawbackWindow",
    "Comment",
    "ComponentClause",
    "ComponentDecl",
    "ContactClause",
    "CreditTo",
    "CreditingClause",
    "CreditingDecl",
    "CurrencyClause",
    "DatedClause",
    "Declaration",
    "DefaultClause",
    "DescriptionClause",
    "DrawAmount",
    "DrawClause",
    "DrawDecl",
    "DrawShortfall",
    "EarnOn",
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
    "Expr",
    "FieldDecl",
    "FieldsDecl",
    "FloorClause",
    "FxClause",
    "FxConvert",
    "FxDecl",
    "FxPayout",
    "FxRound",
    "GateClause",
    "GoalClause",
    "HeaderClause",
    "HoldClause",
    "HolidaysDecl",
    "HorizonCapClause",
    "Ident",
    "IfElse",
    "InList",
    "LetDecl",
    "Literal",
    "LiteralKind",
    "MeasureClause",
    "MeasureDecl",
    "MinorUnit",
    "MultipliesClause",
    "Name",
    "OverClause",
    "OverlayClause",
    "PayAmount",
    "PayPerLine",
    "PayPerUnit",
    "PaySpec",
    "PaysClause",
    "PeriodClause",
    "PlanFile",
    "PlanHeader",
    "ProrateClause",
    "QuotaClause",
    "QuotaDecl",
    "QuotaRoundClause",
    "RampClause",
    "RampStep",
    "Rank",
    "RateRow",
    "RateTableDecl",
    "Ref",
    "RemainderClause",
    "Round",
    "RoundingClause",
    "Scope",
    "SplitBySplits",
    "SplitClause",
    "StartsClause",
    "TeamValue",
    "TerminationDecl",
    "TerminationRule",
    "TierAt",
    "TierOn",
    "TiersDecl",
    "TotalDecl",
    "TrueUpClause",
    "Unary",
    "VersionClause",
    "VersionsClause",
    "WageClause",
    "WageFloorDecl",
    "WageRate",
    "WageShortfall",
    "WhenClause",
    "WhereClause",
]


Declaration = (
    FieldsDecl
    | HolidaysDecl
    | LetDecl
    | MeasureDecl
    | QuotaDecl
    | TiersDecl
    | RateTableDecl
    | ComponentDecl
    | TotalDecl
    | ExampleDecl
    | CreditingDecl
    | FxDecl
    | DrawDecl
    | ClawbackDecl
    | TerminationDecl
    | WageFloorDecl
)


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``#`` comment, kept so the formatter can put it back."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class PlanFile:
    """A whole plan: its header, its declarations in source order, its comments."""

    header: PlanHeader
    declarations: tuple[Declaration, ...]
    comments: tuple[Comment, ...]
    span: Span
