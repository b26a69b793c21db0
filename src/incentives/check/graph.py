"""The dependency graph between a plan's definitions.

Contract: :func:`evaluation_order` returns every let, measure, quota and
component name in an order where each comes after everything it depends on,
breaking ties by source order so the order is deterministic. A cycle is
reported once (E401) with its path, unless name resolution already reported
it; the names on a cycle are left out of the order.
"""

from __future__ import annotations

from incentives.check.context import CheckContext

__all__ = ["evaluation_order"]

_ORDERED = ("let", "measure", "quota", "component")


def evaluation_order(ctx: CheckContext) -> tuple[str, ...]:
    names = [s.name for s in ctx.symbols.values() if s.kind in _ORDERED]
    position = {name: i for i, name in enumerate(names)}
    deps = {
        name: sorted(
            {d for d in ctx.symbols[name].depends_on if d in position and d != name},
            key=position.__getitem__,
        )
        for name in names
    }
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in names:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            name, index = stack.pop()
            if index == 0:
                if state.get(name) == 2:
                    continue
                state[name] = 1
                path.append(name)
            children = deps[name]
            if index < len(children):
                stack.append((name, index + 1))
                child = children[index]
                if state.get(child) == 1:
                    _report_cycle(ctx, [*path[path.index(child) :], child])
                elif state.get(child) != 2:
                    stack.append((child, 0))
                continue
            state[name] = 2
            path.pop()
            order.append(name)
    cyclic = {name for key in ctx.reported_cycles for name in key}
    return tuple(name for name in order if name not in cyclic)


def _report_cycle(ctx: CheckContext, cycle: list[str]) -> None:
    key = frozenset(cycle)
    if key in ctx.reported_cycles:
        return
    ctx.reported_cycles.add(key)
    ctx.report_cycle(cycle)
