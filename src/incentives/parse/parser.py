"""Text → AST, with Lark confined to this package.

Contract: :func:`parse` returns a :class:`~incentives.ast.nodes.PlanFile` or
raises :class:`~incentives.errors.PlanSyntaxError` carrying exactly one
diagnostic whose message names what was expected in words (never Lark
terminal names) and whose hint says what to do. The Lark parser is built once
per process (LALR, contextual lexer, positions propagated, a name lexed in
every state so that a keyword ends at a word boundary). Size and nesting
limits are enforced here so that no later stage can be made to recurse
without bound: the AST's depth (:data:`MAX_DEPTH`), and parentheses, counted
as they are read since grouping leaves no node (the 101st nested ``(`` is
E005). Lines are counted by the rule of :mod:`incentives.source`
(``\n``, ``\r\n`` or a lone ``\r``), and hidden characters in texts and
comments are refused (:mod:`incentives.parse.text`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import (
    LarkError,
    UnexpectedCharacters,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from incentives.ast.nodes import Comment, PlanFile
from incentives.diagnostics import Diagnostic
from incentives.errors import PlanSyntaxError
from incentives.parse.syntax_errors import describe_unexpected, keywords
from incentives.parse.text import comment_spans, hidden_problem, lexable, surrogate_problem
from incentives.parse.to_ast import LiteralError, build_ast, expression_depth
from incentives.source import SourceFile, Span

__all__ = ["MAX_DEPTH", "MAX_PLAN_CHARS", "grammar_text", "parse", "parse_source", "reserved_words"]

#: Largest plan accepted, in characters (a real plan is a few kilobytes).
MAX_PLAN_CHARS = 4 * 1024 * 1024
#: Deepest nesting of expressions and clauses accepted.
MAX_DEPTH = 100


def grammar_text() -> str:
    """The text of ``plan.lark``.

    Installed wheels carry it as ``incentives/grammars/plan.lark``; an
    editable install reads it from the repository's ``grammars/`` folder, the
    single source of truth.
    """
    packaged = resources.files("incentives").joinpath("grammars", "plan.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[3] / "grammars" / "plan.lark"
    return checkout.read_text(encoding="utf-8")


class _GluedWords(Exception):
    """Two tokens that touch inside one word (``currencyUSD``, ``5of``)."""

    def __init__(self, first: Token, second: Token) -> None:
        super().__init__(f"{first!s}{second!s}")
        self.first = first
        self.second = second


class _TooDeep(Exception):
    """A parenthesis that opens more than :data:`MAX_DEPTH` levels deep, or an
    operator that chains more than :data:`MAX_DEPTH` operations of one kind."""

    def __init__(self, token: Token, what: str = "parentheses") -> None:
        super().__init__(str(token))
        self.token = token
        self.what = what


#: Operators whose runs nest in the AST, by precedence (higher first):
#: a run of N of them at one level of parentheses is N levels deep.
_RANK = {"STAR": 0, "SLASH": 0, "OF": 0, "PLUS": 1, "MINUS": 1, "AND": 2, "OR": 3}
#: The operators of each run, as the refusal names them.
_KINDS = {
    **dict.fromkeys(("STAR", "SLASH", "OF"), "`*`, `/` and `of` "),
    **dict.fromkeys(("PLUS", "MINUS"), "`+` and `-` "),
    "AND": "`and` ",
    "OR": "`or` ",
    "IF": "nested `if` ",
}
#: Tokens that continue an expression without ending a run of operators.
_OPERANDS = frozenset(
    {"NAME", "QUOTED_NAME", "INT", "NUMBER", "MONEY", "PERCENT", "STRING", "DATE", "CURRENCY"}
)


def _is_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


class _WholeWords:
    """The post-lexer that makes every keyword end at a word boundary.

    Lark's contextual lexer only tries the terminals the parser can accept
    next, so where a declaration must start, ``measuresales`` would be read
    as the keyword ``measure`` and then the name ``sales``. With ``NAME``
    lexed in every state (``always_accept``) the whole word is read, and it
    becomes a keyword only if all of it is one (Lark's keyword-in-name rule).
    A word that still splits into two tokens (``currencyUSD``: a keyword and
    a currency code; ``5of``: a number and a keyword) stops the parse with
    :class:`_GluedWords`.

    It also counts parentheses: one that opens more than :data:`MAX_DEPTH`
    levels deep stops the parse with :class:`_TooDeep`. Grouping parentheses
    leave no node in the AST, so the AST's depth (checked after the parse)
    does not see them; counted here, the limit holds for the text as written,
    whatever a later stage keeps of it, and 5,000 of them are refused at once
    instead of being read. Runs of operators are counted the same way: N
    ``+`` in a row at one level of parentheses nest N deep in the AST, so a
    run longer than the limit is refused where it crosses it, before a
    four-megabyte sum is read and built (the AST's depth check would refuse
    it anyway, only later). A run ends at anything that is not an operand
    or an operator of the same or a tighter kind.
    """

    always_accept = ("NAME",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        previous: Token | None = None
        runs = [0, 0, 0, 0]  # operators of each rank in a row, at this level
        ifs = 0  # `if`s still waiting for their `else`, at this level
        outer: list[tuple[list[int], int]] = []  # the levels outside the parentheses
        for token in stream:
            kind = token.type
            if kind in _OPERANDS:
                pass
            elif kind == "LPAR":
                outer.append((runs, ifs))
                runs, ifs = [0, 0, 0, 0], 0
                if len(outer) > MAX_DEPTH:
                    raise _TooDeep(token)
            elif kind == "RPAR":
                runs, ifs = outer.pop() if outer else ([0, 0, 0, 0], 0)
            elif kind == "IF":
                runs = [0, 0, 0, 0]
                ifs += 1
                if ifs > MAX_DEPTH:
                    raise _TooDeep(token, "operations")
            elif kind == "ELSE":
                runs = [0, 0, 0, 0]
                ifs = max(ifs - 1, 0)
            else:
                rank = _RANK.get(kind)
                if rank is None:
                    runs = [0, 0, 0, 0]  # anything else ends the runs
                else:
                    for higher in range(rank):
                        runs[higher] = 0
                    runs[rank] += 1
                    if runs[rank] > MAX_DEPTH:
                        raise _TooDeep(token, "operations")
            if (
                previous is not None
                and token.start_pos == previous.end_pos
                and _is_word_char(str(previous)[-1:])
                and _is_word_char(str(token)[:1])
            ):
                raise _GluedWords(previous, token)
            previous = token
            yield token


@functools.cache
def _parser() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        postlex=_WholeWords(),
        propagate_positions=True,
        maybe_placeholders=True,
        start="start",
    )


def parse(text: str, *, filename: str = "<plan>") -> PlanFile:
    """Parse plan text into its AST.

    Args:
        text: the plan's source text.
        filename: the name diagnostics use for it (as the user gave it).

    Raises:
        PlanSyntaxError: with one located diagnostic.
    """
    return parse_source(SourceFile(filename, text))


def parse_source(source: SourceFile) -> PlanFile:
    """Parse a :class:`SourceFile`; see :func:`parse`."""
    text, file = source.text, source.name
    if len(text) > MAX_PLAN_CHARS:
        raise _error(
            "E005",
            f"the plan is {len(text):,} characters long; the limit is {MAX_PLAN_CHARS:,}",
            Span(file, 1, 1, 1, 2, 0, 1),
            "split it into smaller plans",
        )
    surrogate = surrogate_problem(source)
    if surrogate is not None:
        raise _refusal(surrogate)
    if not text.lstrip("\ufeff").strip():
        raise _error(
            "E002",
            "the plan is empty",
            Span(file, 1, 1, 1, 1),
            'a plan starts with `plan "Name"` followed by its version, currency, '
            "period and rounding",
        )
    try:
        tree: Tree[Token] = _parser().parse(lexable(text), on_error=None)
    except UnexpectedInput as exc:
        message, hint, span = describe_unexpected(exc, source, _parser())
        hidden = hidden_problem(source, before=span.start)
        if hidden is not None:  # a hidden character before the error may be its cause
            raise _refusal(hidden) from None
        code = "E002" if span.start >= len(text.rstrip()) else _code_for(exc)
        raise _error(code, message, span, hint) from None
    except _GluedWords as exc:
        first, second = exc.first, exc.second
        hidden = hidden_problem(source, before=first.start_pos)
        if hidden is not None:
            raise _refusal(hidden) from None
        raise _glued(source, first, second) from None
    except _TooDeep as exc:
        start = exc.token.start_pos or 0
        hidden = hidden_problem(source, before=start)
        if hidden is not None:
            raise _refusal(hidden) from None
        if exc.what == "operations":
            raise _error(
                "E005",
                f"this expression chains more than {MAX_DEPTH} {_KINDS.get(exc.token.type, '')}"
                "operations; "
                f"each nests the ones before it, and the limit is {MAX_DEPTH} levels",
                source.span(start, start + len(str(exc.token))),
                "break the expression into named steps with `let`",
            ) from None
        raise _error(
            "E005",
            f"the plan nests parentheses more than {MAX_DEPTH} levels deep here; "
            f"the limit is {MAX_DEPTH}",
            source.span(start, start + 1),
            "remove parentheses that group nothing new, or break the expression into named "
            "steps with `let`",
        ) from None
    except LarkError as exc:  # pragma: no cover - Lark's other errors are grammar bugs
        raise _error(
            "E001",
            f"cannot parse the plan: {exc}",
            Span(file, 1, 1, 1, 2),
            "please report this plan as a bug in incentives",
        ) from None
    hidden = hidden_problem(source)
    try:
        plan = build_ast(tree, file)
    except VisitError as exc:
        if isinstance(exc.orig_exc, LiteralError):
            error = exc.orig_exc
            if hidden is not None and hidden.span.start < error.span.start:
                raise _refusal(hidden) from None
            raise _error("E004", str(error), error.span, error.hint) from None
        raise
    if hidden is not None:
        raise _refusal(hidden)
    depth, where = expression_depth(plan)
    if depth > MAX_DEPTH:
        raise _error(
            "E005",
            f"the plan nests {depth} levels deep here; the limit is {MAX_DEPTH}",
            where or plan.span,
            "break the expression into named steps with `let`",
        )
    return _with_comments(plan, source)


_EXPONENT = re.compile(r"[eE][+-]?\d*")


def _glued(source: SourceFile, first: Token, second: Token) -> PlanSyntaxError:
    start, end = first.start_pos or 0, second.end_pos or 0
    if str(first)[-1:].isdigit() and _EXPONENT.fullmatch(str(second)):
        return _error(
            "E001",
            f"`{first!s}{second!s}` is a number with an exponent",
            source.span(second.start_pos or 0, end),
            "numbers are written in full; exponents like 1e5 are not allowed",
        )
    return _error(
        "E001",
        f"`{first!s}{second!s}` runs two words together",
        source.span(start, end),
        f"put a space between `{first!s}` and `{second!s}`",
    )


def _code_for(exc: UnexpectedInput) -> str:
    if isinstance(exc, UnexpectedCharacters):
        return "E003"
    if isinstance(exc, UnexpectedToken):
        return "E001"
    return "E001"


def _with_comments(plan: PlanFile, source: SourceFile) -> PlanFile:
    """Attach the plan's comments (found by :func:`comment_spans`, not by lexing again)."""
    found = tuple(
        Comment(source.text[span.start : span.end], span) for span in comment_spans(source)
    )
    return PlanFile(plan.header, plan.declarations, found, plan.span)


def _error(code: str, message: str, span: Span, hint: str | None) -> PlanSyntaxError:
    return _refusal(Diagnostic(code, message, span, hint=hint))


def _refusal(diagnostic: Diagnostic) -> PlanSyntaxError:
    return PlanSyntaxError(f"{diagnostic.span}: {diagnostic.message}", [diagnostic])


#: Keywords that are also the names of built-in ledger columns or standard
#: roster fields; they name those columns, so they are not reserved.
_COLUMN_WORDS = frozenset({"date", "payee", "currency", "fte"})


def reserved_words() -> frozenset[str]:
    """Every word the grammar uses as a keyword, except built-in column names."""
    return keywords(_parser()) - _COLUMN_WORDS
