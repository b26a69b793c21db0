"""report.statements_table: the plain-text table of a run."""

from __future__ import annotations

from report_samples import computed, line, result, statement

from incentives.report.statements_table import period_tables, render_table, rows_summary
from incentives.results import RowAccounting


def test_table_of_a_computed_run() -> None:
    assert render_table(computed("2026-03", "2026-04")) == (
        "2026-03 (2026-03-01 to 2026-03-31)\n"
        "payee  name              c     b  total  currency\n"
        "-----  ------------  -----  ----  -----  --------\n"
        "alice  Alice Archer  37.48  0.00  37.48  USD\n"
        "bob    Bob Baker     15.00  0.00  15.00  USD\n"
        "-----  ------------  -----  ----  -----  --------\n"
        "total                52.48  0.00  52.48  USD\n"
        "\n"
        "2026-04 (2026-04-01 to 2026-04-30)\n"
        "payee  name              c       b   total  currency\n"
        "-----  ------------  -----  ------  ------  --------\n"
        "alice  Alice Archer  66.00  100.00  166.00  USD\n"
        "bob    Bob Baker      0.00    0.00    0.00  USD\n"
        "-----  ------------  -----  ------  ------  --------\n"
        "total                66.00  100.00  166.00  USD\n"
        "\n"
        "rows: 4 read, 4 credited, 0 excluded\n"
    )


def test_columns_follow_first_appearance_and_missing_cells_are_blank() -> None:
    run = result(
        [
            statement("a", [line("x", "1.00"), line("cap", "-0.50")]),
            statement("b", [line("x", "2.00"), line("y", "3.00")]),
        ]
    )
    (table,) = period_tables(run)
    assert table.headers == ("payee", "name", "x", "cap", "y", "total", "currency")
    assert table.rows[0] == ("a", "", "1.00", "-0.50", "", "0.50", "USD")
    assert table.totals == ("total", "", "3.00", "-0.50", "3.00", "5.50", "USD")


def test_no_totals_row_across_currencies() -> None:
    run = result(
        [
            statement("a", [line("x", "1.00")]),
            statement("b", [line("x", "2", currency="JPY")], currency="JPY"),
        ]
    )
    (table,) = period_tables(run)
    assert table.totals is None
    assert "total " not in render_table(run).split("rows:")[0].splitlines()[-2]


def test_a_period_without_statements() -> None:
    run = result([statement("a", [line("x", "1.00")])], periods=["2026-03", "2026-04"])
    text = render_table(run)
    assert "\n2026-04: no statements\n" in text


def test_cells_are_made_visible_and_aligned_by_width() -> None:
    run = result(
        [
            statement("a", [line("x", "1.00")], name="東京"),
            statement("b", [line("x", "10.00")], name="\x1b[2J"),
        ]
    )
    lines = render_table(run).splitlines()
    assert lines[3] == "a      東京        1.00   1.00  USD"
    assert lines[4] == "b      \\u001b[2J  10.00  10.00  USD"


def test_rows_summary_lists_reasons_in_order() -> None:
    rows = RowAccounting(read=10, credited=7, excluded={"zeta": 1, "alpha": 2})
    assert rows_summary(rows) == "rows: 10 read, 7 credited, 3 excluded: 2 alpha; 1 zeta"
    assert rows_summary(RowAccounting(read=0, credited=0)) == "rows: 0 read, 0 credited, 0 excluded"


def test_metrics_rows_not_read_are_reported() -> None:
    from incentives.report.statements_table import unpaid_share_lines

    rows = RowAccounting(read=1, credited=1, ignored_metrics={"nps": 2, "returns": 1})
    assert unpaid_share_lines(rows) == [
        "metrics rows not read (this plan declares no such metric): `nps` (2), `returns` (1)"
    ]
