"""Definitions are resolved dependencies first, without recursion (check/context.py).

A chain of thousands of ``let``s, in any order, loads; a cycle of any length
is one E401 at the definition where the checker first met it again, with the
whole loop named (abridged when long); constants fold once each.
"""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

import incentives
from incentives.check.context import cycle_path
from plan_doc import diagnostics, ledger, load

HEADER = (
    'plan "T" version "1" currency USD period month rounding half_up to 0.01 on components\n'
    "measure sales = sum amount\n"
)

#: Deeper than Python's default recursion limit even at one frame per definition.
LONG = max(3_000, sys.getrecursionlimit() * 3)


def _errors(text: str) -> list[incentives.Diagnostic]:
    return [d for d in diagnostics(HEADER + text) if d.is_error]


def test_a_chain_written_last_first_loads() -> None:
    # a0 needs a1, which needs a2 … : resolving a0 first used to recurse LONG deep.
    lets = "".join(f"let a{i} = a{i + 1} + 1 USD\n" for i in range(LONG - 1))
    plan = load(HEADER + lets + f"let a{LONG - 1} = sales\ncommission c pays 1% of a0\n")
    result = plan.run(ledger(("t1", "2026-03-02", "kim", "100")), period="2026-03")
    assert result.statement("kim").amount("c") == Decimal(LONG - 1 + 100) / 100


def test_a_chain_of_constants_folds_once_each() -> None:
    lets = "".join(f"let a{i} = a{i - 1} + 1 USD\n" for i in range(1, LONG))
    plan = load(HEADER + "let a0 = 0 USD\n" + lets + f"commission c pays a{LONG - 1}\n")
    result = plan.run(ledger(("t1", "2026-03-02", "kim", "1")), period="2026-03")
    assert result.statement("kim").amount("c") == LONG - 1


def test_a_chain_of_line_values_is_refused_once_not_crashed_on() -> None:
    # Written out per line, the chain nests deeper than the evaluator allows (E457).
    lets = "".join(f"let a{i} = a{i - 1} + 1 USD\n" for i in range(1, LONG))
    tail = f"measure m = sum a{LONG - 1}\ncommission c pays 1% of m\n"
    assert [d.code for d in _errors("let a0 = amount\n" + lets + tail)] == ["E457"]


def test_a_line_value_used_twice_is_lowered_once() -> None:
    # b1 = b0 + b0, b2 = b1 + b1 …: copying each use would double the IR at every step.
    # (Twelve steps: written out per line, more would pass E457's size limit.)
    lets = "".join(f"let b{i} = b{i - 1} + b{i - 1}\n" for i in range(1, 13))
    tail = "measure m = sum b12\ncommission c pays 1% of m\n"
    plan = load(HEADER + "let b0 = amount\n" + lets + tail)
    (measure,) = [m for m in plan.ir.measures if m.name == "m"]
    top = measure.argument
    assert top is not None
    assert top.left is top.right  # type: ignore[attr-defined]


@pytest.mark.parametrize("length", [2, 11, 200, LONG])
def test_a_cycle_of_any_length_is_one_located_error(length: int) -> None:
    lets = "".join(f"let a{i} = a{(i + 1) % length} + 1 USD\n" for i in range(length))
    errors = _errors(lets + "commission c pays 5% of a0\n")
    (cycle,) = [d for d in errors if d.code == "E401"]
    assert (cycle.span.line, cycle.span.column) == (3, 5)  # at a0, where it was met again
    assert cycle.message.startswith("`a0` depends on itself: `a0` → `a1`")
    assert cycle.message.count("→") <= 11 and "\n" not in cycle.message
    assert len(cycle.related) == min(length - 1, 10)
    assert cycle.hint


def test_a_cycle_entered_in_its_middle_is_named_from_where_it_was_met() -> None:
    errors = _errors(
        "let a = b + 1 USD\nlet b = c + 1 USD\nlet c = a + 1 USD\ncommission k pays 5% of b\n"
    )
    assert [(d.code, d.message) for d in errors] == [
        ("E401", "`a` depends on itself: `a` → `b` → `c` → `a`")
    ]


def test_a_definition_that_uses_itself() -> None:
    errors = _errors("let a = a + 1 USD\ncommission c pays 5% of a\n")
    assert [(d.code, d.message, d.related) for d in errors] == [
        ("E401", "`a` depends on itself: `a` → `a`", ())
    ]


def test_two_loops_through_one_definition_are_both_named() -> None:
    errors = _errors(
        "let a = b + c\nlet b = a + 1 USD\nlet c = a + 1 USD\ncommission k pays 5% of a\n"
    )
    assert [d.message for d in errors] == [
        "`a` depends on itself: `a` → `b` → `a`",
        "`a` depends on itself: `a` → `c` → `a`",
    ]


def test_a_tier_table_whose_bound_reads_the_table_is_a_cycle() -> None:
    # This used to pass the checker silently and crash the compiler.
    errors = _errors(
        "tiers t flat\n  band below x: 1 USD\n  band at least x: 2 USD\n"
        "let x = t at 5 USD\ncommission k pays 5% of sales\n"
    )
    assert [(d.code, d.message) for d in errors] == [
        ("E401", "`t` depends on itself: `t` → `x` → `t`")
    ]


def test_a_cycle_through_a_component_is_still_found() -> None:
    errors = _errors("let a = k\ncommission k pays 5% of a\n")
    assert [(d.code, d.message) for d in errors] == [
        ("E401", "`a` depends on itself: `a` → `k` → `a`")
    ]


def test_a_long_chain_of_team_values_is_gathered_in_one_pass() -> None:
    chain = "".join(f"let t{i} = t{i - 1} + 1\n" for i in range(1, LONG))
    errors = _errors(
        "let t0 = rank of sales across everyone highest first ties by payee\n"
        + chain
        + f"let r = sum of t{LONG - 1} across everyone\ncommission k pays 5% of sales\n"
    )
    assert [d.code for d in errors] == ["E440"]


def test_cycle_path_abridges_long_loops() -> None:
    assert cycle_path(["a", "b", "a"]) == "`a` → `b` → `a`"
    long = [f"n{i}" for i in range(30)] + ["n0"]
    assert cycle_path(long) == (
        "`n0` → `n1` → `n2` → `n3` → `n4` → `n5` → … → `n28` → `n29` → `n0` (30 definitions)"
    )
