"""What the parser checks in the characters of a plan before and after reading its words.

Contract:

* :func:`decode_source` turns a plan file's bytes into a :class:`SourceFile`
  (UTF-8, one leading BOM allowed) or raises ``PlanSyntaxError`` with one
  ``E006`` at the ``line:column`` of the first undecodable byte, counted in
  characters by the one line rule of :mod:`incentives.source`.
* :func:`lexable` gives the text Lark reads: the same length as the plan
  text, with lone CRs turned into LFs (Lark counts lines by LF only) and a
  leading BOM into a space, so Lark's offsets, lines and columns are the
  plan's own.
* :func:`comment_spans` finds the comments of a plan that parsed, by the
  lexical rules of ``plan.lark``, without lexing it again.
* :func:`surrogate_problem` finds a lone surrogate (a ``str`` from Python can
  hold one; no file can): ``E006``.
* :func:`hidden_problem` finds the first hidden character inside a text, a
  quoted name or a comment (outside them the lexer refuses every hidden
  character by itself): ``E003``. This is the Trojan Source defence: a
  right-to-left override or a zero-width space makes a line display
  differently from what runs, or makes ``"east\\u200b"`` silently never
  match ``east`` in the data. A line or paragraph separator (U+2028,
  U+2029, U+0085, a vertical tab) inside a comment is refused too: some
  editors and web pages show it as a new line, so what follows would look
  like plan text while it is part of the comment. Two exceptions: a form
  feed inside a comment (a page break; it ends no line, see
  :mod:`incentives.source`, and the excerpt shows it as an escape), and a
  zero-width (non-)joiner between two non-ASCII characters of a text or
  comment, which some scripts and emoji need.
"""

from __future__ import annotations

import re
import unicodedata

from incentives.diagnostics import Diagnostic
from incentives.errors import PlanSyntaxError
from incentives.source import HIDDEN, SourceFile, Span, hidden_escape

__all__ = ["comment_spans", "decode_source", "hidden_problem", "lexable", "surrogate_problem"]

_LONE_CR = re.compile(r"\r(?!\n)")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Characters some tool reads as the end of a line or a page.
_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: The one hidden character allowed inside a comment: a page break, which no
#: editor shows as a new line of plan text (the excerpt shows it as ``\x0c``).
_PAGE_BREAK = "\x0c"
_JOINERS = frozenset("\u200c\u200d")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Names of the control characters (``unicodedata.name`` has none for them).
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x1B: "ESCAPE",
    0x1C: "FILE SEPARATOR",
    0x1D: "GROUP SEPARATOR",
    0x1E: "RECORD SEPARATOR",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def decode_source(name: str, data: bytes, *, digest: str | None = None) -> SourceFile:
    """A plan file's bytes as text (UTF-8, one leading BOM allowed).

    Args:
        name: the file name diagnostics use.
        data: the bytes read.
        digest: the SHA-256 of ``data``, kept as the source's hash.

    Raises:
        PlanSyntaxError: ``E006`` at the first byte that is not UTF-8.
    """
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[bom : bom + exc.start].decode("utf-8")
        line, column = SourceFile(name, before).position(len(before))
        offset = len(before)
        span = Span(name, line, column, line, column + 1, offset, offset + 1)
        byte = data[bom + exc.start]
        diagnostic = Diagnostic(
            "E006",
            f"the plan is not UTF-8 text (byte 0x{byte:02x} at line {line})",
            span,
            hint="save the plan as UTF-8",
        )
        raise PlanSyntaxError(f"{span}: {diagnostic.message}", [diagnostic]) from None
    return SourceFile(name, text, digest=digest)


def lexable(text: str) -> str:
    """The text Lark reads: lone CRs as LFs, a leading BOM as a space (same length)."""
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    if text.startswith("\ufeff"):
        text = " " + text[1:]
    return text


def surrogate_problem(source: SourceFile) -> Diagnostic | None:
    """``E006`` at the first lone surrogate of the text, if any."""
    found = _SURROGATE.search(source.text)
    if found is None:
        return None
    return Diagnostic(
        "E006",
        f"the plan text holds a lone surrogate ({_code_point(found.group())}), "
        "which is not a character and cannot be saved as UTF-8",
        source.span(found.start(), found.end()),
        hint="the text was decoded wrongly (errors='surrogateescape'?): "
        "read the plan file as UTF-8, or pass its path",
    )


