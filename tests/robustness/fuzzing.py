"""Hostile inputs for incentives, and the one contract every outcome must meet.

Used by the CI fuzz tests (``tests/robustness/test_robust_fuzz.py``, a quick,
derandomized profile) and by ``scripts/fuzz`` (the long profile).

Strategies:

* :func:`grammar_plans` derives plan text from ``grammars/plan.lark`` itself:
  it reads the grammar's rules through Lark and expands them at random, so a
  construct added to the grammar is fuzzed without touching this module.
  Names come from a small pool (so references often resolve), literals from
  short lists of well-formed examples.
* :func:`checked_plans` writes plans that also pass the checker (header,
  columns, metrics, measures, a quota, tiers, components, a total cap and an
  example), so mutations of them reach every stage.
* :func:`mutated_text` / :func:`mutated_bytes` damage a text: delete, insert
  hostile characters (controls, bidi, NUL, quotes, huge digit runs), swap,
  duplicate, truncate, change line endings, break the encoding.
* :func:`datasets` writes the CSV files of a dataset for :data:`DATA_PLAN`,
  and :func:`mutated_dataset` damages one file of it.

Contract checks (raise ``AssertionError`` with the input in the message):

* :func:`check_plan_outcome`: loading a plan either succeeds or raises a
  :class:`~incentives.PlanError` (or, for a file, :class:`~incentives.UsageError`);
  no other exception, and every diagnostic is located inside the text with a
  one-line message and hint.
* :func:`check_dataset_outcome`: reading and running a dataset either gives a
  result whose rows add up (read = credited + excluded) or raises
  :class:`~incentives.DataError` / :class:`~incentives.EvaluationError` whose
  diagnostics name a file, row and column that exist.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import hypothesis.strategies as st
from lark import Lark
from lark.grammar import NonTerminal, Terminal
from lark.lexer import PatternStr

import incentives
from incentives import Diagnostic, SourceFile
from incentives.parse import grammar_text

__all__ = [
    "DATA_PLAN",
    "DATA_PLAN_PERIODS",
    "GrammarModel",
    "OutcomeError",
    "PlanOutcome",
    "check_dataset_outcome",
    "check_diagnostic_text",
    "check_plan_diagnostic",
    "check_plan_file_outcome",
    "check_plan_outcome",
    "checked_plans",
    "datasets",
    "grammar",
    "grammar_plans",
    "hostile_plans",
    "ledger_rows",
    "mutated_bytes",
    "mutated_dataset",
    "mutated_text",
]


class OutcomeError(AssertionError):
    """An outcome that breaks the robustness contract."""


# --------------------------------------------------------------------------- grammar


#: Well-formed examples of each regex terminal of the grammar.
TERMINAL_SAMPLES: dict[str, tuple[str, ...]] = {
    "STRING": ('"2026-03"', '"Sales"', '"Retail floor"', '"2026-Q1"', '"east"', '""'),
    "MONEY": ("1,000 USD", "0 USD", "250.50 USD", "10,000.00 USD", "5 EUR", "100 JPY"),
    "PERCENT": ("5%", "100%", "12.5%", "0%", "150%", "80%"),
    "NUMBER": ("0", "1", "0.01", "2", "3", "100", "1.5"),
    "INT": ("1", "2", "3", "12"),
    "DATE": ("2026-03-02", "2026-01-01", "2026-02-28", "2025-12-31", "2026-01-05"),
    "CURRENCY": ("USD", "EUR", "JPY"),
    "QUOTED_NAME": ("`line`", "`Region`", "`total`"),
}

#: Names the grammar-derived plans use; keywords are dropped at run time.
NAME_POOL = (
    "sales",
    "amount",
    "units",
    "region",
    "target",
    "attainment",
    "rates",
    "csat",
    "c",
    "b",
    "kim",
    "lee",
    "t1",
    "fte",
    "start_date",
)


@dataclass(frozen=True)
class GrammarModel:
    """The plan grammar as Lark compiled it: rules, terminals and keywords."""

    rules: dict[str, tuple[tuple[tuple[bool, str], ...], ...]]
    literals: dict[str, str]
    patterns: dict[str, str]
    keywords: frozenset[str]
    heights: dict[str, int]
    start: str = "start"

    @classmethod
    def load(cls) -> GrammarModel:
        parser = Lark(grammar_text(), parser="lalr", lexer="contextual", maybe_placeholders=True)
        rules: dict[str, list[tuple[tuple[bool, str], ...]]] = {}
        for rule in parser.rules:
            expansion = tuple(
                (isinstance(sym, Terminal), sym.name)
                for sym in rule.expansion
                if isinstance(sym, Terminal | NonTerminal)
            )
            rules.setdefault(str(rule.origin.name), []).append(expansion)
        literals: dict[str, str] = {}
        patterns: dict[str, str] = {}
        for term in parser.terminals:
            if isinstance(term.pattern, PatternStr):
                literals[term.name] = str(term.pattern.value)
            else:
                patterns[term.name] = str(term.pattern.value)
        keywords = frozenset(v for v in literals.values() if v.isidentifier())
        frozen = {k: tuple(v) for k, v in rules.items()}
        return cls(frozen, literals, patterns, keywords, _heights(frozen))

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in NAME_POOL if n not in self.keywords)


def _heights(rules: dict[str, tuple[tuple[tuple[bool, str], ...], ...]]) -> dict[str, int]:
    """The least derivation height of every rule (terminals have height 0)."""
    inf = 10**9
    height = dict.fromkeys(rules, inf)
    changed = True
    while changed:
        changed = False
        for name, expansions in rules.items():
            best = min(
                1 + max((0 if term else height.get(sym, inf) for term, sym in exp), default=0)
                for exp in expansions
            )
            if best < height[name]:
                height[name] = best
                changed = True
    return height


_GRAMMAR: GrammarModel | None = None


def grammar() -> GrammarModel:
    """The grammar model, built once per process."""
    global _GRAMMAR
    if _GRAMMAR is None:
        _GRAMMAR = GrammarModel.load()
    return _GRAMMAR


_SIGNED = frozenset({"MONEY", "PERCENT", "NUMBER", "INT", "NAME", "QUOTED_NAME"})
_LITERALS = frozenset({"STRING", "DATE"})
_SEPARATORS = (" ", " ", " ", "\n", "\n  ", "\t", "  ", "\n# a comment\n")


@st.composite
def grammar_plans(draw: st.DrawFn, max_depth: int = 9, max_tokens: int = 160) -> str:
    """Plan text derived at random from the grammar's rules (it parses).

    Beyond ``max_depth`` levels, or once ``max_tokens`` tokens are out, each
    rule takes its shortest expansion, so every derivation ends.
    """
    model = grammar()
    names = model.names()
    tokens: list[tuple[str, str]] = []

    def terminal(name: str) -> str:
        if name in model.literals:
            return model.literals[name]
        if name == "NAME":
            return draw(st.sampled_from(names))
        if name in TERMINAL_SAMPLES:
            return draw(st.sampled_from(TERMINAL_SAMPLES[name]))
        # A terminal added to the grammar after this module was written.
        return draw(st.from_regex(model.patterns[name], fullmatch=True).filter(str.strip))

    def expand(symbol: str, depth: int) -> None:
        options = model.rules[symbol]
        if depth >= max_depth or len(tokens) >= max_tokens:
            cost = [
                max((0 if t else model.heights[s] for t, s in exp), default=0) for exp in options
            ]
            options = tuple(exp for exp, c in zip(options, cost, strict=True) if c == min(cost))
        expansion = options[draw(st.integers(0, len(options) - 1))]
        for is_terminal, sym in expansion:
            if is_terminal:
                tokens.append((sym, terminal(sym)))
            else:
                expand(sym, depth + 1)

    expand(model.start, 0)
    texts = [text for _, text in tokens]
    for i in range(1, len(tokens)):
        # Only numbers and amounts can be negative: `-true` parses but is E004.
        if tokens[i - 1][1] == "-" and tokens[i][0] not in _SIGNED:
            if tokens[i][0] in _LITERALS or tokens[i][1] in ("true", "false"):
                texts[i] = "1"
    parts = [texts[0]]
    for token in texts[1:]:
        parts.append(draw(st.sampled_from(_SEPARATORS)))
        parts.append(token)
    return "".join(parts) + "\n"


# --------------------------------------------------------------- plans that check


@st.composite
def checked_plans(draw: st.DrawFn) -> str:
    """A plan that parses and checks: every stage after the parser sees it."""
    currency = draw(st.sampled_from(["USD", "EUR", "JPY"]))
    unit = "1" if currency == "JPY" else "0.01"
    period, label, day = draw(
        st.sampled_from(
            [
                ("month", "2026-03", "2026-03-02"),
                ("quarter", "2026-Q1", "2026-02-10"),
                ("week", "2026-W10", "2026-03-03"),
                ("year", "2026", "2026-06-30"),
            ]
        )
    )
    mode = draw(st.sampled_from(["half_even", "half_up", "down", "up"]))
    kind = draw(st.sampled_from(["marginal", "retroactive"]))

    def money(value: int) -> str:
        return f"{value:,} {currency}"

    cuts = sorted(draw(st.sets(st.integers(1, 200), min_size=1, max_size=4)))
    rates = draw(st.lists(st.integers(0, 20), min_size=len(cuts) + 1, max_size=len(cuts) + 1))
    on_attainment = draw(st.booleans())
    if on_attainment:

        def bound(c: int) -> str:
            return f"{c}%"
    else:

        def bound(c: int) -> str:
            return money(c * 100)

    bands = [f"  band below {bound(cuts[0])}: {rates[0]}%"]
    for low, high, rate in zip(cuts, cuts[1:], rates[1:], strict=False):
        bands.append(f"  band at least {bound(low)} and below {bound(high)}: {rate}%")
    bands.append(f"  band at least {bound(cuts[-1])}: {rates[-1]}%")
    goal = draw(st.integers(1, 100_000))
    prorate = draw(st.sampled_from(["", "\n  prorate by fte"]))
    against = " against target" if on_attainment else ""
    bonus = draw(st.integers(0, 500))
    spiff = draw(st.integers(0, 50))
    factor = draw(st.integers(100, 150))
    cap = draw(st.one_of(st.none(), st.integers(1, 100_000)))
    amount = draw(st.decimals(min_value=-10_000, max_value=100_000, places=2))
    units = draw(st.integers(0, 20))
    region = draw(st.sampled_from(["east", "west"]))
    csat = draw(st.integers(1, 5))
    expected = draw(st.integers(0, 5_000))
    extra_line = draw(st.booleans())
    text = f"""\
