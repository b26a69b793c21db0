"""Invariants 1 and 2 (and the environment part of 5): same inputs, same bytes.

* 1 determinism: the same plan text and records give byte-identical
  ``model_dump_json()`` within one process, whether the plan
  and dataset are rebuilt or reused and whatever the caller's decimal
  context; and across two fresh interpreters that differ in
  ``PYTHONHASHSEED``, ``TZ``, ``LC_ALL``/``LANG`` and the caller's decimal
  context;
* 2 row-order invariance: permuting the ledger records (or the roster)
  leaves the output bytes unchanged.
"""

from __future__ import annotations

import decimal
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from property_helpers import run

import incentives
from strategies import PAYEES, PERIOD, PlanSpec, ledgers, plans, roster_records

_ROOT = Path(__file__).resolve().parents[2]


def _floor(spec: PlanSpec) -> int:
    return -2_000 if spec.accepts_negative_sales else 0


# ------------------------------------------------------------------ invariant 1


@given(plans(max_components=5), st.data())
def test_same_inputs_give_the_same_bytes(spec: PlanSpec, data: st.DataObject) -> None:
    ledger = data.draw(ledgers(min_amount=_floor(spec), max_size=20), label="ledger")
    text = spec.text()
    first = run(text, ledger).model_dump_json()
    # A fresh plan and dataset from the same text and records.
    second = run(text, [dict(r) for r in ledger]).model_dump_json()
    # One plan and one dataset, run twice.
    plan = incentives.load_plan(text)
    dataset = incentives.Dataset.from_records(ledger=ledger, roster=roster_records())
    third = plan.run(dataset, period=PERIOD).model_dump_json()
    fourth = plan.run(dataset, period=PERIOD).model_dump_json()
    # The caller's decimal context is not the engine's.
    with decimal.localcontext(prec=3, rounding=decimal.ROUND_DOWN) as ctx:
        ctx.traps[decimal.Inexact] = False
        fifth = plan.run(dataset, period=PERIOD).model_dump_json()
    assert first == second == third == fourth == fifth


# ------------------------------------------------------------------ invariant 2


@given(plans(max_components=5), st.data())
def test_ledger_row_order_does_not_matter(spec: PlanSpec, data: st.DataObject) -> None:
    ledger = data.draw(ledgers(min_amount=_floor(spec), max_size=20), label="ledger")
    shuffled = data.draw(st.permutations(ledger), label="shuffled ledger")
    roster = data.draw(st.permutations(roster_records(PAYEES)), label="shuffled roster")
    plan = incentives.load_plan(spec.text())
    original = run(plan, ledger).model_dump_json()
    assert run(plan, shuffled).model_dump_json() == original
    assert run(plan, shuffled, roster=roster).model_dump_json() == original


# ---------------------------------------------- invariant 1 across processes


_SCRIPT = textwrap.dedent(
    '''
    import decimal, hashlib, locale, os, sys
    from datetime import date
    from decimal import Decimal as D

    try:
        locale.setlocale(locale.LC_ALL, "")
    except locale.Error:
        pass
    import incentives

    PLAN = """plan "Retail" version "2026.1" currency USD period month
      rounding half_even to 0.01 on components
    ledger columns
      product: text
    measure sales = sum amount
    measure products = count distinct product
    quota target goal 30,000 USD prorate by fte and days active
    tiers accel marginal
      band at least 0% and below 50%: 2%
      band at least 50% and at most 100%: 4.5%
      band above 100%: 7.25%
    tiers step flat
      band below 3: 0 USD
      band at least 3: 150 USD
    commission main pays accel on sales against target
      cap at 4,000 USD
    commission per_line pays 0.75% of amount per line where product != "gift"
    bonus variety pays step at products
    multiplier kicker multiplies main by 105%
    total
      cap at 5,000 USD
    """

    names = ["zoe", "émile", "anna", "Bob", "o'neil", "chen", "dara", "ümit", "yann", "x1"]
    products = ["tv", "gift", "phone", "warranty", "care", "laptop"]
    roster = [
        {"payee": p, "fte": D(["1", "0.5", "0.75", "0.333"][i % 4]),
         "start_date": date(2026, 3, 1 + 3 * i) if i % 3 == 0 else None}
        for i, p in enumerate(names)
    ]
    ledger = []
    for i in range(60):
        cents = (i * 7919 + 13) % 2_500_000 - (150_000 if i % 11 == 0 else 0)
        ledger.append({
            "txn_id": f"T-{(i * 37) % 101:03d}",
            "date": date(2026, 3, 1 + (i * 5) % 31),
            "payee": names[(i * 3) % len(names)],
            "amount": D(cents).scaleb(-2),
            "currency": "USD",
            "product": products[(i * 5) % len(products)],
        })
    if os.environ.get("PROPERTY_REVERSE_ROWS") == "1":
        ledger.reverse()
        roster.reverse()
    data = incentives.Dataset.from_records(ledger=ledger, roster=roster)
    if os.environ.get("PROPERTY_CALLER_CONTEXT") == "odd":
        # Set only now: the records above are built exactly in the default context.
        ctx = decimal.getcontext()
        ctx.prec, ctx.rounding = 4, decimal.ROUND_FLOOR
        ctx.traps[decimal.Inexact] = False
    plan = incentives.load_plan(PLAN)
    out = plan.run(data, period="2026-03").model_dump_json().encode()
    sys.stdout.buffer.write(hashlib.sha256(out).hexdigest().encode() + b"\\n" + out)
    '''
)


def _run_script(tmp_path: Path, env_changes: dict[str, str]) -> bytes:
    script = tmp_path / "determinism_script.py"
    script.write_text(_SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PROPERTY_"))}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(_ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    env.update(env_changes)
    completed = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    return completed.stdout


def test_fresh_processes_in_different_environments_give_the_same_bytes(tmp_path: Path) -> None:
    first = _run_script(
        tmp_path,
        {"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C", "LANG": "C"},
    )
    other_environment = {
        "PYTHONHASHSEED": "2718281",
        "TZ": "Pacific/Kiritimati",
        "LC_ALL": "C.UTF-8",
        "LANG": "de_DE.UTF-8",
    }
    second = _run_script(tmp_path, other_environment)
    assert first == second
    # And with the rows reversed and an odd decimal context in the caller.
    third = _run_script(
        tmp_path,
        {**other_environment, "PROPERTY_CALLER_CONTEXT": "odd", "PROPERTY_REVERSE_ROWS": "1"},
    )
    assert first == third
    digest, _, body = first.partition(b"\n")
    assert hashlib.sha256(body).hexdigest().encode() == digest
    result = json.loads(body)
    # The script's data really exercises the plan: many payees, pay on most lines.
    assert len(result["statements"]) >= 8
    paid = [line for s in result["statements"] for line in s["lines"] if line["amount"] != "0.00"]
    assert len(paid) >= 10
