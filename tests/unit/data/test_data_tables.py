"""RawTable: lookup by exact name and one canonical CSV rendering."""

from __future__ import annotations

from incentives.data import RawRow, RawTable
from incentives.data.tables import header_problems


def test_column_index_is_exact() -> None:
    table = RawTable("roster", "r.csv", ("payee", "Name"), ())
    assert table.column_index("payee") == 0
    assert table.column_index("Name") == 1
    assert table.column_index("name") is None


def test_canonical_csv_quotes_only_what_needs_it() -> None:
    rows = (RawRow(2, ("a,b", 'say "hi"', "")), RawRow(3, ("x\ny", "", "z")))
    table = RawTable("ledger", "l.csv", ("one", "two", "three"), rows)
    assert table.canonical_csv() == b'one,two,three\n"a,b","say ""hi""",\n"x\ny",,z\n'


def test_canonical_csv_keeps_a_lone_empty_cell_apart_from_a_blank_line() -> None:
    table = RawTable("ledger", "l.csv", ("only",), (RawRow(1, ("",)),))
    assert table.canonical_csv() == b'only\n""\n'


def test_canonical_csv_of_a_table_without_columns_is_empty() -> None:
    assert RawTable("ledger", "<records:ledger>", (), (), 0).canonical_csv() == b""


def test_header_problems_are_all_reported_in_order() -> None:
    problems = header_problems(["a", "", " b", "a", ""], "f.csv", 1)
    assert [(p.code, p.span.column, p.message) for p in problems] == [
        ("D609", 2, "column 2 has no name"),
        ("D609", 3, "column name ` b` has spaces around it"),
        ("D609", 4, "column `a` appears twice: columns 1 and 4"),
        ("D609", 5, "column 5 has no name"),
    ]
