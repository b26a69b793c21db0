"""Line-level values written out: how deep and how large they become.

A ``let`` computed per ledger line (it reads a ledger column or a rate table)
is evaluated inside every per-line expression that uses it, with the
line-level values it uses written out in turn. A chain of thousands of such
``let``\\ s, or a few dozen that each use the previous one twice, would give
an expression too deep for the evaluator or exponentially large.

Contract: after :func:`check_inlining`, every line-level ``let`` whose
written-out expression nests more than :data:`MAX_INLINED_DEPTH` levels or
has more than :data:`MAX_INLINED_NODES` nodes has an E457 at its declaration.
Only the first such ``let`` of a chain is reported, not every one built on
it. The walk is iterative and linear in the plan's size; names in a cycle
(E401, reported elsewhere) are skipped.
"""

from __future__ import annotations

from incentives.ast import nodes as n
from incentives.ast.visitor import children
from incentives.check.context import CheckContext, Level, Symbol

__all__ = ["MAX_INLINED_DEPTH", "MAX_INLINED_NODES", "check_inlining"]

#: The deepest a per-line expression may nest once its values are written out.
MAX_INLINED_DEPTH = 200
#: The most nodes a per-line expression may have once its values are written out.
MAX_INLINED_NODES = 100_000


def _line_lets(ctx: CheckContext) -> dict[str, Symbol]:
    return {
        name: s
        for name, s in ctx.symbols.items()
        if s.kind == "let" and s.level is Level.LINE and isinstance(s.node, n.LetDecl)
    }


def _measure(expr: object, known: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """(depth, nodes) of ``expr`` with the line-level values in ``known`` written out."""
    depth, nodes = 0, 0
    stack: list[tuple[object, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        nodes += 1
        depth = max(depth, level)
        if isinstance(node, n.Ref) and node.name.text in known:
            inner_depth, inner_nodes = known[node.name.text]
            depth = max(depth, level + inner_depth)
            nodes += inner_nodes
        stack.extend((child, level + 1) for child in children(node))
    return depth, nodes


def check_inlining(ctx: CheckContext) -> None:
    lets = _line_lets(ctx)
    known: dict[str, tuple[int, int]] = {}
    reported: set[str] = set()  # too large already, or built on one that is
    state: dict[str, int] = {}  # 1: in progress, 2: done
    for root in lets:
        stack = [root]
        while stack:
            name = stack[-1]
            if state.get(name) == 2:
                stack.pop()
                continue
            waiting = [
                d for d in lets[name].depends_on if d in lets and state.get(d) != 2 and d != name
            ]
            if state.get(name) != 1 and waiting:
                state[name] = 1
                stack.extend(d for d in waiting if state.get(d) != 1)
                continue
            stack.pop()
            state[name] = 2
            if any(state.get(d) == 1 for d in waiting):
                continue  # a cycle: E401 says so
            if reported.intersection(lets[name].depends_on):
                reported.add(name)
                continue
            decl = lets[name].node
            assert isinstance(decl, n.LetDecl)
            depth, nodes = _measure(decl.value, known)
            known[name] = (depth, nodes)
            if depth > MAX_INLINED_DEPTH or nodes > MAX_INLINED_NODES:
                what = (
                    f"nests {depth} levels deep (the limit is {MAX_INLINED_DEPTH})"
                    if depth > MAX_INLINED_DEPTH
                    else f"has {nodes:,} parts (the limit is {MAX_INLINED_NODES:,})"
                )
                ctx.error(
                    "E457",
                    f"`{name}` is computed for every ledger line; written out with the "
                    f"per-line values it uses, it {what}",
                    decl.span,
                    hint="compute less per line: aggregate in a measure first, or use each "
                    "per-line value once",
                )
                reported.add(name)
