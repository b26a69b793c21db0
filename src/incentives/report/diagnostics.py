"""Rendering diagnostics for people (compiler style) and for tools (JSON).

Contract: :func:`render_text` writes each diagnostic as

    plans/x.plan:12:5: error[E101]: unknown name `sale`
       12 |   pays 5% of sale
          |              ^^^^
       = hint: did you mean `sales`?
    plans/x.plan:3:9: note: `sales` is declared here

with the source excerpt when the file is a plan it was given, and without it
for data files (whose location is file:row:column). Control, bidirectional
and zero-width characters in file names, messages, hints and excerpts are
shown as escapes (``\\u001b``), so a plan or a data file cannot drive the
terminal that shows its diagnostics. :func:`render_json`
gives a stable list of objects with code, severity, message, file, line,
column, end_line, end_column, hint and related locations
(:func:`diagnostic_dicts` gives the same objects as data). Output depends only
on the diagnostics and sources: the same input renders the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from incentives.diagnostics import Diagnostic
from incentives.report._text import visible
from incentives.source import SourceFile

__all__ = ["diagnostic_dicts", "render_json", "render_text", "summary"]


def render_text(
    diagnostics: Iterable[Diagnostic], sources: Mapping[str, SourceFile] | None = None
) -> str:
    """Human-readable diagnostics, each followed by a blank line."""
    sources = sources or {}
    blocks = []
    for d in diagnostics:
        span = d.span
        where = visible(str(span) if span.line else span.file)
        lines = [f"{where}: {d.severity.value}[{d.code}]: {visible(d.message)}"]
        source = sources.get(span.file)
        if source is not None and span.line:
            lines.append(source.excerpt(span))
        if d.hint:
            lines.append(f"      = hint: {visible(d.hint)}")
        for related in d.related:
            r = related.span
            lines.append(f"{visible(str(r))}: note: {visible(related.message)}")
            related_source = sources.get(r.file)
            if related_source is not None and r.line:
                lines.append(related_source.excerpt(r))
        blocks.append("\n".join(lines))
    return "".join(block + "\n\n" for block in blocks)


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """ "2 errors, 1 warning" (or "no problems")."""
    items = list(diagnostics)
    errors = sum(1 for d in items if d.is_error)
    warnings = len(items) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) if parts else "no problems"


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics as a JSON array (sorted keys, two-space indent, final newline)."""
    items = diagnostic_dicts(diagnostics)
    return json.dumps(items, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def diagnostic_dicts(diagnostics: Iterable[Diagnostic]) -> list[dict[str, Any]]:
    """Diagnostics as the JSON data :func:`render_json` writes (for embedding)."""
    return [
        {
            "code": d.code,
            "severity": d.severity.value,
            "message": d.message,
            "file": d.span.file,
            "line": d.span.line,
            "column": d.span.column,
            "end_line": d.span.end_line,
            "end_column": d.span.end_column,
            "hint": d.hint,
            "related": [
                {
                    "message": r.message,
                    "file": r.span.file,
                    "line": r.span.line,
                    "column": r.span.column,
                }
                for r in d.related
            ],
        }
        for d in diagnostics
    ]
