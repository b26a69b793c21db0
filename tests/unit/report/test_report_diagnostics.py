"""report.diagnostics: the data form of diagnostics matches the JSON text."""

from __future__ import annotations

import json

from incentives.diagnostics import Diagnostic, Related, Severity
from incentives.report.diagnostics import diagnostic_dicts, render_json
from incentives.source import Span


def test_diagnostic_dicts_is_what_render_json_writes() -> None:
    diagnostics = [
        Diagnostic(
            "E101",
            "unknown name `sale`",
            Span("a.plan", 4, 25, 4, 29),
            hint="did you mean `sales`?",
            related=(Related(Span("a.plan", 2, 9, 2, 14), "`sales` is declared here"),),
        ),
        Diagnostic("W110", "unused", Span("a.plan", 3, 9, 3, 15), severity=Severity.WARNING),
    ]
    assert json.loads(render_json(diagnostics)) == diagnostic_dicts(diagnostics)
    assert diagnostic_dicts(diagnostics)[0]["related"] == [
        {"message": "`sales` is declared here", "file": "a.plan", "line": 2, "column": 9}
    ]
    assert render_json([]) == "[]\n"
