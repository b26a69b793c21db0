"""The meaning of each operator and built-in function, on run-time values.

Contract: these functions are the single definition of what ``+``, ``of``,
``=``, ``min``, ``clamp`` … compute. The checker's constant folding and the
evaluator both call them, so a constant and the same expression computed from
data can never disagree. Every function must be called inside
:func:`incentives.money.evaluation_context`; none rounds, except
:func:`round_value`, which uses the unit and mode it is given. Arguments have
already been type-checked; a ``TypeError`` here is a bug.

>>> from decimal import Decimal as D
>>> from incentives.money import evaluation_context
>>> with evaluation_context():
...     binary("of", D("0.05"), D("15000")), call("clamp", [D("1.5"), D("0"), D("1.2")])
(Decimal('750.00'), Decimal('1.2'))
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from incentives.money import RoundingMode, quantize
from incentives.values import Value

__all__ = ["binary", "call", "compare", "negate", "round_value"]


def binary(op: str, left: Value, right: Value) -> Decimal:
    """Arithmetic: ``+ - * / of`` on decimals (``of`` is multiplication)."""
    assert isinstance(left, Decimal) and isinstance(right, Decimal), (op, left, right)
    match op:
        case "+":
            return left + right
        case "-":
            return left - right
        case "*" | "of":
            return left * right
        case "/":
            return left / right
    raise AssertionError(op)  # pragma: no cover


def compare(op: str, left: Value, right: Value) -> bool:
    """Comparison of two values of one kind."""
    match op:
        case "=":
            return left == right
        case "!=":
            return left != right
    assert isinstance(left, Decimal | date) and type(left) is type(right), (op, left, right)
    match op:
        case "<":
            return left < right  # type: ignore[operator]
        case "<=":
            return left <= right  # type: ignore[operator]
        case ">":
            return left > right  # type: ignore[operator]
        case ">=":
            return left >= right  # type: ignore[operator]
    raise AssertionError(op)  # pragma: no cover


def negate(value: Value) -> Decimal:
    assert isinstance(value, Decimal)
    return -value


def call(function: str, args: Sequence[Value]) -> Value:
    """``min``, ``max``, ``clamp(x, low, high)`` and ``abs``.

    ``min`` and ``max`` return the first of equal arguments, so the result
    never depends on anything but the values.

    Raises:
        ValueError: for ``clamp`` with a lower limit above the upper one.
    """
    match function:
        case "min":
            return min(args)  # type: ignore[type-var,unused-ignore]
        case "max":
            return max(args)  # type: ignore[type-var,unused-ignore]
        case "clamp":
            value, low, high = args
            if low > high:  # type: ignore[operator,unused-ignore]
                raise ValueError(f"clamp: the lower limit {low} is above the upper limit {high}")
            return min(max(value, low), high)  # type: ignore[type-var,unused-ignore]
        case "abs":
            (value,) = args
            assert isinstance(value, Decimal)
            return abs(value)
    raise AssertionError(function)  # pragma: no cover


def round_value(value: Value, unit: Decimal, mode: RoundingMode) -> Decimal:
    assert isinstance(value, Decimal)
    return quantize(value, unit, mode)
