"""Source text and positions: the one place that knows what a location is.

Contract: a :class:`Span` names a half-open stretch of one source file with
1-based lines and columns (the column counts characters, not bytes) and
0-based character offsets. Spans are built from Lark's metadata in exactly one
place (``parse/to_ast/base.py``); everything after parsing only carries them.

**Lines.** A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (a file saved
on Windows or on an old Mac numbers its lines as an editor shows them), and
nowhere else: a form feed inside a comment does not start a new line (the
parser refuses every other separator, such as ``U+2028``, even in a
comment, because some editors do show one there). :data:`LINE_BREAK` is that
rule; the lexer, :class:`SourceFile` and every reported ``line:column`` follow
it.

**Hidden characters.** :data:`HIDDEN` matches every character a reader cannot
see or that changes how a line is displayed: control characters (tab and line
ends aside), Unicode format characters (bidirectional controls, zero-width
characters, the BOM), line and paragraph separators, and lone surrogates.
:func:`escape_hidden` shows them as ``\\u202e``-style escapes.

:class:`SourceFile` holds the text exactly as read (after decoding) and renders
the caret underline used by diagnostics::

    >>> src = SourceFile("x.plan", "let a = b + 1\\n")
    >>> span = Span("x.plan", 1, 9, 1, 10, 8, 9)
    >>> print(src.excerpt(span))
        1 | let a = b + 1
          |         ^
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "HIDDEN",
    "LINE_BREAK",
    "NO_SPAN",
    "SourceFile",
    "Span",
    "escape_hidden",
    "hidden_escape",
]

#: Where a line ends: ``\n``, ``\r\n`` or a lone ``\r``.
LINE_BREAK = re.compile(r"\r\n?|\n")

#: Characters that cannot be seen or that reorder a line when displayed.
#: C0/C1 controls except tab, LF and CR; the Unicode format characters
#: (category Cf: soft hyphen, bidirectional marks, embeddings, overrides and
#: isolates, zero-width space/joiners, word joiner, invisible operators, BOM,
#: interlinear annotations, tags); the line and paragraph separators; and
#: lone surrogates, which no file can hold. Written out (not read from
#: ``unicodedata``) so that the set does not change with the Python version.
HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def hidden_escape(char: str) -> str:
    """The escape a hidden character is shown as (``\\u202e``, ``\\U000e0001``).

    >>> hidden_escape("\\x1b"), hidden_escape("\\U000e0001")
    ('\\\\u001b', '\\\\U000e0001')
    """
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape_hidden(text: str) -> str:
    """``text`` with every :data:`HIDDEN` character shown as its escape.

    Tabs are kept (they are visible as space and needed to align carets).

    >>> escape_hidden("east\\u202e\\tx")
    'east\\\\u202e\\tx'
    """
    if not HIDDEN.search(text):
        return text
    return HIDDEN.sub(lambda m: hidden_escape(m.group()), text)


def _cell_width(char: str) -> int:
    """Terminal columns taken by one character as shown in an excerpt."""
    if HIDDEN.match(char):
        return len(hidden_escape(char))
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


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
        """``file:line:column``, or ``file:row`` for a whole row of data (column 0).

        >>> str(Span("p.plan", 3, 7, 3, 9)), str(Span("ledger.csv", 12, 0, 12, 1))
        ('p.plan:3:7', 'ledger.csv:12')
        """
        if self.column == 0:
            return f"{self.file}:{self.line}"
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
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(m.end() for m in LINE_BREAK.finditer(self.text))
        lines = LINE_BREAK.split(self.text)
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()  # a final line break ends the last line; it starts none
        object.__setattr__(self, "_lines", tuple(lines))
        object.__setattr__(self, "_starts", tuple(starts))

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes, or of the UTF-8 text if it was not read from a file.

        A text that no file can hold (a lone surrogate) is hashed with its
        surrogates written as UTF-8 would write them, rather than failing.
        """
        if self.digest:
            return self.digest
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def line_count(self) -> int:
        """How many lines the text has (a final line break starts none)."""
        return len(self._lines)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending ('' if out of range)."""
        if 1 <= line <= len(self._lines):
            return self._lines[line - 1]
        return ""

    def line_offset(self, line: int) -> int:
        """0-based offset of the first character of a 1-based line."""
        return self._starts[max(0, min(line, len(self._starts)) - 1)]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a 0-based character offset.

        >>> SourceFile("x", "ab\\r\\ncd\\ref").position(7)
        (3, 1)
        """
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        """The span of the characters ``start`` to ``end`` (0-based offsets)."""
        line, column = self.position(start)
        end_line, end_column = self.position(max(end, start))
        return Span(self.name, line, column, end_line, end_column, start, max(end, start))

    def excerpt(self, span: Span) -> str:
        """The source line of ``span`` with a caret underline below it.

        Hidden characters (controls, bidirectional and zero-width characters)
        are shown as escapes such as ``\\u202e`` and the carets are widened to
        cover them, so that a caret never points at nothing and a plan cannot
        drive the terminal that shows it. Tabs are kept in the echoed line and
        copied into the gutter under it, and wide characters count two
        columns, so that the caret lines up in any terminal. A span over
        several lines is underlined to the end of its first line.
        """
        text = self.line_text(span.line)
        number = f"{span.line:>5} | "
        gutter = " " * (len(number) - 2) + "| "
        start = max(span.column - 1, 0)
        if span.end_line == span.line:
            stop = max(span.end_column - 1, start + 1)
        else:
            stop = max(len(text), start + 1)
        pad = "".join("\t" if ch == "\t" else " " * _cell_width(ch) for ch in text[:start])
        under = text[start:stop]
        width = sum(1 if ch == "\t" else _cell_width(ch) for ch in under)
        width += stop - start - len(under)  # past the end of the line: one column each
        marks = "^" * max(width, 1)
        return f"{number}{escape_hidden(text)}\n{gutter}{pad}{marks}"
