"""A failed run leaves the output directory byte for byte as it was.

``incentives run … --out DIR`` first succeeds once; then every kind of
failure (a broken plan, broken data, a value that cannot be computed, a bad
period, a disk that fills up, a file name taken by a directory) must leave
DIR exactly as it was: same files, same bytes, no temporary files, and no
directory created where none was.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .support import DATA, PLANS, assert_no_traceback, cli_invoke, snapshot


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory with plans and datasets, and ``out/`` from one good run."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(DATA / "simple.plan", "simple.plan")
    shutil.copy(DATA / "quotas.plan", "quotas.plan")
    shutil.copy(PLANS / "e101_unknown_name.plan", "broken.plan")
    for case in ("extra_column", "decimal_forms_money_refuses", "zero_quota", "bom_crlf_quoted"):
        shutil.copytree(DATA / case, case)
    result = _run("simple.plan", "extra_column", "2026-03", "out")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert (tmp_path / "out" / "manifest.json").is_file()
    return tmp_path


def _run(plan: str, data: str, period: str, out: str) -> object:
    return cli_invoke("run", plan, "--data", data, "--period", period, "--out", out)


FAILURES = {
    "broken plan": (("broken.plan", "extra_column", "2026-03"), 1),
    "broken data": (("simple.plan", "decimal_forms_money_refuses", "2026-03"), 2),
    "value cannot be computed": (("quotas.plan", "zero_quota", "2026-03"), 1),
    "bad period": (("simple.plan", "extra_column", "2026-13"), 2),
    "missing data": (("simple.plan", "nope", "2026-03"), 2),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_run_leaves_the_outputs_untouched(work: Path, failure: str) -> None:
    (plan, data, period), code = FAILURES[failure]
    before = snapshot(work / "out")
    result = _run(plan, data, period, "out")
    assert result.exit_code == code, result.output  # type: ignore[attr-defined]
    assert_no_traceback(result.output)  # type: ignore[attr-defined]
    assert snapshot(work / "out") == before


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_run_creates_no_directory(work: Path, failure: str) -> None:
    (plan, data, period), _ = FAILURES[failure]
    _run(plan, data, period, "new/deeper/out")
    assert not (work / "new").exists()


def _fail_on_call(number: int, error: int) -> Callable[[int], None]:
    calls = {"n": 0}
    real = os.fsync

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == number:
            raise OSError(error, os.strerror(error))
        real(fd)

    return fsync


@pytest.mark.parametrize("failing_write", [1, 2, 3])
def test_a_full_disk_while_writing_leaves_the_outputs_untouched(
    work: Path, monkeypatch: pytest.MonkeyPatch, failing_write: int
) -> None:
    before = snapshot(work / "out")
    monkeypatch.setattr(os, "fsync", _fail_on_call(failing_write, errno.ENOSPC))
    result = _run("simple.plan", "bom_crlf_quoted", "2026-03", "out")
    monkeypatch.undo()
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert_no_traceback(result.output)  # type: ignore[attr-defined]
    assert "No space left" in result.stderr  # type: ignore[attr-defined]
    assert snapshot(work / "out") == before


def test_an_output_name_taken_by_a_directory_changes_nothing(work: Path) -> None:
    # manifest.json, published last, is a directory: publishing fails after
    # every other file could have been replaced. Nothing may change, and no
    # temporary file may stay behind.
    out = work / "out"
    (out / "manifest.json").unlink()
    (out / "manifest.json").mkdir()
    before = snapshot(out)
    result = _run("simple.plan", "bom_crlf_quoted", "2026-03", "out")
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert_no_traceback(result.output)  # type: ignore[attr-defined]
    after = snapshot(out)
    assert [name for name in after if name.endswith(".tmp")] == []
    assert after == before


def _hashed(manifest: object) -> list[dict[str, object]]:
    """Every entry of the manifest that carries a SHA-256."""
    found: list[dict[str, object]] = []
    stack = [manifest]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "sha256" in item:
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_a_successful_run_replaces_every_file_consistently(work: Path) -> None:
    before = snapshot(work / "out")
    result = _run("simple.plan", "bom_crlf_quoted", "2026-03", "out")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    after = snapshot(work / "out")
    assert after != before
    assert [name for name in after if name.endswith(".tmp")] == []
    manifest = json.loads(after["manifest.json"] or b"")
    checked = 0
    for entry in _hashed(manifest):
        name = entry.get("copy") or entry.get("file")
        data = after.get(str(name))
        if data is not None:
            assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name
            checked += 1
    assert checked, "the manifest names the files it hashes"


def test_hostile_names_are_inert_in_every_output(work: Path) -> None:
    # Names come from the roster: HTML must escape them, CSV must not let a
    # spreadsheet read them as formulas, the terminal table must not pass
    # control or direction characters through.
    data = work / "hostile"
    data.mkdir()
    (data / "ledger.csv").write_text(
        "txn_id,date,payee,amount,currency\n"
        "t1,2026-03-02,kim,100.00,USD\nt2,2026-03-02,lee,100.00,USD\n",
        encoding="utf-8",
    )
    (data / "roster.csv").write_text(
        'payee,name\nkim,"<script>alert(1)</script>"\n'
        'lee,"=HYPERLINK(""http://x"",""y"")\x1b[31m\u202eevil"\n',
        encoding="utf-8",
    )
    result = _run("simple.plan", "hostile", "2026-03", "bundle")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    files = snapshot(work / "bundle")
    html = [data for name, data in files.items() if name.endswith(".html") and data]
    assert html and not any(b"<script>alert" in page for page in html)
    csv_files = [data for name, data in files.items() if name.endswith(".csv") and data]
    statements = [d for n, d in files.items() if n.endswith("statements.csv") and d]
    assert statements and all(
        b",=HYPERLINK" not in d and b',"=HYPERLINK' not in d for d in statements
    )
    assert csv_files
    table = cli_invoke("run", "simple.plan", "--data", "hostile", "--period", "2026-03")
    assert table.exit_code == 0
    assert "\x1b" not in table.stdout and "\u202e" not in table.stdout


@pytest.mark.parametrize("stale", ["evil/keep.txt", "../victim/keep.txt", "/victim/keep.txt"])
def test_a_rerun_never_deletes_outside_the_bundle(work: Path, stale: str) -> None:
    # The old manifest names the files to clean up; an edited one must not
    # make a re-run delete through a link, a `..` or an absolute path.
    victim = work / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious", encoding="utf-8")
    (work / "out" / "evil").symlink_to(victim)
    name = stale.replace("/victim", str(victim)) if stale.startswith("/") else stale
    manifest = {"plan": {"copy": name}, "inputs": [], "outputs": []}
    (work / "out" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = _run("simple.plan", "extra_column", "2026-03", "out")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "precious"
