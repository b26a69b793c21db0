"""report._text: terminal-safe text, widths, padding and wrapping."""

from __future__ import annotations

from incentives.report._text import cell_width, pad, visible, wrap_words


def test_visible_escapes_controls_and_bidi_but_keeps_letters() -> None:
    assert visible("Zoë 東京 €") == "Zoë 東京 €"
    assert visible("a\tb\nc\rd") == "a\\u0009b\\u000ac\\u000dd"
    assert visible("\x1b[31mred") == "\\u001b[31mred"
    assert visible("\x9b") == "\\u009b"
    assert visible("abc\u202edef\u200b\ufeff") == "abc\\u202edef\\u200b\\ufeff"


def test_cell_width_counts_wide_and_combining_characters() -> None:
    assert cell_width("") == 0
    assert cell_width("東京") == 4
    assert cell_width("e\u0301") == 1


def test_pad_aligns_by_width() -> None:
    assert pad("ab", 4) == "ab  "
    assert pad("ab", 4, right=True) == "  ab"
    assert pad("東", 3) == "東 "
    assert pad("toolong", 3) == "toolong"


def test_wrap_words_never_splits_a_word() -> None:
    assert wrap_words([], 10) == []
    assert wrap_words(["a", "b", "c"], 80) == ["a, b, c"]
    assert wrap_words(["aaaa", "bbbb", "cccc"], 10) == ["aaaa, bbbb,", "cccc"]
    assert wrap_words(["x" * 20, "y"], 10) == ["x" * 20 + ",", "y"]
