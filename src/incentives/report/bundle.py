"""Audit bundles: everything needed to re-run a payout, and the audit that re-runs it.

Contract: :func:`write_bundle` writes one directory holding::

    plan/<file>.plan                      the plan file, exact bytes
    inputs/<table>.csv                    each input file, exact bytes (not with copy_inputs=False)
    outputs/statements.json               the complete result, with traces
    outputs/statements.csv                the statement lines, spreadsheet-safe
    outputs/statements/<period>/<payee>.html   one HTML statement per payee and period
    manifest.json                         hashes and parameters (written last)

Every file is rendered in memory first and published atomically, the
manifest last (:func:`~incentives.report.files.write_tree`); files that the
previous manifest in the directory named and the new bundle does not have
are removed after the new manifest is in place. The bytes depend only on the
plan and input files, the paths as the user gave them, the periods and the
installed versions (:mod:`incentives.report.manifest`): the same run from
any working directory writes the same bundle.

:func:`audit_bundle` reads the manifest (a missing or corrupt one, or a
``data_dir`` that is not a directory, raises
:class:`~incentives.errors.UsageError`), checks the SHA-256 of the plan copy
and of every input (the bundle's copies, or the files of ``data_dir``), and
stops there with the mismatches if any differs. Otherwise it re-runs the plan
on those inputs for the recorded periods, under the recorded file names (the
traces name them), renders the outputs exactly as :func:`write_bundle` does,
and compares each with the recorded file byte for byte; it also builds the
manifest the re-run writes and compares it with ``manifest.json``, field by
field and byte for byte. An engine or dependency version that differs from
the recorded one is a warning, not a finding: the recomputed result and
manifest carry the recorded versions so that only what was computed is
compared. The :class:`AuditReport` lists the files that differ, each with
its first differing line; from the recorded ``statements.json`` and
``statements.csv``, every amount that differs per period, payee and
component; and every field of the manifest that differs, by JSON path.

Statement file names: a payee id of lowercase ASCII letters, digits, ``.``,
``_`` and ``-`` (at most 64, starting with a letter or digit, not a Windows
device name) is used as it is; any other id becomes a readable slug plus the
first 12 hex digits of its SHA-256, so every id gives a portable file name
that no two payees share on a case-insensitive file system.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incentives.data import Dataset
from incentives.errors import UsageError
from incentives.pipeline import Plan
from incentives.report import _audit
from incentives.report._audit import AmountDifference, AuditReport, FileDifference, HashMismatch
from incentives.report.files import check_relative_path, write_tree
from incentives.report.html import render_statement_html
from incentives.report.manifest import build_manifest, render_manifest, sha256_hex
from incentives.report.statements_csv import render_csv
from incentives.report.statements_json import render_run_json
from incentives.results import RunResult
from incentives.results.state import read_state

__all__ = [
    "MANIFEST",
    "STATEMENTS_CSV",
    "STATEMENTS_JSON",
    "AmountDifference",
    "AuditReport",
    "Bundle",
    "FileDifference",
    "HashMismatch",
    "audit_bundle",
    "build_bundle",
    "render_outputs",
    "statement_file",
    "write_bundle",
]

MANIFEST = "manifest.json"
STATEMENTS_JSON = "outputs/statements.json"
STATEMENTS_CSV = "outputs/statements.csv"

_SAFE_STEM = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))]
)
_SAFE_PLAN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class Bundle:
    """A rendered bundle: its files in publishing order (manifest last)."""

    files: tuple[tuple[str, bytes], ...]
    #: Where the plan's copy is.
    plan_copy: str
    #: Input tables recorded (copied or only hashed).
    inputs: int
    copied: bool
    statements: int
    #: Output files other than the manifest.
    outputs: int


def statement_file(period: str, payee: str) -> str:
    """The bundle path of a payee's HTML statement.

    >>> statement_file("2026-03", "ana"), statement_file("2026-03", "Ana")
    ('outputs/statements/2026-03/ana.html', 'outputs/statements/2026-03/ana-dea210f058b4.html')
    """
    return f"outputs/statements/{_stem(period)}/{_stem(payee)}.html"


def _stem(text: str) -> str:
    if _SAFE_STEM.fullmatch(text) and text.split(".")[0] not in _DEVICES and text[-1] != ".":
        return text
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return f"{slug or 'x'}-{sha256_hex(text.encode('utf-8'))[:12]}"


def render_outputs(result: RunResult) -> dict[str, bytes]:
    """Every output file of a bundle except the manifest, by bundle path, in order.

    Raises:
        UsageError: if two statements would share a file (never for real ids).
    """
    outputs = {
        STATEMENTS_JSON: render_run_json(result, trace=True).encode("utf-8"),
        STATEMENTS_CSV: render_csv(result).encode("utf-8"),
    }
    owners: dict[str, str] = {}
    for statement in result.statements:
        path = statement_file(statement.period, statement.payee)
        key = path.casefold()
        if key in owners:
            raise UsageError(
                f"payees `{owners[key]}` and `{statement.payee}` would share the file `{path}`"
            )
        owners[key] = statement.payee
        outputs[path] = render_statement_html(result, statement).encode("utf-8")
    return outputs


def build_bundle(
    plan: Plan,
    dataset: Dataset,
    result: RunResult,
    *,
    data_dir: str | None = None,
    copy_inputs: bool = True,
    opening: tuple[str, bytes] | None = None,
) -> Bundle:
    """Render every file of a bundle in memory.

    Args:
        plan: the plan that ran, loaded from a file (its name is the path as given).
        dataset: the inputs that ran, read from files (:meth:`Dataset.from_dir`).
        result: the result of running ``plan`` on ``dataset``.
        data_dir: the data directory as the user gave it (recorded only).
        copy_inputs: copy the input files into the bundle, or record only
            their hashes (an audit then needs the files).
        opening: the opening state file the run started from (its path as
            given, and its bytes); it is always copied, as ``inputs/opening.json``.

    Raises:
        UsageError: the plan or an input is not a file, or a file changed
            since the run read it.
    """
    plan_file = plan.source.name
    plan_bytes = _plan_bytes(plan)
    name = Path(plan_file).name
    plan_copy = f"plan/{name if _SAFE_PLAN.fullmatch(name) else 'plan.plan'}"
    sources = dataset.sources
    for table, source in sources.items():
        if source.startswith("<"):
            raise UsageError(
                f"a bundle needs inputs read from files; the {table} table came from {source}"
            )
    copies = {table: f"inputs/{table}.csv" for table in sources} if copy_inputs else None
    input_files = [(copies[t], _input_bytes(dataset, t)) for t in sources] if copies else []
    opening_entry = None
    if opening is not None:
        input_files.append((OPENING, opening[1]))
        opening_entry = {"file": opening[0], "sha256": sha256_hex(opening[1]), "copy": OPENING}
    outputs = render_outputs(result)
    statements = [
        {"period": s.period, "payee": s.payee, "file": statement_file(s.period, s.payee)}
        for s in result.statements
    ]
    if data_dir is None:
        data_dir = str(Path(sources["ledger"]).parent)
    manifest = build_manifest(
        plan_file=plan_file,
        plan_bytes=plan_bytes,
        plan=plan.ir,
        dataset=dataset,
        result=result,
        outputs=outputs,
        data_dir=data_dir,
        plan_copy=plan_copy,
        input_copies=copies,
        statements=statements,
        opening=opening_entry,
    )
    files = (
        (plan_copy, plan_bytes),
        *input_files,
        *outputs.items(),
        (MANIFEST, render_manifest(manifest).encode("utf-8")),
    )
    return Bundle(files, plan_copy, len(sources), copy_inputs, len(statements), len(outputs))


#: Where a bundle keeps the opening state a run started from.
OPENING = "inputs/opening.json"


def write_bundle(
    directory: str | os.PathLike[str],
    plan: Plan,
    dataset: Dataset,
    result: RunResult,
    *,
    data_dir: str | None = None,
    copy_inputs: bool = True,
    opening: tuple[str, bytes] | None = None,
) -> Bundle:
    """Render a bundle (:func:`build_bundle`) and write it atomically into ``directory``.

    Raises:
        UsageError: as :func:`build_bundle`.
        OSError: the directory cannot be written; then no file has changed.
    """
    bundle = build_bundle(
        plan, dataset, result, data_dir=data_dir, copy_inputs=copy_inputs, opening=opening
    )
    previous = _previous_files(Path(directory))
    write_tree(directory, bundle.files)
    _remove_stale(Path(directory), previous - {name for name, _ in bundle.files})
    return bundle


def _plan_bytes(plan: Plan) -> bytes:
    # The manifest hashes the file's bytes (a BOM included), so read them
    # again, and make sure they are still the bytes that were run.
    source = plan.source
    if source.digest is None:
        raise UsageError("a bundle needs a plan read from a file, not plan text")
    try:
        data = Path(source.name).read_bytes()
    except OSError as exc:
        raise UsageError(f"{source.name}: cannot read the plan ({exc.strerror})") from None
    if sha256_hex(data) != source.digest:
        raise UsageError(f"{source.name}: the plan changed while it was being run")
    return data


def _input_bytes(dataset: Dataset, table: str) -> bytes:
    source = dataset.sources[table]
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise UsageError(f"{source}: cannot read the input ({exc.strerror})") from None
    if sha256_hex(data) != dataset.sha256[table]:
        raise UsageError(f"{source}: the input changed while it was being run")
    return data


def _previous_files(directory: Path) -> set[str]:
    """Files the manifest already in ``directory`` names (none if it cannot be read)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return set()
    named: list[Any] = []
    if isinstance(manifest, dict):
        plan = manifest.get("plan")
        if isinstance(plan, dict):
            named.append(plan.get("copy"))
        for key in ("inputs", "outputs"):
            entries = manifest.get(key)
            if isinstance(entries, list):
                named.extend(
                    e.get("copy" if key == "inputs" else "file")
                    for e in entries
                    if isinstance(e, dict)
                )
    found = set()
    for name in named:
        if isinstance(name, str) and name != MANIFEST:
            with contextlib.suppress(ValueError):
                found.add(check_relative_path(name).as_posix())
    return found