plan "Fuzz"
  version "1"
  currency {currency}
  period {period}
  rounding {mode} to {unit} on components

ledger columns
  units: count
  region: text

roster fields
  fte: decimal

metrics
  csat: decimal default 4

measure sales = sum amount
measure east_units = sum units where region = "east"

quota target
  goal {money(goal)} per {period}{prorate}

let attainment = sales / target

tiers rates {kind}
{chr(10).join(bands)}

commission c "Commission"
  pays rates on sales{against}

bonus b "Target bonus"
  pays {money(bonus)}
  when attainment >= 100%

spiff s
  pays {money(spiff)} per unit of units where region = "east"

multiplier m
  multiplies c by {factor}%
  when csat >= 4
"""
    if cap is not None:
        text += f"\ntotal\n  cap at {money(cap)}\n"
    text += f"""
example "Generated"
  period "{label}"
  payee kim: fte 1
  metric kim csat: {csat}
  line t1 {day} kim: {amount} {currency}, units {units}, region "{region}"
"""
    if extra_line:
        text += f'  line t2 {day} kim: 1 {currency}, units 1, region "west"\n'
    text += f"  expect kim total: {expected} {currency}\n"
    return text


# ------------------------------------------------------------------------ mutations

#: Strings a mutation inserts: what copy and paste, editors and exports do.
HOSTILE_SNIPPETS = (
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200f",
    "\ufeff",
    "\u00a0",
    "\u2028",
    "\r",
    "\r\n",
    "\t",
    '"',
    "'",
    "`",
    "#",
    ",",
    ":",
    "%",
    "(",
    ")",
    "-",
    "=",
    "é",
    "≥",
    "$",
    "٣",
    "１",
    "9" * 40,
    "9" * 5_000,
    "0." + "0" * 60 + "1",
    "1e999999",
    "NaN",
    "Infinity",
    "1_000",
    "2026-02-30",
    "9999-12-31",
    "0000-01-01",
    "(" * 200,
    "not " * 150,
    "- " * 150,
    "let",
    "total",
    "line",
    "USD",
    "usd",
    "XXX",
    " plan ",
)


def _apply(text: str, op: str, draw: st.DrawFn) -> str:
    size = len(text)
    at = draw(st.integers(0, size))
    if op == "delete" and size:
        stop = min(size, at + draw(st.integers(1, 12)))
        return text[:at] + text[stop:]
    if op == "insert":
        return text[:at] + draw(st.sampled_from(HOSTILE_SNIPPETS)) + text[at:]
    if op == "insert_char":
        char = draw(st.characters(codec="utf-8"))
        return text[:at] + char + text[at:]
    if op == "duplicate" and size:
        stop = min(size, at + draw(st.integers(1, 40)))
        return text[:stop] + text[at:stop] + text[stop:]
    if op == "swap":
        words = re.split(r"(\s+)", text)
        spots = [i for i, w in enumerate(words) if w.strip()]
        if len(spots) >= 2:
            i, j = draw(st.sampled_from(spots)), draw(st.sampled_from(spots))
            words[i], words[j] = words[j], words[i]
        return "".join(words)
    if op == "truncate":
        return text[:at]
    if op == "line_endings":
        return text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n\n", "\n\t"])))
    if op == "digits":
        return re.sub(r"\d+", lambda m: m.group() * draw(st.integers(1, 30)), text, count=3)
    if op == "case":
        return text.upper() if draw(st.booleans()) else text.swapcase()
    return text


_TEXT_OPS = (
    "delete",
    "insert",
    "insert_char",
    "duplicate",
    "swap",
    "truncate",
    "line_endings",
    "digits",
    "case",
)


@st.composite
def mutated_text(draw: st.DrawFn, base: st.SearchStrategy[str], max_ops: int = 4) -> str:
    """A text from ``base``, damaged by one to ``max_ops`` mutations."""
    text = draw(base)
    for _ in range(draw(st.integers(1, max_ops))):
        text = _apply(text, draw(st.sampled_from(_TEXT_OPS)), draw)
    return text


_BYTE_SNIPPETS = (
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xe9",
    b"\x80",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\r",
    b"\r\n",
    b'"',
    b",",
)


@st.composite
def mutated_bytes(draw: st.DrawFn, base: st.SearchStrategy[str], max_ops: int = 3) -> bytes:
    """The UTF-8 bytes of a text from ``base``, damaged below the text level."""
    data = draw(mutated_text(base, max_ops=2)).encode("utf-8", "surrogatepass")
    for _ in range(draw(st.integers(0, max_ops))):
        op = draw(st.sampled_from(["insert", "delete", "bom", "latin1", "utf16", "truncate"]))
        at = draw(st.integers(0, len(data)))
        if op == "insert":
            data = data[:at] + draw(st.sampled_from(_BYTE_SNIPPETS)) + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 4)) :]
        elif op == "bom":
            data = b"\xef\xbb\xbf" + data
        elif op == "latin1":
            data = data.decode("utf-8", "replace").encode("latin-1", "replace")
        elif op == "utf16":
            data = data.decode("utf-8", "replace").encode("utf-16")
        else:
            data = data[:at]
    return data


@st.composite
def hostile_plans(draw: st.DrawFn) -> str:
    """Grammar-derived or checked plans, damaged."""
    base = st.one_of(grammar_plans(), checked_plans())
    return draw(st.one_of(base, mutated_text(base)))


# ------------------------------------------------------------------------ contracts

_CODE = re.compile(r"[EWDR]\d{3}")
_LEAKS = ("__ANON", "$END", "Token(", "Tree(", "Traceback", "lark.")


def check_diagnostic_text(diagnostic: Diagnostic, context: str) -> None:
    """Code, message and hint of a diagnostic are well-formed."""
    where = f"{diagnostic!r}\n--- input ---\n{context}"
    if not _CODE.fullmatch(diagnostic.code):
        raise OutcomeError(f"bad diagnostic code: {where}")
    if not isinstance(diagnostic.message, str) or not diagnostic.message.strip():
        raise OutcomeError(f"empty diagnostic message: {where}")
    for text in (diagnostic.message, diagnostic.hint or ""):
        if "\n" in text or "\r" in text:
            raise OutcomeError(f"message or hint is not one line: {where}")
        for leak in _LEAKS:
            if leak in text:
                raise OutcomeError(f"internal name {leak!r} leaks into a message: {where}")
    if diagnostic.hint is not None and not diagnostic.hint.strip():
        raise OutcomeError(f"empty hint: {where}")


def _lines(text: str) -> list[str]:
    # A plan's lines end at LF, CRLF or a lone CR, as an editor counts them
    # (docs/robustness.md). Not str.splitlines(): it also breaks at form
    # feeds, which a comment may hold, and at U+0085 and U+2028, which the
    # parser refuses with a located E003.
    lines = re.split(r"\r\n|\r|\n", text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def check_plan_diagnostic(diagnostic: Diagnostic, name: str, text: str) -> None:
    """A plan diagnostic points at a line and column that exist in ``text``."""
    check_diagnostic_text(diagnostic, text[:2000])
    span = diagnostic.span
    where = f"{diagnostic!r}\n--- plan ---\n{text[:2000]!r}"
    if span.file != name:
        raise OutcomeError(f"diagnostic names file {span.file!r}, not {name!r}: {where}")
    lines = _lines(text)
    if not 1 <= span.line <= len(lines) + 1:
        raise OutcomeError(f"line {span.line} is outside the plan (1..{len(lines)}): {where}")
    width = len(lines[span.line - 1]) if span.line <= len(lines) else 0
    if not 1 <= span.column <= width + 2:
        raise OutcomeError(f"column {span.column} is outside line {span.line}: {where}")


@dataclass(frozen=True)
class PlanOutcome:
    plan: incentives.Plan | None
    diagnostics: list[Diagnostic]


def check_plan_outcome(text: str, name: str = "fuzz.plan") -> PlanOutcome:
    """Parse, check and compile ``text``; enforce the contract; run its examples."""
    try:
        plan, diagnostics = incentives.check_source(SourceFile(name, text))
    except incentives.PlanError as exc:
        plan, diagnostics = None, exc.diagnostics
        if not diagnostics:
            raise OutcomeError(f"PlanError without diagnostics: {exc!r}\n{text[:2000]!r}") from exc
    except Exception as exc:
        raise OutcomeError(
            f"{type(exc).__name__} escaped the checker: {exc}\n--- plan ---\n{text[:2000]!r}"
        ) from exc
    for diagnostic in diagnostics:
        check_plan_diagnostic(diagnostic, name, text)
    if plan is None and not any(d.is_error for d in diagnostics):
        raise OutcomeError(f"a plan was refused without an error: {diagnostics!r}\n{text!r}")
    if plan is not None:
        _run_examples(plan, text)
    return PlanOutcome(plan, list(diagnostics))


def _run_examples(plan: incentives.Plan, text: str) -> None:
    try:
        outcomes = incentives.run_examples(plan.ir)
    except Exception as exc:
        raise OutcomeError(
            f"{type(exc).__name__} escaped run_examples: {exc}\n--- plan ---\n{text[:2000]!r}"
        ) from exc
    for outcome in outcomes:
        for problem in outcome.problems:
            check_diagnostic_text(problem, text[:2000])
            if problem.span.line < 1:
                raise OutcomeError(f"example problem without a line: {problem!r}\n{text!r}")


def check_plan_file_outcome(data: bytes, directory: Path) -> None:
    """Load plan bytes from a file: a plan, a PlanError or a UsageError, located."""
    path = directory / "fuzz.plan"
    path.write_bytes(data)
    try:
        plan = incentives.load_plan(path)
    except incentives.PlanError as exc:
        if not exc.diagnostics:
            raise OutcomeError(f"PlanError without diagnostics for {data[:500]!r}") from exc
        text = data.decode("utf-8-sig", "replace")
        for diagnostic in exc.diagnostics:
            check_plan_diagnostic(diagnostic, str(path), text)
        return
    except Exception as exc:
        raise OutcomeError(
            f"{type(exc).__name__} escaped load_plan: {exc}\n--- bytes ---\n{data[:2000]!r}"
        ) from exc
    _run_examples(plan, data[:2000].decode("utf-8", "replace"))


# --------------------------------------------------------------------------- data

#: The plan the data fuzzer feeds: extra ledger columns, a roster field with
#: proration, quotas from the table, a metric with a default.
DATA_PLAN = """\
plan "Data fuzz"
  version "1"
  currency USD
  period month
  rounding half_up to 0.01 on components

