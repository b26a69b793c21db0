"""``incentives fmt`` keeps every plan's meaning: ``parse(fmt(x)) == parse(x)``.

For any plan text ``x`` that parses, the formatted text parses to the same
tree but for positions (comments included, by text and in order), and
formatting is idempotent: ``fmt(fmt(x)) == fmt(x)``. Checked on:

* random plans derived from ``grammars/plan.lark`` itself (:func:`plan_texts`):
  each rule of the grammar expanded at random, with random whitespace, line
  breaks, comments and blank lines between the tokens, so a construct added to
  the grammar is covered without touching this module;
* random expressions written with every compound part in parentheses
  (:func:`expression_plans`), in every kind of place, so the printer must
  find exactly which parentheses the tree needs;
* one small plan per alternative of every grammar rule
  (:func:`forced_plan`), so every declaration, clause and expression form is
  formatted at least once whatever the random draws;
* every plan of the repository that parses: ``plans/``, the golden and
  robustness plans (a BOM, CRLF line ends, tabs …) and the documentation's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import given
from lark import Lark
from lark.grammar import NonTerminal, Terminal
from lark.lexer import PatternStr

from incentives.ast import nodes
from incentives.ast.printer import format_plan, same_plan
from incentives.ast.visitor import walk
from incentives.errors import PlanSyntaxError
from incentives.parse import grammar_text, parse

ROOT = Path(__file__).parents[2]

#: Well-formed samples of the grammar's regex terminals, odd spellings included.
SAMPLES: dict[str, tuple[str, ...]] = {
    "NAME": ("sales", "amount", "units", "region", "target", "x", "_y2", "kim", "q1_goal"),
    "QUOTED_NAME": ("`line`", "`Region name`", "`total`", "`from`", "`x`"),
    "STRING": ('"2026-03"', '"Sales"', '""', '"say \\"hi\\""', '"back\\\\slash"', '"# no"'),
    "MONEY": ("1,000 USD", "0 USD", "250.50 USD", "10000 EUR", "1,234,567.89 JPY", "5\tUSD"),
    "PERCENT": ("5%", "100%", "12.50%", "0%"),
    "NUMBER": ("0", "1", "0.01", "2.50", "100", "007"),
    "INT": ("1", "2", "12", "03"),
    "DATE": ("2026-03-02", "2026-01-01", "2024-02-29", "2025-12-31"),
    "CURRENCY": ("USD", "EUR", "JPY"),
}
#: What may separate two tokens: mostly a space, sometimes line breaks,
#: tabs, blank lines, Windows line ends and comments of every kind.
SEPARATORS = (" ",) * 8 + (
    "\n",
    "\n  ",
    "\t",
    "   ",
    "\n\n\n",
    "\r\n",
    "  # a trailing comment\n",
    "# a comment with trailing blanks \t \n",
    "\n# an own-line comment\n",
    "\n  # an indented comment\n  ",
    "\n\n# after a blank line\n\n",
)
#: Tokens that may touch their neighbour (``f(x)``, ``a: 1``, ``[1, 2]``).
_OPENING = frozenset({"(", "["})
_CLOSING = frozenset({")", "]", ",", ":"})


@dataclass(frozen=True)
class Grammar:
    """The plan grammar as Lark compiles it: each rule's alternatives and the terminals."""

    #: rule name → its alternatives, each a tuple of (is_terminal, symbol name)
    rules: dict[str, tuple[tuple[tuple[bool, str], ...], ...]]
    #: terminal name → its text, for the grammar's keywords and punctuation
    literals: dict[str, str]
    #: terminal name → its regular expression, for the other terminals
    patterns: dict[str, str]
    #: rule name → the least height of a derivation from it
    heights: dict[str, int]

    def cost(self, alternative: tuple[tuple[bool, str], ...]) -> int:
        return max((0 if term else self.heights[s] for term, s in alternative), default=0)

    def shortest(self, rule: str) -> tuple[tuple[bool, str], ...]:
        return min(self.rules[rule], key=self.cost)

    def names(self) -> tuple[str, ...]:
        keywords = {v for v in self.literals.values() if v.isidentifier()}
        return tuple(name for name in SAMPLES["NAME"] if name not in keywords)


