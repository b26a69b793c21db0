"""report.bundle: writing an audit bundle and auditing it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from report_samples import LEDGER, PLAN, ROSTER

import incentives
from incentives.errors import UsageError
from incentives.report import bundle as bundle_module
from incentives.report.bundle import (
    MANIFEST,
    STATEMENTS_JSON,
    AuditReport,
    audit_bundle,
    build_bundle,
    statement_file,
    write_bundle,
)
from incentives.report.manifest import render_manifest, sha256_hex

ROOT = Path(__file__).parents[3]
BASIC = ROOT / "tests" / "cli" / "data" / "basic"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with ``t.plan`` and ``data/``."""
    monkeypatch.chdir(tmp_path)
    Path("t.plan").write_text(PLAN, encoding="utf-8", newline="\n")
    shutil.copytree(BASIC, "data")
    return tmp_path


def bundle(out: str = "out", *, copy: bool = True, to: str | None = None) -> None:
    plan = incentives.load_plan("t.plan")
    data = incentives.Dataset.from_dir("data")
    result = plan.run(data, period="2026-03", to=to)
    write_bundle(out, plan, data, result, data_dir="data", copy_inputs=copy)


def files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def edit_manifest(path: Path, **changes: object) -> None:
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        target = manifest
        for parent in parents:
            target = target[parent]
        target[key] = value
    # Laid out as incentives writes it: an audit compares the manifest's bytes too.
    (path / MANIFEST).write_text(render_manifest(manifest), encoding="utf-8")


# ----------------------------------------------------------------- layout


@pytest.mark.parametrize(
    ("payee", "stem"),
    [
        ("alice", "alice"),
        ("a.b_c-1", "a.b_c-1"),
        ("Alice", "alice-"),
        ("../etc/passwd", "etc-passwd-"),
        ("con", "con-"),
        ("lpt1.txt", "lpt1-txt-"),
        ("Zoë Ünal", "zo-nal-"),
        ("東京", "x-"),
        ("trailing.", "trailing-"),
    ],
)
def test_statement_file_names_are_portable(payee: str, stem: str) -> None:
    path = statement_file("2026-03", payee)
    assert path.startswith("outputs/statements/2026-03/")
    name = path.rsplit("/", 1)[1]
    assert name.startswith(stem)
    assert name.endswith(".html")
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name)
    if stem != payee:
        assert name == f"{stem.rstrip('-')}-{sha256_hex(payee.encode())[:12]}.html".lstrip("-")


def test_ids_differing_in_case_get_different_files() -> None:
    names = {statement_file("2026-03", p).casefold() for p in ("ana", "Ana", "ANA", "aNa")}
    assert len(names) == 4


def test_layout_and_publishing_order(ws: Path) -> None:
    plan = incentives.load_plan("t.plan")
    data = incentives.Dataset.from_dir("data")
    built = build_bundle(plan, data, plan.run(data, period="2026-03"), data_dir="data")
    assert [name for name, _ in built.files] == [
        "plan/t.plan",
        "inputs/ledger.csv",
        "inputs/roster.csv",
        "outputs/statements.json",
        "outputs/statements.csv",
        "outputs/statements/2026-03/alice.html",
        "outputs/statements/2026-03/bob.html",
        "outputs/statements/2026-03/mallory.html",
        "manifest.json",
    ]
    assert (built.inputs, built.copied, built.statements, built.outputs) == (2, True, 3, 5)
    contents = dict(built.files)
    assert contents["plan/t.plan"] == Path("t.plan").read_bytes()
    assert contents["inputs/roster.csv"] == Path("data/roster.csv").read_bytes()


