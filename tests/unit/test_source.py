"""incentives.source: one line rule, positions from offsets, excerpts showing hidden characters."""

from __future__ import annotations

import pytest

from incentives.source import HIDDEN, SourceFile, Span, escape_hidden, hidden_escape


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_lf_crlf_and_lone_cr_end_lines(newline: str) -> None:
    source = SourceFile("x.plan", newline.join(["one", "two", "three"]) + newline)
    assert source.line_count == 3
    assert [source.line_text(i) for i in (1, 2, 3, 4)] == ["one", "two", "three", ""]
    offset = source.text.index("three")
    assert source.position(offset) == (3, 1)
    assert source.position(offset + 2) == (3, 3)


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"])
def test_other_separators_do_not_end_a_line(separator: str) -> None:
    # No editor starts a new line there; str.splitlines() would.
    source = SourceFile("x.plan", f"# a{separator}b\nlet x = 1\n")
    assert source.line_count == 2
    assert source.line_text(1) == f"# a{separator}b"
    assert source.position(source.text.index("let")) == (2, 1)


def test_mixed_line_ends_count_as_an_editor_does() -> None:
    source = SourceFile("x.plan", "a\r\r\nb\n\rc")
    assert [source.line_text(i) for i in range(1, 6)] == ["a", "", "b", "", "c"]
    assert source.position(len(source.text) - 1) == (5, 1)


def test_span_from_offsets() -> None:
    source = SourceFile("x.plan", "plan\r  version\r")
    start = source.text.index("version")
    assert source.span(start, start + 7) == Span("x.plan", 2, 3, 2, 10, start, start + 7)


def test_hidden_characters_are_controls_formats_and_separators() -> None:
    hidden = "\x00\x1b\x7f\x85\u00ad\u061c\u200b\u200e\u202e\u2066\u2028\u2029\ufeff\U000e0041"
    assert all(HIDDEN.fullmatch(c) for c in hidden)
    assert HIDDEN.fullmatch("\ud800")
    for shown in "\t\n\r aé東\u00a0€":
        assert not HIDDEN.fullmatch(shown), repr(shown)


def test_escapes() -> None:
    assert hidden_escape("\x1b") == "\\u001b"
    assert hidden_escape("\U000e0041") == "\\U000e0041"
    assert escape_hidden("east\u202e\tx") == "east\\u202e\tx"
    assert escape_hidden("plain") == "plain"


def test_sha256_of_a_text_with_a_lone_surrogate_does_not_fail() -> None:
    assert len(SourceFile("x", "a\ud800").sha256) == 64


def _caret_column(excerpt: str) -> tuple[str, str]:
    shown, under = excerpt.split("\n")
    return shown.split("| ", 1)[1], under.split("| ", 1)[1]


def test_excerpt_escapes_hidden_characters_and_widens_the_caret() -> None:
    text = 'let a = "x\x1b[2J" + b\n'
    source = SourceFile("x.plan", text)
    column = text.index("\x1b") + 1
    shown, under = _caret_column(source.excerpt(Span("x.plan", 1, column, 1, column + 1)))
    assert shown == 'let a = "x\\u001b[2J" + b'
    assert under == " " * (column - 1) + "^" * 6
    # a caret after the escape stays under its character
    column = text.index("b\n") + 1
    shown, under = _caret_column(source.excerpt(Span("x.plan", 1, column, 1, column + 1)))
    assert shown.index("b", 20) == len(under) - 1


def test_excerpt_counts_wide_characters_twice_and_keeps_tabs() -> None:
    text = 'commission c "東京"\tpays x\n'
    source = SourceFile("x.plan", text)
    column = text.index("x") + 1
    shown, under = _caret_column(source.excerpt(Span("x.plan", 1, column, 1, column + 1)))
    assert under == " " * 14 + "    " + " \t" + " " * 5 + "^"
    assert shown == text.rstrip("\n")


def test_excerpt_of_a_cr_only_plan_shows_the_right_line() -> None:
    source = SourceFile("x.plan", "plan\r  pays 5% of salez\r")
    start = source.text.index("salez")
    assert source.excerpt(source.span(start, start + 5)).splitlines() == [
        "    2 |   pays 5% of salez",
        "      |              ^^^^^",
    ]
