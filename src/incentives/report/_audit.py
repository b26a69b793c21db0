"""The parts of an audit (:func:`incentives.report.bundle.audit_bundle`) that read and compare.

Contract: :func:`read_manifest` returns the recorded manifest as typed,
checked data, or raises :class:`~incentives.errors.UsageError` naming the
bundle when ``manifest.json`` is missing, not JSON, of another layout, or
names a path outside the bundle. :func:`read_checked` reads a file and checks
its SHA-256. :func:`load_recorded_plan` and :func:`recorded_dataset` rebuild
the plan and the inputs under the file names recorded at the run, so that
every trace location comes out as it did then. :func:`compare_outputs` finds
each output that is not byte for byte the re-run's and where it first
differs (line, column, both texts); :func:`amount_differences` lists, from
``statements.json`` or ``statements.csv``, every amount that differs per
period, payee and component; :func:`manifest_differences` lists every field
of ``manifest.json`` that is not what the re-run records (by JSON path), or
where its bytes first differ. The warnings helpers describe the rest.
Nothing here writes a file; every list comes out in a fixed order.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from incentives._version import __version__
from incentives.data import TABLE_NAMES, Dataset, RawTable, parse_csv
from incentives.data.csv_source import UnreadableFile, read_file
from incentives.diagnostics import Diagnostic
from incentives.errors import DataError, PlanError, UsageError
from incentives.pipeline import Plan, check_source
from incentives.report.diagnostics import summary
from incentives.report.files import check_relative_path
from incentives.report.manifest import (
    MANIFEST_FORMAT,
    dependency_versions,
    render_manifest,
    sha256_hex,
)
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
    "first_difference",
    "load_recorded_plan",
    "manifest_differences",
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
    #: Where the bundle's file first differs from the re-run's
    #: (:func:`first_difference`), or None when one of them is missing.
    first: str | None = None


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
    #: The output the amounts were read from.
    file: str = "outputs/statements.json"


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
    #: Fields of manifest.json that are not what the re-run records.
    manifest: tuple[str, ...] = ()
    #: Statements and output files recomputed (0 when nothing was re-run).
    statements: int = 0
    outputs: int = 0

    @property
    def identical(self) -> bool:
        return not self.mismatches and not self.files and not self.manifest


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


class RecordedRun(_Recorded):
    plan: str
    data: str | None
    copy_inputs: bool


class RecordedOpening(_Recorded):
    file: str
    sha256: _Sha
    copy_path: _Path = Field(alias="copy")


class RecordedManifest(_Recorded):
    """The parts of a manifest an audit uses."""

    manifest_format: int
    engine: RecordedEngine
    dependencies: dict[str, str | None]
    run: RecordedRun
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
        data = read_file(where)  # a regular file only: never a device or a pipe
    except UnreadableFile as exc:
        if exc.missing:
            return HashMismatch(role, file, str(where), expected, None, "missing")
        problem = f"cannot be read: {exc.message}"
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
            first = (
                first_difference(data, fresh) if data is not None and fresh is not None else None
            )
            differences.append(FileDifference(name, tuple(reasons), first))
    return differences


#: Characters of a line shown around where it first differs.
_SHOWN = 60


def first_difference(recorded: bytes, recomputed: bytes) -> str | None:
    r"""Where two files first differ: line and column, and both lines around it.

    None if they are the same bytes. Lines are shown from a little before the
    first differing character, at most 60 characters of each.

    >>> print(first_difference(b"a,b\n2026-03,15.00,USD\n", b"a,b\n2026-03,1500.00,USD\n"))
    line 2, column 11: recorded `2026-03,15.00,USD`, recomputed `2026-03,1500.00,USD`
    >>> print(first_difference(b"a\n", b"a\nb\n"))
    line 2, column 1: recorded (end of file), recomputed `b`
    """
    if recorded == recomputed:
        return None
    old_lines = recorded.decode("utf-8", "replace").splitlines(keepends=True)
    new_lines = recomputed.decode("utf-8", "replace").splitlines(keepends=True)
    for number, (old, new) in enumerate(zip_longest(old_lines, new_lines), start=1):
        if old == new:
            continue
        column = 0
        if old is not None and new is not None:
            while column < min(len(old), len(new)) and old[column] == new[column]:
                column += 1
        start = max(0, column - _SHOWN // 3)
        return (
            f"line {number}, column {column + 1}: recorded {_excerpt(old, start, new)}, "
            f"recomputed {_excerpt(new, start, old)}"
        )
    return None  # pragma: no cover - different bytes decode to different text or lines


def _excerpt(line: str | None, start: int, other: str | None) -> str:
    if line is None:
        return "(end of file)"
    if other is None or line.rstrip("\r\n") != other.rstrip("\r\n"):
        line = line.rstrip("\r\n")  # the ending is shown only when it is what differs
    piece = line[start : start + _SHOWN]
    before = "…" if start > 0 else ""
    after = "…" if start + _SHOWN < len(line) else ""
    return f"`{before}{piece}{after}`"


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


def amount_differences(
    name: str, recorded: bytes | None, recomputed: bytes
) -> tuple[list[AmountDifference], list[str]]:
    """Amounts that differ between an output's recorded and recomputed bytes, and notes.

    ``name`` is ``outputs/statements.json`` or ``outputs/statements.csv``;
    amounts are compared per period, payee and component (and ``total``).
    """
    short = name.rsplit("/", 1)[-1]
    read = _json_amounts if name.endswith(".json") else _csv_amounts
    new, new_rows = read(recomputed)
    try:
        if recorded is None:
            raise FileNotFoundError("missing")
        old, old_rows = read(recorded)
    except (ValueError, KeyError, TypeError, AttributeError, FileNotFoundError) as exc:
        return [], [f"the recorded {short} cannot be read ({exc}); no amount in it compared"]
    differences = []
    for key in [*new, *sorted(k for k in old if k not in new)]:
        before, after = old.get(key, {}), new.get(key, {})
        for component in [*after, *(c for c in before if c not in after)]:
            if before.get(component) != after.get(component):
                differences.append(
                    AmountDifference(
                        *key, component, before.get(component), after.get(component), name
                    )
                )
    notes = []
    if old_rows != new_rows:
        notes.append(
            f"row accounting in {short} differs: recorded {json.dumps(old_rows, sort_keys=True)}"
            f", recomputed {json.dumps(new_rows, sort_keys=True)}"
        )
    if not differences:
        notes.append(f"no amount in {short} differs; it differs in other content")
    return differences, notes


def _json_amounts(data: bytes) -> tuple[dict[_Key, dict[str, str]], Any]:
    parsed = json.loads(data)
    return _amounts(parsed), parsed.get("rows")


def _csv_amounts(data: bytes) -> tuple[dict[_Key, dict[str, str]], Any]:
    """(period, payee) → component → "amount currency", from statements.csv, in file order."""
    found: dict[_Key, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")):
        key = (str(row["period"]), str(row["payee"]))
        found.setdefault(key, {})[str(row["component"])] = f"{row['amount']} {row['currency']}"
    return found, None


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


#: Most manifest fields listed as differing.
MAX_FIELDS = 20


def manifest_differences(
    recorded: bytes, expected: Mapping[str, Any], reported: Collection[str] = ()
) -> list[str]:
    """Every field of the recorded manifest that is not the re-run's (``rows.read: …``).

    ``expected`` is the manifest the re-run writes, with the recorded engine
    and dependency versions (those are warnings). The entries of ``outputs``
    that describe a file in ``reported`` (an output already found to differ)
    are left out. When every field is equal but the bytes are not, the one
    difference is where the bytes first differ. At most :data:`MAX_FIELDS`
    are listed.
    """
    try:
        data = json.loads(recorded)
    except ValueError as exc:  # read_manifest parsed it: only if it changed since
        return [f"not JSON ({exc})"]
    expected = _as_reported(data, expected, reported)
    found = _fields(data, expected, "")
    if not found:
        first = first_difference(recorded, render_manifest(expected).encode("utf-8"))
        if first is not None:
            found.append(f"not laid out as incentives writes it: {first}")
    if len(found) > MAX_FIELDS:
        found[MAX_FIELDS:] = [f"… and {len(found) - MAX_FIELDS} more"]
    return found


def _as_reported(
    data: Any, expected: Mapping[str, Any], reported: Collection[str]
) -> Mapping[str, Any]:
    """``expected`` with the recorded ``outputs`` entry of each file in ``reported``."""
    old, new = data.get("outputs") if isinstance(data, dict) else None, expected.get("outputs")
    if not reported or not isinstance(old, list) or not isinstance(new, list):
        return expected
    outputs = [
        a if isinstance(a, dict) and a.get("file") == b["file"] and b["file"] in reported else b
        for a, b in zip(old, new, strict=False)
    ]
    return {**expected, "outputs": outputs + new[len(outputs) :]}


def _fields(old: Any, new: Any, path: str) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new)):
            where = f"{path}.{key}" if path else str(key)
            if key not in old:
                found.append(f"{where}: missing; the re-run writes {_shown(new[key])}")
            elif key not in new:
                found.append(f"{where}: recorded {_shown(old[key])}; the re-run writes no such key")
            else:
                found.extend(_fields(old[key], new[key], where))
        return found
    if isinstance(old, list) and isinstance(new, list):
        found = []
        for index, (a, b) in enumerate(zip_longest(old, new)):
            where = f"{path}[{_label(a, b, index)}]"
            if index >= len(old):
                found.append(f"{where}: missing; the re-run writes {_shown(b)}")
            elif index >= len(new):
                found.append(f"{where}: recorded {_shown(a)}; the re-run writes no such entry")
            else:
                found.extend(_fields(a, b, where))
        return found
    if _shown(old, 10**9) != _shown(new, 10**9):
        return [f"{path}: recorded {_shown(old)}, recomputed {_shown(new)}"]
    return []


def _label(old: Any, new: Any, index: int) -> str:
    """An entry of a list by what it names (its table or file), if both sides name the same."""
    for key in ("table", "file"):
        if isinstance(old, dict) and isinstance(new, dict) and old.get(key) == new.get(key):
            if isinstance(new.get(key), str):
                return str(new[key])
    return str(index)


def _shown(value: Any, width: int = 60) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= width else f"{text[: width - 1]}…"
