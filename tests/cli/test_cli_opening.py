"""`run --closing` and `--opening`: a run split in two gives the bytes of the whole run,
and an audit bundle records and replays the opening state."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from incentives.results.state import MAX_PROBLEMS, state_digest

from .cli_support import Invoke

ROOT = Path(__file__).resolve().parents[2]
PLAN = "plans/part_time_year.plan"
DATA = "examples/part_time_year"


def _copy(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    shutil.copy(ROOT / PLAN, tmp_path / PLAN)
    shutil.copytree(ROOT / DATA, tmp_path / DATA)
    return tmp_path


def test_a_run_split_in_two_equals_the_whole(
    invoke: Invoke, tmp_path: Path, monkeypatch: object
) -> None:
    monkeypatch.chdir(_copy(tmp_path))  # type: ignore[attr-defined]
    base = [PLAN, "--data", DATA, "--format", "csv"]
    first = invoke("run", *base, "--period", "2026-01", "--to", "2026-05", "--closing", "s.json")
    assert first.exit_code == 0, first.stderr
    second = invoke("run", *base, "--period", "2026-06", "--to", "2026-12", "--opening", "s.json")
    assert second.exit_code == 0, second.stderr
    whole = invoke("run", *base, "--period", "2026-01", "--to", "2026-12")
    header, *rows = second.stdout.splitlines(keepends=True)
    assert first.stdout + "".join(rows) == whole.stdout
    assert header == whole.stdout.splitlines(keepends=True)[0]


def test_the_bundle_records_and_replays_the_opening(
    invoke: Invoke, tmp_path: Path, monkeypatch: object
) -> None:
    monkeypatch.chdir(_copy(tmp_path))  # type: ignore[attr-defined]
    base = [PLAN, "--data", DATA]
    invoke("run", *base, "--period", "2026-01", "--to", "2026-03", "--closing", "s.json")
    out = invoke("run", *base, "--period", "2026-04", "--opening", "s.json", "--out", "bundle")
    assert out.exit_code == 0, out.stderr
    assert (tmp_path / "bundle" / "inputs" / "opening.json").read_bytes() == (
        tmp_path / "s.json"
    ).read_bytes()
    audit = invoke("audit", "bundle")
    assert audit.exit_code == 0, audit.stdout + audit.stderr
    (tmp_path / "bundle" / "inputs" / "opening.json").write_text("{}", encoding="utf-8")
    tampered = invoke("audit", "bundle")
    assert tampered.exit_code == 1
    assert "opening" in tampered.stdout + tampered.stderr


def test_opening_errors_are_usage_errors(
    invoke: Invoke, tmp_path: Path, monkeypatch: object
) -> None:
    monkeypatch.chdir(_copy(tmp_path))  # type: ignore[attr-defined]
    base = [PLAN, "--data", DATA]
    missing = invoke("run", *base, "--period", "2026-02", "--opening", "nope.json")
    assert missing.exit_code == 2 and "nope.json" in missing.stderr
    (tmp_path / "bad.json").write_text("[1, 2]", encoding="utf-8")
    bad = invoke("run", *base, "--period", "2026-02", "--opening", "bad.json")
    assert bad.exit_code == 2 and "not an opening state" in bad.stderr
    invoke("run", *base, "--period", "2026-01", "--closing", "s.json")
    wrong = invoke("run", *base, "--period", "2026-03", "--opening", "s.json")
    assert wrong.exit_code == 2 and "2026-02" in wrong.stderr
    (tmp_path / "flat.plan").write_text(
        'plan "Flat" version "1" currency USD period month rounding half_up to 0.01 on components\n'
        "measure sales = sum amount\ncommission c pays 5% of sales\n",
        encoding="utf-8",
    )
    stateless = invoke("run", "flat.plan", "--data", DATA, "--period", "2026-01", "--closing", "x")
    assert stateless.exit_code == 2 and "carries nothing" in stateless.stderr


def _state(tmp_path: Path, invoke: Invoke) -> dict[str, Any]:
    args = [PLAN, "--data", DATA, "--period", "2026-01", "--to", "2026-03"]
    assert invoke("run", *args, "--closing", "s.json").exit_code == 0
    data: dict[str, Any] = json.loads((tmp_path / "s.json").read_bytes())
    return data


def _write(path: Path, data: dict[str, Any], *, rehash: bool) -> None:
    """Write a state as `--closing` lays it out, with its SHA-256 recomputed (a forgery)."""
    if rehash:
        data = {**data, "sha256": state_digest(data)}
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def test_an_amount_too_large_is_refused_not_an_internal_error(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    data = _state(tmp_path, invoke)
    for earning in data["payees"]["ana"]["earnings"]:
        earning["amount"] = "9" * 60
    _write(tmp_path / "big.json", data, rehash=True)
    result = invoke("run", PLAN, "--data", DATA, "--period", "2026-04", "--opening", "big.json")
    assert result.exit_code == 2, result.stderr
    assert "internal error" not in result.stderr
    assert (
        "  big.json: payees.ana.earnings[0].amount: `99999999999999999999…` has 60 digits "
        "before the point; at most 18 are allowed" in result.stderr
    )


def test_floats_and_exponents_are_refused_with_their_json_paths(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    data = _state(tmp_path, invoke)
    data["payees"]["ana"]["draws"]["new_hire"] = 1.5
    data["payees"]["ana"]["earnings"][0]["amount"] = "1e3"
    data["payees"]["ben"]["earnings"][1]["line_amount"] = 0.1
    del data["payees"]["cara"]["held"]
    _write(tmp_path / "f.json", data, rehash=True)
    result = invoke("run", PLAN, "--data", DATA, "--period", "2026-04", "--opening", "f.json")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: f.json: not an opening state written by `incentives run --closing` "
        "(4 problems); write it again with `incentives run … --closing FILE`\n"
        "  f.json: payees.ana.draws.new_hire: `1.5` is a JSON number, not an amount; write "
        'amounts as strings of plain decimal text ("1234.50"): a number may have been a '
        "binary float\n"
        "  f.json: payees.ana.earnings[0].amount: `1e3` is not a plain decimal number; write "
        'digits with an optional `.`, like "1234.50" (no exponent, no spaces)\n'
        "  f.json: payees.ben.earnings[1].line_amount: `0.1` is a JSON number, not an amount; "
        'write amounts as strings of plain decimal text ("1234.50"): a number may have been '
        "a binary float\n"
        "  f.json: payees.cara.held: missing; every key `--closing` writes is required\n"
    )


def test_problems_listed_are_limited(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    data = _state(tmp_path, invoke)
    earnings = data["payees"]["ana"]["earnings"]
    for earning in earnings:
        earning["amount"] = 1
    _write(tmp_path / "n.json", data, rehash=False)
    result = invoke("run", PLAN, "--data", DATA, "--period", "2026-04", "--opening", "n.json")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(earnings) > MAX_PROBLEMS
    assert f"({len(earnings)} problems)" in lines[0]
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert lines[-1] == f"  n.json: … and {len(earnings) - MAX_PROBLEMS} more problems"


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda d: d.pop("payees"), id="payees deleted"),
        pytest.param(lambda d: d.update(payees={}), id="payees emptied"),
        pytest.param(lambda d: d["payees"]["ana"]["draws"].update(new_hire="50.00"), id="amount"),
        pytest.param(lambda d: d.pop("sha256"), id="no hash"),
        pytest.param(lambda d: d["payees"].pop("ben"), id="payee deleted"),
    ],
)
def test_a_state_changed_after_it_was_written_is_refused(
    invoke: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edit: Callable[[dict[str, Any]], object],
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    data = _state(tmp_path, invoke)
    edit(data)
    _write(tmp_path / "e.json", data, rehash=False)
    result = invoke("run", PLAN, "--data", DATA, "--period", "2026-04", "--opening", "e.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(
        ("error: e.json: the state was changed after `incentives run --closing` wrote it",
         "error: e.json: not an opening state written by `incentives run --closing`")
    ), result.stderr  # fmt: skip
    if "payees" not in data or "sha256" not in data:
        assert "missing; every key `--closing` writes is required" in result.stderr


def test_the_state_file_records_its_own_hash(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    data = _state(tmp_path, invoke)
    written = (tmp_path / "s.json").read_bytes()
    # The digest is that of the file's own bytes without its sha256 line.
    rest = b"".join(
        line for line in written.splitlines(keepends=True) if not line.startswith(b'  "sha256": ')
    )
    assert data["sha256"] == hashlib.sha256(rest).hexdigest()
    assert data["state_format"] == 1
    # Laid out differently, the content (and so its hash) is the same: accepted.
    (tmp_path / "compact.json").write_text(json.dumps(data), encoding="utf-8")
    base = [PLAN, "--data", DATA, "--period", "2026-04", "--format", "csv"]
    compact = invoke("run", *base, "--opening", "compact.json")
    assert compact.exit_code == 0, compact.stderr
    assert compact.stdout == invoke("run", *base, "--opening", "s.json").stdout
    # The same run writes the same bytes.
    again = [PLAN, "--data", DATA, "--period", "2026-01", "--to", "2026-03"]
    assert invoke("run", *again, "--closing", "s2.json").exit_code == 0
    assert (tmp_path / "s2.json").read_bytes() == written


def test_every_amount_the_engine_writes_reads_back(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    ledger = tmp_path / DATA / "ledger.csv"
    # 4% of 195.000000000001 is 7.80000000000004: 14 digits after the point.
    ledger.write_bytes(ledger.read_bytes().replace(b",ana,195.00,", b",ana,195.000000000001,", 1))
    data = _state(tmp_path, invoke)
    # a line's earning is its share of what the component paid, in whole cents
    assert data["payees"]["ana"]["earnings"][0]["amount"] == "7.80"
    base = [PLAN, "--data", DATA, "--format", "csv"]
    split = invoke("run", *base, "--period", "2026-04", "--opening", "s.json")
    assert split.exit_code == 0, split.stderr
    whole = invoke("run", *base, "--period", "2026-01", "--to", "2026-04")
    assert whole.stdout.endswith("".join(split.stdout.splitlines(keepends=True)[1:]))


def test_an_audit_of_a_bundle_whose_opening_no_longer_reads_is_a_finding(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    _state(tmp_path, invoke)
    base = [PLAN, "--data", DATA, "--period", "2026-04", "--opening", "s.json"]
    assert invoke("run", *base, "--out", "bundle").exit_code == 0
    opening = tmp_path / "bundle" / "inputs" / "opening.json"
    data = json.loads(opening.read_bytes())
    data["payees"]["ana"]["draws"]["new_hire"] = 1.5
    _write(opening, data, rehash=True)
    manifest = tmp_path / "bundle" / "manifest.json"
    recorded = json.loads(manifest.read_bytes())
    recorded["opening"]["sha256"] = hashlib.sha256(opening.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    result = invoke("audit", "bundle")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: the recorded inputs no longer pass this engine's checks: s.json: not an "
        "opening state written by `incentives run --closing` (1 problem)"
    )
    assert "\n  s.json: payees.ana.draws.new_hire: `1.5` is a JSON number" in result.stderr


HOLDS = """\
plan "Holds" version "1" currency USD period month rounding half_up to 0.01 on components
  starts 2026-01-01
