"""parse: line ends, hidden characters, lone surrogates and undecodable bytes."""

from __future__ import annotations

import pytest

from incentives import PlanSyntaxError, SourceFile
from incentives.ast import nodes as n
from incentives.diagnostics import Diagnostic
from incentives.parse import decode_source, parse, parse_source

HEADER = """\
plan "Text"
  version "1"
  currency USD
  period month
  rounding half_up to 0.01 on components

"""
BODY = "measure sales = sum amount  # all lines\n\ncommission c\n  pays 5% of sales\n"


def refusal(text: str) -> Diagnostic:
    with pytest.raises(PlanSyntaxError) as caught:
        parse_source(SourceFile("t.plan", text))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.hint and "\n" not in diagnostic.hint
    return diagnostic


def names(plan: n.PlanFile) -> list[str]:
    return [
        d.name.text for d in plan.declarations if isinstance(d, n.MeasureDecl | n.ComponentDecl)
    ]


# ------------------------------------------------------------------ line ends


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_a_comment_ends_at_any_line_end(newline: str) -> None:
    plan = parse((HEADER + BODY).replace("\n", newline))
    assert names(plan) == ["sales", "c"]
    assert [c.text for c in plan.comments] == ["# all lines"]
    component = plan.declarations[1]
    assert (component.span.line, component.span.column) == (9, 1)


def test_a_lone_cr_in_a_text_ends_it() -> None:
    found = refusal(HEADER + 'commission c "Comm\rission"\n  pays 0 USD\n')
    assert (found.code, found.span.line, found.span.column) == ("E003", 7, 14)
    assert "not closed" in (found.hint or "")


# ------------------------------------------------------------- escapes in texts


@pytest.mark.parametrize(
    ("text", "column", "escape", "hint"),
    [
        ('"a\\b"', 16, "`\\b`", "for a backslash followed by `b`, write `\\\\b`"),
        ('"C:\\x"', 17, "`\\x`", "for a backslash followed by `x`, write `\\\\x`"),
        ('"\\u00e9"', 15, "`\\u00e9`", "write the character itself, `é`"),
        ('"a\\nb"', 16, "`\\n`", "a text is one line and holds no line break"),
    ],
)
def test_a_backslash_a_text_does_not_allow_is_named_where_it_is(
    text: str, column: int, escape: str, hint: str
) -> None:
    # The text is closed: the escape is the problem, not a missing quote.
    found = refusal(HEADER + f"commission c {text} pays 5% of sales\n")
    assert (found.code, found.span.line, found.span.column) == ("E003", 7, column)
    assert found.message.startswith(f"{escape} is not an escape a text allows; ")
    assert 'only `\\"` (a quote) and `\\\\` (a backslash)' in found.message
    assert hint in (found.hint or "")
    assert "not closed" not in found.message + (found.hint or "")


def test_a_text_whose_last_quote_is_escaped_is_not_closed() -> None:
    found = refusal(HEADER + 'commission c "C:\\" pays 5% of sales\n')
    assert (found.code, found.span.column) == ("E003", 17)
    assert found.message == 'this text is not closed: `\\"` is a quote inside it, not its end'
    assert found.hint == 'to end a text with a backslash, write `\\\\` before the closing `"`'


def test_the_escapes_a_text_allows() -> None:
    plan = parse(HEADER + 'commission c "a \\\\ b \\" c" pays 5% of sales\n')
    component = plan.declarations[0]
    assert isinstance(component, n.ComponentDecl)
    assert component.label == 'a \\ b " c'


def test_a_page_break_inside_a_comment_is_part_of_it() -> None:
    text = HEADER + "# page one\x0cpage two\n" + BODY
    plan = parse(text)
    assert plan.comments[0].text == "# page one\x0cpage two"
    assert plan.declarations[0].span.line == 8


