"""The README's first command: plans/retail_floor.plan on examples/retail for March 2026.

The expected statements below were worked out by hand from the CSV files; the
arithmetic is written out in examples/retail/README.md. Amounts are exact.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import incentives

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "plans" / "retail_floor.plan"
DATA = ROOT / "examples" / "retail"

#: payee → (target, sales, commission, bonus, SPIFF, CSAT kicker, total cap, total)
MARCH: dict[str, tuple[str, str, str, str, str, str, str | None, str]] = {
    "ana": ("19200.00", "55357.97", "2915.06", "200.00", "25.00", "311.51", "-451.57", "3000.00"),
    "ben": ("18000.00", "21106.94", "695.35", "200.00", "10.00", "0.00", None, "905.35"),
    "chloe": ("10800.00", "9162.96", "274.89", "0.00", "10.00", "27.49", None, "312.38"),
    "dev": ("8400.00", "5145.99", "154.38", "0.00", "0.00", "0.00", None, "154.38"),
    "emma": ("6096.77", "6192.99", "187.71", "200.00", "10.00", "0.00", None, "397.71"),
    "femi": ("6720.00", "0", "0.00", "0.00", "0.00", "0.00", None, "0.00"),
}


@pytest.fixture(scope="module")
def march() -> incentives.RunResult:
    plan = incentives.load_plan(PLAN)
    return plan.run(incentives.Dataset.from_dir(DATA), period="2026-03")


def test_march_statements(march: incentives.RunResult) -> None:
    assert [s.payee for s in march.statements] == sorted(MARCH)
    for statement in march.statements:
        target, sales, commission, bonus, spiff, kicker, cap, total = MARCH[statement.payee]
        assert statement.values["target"].value == target, statement.payee
        assert Decimal(statement.values["sales"].value or "") == Decimal(sales), statement.payee
        amounts = {line.component: line.amount for line in statement.lines}
        expected = {
            "sales_commission": Decimal(commission),
            "target_bonus": Decimal(bonus),
            "protection_spiff": Decimal(spiff),
            "csat_kicker": Decimal(kicker),
        }
        if cap is not None:
            expected["total_cap"] = Decimal(cap)
        assert amounts == expected, statement.payee
        assert statement.total == Decimal(total), statement.payee
        assert statement.total == sum(amounts.values())


def test_march_row_accounting(march: incentives.RunResult) -> None:
    rows = march.rows
    assert rows.read == 135
    assert rows.credited == 52
    assert rows.excluded == {
        "dated outside the periods of this run": 75,
        "the payee is on another plan": 6,
        "the payee was not active on the line's date": 2,
    }


def test_the_whole_quarter_runs() -> None:
    plan = incentives.load_plan(PLAN)
    result = plan.run(incentives.Dataset.from_dir(DATA), period="2026-01", to="2026-03")
    assert result.periods == ["2026-01", "2026-02", "2026-03"]
    # hana left on 20 February and emma started on 11 March
    by_period = {
        p: sorted(s.payee for s in result.statements if s.period == p) for p in result.periods
    }
    assert "hana" in by_period["2026-02"] and "hana" not in by_period["2026-03"]
    assert "emma" in by_period["2026-03"] and "emma" not in by_period["2026-02"]
    assert "gus" not in {s.payee for s in result.statements}
    assert result.rows.credited + sum(result.rows.excluded.values()) == result.rows.read


def test_readme_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """`incentives run plans/retail_floor.plan --data examples/retail --period 2026-03`."""
    cli = pytest.importorskip("incentives.cli")
    from click.testing import CliRunner

    monkeypatch.chdir(ROOT)
    args = ["run", "plans/retail_floor.plan", "--data", "examples/retail", "--period", "2026-03"]
    result = CliRunner().invoke(cli.cli, args)
    assert result.exit_code == 0, result.output
    assert "3000.00" in result.output
