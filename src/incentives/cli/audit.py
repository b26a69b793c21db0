"""``incentives audit DIR``: re-run an audit bundle and compare it byte for byte.

Reads ``DIR/manifest.json`` (written by ``incentives run --out DIR``),
checks the SHA-256 of the plan copy and of every input (the bundle's copies,
or with ``--data`` the ``<table>.csv`` files of that directory, which a
bundle written with ``--no-copy`` needs), re-runs the plan for the recorded
periods and compares every output with the recorded one
(:func:`incentives.report.bundle.audit_bundle`).

Output (stdout): ``identical: N statements, M outputs`` when everything
matches. Otherwise the plan or inputs that are missing or differ (file,
expected and actual SHA-256), or the output files that differ and why, then
a table of every amount that differs, per period, payee and component,
recorded against recomputed. Warnings (stderr): an engine or dependency
version that differs from the recorded one, files the manifest does not
name, table files in ``--data`` the run did not read.

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
    out = ["outputs that differ:"]
    out.extend(f"  {visible(f.file)}: {'; '.join(f.reasons)}" for f in report.files)
    if report.amounts:
        out.append("amounts that differ (recorded vs recomputed):")
        out.extend("  " + line for line in _amount_table(report.amounts))
    out.extend(f"note: {visible(note)}" for note in report.notes)
    out.append(
        f"mismatch: {len(report.files)} of {_count(report.outputs, 'output')} differ "
        f"({_count(len(report.amounts), 'amount')})"
    )
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


def _amount_table(amounts: Sequence[AmountDifference]) -> list[str]:
    rows = [("period", "payee", "component", "recorded", "recomputed")]
    rows.extend(
        (
            visible(a.period),
            visible(a.payee),
            visible(a.component),
            visible(a.recorded or "(none)"),
            visible(a.recomputed or "(none)"),
        )
        for a in amounts
    )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    right = (False, False, False, True, True)
    return [
        "  ".join(pad(cell, widths[i], right=right[i]) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = audit
