"""Source text and positions: the one place that knows what a location is.

Contract: a :class:`Span` names a half-open stretch of one source file with
1-based lines and columns (the column counts characters, not bytes) and
0-based character offsets. Spans are built from Lark's metadata in exactly one
place (``parse/to_ast.py``); everything after parsing only carries them.

:class:`SourceFile` holds the text exactly as read (after decoding) and renders
the caret underline used by diagnostics::

    >>> src = SourceFile("x.plan", "let a = b + 1\\n")
    >>> span = Span("x.plan", 1, 9, 1, 10, 8, 9)
    >>> print(src.excerpt(span))
        1 | let a = b + 1
          |         ^
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

__all__ = ["NO_SPAN", "SourceFile", "Span"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Where a piece of plan text starts and ends.

    >>> str(Span("plans/a.plan", 3, 5, 3, 9, 40, 44))
    'plans/a.plan:3:5'
    """

    #: File name as given by the caller (never resolved to an absolute path).
    file: str
    #: 1-based line of the first character.
    line: int
    #: 1-based column of the first character.
    column: int
    #: 1-based line of the last character.
    end_line: int
    #: 1-based column just after the last character.
    end_column: int
    #: 0-based character offset of the first character.
    start: int = 0
    #: 0-based character offset just after the last character.
    end: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def to(self, other: Span) -> Span:
        """The span from the start of ``self`` to the end of ``other``."""
        return Span(
            self.file,
            self.line,
            self.column,
            other.end_line,
            other.end_column,
            self.start,
            other.end,
        )


#: The span of things that have no place in a plan (built-in names).
NO_SPAN = Span("<built-in>", 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A plan's text and its name."""

    name: str
    text: str
    #: SHA-256 of the file's bytes when it was read from a file (BOM included).
    digest: str | None = field(default=None, compare=False)
    _lines: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lines", tuple(self.text.splitlines()))

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes, or of the UTF-8 text if it was not read from a file."""
        return self.digest or hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending ('' if out of range)."""
        if 1 <= line <= len(self._lines):
            return self._lines[line - 1]
        return ""

    def excerpt(self, span: Span) -> str:
        """The source line of ``span`` with a caret underline below it.

        Tabs are kept in the echoed line and copied into the gutter under it so
        that the caret lines up in any terminal. A span over several lines is
        underlined to the end of its first line.
        """
        text = self.line_text(span.line)
        number = f"{span.line:>5} | "
        gutter = " " * (len(number) - 2) + "| "
        start = max(span.column - 1, 0)
        if span.end_line == span.line:
            stop = max(span.end_column - 1, start + 1)
        else:
            stop = max(len(text), start + 1)
        pad = "".join("\t" if ch == "\t" else " " for ch in text[:start])
        marks = "^" * (stop - start)
        return f"{number}{_visible(text)}\n{gutter}{pad}{marks}"


def _visible(text: str) -> str:
    """Show invisible and bidirectional control characters as escapes.

    A caret under an invisible character would point at nothing; showing
    ``\\u202e`` makes a Trojan-source style character visible to the author.
    """
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\t" or 32 <= code < 127 or (code >= 160 and not _is_format_char(code)):
            out.append(ch)
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


def _is_format_char(code: int) -> bool:
    # Bidi embeddings/overrides/isolates, zero-width characters and the BOM.
    return (
        0x200B <= code <= 0x200F
        or 0x202A <= code <= 0x202E
        or 0x2060 <= code <= 0x2069
        or code == 0xFEFF
    )