def hidden_problem(source: SourceFile, before: int | None = None) -> Diagnostic | None:
    """``E003`` at the first hidden character inside a text, a quoted name or a comment.

    The work is linear in the length of the text, whatever it holds: a
    line's context is worked out only for a character that may be reported,
    and the rest of a comment is skipped once one of its separators is seen.

    Args:
        source: the plan.
        before: look only at characters before this offset (the place of a
            syntax error, which a hidden character before it may explain).
    """
    text = source.text
    stop = len(text) if before is None else min(before, len(text))
    pos = 0
    while (found := HIDDEN.search(text, pos, stop)) is not None:
        char, offset = found.group(), found.start()
        pos = offset + 1
        if (offset == 0 and char == "\ufeff") or (char in _JOINERS and _joins(text, offset)):
            continue  # a byte-order mark read as text; a joiner inside a word
        line, column = source.position(offset)
        line_text = source.line_text(line)
        where = _context(line_text, column - 1)
        if where is None:  # pragma: no cover - outside a token the lexer refuses it first
            continue
        if where == "a comment" and char == _PAGE_BREAK:
            pos = offset - (column - 1) + len(line_text)  # the comment runs to the line's end
            continue
        return Diagnostic(
            "E003",
            f"invisible character {_code_point(char)} in {where}",
            source.span(offset, offset + 1),
            hint=_hint(char, where),
        )
    return None


def _joins(text: str, offset: int) -> bool:
    """Whether a zero-width (non-)joiner sits between two non-ASCII, non-space characters."""
    pair = text[offset - 1 : offset] + text[offset + 1 : offset + 2]
    return len(pair) == 2 and not pair.isascii() and not any(c.isspace() for c in pair)


def comment_spans(source: SourceFile) -> list[Span]:
    """Where the comments of a plan that parsed are: each ``#`` outside a text
    or a quoted name, to the end of its line.

    The same lexical rules as ``plan.lark``'s ``COMMENT``, ``STRING`` and
    ``QUOTED_NAME``, read line by line (none of them spans a line), so that
    finding comments needs no second pass of the lexer.
    """
    found: list[Span] = []
    for line in range(1, source.line_count + 1):
        text = source.line_text(line)
        if "#" not in text:
            continue
        where, index = _scan(text, len(text))
        if where == "a comment":
            start = source.line_offset(line) + index
            found.append(
                Span(
                    source.name,
                    line,
                    index + 1,
                    line,
                    len(text) + 1,
                    start,
                    start + len(text) - index,
                )
            )
    return found


def _context(line: str, index: int) -> str | None:
    """What the character at ``index`` of a line is inside, by the lexical rules of plan.lark."""
    where, _ = _scan(line, index)
    return where


def _scan(line: str, stop: int) -> tuple[str | None, int]:
    """Read a line up to ``stop``: what that place is inside, and where that began.

    Returns ``("a comment", index of "#")``, ``("a text", index of its quote)``,
    ``("a quoted name", index of its backtick)`` or ``(None, stop)``.
    """
    quote: str | None = None
    opened = 0
    i = 0
    while i < stop:
        ch = line[i]
        if quote == '"':
            if ch == "\\" and i + 1 < stop:
                i += 1
            elif ch == '"':
                quote = None
        elif quote == "`":
            if ch == "`":
                quote = None
        elif ch in '"`':
            quote, opened = ch, i
        elif ch == "#":
            return "a comment", i
        i += 1
    if quote == '"':
        return "a text", opened
    if quote == "`":
        return "a quoted name", opened
    return None, stop


def _code_point(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    shown = f"U+{code:04X}"
    return f"{shown} ({name})" if name else f"{shown} (`{hidden_escape(char)}`)"


def _hint(char: str, where: str) -> str:
    if char in _BIDI:
        return (
            "delete it: it reorders how the line is displayed, so the plan "
            "would read differently from what runs"
        )
    if where == "a comment" and char in _BREAKS:
        return (
            "delete it or end the comment with a real line end: some editors show it "
            "as a new line, so the comment's rest would look like plan text that runs"
        )
    if where == "a comment":
        return "delete it: in a comment it can hide or disguise what the plan says"
    if char in _BREAKS:
        return f"delete it: a line or page break has no place in {where}"
    if unicodedata.category(char) == "Cc":
        return f"delete it: a control character has no place in {where}"
    if where == "a quoted name":
        return "delete it: it cannot be seen, and makes the name differ from the one it looks like"
    return (
        f'delete it: it cannot be seen, and "east{hidden_escape(char)}" never '
        'matches "east" in the data'
    )