@functools.cache
def grammar() -> Grammar:
    parser = Lark(grammar_text(), parser="lalr", lexer="contextual", maybe_placeholders=True)
    rules: dict[str, list[tuple[tuple[bool, str], ...]]] = {}
    for rule in parser.rules:
        alternative = tuple(
            (isinstance(s, Terminal), s.name)
            for s in rule.expansion
            if isinstance(s, Terminal | NonTerminal)
        )
        rules.setdefault(rule.origin.name, []).append(alternative)
    literals, patterns = {}, {}
    for term in parser.terminals:
        if isinstance(term.pattern, PatternStr):
            literals[term.name] = term.pattern.value
        else:
            patterns[term.name] = term.pattern.value
    frozen = {name: tuple(alts) for name, alts in rules.items()}
    heights = dict.fromkeys(frozen, 10**9)
    changed = True
    while changed:
        changed = False
        for name, alternatives in frozen.items():
            best = 1 + min(
                max((0 if t else heights[s] for t, s in alt), default=0) for alt in alternatives
            )
            if best < heights[name]:
                heights[name], changed = best, True
    return Grammar(frozen, literals, patterns, heights)


def _join(tokens: list[tuple[str, str]], separators: Iterator[str]) -> str:
    """Plan text from (terminal, text) tokens and the separators between them."""
    texts = [text for _, text in tokens]
    for i in range(1, len(tokens)):
        # Only numbers and amounts can be negative (`-true` parses, but is E004).
        if texts[i - 1] == "-" and tokens[i][0] in ("STRING", "DATE", "TRUE", "FALSE"):
            texts[i] = "1"
    parts = [texts[0]]
    for before, after in pairwise(texts):
        separator = next(separators)
        if not separator.strip(" ") and (before in _OPENING or after in _CLOSING):
            separator = ""  # `(x`, `x)`, `x,`, `x:` as often as `( x`
        parts += [separator, after]
    return "".join(parts) + "\n"


@st.composite
def plan_texts(draw: st.DrawFn, max_depth: int = 12, max_tokens: int = 300) -> str:
    """A random plan text the grammar derives (it parses; it need not check).

    Below a token budget (drawn up to ``max_tokens``) and ``max_depth``, a coin
    decides between a rule's pass-through alternatives (one rule, no token:
    ``sum_expr: product``) and the others, then one of them is taken at random;
    so each level of the expression grammar is used about as often as it is
    passed through. Repetitions (the declarations, a declaration's clauses …)
    go on more often than not. Depth counts only alternatives that add tokens
    or branch, so passing through levels does not use it up. Past the budget or
    the depth each rule takes a shortest alternative, so every derivation ends.
    The simplest draw is a small plan.
    """
    g = grammar()
    names = g.names()
    budget = draw(st.integers(10, max_tokens))
    tokens: list[tuple[str, str]] = []

    def terminal(name: str) -> str:
        if name in g.literals:
            return g.literals[name]
        if name == "NAME":
            return draw(st.sampled_from(names))
        if name in SAMPLES:
            return draw(st.sampled_from(SAMPLES[name]))
        # A terminal added to the grammar after this module was written.
        return draw(st.from_regex(g.patterns[name], fullmatch=True).filter(str.strip))

    def expand(rule: str, depth: int) -> None:
        alternatives = g.rules[rule]
        least = min(map(g.cost, alternatives))
        if depth >= max_depth or len(tokens) >= budget:
            alternatives = tuple(a for a in alternatives if g.cost(a) == least)
        elif rule == "start" or rule.startswith("__"):
            # Lark's helper rules for `x*` and `x+`: `__start_star_0` and the like.
            if draw(st.booleans()):
                alternatives = tuple(a for a in alternatives if g.cost(a) > least) or alternatives
        else:
            through = tuple(a for a in alternatives if len(a) == 1 and not a[0][0])
            others = tuple(a for a in alternatives if a not in through)
            if through and others:
                alternatives = through if draw(st.booleans()) else others
        alternative = alternatives[draw(st.integers(0, len(alternatives) - 1))]
        chain = len(alternative) == 1 and not alternative[0][0]
        for is_terminal, symbol in alternative:
            if is_terminal:
                tokens.append((symbol, terminal(symbol)))
            else:
                expand(symbol, depth if chain else depth + 1)

    expand("start", 0)
    separators = iter(draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(tokens))))
    return _join(tokens, separators)


