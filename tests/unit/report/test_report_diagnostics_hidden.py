"""report.diagnostics: nothing from a plan or a file name reaches the terminal raw."""

from __future__ import annotations

import unicodedata

from incentives.diagnostics import Diagnostic, Related
from incentives.report.diagnostics import render_text
from incentives.source import SourceFile, Span


def _raw(text: str) -> list[str]:
    shown = text.replace("\n", "")
    return [c for c in shown if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


def test_messages_hints_names_and_excerpts_show_hidden_characters_as_escapes() -> None:
    name = "x\x1b[2J.plan"
    text = 'let a = "x\x1b[2Jy\u202e"\n'
    source = SourceFile(name, text)
    span = Span(name, 1, 9, 1, 19, 8, 18)
    diagnostic = Diagnostic(
        "E003",
        'unexpected `"x\x1b[2Jy\u202e"`',
        span,
        hint="delete \u2028 it",
        related=(Related(span, "see \x85 here"),),
    )
    out = render_text([diagnostic], {name: source})
    assert _raw(out) == []
    assert 'x\\u001b[2J.plan:1:9: error[E003]: unexpected `"x\\u001b[2Jy\\u202e"`' in out
    assert "= hint: delete \\u2028 it" in out
    assert "note: see \\u0085 here" in out


def test_the_caret_covers_the_escape_and_stays_aligned() -> None:
    text = 'let a = "\u202eb" + c\n'
    source = SourceFile("t.plan", text)
    column = text.index("c") + 1
    out = render_text(
        [Diagnostic("E101", "unknown name `c`", Span("t.plan", 1, column, 1, column + 1))],
        {"t.plan": source},
    )
    shown, under = out.splitlines()[1:3]
    assert shown.index("c") == under.index("^")
    assert under.count("^") == 1
