"""Text → AST, with Lark confined to this package.

Contract: :func:`parse` returns a :class:`~incentives.ast.nodes.PlanFile` or
raises :class:`~incentives.errors.PlanSyntaxError` carrying exactly one
diagnostic whose message names what was expected in words (never Lark
terminal names). The Lark parser is built once per process (LALR, contextual
lexer, positions propagated). Size and nesting limits are enforced here so
that no later stage can be made to recurse without bound.
"""

from __future__ import annotations

import functools
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


@functools.cache
def _parser() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
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
    if not text.strip():
        raise _error(
            "E002",
            "the plan is empty",
            Span(file, 1, 1, 1, 1),
            'a plan starts with `plan "Name"` followed by its version, currency, '
            "period and rounding",
        )
    try:
        tree: Tree[Token] = _parser().parse(text, on_error=None)
    except UnexpectedInput as exc:
        message, hint, span = describe_unexpected(exc, source, _parser())
        code = "E002" if span.start >= len(text.rstrip()) else _code_for(exc)
        raise _error(code, message, span, hint) from None
    except LarkError as exc:  # pragma: no cover - Lark's other errors are grammar bugs
        raise _error(
            "E001", f"cannot parse the plan: {exc}", Span(file, 1, 1, 1, 2), None
        ) from None
    try:
        plan = build_ast(tree, file)
    except VisitError as exc:
        if isinstance(exc.orig_exc, LiteralError):
            raise _error("E004", str(exc.orig_exc), exc.orig_exc.span, None) from None
        raise
    depth, where = expression_depth(plan)
    if depth > MAX_DEPTH:
        raise _error(
            "E005",
            f"the plan nests {depth} levels deep here; the limit is {MAX_DEPTH}",
            where or plan.span,
            "break the expression into named steps with `let`",
        )
    return _with_comments(plan, source)


def _code_for(exc: UnexpectedInput) -> str:
    if isinstance(exc, UnexpectedCharacters):
        return "E003"
    if isinstance(exc, UnexpectedToken):
        return "E001"
    return "E001"


def _with_comments(plan: PlanFile, source: SourceFile) -> PlanFile:
    """Attach the plan's comments, found by a second, comment-only lexer pass."""
    found: list[Comment] = []
    tokens: list[Token] = []
    try:
        tokens = list(_parser().lex(source.text, dont_ignore=True))
    except LarkError:  # pragma: no cover - the text parsed, so it lexes
        return plan
    for token in tokens:
        if token.type == "COMMENT":
            found.append(
                Comment(
                    str(token),
                    Span(
                        source.name,
                        token.line or 0,
                        token.column or 0,
                        token.end_line or 0,
                        token.end_column or 0,
                        token.start_pos or 0,
                        token.end_pos or 0,
                    ),
                )
            )
    return PlanFile(plan.header, plan.declarations, tuple(found), plan.span)


def _error(code: str, message: str, span: Span, hint: str | None) -> PlanSyntaxError:
    diagnostic = Diagnostic(code, message, span, hint=hint)
    return PlanSyntaxError(f"{span}: {message}", [diagnostic])


#: Keywords that are also the names of built-in ledger columns or standard
#: roster fields; they name those columns, so they are not reserved.
_COLUMN_WORDS = frozenset({"date", "payee", "currency", "fte"})


def reserved_words() -> frozenset[str]:
    """Every word the grammar uses as a keyword, except built-in column names."""
    return keywords(_parser()) - _COLUMN_WORDS
