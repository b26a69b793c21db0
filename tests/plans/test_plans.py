"""The bundled plans: each checks cleanly and every example it carries passes.

The plans in ``plans/`` are documentation that runs: sales-ops readers copy
them, and their examples (worked out by hand, arithmetic in the comments) are
the contract for what the engine pays. So every plan must load with no
diagnostic at all, carry at least one example, and every example must pass.
A test also proves the examples can fail: changing one expected amount in a
copy of a plan makes that example fail, naming the changed expectation.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import incentives
from incentives.ast.printer import format_plan
from incentives.parse import parse_source
from incentives.report.diagnostics import render_text

ROOT = Path(__file__).resolve().parents[2]
PLANS = sorted((ROOT / "plans").glob("*.plan"))

#: An expectation of an amount in money: `expect PAYEE NAME: 1,234.50 USD`.
_EXPECT_MONEY = re.compile(
    r'^(?P<lead>\s*expect\s+\S+\s+\S+(?:\s+in\s+"[^"]*")?:\s*)(?P<amount>-?[0-9][0-9,]*(?:\.[0-9]+)?)'
    r"(?P<tail>\s*[A-Z]{3}\s*)$",
    re.MULTILINE,
)


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _render(diagnostics: list[incentives.Diagnostic], path: Path, text: str) -> str:
    return render_text(diagnostics, {str(path): incentives.SourceFile(str(path), text)})


def _load(path: Path) -> incentives.Plan:
    text = path.read_text(encoding="utf-8")
    try:
        return incentives.load_plan(path)
    except incentives.PlanError as exc:
        pytest.fail(f"{path.name} does not load:\n{_render(exc.diagnostics, path, text)}")


def test_there_are_plans() -> None:
    assert len(PLANS) >= 6, "plans/ should hold at least six plans"
    assert (ROOT / "plans" / "retail_floor.plan") in PLANS


@pytest.mark.parametrize("path", PLANS, ids=_ids(PLANS))
def test_plan_checks_cleanly(path: Path) -> None:
    plan = _load(path)
    text = path.read_text(encoding="utf-8")
    assert not plan.diagnostics, (
        f"{path.name} has warnings:\n{_render(list(plan.diagnostics), path, text)}"
    )
    assert text.lstrip().startswith("#"), (
        f"{path.name} should open with a comment saying what it shows"
    )


@pytest.mark.parametrize("path", PLANS, ids=_ids(PLANS))
def test_plan_examples_pass(path: Path) -> None:
    plan = _load(path)
    outcomes = incentives.run_examples(plan.ir)
    assert outcomes, f"{path.name} carries no example"
    failures = []
    for outcome in outcomes:
        assert outcome.checked > 0 or outcome.problems, outcome.title
        for m in outcome.mismatches:
            failures.append(
                f"{outcome.title}: line {m.span.line}: {m.payee} {m.name or 'total'}: "
                f"expected {m.expected}, got {m.actual}"
            )
        for p in outcome.problems:
            failures.append(f"{outcome.title}: {p.code} {p.message}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", PLANS, ids=_ids(PLANS))
def test_changing_an_expected_amount_fails_the_example(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    match = _EXPECT_MONEY.search(text)
    assert match, f"{path.name} has no `expect … : <amount> <CUR>` line"
    amount = Decimal(match["amount"].replace(",", ""))
    changed = f"{amount + Decimal('0.01'):f}"
    line = text.count("\n", 0, match.start()) + 1
    mutated = text[: match.start()] + match["lead"] + changed + match["tail"] + text[match.end() :]
    plan = incentives.load_plan(mutated, filename=f"mutated-{path.name}")
    outcomes = incentives.run_examples(plan.ir)
    failed = [o for o in outcomes if not o.passed]
    assert len(failed) == 1, "exactly the example holding the changed amount should fail"
    mismatches = failed[0].mismatches
    assert [m.span.line for m in mismatches] == [line]
    assert Decimal(mismatches[0].expected) == amount + Decimal("0.01")
    assert Decimal(mismatches[0].actual) == amount


def test_changed_amount_in_retail_floor_is_reported() -> None:
    """The retail plan's first commission, 1,020.00 USD, changed to 1,020.50."""
    path = ROOT / "plans" / "retail_floor.plan"
    text = path.read_text(encoding="utf-8")
    original = "expect ana sales_commission: 1,020.00 USD"
    assert text.count(original) == 1
    plan = incentives.load_plan(
        text.replace(original, "expect ana sales_commission: 1,020.50 USD"),
        filename="retail_floor_changed.plan",
    )
    outcomes = {o.title: o for o in incentives.run_examples(plan.ir)}
    first = outcomes["Full-timer above target: accelerator, bonus, SPIFF and CSAT kicker"]
    assert not first.passed
    assert [(m.payee, m.name, m.expected, m.actual) for m in first.mismatches] == [
        ("ana", "sales_commission", "1020.50", "1020.00")
    ]
    assert all(o.passed for title, o in outcomes.items() if o is not first)


@pytest.mark.parametrize("path", PLANS, ids=_ids(PLANS))
def test_bundled_plan_is_in_the_canonical_layout(path: Path) -> None:
    # What authors copy should already look the way `incentives fmt` writes it.
    text = path.read_text(encoding="utf-8")
    assert format_plan(parse_source(incentives.SourceFile(str(path), text))) == text
