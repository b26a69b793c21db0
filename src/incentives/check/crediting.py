"""Crediting and currencies: who a ledger line counts for, and in what money.

Contract: a plan has at most one ``crediting`` and one ``fx`` declaration
(E420). Crediting names ledger text columns that hold payee ids (E443), at
most one of them without a start date and the dated ones in increasing date
order (E444); ``split by splits`` must say how the remainder cent is
allocated (E445), and overlays and a remainder rule only make sense with
splits (E445). ``fx`` says exactly once when lines are converted (E446).
Team values gather only values that do not themselves gather (E440), so the
payees of a period can be computed in two passes.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from incentives.ast import nodes as n
from incentives.check.context import KIND_WORDS, CheckContext
from incentives.diagnostics import Related

__all__ = ["check_crediting", "check_fx", "check_team_values", "team_dependent"]

_D = TypeVar("_D", n.CreditingDecl, n.FxDecl)


def _single(ctx: CheckContext, kind: type[_D], word: str) -> list[_D]:
    found = [d for d in ctx.plan.declarations if isinstance(d, kind)]
    for extra in found[1:]:
        ctx.error(
            "E420",
            f"`{word}` is declared twice",
            extra.span,
            related=[Related(found[0].span, "first declared here")],
            hint=f"keep one `{word}` declaration",
        )
    return found[:1]


def check_crediting(ctx: CheckContext) -> None:
    for decl in _single(ctx, n.CreditingDecl, "crediting"):
        rules = [c for c in decl.clauses if isinstance(c, n.CreditTo)]
        undated = [r for r in rules if r.start is None]
        for extra in undated[1:]:
            ctx.error(
                "E444",
                "only one `credit to` rule can apply from the start; give this one a date",
                extra.span,
                hint="write `credit to COLUMN from 2026-04-01`",
            )
        last: date | None = None
        for rule in rules:
            symbol = ctx.lookup(rule.column, expect="ledger column")
            if symbol is not None and not (
                symbol.kind in ("column", "builtin")
                and symbol.type is not None
                and symbol.type.kind == "text"
            ):
                ctx.error(
                    "E443",
                    f"a line is credited to the payee a text ledger column names; "
                    f"`{rule.column.text}` is {KIND_WORDS[symbol.kind]}"
                    + (f" of type {symbol.type.kind}" if symbol.type is not None else ""),
                    rule.column.span,
                    hint="name a ledger column declared as `text`, like `credit to seller`",
                )
            if rule.start is not None:
                day = rule.start.value
                assert isinstance(day, date)
                if last is not None and day <= last:
                    ctx.error(
                        "E444",
                        "`credit to` rules are listed in date order, each from a later date",
                        rule.start.span,
                        hint="list the dated `credit to` rules from the earliest date on",
                    )
                last = day
        splits = [c for c in decl.clauses if isinstance(c, n.SplitBySplits)]
        overlays = [c for c in decl.clauses if isinstance(c, n.OverlayClause)]
        remainders = [c for c in decl.clauses if isinstance(c, n.RemainderClause)]
        repeated: list[n.CreditingClause] = [*splits[1:], *remainders[1:]]
        for twice in repeated:
            ctx.error(
                "E420", "this crediting clause is given twice", twice.span, hint="keep one of them"
            )
        if splits and not remainders:
            ctx.error(
                "E445",
                "split lines are shared in whole cents: say who gets a remainder cent",
                splits[0].span,
                hint="add `remainder to largest remainder` or `remainder to seller`",
            )
        if not splits:
            orphans: list[n.CreditingClause] = [*overlays, *remainders]
            for clause in orphans:
                ctx.error(
                    "E445",
                    "overlays and remainders apply to split lines; add `split by splits`",
                    clause.span,
                    hint="add `split by splits` to `crediting`, or remove this clause",
                )
        names = [t for o in overlays for t in o.types]
        if len(set(names)) != len(names) or {"direct", "split"} & set(names):
            ctx.error(
                "E445",
                "overlay types are listed once each, and cannot be `direct` or `split`",
                overlays[0].span,
                hint="list each overlay type once, named other than `direct` and `split`",
            )


def check_fx(ctx: CheckContext) -> None:
    for decl in _single(ctx, n.FxDecl, "fx"):
        converts = [c for c in decl.clauses if isinstance(c, n.FxConvert)]
        if not converts:
            ctx.error(
                "E446",
                "`fx` must say which rate converts a line",
                decl.span,
                hint="add `convert at line date` or `convert at period end`",
            )
        kinds: dict[type, n.FxClause] = {}
        for clause in decl.clauses:
            first = kinds.setdefault(type(clause), clause)
            if first is not clause:
                ctx.error(
                    "E420", "this `fx` clause is given twice", clause.span, hint="keep one of them"
                )
            if isinstance(clause, n.FxRound) and isinstance(clause.unit, n.Literal):
                value = clause.unit.value
                if clause.unit.kind != "number" or not (value > 0):  # type: ignore[operator]
                    ctx.error(
                        "E404",
                        "a rounding unit is a positive number like 0.01",
                        clause.span,
                        hint="write a positive unit like 0.01, or `minor unit`",
                    )


def team_dependent(ctx: CheckContext) -> set[str]:
    """Names whose value needs other payees' values (directly or through others).

    Worked out once per plan (the compiler asks again) with one walk over each
    declaration and one pass over the dependencies, however long their chains.
    """
    if ctx.team_dependent is not None:
        return set(ctx.team_dependent)
    direct = {
        symbol.name
        for symbol in ctx.symbols.values()
        if symbol.node is not None and ctx.scan(symbol.node).gathering
    }
    users: dict[str, list[str]] = {}
    for symbol in ctx.symbols.values():
        for name in symbol.depends_on:
            users.setdefault(name, []).append(symbol.name)
    result = set(direct)
    pending = list(direct)
    while pending:
        for user in users.get(pending.pop(), ()):
            if user not in result:
                result.add(user)
                pending.append(user)
    ctx.team_dependent = frozenset(result)
    return result


def check_team_values(ctx: CheckContext) -> None:
    """E440 for a team value or rank over a value that itself needs team values."""
    dependent = team_dependent(ctx)
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.ExampleDecl):
            continue  # literals only
        for node in ctx.scan(decl).gathering:
            if node.name.text in dependent:
                ctx.error(
                    "E440",
                    f"`{node.name.text}` is computed from other payees' values, so it cannot "
                    "be gathered across payees in turn",
                    node.name.span,
                    hint="gather the payee's own measures, values and components",
                )
