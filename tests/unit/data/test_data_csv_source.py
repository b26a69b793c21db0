"""read_csv: UTF-8 text, exact headers, physical row numbers, structural problems."""

from __future__ import annotations

import csv
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from incentives.data import RawRow, RawTable, parse_cell, read_csv
from incentives.diagnostics import Diagnostic
from incentives.errors import UsageError
from incentives.money import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, format_decimal
from incentives.values import ColumnType

HEADER = "txn_id,date,payee,amount,currency"


def write(tmp_path: Path, content: bytes, name: str = "ledger.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_reads_cells_exactly_with_physical_row_numbers(tmp_path: Path) -> None:
    source = write(tmp_path, f"{HEADER}\nT1,2026-01-05,alice, 5 ,USD\n".encode())
    table, problems = read_csv(source, "ledger")
    assert problems == []
    assert table == RawTable(
        "ledger",
        source,
        ("txn_id", "date", "payee", "amount", "currency"),
        (RawRow(2, ("T1", "2026-01-05", "alice", " 5 ", "USD")),),
    )


def test_source_is_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("sub").mkdir()
    Path("sub/ledger.csv").write_bytes(f"{HEADER}\n".encode())
    table, _ = read_csv("sub/ledger.csv", "ledger")
    assert table is not None and table.source == "sub/ledger.csv"
    table, _ = read_csv(Path("sub/ledger.csv"), "ledger")
    assert table is not None and table.source == "sub/ledger.csv"


def test_bom_is_accepted_and_dropped(tmp_path: Path) -> None:
    source = write(tmp_path, b"\xef\xbb\xbf" + f"{HEADER}\nT1,2026-01-05,a,1,USD\n".encode())
    table, problems = read_csv(source, "ledger")
    assert problems == []
    assert table is not None and table.columns[0] == "txn_id"


def test_crlf_line_endings_are_accepted(tmp_path: Path) -> None:
    content = f'{HEADER},note\r\nT1,2026-01-05,a,1,USD,"x\r\ny"\r\nT2,2026-01-05,a,2,USD,z\r\n'
    table, problems = read_csv(write(tmp_path, content.encode()), "ledger")
    assert problems == []
    assert table is not None
    assert [row.number for row in table.rows] == [2, 4]
    assert table.rows[0].cells[-1] == "x\r\ny"  # inside quotes, kept as written
    assert table.rows[1].cells[-1] == "z"


def test_embedded_newline_keeps_later_row_numbers(tmp_path: Path) -> None:
    content = (
        f"{HEADER},note\n"
        'T1,2026-01-05,a,1,USD,"three\nline\nnote"\n'  # lines 2-4
        "T2,2026-01-05,a,2,USD,plain\n"  # line 5
        "\n"  # line 6, blank
        'T3,2026-01-05,a,3,USD,"a, b"\n'  # line 7
    )
    table, problems = read_csv(write(tmp_path, content.encode()), "ledger")
    assert problems == []
    assert table is not None
    assert [row.number for row in table.rows] == [2, 5, 7]
    assert table.rows[2].cells[-1] == "a, b"


def test_blank_lines_are_not_rows(tmp_path: Path) -> None:
    content = f"\n{HEADER}\n\nT1,2026-01-05,a,1,USD\n\n\n"
    table, problems = read_csv(write(tmp_path, content.encode()), "ledger")
    assert problems == []
    assert table is not None
    assert table.header_line == 2
    assert [row.number for row in table.rows] == [4]


def test_latin1_file_is_rejected_naming_the_line(tmp_path: Path) -> None:
    content = f"{HEADER}\nT1,2026-01-05,alice,1,USD\nT2,2026-01-05,José,1,USD\n".encode("latin-1")
    source = write(tmp_path, content)
    table, problems = read_csv(source, "ledger")
    assert table is None
    [problem] = problems
    assert problem.code == "D601"
    assert (problem.span.file, problem.span.line, problem.span.column) == (source, 3, 0)
    assert problem.message == (
        f"`{source}` is not UTF-8 text: byte 0xE9 on line 3 is not valid UTF-8"
    )
    assert problem.hint is not None and "re-export the file as UTF-8" in problem.hint


def test_utf16_file_is_rejected_on_line_1(tmp_path: Path) -> None:
    table, problems = read_csv(write(tmp_path, f"{HEADER}\n".encode("utf-16")), "ledger")
    assert table is None
    assert [(p.code, p.span.line) for p in problems] == [("D601", 1)]


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf", b"\r\n"])
def test_empty_file_has_no_header(tmp_path: Path, content: bytes) -> None:
    source = write(tmp_path, content)
    table, problems = read_csv(source, "ledger")
    assert table is None
    [problem] = problems
    assert problem.code == "D608"
    assert (problem.span.file, problem.span.line, problem.span.column) == (source, 1, 0)
    assert problem.message == f"`{source}` is empty: it has no header row"


def test_header_only_is_an_empty_table(tmp_path: Path) -> None:
    table, problems = read_csv(write(tmp_path, f"{HEADER}\n".encode()), "ledger")
    assert problems == []
    assert table is not None and table.rows == ()


def test_duplicate_header_is_reported(tmp_path: Path) -> None:
    source = write(tmp_path, b"txn_id,amount,payee,amount\nT1,1,a,2\n")
    table, problems = read_csv(source, "ledger")
    assert table is None
    [problem] = problems
    assert problem.code == "D609"
    assert (problem.span.line, problem.span.column, problem.span.end_column) == (1, 4, 5)
    assert problem.message == "column `amount` appears twice: columns 2 and 4"


def test_header_with_spaces_is_an_error_with_a_hint(tmp_path: Path) -> None:
    source = write(tmp_path, b"txn_id, amount \nT1,1\n")
    table, problems = read_csv(source, "ledger")
    assert table is not None and table.columns == ("txn_id", " amount ")  # not trimmed
    [problem] = problems
    assert problem.code == "D609"
    assert (problem.span.line, problem.span.column) == (1, 2)
    assert problem.message == "column name ` amount ` has spaces around it"
    assert problem.hint == "remove the spaces: `amount`"


def test_header_is_case_sensitive(tmp_path: Path) -> None:
    table, problems = read_csv(write(tmp_path, b"Amount,amount\n1,2\n"), "ledger")
    assert problems == []
    assert table is not None and table.column_index("amount") == 1


def test_empty_header_name_is_reported(tmp_path: Path) -> None:
    _, problems = read_csv(write(tmp_path, b"txn_id,amount,\nT1,1,\n"), "ledger")
    [problem] = problems
    assert (problem.code, problem.span.column, problem.message) == (
        "D609",
        3,
        "column 3 has no name",
    )
    assert problem.hint is not None and "trailing comma" in problem.hint


def test_ragged_rows_are_reported_and_left_out(tmp_path: Path) -> None:
    content = f"{HEADER}\nT1,2026-01-05,a,1,USD,extra\nT2,2026-01-05,a,1\nT3,2026-01-05,a,1,USD\n"
    source = write(tmp_path, content.encode())
    table, problems = read_csv(source, "ledger")
    assert table is not None
    assert [row.number for row in table.rows] == [4]
    assert [(p.code, p.span.file, p.span.line, p.span.column) for p in problems] == [
        ("D607", source, 2, 0),
        ("D607", source, 3, 0),
    ]
    assert problems[0].message == "row 2 has 6 cells, but the header has 5 columns"
    assert problems[0].hint is not None and "double quotes" in problems[0].hint
    assert problems[1].message == "row 3 has 4 cells, but the header has 5 columns"
    assert problems[1].hint is not None and "missing cells" in problems[1].hint


def test_ragged_row_after_a_multiline_cell_names_its_own_line(tmp_path: Path) -> None:
    content = f'{HEADER}\nT1,2026-01-05,a,1,"US\nD"\nT2,2026-01-05\n'
    _, problems = read_csv(write(tmp_path, content.encode()), "ledger")
    assert [(p.code, p.span.line) for p in problems] == [("D607", 4)]


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        (f'{HEADER}\nT1,2026-01-05,a,"1"2,USD\n', 2, "row 2 is not valid CSV"),
        (f'{HEADER}\nT1,2026-01-05,a,1,USD\nT2,2026-01-05,a,"1,USD\nT3\n', 3, "line 3 to 4"),
    ],
)
def test_invalid_csv_is_reported(tmp_path: Path, content: str, line: int, fragment: str) -> None:
    source = write(tmp_path, content.encode())
    table, problems = read_csv(source, "ledger")
    assert table is None
    [problem] = problems
    assert (problem.code, problem.span.file, problem.span.line, problem.span.column) == (
        "D610",
        source,
        line,
        0,
    )
    assert fragment in problem.message


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(UsageError) as caught:
        read_csv(missing, "ledger")
    assert str(caught.value) == f"no such file: `{missing}`"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a directory"):
        read_csv(tmp_path, "ledger")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_not_read(tmp_path: Path) -> None:
    link = tmp_path / "ledger.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(UsageError) as caught:
        read_csv(link, "ledger")
    assert str(caught.value).startswith(
        f"`{link}` (a link to `/dev/zero`) is a device, not a file: it is not read; "
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_not_opened_for_a_blocking_read(tmp_path: Path) -> None:
    pipe = tmp_path / "ledger.csv"
    os.mkfifo(pipe)
    with pytest.raises(UsageError, match="is a named pipe, not a file"):
        read_csv(pipe, "ledger")


def test_a_dangling_link_names_its_target(tmp_path: Path) -> None:
    link = tmp_path / "ledger.csv"
    link.symlink_to(tmp_path / "gone.csv")
    with pytest.raises(UsageError) as caught:
        read_csv(link, "ledger")
    assert str(caught.value) == (
        f"`{link}` is a link to `{tmp_path / 'gone.csv'}`, which does not exist; "
        "point the link at the CSV file, or delete the link"
    )


def test_a_link_to_a_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.csv").write_text("payee\nkim\n")
    (tmp_path / "roster.csv").symlink_to(tmp_path / "real.csv")
    table, problems = read_csv(tmp_path / "roster.csv", "roster")
    assert table is not None and problems == []
    assert [row.cells for row in table.rows] == [("kim",)]


_decimals = st.builds(
    lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
    st.integers(0, 1),
    st.lists(st.integers(0, 9), min_size=1, max_size=MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS),
    st.integers(-MAX_FRACTION_DIGITS, 10),
)


@settings(database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_decimals)
def test_format_decimal_survives_a_csv_round_trip(tmp_path: Path, value: Decimal) -> None:
    text = format_decimal(value)
    assume(len(text.lstrip("-").partition(".")[0].lstrip("0")) <= MAX_INTEGER_DIGITS)
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["amount"], [text]])
    table, problems = read_csv(write(tmp_path, buffer.getvalue().encode()), "ledger")
    assert problems == []
    assert table is not None
    [row] = table.rows
    parsed = parse_cell(row.cells[0], ColumnType.MONEY)
    assert isinstance(parsed, Decimal)
    assert parsed == value
    assert format_decimal(parsed) == text  # same digits, same exponent


