"""Every kind of measure clause given twice is E420, never an internal error."""

from __future__ import annotations

import typing

import pytest

from incentives.ast import nodes as n
from plan_doc import diagnostics

CLAUSES = {
    n.WhereClause: "where amount > 0 USD",
    n.OverClause: "over quarter to date",
    n.DefaultClause: "default 0 USD",
    n.AcrossClause: "across everyone",
    n.DatedClause: "dated by paid_on",
}


def test_the_table_covers_every_measure_clause() -> None:
    assert set(CLAUSES) == set(typing.get_args(n.MeasureClause))


@pytest.mark.parametrize("clause", CLAUSES.values(), ids=[c.__name__ for c in CLAUSES])
def test_a_measure_clause_given_twice_is_reported(clause: str) -> None:
    text = (
        "ledger columns\n  paid_on: date optional\n"
        f"measure sales = sum amount {clause} {clause}\n"
        "commission c\n  pays 5% of sales\n"
    )
    found = diagnostics(text, header=True)
    assert "E420" in {d.code for d in found}
    assert all(d.hint for d in found if d.code == "E420")
