"""``incentives run --out DIR``: the files, the manifest, determinism and atomicity."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

import incentives
import incentives.cli.run as run_module
from incentives.money import PRECISION

from .cli_support import PLAN, Invoke, Workspace

OUT = ("run", "t.plan", "--data", "data", "--period", "2026-03", "--out", "out")
FILES = ["manifest.json", "statements.csv", "statements.json"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_writes_three_files_and_still_prints(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(*OUT, "--format", "csv")
    assert result.exit_code == 0
    assert sorted(os.listdir("out")) == FILES
    assert result.stdout == Path("out/statements.csv").read_text(encoding="utf-8")
    assert result.stderr == "wrote statements.json, statements.csv, manifest.json to out\n"
    full = json.loads(Path("out/statements.json").read_text(encoding="utf-8"))
    assert full["statements"][0]["lines"][0]["trace"]["kind"] == "component"
    assert full["statements"][0]["values"]["sales"]["value"] == "749.50"


def test_manifest_describes_the_run(invoke: Invoke, ws: Workspace) -> None:
    assert invoke(*OUT).exit_code == 0
    manifest = json.loads(Path("out/manifest.json").read_text(encoding="utf-8"))
    assert manifest == {
        "manifest_format": 1,
        "engine": {"name": "incentives", "version": incentives.__version__},
        "plan": {"file": "t.plan", "sha256": sha(Path("t.plan")), "name": "T", "version": "1"},
        "periods": ["2026-03"],
        "inputs": [
            {"table": "ledger", "file": "data/ledger.csv", "sha256": sha(Path("data/ledger.csv"))},
            {"table": "roster", "file": "data/roster.csv", "sha256": sha(Path("data/roster.csv"))},
        ],
        "decimal_context": {
            "precision": PRECISION,
            "description": f"{PRECISION} significant digits; half_even for inexact division; "
            "rounding of amounts only where the plan says",
        },
        "rounding": {"mode": "half_up", "unit": "0.01", "components": True, "lines": False},
        "rows": {
            "read": 6,
            "credited": 4,
            "excluded": {"dated outside the periods of this run": 2},
        },
        "outputs": [
            {
                "file": name,
                "sha256": sha(Path("out") / name),
                "bytes": (Path("out") / name).stat().st_size,
            }
            for name in ("statements.csv", "statements.json")
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
    assert sorted(os.listdir("a/b/c")) == FILES


def test_nothing_is_created_when_rendering_fails(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(run_module, "render_csv", broken)
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


def test_no_output_when_the_run_fails(invoke: Invoke, ws: Workspace) -> None:
    ws.data("bad_cells", "bad")
    result = invoke("run", "t.plan", "--data", "bad", "--period", "2026-03", "--out", "out")
    assert result.exit_code == 2
    assert not Path("out").exists()
