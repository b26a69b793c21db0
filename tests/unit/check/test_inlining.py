"""Per-line values written out stay small enough to evaluate (E457), once per chain."""

from __future__ import annotations

from decimal import Decimal

import incentives
from incentives.check.inlining import MAX_INLINED_DEPTH
from plan_doc import diagnostics, ledger, load


def chain(n: int, step: str) -> str:
    lets = "".join(f"let b{i} = {step.format(prev=f'b{i - 1}')}\n" for i in range(1, n))
    return f"let b0 = amount\n{lets}commission c\n  pays b{n - 1} per line\n"


def test_a_long_chain_of_per_line_values_is_refused_once() -> None:
    found = diagnostics(chain(1500, "{prev} + 1 USD"), header=True)
    assert [(d.code, d.span.line) for d in found] == [("E457", 2 + MAX_INLINED_DEPTH // 2)]
    assert found[0].hint


def test_values_that_double_at_each_step_are_refused_once() -> None:
    found = diagnostics(chain(30, "{prev} + {prev}"), header=True)
    assert [d.code for d in found] == ["E457"]
    assert "parts" in found[0].message


def test_a_chain_just_under_the_limit_runs() -> None:
    plan = load(chain(MAX_INLINED_DEPTH // 2 - 1, "{prev} + 1 USD"), header=True)
    result = plan.run(ledger(("t1", "2026-03-02", "a", "10")), period="2026-03")
    # 10 + 98 × 1
    assert result.statements[0].amount("c") == Decimal("108.00")


def test_a_long_chain_of_per_payee_values_is_not_limited() -> None:
    lets = "".join(f"let v{i} = v{i - 1} + 1 USD\n" for i in range(1, 1500))
    plan = load(f"measure sales = sum amount\nlet v0 = sales\n{lets}bonus b\n  pays v1499\n",
                header=True)  # fmt: skip
    result = plan.run(ledger(("t1", "2026-03-02", "a", "10")), period="2026-03")
    assert result.statements[0].amount("b") == Decimal("1509.00")
    assert isinstance(result, incentives.RunResult)
