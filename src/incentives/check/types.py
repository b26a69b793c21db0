"""Static types and the unit algebra of plan expressions.

Contract: every expression the checker accepts has one :class:`Type`; the
rules below are the whole of the unit algebra, and the evaluator relies on
them without re-checking.

* money[C] ± money[C] → money[C]; money of two currencies never mix.
* money × number → money; number × money → money; money × money is an error.
* money ÷ number → money; money[C] ÷ money[C] → percent (a ratio such as
  attainment); number ÷ money is an error.
* numbers (count, decimal, percent) mix freely; the result keeps the flavour
  when both sides share it (count + count → count) and is decimal otherwise.
  Division of numbers gives decimal.
* comparisons need both sides of one kind (money of one currency, numbers,
  dates, texts, booleans); texts and booleans only compare with = and !=.

>>> money("USD").is_money, PERCENT.is_number
(True, True)
>>> str(money("USD")), str(COUNT)
('money[USD]', 'count')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from incentives.money import evaluation_context, format_decimal
from incentives.values import ColumnType

__all__ = [
    "BOOL",
    "COUNT",
    "DATE",
    "DECIMAL",
    "ERROR",
    "PERCENT",
    "TEXT",
    "Type",
    "arithmetic",
    "arithmetic_hint",
    "column_type",
    "comparable",
    "comparison_hint",
    "condition_hint",
    "money",
    "sample",
    "show",
    "unify",
]

Kind = Literal["money", "percent", "decimal", "count", "text", "bool", "date", "error"]


@dataclass(frozen=True, slots=True)
class Type:
    """A value's type; money carries its currency."""

    kind: Kind
    currency: str | None = None

    @property
    def is_money(self) -> bool:
        return self.kind == "money"

    @property
    def is_number(self) -> bool:
        return self.kind in ("percent", "decimal", "count")

    @property
    def is_numeric(self) -> bool:
        """Money or a number: something arithmetic applies to."""
        return self.is_money or self.is_number

    @property
    def is_error(self) -> bool:
        return self.kind == "error"

    def __str__(self) -> str:
        if self.kind == "money":
            return f"money[{self.currency}]"
        return self.kind

    @property
    def phrase(self) -> str:
        """The type in words, for messages: "an amount in USD", "a percent"."""
        return {
            "money": f"an amount in {self.currency}",
            "percent": "a percent",
            "decimal": "a decimal number",
            "count": "a count",
            "text": "a text",
            "bool": "a yes/no condition",
            "date": "a date",
            "error": "an invalid value",
        }[self.kind]

    @property
    def plural(self) -> str:
        """The type in words, plural: "amounts in USD", "percents"."""
        return {
            "money": f"amounts in {self.currency}",
            "percent": "percents",
            "decimal": "decimal numbers",
            "count": "counts",
            "text": "texts",
            "bool": "yes/no conditions",
            "date": "dates",
            "error": "invalid values",
        }[self.kind]


def money(currency: str) -> Type:
    return Type("money", currency)


PERCENT = Type("percent")
DECIMAL = Type("decimal")
COUNT = Type("count")
TEXT = Type("text")
BOOL = Type("bool")
DATE = Type("date")
#: The type of an expression that already has a diagnostic; never reported again.
ERROR = Type("error")


def show(value: Decimal, t: Type) -> str:
    """A value as a plan would write it: ``10,000 USD``, ``5%``, ``1.5``.

    >>> show(Decimal("10000"), money("USD")), show(Decimal("0.125"), PERCENT)
    ('10,000 USD', '12.5%')
    """
    with evaluation_context():
        if t.kind == "percent":
            return format_decimal((value * 100).normalize()) + "%"
        if t.is_money:
            whole, _, fraction = format_decimal(value).partition(".")
            sign = "-" if whole.startswith("-") else ""
            grouped = f"{int(whole.lstrip('-')):,}"
            return f"{sign}{grouped}{'.' + fraction if fraction else ''} {t.currency}"
        return format_decimal(value)


def column_type(kind: ColumnType, currency: str) -> Type:
    """The static type of a declared column; money columns are in ``currency``."""
    if kind is ColumnType.MONEY:
        return money(currency)
    return {
        ColumnType.DECIMAL: DECIMAL,
        ColumnType.PERCENT: PERCENT,
        ColumnType.COUNT: COUNT,
        ColumnType.TEXT: TEXT,
        ColumnType.BOOL: BOOL,
        ColumnType.DATE: DATE,
    }[kind]


def _number_flavour(a: Type, b: Type) -> Type:
    return a if a.kind == b.kind else DECIMAL


