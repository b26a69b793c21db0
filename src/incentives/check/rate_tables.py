"""Rate tables: a rate or amount per combination of ledger-line attributes.

Contract: a rate table that passes is keyed by ledger columns (E412 for
anything else), every row has one literal per key of that key's type or
``any`` (E412, E203), its values are literals of one type (E309), there is at
most one ``otherwise`` and it comes last (E414), and the hit policy holds:
under ``unique`` (the default) no two rows can match the same line (E411
names both rows and a line that matches them); under ``first`` a row that an
earlier row always wins over is reported as unreachable (W416).
"""

from __future__ import annotations

from collections.abc import Callable

from incentives.ast import nodes as n
from incentives.check.context import CheckContext, Level
from incentives.check.expressions import infer
from incentives.check.names import version_key
from incentives.check.types import ERROR, Type, comparable, sample, unify
from incentives.diagnostics import Related

__all__ = ["register_rate_tables"]


def register_rate_tables(ctx: CheckContext) -> None:
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.RateTableDecl):
            key = version_key(decl.name.text, decl.start) if decl.start else decl.name.text
            symbol = ctx.symbols.get(key)
            if symbol is not None and symbol.node is decl:
                ctx.resolvers[key] = _resolver(ctx, decl, key)


def _resolver(ctx: CheckContext, decl: n.RateTableDecl, key: str) -> Callable[[], None]:
    def resolve() -> None:
        symbol = ctx.symbols[key]
        symbol.type, symbol.level = _check(ctx, decl), Level.LINE
        symbol.depends_on = tuple(k.text for k in decl.keys)

    return resolve


def _key_types(ctx: CheckContext, decl: n.RateTableDecl) -> list[Type]:
    types: list[Type] = []
    for key in decl.keys:
        symbol = ctx.lookup(key, expect="ledger column")
        if symbol is None:
            types.append(ERROR)
        elif symbol.kind not in ("column", "builtin"):
            ctx.error(
                "E412",
                f"a rate table is keyed by ledger columns; `{key.text}` is not one",
                key.span,
                hint="key the table by columns declared under `ledger columns`",
            )
            types.append(ERROR)
        else:
            assert symbol.type is not None
            types.append(symbol.type)
    return types


def _check(ctx: CheckContext, decl: n.RateTableDecl) -> Type:
    key_types = _key_types(ctx, decl)
    value_type: Type | None = None
    ok = True
    rows = [row for row in decl.rows if not row.otherwise]
    otherwise = [row for row in decl.rows if row.otherwise]
    for extra in otherwise[1:]:
        ctx.error(
            "E414",
            "a rate table has at most one `otherwise` row",
            extra.span,
            hint="keep one `otherwise` row",
        )
        ok = False
    if otherwise and decl.rows[-1] is not otherwise[0]:
        ctx.error(
            "E414",
            "the `otherwise` row must be the last row",
            otherwise[0].span,
            hint="move the `otherwise` row to the end of the table",
        )
        ok = False
    for row in decl.rows:
        t, _ = infer(ctx, row.value)
        if not t.is_error and not t.is_numeric:
            ctx.error(
                "E309",
                f"a rate table pays numbers or amounts, not {t.phrase}",
                row.value.span,
                hint="pay a rate like 5%, a number or an amount",
            )
            ok = False
        elif value_type is None:
            value_type = t
        elif unify(value_type, t) is None:
            ctx.error(
                "E309",
                f"the rows of `{decl.name.text}` pay both {value_type.plural} and {t.plural}",
                row.value.span,
                hint="pay the same kind of value in every row",
            )
            ok = False
        if row.otherwise:
            continue
        if len(row.keys) != len(decl.keys):
            ctx.error(
                "E412",
                f"this row has {len(row.keys)} key value(s) but `{decl.name.text}` is keyed "
                f"by {len(decl.keys)} column(s)",
                row.span,
                hint="give one value (or `any`) for each key column, in order",
            )
            ok = False
            continue
        for cell, key_t, key in zip(row.keys, key_types, decl.keys, strict=True):
            if isinstance(cell, n.AnyKey):
                continue
            cell_t, _ = infer(ctx, cell)
            problem = comparable("=", key_t, cell_t)
            if problem:
                ctx.error(
                    "E203",
                    f"`{key.text}` is {key_t.phrase}; this key is {cell_t.phrase}",
                    cell.span,
                    hint=f"write {key_t.phrase}, like `{sample(key_t)}`, or `any`",
                )
                ok = False
    if ok:
        _check_policy(ctx, decl, rows)
    return value_type if ok and value_type is not None else ERROR


