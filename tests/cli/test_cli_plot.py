"""``incentives plot``: the curve as CSV, SVG and PNG, deterministic, and its usage errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import incentives.cli.plot as plot_module

from .cli_support import Invoke, Workspace

ROOT = Path(__file__).resolve().parents[2]

#: 5% up to 10,000 and 8% above; a bonus at 100% of a 10,000 goal; a cap.
CURVE_PLAN = """\
plan "Curve" version "1" currency USD period month rounding half_up to 0.01 on components
measure sales = sum amount
quota target
  goal 10,000 USD per month
let attainment = sales / target
tiers rates marginal
  band below 100%: 5%
  band at least 100%: 8%
commission c "Commission" pays rates on sales against target
  cap at 1,000 USD
bonus b "Target bonus" pays 250 USD when attainment >= 100%
"""

QUOTA = ("plot", "curve.plan", "--quota", "10,000", "--period", "2026-03")

CSV = """\
attainment,sales,total,c,b
0%,0.00,0.00,0.00,0.00
25%,2500.00,125.00,125.00,0.00
50%,5000.00,250.00,250.00,0.00
75%,7500.00,375.00,375.00,0.00
100%,10000.00,750.00,500.00,250.00
125%,12500.00,950.00,700.00,250.00
150%,15000.00,1150.00,900.00,250.00
175%,17500.00,1250.00,1000.00,250.00
200%,20000.00,1250.00,1000.00,250.00
"""


@pytest.fixture
def curve(ws: Workspace) -> Workspace:
    ws.write("curve.plan", CURVE_PLAN)
    return ws


def test_csv_points_by_hand(invoke: Invoke, curve: Workspace) -> None:
    # 17,500: 500 + 8% x 7,500 = 1,100, capped at 1,000
    result = invoke(*QUOTA, "--steps", "8", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == CSV
    assert result.stderr == ""


def test_csv_needs_no_matplotlib(
    invoke: Invoke, curve: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = invoke(*QUOTA, "--steps", "8", "--output", "points.csv")
    assert result.exit_code == 0
    assert (curve.root / "points.csv").read_text(encoding="utf-8") == CSV
    assert result.stderr == "wrote points.csv\n"


def test_svg_is_deterministic_and_marks_the_curve(invoke: Invoke, curve: Workspace) -> None:
    first = invoke(*QUOTA)
    second = invoke(*QUOTA)
    assert first.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    svg = first.stdout_bytes.decode("utf-8")
    assert svg.startswith("<?xml")
    assert "<title>Curve: a full-time payee, 2026-03</title>" in svg
    for text in ("rates 100%", "c cap 1,000 USD", "attainment, % of 10,000 USD of sales"):
        assert text in svg
    assert "<dc:date>" not in svg
    assert "Matplotlib" not in svg
    assert "http://matplotlib" not in svg


def test_png_file_is_deterministic(invoke: Invoke, curve: Workspace) -> None:
    assert invoke(*QUOTA, "--output", "a.png").exit_code == 0
    assert invoke(*QUOTA, "--output", "b.png", "--component", "c").exit_code == 0
    assert invoke(*QUOTA, "--output", "c.png", "--component", "c").exit_code == 0
    a, b, c = ((curve.root / f"{n}.png").read_bytes() for n in "abc")
    assert a.startswith(b"\x89PNG\r\n\x1a\n")
    assert b == c
    assert a != b
    assert b"Matplotlib" not in a


def test_format_follows_the_file_name(invoke: Invoke, curve: Workspace) -> None:
    assert invoke(*QUOTA, "-o", "out/curve.svg").exit_code == 0
    assert (curve.root / "out" / "curve.svg").read_bytes().startswith(b"<?xml")
    result = invoke(*QUOTA, "-o", "curve.txt")
    assert result.exit_code == 2
    assert "name a .svg, .png or .csv file, or give --format" in result.stderr
    assert invoke(*QUOTA, "-o", "curve.txt", "--format", "csv").exit_code == 0


def test_missing_matplotlib_is_a_usage_error(
    invoke: Invoke, curve: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = invoke(*QUOTA, "--output", "curve.svg")
    assert result.exit_code == 2
    assert "install incentives[plot]" in result.stderr
    assert not (curve.root / "curve.svg").exists()


def test_png_is_not_written_to_a_terminal(
    invoke: Invoke, curve: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plot_module, "is_terminal", lambda: True)
    result = invoke(*QUOTA, "--format", "png")
    assert result.exit_code == 2
    assert "--output FILE.png" in result.stderr


def test_a_real_payee(invoke: Invoke, ws: Workspace) -> None:
    # t.plan has no quota: 100% is the --quota given; alice's own sales are replaced
    args = ("plot", "t.plan", "--payee", "alice", "--data", "data", "--period", "2026-03")
    result = invoke(*args, "--quota", "1000", "--steps", "2", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "attainment,sales,total,c,b\n"
        "0%,0.00,0.00,0.00,0.00\n"
        "100%,1000.00,150.00,50.00,100.00\n"
        "200%,2000.00,230.00,130.00,100.00\n"
    )
    result = invoke(*args, "--format", "csv")
    assert result.exit_code == 2
    assert "the plan has no quota: give --quota AMOUNT" in result.stderr
    result = invoke(*args[:-1], "2026-05", "--quota", "1000", "--format", "csv")
    assert result.exit_code == 0  # alice is active in May too, with no sales
    result = invoke("plot", "t.plan", "--payee", "zoe", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 2
    assert "no payee `zoe` in the roster" in result.stderr


def test_the_retail_plan_for_a_payee(invoke: Invoke, ws: Workspace) -> None:
    plan = str(ROOT / "plans" / "retail_floor.plan")
    data = str(ROOT / "examples" / "retail")
    result = invoke(
        "plot", plan, "--payee", "emma", "--data", data, "--period", "2026-03",
        "--steps", "2", "--format", "csv", "--metric", "csat=4.6",
    )  # fmt: skip
    assert result.exit_code == 0
    # target 6,096.77; at 100%: 182.90 + 200.00, and the CSAT 4.6 kicker: 10% of 382.90
    assert result.stdout.splitlines()[2] == "100%,6096.77,421.19,182.90,200.00,0.00,38.29"


def test_a_plan_that_splits_by_the_splits_table(invoke: Invoke, ws: Workspace) -> None:
    # the synthetic payee's line is split by no row: an empty splits table, not a refusal
    plan = str(ROOT / "plans" / "field_team.plan")
    result = invoke("plot", plan, "--quota", "50000", "--steps", "2", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    # 4% x 50,000 = 2,000 and the region's first place, 1,000
    assert result.stdout.splitlines()[2] == "100%,50000.00,3000.00,2000.00,0.00,0.00,1000.00"
    # a real payee: their split history and the fx rates come from the data
    data = str(ROOT / "examples" / "team")
    args = ("plot", plan, "--data", data, "--period", "2026-03", "--steps", "2", "--format", "csv")
    result = invoke(*args, "--payee", "ana")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2] == "100%,50000.00,3000.00,2000.00,0.00,0.00,1000.00"
    result = invoke(*args, "--payee", "lea")  # paid in euros: the curve stays in USD
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2] == "100%,50000.00,3000.00,2000.00,0.00,0.00,1000.00"


def test_a_note_when_the_plans_quota_is_not_the_reference(invoke: Invoke, curve: Workspace) -> None:
    result = invoke(
        "plot", "curve.plan", "--quota", "20000 USD", "--period", "2026-03", "--format", "csv",
        "--steps", "1",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr == (
        "note: the plan's quota `target` is 10,000 USD for plot in 2026-03; "
        "attainment on the curve is sales ÷ 20,000 USD\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--quota", "9" * 44),
            f"error: --quota {'9' * 44}: it has 44 digits; at most 30 are allowed",
        ),
        (
            ("--quota", "0." + "0" * 32 + "1"),
            f"error: --quota 0.{'0' * 32}1: it has 33 digits; at most 30 are allowed",
        ),
        (
            ("--quota", "20000.123456789012345"),
            "error: --quota 20000.123456789012345: it has 15 digits after the point",
        ),
        (("--quota", "10", "--field", "fte=2"), "error: --field fte=2: `2` is not between 0"),
    ],
)
def test_the_retail_plan_refuses_a_quota_as_written(
    invoke: Invoke, ws: Workspace, args: tuple[str, ...], message: str
) -> None:
    plan = str(ROOT / "plans" / "retail_floor.plan")
    result = invoke("plot", plan, *args, "-o", "c.csv")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(message)
    assert "<records:" not in result.stderr and "internal error" not in result.stderr


def test_a_large_quota_is_not_scaled_into_the_data(invoke: Invoke, ws: Workspace) -> None:
    plan = str(ROOT / "plans" / "retail_floor.plan")
    result = invoke("plot", plan, "--quota", "1,000,000,000", "--steps", "2", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2].startswith("100%,1000000000.00,")
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give --quota AMOUNT, or --payee ID with --data DIR and --period P"),
        (("--payee", "alice"), "--payee needs --data DIR and --period P"),
        (("--quota", "ten"), "--quota ten: write an amount in USD"),
        (("--quota", "10 EUR"), "--quota 10 EUR: write an amount in USD"),
        (("--quota", "0"), "the quota must be more than 0"),
        (("--quota", "10"), "the plan has no example to take a period from: give --period P"),
        (("--quota", "10", "--period", "2026-Q1"), "is a quarter, but this plan pays by month"),
        (("--quota", "10", "--period", "2026-03", "--steps", "0"), "--steps"),
        (("--quota", "10", "--period", "2026-03", "--metric", "csat"), "write NAME=VALUE"),
        (("--quota", "10", "--period", "2026-03", "--field", "a=1", "--field", "a=2"), "twice"),
        (("--quota", "10", "--period", "2026-03", "--component", "x"), "no component `x`"),
        (("--quota", "10", "--data", "data"), "--data is for --payee"),
        (
            ("--payee", "alice", "--data", "data", "--period", "2026-03", "--field", "fte=1"),
            "--field is for --quota",
        ),
    ],
)
def test_usage_errors(
    invoke: Invoke, curve: Workspace, args: tuple[str, ...], message: str
) -> None:
    result = invoke("plot", "curve.plan", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
