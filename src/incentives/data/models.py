"""Typed input rows: pydantic models at the edge where untrusted data arrives.

Contract: a model instance is a row that passed every check that needs only
the row itself. Cell text is converted by
:func:`~incentives.data.cells.parse_cell` in a ``BeforeValidator`` and the
models run in strict mode, so pydantic's own lax coercions never apply: a
``Decimal`` field accepts cell text or a ``Decimal`` and never a float. Keys
(txn_id, payee, manager, metric name) must be non-empty and have no spaces
around them. Checks that need other rows or the plan (duplicates, payees in
the roster, the plan's currency) live in :mod:`incentives.data.validate`.

Every row carries a :class:`RowRef` saying where it came from. Provenance is
not content: two rows compare equal when their data are equal, wherever they
were read from, so the same data read from CSV or from records, in any row
order, gives equal results.

Period labels and metric values depend on the plan: pass
``context={"scheme": PeriodScheme}`` (quotas, metrics; with ``"expected"``,
the reason a label of another kind is wrong, as :meth:`PeriodScheme.parse`
takes it) and ``context={"value_type": ColumnType}`` (metrics) to
``model_validate``. Without
a context, an already canonical label and an already typed value are taken.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from incentives.data.cells import CellError, parse_cell
from incentives.money import format_decimal, is_currency
from incentives.periods import PeriodScheme, PeriodTextError
from incentives.values import ColumnType, Value

__all__ = [
    "FxRate",
    "LedgerLine",
    "MetricEntry",
    "Payee",
    "QuotaEntry",
    "RowRef",
    "SplitEntry",
    "field_problems",
    "float_hint",
]

_EMPTY = "empty cell; a value is required"


def _typed(kind: ColumnType, *, optional: bool = False) -> Callable[[object], object]:
    def convert(value: object) -> object:
        if isinstance(value, str):
            if optional and value == "":
                return None
            return parse_cell(value, kind)
        if isinstance(value, float):
            raise CellError(
                "floats are not accepted: pass Decimal('…') or a string", float_hint(value)
            )
        return value  # already typed: the strict schema checks its type

    return convert


def float_hint(value: float) -> str:
    """What to pass instead of a float: its shortest repr as a ``Decimal``, if finite."""
    if value != value or value in (float("inf"), float("-inf")):
        return "pass the actual number as Decimal('…'), or None for no value"
    return f"for this value: Decimal('{format_decimal(Decimal(repr(value)))}')"


def _key(
    hint: str = "fill it in: this column names the row", *, optional: bool = False
) -> Callable[[object], object]:
    def convert(value: object) -> object:
        if isinstance(value, str):
            if value == "":
                if optional:
                    return None
                raise CellError(_EMPTY, hint)
            if value != value.strip():
                raise CellError(
                    f"`{value}` has spaces around it", f"remove the spaces: `{value.strip()}`"
                )
        return value

    return convert


def _currency(*, optional: bool = False) -> Callable[[object], object]:
    def convert(value: object) -> object:
        if isinstance(value, str):
            if value == "":
                if optional:
                    return None
                raise CellError(_EMPTY, "write the currency's ISO 4217 code, like USD")
            if not is_currency(value):
                guess = value.strip().upper()
                hint = (
                    f"did you mean {guess}?"
                    if is_currency(guess)
                    else "write an ISO 4217 code in capitals, like USD or EUR"
                )
                raise CellError(f"`{value}` is not an ISO 4217 currency code", hint)
        return value

    return convert


def _optional_text(value: object) -> object:
    return None if value == "" else value


Key = Annotated[str, BeforeValidator(_key())]
TxnId = Annotated[str, BeforeValidator(_key("give every line its own txn_id"))]
PayeeId = Annotated[str, BeforeValidator(_key("write the payee's id, as in the roster"))]
OptionalKey = Annotated[str | None, BeforeValidator(_key(optional=True))]
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]
Money = Annotated[Decimal, BeforeValidator(_typed(ColumnType.MONEY))]
Day = Annotated[date, BeforeValidator(_typed(ColumnType.DATE))]
OptionalDay = Annotated[date | None, BeforeValidator(_typed(ColumnType.DATE, optional=True))]
OptionalDecimal = Annotated[
    Decimal | None, BeforeValidator(_typed(ColumnType.DECIMAL, optional=True))
]
Currency = Annotated[str, BeforeValidator(_currency())]
OptionalCurrency = Annotated[str | None, BeforeValidator(_currency(optional=True))]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class RowRef(_Strict):
    """Where a row came from: its source and row number."""

    #: The file path as the caller gave it, or ``<records:ledger>``.
    source: str
    #: The row number (physical line in CSV, 1-based record number).
    row: int


class _Row(_Strict):
    """A typed row; its ``ref`` is provenance and takes no part in equality."""

    def _content(self) -> tuple[object, ...]:
        return tuple(
            tuple(sorted(value.items())) if isinstance(value, dict) else value
            for name, value in self.__dict__.items()
            if name != "ref"
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Row)
        return self._content() == other._content()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._content()))


class LedgerLine(_Row):
    """One ledger line; ``values`` holds the plan-declared extra columns, typed."""

    txn_id: TxnId
    date: Day
    payee: PayeeId
    amount: Money
    currency: Currency
    values: dict[str, Value] = Field(default_factory=dict)
    ref: RowRef


class Payee(_Row):
    """One roster row; ``fields`` holds the plan-declared custom columns, typed.

    An optional column that is absent or an empty cell gives None.
    """

    id: PayeeId
    name: OptionalText = None
    role: OptionalText = None
    manager: OptionalKey = None
    fte: OptionalDecimal = None
    start_date: OptionalDay = None
    end_date: OptionalDay = None
    payout_currency: OptionalCurrency = None
    plan: OptionalText = None
    fields: dict[str, Value] = Field(default_factory=dict)
    ref: RowRef

    @field_validator("fte")
    @classmethod
    def _fte_in_range(cls, fte: Decimal | None) -> Decimal | None:
        if fte is not None and not (0 < fte <= 1):
            raise CellError(
                f"`{fte}` is not between 0 (excluded) and 1",
                "an FTE is the fraction of full time worked, like 0.5",
            )
        return fte

    @field_validator("end_date")
    @classmethod
    def _ends_after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if end is not None and start is not None and end < start:
            raise CellError(
                f"the end date {end} is before the start date {start}",
                "correct whichever date is wrong: a payee ends on or after the day they start",
            )
        return end


class QuotaEntry(_Row):
    """One quota: a payee's target for one period (canonical label)."""

    payee: PayeeId
    period: str
    amount: Money
    currency: Currency
    ref: RowRef

    @field_validator("period", mode="before")
    @classmethod
    def _canonical_period(cls, period: object, info: ValidationInfo) -> object:
        return _period(period, info)

    @field_validator("amount")
    @classmethod
    def _not_negative(cls, amount: Decimal) -> Decimal:
        if amount < 0:
            raise CellError(
                f"`{amount}` is negative; a quota cannot be",
                "write the target as 0 or more",
            )
        return amount


