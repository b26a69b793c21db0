"""`run --closing` and `--opening`: a run split in two gives the bytes of the whole run,
and an audit bundle records and replays the opening state."""

from __future__ import annotations

import shutil
from pathlib import Path

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
