"""Walking the IR: the nodes directly below a node.

Contract: :func:`children` yields, in field order, every IR node held by a
node's fields (directly or inside a tuple); values that are not IR nodes
(decimals, dates, names, spans, types) are skipped. It never recurses: callers
that walk a whole expression keep their own stack, so deep plans cannot
exhaust Python's recursion limit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

_PACKAGE = __name__.rpartition(".")[0]


def is_node(value: object) -> bool:
    """Whether *value* is an IR node (an instance of a class of this package)."""
    return (
        dataclasses.is_dataclass(value)
        and not isinstance(value, type)
        and type(value).__module__.startswith(_PACKAGE + ".")
    )


def children(node: object) -> Iterator[object]:
    """The IR nodes directly below *node*, in field order."""
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
        for item in value if isinstance(value, tuple) else (value,):
            if is_node(item):
                yield item