class MetricEntry(_Row):
    """One metric value of a payee for one period (canonical label)."""

    payee: PayeeId
    period: str
    name: Annotated[str, BeforeValidator(_key("write the metric's name, like csat"))]
    value: Value
    ref: RowRef

    @field_validator("period", mode="before")
    @classmethod
    def _canonical_period(cls, period: object, info: ValidationInfo) -> object:
        return _period(period, info)

    @field_validator("value", mode="before")
    @classmethod
    def _typed_value(cls, value: object, info: ValidationInfo) -> object:
        kind = _context(info).get("value_type")
        if isinstance(kind, ColumnType) and isinstance(value, str):
            return parse_cell(value, kind)
        return value


class SplitEntry(_Row):
    """One payee's share of a ledger line (the splits table)."""

    txn_id: TxnId
    payee: PayeeId
    share: Annotated[Decimal, BeforeValidator(_typed(ColumnType.PERCENT))]
    #: "split" (part of the 100%) or the name of an overlay credit type.
    credit: str
    ref: RowRef

    @field_validator("share")
    @classmethod
    def _positive_share(cls, share: Decimal) -> Decimal:
        if share <= 0:
            raise CellError("a share is more than 0%", "delete the row if the payee gets nothing")
        return share


class FxRate(_Row):
    """One exchange rate: 1 ``source`` is worth ``rate`` ``target`` from ``date`` on."""

    date: Day
    source: Currency
    target: Currency
    rate: Annotated[Decimal, BeforeValidator(_typed(ColumnType.DECIMAL))]
    ref: RowRef

    @field_validator("rate")
    @classmethod
    def _positive_rate(cls, rate: Decimal) -> Decimal:
        if rate <= 0:
            raise CellError(
                f"`{format_decimal(rate)}` is not more than 0",
                "a rate is what 1 unit of `from` is worth in `to`, like 1.0850",
            )
        return rate


def _context(info: ValidationInfo) -> dict[str, Any]:
    context = info.context
    return context if isinstance(context, dict) else {}


def _period(period: object, info: ValidationInfo) -> object:
    scheme = _context(info).get("scheme")
    if not isinstance(scheme, PeriodScheme) or not isinstance(period, str):
        return period
    if period == "":
        raise CellError(_EMPTY, f"name the period, like {scheme.example_label()}")
    expected = _context(info).get("expected")
    try:
        return scheme.parse(period, expected=expected if isinstance(expected, str) else None).label
    except PeriodTextError as exc:
        raise CellError(exc.message, exc.hint) from None


def field_problems(exc: ValidationError) -> list[tuple[str, str, str | None]]:
    """``(field, message, hint)`` for each error in a model's ValidationError.

    The message is the :class:`CellError`'s own when a validator raised one,
    else pydantic's (for a wrongly typed value passed in from Python).
    """
    found: list[tuple[str, str, str | None]] = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, CellError):
            found.append((field, cause.message, cause.hint))
        elif isinstance(cause, Exception):
            found.append((field, str(cause), _TYPED_HINT))
        else:
            found.append((field, error["msg"], _TYPED_HINT))
    return found


_TYPED_HINT = "pass the value as the text a CSV cell would hold"
