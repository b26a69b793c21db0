"""report.manifest: what the manifest holds, and that it is the same every time."""

from __future__ import annotations

import dataclasses
import hashlib
import json

from report_samples import LEDGER, PLAN, ROSTER

import incentives
from incentives.report.manifest import MANIFEST_FORMAT, build_manifest, render_manifest, sha256_hex


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
    assert manifest["plan"] == {
        "file": "plans/t.plan",
        "sha256": hashlib.sha256(PLAN.encode("utf-8")).hexdigest(),
        "name": "T",
        "version": "1",
    }
    assert manifest["periods"] == ["2026-03"]
    assert manifest["inputs"] == [
        {"table": "ledger", "file": "<records:ledger>", "sha256": data.sha256["ledger"]},
        {"table": "roster", "file": "<records:roster>", "sha256": data.sha256["roster"]},
    ]
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
