"""Plain-text helpers shared by the text renderers.

Contract: pure functions of their arguments. :func:`visible` makes any text
safe to print on a terminal (control, bidirectional and zero-width characters
become ``\\uXXXX`` escapes, so a payee name cannot move the cursor, recolour
the screen or reorder a line); :func:`cell_width` is the number of terminal
columns a string takes (East Asian wide characters count two), so columns
line up for any name. Nothing here depends on the locale or the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from incentives.source import HIDDEN, hidden_escape

__all__ = ["cell_width", "pad", "visible", "wrap_words"]


def visible(text: str) -> str:
    """``text`` with every invisible or control character shown as an escape.

    The characters are those of :data:`incentives.source.HIDDEN` (controls,
    bidirectional and zero-width characters, line separators, lone
    surrogates) and, since a cell is one line, tab, LF and CR.

    >>> visible("Al\\x1b[31mice\\u202e")
    'Al\\\\u001b[31mice\\\\u202e'
    """
    return _ESCAPED.sub(lambda m: hidden_escape(m.group()), text)


_ESCAPED = re.compile("[\t\n\r]|" + HIDDEN.pattern)


def cell_width(text: str) -> int:
    """Terminal columns taken by ``text`` (combining marks take none).

    >>> cell_width("abc"), cell_width("東京"), cell_width("e\\u0301")
    (3, 4, 1)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` columns (aligned right if asked)."""
    fill = " " * max(width - cell_width(text), 0)
    return fill + text if right else text + fill


def wrap_words(words: Iterable[str], width: int, separator: str = ", ") -> list[str]:
    """Join ``words`` with ``separator`` into lines of at most ``width`` columns.

    A word longer than ``width`` gets a line of its own; words are never split.

    >>> wrap_words(["t1", "t2", "t3"], 6)
    ['t1, t2,', 't3']
    """
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current}{separator}{word}" if current else word
        if current and cell_width(candidate) > width:
            lines.append(current + separator.rstrip())
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines
