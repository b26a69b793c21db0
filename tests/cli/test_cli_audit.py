"""``incentives audit DIR``: confirm or refute a payout from its bundle, with exit codes."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import incentives.report._audit as audit_module
from incentives.errors import DataError

from .cli_support import Invoke, Workspace

OUT = ("run", "t.plan", "--data", "data", "--period", "2026-03", "--out", "out")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_untouched_bundle_is_identical(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT, "--to", "2026-04").exit_code == 0
    result = invoke("audit", "out")
    assert result.exit_code == 0
    assert result.stdout == "identical: 6 statements, 8 outputs\n"
    assert result.stderr == ""


def test_the_bundle_alone_is_enough(
    invoke: Invoke,
    ws: Workspace,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert invoke(*OUT).exit_code == 0
    auditor = tmp_path_factory.mktemp("auditor")
    shutil.copytree("out", auditor / "bundle")
    monkeypatch.chdir(auditor)
    result = invoke("audit", "bundle")
    assert (result.exit_code, result.stdout) == (0, "identical: 3 statements, 5 outputs\n")


def test_a_changed_input_names_the_file_and_both_hashes(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT).exit_code == 0
    expected = sha(Path("out/inputs/ledger.csv"))
    ledger = Path("out/inputs/ledger.csv")
    ledger.write_bytes(
        ledger.read_bytes().replace(b"t3,2026-03-07,bob,300.00", b"t3,2026-03-07,bob,3000.00")
    )
    result = invoke("audit", "out")
    assert result.exit_code == 1
    assert result.stdout == (
        "input `ledger` differs: data/ledger.csv (read from out/inputs/ledger.csv)\n"
        f"  expected sha256 {expected}\n"
        f"  actual   sha256 {sha(ledger)}\n"
        "not re-run: 1 file is not the one the recorded run read\n"
    )


def test_a_missing_plan_copy(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT).exit_code == 0
    expected = sha(Path("t.plan"))
    Path("out/plan/t.plan").unlink()
    result = invoke("audit", "out")
    assert result.exit_code == 1
    assert result.stdout == (
        "plan missing: t.plan (read from out/plan/t.plan)\n"
        f"  expected sha256 {expected}\n"
        "  actual   missing\n"
        "not re-run: 1 file is not the one the recorded run read\n"
    )


def test_a_changed_payout_is_shown_per_period_payee_and_component(
    invoke: Invoke, ws: Workspace
) -> None:
    assert invoke(*OUT).exit_code == 0
    path = Path("out/outputs/statements.json")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"15.00"', '"1500.00"'), encoding="utf-8")
    result = invoke("audit", "out")
    assert result.exit_code == 1
    # the line is the first that differs in the file as written
    changed = 1 + text.splitlines().index(
        next(line for line in text.splitlines() if '"15.00"' in line)
    )
    assert result.stdout == (
        "outputs that differ:\n"
        "  outputs/statements.json: changed after the run (its SHA-256 is not the one "
        "recorded); differs from the re-run\n"
        f'    line {changed}, column 24: recorded `…       "amount": "1500.00",`, '
        'recomputed `…       "amount": "15.00",`\n'
        "amounts that differ (recorded vs recomputed):\n"
        "  period   payee  component     recorded  recomputed  in\n"
        "  2026-03  bob    c          1500.00 USD   15.00 USD  statements.json\n"
        "  2026-03  bob    total      1500.00 USD   15.00 USD  statements.json\n"
        "mismatch: 1 of 5 outputs differ (2 amounts)\n"
    )


def test_a_changed_statement_page(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT).exit_code == 0
    page = Path("out/outputs/statements/2026-03/alice.html")
    page.write_bytes(page.read_bytes().replace(b"37.48", b"73.48"))
    result = invoke("audit", "out")
    assert result.exit_code == 1
    assert result.stdout == (
        "outputs that differ:\n"
        "  outputs/statements/2026-03/alice.html: changed after the run (its SHA-256 is not "
        "the one recorded); differs from the re-run\n"
        '    line 38, column 33: recorded `…t><dd class="total">73.48 USD</dd>`, '
        'recomputed `…t><dd class="total">37.48 USD</dd>`\n'
        "mismatch: 1 of 5 outputs differ (0 amounts)\n"
    )


def test_no_copy_bundles_need_the_data(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT, "--no-copy").exit_code == 0
    result = invoke("audit", "out")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: `out` holds no copies of its inputs (it was written with --no-copy): "
        "give the directory holding them with --data DIR\n"
    )
    result = invoke("audit", "out", "--data", "data")
    assert (result.exit_code, result.stdout) == (0, "identical: 3 statements, 5 outputs\n")
    Path("data/roster.csv").write_text("payee,name\nalice,Alice\n", encoding="utf-8")
    result = invoke("audit", "out", "--data", "data")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "input `roster` differs: data/roster.csv (read from data/roster.csv)\n"
    )


def test_another_engine_version_is_a_warning(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke(*OUT).exit_code == 0
    recorded = json.loads(Path("out/manifest.json").read_text(encoding="utf-8"))["engine"]
    monkeypatch.setattr(audit_module, "__version__", "99.0.0")
    result = invoke("audit", "out")
    assert result.exit_code == 0
    assert result.stdout == "identical: 3 statements, 5 outputs\n"
    assert result.stderr == (
        f"warning: the bundle was written by incentives {recorded['version']}; "
        "this is incentives 99.0.0\n"
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "error: `out` is not an audit bundle: it has no manifest.json\n"),
        ("corrupt", "error: `out/manifest.json` is not a valid bundle manifest: not JSON"),
        ("nothing", "error: bundle `out` does not exist\n"),
    ],
)
def test_a_missing_or_corrupt_manifest_is_a_usage_error(
    invoke: Invoke, ws: Workspace, setup: str, message: str
) -> None:
    if setup != "nothing":
        assert invoke(*OUT).exit_code == 0
    if setup == "missing":
        Path("out/manifest.json").unlink()
    elif setup == "corrupt":
        Path("out/manifest.json").write_text('{"manifest_format": 2', encoding="utf-8")
    result = invoke("audit", "out")
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert result.stdout == ""


def test_audit_is_listed(invoke: Invoke) -> None:
    result = invoke("--help")
    assert "audit" in result.stdout
    assert "schema" in result.stdout
    assert "--data DIR" in invoke("audit", "--help").stdout


def test_inputs_this_engine_no_longer_accepts_are_a_finding(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke(*OUT).exit_code == 0

    def stricter(*args: object) -> None:
        raise DataError("1 problem in the data")

    monkeypatch.setattr(audit_module, "recorded_dataset", stricter)
    result = invoke("audit", "out")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: the recorded inputs no longer pass this engine's checks: 1 problem in the data\n"
    )


def test_a_plan_this_engine_no_longer_loads_is_a_finding(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke(*OUT).exit_code == 0
    monkeypatch.setattr(audit_module, "check_source", lambda source: (None, []))
    result = invoke("audit", "out")
    assert result.exit_code == 1
    assert result.stderr == "error: t.plan: the recorded plan no longer loads: no problems\n"


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_data_directory_that_does_not_exist_is_a_usage_error(
    invoke: Invoke, ws: Workspace, kind: str
) -> None:
    assert invoke(*OUT, "--no-copy").exit_code == 0
    if kind == "file":
        Path("nodir").write_text("", encoding="utf-8")
    result = invoke("audit", "out", "--data", "nodir")
    assert result.exit_code == 2
    what = "does not exist" if kind == "missing" else "is not a directory"
    assert result.stderr == f"error: data directory `nodir` {what}\n"
    assert result.stdout == ""
    run = invoke("run", "t.plan", "--data", "nodir", "--period", "2026-03")
    assert (run.exit_code, run.stderr) == (2, result.stderr)


def test_a_changed_amount_in_the_csv_is_shown_per_payee_and_component(
    invoke: Invoke, ws: Workspace
) -> None:
    assert invoke(*OUT).exit_code == 0
    path = Path("out/outputs/statements.csv")
    text = path.read_text(encoding="utf-8")
    assert ",15.00,USD\n" in text
    path.write_text(text.replace(",15.00,USD\n", ",1500.00,USD\n"), encoding="utf-8")
    result = invoke("audit", "out")
    assert result.exit_code == 1
    assert result.stdout == (
        "outputs that differ:\n"
        "  outputs/statements.csv: changed after the run (its SHA-256 is not the one "
        "recorded); differs from the re-run\n"
        "    line 5, column 49: recorded `…ission,commission,1500.00,USD`, "
        "recomputed `…ission,commission,15.00,USD`\n"
        "amounts that differ (recorded vs recomputed):\n"
        "  period   payee  component     recorded  recomputed  in\n"
        "  2026-03  bob    c          1500.00 USD   15.00 USD  statements.csv\n"
        "  2026-03  bob    total      1500.00 USD   15.00 USD  statements.csv\n"
        "mismatch: 1 of 5 outputs differ (2 amounts)\n"
    )


def _edit_manifest(edit: Callable[[dict[str, Any]], None]) -> None:
    path = Path("out/manifest.json")
    data = json.loads(path.read_bytes())
    edit(data)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def test_every_manifest_field_the_re_run_records_is_compared(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT).exit_code == 0

    def edit(data: dict[str, Any]) -> None:
        data["rows"]["read"] += 1
        data["decimal_context"]["precision"] = 28
        data["plan"]["version"] = "2"
        data["statements"][0]["payee"] = "mallory"
        data["run"]["copy_inputs"] = False

    _edit_manifest(edit)
    result = invoke("audit", "out")
    assert result.exit_code == 1
    first = json.loads(Path("out/manifest.json").read_bytes())["statements"][0]["file"]
    read = json.loads(Path("out/manifest.json").read_bytes())["rows"]["read"]
    assert result.stdout == (
        "manifest.json fields that differ from the re-run:\n"
        "  decimal_context.precision: recorded 28, recomputed 100\n"
        '  plan.version: recorded "2", recomputed "1"\n'
        f"  rows.read: recorded {read}, recomputed {read - 1}\n"
        "  run.copy_inputs: recorded false, recomputed true\n"
        f'  statements[{first}].payee: recorded "mallory", recomputed "alice"\n'
        "mismatch: 0 of 5 outputs differ (0 amounts); manifest.json: 5 differences\n"
    )


def test_a_manifest_laid_out_differently_is_not_identical(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT).exit_code == 0
    path = Path("out/manifest.json")
    path.write_text(json.dumps(json.loads(path.read_bytes())), encoding="utf-8")
    result = invoke("audit", "out")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "manifest.json fields that differ from the re-run:"
    assert lines[1].startswith("  not laid out as incentives writes it: line 1, column 2: ")
    assert lines[-1] == "mismatch: 0 of 5 outputs differ (0 amounts); manifest.json: 1 difference"


def test_a_manifest_output_hash_rewritten_with_the_file(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT).exit_code == 0
    page = Path("out/outputs/statements/2026-03/alice.html")
    page.write_bytes(page.read_bytes().replace(b"37.48", b"73.48"))

    def edit(data: dict[str, Any]) -> None:
        for entry in data["outputs"]:
            if entry["file"] == "outputs/statements/2026-03/alice.html":
                entry["sha256"] = sha(page)

    _edit_manifest(edit)
    result = invoke("audit", "out")
    assert result.exit_code == 1
    # Not "changed after the run": the manifest's hash was rewritten to match.
    assert result.stdout.startswith(
        "outputs that differ:\n  outputs/statements/2026-03/alice.html: differs from the re-run\n"
    )
    assert result.stdout.endswith("mismatch: 1 of 5 outputs differ (0 amounts)\n")


def test_an_amount_changed_in_both_statement_files_is_one_row(
    invoke: Invoke, ws: Workspace
) -> None:
    assert invoke(*OUT).exit_code == 0
    for name, old, new in [
        ("statements.json", '"15.00"', '"16.00"'),
        ("statements.csv", ",15.00,USD\n", ",16.00,USD\n"),
    ]:
        path = Path("out/outputs") / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = invoke("audit", "out")
    assert result.exit_code == 1
    assert (
        "amounts that differ (recorded vs recomputed):\n"
        "  period   payee  component   recorded  recomputed  in\n"
        "  2026-03  bob    c          16.00 USD   15.00 USD  statements.json, statements.csv\n"
        "  2026-03  bob    total      16.00 USD   15.00 USD  statements.json, statements.csv\n"
        "mismatch: 2 of 5 outputs differ (2 amounts)\n"
    ) in result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_input_replaced_by_a_device_is_not_read(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT).exit_code == 0
    ledger = next(Path("out/inputs").glob("ledger*"))
    ledger.unlink()
    ledger.symlink_to("/dev/zero")  # reading it would never end
    result = invoke("audit", "out")
    assert result.exit_code == 1
    assert "is a device, not a file" in result.stdout + result.stderr
