"""The abstract syntax tree of a `.plan` file.

Contract: the AST is faithful to the source. Names are unresolved, clauses
keep the order and multiplicity the author wrote (the checker reports
duplicates and omissions), literal nodes keep their original text, and every
node has a :class:`~incentives.source.Span`. Nodes are frozen, slotted
dataclasses: hashable, cheap, and easy to match with ``match`` statements.
Nothing here imports Lark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal as TLiteral

from incentives.source import Span

__all__ = [
    "AcrossClause",
    "AggregateKind",
    "AnyKey",
    "Band",
    "Binary",
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

# --------------------------------------------------------------------- names


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


# --------------------------------------------------------------- expressions

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

# -------------------------------------------------------------------- header


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


# -------------------------------------------------------------- declarations


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
