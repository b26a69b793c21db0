"""The plan printer: its canonical layout, its parentheses, and where comments go.

Golden files: each ``tests/golden/fmt/<name>.plan`` is an unformatted plan;
``<name>.expected`` is its formatted text (``pytest --update-golden``
rewrites them). Every expected text is itself formatted and means the same.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from incentives.ast import nodes
from incentives.ast.printer import SUPPORTED_NODES, format_plan, plan_shape, same_plan
from incentives.parse import parse
from incentives.source import Span

GOLDEN = Path(__file__).parents[2] / "golden" / "fmt"
INPUTS = sorted(GOLDEN.glob("*.plan"))
HEADER = 'plan "T"\n  version "1"\n  currency USD\n  period month\n  rounding none\n'


def fmt(text: str) -> str:
    """Format ``text``, checking the printer's whole contract on the way."""
    plan = parse(text, filename="in.plan")
    out = format_plan(plan)
    again = parse(out, filename="out.plan")
    assert same_plan(plan, again), out
    assert format_plan(again) == out, "not idempotent"
    comments = [c.text.rstrip() for c in plan.comments]
    assert [c.text for c in again.comments] == comments
    return out


def body(declarations: str) -> str:
    """The formatted declarations of a plan with the standard header."""
    out = fmt('plan "T" version "1" currency USD period month rounding none\n' + declarations)
    assert out.startswith(HEADER + "\n"), out
    return out[len(HEADER) + 1 :]


def expr(source: str) -> str:
    """How the printer writes one expression (as a `let` value)."""
    out = body(f"let x = {source}\n")
    assert out.startswith("let x = ") and out.count("\n") == 1, out
    return out[len("let x = ") : -1]


