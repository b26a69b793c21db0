"""Examples keep where their records were written, so their problems point into the plan.

An example's dataset is built from records (``<records:roster>`` row 1 …);
what the data layer finds wrong with them is reported at the clause of the
plan that wrote the record, with a hint in the example's own terms.
"""

from __future__ import annotations

import incentives
from incentives.compile import ir
from plan_doc import load

HEADER = 'plan "T" version "1" currency EUR period month rounding half_up to 0.01 on components\n'


def _problems(text: str) -> list[incentives.Diagnostic]:
    plan = load(HEADER + text)
    return [p for outcome in incentives.run_examples(plan.ir) for p in outcome.problems]


def _place(d: incentives.Diagnostic) -> tuple[str, int, int]:
    return (d.span.file, d.span.line, d.span.column)


def test_the_compiled_example_keeps_the_span_of_each_record() -> None:
    plan = load(
        HEADER
        + "measure sales = sum amount\ncommission c pays 5% of sales\n"
        + 'example "E"\n  period "2026-03"\n  payee kim\n  payee lee\n'
        + "  line t1 2026-03-02 kim: 100 EUR\n  expect kim c: 5 EUR\n"
    )
    (example,) = plan.ir.examples
    records = dict(example.records)
    assert [r.span.line for r in records["roster"]] == [6, 7]
    (line,) = records["ledger"]
    assert isinstance(line, ir.ExampleRecord)
    cells = dict(line.cells)
    assert (cells["txn_id"].line, cells["txn_id"].column) == (8, 8)
    assert cells["amount"].column == 27


def test_a_roster_field_no_payee_sets_points_at_the_payee_clause() -> None:
    (problem,) = _problems(
        "roster fields\n  grade: decimal\nmeasure sales = sum amount\n"
        "commission c pays 5% of sales\n"
        'example "No grade"\n  period "2026-03"\n  payee kim\n'
        "  line t1 2026-03-02 kim: 100 EUR\n  expect kim c: 5 EUR\n"
    )
    assert problem.code == "D602"
    assert _place(problem) == ("test.plan", 8, 3)
    assert problem.hint == "give the example's payees a `grade`, like `payee kim: grade 1`"


def test_an_empty_cell_points_at_the_record_that_left_it_empty() -> None:
    (problem,) = _problems(
        "roster fields\n  grade: decimal\nmeasure sales = sum amount\n"
        "commission c pays grade * 1% of sales\n"
        'example "E"\n  period "2026-03"\n  payee kim: grade 2\n  payee lee\n'
        "  line t1 2026-03-02 kim: 100 EUR\n  expect kim c: 2 EUR\n"
    )
    assert problem.code == "D603"
    assert _place(problem) == ("test.plan", 9, 3)  # `payee lee`
    assert problem.hint and "\n" not in problem.hint


def test_a_line_credited_to_no_payee_points_at_the_line() -> None:
    (problem,) = _problems(
        "ledger columns\n  owner: text\ncrediting\n  credit to owner\n"
        "measure sales = sum amount\ncommission c pays 5% of sales\n"
        'example "E"\n  period "2026-03"\n  payee kim\n'
        '  line t1 2026-03-02 kim: 100 EUR, owner "zed"\n  expect kim c: 5 EUR\n'
    )
    assert problem.code == "D605"
    assert _place(problem) == ("test.plan", 11, 3)


def test_a_missing_quota_is_explained_in_the_example_terms() -> None:
    (problem,) = _problems(
        "measure sales = sum amount\nquota target\n  goal from quotas per month\n"
        "commission c pays 5% of sales\n  when sales >= target\n"
        'example "E"\n  period "2026-03"\n  payee kim\n'
        "  line t1 2026-03-02 kim: 100 EUR\n  expect kim c: 5 EUR\n"
    )
    assert problem.code == "R701"
    assert _place(problem) == ("test.plan", 3, 1)  # the quota, as before
    assert problem.hint == 'add it to the example, like `quotas kim "2026-03": 1,000 EUR`'
