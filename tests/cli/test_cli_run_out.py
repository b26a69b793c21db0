"""``incentives run --out DIR``: the bundle's files, the manifest, determinism and atomicity."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

import incentives
import incentives.report.bundle as bundle_module
from incentives.money import PRECISION
from incentives.report.manifest import dependency_versions

from .cli_support import PLAN, Invoke, Workspace

OUT = ("run", "t.plan", "--data", "data", "--period", "2026-03", "--out", "out")
HTML = [
    "outputs/statements/2026-03/alice.html",
    "outputs/statements/2026-03/bob.html",
    "outputs/statements/2026-03/mallory.html",
]
OUTPUTS = ["outputs/statements.csv", "outputs/statements.json", *HTML]
FILES = sorted(["manifest.json", "plan/t.plan", "inputs/ledger.csv", "inputs/roster.csv", *OUTPUTS])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_writes_the_bundle_and_still_prints(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(*OUT, "--format", "csv")
    assert result.exit_code == 0
    assert sorted(listing(Path("out"))) == FILES
    assert result.stdout == Path("out/outputs/statements.csv").read_text(encoding="utf-8")
    assert result.stderr == (
        "wrote out: plan/t.plan, 2 inputs copied, statements.json, statements.csv, "
        "3 HTML statements, manifest.json\n"
    )
    assert Path("out/plan/t.plan").read_bytes() == Path("t.plan").read_bytes()
    assert Path("out/inputs/ledger.csv").read_bytes() == Path("data/ledger.csv").read_bytes()
    full = json.loads(Path("out/outputs/statements.json").read_text(encoding="utf-8"))
    assert full["statements"][0]["lines"][0]["trace"]["kind"] == "component"
    assert full["statements"][0]["values"]["sales"]["value"] == "749.50"


def test_manifest_describes_the_run(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT).exit_code == 0
    manifest = json.loads(Path("out/manifest.json").read_text(encoding="utf-8"))
    assert manifest == {
        "manifest_format": 2,
        "engine": {"name": "incentives", "version": incentives.__version__},
        "dependencies": dependency_versions(),
        "run": {"plan": "t.plan", "data": "data", "copy_inputs": True},
        "plan": {
            "file": "t.plan",
            "sha256": sha(Path("t.plan")),
            "bytes": Path("t.plan").stat().st_size,
            "name": "T",
            "version": "1",
            "copy": "plan/t.plan",
        },
        "periods": ["2026-03"],
        "inputs": [
            {
                "table": table,
                "file": f"data/{table}.csv",
                "sha256": sha(Path(f"data/{table}.csv")),
                "copy": f"inputs/{table}.csv",
            }
            for table in ("ledger", "roster")
        ],
        "opening": None,
        "decimal_context": {
            "precision": PRECISION,
            "rounding": "ROUND_HALF_EVEN",
            "emin": -999999,
            "emax": 999999,
            "traps": ["DivisionByZero", "FloatOperation", "InvalidOperation", "Overflow"],
            "description": f"{PRECISION} significant digits; half_even for inexact division; "
            "rounding of amounts only where the plan says",
        },
        "rounding": {"mode": "half_up", "unit": "0.01", "components": True, "lines": False},
        "rows": {
            "read": 6,
            "credited": 4,
            "excluded": {"dated outside the periods of this run": 2},
            "unpaid_shares": [],
            "ignored_metrics": {},
        },
        "statements": [
            {
                "period": "2026-03",
                "payee": payee,
                "file": f"outputs/statements/2026-03/{payee}.html",
            }
            for payee in ("alice", "bob", "mallory")
        ],
        "outputs": [
            {
                "file": name,
                "sha256": sha(Path("out") / name),
                "bytes": (Path("out") / name).stat().st_size,
            }
            for name in OUTPUTS
        ],
    }


def test_manifest_hashes_the_plan_bytes_including_a_bom(invoke: Invoke, ws: Workspace) -> None:
    Path("t.plan").write_bytes(b"\xef\xbb\xbf" + PLAN.encode("utf-8"))
    assert invoke(*OUT).exit_code == 0
    manifest = json.loads(Path("out/manifest.json").read_text(encoding="utf-8"))
    assert manifest["plan"]["sha256"] == sha(Path("t.plan"))


def test_two_runs_give_identical_bytes_wherever_they_run(
    invoke: Invoke, ws: Workspace, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert invoke(*OUT).exit_code == 0
    first = listing(Path("out"))
    assert invoke(*OUT).exit_code == 0
    assert listing(Path("out")) == first
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy("t.plan", elsewhere / "t.plan")
    shutil.copytree("data", elsewhere / "data")
    os.chdir(elsewhere)
    assert invoke(*OUT).exit_code == 0
    assert listing(Path("out")) == first
    text = first["manifest.json"].decode("utf-8")
    assert str(ws.root) not in text
    assert str(elsewhere) not in text


def test_missing_directories_are_created(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("run", "t.plan", "--data", "data", "--period", "2026-03", "--out", "a/b/c")
    assert result.exit_code == 0
    assert sorted(listing(Path("a/b/c"))) == FILES


def test_nothing_is_created_when_rendering_fails(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(bundle_module, "render_csv", broken)
    result = invoke(*OUT)
    assert result.exit_code == 3
    assert not Path("out").exists()
    assert result.stdout == ""


def _fail_on_second_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def test_failure_midway_leaves_an_existing_directory_unchanged(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke(*OUT).exit_code == 0
    (Path("out") / "notes.txt").write_text("mine", encoding="utf-8")
    before = listing(Path("out"))
    ws.write("t.plan", PLAN.replace("5%", "6%"))
    _fail_on_second_fsync(monkeypatch)
    result = invoke(*OUT)
    assert result.exit_code == 2
    assert result.stderr == "error: cannot write the outputs to `out`: No space left on device\n"
    assert result.stdout == ""
    assert listing(Path("out")) == before


def test_failure_midway_leaves_no_new_directory(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_second_fsync(monkeypatch)
    result = invoke(*OUT)
    assert result.exit_code == 2
    assert not Path("out").exists()


def test_out_that_is_a_file_is_an_error(invoke: Invoke, ws: Workspace) -> None:
    Path("out").write_text("a file", encoding="utf-8")
    result = invoke(*OUT)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot write the outputs to `out`: ")
    assert Path("out").read_text(encoding="utf-8") == "a file"


def test_a_path_through_a_file_names_the_file(invoke: Invoke, ws: Workspace) -> None:
    Path("afile").write_text("a file", encoding="utf-8")
    result = invoke(*OUT[:-1], "afile/sub")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: cannot write the outputs to `afile/sub`: `afile` is a file, not a directory\n"
    )
    for command in (
        ("report", "t.plan", "--data", "data", "--as-of", "2026-03-12", "-o", "afile/x.html"),
        ("schema", "--output", "afile/x.json"),
        ("doc", "t.plan", "-o", "afile/x.md"),
    ):
        result = invoke(*command)
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: cannot write `{command[-1]}`: `afile` is a file, not a directory\n"
        )


def test_a_directory_in_the_way_of_the_manifest_is_named(invoke: Invoke, ws: Workspace) -> None:
    Path("blk/manifest.json").mkdir(parents=True)
    result = invoke(*OUT[:-1], "blk")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: cannot write the outputs to `blk`: `blk/manifest.json` is a directory\n"
    )


def test_no_output_when_the_run_fails(invoke: Invoke, ws: Workspace) -> None:
    ws.data("bad_cells", "bad")
    result = invoke("run", "t.plan", "--data", "bad", "--period", "2026-03", "--out", "out")
    assert result.exit_code == 2
    assert not Path("out").exists()


def test_no_copy_records_the_input_hashes_only(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(*OUT, "--no-copy")
    assert result.exit_code == 0
    assert "2 inputs hashed, not copied" in result.stderr
    assert sorted(listing(Path("out"))) == sorted(["manifest.json", "plan/t.plan", *OUTPUTS])
    manifest = json.loads(Path("out/manifest.json").read_text(encoding="utf-8"))
    assert manifest["run"]["copy_inputs"] is False
    assert [(i["file"], i["sha256"], i["copy"]) for i in manifest["inputs"]] == [
        ("data/ledger.csv", sha(Path("data/ledger.csv")), None),
        ("data/roster.csv", sha(Path("data/roster.csv")), None),
    ]


def test_no_copy_without_out_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("run", "t.plan", "--data", "data", "--period", "2026-03", "--no-copy")
    assert result.exit_code == 2
    assert "--no-copy only applies to --out" in result.stderr


def test_a_new_bundle_removes_the_files_of_the_previous_one(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT, "--to", "2026-04").exit_code == 0
    assert Path("out/outputs/statements/2026-04/alice.html").exists()
    Path("out/notes.txt").write_text("mine", encoding="utf-8")
    assert invoke(*OUT, "--no-copy").exit_code == 0
    assert sorted(listing(Path("out"))) == sorted(
        ["manifest.json", "notes.txt", "plan/t.plan", *OUTPUTS]
    )
    assert not Path("out/outputs/statements/2026-04").exists()
    assert not Path("out/inputs").exists()


def test_the_data_directory_is_recorded_as_given(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("run", "t.plan", "--data", "./data/", "--period", "2026-03", "--out", "out")
    assert result.exit_code == 0
    manifest = json.loads(Path("out/manifest.json").read_text(encoding="utf-8"))
    assert manifest["run"]["data"] == "./data/"
    assert manifest["inputs"][0]["file"] == "data/ledger.csv"
