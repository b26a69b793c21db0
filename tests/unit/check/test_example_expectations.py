"""E506 for expectations: one value of one payee is expected at most once per period."""

from __future__ import annotations

import incentives

PLAN = """\
plan "T" version "1" currency USD period month rounding half_up to 0.01 on components
measure sales = sum amount
commission c pays 5% of sales
example "March"
  period "2026-03"
  payee kim
  payee lee
  line t1 2026-03-02 kim: 1,000 USD
  line t2 2026-03-02 lee: 1,000 USD
{expects}"""


def findings(*expects: str) -> list[incentives.Diagnostic]:
    text = PLAN.format(expects="".join(f"  {e}\n" for e in expects))
    _, found = incentives.check_source(incentives.SourceFile("t.plan", text))
    return found


def test_two_conflicting_expectations_are_flagged_with_both_places() -> None:
    (found,) = findings("expect kim c: 50.00 USD", "expect kim c: 60.00 USD")
    assert found.code == "E506" and found.is_error
    assert found.message == (
        "`expect kim c` is given twice in this example, "
        "with different values: 50.00 USD and 60.00 USD"
    )
    assert (found.span.line, found.span.column) == (11, 3)
    assert [(r.span.line, r.span.column, r.message) for r in found.related] == [
        (10, 3, "first expected here")
    ]


def test_the_same_expectation_twice_is_flagged_too() -> None:
    (found,) = findings("expect kim total: 50 USD", 'expect kim total in "2026-03": 50.00 USD')
    assert found.code == "E506"
    assert found.hint == "keep one of them"


def test_other_payees_values_and_periods_are_not_duplicates() -> None:
    assert findings("expect kim c: 50.00 USD", "expect lee c: 50.00 USD",
                    "expect kim total: 50.00 USD", "expect kim sales: 1,000 USD") == []  # fmt: skip