def test_two_bundles_from_different_working_directories_are_identical(
    ws: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    bundle()
    first = files(ws / "out")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy("t.plan", elsewhere / "t.plan")
    shutil.copytree("data", elsewhere / "data")
    os.chdir(elsewhere)
    bundle()
    second = files(elsewhere / "out")
    assert second == first
    for data in first.values():
        assert str(ws).encode() not in data
        assert str(elsewhere).encode() not in data


def test_a_plan_from_text_or_records_cannot_be_bundled(ws: Path) -> None:
    plan = incentives.load_plan(PLAN, filename="t.plan")
    data = incentives.Dataset.from_dir("data")
    with pytest.raises(UsageError, match="plan read from a file"):
        build_bundle(plan, data, plan.run(data, period="2026-03"))
    plan = incentives.load_plan("t.plan")
    records = incentives.Dataset.from_records(ledger=LEDGER, roster=ROSTER)
    with pytest.raises(UsageError, match="inputs read from files"):
        build_bundle(plan, records, plan.run(records, period="2026-03"))


def test_files_that_changed_during_the_run_are_refused(ws: Path) -> None:
    plan = incentives.load_plan("t.plan")
    data = incentives.Dataset.from_dir("data")
    result = plan.run(data, period="2026-03")
    Path("data/roster.csv").write_bytes(Path("data/roster.csv").read_bytes() + b"zed,Zed\n")
    with pytest.raises(UsageError, match=r"data/roster\.csv: the input changed"):
        build_bundle(plan, data, result)
    assert build_bundle(plan, data, result, copy_inputs=False).inputs == 2
    Path("t.plan").write_text(PLAN + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"t\.plan: the plan changed"):
        build_bundle(plan, data, result, copy_inputs=False)


# ------------------------------------------------------------------ audit


def test_an_untouched_bundle_is_identical(ws: Path) -> None:
    bundle(to="2026-04")
    report = audit_bundle("out")
    assert report == AuditReport("out", statements=6, outputs=8)
    assert report.identical


def test_an_auditor_needs_only_the_bundle(
    ws: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    bundle()
    auditor = tmp_path_factory.mktemp("auditor")
    shutil.copytree("out", auditor / "received")
    os.chdir(auditor)
    assert audit_bundle("received").identical


def test_a_changed_input_copy_is_named_with_both_hashes(ws: Path) -> None:
    bundle()
    expected = sha256_hex(Path("out/inputs/ledger.csv").read_bytes())
    changed = Path("out/inputs/ledger.csv").read_bytes().replace(b"1000.00", b"9000.00")
    Path("out/inputs/ledger.csv").write_bytes(changed)
    report = audit_bundle("out")
    assert not report.identical
    [mismatch] = report.mismatches
    assert (mismatch.role, mismatch.file, mismatch.path) == (
        "ledger",
        "data/ledger.csv",
        os.path.join("out", "inputs", "ledger.csv"),
    )
    assert (mismatch.expected, mismatch.actual, mismatch.problem) == (
        expected,
        sha256_hex(changed),
        "differs",
    )
    assert report.statements == 0  # nothing is re-run on inputs that are not the run's


def test_a_missing_input_or_plan_copy(ws: Path) -> None:
    bundle()
    Path("out/inputs/roster.csv").unlink()
    Path("out/plan/t.plan").write_text(PLAN.replace("5%", "6%"), encoding="utf-8")
    report = audit_bundle("out")
    assert [(m.role, m.problem, m.actual) for m in report.mismatches] == [
        ("plan", "differs", sha256_hex(PLAN.replace("5%", "6%").encode())),
        ("roster", "missing", None),
    ]


def test_a_changed_output_shows_the_amounts(ws: Path) -> None:
    bundle()
    path = Path("out") / STATEMENTS_JSON
    path.write_text(path.read_text(encoding="utf-8").replace('"37.48"', '"137.48"'), "utf-8")
    report = audit_bundle("out")
    assert not report.identical
    assert [(f.file, f.reasons) for f in report.files] == [
        (
            "outputs/statements.json",
            (
                "changed after the run (its SHA-256 is not the one recorded)",
                "differs from the re-run",
            ),
        )
    ]
    assert [(a.period, a.payee, a.component, a.recorded, a.recomputed) for a in report.amounts] == [
        ("2026-03", "alice", "c", "137.48 USD", "37.48 USD"),
        ("2026-03", "alice", "total", "137.48 USD", "37.48 USD"),
    ]


def test_a_changed_page_differs_without_an_amount(ws: Path) -> None:
    bundle()
    page = Path("out/outputs/statements/2026-03/bob.html")
    page.write_bytes(page.read_bytes().replace(b"Bob Baker", b"Robert Baker"))
    report = audit_bundle("out")
    assert [f.file for f in report.files] == ["outputs/statements/2026-03/bob.html"]
    assert report.amounts == ()
    assert report.notes == ()
    first = report.files[0].first
    assert first is not None and first.startswith("line ")
    assert "Robert Baker" in first.split("recomputed")[0] and "Bob Baker" in first


def test_a_missing_or_extra_output(ws: Path) -> None:
    bundle()
    Path("out/outputs/statements/2026-03/bob.html").unlink()
    Path("out/outputs/statements/2026-03/zed.html").write_text("x", encoding="utf-8")
    report = audit_bundle("out")
    assert [(f.file, f.reasons) for f in report.files] == [
        ("outputs/statements/2026-03/bob.html", ("missing from the bundle",))
    ]
    assert report.warnings == (
        "outputs/statements/2026-03/zed.html is not named by the manifest; not audited",
    )


def test_a_recomputed_payout_that_differs(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle()
    real = bundle_module.render_outputs

    def changed(result: incentives.RunResult) -> dict[str, bytes]:
        outputs = real(result)
        outputs["outputs/statements.csv"] += b"extra\n"
        return outputs

    monkeypatch.setattr(bundle_module, "render_outputs", changed)
    report = audit_bundle("out")
    assert [(f.file, f.reasons) for f in report.files] == [
        ("outputs/statements.csv", ("differs from the re-run",))
    ]


def test_other_versions_are_warnings(ws: Path) -> None:
    # A bundle as an older engine wrote it: its version in the manifest and the results.
    bundle()
    path = Path("out") / STATEMENTS_JSON
    engine = f'"engine": "incentives {incentives.__version__}"'
    path.write_text(
        path.read_text("utf-8").replace(engine, '"engine": "incentives 0.0.1"'), "utf-8"
    )
    manifest = json.loads(Path("out/manifest.json").read_text(encoding="utf-8"))
    outputs = manifest["outputs"]
    for entry in outputs:
        if entry["file"] == STATEMENTS_JSON:
            entry["sha256"] = sha256_hex(path.read_bytes())
    edit_manifest(Path("out"), engine__version="0.0.1", dependencies__lark="0.1", outputs=outputs)
    report = audit_bundle("out")
    assert report.identical
    assert report.warnings[0] == (
        f"the bundle was written by incentives 0.0.1; this is incentives {incentives.__version__}"
    )
    assert report.warnings[1].startswith("lark was 0.1, is now ")


def test_no_copy_needs_the_data(ws: Path) -> None:
    bundle(copy=False)
    with pytest.raises(UsageError, match="holds no copies of its inputs"):
        audit_bundle("out")
    assert audit_bundle("out", data_dir="data").identical
    shutil.copy("data/roster.csv", "data/quotas.csv")
    report = audit_bundle("out", data_dir="data")
    assert report.identical
    assert report.warnings == (
        f"{os.path.join('data', 'quotas.csv')} was not an input of the recorded run; ignored",
    )


def test_changed_data_given_by_the_auditor(ws: Path) -> None:
    bundle(copy=False)
    Path("data/ledger.csv").write_text("txn_id\n", encoding="utf-8")
    [mismatch] = audit_bundle("out", data_dir="data").mismatches
    assert mismatch.path == os.path.join("data", "ledger.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "is not an audit bundle: it has no manifest.json"),
        ("{", "is not a valid bundle manifest: not JSON"),
        ("[]", "not a JSON object"),
        ('{"manifest_format": 1}', "manifest_format is 1; this incentives audits format 2"),
        ('{"manifest_format": 2}', "engine: Field required"),
    ],
)
def test_a_missing_or_corrupt_manifest(ws: Path, text: str | None, message: str) -> None:
    bundle()
    if text is None:
        Path("out/manifest.json").unlink()
    else:
        Path("out/manifest.json").write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        audit_bundle("out")


@pytest.mark.parametrize(
    "change",
    [
        {"plan__copy": "../t.plan"},
        {"plan__copy": "/etc/passwd"},
        {"plan__sha256": "ABC"},
        {"periods": []},
        {"periods": ["2026-03", "2026-05"]},
    ],
)
def test_a_manifest_that_points_outside_or_lies_is_corrupt(
    ws: Path, change: dict[str, object]
) -> None:
    bundle()
    edit_manifest(Path("out"), **change)
    with pytest.raises(UsageError, match="is not a valid bundle manifest"):
        audit_bundle("out")


def test_no_such_bundle(ws: Path) -> None:
    with pytest.raises(UsageError, match="bundle `nowhere` does not exist"):
        audit_bundle("nowhere")


@pytest.mark.parametrize(
    ("plan_file", "data_dir", "first"),
    [
        ("plans/retail_floor.plan", "examples/retail", "2026-01"),
        ("plans/field_team.plan", "examples/team", "2026-03"),
    ],
)
def test_the_examples_audit_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan_file: str, data_dir: str, first: str
) -> None:
    monkeypatch.chdir(ROOT)
    plan = incentives.load_plan(plan_file)
    data = incentives.Dataset.from_dir(data_dir)
    result = plan.run(data, period=first, to="2026-03")
    write_bundle(tmp_path / "b", plan, data, result, data_dir=data_dir)
    monkeypatch.chdir(tmp_path)
    report = audit_bundle("b")
    assert report.identical
    assert report.statements == len(result.statements)