ledger columns
  paid_on: date optional
measure sales = sum amount
commission c
  pays 10% of sales
  hold back 20% for 3 periods
commission d
  pays 5% of sales
  hold back 50% until paid_on
upon termination
  holdbacks released
"""


def _holds(tmp_path: Path, invoke: Invoke) -> dict[str, Any]:
    """The closing state after 2026-02 of a plan holding back for 3 periods and until paid_on."""
    ledger = tmp_path / DATA / "ledger.csv"
    header, *rows = ledger.read_text(encoding="utf-8").splitlines()
    ledger.write_text("\n".join([f"{header},paid_on", *(f"{r}," for r in rows)]) + "\n")
    (tmp_path / "holds.plan").write_text(HOLDS, encoding="utf-8")
    args = ["holds.plan", "--data", DATA, "--period", "2026-01", "--to", "2026-02"]
    assert invoke("run", *args, "--closing", "s.json").exit_code == 0
    data: dict[str, Any] = json.loads((tmp_path / "s.json").read_bytes())
    return data


def test_a_state_of_a_renamed_component_is_refused_not_an_internal_error(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The state of an earlier version of the plan, whose `c` is now `c2`: its
    # held amounts were once an internal error (KeyError) when they fell due.
    monkeypatch.chdir(_copy(tmp_path))
    _holds(tmp_path, invoke)
    renamed = HOLDS.replace("commission c\n", "commission c2\n")
    (tmp_path / "renamed.plan").write_text(renamed, encoding="utf-8")
    args = ["renamed.plan", "--data", DATA, "--period", "2026-03", "--to", "2026-04"]
    result = invoke("run", *args, "--opening", "s.json")
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert "internal error" not in result.stderr
    first, *details = result.stderr.splitlines()
    assert first.startswith(
        "error: s.json: the opening state does not fit this plan (“Holds”) and roster "
        "(10 problems); a state written by another version of the plan may name what this "
        "one does not have"
    )
    assert details[0] == (
        "  s.json: payees.ana.held[0].component: `c` is not a component of this plan that "
        "holds back (it holds back `c2`, `d`)"
    )
    assert len(details) == 10
    assert all("component: `c` is not a component" in line for line in details)


def test_names_the_plan_does_not_have_are_refused_with_their_json_paths(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    data = _state(tmp_path, invoke)
    ana = data["payees"]["ana"]
    item = {"amount": "10.00", "component": "zzz", "held_in": "2026-02", "release_date": None,
            "release_period": "2026-04", "txn_id": None, "waiting": False}  # fmt: skip
    ana["held"] = [item, {**item, "component": "refunds"}]  # a clawback, not a component
    ana["draws"]["old_draw"] = "5.00"
    ana["caps"]["sales_commission"] = {"horizon": "2026-Q1", "paid": "1.00", "withheld": "0.00"}
    ana["true_ups"]["sales_commission"] = {"horizon": "2026-Q1", "paid": "1.00"}
    ana["true_ups"]["quarterly"]["horizon"] = "2026-03"
    ana["earnings"][0]["component"] = "quarterly"
    data["payees"]["zed"] = data["payees"]["cara"]
    _write(tmp_path / "x.json", data, rehash=True)
    result = invoke("run", PLAN, "--data", DATA, "--period", "2026-04", "--opening", "x.json")
    assert result.exit_code == 2
    first, *details = result.stderr.splitlines()
    assert "(8 problems)" in first
    assert "\n".join(details) == (
        "  x.json: payees.ana.draws.old_draw: `old_draw` is not a draw of this plan (its "
        "draws: `new_hire`)\n"
        "  x.json: payees.ana.held[0].component: `zzz` is not a component of this plan that "
        "holds back (it holds back nothing)\n"
        "  x.json: payees.ana.held[1].component: `refunds` is not a component of this plan "
        "that holds back (it holds back nothing)\n"
        "  x.json: payees.ana.caps.sales_commission: `sales_commission` is not capped over a "
        "horizon in this plan (it caps nothing)\n"
        "  x.json: payees.ana.true_ups.quarterly.horizon: `2026-03` is not a quarter, the "
        "horizon of `quarterly` (labelled like 2026-Q1)\n"
        "  x.json: payees.ana.true_ups.sales_commission: `sales_commission` is not a component "
        "of this plan that trues up (it trues up `quarterly`)\n"
        "  x.json: payees.ana.earnings[0].component: `quarterly` is not a component that a "
        "clawback of this plan reverses (its clawbacks reverse `sales_commission`)\n"
        "  x.json: payees.zed: payee `zed` is not in the roster; a payee who has left stays in "
        "it, with an end_date"
    )


def test_held_items_the_engine_never_writes_are_refused(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    data = _holds(tmp_path, invoke)
    held = data["payees"]["ana"]["held"]
    assert [(h["component"], h["held_in"]) for h in held[:2]] == [
        ("c", "2026-01"),
        ("d", "2026-01"),
    ]
    held[0]["release_period"] = "2026-13"
    held[1]["txn_id"] = None  # held until paid_on, for no line, yet waiting
    held[2]["release_period"] = "2026-05"
    held[3]["waiting"] = False  # for a line with no date yet, not waiting
    held[4]["amount"] = "-5.00"
    later = next(
        i for i, h in enumerate(held) if (h["component"], h["held_in"]) == ("c", "2026-02")
    )
    held[later].update(release_period="2026-W10", txn_id="T0001")
    held.append(dict(held[5]))
    ben = data["payees"]["ben"]["held"][0]
    ben.update(held_in="2026-03", release_period="2026-01")
    _write(tmp_path / "x.json", data, rehash=True)
    args = ["holds.plan", "--data", DATA, "--period", "2026-03", "--opening", "x.json"]
    result = invoke("run", *args)
    assert result.exit_code == 2
    first, *details = result.stderr.splitlines()
    assert "(10 problems)" in first
    assert "\n".join(details) == (
        "  x.json: payees.ana.held[0].release_period: `2026-13` is not a pay period of this "
        "plan (a month, labelled like 2026-03)\n"
        "  x.json: payees.ana.held[1].waiting: expected false, found true: held for no line "
        "(no line earned it), it waits for the termination rule\n"
        "  x.json: payees.ana.held[2].release_period: expected null, found `2026-05`: `d` is "
        "released line by line when `paid_on` is reached\n"
        "  x.json: payees.ana.held[3].waiting: expected true, found false: an amount held for "
        "a line waits exactly while it has no release date\n"
        "  x.json: payees.ana.held[4].amount: a held amount is more than zero; found -5.00\n"
        f"  x.json: payees.ana.held[{later}].txn_id: expected null, found `T0001`: `c` is "
        "released 3 period(s) after it is held\n"
        f"  x.json: payees.ana.held[{later}].release_period: `2026-W10` is not a pay period of "
        "this plan (a month, labelled like 2026-03)\n"
        f"  x.json: payees.ana.held[{len(held) - 1}]: the same component, period held in and "
        "line as held[5]; an amount is held back once per component, period and line\n"
        "  x.json: payees.ben.held[0].held_in: `2026-03` begins after 2026-02, the period the "
        "state is after\n"
        "  x.json: payees.ben.held[0].release_period: `2026-01` is not after 2026-03, the "
        "period it was held in"
    )


def test_problems_against_the_plan_listed_are_limited(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    data = _holds(tmp_path, invoke)
    held = data["payees"]["ana"]["held"]
    for item in held:
        item["amount"] = "0.00"
    _write(tmp_path / "z.json", data, rehash=True)
    args = ["holds.plan", "--data", DATA, "--period", "2026-03", "--opening", "z.json"]
    result = invoke("run", *args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(held) > MAX_PROBLEMS
    assert f"({len(held)} problems)" in lines[0]
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert lines[-1] == f"  z.json: … and {len(held) - MAX_PROBLEMS} more problems"


def test_a_run_of_held_amounts_split_anywhere_equals_the_whole(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Held items of every shape (for N periods, until a line's date, waiting for
    # it) read back from the file and pass the checks against the plan.
    monkeypatch.chdir(_copy(tmp_path))
    _holds(tmp_path, invoke)
    base = ["holds.plan", "--data", DATA, "--format", "csv"]
    whole = invoke("run", *base, "--period", "2026-01", "--to", "2026-06")
    assert whole.exit_code == 0, whole.stderr
    for cut in ("2026-02", "2026-04"):
        first = invoke("run", *base, "--period", "2026-01", "--to", cut, "--closing", "c.json")
        after = f"2026-0{int(cut[-1]) + 1}"
        second = invoke("run", *base, "--period", after, "--to", "2026-06", "--opening", "c.json")
        assert second.exit_code == 0, second.stderr
        assert first.stdout + "".join(second.stdout.splitlines(keepends=True)[1:]) == whole.stdout


def test_a_bundle_that_cannot_be_written_leaves_the_closing_state_as_it_was(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    base = [PLAN, "--data", DATA, "--closing", "s.json", "--out", "out"]
    assert invoke("run", *base, "--period", "2026-01").exit_code == 0
    before = (tmp_path / "s.json").read_bytes()
    (tmp_path / "out" / "manifest.json").unlink()
    (tmp_path / "out" / "manifest.json").mkdir()  # the bundle cannot be written
    result = invoke("run", *base, "--period", "2026-02")
    assert result.exit_code == 2
    assert (tmp_path / "s.json").read_bytes() == before
