"""Lark parse tree → AST: the only package that turns Lark metadata into Spans.

Contract: given a parse tree produced by ``grammars/plan.lark``, return an
:class:`~incentives.ast.nodes.PlanFile` whose every node carries the span of
the text it came from. Literal text becomes exact values here (``10,000 USD``
→ ``Decimal("10000")`` with currency ``USD``; ``5%`` → ``Decimal("0.05")``).
The transformation is not recursive, so a very long expression cannot exhaust
Python's stack; :func:`expression_depth` lets the parser refuse absurd nesting
before later (recursive) stages see it. The rules live in one module per part
of the language (literals, expressions, header, definitions, crediting,
quotas, tiers, pay, settlement, examples), over what they share in ``base``.
"""

from __future__ import annotations

from typing import cast

from lark import Token, Tree

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import LiteralError
from incentives.parse.to_ast.crediting import CreditingRules
from incentives.parse.to_ast.definitions import DefinitionRules
from incentives.parse.to_ast.examples import ExampleRules
from incentives.parse.to_ast.expressions import ExpressionRules
from incentives.parse.to_ast.header import HeaderRules
from incentives.parse.to_ast.literals import LiteralRules
from incentives.parse.to_ast.pay import PayRules
from incentives.parse.to_ast.quotas import QuotaRules
from incentives.parse.to_ast.settlement import SettlementRules
from incentives.parse.to_ast.tiers import TierRules
from incentives.source import Span

__all__ = ["LiteralError", "build_ast", "expression_depth"]


class _ToAst(
    LiteralRules,
    ExpressionRules,
    HeaderRules,
    DefinitionRules,
    CreditingRules,
    QuotaRules,
    TierRules,
    PayRules,
    SettlementRules,
    ExampleRules,
):
    """Every rule of ``plan.lark``, each in the module of its part of the language."""


def build_ast(tree: Tree[Token], file: str) -> n.PlanFile:
    """Turn a parse tree into the AST.

    Raises:
        LiteralError: for a literal that is not a valid value.
    """
    return cast(n.PlanFile, _ToAst(file).transform(tree))


def expression_depth(plan: n.PlanFile) -> tuple[int, Span | None]:
    """The deepest nesting of AST nodes and where it is, without recursion."""
    deepest = 0
    where: Span | None = None
    stack: list[tuple[object, int]] = [(plan, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            where = getattr(node, "span", where)
        for child in _children(node):
            stack.append((child, depth + 1))
    return deepest, where


def _children(node: object) -> list[object]:
    if isinstance(node, tuple):
        return list(node)
    slots = getattr(type(node), "__slots__", ())
    return [
        value
        for value in (getattr(node, s) for s in slots)
        if isinstance(value, tuple)
        or (hasattr(type(value), "__dataclass_fields__") and not isinstance(value, Span))
    ]
