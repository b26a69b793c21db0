"""parse_cell: one strict form per column type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from incentives.data import CellError, parse_cell
from incentives.values import ColumnType


@pytest.mark.parametrize("kind", [ColumnType.MONEY, ColumnType.DECIMAL])
@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", "0"), ("-1234.50", "-1234.50"), ("007.10", "7.10"), ("0.000001", "0.000001")],
)
def test_numbers_are_exact(kind: ColumnType, text: str, expected: str) -> None:
    value = parse_cell(text, kind)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)
    assert str(value) == str(Decimal(text))  # trailing zeros kept


# Every one of these is accepted by Decimal() and must be refused for money,
# with a hint that says what to write instead.
@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("NaN", "NaN and infinity are not amounts"),
        ("Infinity", "NaN and infinity are not amounts"),
        ("-Infinity", "NaN and infinity are not amounts"),
        ("1e3", "exponent"),
        ("1E-2", "exponent"),
        ("1_000", "thousands separators"),
        (" 12", "spaces"),
        ("12 ", "spaces"),
        ("+5", "`+`"),
        ("1,000", "thousands separators"),
        ("1.", "a digit on both sides of the point"),
        (".5", "a digit on both sides of the point"),
        ("5%", "not a percent"),
        ("$5", "currency sign"),
        ("\u0661\u0660\u0660", "the digits 0 to 9"),
        ("0x1F", "like 1234.50"),
    ],
)
def test_money_refuses_what_decimal_accepts(text: str, hint: str | None) -> None:
    with pytest.raises(CellError) as caught:
        parse_cell(text, ColumnType.MONEY)
    assert caught.value.message.startswith(f"`{text}` is not a plain decimal number")
    assert caught.value.hint is not None and hint in caught.value.hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1" * 19, "has 19 digits before the point; at most 18 are allowed"),
        ("-" + "1" * 5000, "has 5000 digits before the point; at most 18 are allowed"),
        ("0.0049999999999999", "has 16 digits after the point; at most 12 are allowed"),
        ("1.0000000000000", "has 13 digits after the point; at most 12 are allowed"),
    ],
)
@pytest.mark.parametrize("kind", [ColumnType.MONEY, ColumnType.DECIMAL])
def test_numbers_beyond_the_data_bounds_are_refused(
    text: str, message: str, kind: ColumnType
) -> None:
    # 18 digits before the point and 12 after: any sum of data is exact.
    with pytest.raises(CellError) as caught:
        parse_cell(text, kind)
    assert message in caught.value.message
    assert caught.value.hint and "\n" not in caught.value.hint


@pytest.mark.parametrize(
    "text", ["9" * 18, "-" + "9" * 18 + "." + "9" * 12, "0.000000000001", "000000000000000000001"]
)
def test_numbers_at_the_data_bounds_are_accepted(text: str) -> None:
    assert parse_cell(text, ColumnType.MONEY) == Decimal(text)


def test_a_count_and_a_percent_have_the_same_bounds() -> None:
    with pytest.raises(CellError, match="19 digits before the point"):
        parse_cell("1" * 19, ColumnType.COUNT)
    with pytest.raises(CellError, match="13 digits after the point"):
        parse_cell("0." + "1" * 13 + "%", ColumnType.PERCENT)


def test_cell_error_is_a_value_error_carrying_the_hint() -> None:
    with pytest.raises(ValueError, match=r"not a percent; write 5% for five percent"):
        parse_cell("5", ColumnType.PERCENT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5%", "0.125"),
        ("5%", "0.05"),
        ("100%", "1"),
        ("-3%", "-0.03"),
        ("0.0001%", "0.000001"),
        ("123456789012345678.123456789012%", "1234567890123456.78123456789012"),
    ],
)
def test_percent_moves_the_point_exactly(text: str, expected: str) -> None:
    value = parse_cell(text, ColumnType.PERCENT)
    assert value == Decimal(expected)
    assert isinstance(value, Decimal)
    assert value.as_tuple().digits == Decimal(text[:-1]).as_tuple().digits  # nothing rounded


@pytest.mark.parametrize("text", ["5", "0.05", "12.5"])
def test_percent_needs_its_sign(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_cell(text, ColumnType.PERCENT)
    assert caught.value.message == f"`{text}` is not a percent"
    assert caught.value.hint == "write 5% for five percent"


@pytest.mark.parametrize("text", ["%", "12,5%", "12.5 %", "five%", "1e2%"])
def test_percent_refuses_bad_numbers(text: str) -> None:
    with pytest.raises(CellError, match="is not a percent"):
        parse_cell(text, ColumnType.PERCENT)


@pytest.mark.parametrize(("text", "expected"), [("12", 12), ("-3", -3), ("0", 0)])
def test_count_is_a_whole_decimal(text: str, expected: int) -> None:
    value = parse_cell(text, ColumnType.COUNT)
    assert isinstance(value, Decimal)
    assert value == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("2.5", "not a whole number"), ("+2", "not a count"), ("1e2", "not a count")],
)
def test_count_refuses_fractions_and_signs(text: str, message: str) -> None:
    with pytest.raises(CellError, match=message) as caught:
        parse_cell(text, ColumnType.COUNT)
    assert caught.value.hint == "a count is a whole number, like 12"


@pytest.mark.parametrize(
    ("text", "expected"), [("true", True), ("FALSE", False), ("True", True), ("fAlSe", False)]
)
def test_bool_is_true_or_false_in_any_case(text: str, expected: bool) -> None:
    assert parse_cell(text, ColumnType.BOOL) is expected


@pytest.mark.parametrize("text", ["yes", "no", "1", "0", "t", " true"])
def test_bool_refuses_other_words(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_cell(text, ColumnType.BOOL)
    assert caught.value.message == f"`{text}` is not true or false"
    assert caught.value.hint == "write true or false"


def test_date_is_iso() -> None:
    assert parse_cell("2026-02-28", ColumnType.DATE) == date(2026, 2, 28)
    with pytest.raises(CellError, match="not a day of the calendar"):
        parse_cell("2026-02-30", ColumnType.DATE)
    with pytest.raises(CellError, match="YYYY-MM-DD"):
        parse_cell("28/02/2026", ColumnType.DATE)


def test_text_is_kept_exactly() -> None:
    assert parse_cell("a,  b", ColumnType.TEXT) == "a,  b"
    assert parse_cell("", ColumnType.TEXT) == ""


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("protection ", "`protection ` has spaces around it", "remove the spaces: `protection`"),
        ("  a, b  ", "`  a, b  ` has spaces around it", "remove the spaces: `a, b`"),
        ("tv\t", "`tv\t` has spaces around it", "remove the spaces: `tv`"),
        ("\u00a0tv", "`\u00a0tv` has spaces around it", "remove the spaces: `tv`"),
        ("   ", "the cell holds only spaces", "leave it empty, or write the value"),
    ],
)
def test_text_with_spaces_around_it_is_refused(text: str, message: str, hint: str) -> None:
    # The plan compares text exactly: `protection ` would match nothing.
    with pytest.raises(CellError) as caught:
        parse_cell(text, ColumnType.TEXT)
    assert (caught.value.message, caught.value.hint) == (message, hint)


@pytest.mark.parametrize("kind", [k for k in ColumnType if k is not ColumnType.TEXT])
def test_empty_cell_needs_a_value(kind: ColumnType) -> None:
    with pytest.raises(CellError) as caught:
        parse_cell("", kind)
    assert caught.value.message == "empty cell; a value is required"
    assert caught.value.hint and caught.value.hint.startswith("write ")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2026-02-30", "February 2026 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2026-13-01", "months run from 01 to 12"),
        ("0000-01-01", "years run from 0001 to 9999"),
        ("28/02/2026", "write it as YYYY-MM-DD, like 2026-03-31"),
    ],
)
def test_a_bad_date_says_what_to_write(text: str, hint: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_cell(text, ColumnType.DATE)
    assert caught.value.message.startswith(f"`{text}` is not a")
    assert caught.value.hint is not None and hint in caught.value.hint
