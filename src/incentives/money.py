"""Exact numbers: the decimal context, rounding, currencies and number text.

Contract:

* Every computation on an amount, a rate or a quota runs inside
  :func:`evaluation_context` (40 significant digits, half-even for the rare
  inexact division, traps for invalid operations, division by zero, overflow
  and any float). The caller's global decimal context is never read or
  changed.
* Rounding happens only through :func:`quantize`, which always takes the mode
  and unit explicitly; nothing here consults the ambient context for them.
* Number text is parsed by :func:`parse_decimal`, which accepts only plain
  fixed-point text (``-1234.50``): no exponents, NaN, infinities, underscores,
  spaces or thousands separators. :func:`format_decimal` is its inverse and
  never writes an exponent or a negative zero.
* Currencies are ISO 4217 codes known to py-moneyed, which also supplies the
  minor unit (USD 0.01, JPY 1, KWD 0.001). We keep amounts as ``Decimal`` with
  the currency carried in the type (see ``check/types.py``) rather than
  py-moneyed ``Money`` objects, because ``Money`` arithmetic silently follows
  the ambient decimal context.

>>> quantize(Decimal("2.345"), Decimal("0.01"), RoundingMode.HALF_UP)
Decimal('2.35')
>>> quantize(Decimal("2.345"), Decimal("0.01"), RoundingMode.HALF_EVEN)
Decimal('2.34')
>>> format_decimal(Decimal("-0.00")), format_decimal(Decimal("1E+3"))
('0.00', '1000')
>>> minor_unit("JPY"), minor_unit("KWD")
(Decimal('1'), Decimal('0.001'))
"""

from __future__ import annotations

import decimal
import enum
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import moneyed

__all__ = [
    "MAX_DIGITS",
    "PRECISION",
    "RoundingMode",
    "evaluation_context",
    "format_decimal",
    "is_currency",
    "minor_unit",
    "parse_decimal",
    "quantize",
    "to_grid",
]

#: Significant digits kept by every intermediate result.
PRECISION = 40
#: Most digits a literal or an input number may have; keeps every product of
#: two inputs exact within :data:`PRECISION` and keeps absurd inputs out.
MAX_DIGITS = 30

_CONTEXT = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
        decimal.FloatOperation,
    ],
)

_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class RoundingMode(enum.StrEnum):
    """The rounding modes a plan may name."""

    HALF_EVEN = "half_even"
    HALF_UP = "half_up"
    DOWN = "down"
    UP = "up"

    @property
    def decimal_mode(self) -> str:
        return _MODES[self]


_MODES = {
    RoundingMode.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    RoundingMode.HALF_UP: decimal.ROUND_HALF_UP,
    RoundingMode.DOWN: decimal.ROUND_DOWN,
    RoundingMode.UP: decimal.ROUND_UP,
}


@contextmanager
def evaluation_context() -> Iterator[decimal.Context]:
    """Run the block in the engine's own decimal context.

    A fresh copy each time, so flags raised by one evaluation never leak into
    another and the caller's context is restored on exit.
    """
    with decimal.localcontext(_CONTEXT.copy()) as ctx:
        yield ctx


def quantize(value: Decimal, unit: Decimal, mode: RoundingMode) -> Decimal:
    """Round ``value`` to a whole multiple of ``unit`` with ``mode``.

    Powers of ten (0.01, 1, 100) use ``Decimal.quantize`` directly; other
    units (0.05 for cash rounding) round ``value / unit`` to an integer.
    ``half_up`` and ``up`` round away from zero for negative values, as
    ``decimal`` does; ``down`` rounds toward zero.
    """
    with evaluation_context():
        if unit <= 0:
            raise ValueError(f"rounding unit must be positive, got {unit}")
        if _is_power_of_ten(unit):
            exponent = Decimal(1).scaleb(unit.adjusted())
            result = value.quantize(exponent, rounding=mode.decimal_mode)
        else:
            steps = (value / unit).quantize(Decimal(1), rounding=mode.decimal_mode)
            result = steps * unit
        return abs(result) if result.is_zero() else result


def to_grid(value: Decimal, unit: Decimal, *, up: bool) -> Decimal:
    """The nearest multiple of ``unit`` at or above (``up``) or at or below ``value``.

    Used where a cap or floor meets rounding: pay rounded to the unit must
    still respect a limit that is not itself a whole number of units.

    >>> to_grid(Decimal("0.01"), Decimal("0.05"), up=False)
    Decimal('0.00')
    >>> to_grid(Decimal("0.01"), Decimal("0.05"), up=True)
    Decimal('0.05')
    """
    with evaluation_context():
        steps = (value / unit).to_integral_value(
            rounding=decimal.ROUND_CEILING if up else decimal.ROUND_FLOOR
        )
        result = steps * unit
        return abs(result) if result.is_zero() else result


def _is_power_of_ten(unit: Decimal) -> bool:
    digits = unit.normalize().as_tuple().digits
    return digits == (1,)


def parse_decimal(text: str) -> Decimal:
    """Parse plain fixed-point number text exactly.

    Raises:
        ValueError: with a message suited to a plan author or data owner.

    >>> parse_decimal("-1234.50")
    Decimal('-1234.50')
    >>> parse_decimal("1e3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `1e3` is not a plain decimal number (write digits with an optional `.`, ...
    """
    if not _PLAIN_NUMBER.fullmatch(text):
        raise ValueError(
            f"`{text}` is not a plain decimal number "
            "(write digits with an optional `.`, like 1234.50)"
        )
    digits = sum(ch.isdigit() for ch in text.lstrip("-").lstrip("0")) or 1
    if digits > MAX_DIGITS:
        raise ValueError(f"`{text[:20]}…` has {digits} digits; at most {MAX_DIGITS} are allowed")
    return Decimal(text)


def format_decimal(value: Decimal) -> str:
    """Fixed-point text for a decimal: no exponent, no negative zero.

    Trailing zeros are kept (``1.50`` stays ``1.50``) because they show the
    unit an amount was rounded to.
    """
    if value.is_zero():
        value = abs(value)
    return format(value, "f")


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code known to py-moneyed."""
    try:
        moneyed.get_currency(code)
    except moneyed.CurrencyDoesNotExist:
        return False
    return True


def minor_unit(code: str) -> Decimal:
    """The smallest unit of a currency: 0.01 USD, 1 JPY, 0.001 KWD."""
    sub_unit = int(moneyed.get_currency(code).sub_unit)
    with evaluation_context():
        return Decimal(1) / Decimal(sub_unit)
