"""Hostile and broken plans: every one is refused with a located, typed, explained error.

``tests/robustness/plans/`` is the folder a new user would try: one broken
plan per class of mistake (file name = the code it must produce), and
``plans/ok/`` holds unusual plans that must load (CRLF, tabs, a BOM, no final
newline, one long line). Inputs too large to keep as files (a 1 MiB plan,
thousands of digits, deep nesting) are built here.

Contract checked for each: a :class:`~incentives.PlanError` (never another
exception), the stated code at the stated ``file:line:col``, a one-line
message and a one-line hint, and ``incentives check`` exits 1 and prints
``path:line:col: error[CODE]`` with the source line and a caret, and no
traceback.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

import incentives
from incentives import SourceFile

from .fuzzing import check_plan_diagnostic
from .support import PLANS, REPO, assert_no_traceback, cli_invoke, cli_subprocess

HEADER = """\
plan "Hostile"
  version "1"
  currency USD
  period month
  rounding half_up to 0.01 on components

"""

#: Broken plan file → (code of the first error, line, column or None for "any").
BROKEN: dict[str, tuple[str, int, int | None]] = {
    # E001: a token the grammar does not allow here
    "e001_chained_comparison.plan": ("E001", 11, 22),
    "e001_excel_formula.plan": ("E001", 10, 8),
    "e001_exponent.plan": ("E001", 11, 11),
    "e001_lowercase_currency.plan": ("E001", 11, None),
    "e001_missing_colon.plan": ("E001", 10, 25),
    "e001_misspelt_keyword.plan": ("E001", 9, 1),
    "e001_thousands_separator.plan": ("E001", 9, 20),
    # E002: nothing, or the text stops in the middle of something
    "e002_empty.plan": ("E002", 1, 1),
    "e002_ends_early.plan": ("E002", 10, 13),
    "e002_only_a_comment.plan": ("E002", 1, 23),
    "e002_only_blank_lines.plan": ("E002", 1, 1),
    "e002_unclosed_parenthesis.plan": ("E002", 10, 20),
    # E003: a character no token starts with (invisible ones included)
    "e003_bidi_override.plan": ("E003", 10, 20),
    "e003_dollar_sign.plan": ("E003", 11, 10),
    "e003_non_breaking_space.plan": ("E003", 7, 16),
    "e003_nul_byte.plan": ("E003", 10, 19),
    "e003_single_quote.plan": ("E003", 10, 43),
    "e003_smart_quotes.plan": ("E003", 1, 6),
    "e003_unclosed_string.plan": ("E003", 10, 43),
    "e003_zero_width_space.plan": ("E003", 7, 11),
    # E004: a literal that lexes but is not a value
    "e004_impossible_date.plan": ("E004", 7, 10),
    "e004_negative_text.plan": ("E004", 14, 25),
    "e004_ramp_month_with_thousands_of_digits.plan": ("E004", 12, None),
    "e004_thousands_of_digits.plan": ("E004", 11, 10),
    "e004_tiny_fraction.plan": ("E004", 10, 8),
    # E005: nesting limits
    "e005_deep_nesting.plan": ("E005", 10, None),
    "e005_long_chain.plan": ("E005", 10, None),
    # E006: not UTF-8
    "e006_latin1.plan": ("E006", 9, 27),
    "e006_utf16.plan": ("E006", 1, 1),
    "e006_windows_1252_quotes.plan": ("E006", 9, 3),
    # names
    "e101_unknown_name.plan": ("E101", 10, 14),
    "e102_builtin_column.plan": ("E102", 7, 9),
    "e102_declared_twice.plan": ("E102", 9, 9),
    "e103_reserved_word.plan": ("E103", 9, 5),
    # types and currencies
    "e104_unknown_currency.plan": ("E104", 3, 3),
    "e201_money_times_money.plan": ("E201", 10, 8),
    "e202_two_currencies.plan": ("E202", 10, 22),
    "e203_money_compared_with_number.plan": ("E203", 11, 8),
    "e204_condition_not_yes_no.plan": ("E204", 11, 8),
    "e205_pays_a_percent.plan": ("E205", 10, 8),
}

OK_PLANS = sorted((PLANS / "ok").glob("*.plan"))


def _refusal(path: Path | str) -> incentives.PlanError:
    try:
        incentives.load_plan(path)
    except incentives.PlanError as exc:
        return exc
    raise AssertionError(f"{path} was accepted")


def _first_error(exc: incentives.PlanError) -> incentives.Diagnostic:
    return next(d for d in exc.diagnostics if d.is_error)


def test_the_folder_holds_exactly_the_listed_cases() -> None:
    on_disk = {p.name for p in PLANS.glob("*.plan")}
    assert on_disk == set(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_plan_is_refused_with_its_code_and_location(name: str) -> None:
    code, line, column = BROKEN[name]
    path = PLANS / name
    exc = _refusal(path)
    first = _first_error(exc)
    assert (first.code, first.span.file, first.span.line) == (code, str(path), line), first
    if column is not None:
        assert first.span.column == column, first
    expected_kind = incentives.PlanSyntaxError if code < "E100" else incentives.PlanCheckError
    assert isinstance(exc, expected_kind)
    assert str(first.span) in str(exc), "the exception's message names the place"
    text = path.read_bytes().decode("utf-8-sig", "replace")
    for diagnostic in exc.diagnostics:
        check_plan_diagnostic(diagnostic, str(path), text)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_plan_gets_a_hint_saying_what_to_do(name: str) -> None:
    exc = _refusal(PLANS / name)
    for diagnostic in exc.diagnostics:
        assert diagnostic.hint, f"{diagnostic.code} has no hint: {diagnostic.message}"
        assert "\n" not in diagnostic.hint


def test_lowercase_currency_hint_names_the_currency() -> None:
    # `cap at 1,000 usd`: the mistake is the lowercase code, not the comma.
    hint = _first_error(_refusal(PLANS / "e001_lowercase_currency.plan")).hint or ""
    assert "capitals" in hint and "USD" in hint, hint


def test_a_spreadsheet_formula_is_not_called_a_chained_comparison() -> None:
    # `pays =SUM(B2:B9)` has no comparison at all.
    hint = _first_error(_refusal(PLANS / "e001_excel_formula.plan")).hint or ""
    assert "chained" not in hint, hint


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_check_prints_the_place_the_line_and_a_caret(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    relative = (PLANS / name).relative_to(REPO).as_posix()
    code, line, column = BROKEN[name]
    result = cli_invoke("check", relative)
    assert result.exit_code == 1, result.output
    assert_no_traceback(result.stdout + result.stderr)
    place = f"{relative}:{line}:{column if column is not None else ''}"
    assert place in result.stdout and f"error[{code}]" in result.stdout, result.stdout
    if code != "E006":
        assert "^" in result.stdout, "the source line with a caret"


def test_new_user_checks_the_whole_folder() -> None:
    relative = [(PLANS / n).relative_to(REPO).as_posix() for n in sorted(BROKEN)]
    done = cli_subprocess("check", *relative, cwd=REPO)
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert_no_traceback(out + err)
    assert done.returncode == 1, err
    for path in relative:
        assert f"\n{path}: " in "\n" + out, f"no summary line for {path}"


def test_check_json_locates_every_diagnostic_of_the_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What an editor integration reads: one JSON array, every item located.
    monkeypatch.chdir(REPO)
    relative = [(PLANS / n).relative_to(REPO).as_posix() for n in sorted(BROKEN)]
    result = cli_invoke("check", "--format", "json", *relative)
    assert result.exit_code == 1, result.output
    items = json.loads(result.stdout)
    assert {item["file"] for item in items} == set(relative)
    for item in items:
        assert item["line"] >= 1 and item["column"] >= 1, item
        assert item["code"] and item["message"] and item["severity"] in ("error", "warning")


def test_running_a_broken_plan_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "ledger.csv").write_text("txn_id,date,payee,amount,currency\n")
    (data / "roster.csv").write_text("payee\nkim\n")
    for name in ("e101_unknown_name.plan", "e003_bidi_override.plan", "e006_latin1.plan"):
        result = cli_invoke("run", str(PLANS / name), "--data", str(data), "--period", "2026-03")
        assert result.exit_code == 1, result.output
        assert_no_traceback(result.stdout + result.stderr)
        assert result.stdout == "", "nothing is printed as a result"


# ----------------------------------------------------------------- unusual but valid


@pytest.mark.parametrize("path", OK_PLANS, ids=lambda p: p.stem)
def test_unusual_but_valid_plan_loads_and_its_examples_pass(path: Path) -> None:
    plan = incentives.load_plan(path)
    assert not [d for d in plan.diagnostics if d.is_error]
    outcomes = incentives.run_examples(plan.ir)
    assert all(o.passed for o in outcomes), outcomes


def test_crlf_and_tabs_keep_columns_right() -> None:
    text = HEADER + "measure sales = sum amount\n\ncommission c\n\tpays 5% of\tsalez\n"
    for variant in (text, text.replace("\n", "\r\n")):
        exc = _refusal(variant)
        first = _first_error(exc)
        source = SourceFile("<plan>", variant)
        underlined = source.line_text(first.span.line)[
            first.span.column - 1 : first.span.end_column - 1
        ]
        assert underlined == "salez", (first, repr(variant))


# ----------------------------------------------------------------- built here


def _big_plan(target_bytes: int, comment: int) -> str:
    """A plan of about ``target_bytes``: declarations, each after a ``comment``-byte comment."""
    blocks = [HEADER]
    size, i = len(HEADER), 0
    while size < target_bytes:
        block = (
            f"# {'c' * comment}\n"
            f"measure m{i} = sum amount where amount > {i} USD\n"
            f'commission c{i} "Component {i} {"x" * 200}"\n  pays 1% of m{i}\n'
            f"  cap at {(i + 1) * 1000:,} USD\n\n"
        )
        blocks.append(block)
        size += len(block)
        i += 1
    return "".join(blocks)


def test_a_one_mebibyte_plan_loads() -> None:
    # Mostly comments and labels, so that the test stays quick; how fast a
    # 1 MiB plan of declarations loads is measured by benchmarks/parse_bench.py.
    text = _big_plan(1024 * 1024, comment=20_000)
    assert len(text.encode()) >= 1024 * 1024
    plan = incentives.load_plan(text)
    assert len(plan.ir.components) >= 50


def test_a_plan_just_under_the_size_limit_loads() -> None:
    body = _big_plan(4 * 1024, comment=100)
    text = body + "# " + "x" * (4 * 1024 * 1024 - len(body) - 10) + "\n"
    assert len(text) < 4 * 1024 * 1024
    incentives.load_plan(text)


def test_a_plan_over_the_size_limit_is_refused_at_its_start() -> None:
    text = HEADER + "# " + "x" * (4 * 1024 * 1024) + "\n"
    first = _first_error(_refusal(text))
    assert (first.code, first.span.line, first.span.column) == ("E005", 1, 1)
    assert first.hint


@pytest.mark.parametrize(
    ("what", "expression"),
    [
        ("parentheses", "(" * 5_000 + "5% of sales" + ")" * 5_000),
        ("negations", "- " * 5_000 + "5% of sales"),
        ("if-then-else", "if sales > 0 USD then " * 2_000 + "0 USD" + " else 0 USD" * 2_000),
        ("a long sum", " + ".join(["1% of sales"] * 1_500)),
        ("min calls", "min(" * 3_000 + "5% of sales" + ", 0 USD)" * 3_000),
    ],
)
def test_pathological_nesting_is_refused_or_loaded_never_a_crash(
    what: str, expression: str
) -> None:
    text = HEADER + f"measure sales = sum amount\n\ncommission c\n  pays {expression}\n"
    try:
        incentives.load_plan(text)
    except incentives.PlanError as exc:
        for diagnostic in exc.diagnostics:
            check_plan_diagnostic(diagnostic, "<plan>", text)


@pytest.mark.parametrize("depth", [101, 5_000, 1_000_000])
def test_parentheses_count_as_nesting(depth: int) -> None:
    # Grouping leaves no AST node, so the AST's depth alone let 5,000 of them
    # through although more than 100 levels are refused; the 101st `(` is
    # refused where it is, without reading the rest.
    text = HEADER + f"measure sales = sum amount\n\ncommission c\n  pays {'(' * depth}"
    text += "5% of sales" + ")" * depth + "\n"
    first = _first_error(_refusal(text))
    assert first.code == "E005"
    assert (first.span.line, first.span.column) == (10, 7 + 101)  # "  pays " is 7 columns
    assert "parentheses" in first.message
    check_plan_diagnostic(first, "<plan>", text)


def test_a_hundred_parentheses_are_allowed() -> None:
    text = HEADER + f"measure sales = sum amount\n\ncommission c\n  pays {'(' * 100}"
    incentives.load_plan(text + "5% of sales" + ")" * 100 + "\n")


@pytest.mark.parametrize(
    "literal",
    [
        "9" * 10_000 + " USD",
        "1" + ",000" * 3_000 + " USD",
        "0." + "0" * 10_000 + "1 USD",
        "9" * 10_000 + "%",
        "1e999999999 USD",
    ],
    ids=["10k-digit amount", "3k thousands groups", "10k-digit fraction", "10k-digit %", "exp"],
)
def test_absurd_literals_are_refused_at_the_literal(literal: str) -> None:
    text = (
        HEADER
        + f"measure sales = sum amount\n\ncommission c\n  pays 5% of sales\n  cap at {literal}\n"
    )
    first = _first_error(_refusal(text))
    assert first.code in ("E001", "E004"), first
    assert first.span.line == 11 and first.span.column in (10, 11), first
    check_plan_diagnostic(first, "<plan>", text)


@pytest.mark.parametrize(
    "char", ["\u202e", "\u2066", "\u200b", "\u200f", "\u061c", "\x1b", "\x00"], ids=repr
)
@pytest.mark.parametrize("where", ["text", "comment"])
def test_control_or_bidi_characters_in_texts_and_comments_are_reported(
    char: str, where: str
) -> None:
    # Trojan Source: inside a text the character changes what matches
    # ("east\u202e" never equals "east" in the data); inside a comment it can
    # make the line display differently from what the parser reads.
    region = f'"east{char}"' if where == "text" else '"east"'
    comment = f"  # only the east{char} region" if where == "comment" else ""
    text = (
        HEADER
        + "ledger columns\n  region: text\n\n"
        + f"measure sales = sum amount where region = {region}{comment}\n\n"
        + "commission c\n  pays 5% of sales\n"
    )
    line_text = text.splitlines()[9]
    column = line_text.index(char) + 1
    _, found = incentives.check_source(SourceFile("bidi.plan", text))
    at_char = [d for d in found if (d.span.line, d.span.column) == (10, column)]
    assert at_char, f"nothing reported at 10:{column}: {found}"
    assert all(d.hint for d in at_char)


def test_old_mac_line_endings_do_not_swallow_the_plan() -> None:
    # With lone CRs a comment must still end at the line break; the bonus
    # after the commented line must not disappear silently.
    text = (
        HEADER
        + "measure sales = sum amount\n\n"
        + "commission c  # five percent\n  pays 5% of sales\n\n"
        + "bonus b\n  pays 100 USD\n  when sales > 1,000 USD\n"
    )
    lf = incentives.load_plan(text)
    cr = text.replace("\n", "\r")
    try:
        plan = incentives.load_plan(cr)
    except incentives.PlanError as exc:
        first = _first_error(exc)
        assert (first.span.line, first.span.column) == (1, cr.index("\r") + 1), first
        return
    assert [c.name for c in plan.ir.components] == [c.name for c in lf.ir.components]


def test_a_page_break_in_a_comment_does_not_shift_later_excerpts() -> None:
    text = (
        HEADER
        + "# page one\x0cpage two\n"
        + "measure sales = sum amount\n\ncommission c\n  pays 5% of salez\n"
    )
    source = SourceFile("sep.plan", text)
    _, found = incentives.check_source(source)
    error = next(d for d in found if d.code == "E101")
    underlined = source.line_text(error.span.line)[
        error.span.column - 1 : error.span.end_column - 1
    ]
    assert underlined == "salez", (error, source.excerpt(error.span))


def test_an_unencodable_plan_text_is_refused_not_crashed_on() -> None:
    # A str from Python can hold a lone surrogate, which no file can. It must
    # be refused with a located error, or run; never a UnicodeEncodeError.
    text = HEADER + 'measure sales = sum amount\n\ncommission c "Comm\ud800"\n  pays 5% of sales\n'
    data = incentives.Dataset.from_records(
        ledger=[
            {
                "txn_id": "t1",
                "date": "2026-03-02",
                "payee": "kim",
                "amount": "100.00",
                "currency": "USD",
            }
        ],
        roster=[{"payee": "kim"}],
    )
    try:
        plan = incentives.load_plan(text)
        result = plan.run(data, period="2026-03")
        result.model_dump_json()
    except incentives.PlanError as exc:
        first = _first_error(exc)
        assert (first.span.line, first.span.column) == (9, 19), first


@pytest.mark.parametrize("length", [2, 150, 500, 1_500])
def test_a_long_cycle_of_lets_is_reported_not_a_crash(length: int) -> None:
    lets = "".join(f"let a{i} = a{(i + 1) % length} + 1 USD\n" for i in range(length))
    text = HEADER + "measure sales = sum amount\n\n" + lets + "\ncommission c\n  pays 5% of a0\n"
    exc = _refusal(text)
    cycle = [d for d in exc.diagnostics if d.code == "E401"]
    assert cycle, exc.diagnostics
    for diagnostic in exc.diagnostics:
        check_plan_diagnostic(diagnostic, "<plan>", text)


def test_a_long_chain_of_lets_loads_and_runs() -> None:
    lets = "".join(f"let a{i} = a{i - 1} + 1 USD\n" for i in range(1, 1_500))
    text = (
        HEADER
        + "measure sales = sum amount\n\nlet a0 = sales\n"
        + lets
        + "\ncommission c\n  pays 1% of a1499\n"
    )
    plan = incentives.load_plan(text)
    data = incentives.Dataset.from_records(
        ledger=[
            {
                "txn_id": "t1",
                "date": "2026-03-02",
                "payee": "kim",
                "amount": "1.00",
                "currency": "USD",
            }
        ],
        roster=[{"payee": "kim"}],
    )
    # 1% of (1.00 + 1,499 × 1 USD) = 15.00
    assert plan.run(data, period="2026-03").statements[0].total == 15


@pytest.mark.parametrize(
    "clause",
    [
        "measure team = sum amount across reports to depth {n}",
        "quota target\n  goal 1,000 USD per month\n  prorate by days active\n"
        "  ramp months 1 to {n} at 50%",
        "quota target\n  goal 1,000 USD per month\n  prorate by days active\n"
        "  ramp month {n} at 50%",
    ],
    ids=["team depth", "ramp range", "ramp month"],
)
def test_whole_numbers_of_thousands_of_digits_are_refused(clause: str) -> None:
    # Python refuses to convert a string of more than 4,300 digits to int.
    text = HEADER + "measure sales = sum amount\n\n" + clause.format(n="9" * 5_000) + "\n"
    text += "\ncommission c\n  pays 5% of sales\n"
    for diagnostic in _refusal(text).diagnostics:
        check_plan_diagnostic(diagnostic, "<plan>", text)


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\r", "\u202e", "\x85"], ids=repr)
def test_printed_diagnostics_show_control_characters_as_escapes(
    char: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The unexpected token is a text holding a control character; quoting it
    # raw in the message would let a plan drive the terminal that shows it.
    monkeypatch.chdir(tmp_path)
    text = (
        HEADER + f'measure sales = sum amount "x{char}[2Jy"\n\ncommission c\n  pays 5% of sales\n'
    )
    Path("t.plan").write_bytes(text.encode("utf-8"))
    result = cli_invoke("check", "t.plan")
    assert result.exit_code == 1, result.output
    shown = result.stdout.replace("\n", "").replace("\t", "")
    raw = [f"U+{ord(c):04X}" for c in shown if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]
    assert not raw, (raw, result.stdout)


@pytest.mark.parametrize(
    ("glued", "line"),
    [
        ("measuresales = sum amount\n\ncommission c\n  pays 5% of sales\n", 7),
        ("measure sales = sum amount\n\nroster fieldsfte: decimal\n\ncommission c\n"
         "  pays 5% of sales\n", 9),
    ],
    ids=["measuresales", "roster fieldsfte"],
)  # fmt: skip
def test_a_keyword_glued_to_a_name_is_not_read_as_two_words(glued: str, line: int) -> None:
    # `measuresales` is one word; reading it as `measure sales` accepts a typo
    # silently (and `fieldsfte` declares a field `fte`).
    first = _first_error(_refusal(HEADER + glued))
    assert first.span.line == line, first


def test_an_example_problem_points_into_the_plan() -> None:
    # The plan declares a roster field its example's payee does not set; the
    # failing example must point at the plan, not at `<records:roster>`.
    text = (
        HEADER
        + "roster fields\n  grade: decimal\n\nmeasure sales = sum amount\n\n"
        + "commission c\n  pays 5% of sales\n\n"
        + 'example "No grade"\n  period "2026-03"\n  payee kim\n'
        + "  line t1 2026-03-02 kim: 100 USD\n  expect kim c: 5 USD\n"
    )
    try:
        plan = incentives.load_plan(text)
    except incentives.PlanError as exc:
        for diagnostic in exc.diagnostics:
            check_plan_diagnostic(diagnostic, "<plan>", text)
        return
    for outcome in incentives.run_examples(plan.ir):
        for problem in outcome.problems:
            assert problem.span.file == "<plan>" and problem.span.line >= 1, problem