_LEAVES = ("a", "b", "`c d`", "5", "0.5", "1,000 USD", "5%", '"x"', "true", "2026-01-01")
_OPERATORS = ("or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "of")


#: Compound expressions by kind; `{}` is a sub-expression. Binary operators
#: (``_OPERATORS``) come on top, as often as all of these together.
_SHAPES = (
    "(-{})",
    "(-{})",
    "(not {})",
    "({} in [1, -2%])",
    "({} not in [])",
    "(if {} then {} else {})",
    "max({}, {})",
    "round({}, 0.01, down)",
    "(rates on {} against {})",
    "(curve at {})",
    "(sum of sales across reports)",
)


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """An expression with every compound part in parentheses, so the text says
    exactly which tree it is, whatever the printer thinks of precedence;
    operators of one level often nest in one another (``(a - (b - c))``).
    """
    if depth >= 4 or (depth and not draw(st.integers(0, 3))):
        return draw(st.sampled_from(_LEAVES))
    if draw(st.booleans()):
        shape = "({} " + draw(st.sampled_from(_OPERATORS)) + " {})"
    else:
        shape = draw(st.sampled_from(_SHAPES))
    return shape.format(*(draw(expressions(depth + 1)) for _ in range(shape.count("{}"))))


#: Places an expression can stand (``{}``), atoms included: every compound is
#: parenthesised, so it is an atom wherever one is wanted.
PLACES = (
    "let x = {}",
    "measure m = sum {} where {} default {}",
    "tiers t flat band at least {} and below {}: {}",
    "tiers t interpolated band below {}: from {} to {}",
    "commission c pays {} per unit of {} where {} gate at {}, excess only cap at {}",
    "bonus b pays {} per line where {} hold back {} for 2 periods",
    "quota q goal {} split by weights {}, {} ramp months 1 to 2 at {}",
    "draw d guarantee {} shortfall recovered at most {} per period when {}",
)


@st.composite
def expression_plans(draw: st.DrawFn) -> str:
    place = draw(st.sampled_from(PLACES))
    parts = [draw(expressions()) for _ in range(place.count("{}"))]
    return 'plan "Expressions"\n' + place.format(*parts) + "\n"


def forced_plan(rule: str, index: int) -> str:
    """The smallest plan the grammar derives that uses alternative ``index`` of ``rule``."""
    g = grammar()
    inf = 10**9
    distance = {rule: 0}  # rule name → expansions needed to reach `rule`
    changed = True
    while changed:
        changed = False
        for name, alternatives in g.rules.items():
            for alt in alternatives:
                for t, s in alt:
                    if not t and s in distance and distance[s] + 1 < distance.get(name, inf):
                        distance[name], changed = distance[s] + 1, True
    tokens: list[tuple[str, str]] = []

    def expand(symbol: str, towards: bool) -> None:
        if towards and symbol == rule:
            alternative, target = g.rules[rule][index], -1
        elif towards:
            steps = [
                (min((distance.get(s, inf), i) for i, (t, s) in enumerate(a) if not t), a)
                for a in g.rules[symbol]
                if any(not t for t, _ in a)
            ]
            (_, target), alternative = min(steps, key=lambda step: step[0][0])
        else:
            alternative, target = g.shortest(symbol), -1
        for i, (is_terminal, name) in enumerate(alternative):
            if is_terminal:
                sample = SAMPLES.get(name, (g.literals.get(name, ""),))[0]
                tokens.append((name, g.names()[0] if name == "NAME" else sample))
            else:
                expand(name, i == target)

    expand("start", True)
    return _join(tokens, iter(lambda: " ", None))


def test_a_number_after_a_name_in_a_split() -> None:
    # The LALR state after a `name` is shared by every use of `name`, so both a
    # whole number (a payee id) and a number (a value) may follow; `7` is read
    # as the whole number, which a value also accepts.
    plan = parse('plan "T"\nexample "e" split t1 7: 50% payee kim: fte 0.5, grade 7\n')
    split, payee = plan.declarations[0].clauses  # type: ignore[attr-defined]
    assert (split.payee.text, split.payee.form) == ("7", "int")
    assert [f.value.value for f in payee.fields] == [Decimal("0.5"), Decimal(7)]


ALTERNATIVES = [
    (rule, i) for rule, alternatives in grammar().rules.items() for i in range(len(alternatives))
]


def check_round_trip(text: str, name: str = "plan") -> nodes.PlanFile:
    """Assert fmt's contract on ``text`` (which must parse); the parsed plan."""
    try:
        plan = parse(text, filename=name)
    except PlanSyntaxError as exc:
        raise AssertionError(f"the test plan does not parse: {exc}\n{text}") from None
    out = format_plan(plan)
    again = parse(out, filename=name)
    assert same_plan(plan, again), f"the meaning changed:\n{text}\n---- formatted ----\n{out}"
    assert format_plan(again) == out, f"not idempotent:\n{out}"
    assert [c.text for c in again.comments] == [c.text.rstrip() for c in plan.comments]
    return plan


@given(plan_texts())
def test_random_plans_keep_their_meaning(text: str) -> None:
    check_round_trip(text)


@given(expression_plans())
def test_precedence_and_parentheses_keep_their_meaning(text: str) -> None:
    check_round_trip(text)


@pytest.mark.parametrize(("rule", "index"), ALTERNATIVES, ids=[f"{r}-{i}" for r, i in ALTERNATIVES])
def test_every_grammar_alternative_keeps_its_meaning(rule: str, index: int) -> None:
    check_round_trip(forced_plan(rule, index), f"{rule}-{index}")


def test_the_forced_plans_use_every_node_type() -> None:
    seen = {
        type(node) for rule, index in ALTERNATIVES for node in walk(parse(forced_plan(rule, index)))
    }
    every = {getattr(nodes, name) for name in nodes.__all__}
    missing = {c.__name__ for c in every if isinstance(c, type)} - {c.__name__ for c in seen}
    assert missing <= {"Comment"}, f"no grammar alternative produces {sorted(missing)}"


# ----------------------------------------------------------- the repository's plans

#: A ``plan`` or ``plan-fragment`` block of the documentation (options may follow).
_DOC_BLOCK = re.compile(r"^```(plan-fragment|plan)\b[^\n`]*\n(.*?)^```[ \t]*$", re.M | re.S)
_FRAGMENT_HEADER = (
    'plan "Fragment"\n  version "1"\n  currency USD\n  period month\n'
    "  rounding half_up to 0.01 on components\n\n"
)


def _repository_plans() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for folder in ("plans", "examples", "tests/golden", "tests/robustness"):
        for path in sorted((ROOT / folder).rglob("*.plan")):
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                continue  # plans that show E006
            found.append((path.relative_to(ROOT).as_posix(), text))
    for path in [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]:
        for k, block in enumerate(_DOC_BLOCK.finditer(path.read_text(encoding="utf-8"))):
            text = block.group(2) if block.group(1) == "plan" else _FRAGMENT_HEADER + block.group(2)
            found.append((f"{path.relative_to(ROOT).as_posix()}#{k + 1}", text))
    parses = []
    for name, text in found:
        try:
            parse(text, filename=name)
        except Exception:  # a syntax error, or a parser crash (not ours to test)
            continue
        parses.append((name, text))
    return parses


REPOSITORY_PLANS = _repository_plans()


def test_the_repository_has_plans_to_format() -> None:
    names = [name for name, _ in REPOSITORY_PLANS]
    assert "tests/golden/check/good/every_construct.plan" in names
    assert sum(name.startswith("plans/") for name in names) >= 5


@pytest.mark.parametrize(("name", "text"), REPOSITORY_PLANS, ids=[n for n, _ in REPOSITORY_PLANS])
def test_repository_plans_keep_their_meaning(name: str, text: str) -> None:
    check_round_trip(text, name)