@pytest.mark.parametrize("separator", ["\x0b", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_line_separator_inside_a_comment_is_refused(separator: str) -> None:
    # Some editors show it as a new line: "# note" then what looks like a rule
    # that runs, while the whole line is a comment.
    found = refusal(HEADER + f"# note{separator}commission c pays 50% of sales\n" + BODY)
    assert (found.code, found.span.line, found.span.column) == ("E003", 7, 7)
    assert "new line" in (found.hint or "")


@pytest.mark.parametrize("separator", ["\x0c", "\x0b", "\u2028"])
def test_a_separator_between_words_is_refused(separator: str) -> None:
    found = refusal(HEADER + f"measure sales ={separator}sum amount\n")
    assert (found.code, found.span.line, found.span.column) == ("E003", 7, 16)


# ------------------------------------------------------------ hidden characters


@pytest.mark.parametrize(
    "char", ["\u202e", "\u2066", "\u200b", "\u200f", "\u061c", "\x1b", "\x00", "\u00ad", "\ufeff"]
)
@pytest.mark.parametrize("where", ["a text", "a comment", "a quoted name"])
def test_a_hidden_character_in_a_text_a_comment_or_a_quoted_name_is_refused(
    char: str, where: str
) -> None:
    line = {
        "a text": f'measure sales = sum amount where region = "ea{char}st"',
        "a comment": f"measure sales = sum amount  # ea{char}st",
        "a quoted name": f"measure sales = sum `amo{char}unt`",
    }[where]
    found = refusal(HEADER + "ledger columns\n  region: text\n\n" + line + "\n")
    assert (found.code, found.span.line, found.span.column) == ("E003", 10, line.index(char) + 1)
    assert found.message.startswith(f"invisible character U+{ord(char):04X} (")
    assert found.message.endswith(f"in {where}")


def test_a_hidden_character_before_a_syntax_error_is_the_one_reported() -> None:
    found = refusal(HEADER + 'let a = "x\u202e"\nlet b = = 1\n')
    assert (found.code, found.span.line, found.span.column) == ("E003", 7, 11)


def test_a_syntax_error_before_a_hidden_character_is_the_one_reported() -> None:
    found = refusal(HEADER + 'let b = = 1\nlet a = "x\u202e"\n')
    assert (found.code, found.span.line) == ("E001", 7)


@pytest.mark.parametrize("text", ['"می\u200cخواهم"', '"👩\u200d💻 desk"'])
def test_a_joiner_inside_a_word_of_another_script_is_kept(text: str) -> None:
    plan = parse(HEADER + f"commission c {text}\n  pays 0 USD\n")
    component = plan.declarations[0]
    assert isinstance(component, n.ComponentDecl) and component.label == text[1:-1]


def test_a_joiner_after_a_latin_letter_is_refused() -> None:
    found = refusal(HEADER + 'commission c "east\u200d"\n  pays 0 USD\n')
    assert (found.code, found.span.column) == ("E003", 19)


def test_a_leading_byte_order_mark_in_a_text_is_allowed() -> None:
    assert names(parse("\ufeff" + HEADER + BODY)) == ["sales", "c"]


def test_a_bom_anywhere_else_is_refused() -> None:
    found = refusal(HEADER + "\ufeff" + BODY)
    assert (found.code, found.span.line, found.span.column) == ("E003", 7, 1)


# -------------------------------------------------------------- unencodable text


def test_a_lone_surrogate_is_refused_where_it_is() -> None:
    found = refusal(HEADER + 'commission c "Comm\udce9"\n  pays 0 USD\n')
    assert (found.code, found.span.line, found.span.column) == ("E006", 7, 19)
    assert "U+DCE9" in found.message


# ----------------------------------------------------------------- file bytes


def test_decode_source_keeps_the_text_and_the_digest() -> None:
    source = decode_source("a.plan", "\ufeffplan é".encode(), digest="abc")
    assert (source.name, source.text, source.sha256) == ("a.plan", "plan é", "abc")


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b'plan "d\xe9part"\n', 1, 8),
        (b'\xef\xbb\xbfplan "x"\n  version "\xc3\xa9\xff"\n', 2, 13),
        (b'plan "x"\r  version "\x93"\r', 2, 12),
        (b"# \xc3\xa9\xc3\xa9\n\xff", 2, 1),
    ],
    ids=["latin-1", "after a BOM and a two-byte letter", "CR line ends", "line start"],
)
def test_an_undecodable_byte_is_located_in_characters(data: bytes, line: int, column: int) -> None:
    with pytest.raises(PlanSyntaxError) as caught:
        decode_source("a.plan", data)
    (found,) = caught.value.diagnostics
    assert (found.code, found.span.line, found.span.column) == ("E006", line, column)
    assert found.hint


def test_comments_are_found_outside_texts_and_quoted_names_only() -> None:
    text = (
        HEADER
        + "ledger columns\n  `a#b`: text  # the column\n\n"
        + 'measure sales = sum amount where `a#b` = "x \\" # y"  # real\n'
    )
    plan = parse(text)
    assert [c.text for c in plan.comments] == ["# the column", "# real"]
    for comment in plan.comments:
        assert text[comment.span.start : comment.span.end] == comment.text
        line = text.splitlines()[comment.span.line - 1]
        assert line[comment.span.column - 1 :] == comment.text
