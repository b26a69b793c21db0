"""The run manifest: what an auditor needs to re-run a payout and compare bytes.

Contract: :func:`build_manifest` describes a run from its inputs and outputs
only: the engine version, the plan file (its name as the user gave it and the
SHA-256 of its bytes), the plan's name and version, the periods run, every
input table (file as given and SHA-256), the decimal context the engine
computes in, the plan's rounding policy, the row accounting, and the name and
SHA-256 of every output file. It holds no clock time, host, user, absolute
path the user did not type, or anything else that changes between two runs
of the same inputs, so :func:`render_manifest` gives byte-identical text for
them (canonical JSON: sorted keys, two-space indent, final newline).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from incentives._version import __version__
from incentives.compile import ir
from incentives.data import Dataset
from incentives.money import PRECISION, format_decimal
from incentives.report.statements_json import dump_json
from incentives.results import RunResult

__all__ = ["MANIFEST_FORMAT", "build_manifest", "render_manifest", "sha256_hex"]

#: Version of the manifest's layout; bumped when a key changes meaning.
MANIFEST_FORMAT = 1


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def build_manifest(
    *,
    plan_file: str,
    plan_bytes: bytes,
    plan: ir.Plan,
    dataset: Dataset,
    result: RunResult,
    outputs: Mapping[str, bytes],
) -> dict[str, Any]:
    """The manifest of one run, as plain JSON data.

    Args:
        plan_file: the plan's path exactly as the user gave it.
        plan_bytes: the plan file's bytes, as read for this run.
        plan: the compiled plan that ran.
        dataset: the input tables that ran.
        result: the run's result (periods and row accounting).
        outputs: every other output file, by its name in the output directory.

    Returns:
        A dict of JSON values (strings, integers, booleans, lists, dicts).
    """
    sources = dataset.sources
    digests = dataset.sha256
    return {
        "manifest_format": MANIFEST_FORMAT,
        "engine": {"name": "incentives", "version": __version__},
        "plan": {
            "file": plan_file,
            "sha256": sha256_hex(plan_bytes),
            "name": plan.name,
            "version": plan.version,
        },
        "periods": list(result.periods),
        "inputs": [
            {"table": table, "file": sources[table], "sha256": digests[table]}
            for table in sorted(sources)
        ],
        "decimal_context": {
            "precision": PRECISION,
            "description": (
                f"{PRECISION} significant digits; half_even for inexact division; "
                "rounding of amounts only where the plan says"
            ),
        },
        "rounding": _rounding(plan.rounding),
        "rows": result.rows.model_dump(mode="json"),
        "outputs": [
            {"file": name, "sha256": sha256_hex(data), "bytes": len(data)}
            for name, data in sorted(outputs.items())
        ],
    }


def _rounding(rounding: ir.Rounding | None) -> dict[str, Any] | None:
    if rounding is None:
        return None
    return {
        "mode": rounding.mode.value,
        "unit": format_decimal(rounding.unit),
        "components": rounding.components,
        "lines": rounding.lines,
    }


def render_manifest(manifest: Mapping[str, Any]) -> str:
    """The manifest as canonical JSON text."""
    return dump_json(manifest)
