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
from incentives.check.types import ERROR, Type, comparable, unify
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
        ctx.error("E414", "a rate table has at most one `otherwise` row", extra.span)
        ok = False
    if otherwise and decl.rows[-1] is not otherwise[0]:
        ctx.error("E414", "the `otherwise` row must be the last row", otherwise[0].span)
        ok = False
    for row in decl.rows:
        t, _ = infer(ctx, row.value)
        if not t.is_error and not t.is_numeric:
            ctx.error(
                "E309", f"a rate table pays numbers or amounts, not {t.phrase}", row.value.span
            )
            ok = False
        elif value_type is None:
            value_type = t
        elif unify(value_type, t) is None:
            ctx.error(
                "E309",
                f"the rows of `{decl.name.text}` pay both {value_type.plural} and {t.plural}",
                row.value.span,
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
                )
                ok = False
    if ok:
        _check_policy(ctx, decl, rows)
    return value_type if ok and value_type is not None else ERROR


def _matches_all(earlier: n.RateRow, later: n.RateRow) -> bool:
    """Every line that ``later`` matches is matched by ``earlier``."""
    return all(
        isinstance(a, n.AnyKey) or (not isinstance(b, n.AnyKey) and a.value == b.value)
        for a, b in zip(earlier.keys, later.keys, strict=True)
    )


def _overlap(a: n.RateRow, b: n.RateRow) -> bool:
    return all(
        isinstance(x, n.AnyKey) or isinstance(y, n.AnyKey) or x.value == y.value
        for x, y in zip(a.keys, b.keys, strict=True)
    )


def _example(a: n.RateRow, b: n.RateRow, keys: tuple[n.Name, ...]) -> str:
    parts = []
    for x, y, key in zip(a.keys, b.keys, keys, strict=True):
        cell = y if isinstance(x, n.AnyKey) else x
        parts.append(f"{key.text} {'anything' if isinstance(cell, n.AnyKey) else cell.text}")
    return ", ".join(parts)


def _check_policy(ctx: CheckContext, decl: n.RateTableDecl, rows: list[n.RateRow]) -> None:
    for i, later in enumerate(rows):
        for earlier in rows[:i]:
            if decl.policy == "first":
                if _matches_all(earlier, later):
                    ctx.warning(
                        "W416",
                        "this row is never used: an earlier row matches every line it matches",
                        later.span,
                    )
                    break
            elif _overlap(earlier, later):
                ctx.error(
                    "E411",
                    f"two rows of `{decl.name.text}` match the same line "
                    f"({_example(earlier, later, decl.keys)})",
                    later.span,
                    hint="make the rows distinct, or say `using first match` so the first "
                    "matching row wins",
                    related=[Related(earlier.span, "the other row")],
                )
                break
