"""Generic, non-recursive walks over AST nodes.

Contract: :func:`walk` yields a node and every node below it, parents before
children, in source order, without recursion (so it is safe on any tree the
parser accepts). :func:`references` lists the names an expression uses.
"""

from __future__ import annotations

from collections.abc import Iterator

from incentives.ast import nodes as n
from incentives.source import Span

__all__ = ["children", "references", "walk"]


def children(node: object) -> list[object]:
    """The direct sub-nodes of a node, in field order (tuples flattened)."""
    out: list[object] = []
    for slot in getattr(type(node), "__slots__", ()):
        value = getattr(node, slot)
        if isinstance(value, tuple):
            out.extend(v for v in value if _is_node(v))
        elif _is_node(value):
            out.append(value)
    return out


def _is_node(value: object) -> bool:
    return hasattr(type(value), "__dataclass_fields__") and not isinstance(value, Span)


def walk(node: object) -> Iterator[object]:
    """The node and all its descendants, depth first, parents first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def references(expr: object) -> list[n.Name]:
    """Every name an expression refers to, in source order (tier tables included)."""
    names: list[n.Name] = []
    for node in walk(expr):
        if isinstance(node, n.Ref):
            names.append(node.name)
        elif isinstance(node, n.TierOn | n.TierAt):
            names.append(node.tiers)
        elif isinstance(node, n.TeamValue | n.Rank):
            names.append(node.name)
    return names