def _example(a: n.RateRow, b: n.RateRow, keys: tuple[n.Name, ...]) -> str:
    parts = []
    for x, y, key in zip(a.keys, b.keys, keys, strict=True):
        cell = y if isinstance(x, n.AnyKey) else x
        parts.append(f"{key.text} {'anything' if isinstance(cell, n.AnyKey) else cell.text}")
    return ", ".join(parts)


def _check_policy(ctx: CheckContext, decl: n.RateTableDecl, rows: list[n.RateRow]) -> None:
    """E411 (``unique``) or W416 (``using first match``) for each row an earlier one clashes with.

    Each row is compared with the earlier rows through :class:`_RowIndex`, not
    one by one, so a table of thousands of rows is checked in about linear time;
    the findings are those of comparing each row with every earlier one in order
    (the first earlier row that overlaps is the one named).
    """
    index = _RowIndex(rows)
    for i, later in enumerate(rows):
        if decl.policy == "first":
            if index.covering(later):
                ctx.warning(
                    "W416",
                    "this row is never used: an earlier row matches every line it matches",
                    later.span,
                    hint="remove it, or move it above the rows that match what it matches",
                )
        else:
            first = index.first_overlapping(later)
            if first is not None:
                earlier = rows[first]
                ctx.error(
                    "E411",
                    f"two rows of `{decl.name.text}` match the same line "
                    f"({_example(earlier, later, decl.keys)})",
                    later.span,
                    hint="make the rows distinct, or say `using first match` so the first "
                    "matching row wins",
                    related=[Related(earlier.span, "the other row")],
                )
        index.add(later, i)


class _RowIndex:
    """The rows added so far, found by the keys they match.

    A row's *pattern* is the set of key positions where it says ``any``. Two
    rows overlap when they agree on every position where neither says
    ``any``; an earlier row matches everything a later one matches when it
    says ``any`` wherever the later one does and agrees everywhere else. So
    for each pair of patterns the earlier rows are kept in a dictionary keyed
    by their values at the positions that matter, which turns each question
    into one lookup per pattern rather than one comparison per earlier row.
    Key values compare as the checker compares them (``==``, with equal
    values hashing alike: ``Decimal("1.0")`` and ``Decimal("1")``).
    """

    def __init__(self, rows: list[n.RateRow]) -> None:
        self.patterns = list(dict.fromkeys(_pattern(row) for row in rows))
        #: (earlier pattern, later pattern) → values at the compared positions → first row.
        self.overlap: dict[tuple[frozenset[int], frozenset[int]], dict[tuple[object, ...], int]]
        self.overlap = {}
        #: earlier pattern → values where it does not say ``any`` → first row.
        self.cover: dict[frozenset[int], dict[tuple[object, ...], int]] = {}

    def add(self, row: n.RateRow, position: int) -> None:
        mine = _pattern(row)
        for other in self.patterns:
            found = self.overlap.setdefault((mine, other), {})
            found.setdefault(_values(row, mine | other), position)
        self.cover.setdefault(mine, {}).setdefault(_values(row, mine), position)

    def first_overlapping(self, row: n.RateRow) -> int | None:
        """The first earlier row that matches some line ``row`` matches."""
        mine = _pattern(row)
        hits = [
            found[key]
            for other in self.patterns
            if (found := self.overlap.get((other, mine))) is not None
            and (key := _values(row, mine | other)) in found
        ]
        return min(hits) if hits else None

    def covering(self, row: n.RateRow) -> bool:
        """Whether an earlier row matches every line ``row`` matches."""
        mine = _pattern(row)
        return any(
            _values(row, other) in found for other, found in self.cover.items() if mine <= other
        )


def _pattern(row: n.RateRow) -> frozenset[int]:
    return frozenset(i for i, key in enumerate(row.keys) if isinstance(key, n.AnyKey))


def _values(row: n.RateRow, skipped: frozenset[int]) -> tuple[object, ...]:
    """The row's key values outside ``skipped`` positions."""
    return tuple(
        key.value
        for i, key in enumerate(row.keys)
        if i not in skipped and isinstance(key, n.Literal)
    )