def arithmetic(op: str, left: Type, right: Type) -> Type | str:
    """The result type of ``left op right``, or a message saying why not.

    >>> arithmetic("*", money("USD"), PERCENT)
    Type(kind='money', currency='USD')
    >>> arithmetic("+", money("USD"), money("EUR"))
    'cannot add an amount in USD and an amount in EUR: the currencies differ'
    """
    if left.is_error or right.is_error:
        return ERROR
    if not left.is_numeric or not right.is_numeric:
        bad = left if not left.is_numeric else right
        return f"arithmetic needs numbers or amounts, but this is {bad.phrase}"
    verb = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "of": "take"}[op]
    if op in ("+", "-"):
        if left.is_money and right.is_money:
            if left.currency != right.currency:
                return f"cannot {verb} {left.phrase} and {right.phrase}: the currencies differ"
            return left
        if left.is_money or right.is_money:
            other = right if left.is_money else left
            return f"cannot {verb} {left.phrase} and {right.phrase}: {other.phrase} has no currency"
        return _number_flavour(left, right)
    if op in ("*", "of"):
        if left.is_money and right.is_money:
            return f"cannot multiply {left.phrase} by {right.phrase}"
        if op == "of" and left.is_money:
            return (
                f"`of` takes a share of an amount: the left side must be a rate, not {left.phrase}"
            )
        if left.is_money:
            return left
        if right.is_money:
            return right
        return _number_flavour(left, right)
    # division
    if left.is_money and right.is_money:
        if left.currency != right.currency:
            return f"cannot divide {left.phrase} by {right.phrase}: the currencies differ"
        return PERCENT
    if left.is_money:
        return left
    if right.is_money:
        return f"cannot divide {left.phrase} by {right.phrase}"
    return DECIMAL


def comparable(op: str, left: Type, right: Type) -> str | None:
    """None if ``left op right`` is allowed, else a message."""
    if left.is_error or right.is_error:
        return None
    if left.is_number and right.is_number:
        return None
    if left.is_money and right.is_money:
        if left.currency != right.currency:
            return f"cannot compare {left.phrase} with {right.phrase}: the currencies differ"
        return None
    if left.kind != right.kind:
        return f"cannot compare {left.phrase} with {right.phrase}"
    if left.kind in ("text", "bool") and op not in ("=", "!="):
        return f"{left.phrase} can only be compared with = or !="
    return None


def _currency_of(*types: Type) -> str:
    return next((t.currency for t in types if t.currency is not None), "USD")


def arithmetic_hint(op: str, left: Type, right: Type) -> str:
    """What to write instead, when :func:`arithmetic` refuses ``left op right``.

    >>> arithmetic_hint("*", money("USD"), money("USD"))
    'multiply an amount by a rate or a number, like `5% of sales`'
    >>> arithmetic_hint("+", money("EUR"), COUNT)
    'give the number its currency, like `100 EUR`'
    """
    if not left.is_numeric or not right.is_numeric:
        return "arithmetic works on numbers and amounts; compare other values with = or !="
    if left.is_money and right.is_money and left.currency != right.currency:
        return "keep to one currency; amounts in another are converted by the plan's `fx`"
    if op in ("+", "-"):
        return f"give the number its currency, like `100 {_currency_of(left, right)}`"
    if op == "of":
        return "write the rate first, then the amount: `5% of sales`"
    if op == "*":
        return "multiply an amount by a rate or a number, like `5% of sales`"
    return "divide an amount by a number, or by another amount in its currency for a ratio"


def comparison_hint(op: str, left: Type, right: Type) -> str:
    """What to write instead, when :func:`comparable` refuses ``left op right``.

    >>> comparison_hint(">", money("USD"), COUNT)
    'write the number as an amount with its currency, like `1,000 USD`'
    """
    if left.is_money and right.is_money:
        return "compare amounts in one currency"
    if (left.is_money and right.is_number) or (right.is_money and left.is_number):
        return (
            "write the number as an amount with its currency, "
            f"like `1,000 {_currency_of(left, right)}`"
        )
    if left.kind == right.kind:
        return "use = or != (or `in [...]` for a list of values)"
    return "compare values of one kind: amounts with amounts, dates with dates, and so on"


def sample(t: Type) -> str:
    """A value of type ``t`` as a plan writes it, for hints.

    >>> sample(money("JPY")), sample(PERCENT), sample(TEXT)
    ('0 JPY', '100%', '"east"')
    """
    return {
        "money": f"0 {t.currency}",
        "percent": "100%",
        "decimal": "1.0",
        "count": "1",
        "text": '"east"',
        "bool": "true",
        "date": "2026-01-01",
    }.get(t.kind, "0")


def condition_hint(t: Type) -> str:
    """How to turn a value of type ``t`` into the yes/no condition a clause needs.

    >>> condition_hint(money("EUR"))
    'compare it with something, like `sales >= 1,000 EUR`'
    """
    example = {
        "money": f"sales >= 1,000 {t.currency}",
        "percent": "attainment >= 100%",
        "decimal": "fte >= 0.5",
        "count": "units > 0",
        "text": 'region = "east"',
        "date": "date >= 2026-01-01",
    }.get(t.kind)
    if example is None:
        return "write a comparison, which is true or false"
    return f"compare it with something, like `{example}`"


def unify(a: Type, b: Type) -> Type | None:
    """The common type of two branches (``if``, ``min``), or None."""
    if a.is_error:
        return b
    if b.is_error:
        return a
    if a == b:
        return a
    if a.is_number and b.is_number:
        return DECIMAL
    return None