@pytest.mark.parametrize(
    ("separator", "name"), [(";", "`;` (semicolons)"), ("\t", "tabs")], ids=["semicolon", "tab"]
)
def test_another_separator_is_named_once(tmp_path: Path, separator: str, name: str) -> None:
    # Excel in many locales writes `;` and a decimal comma: every row looks
    # ragged, but there is one problem, the separator, and the file says so.
    header = separator.join(HEADER.split(","))
    rows = "".join(
        f"t{i}{separator}2026-03-02{separator}kim{separator}1,5{separator}USD\n" for i in range(3)
    )
    table, problems = read_csv(write(tmp_path, (header + "\n" + rows).encode()), "ledger")
    assert table is None
    [problem] = problems
    assert (problem.code, problem.span.line) == ("D607", 2)
    assert problem.message == (
        f"row 2 has 2 cells, but the header has 1 column: the file is separated by {name}, "
        "not by commas"
    )
    assert problem.hint is not None and "comma-separated" in problem.hint


def test_ragged_rows_are_kept_apart_for_their_keys(tmp_path: Path) -> None:
    data = f"{HEADER}\nT1,2026-01-05,kim,1,250.00,USD\nT2,2026-01-05,lee,5.00,USD\n"
    table, problems = read_csv(write(tmp_path, data.encode()), "ledger")
    assert [p.code for p in problems] == ["D607"]
    assert problems[0].message == "row 2 has 6 cells, but the header has 5 columns"
    assert table is not None
    assert [row.number for row in table.rows] == [3]
    assert [row.number for row in table.ragged] == [2]
    assert table.keys("payee") == {"kim", "lee"}


