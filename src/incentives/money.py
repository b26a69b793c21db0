"""Exact numbers: the decimal context, rounding, currencies and number text.

Contract:

* Every computation on an amount, a rate or a quota runs inside
  :func:`evaluation_context` (100 significant digits, half-even for the
  rare inexact division, traps for invalid operations, division by zero, overflow
  and any float). The caller's global decimal context is never read or
  changed.
* Rounding happens only through :func:`quantize`, which always takes the mode
  and unit explicitly; nothing here consults the ambient context for them.
* Number text is parsed by :func:`parse_decimal`, which accepts only plain
  fixed-point text (``-1234.50``): no exponents, NaN, infinities, underscores,
  spaces or thousands separators. :func:`format_decimal` is its inverse and
  never writes an exponent or a negative zero.
* Numbers in input data are parsed by :func:`parse_fixed`, which also bounds
  where their digits may be: at most :data:`MAX_INTEGER_DIGITS` (18) before
  the point and :data:`MAX_FRACTION_DIGITS` (12) after it. That is what makes
  sums of data exact. A bound on the *count* of digits is not enough: 10^29
  and 0.004999999999999999999999 have 30 and 24 digits, but their sum needs
  54, and rounded to 40 it becomes 0.005 (one cent more, paid). With both
  bounds, every data number is a whole multiple of 10^-12 below 10^18, so a
  sum of N of them is a multiple of 10^-12 below N·10^18: it has at most
  18 + 12 + log10(N) digits, which :data:`PRECISION` holds exactly for any
  N the machine can hold (:data:`EXACT_SUM_LINES`), and no rounding of a
  sum can happen. Products need more: a 30-digit data number times a
  30-digit plan constant has 60 digits, and one exactly a hair below half a
  cent (1000.00499…98) rounded to 40 digits first becomes 1000.005 and then
  pays a cent too much. :data:`PRECISION` (100) holds a product of three
  such numbers exactly. The engine does not trap ``Inexact`` instead: a plan
  may divide (attainment is sales / quota), and a division that does not
  end is the one place where digits are rounded before the plan's own
  rounding. A quotient a/b of bounded numbers that is not exactly on a
  rounding boundary m/k lies |ka − mb|/(kb) ≥ 1/(kb) away from it, many
  orders of magnitude more than the 10^-100 (relative) that rounding to
  100 digits moves it, so that rounding cannot push it across.
* Amounts carried from one run to the next (an opening state) are parsed by
  :func:`parse_carried`: plain fixed-point text, at most
  :data:`MAX_INTEGER_DIGITS` before the point like data, and at most
  :data:`PRECISION` significant digits. They are not held to
  :data:`MAX_FRACTION_DIGITS`: a carried amount is one the engine computed
  (a line's unrounded share of a commission, 4.5% of 195.000000000001 is
  8.775000000000045), and every value the engine computes has at most
  :data:`PRECISION` significant digits, so every state it writes reads back.
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
    "EXACT_SUM_LINES",
    "MAX_DIGITS",
    "MAX_FRACTION_DIGITS",
    "MAX_INTEGER_DIGITS",
    "PRECISION",
    "NumberTextError",
    "RoundingMode",
    "evaluation_context",
    "format_decimal",
    "is_currency",
    "minor_unit",
    "parse_carried",
    "parse_decimal",
    "parse_fixed",
    "quantize",
    "to_grid",
]

#: Significant digits kept by every intermediate result (see the module docstring).
PRECISION = 100
#: Most digits a literal or an input number may have; keeps absurd inputs out.
MAX_DIGITS = 30
#: Most digits before the decimal point of a number in input data.
MAX_INTEGER_DIGITS = 18
#: Most digits after the decimal point of a number in input data.
MAX_FRACTION_DIGITS = 12
#: The most data numbers whose sum :data:`PRECISION` is sure to hold exactly.
EXACT_SUM_LINES = 10 ** (PRECISION - MAX_INTEGER_DIGITS - MAX_FRACTION_DIGITS)

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


class NumberTextError(ValueError):
    """Text that is not a number we accept.

    ``str()`` is the one-line form a plan author sees; ``message`` and
    ``hint`` split it for a data diagnostic (what is wrong, what to write).
    """

    def __init__(self, shown: str, message: str, hint: str) -> None:
        super().__init__(shown)
        self.message = message
        self.hint = hint


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

    A value is first taken to :data:`SETTLED_DIGITS` significant digits: a
    result a division left a hair off a rounding boundary it is exactly on
    (1,000 / 3,000 × 3,000 is 999.99…9 in 100 digits) is put back on it, so
    ``down`` pays 1,000.00, not 999.99. Exact values never have that many
    digits, and a quotient of bounded numbers that is not on a boundary is
    much farther from it than the digits dropped (see the module docstring).

    >>> with evaluation_context():
    ...     almost = Decimal(1000) / Decimal(3000) * 3000
    ...     almost < 1000, quantize(almost, Decimal("0.01"), RoundingMode.DOWN)
    (True, Decimal('1000.00'))
    """
    with evaluation_context() as context:
        if unit <= 0:
            raise ValueError(f"rounding unit must be positive, got {unit}")
        value = _settled(value, context)
        if _is_power_of_ten(unit):
            exponent = Decimal(1).scaleb(unit.adjusted())
            result = value.quantize(exponent, rounding=mode.decimal_mode)
        else:
            steps = (value / unit).quantize(Decimal(1), rounding=mode.decimal_mode)
            result = steps * unit
        return abs(result) if result.is_zero() else result