ledger columns
  units: count
  region: text

metrics
  csat: decimal default 4

measure sales = sum amount

quota target
  goal from quotas per month
  prorate by fte

let attainment = sales / target

tiers rates marginal
  band below 100%: 5%
  band at least 100%: 8%

commission c "Commission"
  pays rates on sales against target

spiff s
  pays 5 USD per unit of units where region = "east"

multiplier m
  multiplies c by 110%
  when csat >= 4.5
"""

DATA_PLAN_PERIODS = ("2026-01", "2026-03")

_PAYEES = ("ana", "ben", "chloe", "dev")

#: Valid amounts at the edges of what the loader accepts (30 digits at most).
EXTREME_AMOUNTS = (
    "0",
    "-0.00",
    "0.01",
    "999999999999999999999999999999",
    "-999999999999999999999999999999",
    "0.00000000000000000000000000001",
    "100000000000000000000000000000",
    "0.004999999999999999999999",
)
#: Valid dates at the edges of the calendar.
EXTREME_DATES = ("0001-01-01", "9999-12-31", "2024-02-29", "2026-12-31", "1970-01-01")


def _csv(rows: Sequence[Sequence[str]], newline: str = "\n") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, bytes]:
    """Valid CSV files for :data:`DATA_PLAN`, by file name."""
    payees = draw(st.lists(st.sampled_from(_PAYEES), min_size=1, max_size=4, unique=True))
    fte = st.sampled_from(["1", "0.5", "0.8", "0.25"])
    start = st.sampled_from(["", "2025-06-01", "2026-02-11", "2026-04-01"])
    roster = [("payee", "fte", "start_date", "manager")]
    for i, payee in enumerate(payees):
        manager = payees[0] if i else ""
        roster.append((payee, draw(fte), draw(start), manager))
    plain_money = st.decimals(min_value=-5_000, max_value=50_000, places=2).map(str)
    plain_day = st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 4, 30))

    def money() -> str:
        rare = draw(st.integers(0, 11)) == 0
        return draw(st.sampled_from(EXTREME_AMOUNTS) if rare else plain_money)

    def day() -> str:
        rare = draw(st.integers(0, 11)) == 0
        return draw(st.sampled_from(EXTREME_DATES)) if rare else draw(plain_day).isoformat()

    lines = draw(st.integers(0, 14))
    ledger = [("txn_id", "date", "payee", "amount", "currency", "units", "region")]
    for i in range(lines):
        ledger.append(
            (
                f"T{i:03d}",
                day(),
                draw(st.sampled_from(payees)),
                money(),
                "USD",
                str(draw(st.integers(0, 9))),
                draw(st.sampled_from(["east", "west", ""])),
            )
        )
    quotas = [("payee", "period", "amount", "currency")]
    for payee in payees:
        for month in ("2026-01", "2026-02", "2026-03"):
            goal = draw(st.integers(1, 60_000))
            quotas.append((payee, month, f"{goal}.00", "USD"))
    metrics = [("payee", "period", "name", "value")]
    for payee in draw(st.lists(st.sampled_from(payees), unique=True)):
        metrics.append((payee, "2026-03", "csat", draw(st.sampled_from(["3.9", "4.5", "5"]))))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    files = {
        "ledger.csv": _csv(ledger, newline),
        "roster.csv": _csv(roster, newline),
        "quotas.csv": _csv(quotas, newline),
    }
    if len(metrics) > 1 or draw(st.booleans()):
        files["metrics.csv"] = _csv(metrics, newline)
    return files


#: Cell texts a spreadsheet or a careless export puts where a value belongs.
BAD_CELLS = (
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "sNaN",
    "1_000",
    "1e3",
    "1E+3",
    " 100",
    "100 ",
    "1,000.00",
    "$100",
    "100.0.0",
    "0x10",
    "١٠٠",
    "１００",
    "9" * 31,
    "9" * 5_000,
    "0." + "0" * 40 + "1",
    "2026-02-30",
    "2026-13-01",
    "9999-12-31",
    "0001-01-01",
    "03/02/2026",
    "",
    "usd",
    "XXX",
    "EUR",
    "kimm",
    "ANA",
    "true",
    "1.5",
    "-1",
    "0",
)

_CSV_SNIPPETS = (
    b'"',
    b",",
    b",,",
    b"\n",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\t",
    b" ",
    "\u202e".encode(),
)


@st.composite
def mutated_dataset(draw: st.DrawFn) -> dict[str, bytes]:
    """A dataset from :func:`datasets` with one to three of its files damaged."""
    files = dict(draw(datasets()))
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        files[name] = _damage_csv(files[name], draw)
    if draw(st.integers(0, 9)) == 0:
        files.pop(draw(st.sampled_from(sorted(files))))
    return files


def _damage_csv(data: bytes, draw: st.DrawFn) -> bytes:
    op = draw(
        st.sampled_from(["cell"] * 5 + ["bytes", "delete", "line", "header", "truncate", "encode"])
    )
    text = data.decode("utf-8", "surrogateescape")
    lines = text.splitlines(keepends=True)
    if op == "cell" and len(lines) > 1:
        i = draw(st.integers(1, len(lines) - 1))
        cells = lines[i].rstrip("\r\n").split(",")
        j = draw(st.integers(0, len(cells) - 1))
        cells[j] = draw(st.sampled_from(BAD_CELLS))
        ending = lines[i][len(lines[i].rstrip("\r\n")) :]
        lines[i] = ",".join(cells) + ending
        return "".join(lines).encode("utf-8", "surrogateescape")
    at = draw(st.integers(0, len(data)))
    if op == "bytes":
        return data[:at] + draw(st.sampled_from(_CSV_SNIPPETS)) + data[at:]
    if op == "delete":
        return data[:at] + data[at + draw(st.integers(1, 6)) :]
    if op == "line" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["dup", "drop", "swap", "blank"]))
        if action == "dup":
            lines.insert(i, lines[i])
        elif action == "drop":
            del lines[i]
        elif action == "blank":
            lines.insert(i, "\n")
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines).encode("utf-8", "surrogateescape")
    if op == "header" and lines:
        header = lines[0]
        change = draw(st.sampled_from(["upper", "title", "space", "drop", "extra", "dup"]))
        cells = header.rstrip("\r\n").split(",")
        k = draw(st.integers(0, len(cells) - 1))
        if change == "upper":
            cells[k] = cells[k].upper()
        elif change == "title":
            cells[k] = cells[k].title()
        elif change == "space":
            cells[k] = f" {cells[k]}"
        elif change == "drop":
            del cells[k]
        elif change == "extra":
            cells.append("notes")
        else:
            cells.append(cells[k])
        lines[0] = ",".join(cells) + header[len(header.rstrip("\r\n")) :]
        return "".join(lines).encode("utf-8", "surrogateescape")
    if op == "truncate":
        return data[:at]
    codec = draw(st.sampled_from(["utf-16", "latin-1", "utf-8-sig", "cp1252"]))
    return text.encode(codec, "replace")


def _physical_lines(data: bytes) -> int:
    return len(re.findall(rb"\r\n|\r|\n", data)) + 1


def check_dataset_outcome(
    files: dict[str, bytes], plan: incentives.Plan, directory: Path | None = None
) -> incentives.RunResult | None:
    """Read ``files`` as a dataset and run ``plan`` on it; enforce the contract.

    Returns the result, or None when a library error (checked) refused the data.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(directory or tmp)
        for name, data in files.items():
            (root / name).write_bytes(data)
        context = "\n".join(f"--- {n} ---\n{d[:1500]!r}" for n, d in sorted(files.items()))
        try:
            dataset = incentives.Dataset.from_dir(root)
            result = plan.run(dataset, period=DATA_PLAN_PERIODS[0], to=DATA_PLAN_PERIODS[1])
        except (incentives.DataError, incentives.UsageError) as exc:
            _check_data_diagnostics(exc, files, root, context)
            return None
        except incentives.EvaluationError as exc:
            if not exc.diagnostics:
                raise OutcomeError(f"EvaluationError without diagnostics\n{context}") from exc
            for diagnostic in exc.diagnostics:
                check_diagnostic_text(diagnostic, context)
                if diagnostic.span.line < 1:
                    raise OutcomeError(f"run-time problem without a line: {diagnostic!r}") from exc
            return None
        except Exception as exc:
            raise OutcomeError(
                f"{type(exc).__name__} escaped the data loader or the run: {exc}\n{context}"
            ) from exc
        _check_accounting(result, files["ledger.csv"], context)
        return result


