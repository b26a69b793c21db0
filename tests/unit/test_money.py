"""money: data numbers are bounded so that their sums are exact."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incentives.money import (
    EXACT_SUM_LINES,
    MAX_DIGITS,
    MAX_FRACTION_DIGITS,
    MAX_INTEGER_DIGITS,
    PRECISION,
    NumberTextError,
    evaluation_context,
    parse_decimal,
    parse_fixed,
)


def test_the_bound_fits_the_precision() -> None:
    # sums of any number of data numbers the machine can hold are exact ...
    assert EXACT_SUM_LINES >= 10**18
    # ... and so is a product of three numbers of MAX_DIGITS digits
    assert 3 * MAX_DIGITS <= PRECISION


#: Any number the data may hold: at most 18 digits before the point, 12 after.
data_numbers = st.integers(0, MAX_FRACTION_DIGITS).flatmap(
    lambda places: st.integers(
        -(10 ** (MAX_INTEGER_DIGITS + places)) + 1, 10 ** (MAX_INTEGER_DIGITS + places) - 1
    ).map(lambda units: Decimal(f"{units}E-{places}"))  # exact, unlike scaleb
)


@given(st.lists(data_numbers, max_size=60))
def test_sums_of_data_numbers_are_exact(numbers: list[Decimal]) -> None:
    texts = [format(n, "f") for n in numbers]
    parsed = [parse_fixed(t) for t in texts]  # every one is accepted
    with evaluation_context() as ctx:
        total = sum(parsed, Decimal(0))
        assert not ctx.flags[decimal.Inexact]
    assert Fraction(total) == sum((Fraction(t) for t in texts), Fraction(0))


def test_the_sum_that_used_to_pay_a_cent_more_is_refused() -> None:
    # 10^29 + 0.004999… − 10^29 has 54 digits; rounded to 40 it was 0.005.
    with pytest.raises(NumberTextError, match="30 digits before the point"):
        parse_fixed("1" + "0" * 29)
    with pytest.raises(NumberTextError, match="24 digits after the point"):
        parse_fixed("0.004999999999999999999999")


@pytest.mark.parametrize(
    "text", ["999999999999999999", "-999999999999999999.999999999999", "0.000000000001", "0007"]
)
def test_numbers_within_the_bounds(text: str) -> None:
    assert parse_fixed(text) == Decimal(text)


def test_the_plain_form_is_checked_as_before() -> None:
    with pytest.raises(NumberTextError) as caught:
        parse_fixed("1e3")
    assert caught.value.message == "`1e3` is not a plain decimal number"
    assert caught.value.hint == "write digits with an optional `.`, like 1234.50"


def test_long_text_is_shortened_in_the_message() -> None:
    with pytest.raises(NumberTextError) as caught:
        parse_fixed("7" * 5000)
    assert caught.value.message == (
        "`77777777777777777777…` has 5000 digits before the point; at most 18 are allowed"
    )


def test_plan_literals_keep_their_own_limit_and_message() -> None:
    # parse_decimal (plan literals) still allows 30 digits anywhere.
    assert parse_decimal("1" + "0" * 29) == Decimal(10) ** 29
    with pytest.raises(ValueError) as caught:
        parse_decimal("1e3")
    assert str(caught.value) == (
        "`1e3` is not a plain decimal number (write digits with an optional `.`, like 1234.50)"
    )