def test_one_cell_is_one_cell(tmp_path: Path) -> None:
    _, problems = read_csv(write(tmp_path, b"payee,fte\nkim\n"), "roster")
    assert problems[0].message == "row 2 has 1 cell, but the header has 2 columns"


# --- cells beyond the csv module's size limit -----------------------------------------

LIMIT = csv.field_size_limit()


def _problems(problems: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(p.code, p.span.line, p.span.column) for p in problems]


def test_a_cell_too_long_is_named_and_the_other_rows_are_read(tmp_path: Path) -> None:
    long = "x" * (LIMIT + 10)
    content = (
        f"{HEADER}\nT1,2026-01-05,a,1,USD\nT2,2026-01-05,{long},1,USD\n"
        "T3,2026-01-05,a,1\nT4,2026-01-05,a,2,USD\n"
    )
    table, problems = read_csv(write(tmp_path, content.encode()), "ledger")
    assert table is not None
    assert _problems(problems) == [("D610", 3, 3), ("D607", 4, 0)]
    assert problems[0].message == (
        f"row 3, column `payee`: the cell is {LIMIT + 10:,} characters long; "
        f"a cell holds at most {LIMIT:,}"
    )
    assert problems[0].hint and "shorten the cell" in problems[0].hint
    assert [(row.number, row.cells[0]) for row in table.rows] == [(2, "T1"), (5, "T4")]
    # Kept apart, as a ragged row is: its txn_id is known to the other tables.
    assert [row.number for row in table.ragged] == [3, 4]
    assert table.ragged[0].cells[:2] == ("T2", "2026-01-05") and "T2" in table.keys("txn_id")


