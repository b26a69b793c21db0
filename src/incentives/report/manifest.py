"""The run manifest: what an auditor needs to re-run a payout and compare bytes.

Contract: :func:`build_manifest` describes a run from its inputs and outputs
only, as plain JSON data (layout :data:`MANIFEST_FORMAT` 2):

* ``engine``: the incentives version; ``dependencies``: the installed
  versions of the libraries a run goes through (:data:`DEPENDENCIES`, read
  with :mod:`importlib.metadata`) and of Python;
* ``run``: the parameters as the user gave them: the plan path, the data
  directory, and whether the inputs were copied into the bundle;
* ``plan``: the plan file as given, the SHA-256 of its bytes, its size, the
  plan's name and version, and where its copy is in the bundle (or null);
* ``periods``: the pay periods run, in order;
* ``inputs``: every input table, its file as given, the SHA-256 of its bytes
  and where its copy is in the bundle (null when not copied);
* ``decimal_context``: the context the engine computes in (precision,
  rounding of inexact results, exponent limits, traps);
* ``rounding``: the plan's rounding policy (null when it has none);
* ``rows``: the row accounting of the run;
* ``statements``: one entry per statement (period, payee, HTML file);
* ``outputs``: the path, SHA-256 and size of every other output file.

It holds no clock time, host, user, absolute path the user did not type, or
anything else that changes between two runs of the same inputs with the same
installation, so :func:`render_manifest` gives byte-identical text for them
(canonical JSON: sorted keys, two-space indent, final newline).
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Mapping, Sequence
from importlib import metadata
from typing import Any

from incentives._version import __version__
from incentives.compile import ir
from incentives.data import Dataset
from incentives.money import PRECISION, evaluation_context, format_decimal
from incentives.report.statements_json import dump_json
from incentives.results import RunResult

__all__ = [
    "DEPENDENCIES",
    "MANIFEST_FORMAT",
    "build_manifest",
    "decimal_context",
    "dependency_versions",
    "render_manifest",
    "sha256_hex",
]

#: Version of the manifest's layout; bumped when a key changes meaning.
MANIFEST_FORMAT = 2

#: The distributions whose versions a manifest records (and an audit compares).
DEPENDENCIES = ("click", "jinja2", "lark", "py-moneyed", "pydantic", "pydantic-core", "rich")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def dependency_versions() -> dict[str, str | None]:
    """Installed version of each of :data:`DEPENDENCIES` (None if absent), and Python's."""
    versions: dict[str, str | None] = {}
    for name in DEPENDENCIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    versions["python"] = f"{platform.python_implementation()} {platform.python_version()}"
    return versions


def decimal_context() -> dict[str, Any]:
    """The engine's decimal context, as JSON data."""
    with evaluation_context() as ctx:
        traps = sorted(signal.__name__ for signal, on in ctx.traps.items() if on)
        return {
            "precision": ctx.prec,
            "rounding": ctx.rounding,
            "emin": ctx.Emin,
            "emax": ctx.Emax,
            "traps": traps,
            "description": (
                f"{PRECISION} significant digits; half_even for inexact division; "
                "rounding of amounts only where the plan says"
            ),
        }


def build_manifest(
    *,
    plan_file: str,
    plan_bytes: bytes,
    plan: ir.Plan,
    dataset: Dataset,
    result: RunResult,
    outputs: Mapping[str, bytes],
    data_dir: str | None = None,
    plan_copy: str | None = None,
    input_copies: Mapping[str, str] | None = None,
    statements: Sequence[Mapping[str, str]] = (),
    opening: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of one run, as plain JSON data.

    Args:
        plan_file: the plan's path exactly as the user gave it.
        plan_bytes: the plan file's bytes, as read for this run.
        plan: the compiled plan that ran.
        dataset: the input tables that ran.
        result: the run's result (periods and row accounting).
        outputs: every other output file, by its path in the output directory.
        data_dir: the data directory exactly as the user gave it.
        plan_copy: where the plan's copy is in the bundle.
        input_copies: table → where its copy is in the bundle; None when the
            inputs are not copied (only their hashes are recorded).
        statements: per statement, its ``period``, ``payee`` and ``file``.
        opening: the opening state the run started from (``file``,
            ``sha256``, ``copy``), or None.

    Returns:
        A dict of JSON values (strings, integers, booleans, null, lists, dicts).
    """
    sources = dataset.sources
    digests = dataset.sha256
    copies = input_copies or {}
    return {
        "manifest_format": MANIFEST_FORMAT,
        "engine": {"name": "incentives", "version": __version__},
        "dependencies": dependency_versions(),
        "run": {"plan": plan_file, "data": data_dir, "copy_inputs": input_copies is not None},
        "plan": {
            "file": plan_file,
            "sha256": sha256_hex(plan_bytes),
            "bytes": len(plan_bytes),
            "name": plan.name,
            "version": plan.version,
            "copy": plan_copy,
        },
        "periods": list(result.periods),
        "inputs": [
            {
                "table": table,
                "file": sources[table],
                "sha256": digests[table],
                "copy": copies.get(table),
            }
            for table in sorted(sources)
        ],
        "opening": dict(opening) if opening is not None else None,
        "decimal_context": decimal_context(),
        "rounding": _rounding(plan.rounding),
        "rows": result.rows.model_dump(mode="json"),
        "statements": [dict(entry) for entry in statements],
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