#: Significant digits a value keeps before it is rounded (see :func:`quantize`).
SETTLED_DIGITS = PRECISION - 10


def _settled(value: Decimal, context: decimal.Context) -> Decimal:
    if value.is_zero() or len(value.as_tuple().digits) <= SETTLED_DIGITS:
        return value
    settled = context.copy()
    settled.prec = SETTLED_DIGITS
    settled.rounding = decimal.ROUND_HALF_EVEN
    settled.traps[decimal.Inexact] = False
    settled.traps[decimal.Rounded] = False
    return settled.plus(value)


def to_grid(value: Decimal, unit: Decimal, *, up: bool) -> Decimal:
    """The nearest multiple of ``unit`` at or above (``up``) or at or below ``value``.

    Used where a cap or floor meets rounding: pay rounded to the unit must
    still respect a limit that is not itself a whole number of units.

    >>> to_grid(Decimal("0.01"), Decimal("0.05"), up=False)
    Decimal('0.00')
    >>> to_grid(Decimal("0.01"), Decimal("0.05"), up=True)
    Decimal('0.05')
    """
    with evaluation_context() as context:
        value = _settled(value, context)
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
        NumberTextError: a ``ValueError`` with a message suited to a plan
            author or data owner.

    >>> parse_decimal("-1234.50")
    Decimal('-1234.50')
    >>> parse_decimal("1e3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    incentives.money.NumberTextError: `1e3` is not a plain decimal number (write digits with ...
    """
    if not _PLAIN_NUMBER.fullmatch(text):
        message = f"`{text}` is not a plain decimal number"
        hint = "write digits with an optional `.`, like 1234.50"
        raise NumberTextError(f"{message} ({hint})", message, hint)
    digits = sum(ch.isdigit() for ch in text.lstrip("-").lstrip("0")) or 1
    if digits > MAX_DIGITS:
        message = f"`{text[:20]}…` has {digits} digits; at most {MAX_DIGITS} are allowed"
        raise NumberTextError(message, message, "check the value: no number has that many digits")
    return Decimal(text)


def parse_fixed(text: str) -> Decimal:
    """Parse a number of input data: :func:`parse_decimal`, within the data bounds.

    At most :data:`MAX_INTEGER_DIGITS` digits before the point (leading
    zeros aside) and :data:`MAX_FRACTION_DIGITS` after it, so that any sum
    of up to :data:`EXACT_SUM_LINES` such numbers is exact (see the module
    contract).

    Raises:
        NumberTextError: naming the text and the bound it breaks.

    >>> parse_fixed("0.000000000001")
    Decimal('1E-12')
    >>> parse_fixed("0.0049999999999999")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    incentives.money.NumberTextError: `0.0049999999999999` has 16 digits after the point; ...
    """
    if _PLAIN_NUMBER.fullmatch(text):
        whole, _, fraction = text.lstrip("-").partition(".")
        places = len(whole.lstrip("0"))
        if places > MAX_INTEGER_DIGITS:
            shown = text if len(text) <= 24 else f"{text[:20]}…"
            message = (
                f"`{shown}` has {places} digits before the point; "
                f"at most {MAX_INTEGER_DIGITS} are allowed"
            )
            hint = "check the value: no number in the data has that many digits before the point"
            raise NumberTextError(message, message, hint)
        if len(fraction) > MAX_FRACTION_DIGITS:
            shown = text if len(text) <= 24 else f"{text[:20]}…"
            message = (
                f"`{shown}` has {len(fraction)} digits after the point; "
                f"at most {MAX_FRACTION_DIGITS} are allowed"
            )
            hint = f"round it to {MAX_FRACTION_DIGITS} decimal places or fewer"
            raise NumberTextError(message, message, hint)
    return parse_decimal(text)


def parse_carried(text: str) -> Decimal:
    """Parse an amount carried in a state file, within the bounds of computed values.

    Plain fixed-point text (as :func:`parse_decimal`), at most
    :data:`MAX_INTEGER_DIGITS` digits before the point (leading zeros aside)
    and at most :data:`PRECISION` significant digits: what the engine can
    compute, and no more (see the module contract).

    Raises:
        NumberTextError: naming the text and the bound it breaks.

    >>> parse_carried("7.80000000000004")
    Decimal('7.80000000000004')
    >>> parse_carried("9" * 60)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    incentives.money.NumberTextError: `99999999999999999999…` has 60 digits before the point; ...
    """
    shown = text if len(text) <= 24 else f"{text[:20]}…"
    if not _PLAIN_NUMBER.fullmatch(text):
        message = f"`{shown}` is not a plain decimal number"
        hint = 'write digits with an optional `.`, like "1234.50" (no exponent, no spaces)'
        raise NumberTextError(f"{message} ({hint})", message, hint)
    whole, _, fraction = text.lstrip("-").partition(".")
    places = len(whole.lstrip("0"))
    if places > MAX_INTEGER_DIGITS:
        message = (
            f"`{shown}` has {places} digits before the point; "
            f"at most {MAX_INTEGER_DIGITS} are allowed"
        )
        hint = "check the value: no amount has that many digits before the point"
        raise NumberTextError(f"{message} ({hint})", message, hint)
    digits = len((whole + fraction).lstrip("0"))
    if digits > PRECISION:
        message = f"`{shown}` has {digits} significant digits; at most {PRECISION} are allowed"
        hint = "check the value: the engine never computes an amount that precise"
        raise NumberTextError(f"{message} ({hint})", message, hint)
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
