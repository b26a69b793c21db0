"""The parts of an audit (:func:`incentives.report.bundle.audit_bundle`) that read and compare.

Contract: :func:`read_manifest` returns the recorded manifest as typed,
checked data, or raises :class:`~incentives.errors.UsageError` naming the
bundle when ``manifest.json`` is missing, not JSON, of another layout, or
names a path outside the bundle. :func:`read_checked` reads a file and checks
its SHA-256. :func:`load_recorded_plan` and :func:`recorded_dataset` rebuild
the plan and the inputs under the file names recorded at the run, so that
every trace location comes out as it did then. :func:`compare_outputs`,
:func:`amount_differences` and the warnings helpers describe what differs.
Nothing here writes a file; every list comes out in a fixed order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from incentives._version import __version__
from incentives.data import TABLE_NAMES, Dataset, RawTable, parse_csv
from incentives.diagnostics import Diagnostic
from incentives.errors import DataError, PlanError, UsageError
from incentives.pipeline import Plan, check_source
from incentives.report.diagnostics import summary
from incentives.report.files import check_relative_path
from incentives.report.manifest import MANIFEST_FORMAT, dependency_versions, sha256_hex
from incentives.results import RunResult
from incentives.source import SourceFile

__all__ = [
    "AmountDifference",
    "AuditReport",
    "FileDifference",
    "HashMismatch",
    "RecordedManifest",
    "amount_differences",
    "compare_outputs",
    "corrupt",
    "load_recorded_plan",
    "read_checked",
    "read_manifest",
    "recorded_dataset",
    "unlisted_outputs",
    "unrecorded_tables",
    "version_warnings",
]


@dataclass(frozen=True)
class HashMismatch:
    """A plan or input file that is missing or not the one the run read."""

    #: "plan" or the input table's name.
    role: str
    #: The file as recorded (the path the user gave at the run).
    file: str
    #: Where the audit looked for it.
    path: str
    expected: str
    #: The SHA-256 found, or None if the file is missing or unreadable.
    actual: str | None
    #: "missing", "cannot be read: …" or "differs".
    problem: str


@dataclass(frozen=True)
class FileDifference:
    """An output file that differs from the re-run, and why."""

    file: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AmountDifference:
    """A statement line whose recorded and recomputed amounts differ."""

    period: str
    payee: str
    #: The component, or ``total``.
    component: str
    #: "37.48 USD", or None where the line does not exist on that side.
    recorded: str | None
    recomputed: str | None


@dataclass(frozen=True)
class AuditReport:
    """What an audit found; :attr:`identical` when the payout is confirmed."""

    bundle: str
    #: Differences that do not refute the payout (versions, stray files).
    warnings: tuple[str, ...] = ()
    #: Plan or inputs that are not those of the run (nothing was re-run).
    mismatches: tuple[HashMismatch, ...] = ()
    files: tuple[FileDifference, ...] = ()
    amounts: tuple[AmountDifference, ...] = ()
    #: Remarks on the differences (row accounting, unreadable JSON …).
    notes: tuple[str, ...] = ()
    #: Statements and output files recomputed (0 when nothing was re-run).
    statements: int = 0
    outputs: int = 0

    @property
    def identical(self) -> bool:
        return not self.mismatches and not self.files


def _relative(name: str) -> str:
    return check_relative_path(name).as_posix()


_Path = Annotated[str, AfterValidator(_relative)]
_Sha = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class _Recorded(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, populate_by_name=True)


class RecordedEngine(_Recorded):
    name: str
    version: str


class RecordedPlan(_Recorded):
    file: str
    sha256: _Sha
    copy_path: _Path = Field(alias="copy")


class RecordedInput(_Recorded):
    table: str
    file: str
    sha256: _Sha
    copy_path: _Path | None = Field(alias="copy")


class RecordedOutput(_Recorded):
    file: _Path
    sha256: _Sha


class RecordedOpening(_Recorded):
    file: str
    sha256: _Sha
    copy_path: _Path = Field(alias="copy")


class RecordedManifest(_Recorded):
    """The parts of a manifest an audit uses."""

    manifest_format: int
    engine: RecordedEngine
    dependencies: dict[str, str | None]
    plan: RecordedPlan
    periods: list[str] = Field(min_length=1)
    inputs: list[RecordedInput]
    outputs: list[RecordedOutput]
    opening: RecordedOpening | None = None


def corrupt(root: Path, reason: str) -> UsageError:
    """The error for a manifest that cannot be used."""
    return UsageError(f"`{root / 'manifest.json'}` is not a valid bundle manifest: {reason}")


def read_manifest(root: Path) -> RecordedManifest:
    """The bundle's manifest, checked.

    Raises:
        UsageError: the directory or manifest is missing, or the manifest is corrupt.
    """
    if not root.is_dir():
        what = "is not a directory" if root.exists() else "does not exist"
        raise UsageError(f"bundle `{root}` {what}")
    try:
        data = json.loads((root / "manifest.json").read_bytes())
    except FileNotFoundError:
        raise UsageError(f"`{root}` is not an audit bundle: it has no manifest.json") from None
    except OSError as exc:
        raise UsageError(f"`{root / 'manifest.json'}` cannot be read ({exc.strerror})") from None
    except ValueError as exc:
        raise corrupt(root, f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise corrupt(root, "not a JSON object")
    layout = data.get("manifest_format")
    if layout != MANIFEST_FORMAT:
        raise corrupt(
            root,
            f"its manifest_format is {json.dumps(layout)}; this incentives audits format "
            f"{MANIFEST_FORMAT} (bundles written by `incentives run --out` since 0.1.0)",
        )
    try:
        manifest = RecordedManifest.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()[:3]
        ]
        raise corrupt(root, "; ".join(problems)) from None
    tables = [entry.table for entry in manifest.inputs]
    files = [entry.file for entry in manifest.outputs]
    if len(set(tables)) != len(tables) or len(set(files)) != len(files):
        raise corrupt(root, "it names an input or an output twice")
    return manifest


def version_warnings(manifest: RecordedManifest) -> list[str]:
    """One warning per engine or dependency version that differs from the installed one."""
    warnings = []
    if manifest.engine.version != __version__:
        warnings.append(
            f"the bundle was written by incentives {manifest.engine.version}; "
            f"this is incentives {__version__}"
        )
    current = dependency_versions()
    for name in sorted(set(manifest.dependencies) | set(current)):
        then, now = manifest.dependencies.get(name), current.get(name)
        if then != now:
            warnings.append(
                f"{name} was {then or 'not installed'}, is now {now or 'not installed'}"
            )
    return warnings


def read_checked(role: str, file: str, where: Path, expected: str) -> bytes | HashMismatch:
    """The bytes at ``where`` if their SHA-256 is ``expected``, else the mismatch."""
    try:
        data = where.read_bytes()
    except FileNotFoundError:
        return HashMismatch(role, file, str(where), expected, None, "missing")
    except OSError as exc:
        problem = f"cannot be read: {exc.strerror or exc}"
        return HashMismatch(role, file, str(where), expected, None, problem)
    actual = sha256_hex(data)
    if actual != expected:
        return HashMismatch(role, file, str(where), expected, actual, "differs")
    return data


def unrecorded_tables(data_dir: Path, manifest: RecordedManifest) -> list[str]:
    """Warnings for table files in ``data_dir`` that the recorded run did not read."""
    recorded = {entry.table for entry in manifest.inputs}
    return [
        f"{data_dir / f'{name}.csv'} was not an input of the recorded run; ignored"
        for name in TABLE_NAMES
        if name not in recorded and (data_dir / f"{name}.csv").exists()
    ]


def load_recorded_plan(manifest: RecordedManifest, data: bytes) -> Plan:
    """The plan from its verified bytes, under the name it had at the run.

    Raises:
        PlanError: the plan no longer loads (the language changed).
    """
    name = manifest.plan.file
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError(f"{name}: the recorded plan is not UTF-8 text ({exc.reason})") from None
    plan, diagnostics = check_source(SourceFile(name, text, digest=manifest.plan.sha256))
    if plan is None:
        raise PlanError(
            f"{name}: the recorded plan no longer loads: {summary(diagnostics)}", diagnostics
        )
    return plan


def recorded_dataset(manifest: RecordedManifest, inputs: Mapping[str, bytes]) -> Dataset:
    """The inputs from their verified bytes, under the file names they had at the run.

    Raises:
        DataError: a file no longer parses (the reader changed).
        UsageError: the manifest names a table that does not exist.
    """
    tables: dict[str, RawTable] = {}
    problems: list[Diagnostic] = []
    for entry in manifest.inputs:
        if entry.table not in TABLE_NAMES:
            raise UsageError(f"the manifest names an unknown input table `{entry.table}`")
        table, found = parse_csv(inputs[entry.table], source=entry.file, name=entry.table)
        problems.extend(found)
        if table is not None:
            tables[entry.table] = table
    if problems:
        raise DataError(f"{len(problems)} problem(s) in the recorded inputs", problems)
    return Dataset(tables, {entry.table: entry.sha256 for entry in manifest.inputs})


def compare_outputs(
    root: Path, manifest: RecordedManifest, recomputed: Mapping[str, bytes]
) -> list[FileDifference]:
    """Every output that is not, byte for byte, what the manifest records and the re-run gives."""
    recorded = {entry.file: entry.sha256 for entry in manifest.outputs}
    differences = []
    for name in sorted(set(recorded) | set(recomputed)):
        expected, fresh = recorded.get(name), recomputed.get(name)
        try:
            data: bytes | None = (root / name).read_bytes()
        except OSError:
            data = None
        reasons = []
        if expected is None:
            reasons.append("the re-run writes it, but the manifest does not name it")
        elif data is None:
            reasons.append("missing from the bundle")
        elif sha256_hex(data) != expected:
            reasons.append("changed after the run (its SHA-256 is not the one recorded)")
        if fresh is None:
            reasons.append("recorded, but the re-run does not write it")
        elif (expected is not None and sha256_hex(fresh) != expected) or (
            data is not None and data != fresh
        ):
            reasons.append("differs from the re-run")
        if reasons:
            differences.append(FileDifference(name, tuple(reasons)))
    return differences


def unlisted_outputs(root: Path, manifest: RecordedManifest) -> list[str]:
    """Warnings for files under ``outputs/`` that the manifest does not name."""
    named = {entry.file for entry in manifest.outputs}
    folder = root / "outputs"
    if not folder.is_dir():
        return []
    found = sorted(p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file())
    return [
        f"{name} is not named by the manifest; not audited" for name in found if name not in named
    ]


_Key = tuple[str, str]


def amount_differences(path: Path, result: RunResult) -> tuple[list[AmountDifference], list[str]]:
    """Amounts that differ between the recorded ``statements.json`` and ``result``, and notes."""
    recomputed = result.model_dump(mode="json")
    try:
        recorded = json.loads(path.read_bytes())
        old = _amounts(recorded)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
        return [], [f"the recorded statements cannot be read ({reason}); no amount compared"]
    new = _amounts(recomputed)
    differences = []
    for key in [*new, *sorted(k for k in old if k not in new)]:
        before, after = old.get(key, {}), new.get(key, {})
        for component in [*after, *(c for c in before if c not in after)]:
            if before.get(component) != after.get(component):
                differences.append(
                    AmountDifference(*key, component, before.get(component), after.get(component))
                )
    notes = []
    if recorded.get("rows") != recomputed["rows"]:
        notes.append(
            f"row accounting differs: recorded {json.dumps(recorded.get('rows'), sort_keys=True)}"
            f", recomputed {json.dumps(recomputed['rows'], sort_keys=True)}"
        )
    if not differences:
        notes.append(
            "no amount in statements.json differs; the differing files differ in other content "
            "(traces, names, text, or the layout of a rendered file)"
        )
    return differences, notes


def _amounts(data: Any) -> dict[_Key, dict[str, str]]:
    """(period, payee) → component (and ``total``) → "amount currency", in file order."""
    found: dict[_Key, dict[str, str]] = {}
    for statement in data["statements"]:
        lines = {
            str(line["component"]): f"{line['amount']} {line['currency']}"
            for line in statement["lines"]
        }
        lines["total"] = f"{statement['total']} {statement['currency']}"
        found[(str(statement["period"]), str(statement["payee"]))] = lines
    return found