def _check_data_diagnostics(
    exc: incentives.IncentivesError, files: dict[str, bytes], root: Path, context: str
) -> None:
    if isinstance(exc, incentives.UsageError):
        # Only an unreadable file or directory is a usage error here.
        raise OutcomeError(f"UsageError for readable files: {exc}\n{context}")
    if not exc.diagnostics:
        raise OutcomeError(f"DataError without diagnostics: {exc}\n{context}")
    sources = {str(root / name): name for name in ("ledger.csv", "roster.csv", "quotas.csv")}
    sources |= {str(root / "metrics.csv"): "metrics.csv"}
    for diagnostic in exc.diagnostics:
        check_diagnostic_text(diagnostic, context)
        span = diagnostic.span
        if span.file not in sources:
            raise OutcomeError(f"diagnostic names no input file: {diagnostic!r}\n{context}")
        data = files.get(sources[span.file])
        if data is None:
            if diagnostic.code != "D612":
                raise OutcomeError(f"a missing file is not D612: {diagnostic!r}\n{context}")
            continue
        if not 0 <= span.line <= _physical_lines(data) + 1:
            raise OutcomeError(f"row {span.line} is not in the file: {diagnostic!r}\n{context}")
        if not 0 <= span.column <= data.count(b",") + 2:
            raise OutcomeError(f"column {span.column} does not exist: {diagnostic!r}\n{context}")


def ledger_rows(data: bytes) -> int:
    """The data rows of a valid ledger file: non-blank records after the header."""
    text = data.decode("utf-8-sig")
    records = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    return max(len(records) - 1, 0)


def _check_accounting(result: incentives.RunResult, ledger: bytes, context: str) -> None:
    rows = result.rows
    excluded = sum(rows.excluded.values())
    if rows.read != rows.credited + excluded:
        raise OutcomeError(f"rows do not add up: {rows!r}\n{context}")
    if rows.read != ledger_rows(ledger):
        raise OutcomeError(
            f"{ledger_rows(ledger)} ledger rows in the file, {rows.read} read: {rows!r}\n{context}"
        )
    if any(not reason.strip() for reason in rows.excluded):
        raise OutcomeError(f"rows excluded without a reason: {rows!r}\n{context}")
