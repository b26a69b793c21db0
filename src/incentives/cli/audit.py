"""``incentives audit DIR``: re-run an audit bundle and compare it byte for byte.

Reads ``DIR/manifest.json`` (written by ``incentives run --out DIR``),
checks the SHA-256 of the plan copy and of every input (the bundle's copies,
or with ``--data`` the ``<table>.csv`` files of that directory, which a
bundle written with ``--no-copy`` needs), re-runs the plan for the recorded
periods and compares every output with the recorded one
(:func:`incentives.report.bundle.audit_bundle`).

Output (stdout): ``identical: N statements, M outputs`` when everything
matches: every output file and every field of ``manifest.json`` is what the
re-run writes, byte for byte. Otherwise the plan or inputs that are missing
or differ (file, expected and actual SHA-256); or the output files that
differ, why, and where each first differs (line, column, recorded and
recomputed text), then for ``statements.json`` and ``statements.csv`` a
table of every amount that differs, per period, payee and component,
recorded against recomputed, then every field of ``manifest.json`` that is
not what the re-run records (engine and dependency versions aside).
Warnings (stderr): an engine or dependency version that differs from the
recorded one, files the manifest does not name, table files in ``--data``
the run did not read.

Exit: 0 identical; 1 an input or the plan differs, or an output differs
(also when this engine cannot reproduce the run: the recorded plan no longer
loads, the recorded inputs or opening state no longer pass its checks, or a
value cannot be computed);
2 when DIR or its manifest is missing or corrupt, the ``--data`` directory
does not exist, or a ``--no-copy`` bundle is audited without ``--data``.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from incentives.cli._common import EXIT_FINDINGS, EXIT_OK, emit, render_details
from incentives.errors import DataError
from incentives.report._text import pad, visible
from incentives.report.bundle import AmountDifference, AuditReport, HashMismatch, audit_bundle
from incentives.report.diagnostics import render_text

__all__ = ["audit", "render_report"]


@click.command("audit")
@click.argument("bundle", metavar="DIR")
@click.option(
    "--data",
    "data_dir",
    metavar="DIR",
    help="read the inputs from this directory instead of the bundle (needed after --no-copy)",
)
@click.pass_context
def audit(ctx: click.Context, bundle: str, data_dir: str | None) -> None:
    """Re-run an audit bundle written by `run --out` and compare its outputs byte for byte."""
    try:
        report = audit_bundle(bundle, data_dir=data_dir)
    except DataError as exc:
        # The inputs are the recorded ones (their hashes matched), so this
        # engine cannot reproduce the run: a finding, not the auditor's mistake.
        emit(render_text(exc.diagnostics), err=True)
        emit(
            f"error: the recorded inputs no longer pass this engine's checks: {visible(str(exc))}\n"
            f"{render_details(exc)}",
            err=True,
        )
        ctx.exit(EXIT_FINDINGS)
    for warning in report.warnings:
        emit(f"warning: {visible(warning)}\n", err=True)
    emit(render_report(report))
    ctx.exit(EXIT_OK if report.identical else EXIT_FINDINGS)


def render_report(report: AuditReport) -> str:
    """The audit's findings as text (warnings are not included)."""
    if report.mismatches:
        return _mismatches(report.mismatches)
    if report.identical:
        statements = _count(report.statements, "statement")
        return f"identical: {statements}, {_count(report.outputs, 'output')}\n"
    out = ["outputs that differ:"] if report.files else []
    for f in report.files:
        out.append(f"  {visible(f.file)}: {'; '.join(f.reasons)}")
        if f.first is not None:
            out.append(f"    {visible(f.first)}")
    amounts = _merged(report.amounts)
    if amounts:
        out.append("amounts that differ (recorded vs recomputed):")
        out.extend("  " + line for line in _amount_table(amounts))
    if report.manifest:
        out.append("manifest.json fields that differ from the re-run:")
        out.extend(f"  {visible(field)}" for field in report.manifest)
    out.extend(f"note: {visible(note)}" for note in report.notes)
    summary = (
        f"mismatch: {len(report.files)} of {_count(report.outputs, 'output')} differ "
        f"({_count(len(amounts), 'amount')})"
    )
    if report.manifest:
        summary += f"; manifest.json: {_count(len(report.manifest), 'difference')}"
    out.append(summary)
    return "\n".join(out) + "\n"


def _mismatches(mismatches: Sequence[HashMismatch]) -> str:
    out = []
    for m in mismatches:
        what = "plan" if m.role == "plan" else f"input `{m.role}`"
        out.append(f"{what} {m.problem}: {visible(m.file)} (read from {visible(m.path)})")
        out.append(f"  expected sha256 {m.expected}")
        out.append(f"  actual   sha256 {m.actual}" if m.actual else f"  actual   {m.problem}")
    noun = "file is not the one" if len(mismatches) == 1 else "files are not the ones"
    out.append(f"not re-run: {len(mismatches)} {noun} the recorded run read")
    return "\n".join(out) + "\n"


_Row = tuple[str, ...]


def _merged(amounts: Sequence[AmountDifference]) -> list[_Row]:
    """One row per differing amount, naming every file it differs in, in report order."""
    files: dict[tuple[str, ...], list[str]] = {}
    for a in amounts:
        key = (a.period, a.payee, a.component, a.recorded or "(none)", a.recomputed or "(none)")
        files.setdefault(key, []).append(a.file.rsplit("/", 1)[-1])
    return [(*key, ", ".join(names)) for key, names in files.items()]


def _amount_table(amounts: Sequence[_Row]) -> list[str]:
    rows: list[_Row] = [("period", "payee", "component", "recorded", "recomputed", "in")]
    rows.extend(tuple(visible(cell) for cell in row) for row in amounts)
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    right = (False, False, False, True, True, False)
    return [
        "  ".join(pad(cell, widths[i], right=right[i]) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = audit