def _remove_stale(directory: Path, stale: set[str]) -> None:
    """Delete the files an earlier bundle in ``directory`` wrote and this one does not.

    The names come from the old manifest, which anyone may have edited: a
    name is removed only if it is a plain relative path whose every part
    below ``directory`` is a real directory or file (no ``..``, no absolute
    path, no symbolic link on the way), so nothing outside the bundle is
    ever touched.
    """
    for name in sorted(stale):
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            continue
        path = directory / relative
        steps = [directory / Path(*relative.parts[: i + 1]) for i in range(len(relative.parts))]
        if any(step.is_symlink() for step in steps):
            continue
        with contextlib.suppress(OSError):
            if path.is_file():
                path.unlink()
            for parent in relative.parents:
                if parent != Path():
                    with contextlib.suppress(OSError):
                        (directory / parent).rmdir()  # only if now empty


def audit_bundle(path: str | os.PathLike[str], *, data_dir: str | None = None) -> AuditReport:
    """Re-run a bundle and compare (see the module docstring).

    Args:
        path: the bundle directory.
        data_dir: read the inputs from this directory (``<table>.csv``)
            instead of the bundle's copies; required when it has none.

    Raises:
        UsageError: the manifest is missing or corrupt, ``data_dir`` is not
            a directory, or the bundle has no input copies and no
            ``data_dir`` is given.
        PlanError, DataError, EvaluationError: the recorded plan, inputs or
            opening state no longer load or run (an engine that changed
            incompatibly).
    """
    root = Path(path)
    manifest = _audit.read_manifest(root)
    if data_dir is not None and not Path(data_dir).is_dir():
        what = "is not a directory" if Path(data_dir).exists() else "does not exist"
        raise UsageError(f"data directory `{os.fspath(data_dir)}` {what}")
    warnings = _audit.version_warnings(manifest)
    plan_bytes = _audit.read_checked(
        "plan", manifest.plan.file, root / manifest.plan.copy_path, manifest.plan.sha256
    )
    mismatches = [plan_bytes] if isinstance(plan_bytes, HashMismatch) else []
    inputs: dict[str, bytes] = {}
    for entry in manifest.inputs:
        if data_dir is not None:
            where = Path(data_dir) / f"{entry.table}.csv"
        elif entry.copy_path is not None:
            where = root / entry.copy_path
        else:
            raise UsageError(
                f"`{os.fspath(path)}` holds no copies of its inputs (it was written with "
                "--no-copy): give the directory holding them with --data DIR"
            )
        found = _audit.read_checked(entry.table, entry.file, where, entry.sha256)
        if isinstance(found, HashMismatch):
            mismatches.append(found)
        else:
            inputs[entry.table] = found
    if data_dir is not None:
        warnings.extend(_audit.unrecorded_tables(Path(data_dir), manifest))
    if mismatches or isinstance(plan_bytes, HashMismatch):
        return AuditReport(os.fspath(path), tuple(warnings), tuple(mismatches))
    plan = _audit.load_recorded_plan(manifest, plan_bytes)
    dataset = _audit.recorded_dataset(manifest, inputs)
    periods = plan.periods(manifest.periods[0], manifest.periods[-1])
    if [p.label for p in periods] != manifest.periods:
        raise _audit.corrupt(root, "its periods are not consecutive periods of the plan")
    opening = None
    if manifest.opening is not None:
        recorded = _audit.read_checked(
            "opening", manifest.opening.file, root / manifest.opening.copy_path,
            manifest.opening.sha256,
        )  # fmt: skip
        if isinstance(recorded, HashMismatch):
            return AuditReport(os.fspath(path), tuple(warnings), (recorded,))
        opening = read_state(recorded, manifest.opening.file)
    result = plan.run(dataset, period=periods[0], to=periods[-1], opening=opening)
    result = result.model_copy(update={"engine": f"incentives {manifest.engine.version}"})
    recomputed = render_outputs(result)
    files = _audit.compare_outputs(root, manifest, recomputed)
    warnings.extend(_audit.unlisted_outputs(root, manifest))
    amounts: list[AmountDifference] = []
    notes: list[str] = []
    differing = {f.file for f in files}
    for name in (STATEMENTS_JSON, STATEMENTS_CSV):
        if name in differing and name in recomputed:
            changed, said = _audit.amount_differences(name, _read(root / name), recomputed[name])
            amounts.extend(changed)
            notes.extend(said)
    expected = build_manifest(
        plan_file=manifest.plan.file,
        plan_bytes=plan_bytes,
        plan=plan.ir,
        dataset=dataset,
        result=result,
        outputs=recomputed,
        data_dir=manifest.run.data,
        plan_copy=manifest.plan.copy_path,
        input_copies=_recorded_copies(manifest),
        statements=[
            {"period": s.period, "payee": s.payee, "file": statement_file(s.period, s.payee)}
            for s in result.statements
        ],
        opening=(
            {"file": o.file, "sha256": o.sha256, "copy": o.copy_path}
            if (o := manifest.opening) is not None
            else None
        ),
    )
    # The versions are compared above, as warnings; the rest is what the re-run records.
    expected["engine"] = {"name": "incentives", "version": manifest.engine.version}
    expected["dependencies"] = dict(manifest.dependencies)
    recorded_manifest = _read(root / MANIFEST) or b""
    fields = _audit.manifest_differences(recorded_manifest, expected, differing)
    return AuditReport(
        os.fspath(path),
        tuple(warnings),
        (),
        tuple(files),
        tuple(amounts),
        tuple(notes),
        manifest=tuple(fields),
        statements=len(result.statements),
        outputs=len(recomputed),
    )


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _recorded_copies(manifest: _audit.RecordedManifest) -> dict[str, str] | None:
    """Table → where its copy is, as recorded (None when the bundle holds no copy)."""
    copies = {e.table: e.copy_path for e in manifest.inputs if e.copy_path is not None}
    return copies or None
