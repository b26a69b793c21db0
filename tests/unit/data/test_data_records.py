"""from_records: Python values to the cells a CSV file would hold."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal

import pytest

from incentives.data import RawRow, RawTable, from_records
from incentives.errors import UsageError


def test_values_become_csv_cells() -> None:
    table, problems = from_records(
        "ledger",
        [
            {
                "txn_id": "T1",
                "date": date(2026, 1, 5),
                "amount": Decimal("1E+3"),
                "units": 3,
                "new": True,
                "note": None,
            },
            {"txn_id": "T2", "amount": Decimal("-0.00"), "new": False},
        ],
    )
    assert problems == []
    assert table == RawTable(
        "ledger",
        "<records:ledger>",
        ("txn_id", "date", "amount", "units", "new", "note"),
        (
            RawRow(1, ("T1", "2026-01-05", "1000", "3", "true", "")),
            RawRow(2, ("T2", "", "0.00", "", "false", "")),
        ),
        header_line=0,
    )


def test_columns_are_the_union_in_first_seen_order() -> None:
    table, _ = from_records("metrics", [{"b": "1"}, {"a": "2", "b": "3"}, {"c": "4"}])
    assert table is not None
    assert table.columns == ("b", "a", "c")
    assert [row.cells for row in table.rows] == [("1", "", ""), ("3", "2", ""), ("", "", "4")]


def test_any_iterable_of_mappings_is_read_once() -> None:
    def generate() -> Iterator[Mapping[str, object]]:
        yield {"payee": "alice"}
        yield {"payee": "bob"}

    table, _ = from_records("roster", generate())
    assert table is not None and [row.cells for row in table.rows] == [("alice",), ("bob",)]


def test_float_is_refused_naming_table_record_and_column() -> None:
    table, problems = from_records(
        "ledger", [{"txn_id": "T1", "amount": Decimal("1")}, {"txn_id": "T2", "amount": 12.5}]
    )
    assert table is not None and table.rows[1].cells == ("T2", "")
    [problem] = problems
    assert problem.code == "D611"
    assert (problem.span.file, problem.span.line, problem.span.column) == (
        "<records:ledger>",
        2,
        2,
    )
    assert problem.message == (
        "ledger record at index 1, column `amount`: "
        "floats are not accepted: pass Decimal('…') or a string"
    )
    assert problem.hint == "for this value: Decimal('12.5')"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (datetime(2026, 1, 5, 12, 0), "a datetime is not accepted: pass a date"),
        (Decimal("NaN"), "Decimal('NaN') is not a finite number"),
        (Decimal("-Infinity"), "Decimal('-Infinity') is not a finite number"),
        (b"12", "a bytes is not accepted"),
        ([1], "a list is not accepted"),
        (math.nan, "floats are not accepted"),
    ],
)
def test_unsupported_values_are_refused(value: object, message: str) -> None:
    _, problems = from_records("ledger", [{"amount": value}])
    assert [(p.code, p.span.line, p.span.column) for p in problems] == [("D611", 1, 1)]
    assert message in problems[0].message


def test_datetime_hint_offers_the_date() -> None:
    _, problems = from_records("ledger", [{"date": datetime(2026, 1, 5, 9, 30)}])
    assert problems[0].hint == "use .date() to pass 2026-01-05"


def test_key_that_is_not_a_string_is_reported() -> None:
    _, problems = from_records("roster", [{"payee": "a", 3: "x"}])  # type: ignore[dict-item]
    assert [(p.code, p.span.line, p.span.column) for p in problems] == [("D611", 1, 0)]
    assert problems[0].message == "roster record at index 0: column name 3 is not a string"


def test_padded_key_is_a_header_problem() -> None:
    _, problems = from_records("roster", [{"payee ": "a"}])
    assert [(p.code, p.span.line, p.span.column) for p in problems] == [("D609", 0, 1)]


def test_record_that_is_not_a_mapping_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"ledger record at index 1 is a str, not a mapping"):
        from_records("ledger", [{"txn_id": "T1"}, "T2"])  # type: ignore[list-item]


def test_no_records_is_an_empty_table_without_columns() -> None:
    table, problems = from_records("quotas", [])
    assert problems == []
    assert table == RawTable("quotas", "<records:quotas>", (), (), header_line=0)


def test_every_unsupported_value_comes_with_a_hint() -> None:
    values = [math.nan, math.inf, Decimal("NaN"), Decimal("sNaN"), b"1", 1j, [1], object()]
    _, problems = from_records("ledger", [{"amount": v} for v in values])
    assert len(problems) == len(values)
    assert all(p.hint and "\n" not in p.hint for p in problems), problems


def test_a_float_in_exponent_form_gets_its_plain_decimal() -> None:
    _, problems = from_records("ledger", [{"amount": 1e20}, {"amount": 1e-7}])
    assert [p.hint for p in problems] == [
        "for this value: Decimal('100000000000000000000')",
        "for this value: Decimal('0.0000001')",
    ]


def test_a_huge_int_becomes_its_digits_for_the_validator_to_refuse() -> None:
    # str() refuses ints of more than 4300 digits; the cell must still be made.
    table, problems = from_records("ledger", [{"amount": 10**5000}])
    assert problems == []
    assert table is not None and table.rows[0].cells == ("1" + "0" * 5000,)


@pytest.mark.parametrize(
    "value",
    [10**20_000, Decimal("1E-999999999"), Decimal("-7E+999999999")],
    ids=["int", "tiny Decimal", "huge Decimal"],
)
def test_an_absurdly_long_number_is_refused_where_it_is(value: object) -> None:
    _, problems = from_records("ledger", [{"txn_id": "t1", "amount": value}])
    assert [(p.code, p.span.line, p.span.column) for p in problems] == [("D611", 1, 2)]
    assert problems[0].hint


@pytest.mark.parametrize("records", [None, 42, "ledger.csv", b"x", {"txn_id": "t1"}], ids=repr)
def test_records_that_are_not_an_iterable_of_mappings_are_a_usage_error(
    records: object,
) -> None:
    with pytest.raises(UsageError, match="pass a list of mappings"):
        from_records("ledger", records)  # type: ignore[arg-type]
