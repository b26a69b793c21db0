#!/usr/bin/env python3
"""How fast a plan is applied to a ledger, and how much memory it takes.

    python benchmarks/run_bench.py            # 20k, 40k, 80k and 160k ledger lines
    python benchmarks/run_bench.py --quick    # 5k and 10k lines, a few seconds
    python benchmarks/run_bench.py --plan part_time_year

Generates a synthetic dataset for one of the bundled plans (``retail_floor``:
a monthly plan with quotas, metrics, tiers, a SPIFF and a multiplier, one
month; ``part_time_year``: a stateful plan with a clawback, a draw and a
quarterly true-up, evaluated for six months from its start), writes it as
CSV to a temporary directory, and measures, at each size:

* ``read``: reading and validating the CSV files (``Plan.validate``, the
  first step of ``Plan.run``);
* ``run``: the whole ``Plan.run`` (validation, stages 1–4, results);
* ``json``: rendering the results as canonical JSON with traces;
* peak memory of the run (``tracemalloc``, Python allocations only).

Times are CPU seconds of this process (steadier than wall time on a shared
machine), the best of ``--repeat`` runs. Each size doubles the previous one;
the ratio column is t(2n) / t(n): about 2 means linear. Nothing here
asserts; the figures are for people and for tracking over time.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import incentives  # noqa: E402
from incentives.report.statements_json import render_run_json  # noqa: E402

CATEGORIES = ("tv", "audio", "appliance", "accessory", "protection")


def _payees(lines: int) -> list[str]:
    return [f"p{i:05d}" for i in range(max(4, lines // 200))]


def retail(folder: Path, lines: int, rng: random.Random) -> tuple[str, str | None]:
    payees = _payees(lines)
    with (folder / "roster.csv").open("w", encoding="utf-8") as out:
        out.write("payee,name,role,manager,fte,start_date,end_date,plan\n")
        for p in payees:
            out.write(f"{p},Payee {p},Sales associate,,1,2024-01-01,,\n")
    with (folder / "quotas.csv").open("w", encoding="utf-8") as out:
        out.write("payee,period,amount,currency\n")
        for p in payees:
            out.write(f"{p},2026-Q1,45000.00,USD\n")
    with (folder / "metrics.csv").open("w", encoding="utf-8") as out:
        out.write("payee,period,name,value\n")
        for p in payees:
            out.write(f"{p},2026-03,csat,4.{rng.randint(0, 9)}\n")
    with (folder / "ledger.csv").open("w", encoding="utf-8") as out:
        out.write("txn_id,date,payee,amount,currency,units,category\n")
        for i in range(lines):
            amount = Decimal(rng.randint(1000, 300000)).scaleb(-2)
            units = rng.randint(1, 4)
            if rng.random() < 0.05:
                amount, units = -amount, -units
            out.write(
                f"T{i:07d},2026-03-{rng.randint(1, 31):02d},{rng.choice(payees)},{amount},USD,"
                f"{units},{rng.choice(CATEGORIES)}\n"
            )
    return "2026-03", None


def part_time_year(folder: Path, lines: int, rng: random.Random) -> tuple[str, str | None]:
    payees = _payees(lines)
    with (folder / "roster.csv").open("w", encoding="utf-8") as out:
        out.write("payee,name,role,manager,fte,start_date,end_date,plan\n")
        for k, p in enumerate(payees):
            start = "2026-02-02" if k % 5 == 0 else "2025-06-01"
            out.write(f"{p},Payee {p},Associate,,0.5,{start},,\n")
    with (folder / "ledger.csv").open("w", encoding="utf-8") as out:
        out.write("txn_id,date,payee,amount,currency,kind,original\n")
        sales: list[tuple[int, str, int]] = []
        for i in range(lines):
            month = rng.randint(1, 6)
            payee = rng.choice(payees)
            if sales and rng.random() < 0.05:
                j, who, m = rng.choice(sales)
                back = min(6, m + 1)
                out.write(f"T{i:07d},2026-{back:02d}-28,{who},-100.00,USD,refund,T{j:07d}\n")
                continue
            amount = Decimal(rng.randint(10000, 200000)).scaleb(-2)
            out.write(f"T{i:07d},2026-{month:02d}-{rng.randint(1, 28):02d},{payee},{amount},USD,"
                      "sale,\n")  # fmt: skip
            sales.append((i, payee, month))
    return "2026-01", "2026-06"


DATASETS: dict[str, Callable[[Path, int, random.Random], tuple[str, str | None]]] = {
    "retail_floor": retail,
    "part_time_year": part_time_year,
}


def _cpu(work: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = work()
        best = min(best, time.process_time() - start)
    return best, result


def measure(plan_name: str, lines: int, repeat: int) -> dict[str, float]:
    plan = incentives.load_plan(ROOT / "plans" / f"{plan_name}.plan")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first, last = DATASETS[plan_name](folder, lines, random.Random(lines))
        data = incentives.Dataset.from_dir(folder)
        read, _ = _cpu(lambda: plan.validate(data), repeat)
        run, result = _cpu(lambda: plan.run(data, period=first, to=last), repeat)
        assert isinstance(result, incentives.RunResult)
        json, text = _cpu(lambda: render_run_json(result, trace=True), repeat)
        tracemalloc.start()
        plan.run(data, period=first, to=last)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "read": read,
        "run": run,
        "json": json,
        "peak_mib": peak / (1024 * 1024),
        "statements": float(len(result.statements)),
        "json_mib": len(text) / (1024 * 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", choices=sorted(DATASETS), default="retail_floor")
    parser.add_argument("--quick", action="store_true", help="5k and 10k lines only")
    parser.add_argument("--repeat", type=int, default=2, help="runs per figure (best kept)")
    args = parser.parse_args()
    sizes = [5_000, 10_000] if args.quick else [20_000, 40_000, 80_000, 160_000]
    print(f"plan {args.plan}; CPU seconds, best of {args.repeat}")
    header = (
        f"{'lines':>8} {'payees':>7} {'stmts':>6} {'read s':>8} {'run s':>8} {'ratio':>6} "
        f"{'lines/s':>9} {'json s':>7} {'json MiB':>8} {'peak MiB':>8}"
    )
    print(header)
    previous: float | None = None
    for lines in sizes:
        m = measure(args.plan, lines, args.repeat)
        ratio = f"{m['run'] / previous:.2f}" if previous else "-"
        previous = m["run"]
        print(
            f"{lines:>8} {len(_payees(lines)):>7} {int(m['statements']):>6} {m['read']:>8.2f} "
            f"{m['run']:>8.2f} {ratio:>6} {lines / m['run']:>9.0f} {m['json']:>7.2f} "
            f"{m['json_mib']:>8.1f} {m['peak_mib']:>8.1f}"
        )


if __name__ == "__main__":
    main()
