"""Names: built-ins, declarations, reserved words, and unused definitions.

Contract: after :func:`declare_names` every name the plan declares is in the
context's symbol table exactly once (duplicates are E102, reserved words
E103), each with either a known type or a resolver that infers it on first
use. :func:`report_unused` warns (W110) about declarations nothing refers to.
Standard roster fields have fixed types (E209 if declared otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from incentives.ast import nodes as n
from incentives.check.constants import const_value
from incentives.check.context import CheckContext, Level, Symbol
from incentives.check.expressions import infer
from incentives.check.types import (
    COUNT,
    DATE,
    PERCENT,
    TEXT,
    Type,
    column_type,
    money,
    sample,
)
from incentives.values import ColumnType

__all__ = [
    "BUILTIN_COLUMNS",
    "STANDARD_ROSTER_FIELDS",
    "declare_names",
    "report_unused",
    "version_key",
]

#: Columns every ledger line has (DESIGN §4), plus what crediting adds:
#: ``payee`` is who the line is credited to, ``seller`` who the ledger names,
#: ``credit_share`` the credited share (100% unless split), ``credit_type`` "direct",
#: "split" or an overlay's name. ``amount`` is the credited amount in the plan
#: currency.
BUILTIN_COLUMNS = (
    "txn_id", "date", "payee", "amount", "currency", "seller", "credit_share", "credit_type",
)  # fmt: skip

#: Roster columns with a fixed meaning and type.
STANDARD_ROSTER_FIELDS: dict[str, ColumnType] = {
    "name": ColumnType.TEXT,
    "role": ColumnType.TEXT,
    "manager": ColumnType.TEXT,
    "fte": ColumnType.DECIMAL,
    "start_date": ColumnType.DATE,
    "end_date": ColumnType.DATE,
    "payout_currency": ColumnType.TEXT,
    "plan": ColumnType.TEXT,
}


def _builtin_type(name: str, currency: str) -> Type:
    known = {
        "txn_id": TEXT,
        "date": DATE,
        "payee": TEXT,
        "currency": TEXT,
        "seller": TEXT,
        "credit_share": PERCENT,
        "credit_type": TEXT,
    }
    return known.get(name, money(currency))


#: Per-payee values of the pay period itself.
PERIOD_VALUES = ("period_start", "period_end", "tenure_month")


def declare_names(ctx: CheckContext, reserved: frozenset[str]) -> None:
    """Declare built-ins and every name the plan defines."""
    for value in PERIOD_VALUES:
        kind_type = COUNT if value == "tenure_month" else DATE
        ctx.declare(
            Symbol(value, "period", ctx.plan.header.span, type=kind_type, level=Level.PAYEE)
        )
    for builtin in BUILTIN_COLUMNS:
        ctx.declare(
            Symbol(
                builtin,
                "builtin",
                ctx.plan.header.span,
                type=_builtin_type(builtin, ctx.currency),
                level=Level.LINE,
                used=True,
            )
        )
    for decl in ctx.plan.declarations:
        match decl:
            case n.FieldsDecl():
                for field in decl.fields:
                    _check_reserved(ctx, field.name, reserved, data_column=True)
                    _declare_field(ctx, decl.table, field)
            case n.LetDecl(name=ident, start=start) if start is not None:
                key = version_key(ident.text, start)
                if ctx.declare(Symbol(key, "let", ident.span, decl, used=True)):
                    ctx.resolvers[key] = _let_resolver(ctx, decl, key)
                    ctx.versions.setdefault(ident.text, []).append(key)
            case n.TiersDecl(name=ident, start=start) if start is not None:
                key = version_key(ident.text, start)
                if ctx.declare(Symbol(key, "tiers", ident.span, decl, used=True)):
                    ctx.versions.setdefault(ident.text, []).append(key)
            case n.RateTableDecl(name=ident, start=start) if start is not None:
                key = version_key(ident.text, start)
                if ctx.declare(Symbol(key, "rate_table", ident.span, decl, used=True)):
                    ctx.versions.setdefault(ident.text, []).append(key)
            case n.LetDecl(name=ident):
                _check_reserved(ctx, ident, reserved)
                if ctx.declare(Symbol(ident.text, "let", ident.span, decl)):
                    ctx.resolvers[ident.text] = _let_resolver(ctx, decl, ident.text)
            case n.MeasureDecl(name=ident):
                _check_reserved(ctx, ident, reserved)
                ctx.declare(Symbol(ident.text, "measure", ident.span, decl))
            case n.QuotaDecl(name=ident):
                _check_reserved(ctx, ident, reserved)
                ctx.declare(
                    Symbol(ident.text, "quota", ident.span, decl, money(ctx.currency), Level.PAYEE)
                )
            case n.TiersDecl(name=ident):
                _check_reserved(ctx, ident, reserved)
                ctx.declare(Symbol(ident.text, "tiers", ident.span, decl))
            case n.RateTableDecl(name=ident):
                _check_reserved(ctx, ident, reserved)
                ctx.declare(Symbol(ident.text, "rate_table", ident.span, decl))
            case n.DrawDecl(name=ident) | n.ClawbackDecl(name=ident) | n.WageFloorDecl(name=ident):
                _check_reserved(ctx, ident, reserved)
                kind: Literal["draw", "clawback", "wage_floor"] = (
                    "draw"
                    if isinstance(decl, n.DrawDecl)
                    else "clawback"
                    if isinstance(decl, n.ClawbackDecl)
                    else "wage_floor"
                )
                ctx.declare(
                    Symbol(ident.text, kind, ident.span, decl, money(ctx.currency), Level.PAYEE,
                           used=True)
                )  # fmt: skip
            case n.ComponentDecl(name=ident):
                _check_reserved(ctx, ident, reserved)
                ctx.declare(
                    Symbol(
                        ident.text, "component", ident.span, decl, money(ctx.currency), Level.PAYEE
                    )
                )
            case _:
                pass


def _check_reserved(
    ctx: CheckContext, name: n.Name, reserved: frozenset[str], *, data_column: bool = False
) -> None:
    """E103 for a reserved word; backticks excuse only data columns, whose names the data sets."""
    if name.text not in reserved or (name.quoted and data_column):
        return
    if name.quoted:
        ctx.error(
            "E103",
            f"`{name.text}` is a reserved word; backticks are only for data columns",
            name.span,
            hint="choose another name for what the plan defines",
        )
        return
    ctx.error(
        "E103",
        f"`{name.text}` is a reserved word and cannot name something",
        name.span,
        hint=f"choose another name; a data column called `{name.text}` is written "
        f"in backticks: `{name.text}`",
    )


def _declare_field(ctx: CheckContext, table: str, field: n.FieldDecl) -> None:
    kind = ColumnType(field.type_name)
    type_ = column_type(kind, ctx.currency)
    if field.optional and table != "ledger":
        ctx.error(
            "E447",
            "only ledger columns can be optional",
            field.span,
            hint="metrics have defaults; roster fields may simply be left empty",
        )
    if table == "roster":
        standard = STANDARD_ROSTER_FIELDS.get(field.name.text)
        if standard is not None and standard is not kind:
            ctx.error(
                "E209",
                f"the roster field `{field.name.text}` is always {standard.value}, "
                f"not {field.type_name}",
                field.span,
                hint=f"declare it as `{field.name.text}: {standard.value}`",
            )
            type_ = column_type(standard, ctx.currency)
        if field.name.text == "payee":
            ctx.error(
                "E102",
                "`payee` is the roster's key, not a field",
                field.name.span,
                hint="remove it from `roster fields`; every roster has a `payee` column",
            )
            return
    if field.default is not None:
        if table != "metrics":
            ctx.error(
                "E412",
                "only metrics can have a default; a missing data value is an error",
                field.default.span,
                hint="remove the default; declare the value under `metrics` if it may be missing",
            )
        else:
            default_t, level = infer(ctx, field.default)
            if level is not Level.CONST or not isinstance(field.default, n.Literal):
                ctx.error(
                    "E412",
                    "a default must be a literal value",
                    field.default.span,
                    hint=f"write a literal value, like `default {sample(type_)}`",
                )
            elif default_t != type_ and not (default_t.is_number and type_.is_number):
                ctx.error(
                    "E203",
                    f"the default of `{field.name.text}` must be {type_.phrase}, "
                    f"not {default_t.phrase}",
                    field.default.span,
                    hint=f"write {type_.phrase}, like `default {sample(type_)}`",
                )
    symbol_kind = {"ledger": "column", "roster": "roster", "metrics": "metric"}[table]
    level = Level.LINE if table == "ledger" else Level.PAYEE
    ctx.declare(
        Symbol(field.name.text, symbol_kind, field.name.span, field, type_, level)  # type: ignore[arg-type]
    )


def version_key(name: str, start: n.Literal) -> str:
    """The symbol-table key of a dated version: ``rate@2026-07-01``."""
    return f"{name}@{start.text}"


def _let_resolver(ctx: CheckContext, decl: n.LetDecl, key: str) -> Callable[[], None]:
    def resolve() -> None:
        symbol = ctx.symbols[key]
        type_, level = infer(ctx, decl.value)
        symbol.type, symbol.level = type_, level
        if level is Level.CONST:
            const_value(ctx, decl.value)  # folds now, so a division by zero is E430
        symbol.depends_on = tuple(ctx.scan(decl).names)  # the names its value uses

    return resolve


def report_unused(ctx: CheckContext) -> None:
    """W110 for every declared name that nothing uses."""
    tenure = ctx.symbols.get("tenure_month")
    if tenure is not None and tenure.used and "start_date" in ctx.symbols:
        ctx.symbols["start_date"].used = True  # tenure is counted from it
    for symbol in ctx.symbols.values():
        if symbol.used or symbol.kind in (
            "builtin",
            "period",
            "component",
            "draw",
            "clawback",
            "wage_floor",
        ):
            continue
        ctx.warning(
            "W110",
            f"`{symbol.name}` is declared but never used",
            symbol.span,
            hint="remove it, or use it in a component",
        )