def test_a_long_quoted_cell_over_several_lines_keeps_later_row_numbers(tmp_path: Path) -> None:
    long = "\n".join(["y" * 1000] * (LIMIT // 1000 + 5))
    lines = long.count("\n") + 1
    content = f'{HEADER}\nT1,2026-01-05,a,"1,2""{long}",USD\nT2,2026-01-05,a,"x\ny",USD\n'
    table, problems = read_csv(write(tmp_path, content.encode()), "ledger")
    assert table is not None
    assert _problems(problems) == [("D610", 2, 4)]
    assert [(row.number, row.cells) for row in table.rows] == [
        (2 + lines, ("T2", "2026-01-05", "a", "x\ny", "USD"))
    ]
    assert table.ragged[0].cells[3] == f'1,2"{long}'


def test_a_quote_left_open_over_a_long_file_says_so(tmp_path: Path) -> None:
    rows = "".join(f"T{i},2026-01-05,a,1,USD\n" for i in range(LIMIT // 20))
    content = f'{HEADER}\nT0,2026-01-05,"a,1,USD\n{rows}'
    table, problems = read_csv(write(tmp_path, content.encode()), "ledger")
    assert table is not None and table.rows == ()
    assert _problems(problems) == [("D610", 2, 3)]
    assert "a quote is opened and never closed" in problems[0].message
    assert problems[0].hint and "close the quote" in problems[0].hint


def test_a_header_cell_too_long_builds_no_table(tmp_path: Path) -> None:
    content = f"txn_id,{'d' * (LIMIT + 1)}\nT1,x\n"
    table, problems = read_csv(write(tmp_path, content.encode()), "ledger")
    assert table is None
    assert _problems(problems) == [("D610", 1, 2)]
    assert problems[0].message.startswith("column 2 of the header: the cell is")
