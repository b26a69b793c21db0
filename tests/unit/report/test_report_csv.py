"""report.statements_csv: rows, totals and spreadsheet formula injection."""

from __future__ import annotations

import csv
import io

import pytest
from report_samples import computed, line, result, statement

from incentives.report.statements_csv import HEADER, render_csv, safe_text


def test_csv_of_a_computed_run() -> None:
    assert render_csv(computed()) == (
        "period,payee,payee_name,component,label,kind,amount,currency\n"
        "2026-03,alice,Alice Archer,c,Commission,commission,37.48,USD\n"
        "2026-03,alice,Alice Archer,b,Big month,bonus,0.00,USD\n"
        "2026-03,alice,Alice Archer,total,Total,total,37.48,USD\n"
        "2026-03,bob,Bob Baker,c,Commission,commission,15.00,USD\n"
        "2026-03,bob,Bob Baker,b,Big month,bonus,0.00,USD\n"
        "2026-03,bob,Bob Baker,total,Total,total,15.00,USD\n"
    )


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_run_is_quoted(start: str) -> None:
    assert safe_text(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("text", ["", "Alice", "1+1", " =x", "'=x", "Zoë"])
def test_other_text_is_unchanged(text: str) -> None:
    assert safe_text(text) == text


def test_every_text_column_is_protected_but_amounts_are_not() -> None:
    evil = '=HYPERLINK("http://evil.example","click")'
    run = result(
        [
            statement(
                "-payee",
                [line("@comp", "-12.50", label="+label", kind="=kind")],
                name=evil,
            )
        ]
    )
    rows = list(csv.reader(io.StringIO(render_csv(run))))
    assert rows[0] == list(HEADER)
    assert rows[1] == [
        "2026-03",
        "'-payee",
        "'" + evil,
        "'@comp",
        "'+label",
        "'=kind",
        "-12.50",
        "USD",
    ]
    assert rows[2] == ["2026-03", "'-payee", "'" + evil, "total", "Total", "total", "-12.50", "USD"]


def test_commas_quotes_and_line_breaks_are_quoted() -> None:
    run = result([statement("a", [line("x", "1.00")], name='Doe, "J"\nJr')])
    text = render_csv(run)
    assert '"Doe, ""J""\nJr"' in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == 'Doe, "J"\nJr'
