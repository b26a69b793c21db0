"""Invariant 22: traces add up, and statement lines add up to the total.

For every statement line the trace's root value is the line's amount, every
trace node's parts add up exactly to the node's value (band slices, ledger
lines, gate, cap, floor, multiplier and rounding steps), and the statement
total is exactly the sum of its lines, including total cap and floor lines.
Checked on the result objects and again on the canonical JSON.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from property_helpers import run, walk

from strategies import PlanSpec, ledgers, plans, rounding_clauses

_ROUNDING = st.one_of(rounding_clauses(units=("0.01", "0.05", "1", "minor unit")), st.just("none"))


def _exact(text: str | None) -> Fraction:
    assert text is not None, "a trace step without a value"
    return Fraction(text)


@given(plans(max_components=5, rounding=_ROUNDING), st.data())
def test_trace_parts_add_up_to_each_line_and_lines_to_the_total(
    spec: PlanSpec, data: st.DataObject
) -> None:
    floor = -2_000 if spec.accepts_negative_sales else 0
    ledger = data.draw(ledgers(min_amount=floor), label="ledger")
    result = run(spec, ledger)
    for statement in result.statements:
        lines_sum = Fraction(0)
        for line in statement.lines:
            assert _exact(line.trace.value) == Fraction(line.amount), line.component
            for node in walk(line.trace):
                if node.parts:
                    parts = sum((_exact(p.value) for p in node.parts), Fraction(0))
                    assert parts == _exact(node.value), (line.component, node.kind, node.label)
            lines_sum += Fraction(line.amount)
        assert Fraction(statement.total) == lines_sum, statement.payee

    # The same holds for what an auditor reads: the canonical JSON.
    document = json.loads(result.model_dump_json())
    for statement in document["statements"]:
        for line in statement["lines"]:
            assert Fraction(line["trace"]["value"]) == Fraction(line["amount"])
            _check_json_node(line["trace"])
        total = sum((Fraction(line["amount"]) for line in statement["lines"]), Fraction(0))
        assert Fraction(statement["total"]) == total


def _check_json_node(node: dict[str, Any]) -> None:
    if node["parts"]:
        parts = sum((Fraction(p["value"]) for p in node["parts"]), Fraction(0))
        assert parts == Fraction(node["value"]), node["label"]
        for part in node["parts"]:
            _check_json_node(part)
