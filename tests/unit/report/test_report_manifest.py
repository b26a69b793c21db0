"""report.manifest: what the manifest holds, and that it is the same every time."""

from __future__ import annotations

import dataclasses
import decimal
import hashlib
import json
import platform
from importlib import metadata

from report_samples import LEDGER, PLAN, ROSTER

import incentives
from incentives.money import PRECISION, evaluation_context
from incentives.report.manifest import (
    DEPENDENCIES,
    MANIFEST_FORMAT,
    build_manifest,
    decimal_context,
    dependency_versions,
    render_manifest,
    sha256_hex,
)


def _manifest(rounding: bool = True) -> dict[str, object]:
    plan = incentives.load_plan(PLAN, filename="t.plan")
    compiled = plan.ir if rounding else dataclasses.replace(plan.ir, rounding=None)
    data = incentives.Dataset.from_records(ledger=LEDGER, roster=ROSTER)
    run = plan.run(data, period="2026-03")
    return build_manifest(
        plan_file="plans/t.plan",
        plan_bytes=PLAN.encode("utf-8"),
        plan=compiled,
        dataset=data,
        result=run,
        outputs={"z.csv": b"z", "a.json": b"{}"},
    )


def test_sha256_hex() -> None:
    assert sha256_hex(b"") == hashlib.sha256(b"").hexdigest()


def test_contents() -> None:
    manifest = _manifest()
    data = incentives.Dataset.from_records(ledger=LEDGER, roster=ROSTER)
    assert manifest["manifest_format"] == MANIFEST_FORMAT
    assert manifest["engine"] == {"name": "incentives", "version": incentives.__version__}
    assert manifest["dependencies"] == dependency_versions()
    assert manifest["run"] == {"plan": "plans/t.plan", "data": None, "copy_inputs": False}
    assert manifest["plan"] == {
        "file": "plans/t.plan",
        "sha256": hashlib.sha256(PLAN.encode("utf-8")).hexdigest(),
        "bytes": len(PLAN.encode("utf-8")),
        "name": "T",
        "version": "1",
        "copy": None,
    }
    assert manifest["periods"] == ["2026-03"]
    assert manifest["inputs"] == [
        {
            "table": "ledger",
            "file": "<records:ledger>",
            "sha256": data.sha256["ledger"],
            "copy": None,
        },
        {
            "table": "roster",
            "file": "<records:roster>",
            "sha256": data.sha256["roster"],
            "copy": None,
        },
    ]
    assert manifest["decimal_context"] == decimal_context()
    assert manifest["statements"] == []
    assert manifest["rounding"] == {
        "mode": "half_up",
        "unit": "0.01",
        "components": True,
        "lines": False,
    }
    assert manifest["rows"] == {
        "read": 4,
        "credited": 3,
        "excluded": {"dated outside the periods of this run": 1},
        "unpaid_shares": [],
        "ignored_metrics": {},
    }
    assert manifest["outputs"] == [
        {"file": "a.json", "sha256": sha256_hex(b"{}"), "bytes": 2},
        {"file": "z.csv", "sha256": sha256_hex(b"z"), "bytes": 1},
    ]


def test_same_inputs_same_bytes() -> None:
    text = render_manifest(_manifest())
    assert text == render_manifest(_manifest())
    assert text.endswith("}\n")
    assert json.loads(text) == _manifest()


def test_no_plan_rounding_is_null() -> None:
    assert _manifest(rounding=False)["rounding"] is None


def test_bundle_fields() -> None:
    plan = incentives.load_plan(PLAN, filename="t.plan")
    data = incentives.Dataset.from_records(ledger=LEDGER, roster=ROSTER)
    manifest = build_manifest(
        plan_file="plans/t.plan",
        plan_bytes=PLAN.encode("utf-8"),
        plan=plan.ir,
        dataset=data,
        result=plan.run(data, period="2026-03"),
        outputs={},
        data_dir="data",
        plan_copy="plan/t.plan",
        input_copies={"ledger": "inputs/ledger.csv", "roster": "inputs/roster.csv"},
        statements=[{"period": "2026-03", "payee": "alice", "file": "x.html"}],
    )
    assert manifest["run"] == {"plan": "plans/t.plan", "data": "data", "copy_inputs": True}
    assert manifest["plan"]["copy"] == "plan/t.plan"
    assert [i["copy"] for i in manifest["inputs"]] == ["inputs/ledger.csv", "inputs/roster.csv"]
    assert manifest["statements"] == [{"period": "2026-03", "payee": "alice", "file": "x.html"}]


def test_dependency_versions() -> None:
    versions = dependency_versions()
    assert list(versions) == [*DEPENDENCIES, "python"]
    assert versions["jinja2"] == metadata.version("Jinja2")
    assert versions["python"].endswith(platform.python_version())


def test_decimal_context_is_the_engines() -> None:
    with evaluation_context() as ctx:
        assert decimal_context()["precision"] == ctx.prec == PRECISION
        assert decimal_context()["rounding"] == ctx.rounding == decimal.ROUND_HALF_EVEN
    assert "FloatOperation" in decimal_context()["traps"]