# --------------------------------------------------------------- golden files


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_golden_layout(path: Path, golden: Callable[[Path, str], None]) -> None:
    golden(path.with_suffix(".expected"), fmt(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_golden_output_is_already_formatted(path: Path) -> None:
    expected = path.with_suffix(".expected")
    if not expected.exists():
        pytest.skip("no golden file yet")
    text = expected.read_text(encoding="utf-8")
    assert fmt(text) == text
    source = parse(path.read_text(encoding="utf-8"))
    assert same_plan(source, parse(text))


# -------------------------------------------------------------- completeness


def _node_classes() -> set[type]:
    found = (getattr(nodes, name) for name in nodes.__all__)
    return {c for c in found if isinstance(c, type) and dataclasses.is_dataclass(c)}


def test_every_node_class_has_a_printer() -> None:
    missing = {c.__name__ for c in _node_classes()} - {c.__name__ for c in SUPPORTED_NODES}
    assert not missing, f"the printer cannot print {sorted(missing)}"


def test_the_node_list_is_what_nodes_defines() -> None:
    # A dataclass defined in a module of the nodes package but left out of its
    # __all__ would escape the test above.
    modules = [
        importlib.import_module(f"{nodes.__name__}.{info.name}")
        for info in pkgutil.iter_modules(nodes.__path__)
    ]
    assert modules
    defined = {
        c
        for module in [nodes, *modules]
        for c in vars(module).values()
        if isinstance(c, type)
        and dataclasses.is_dataclass(c)
        and c.__module__ in (nodes.__name__, *(m.__name__ for m in modules))
    }
    assert defined == _node_classes()


def test_an_unknown_node_is_an_error_not_a_silent_gap() -> None:
    @dataclasses.dataclass(frozen=True)
    class Mystery:
        span: Span

    plan = parse(HEADER)
    strange = dataclasses.replace(plan, declarations=(Mystery(plan.span),))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cannot print a Mystery"):
        format_plan(strange)
    let = parse(HEADER + "let x = 1").declarations[0]
    assert isinstance(let, nodes.LetDecl)
    odd = dataclasses.replace(let, value=Mystery(let.span))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cannot print a Mystery"):
        format_plan(dataclasses.replace(plan, declarations=(odd,)))


# -------------------------------------------------------------------- layout


def test_header_clauses_one_per_line_then_a_blank_line() -> None:
    out = fmt('plan "A" version "1" currency USD\nperiod   month rounding half_up to 0.01 on lines')
    assert out == (
        'plan "A"\n  version "1"\n  currency USD\n  period month\n'
        "  rounding half_up to 0.01 on lines\n"
    )
    assert fmt('plan "A"') == 'plan "A"\n'


def test_declarations_are_separated_by_one_blank_line() -> None:
    out = body("quota q goal 1 USD\n\n\n\ntiers t flat band below 1: 1 USD band at least 1: 2 USD")
    assert out == (
        "quota q\n  goal 1 USD\n\ntiers t flat\n  band below 1: 1 USD\n  band at least 1: 2 USD\n"
    )


def test_one_line_declarations_keep_their_grouping() -> None:
    source = "let a = 1\nlet b = 2\n\n\nmeasure m = count\nholidays 2026-01-01\nquota q goal 1 USD"
    assert body(source) == (
        "let a = 1\nlet b = 2\n\nmeasure m = count\nholidays 2026-01-01\n\nquota q\n  goal 1 USD\n"
    )
    assert body("let a = 1 let b = 2") == "let a = 1\nlet b = 2\n"


def test_literals_keep_their_text() -> None:
    assert expr("10,000 USD + 10000 USD + 1,234.50 USD + 5.0% + 0.10 + 007") == (
        "10,000 USD + 10000 USD + 1,234.50 USD + 5.0% + 0.10 + 007"
    )
    assert expr('"a \\"quoted\\" \\\\ text"') == '"a \\"quoted\\" \\\\ text"'


def test_decoded_texts_are_quoted_again() -> None:
    out = fmt('plan "Say \\"hi\\" \\\\ bye" version "v\\\\1"')
    assert out == 'plan "Say \\"hi\\" \\\\ bye"\n  version "v\\\\1"\n'
    assert parse(out).header.name == 'Say "hi" \\ bye'


def test_quoted_names_keep_their_backticks() -> None:
    assert expr("`line` + line_total + `Odd name`") == "`line` + line_total + `Odd name`"


def test_spellings_the_ast_does_not_keep() -> None:
    out = body("quota q goal 1 USD ramp months 1 at 50%, month 2 to 3 at 75%")
    assert "  ramp month 1 at 50%, months 2 to 3 at 75%\n" in out
    out = body("bonus b pays 1 USD hold back 5% for 1 periods hold back 5% for 3 period")
    assert "  hold back 5% for 1 period\n  hold back 5% for 3 periods\n" in out


def test_a_keyword_as_an_example_id() -> None:
    # Backticks only where the lexer would read the keyword as one: after another id.
    out = body('example "e" payee `max` split t1 `line`: 50% split "t2" max: 1% expect max x: 1')
    assert out.splitlines()[1:] == [
        "  payee max",
        "  split t1 `line`: 50%",
        '  split "t2" `max`: 1%',
        "  expect max x: 1",
    ]


def test_example_ids_in_backticks_only_when_needed() -> None:
    out = body('example "e" payee `kim` payee `Kim Lee` payee "x y" payee 01 expect kim total: 1')
    assert out.splitlines()[1:5] == [
        "  payee kim",
        "  payee `Kim Lee`",
        '  payee "x y"',
        "  payee 01",
    ]


# --------------------------------------------------------------- parentheses


@pytest.mark.parametrize(
    ("source", "printed"),
    [
        ("((a + b)) * c", "(a + b) * c"),
        ("a + (b * c)", "a + b * c"),
        ("(a - b) - (c - d)", "a - b - (c - d)"),
        ("a / (b / c) of (d of e)", "a / (b / c) of (d of e)"),
        ("(a * b) of c", "a * b of c"),
        ("-(a) + -(b * c) - -(-d)", "-a + -(b * c) - --d"),
        ("(a = b) = (c < d)", "(a = b) = (c < d)"),
        ("(a + b) < (c * d)", "a + b < c * d"),
        ("(a or b) and (c or (d and e)) or ((f))", "(a or b) and (c or d and e) or f"),
        ("(a and b) or c", "a and b or c"),
        ("not (a and b)", "not (a and b)"),
        ("not (a < b)", "not (a < b)"),
        ("not (a in [1])", "not (a in [1])"),
        ("not (not a)", "not not a"),
        ("(not a) = b", "(not a) = b"),
        ("(a + b) in [1, -2]", "a + b in [1, -2]"),
        ("(a = b) in [true]", "(a = b) in [true]"),
        ("(if a then b else c) + 1", "(if a then b else c) + 1"),
        ("if (if a then b else c) then d else (if e then f else g)",
         "if (if a then b else c) then d else if e then f else g"),
        ("if a then (if b then c else d) else e", "if a then (if b then c else d) else e"),
        ("min((a), (b + c), if d then e else f)", "min(a, b + c, if d then e else f)"),
        ("round((a + b), 0.01, half_up)", "round(a + b, 0.01, half_up)"),
        ("round(a, minor unit)", "round(a, minor unit)"),
        ("rates on (sales) against (target)", "rates on sales against target"),
        ("rates on (a + b) against (t * 2)", "rates on (a + b) against (t * 2)"),
        ("curve at (a)", "curve at a"),
        ("500 USD * curve at attainment", "500 USD * (curve at attainment)"),
        ("rates on sales + 1 USD", "(rates on sales) + 1 USD"),
        ("-steps at a", "-(steps at a)"),
        ("sum of sales across reports / 2", "(sum of sales across reports) / 2"),
        ("rank of s across everyone highest first ties shared",
         "rank of s across everyone highest first ties shared"),
        ("2 * rank of s across group `g` lowest first ties by start_date",
         "2 * (rank of s across group `g` lowest first ties by start_date)"),
        ("sum of s across reports to depth 3", "sum of s across reports to depth 3"),
    ],
)  # fmt: skip
def test_fewest_parentheses_and_those_kept_for_the_reader(source: str, printed: str) -> None:
    assert expr(source) == printed


def test_operands_that_must_be_atoms() -> None:
    out = body(
        "metrics m: decimal default (1 + 1)\n"
        "measure s = sum (a * b) where (a > 1) default (0 USD)\n"
        "quota q goal (5 USD * 2) split by weights (50% + 0%), 50% ramp month 1 at (1 - 0.5)\n"
        "tiers t interpolated band at least (1 + 1) and below (a): from (1%) to (1% + 1%)\n"
        "bonus b pays 1 USD per unit of (u * 2) hold back (5% + 5%) for 2 periods\n"
    )
    assert out == (
        "metrics\n  m: decimal default (1 + 1)\n\n"
        "measure s = sum (a * b) where a > 1 default 0 USD\n\n"
        "quota q\n  goal (5 USD * 2)\n  split by weights (50% + 0%), 50%\n"
        "  ramp month 1 at (1 - 0.5)\n\n"
        "tiers t interpolated\n  band at least (1 + 1) and below a: from 1% to (1% + 1%)\n\n"
        "bonus b\n  pays 1 USD per unit of (u * 2)\n  hold back (5% + 5%) for 2 periods\n"
    )


def test_an_if_that_more_words_follow_is_parenthesised() -> None:
    out = body(
        "commission c pays (if a then 1 USD else 2 USD) per line where if b then c else d\n"
        "  gate at (if a then 1 USD else 2 USD), nothing below\n"
        "  cap at (if a then 1 USD else 2 USD) per year, excess forfeited\n"
        "measure m = count where (if a then b else c)\n"
    )
    assert out.splitlines() == [
        "commission c",
        "  pays (if a then 1 USD else 2 USD) per line where if b then c else d",
        "  gate at (if a then 1 USD else 2 USD), nothing below",
        "  cap at (if a then 1 USD else 2 USD) per year, excess forfeited",
        "",
        "measure m = count where (if a then b else c)",
    ]


def test_names_spelt_like_keywords_stay_names() -> None:
    # The contextual lexer reads these as names only in some positions; the
    # printer must not move them into a position where they are keywords.
    assert body("tiers t flat band below 5: (from)") == "tiers t flat\n  band below 5: (from)\n"
    assert body("tiers t flat band below 5: (from) + 1") == (
        "tiers t flat\n  band below 5: (from + 1)\n"
    )
    assert body("quota q goal (from)") == "quota q\n  goal (from)\n"
    assert expr("2 * not on y") == "2 * not on y"
    assert expr("not if < 5") == "not if < 5"
    assert expr("a + not") == "a + not"
    assert body("measure m = sum if") == "measure m = sum if\n"
    assert expr("date >= 2026-01-01 and payee = currency") == (
        "date >= 2026-01-01 and payee = currency"
    )


# ------------------------------------------------------------------ comments


def test_trailing_comments_stay_on_their_line_and_line_up() -> None:
    out = body("ledger columns # the columns\n  a: text  # first\n  long_name: money # second\n")
    assert out == (
        "ledger columns      # the columns\n"
        "  a: text           # first\n"
        "  long_name: money  # second\n"
    )


def test_own_line_comments_stay_before_what_follows() -> None:
    out = body("commission c\n# about pays\npays 1 USD\n    # about when\n  when a\n")
    assert out == "commission c\n  # about pays\n  pays 1 USD\n  # about when\n  when a\n"


def test_a_comment_inside_a_one_line_clause_moves_above_it() -> None:
    out = body("bonus b pays 1 USD when a # first\n and b # second\n")
    assert out == "bonus b\n  pays 1 USD\n  # first\n  when a and b  # second\n"


def test_an_indented_comment_below_a_declaration_stays_with_it() -> None:
    out = body(
        "let a = 1\n  # still about a\nlet b = 2\n\n  # about b, after a blank line\nlet c = 3"
    )
    assert out == (
        "let a = 1\n  # still about a\n\nlet b = 2\n\n# about b, after a blank line\nlet c = 3\n"
    )


def test_blank_lines_in_comment_groups_before_declarations() -> None:
    source = '# top\n\n\n# more\n\nplan "T"\n\nlet a = 1\n# one\n\n# two\n\nlet b = 2\n# end'
    assert fmt(source) == (
        '# top\n\n# more\n\nplan "T"\n\nlet a = 1\n# one\n\n# two\n\nlet b = 2\n# end\n'
    )


def test_comments_lose_only_trailing_whitespace() -> None:
    source = 'plan "T"  # a   \r\n  version "1"\r\n#\tb\t\r\n'
    out = fmt(source)
    assert out == 'plan "T"  # a\n  version "1"\n\n#\tb\n'
    assert [c.text for c in parse(out).comments] == ["# a", "#\tb"]


def test_no_comment_is_lost_or_duplicated() -> None:
    text = (GOLDEN / "comments.plan").read_text(encoding="utf-8")
    before = Counter(c.text.rstrip() for c in parse(text).comments)
    after = Counter(c.text for c in parse(fmt(text)).comments)
    assert before == after
    assert len(before) == sum(1 for line in text.splitlines() if "#" in line)


# ---------------------------------------------------------- comparing trees


def test_plan_shape_ignores_positions_but_not_text() -> None:
    a = parse(HEADER + "let x = 10,000 USD  # c")
    b = parse(HEADER + "\n\n   let    x =\n10,000 USD # c")
    assert same_plan(a, b)
    assert not same_plan(a, parse(HEADER + "let x = 10000 USD # c"))
    assert not same_plan(a, parse(HEADER + "let x = 10,000 USD # d"))
    assert not same_plan(a, parse(HEADER + "let x = 10,000 USD"))
    measure = parse(HEADER + "measure m = sum a").declarations[0]
    shape = plan_shape(measure)
    assert "aggregate_span" not in str(shape) and "span" not in str(shape)
