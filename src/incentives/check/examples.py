"""Embedded examples: small worked cases that the plan carries and `incentives test` runs.

Contract: an example that passes names exactly one pay period of the plan
(E501, E502), declares each payee once with known roster fields (E503, E506),
gives each ledger line a unique id, a known payee, an amount in the plan
currency and a value for every declared ledger column (E503–E507), uses only
declared metrics, and expects at least one amount (E508) of a component, the
total, or a per-payee value, each of a fitting type (E504).
"""

from __future__ import annotations

from datetime import date

from incentives.ast import nodes as n
from incentives.check.context import CheckContext, Level
from incentives.check.expressions import literal_type
from incentives.check.names import STANDARD_ROSTER_FIELDS
from incentives.check.types import Type, column_type
from incentives.diagnostics import Related
from incentives.money import is_currency
from incentives.periods import parse_period_label

__all__ = ["check_examples"]


def check_examples(ctx: CheckContext) -> None:
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.ExampleDecl):
            _check_example(ctx, decl)


def _fits(ctx: CheckContext, value: n.Literal, wanted: Type, what: str) -> None:
    got = literal_type(ctx, value)
    if got.is_error or wanted.is_error:
        return
    if got == wanted or (got.is_number and wanted.is_number):
        return
    ctx.error("E504", f"{what} is {wanted.phrase}, but `{value.text}` is {got.phrase}", value.span)


def _field_type(ctx: CheckContext, name: str, kinds: tuple[str, ...]) -> Type | None:
    symbol = ctx.symbols.get(name)
    if symbol is not None and symbol.kind in kinds and symbol.type is not None:
        return symbol.type
    return None


def _check_example(ctx: CheckContext, decl: n.ExampleDecl) -> None:
    title = decl.title
    periods = [c for c in decl.clauses if isinstance(c, n.ExPeriod)]
    in_range: tuple[date, date] | None = None
    if len(periods) != 1:
        ctx.error(
            "E501",
            f"the example “{title}” must name one pay period, not {len(periods)}",
            periods[1].span if len(periods) > 1 else decl.span,
            hint='add `period "2026-03"`',
        )
    elif ctx.scheme is not None:
        labels = [periods[0].label] + ([periods[0].last] if periods[0].last else [])
        parsed = []
        for label in labels:
            try:
                parsed.append(ctx.scheme.parse(label))
            except ValueError as exc:
                ctx.error("E502", str(exc), periods[0].span)
        if len(parsed) == 2 and parsed[1].start < parsed[0].start:
            ctx.error("E502", "the example's periods end before they start", periods[0].span)
        if len(parsed) == len(labels):
            in_range = (parsed[0].start, parsed[-1].end)
    payees: dict[str, n.ExPayee] = {}
    lines: dict[str, n.ExLine] = {}
    expects = 0
    for clause in decl.clauses:
        match clause:
            case n.ExPayee(payee=payee, fields=fields):
                if payee.text in payees:
                    _duplicate(ctx, f"payee `{payee.text}`", clause, payees[payee.text])
                payees.setdefault(payee.text, clause)
                for field in fields:
                    standard = STANDARD_ROSTER_FIELDS.get(field.name.text)
                    wanted = (
                        column_type(standard, ctx.currency)
                        if standard is not None
                        else _field_type(ctx, field.name.text, ("roster",))
                    )
                    if wanted is None:
                        _unknown(ctx, field.name, "roster field", ("roster",))
                    else:
                        _fits(ctx, field.value, wanted, f"`{field.name.text}`")
            case n.ExQuota(payee=payee, period=period, amount=amount):
                _known_payee(ctx, payee, payees)
                try:
                    parse_period_label(period)
                except ValueError:
                    if ctx.scheme is None or not _is_date(period):
                        ctx.error("E502", f"`{period}` is not a period label", clause.span)
                _fits(ctx, amount, column_type_money(ctx), "a quota")
            case n.ExMetric(payee=payee, name=name, value=value):
                _known_payee(ctx, payee, payees)
                wanted = _field_type(ctx, name.text, ("metric",))
                if wanted is None:
                    _unknown(ctx, name, "metric", ("metric",))
                else:
                    _fits(ctx, value, wanted, f"`{name.text}`")
            case n.ExLine(txn_id=txn, payee=payee, amount=amount, fields=fields):
                if txn.text in lines:
                    _duplicate(ctx, f"line `{txn.text}`", clause, lines[txn.text])
                lines.setdefault(txn.text, clause)
                _known_payee(ctx, payee, payees)
                if any(isinstance(d, n.FxDecl) for d in ctx.plan.declarations):
                    if amount.kind != "money" or amount.currency is None:
                        ctx.error("E504", "a line's amount has a currency", amount.span)
                    elif not is_currency(amount.currency):
                        ctx.error("E104", f"`{amount.currency}` is not a currency", amount.span)
                else:
                    _fits(ctx, amount, column_type_money(ctx), "a line's amount")
                given = {f.name.text for f in fields}
                for field in fields:
                    wanted = _field_type(ctx, field.name.text, ("column",))
                    if wanted is None:
                        _unknown(ctx, field.name, "ledger column", ("column",))
                    else:
                        _fits(ctx, field.value, wanted, f"`{field.name.text}`")
                missing = [
                    s.name
                    for s in ctx.symbols.values()
                    if s.kind == "column"
                    and s.name not in given
                    and not (isinstance(s.node, n.FieldDecl) and s.node.optional)
                ]
                if missing:
                    ctx.error(
                        "E507",
                        f"line `{txn.text}` gives no value for "
                        + ", ".join(f"`{m}`" for m in missing),
                        clause.span,
                        hint="every example line carries every ledger column the plan declares",
                    )
            case n.ExExpect(payee=payee, target=target, value=value, period=when):
                expects += 1
                _known_payee(ctx, payee, payees)
                if when is not None and ctx.scheme is not None:
                    try:
                        chosen = ctx.scheme.parse(when)
                    except ValueError as exc:
                        ctx.error("E502", str(exc), clause.span)
                    else:
                        if in_range and not (in_range[0] <= chosen.start <= in_range[1]):
                            ctx.error(
                                "E502", f"{when} is not one of the example's periods", clause.span
                            )
                paid_in_any = _plan_has(ctx, n.FxDecl, n.FxPayout)
                if target is None:
                    if not (paid_in_any and value.kind == "money"):
                        _fits(ctx, value, column_type_money(ctx), "the total")
                    continue
                if target.text in _derived_lines(ctx):
                    if not (paid_in_any and value.kind == "money"):
                        _fits(ctx, value, column_type_money(ctx), f"`{target.text}`")
                    continue
                symbol = ctx.symbols.get(target.text)
                if (
                    symbol is None
                    or symbol.level not in (Level.PAYEE, Level.TEAM)
                    or symbol.type is None
                ):
                    ctx.error(
                        "E503",
                        f"`{target.text}` is not a component or a per-payee value of this plan",
                        target.span,
                        hint=ctx.suggest(
                            target.text,
                            [
                                s.name
                                for s in ctx.symbols.values()
                                if s.level in (Level.PAYEE, Level.TEAM)
                            ],
                        ),
                    )
                else:
                    symbol.used = True
                    if not (paid_in_any and symbol.kind == "component" and value.kind == "money"):
                        _fits(ctx, value, symbol.type, f"`{target.text}`")
            case n.ExSplit(txn_id=txn, payee=payee, share=share):
                _known_payee(ctx, payee, payees)
                if literal_type(ctx, share).kind != "percent":
                    ctx.error("E504", f"a share is a percent, not `{share.text}`", share.span)
                if not _plan_has(ctx, n.CreditingDecl, n.SplitBySplits):
                    ctx.error(
                        "E503",
                        "this plan does not split lines (`crediting … split by splits`)",
                        clause.span,
                    )
                if txn.text not in lines and not any(
                    isinstance(c, n.ExLine) and c.txn_id.text == txn.text for c in decl.clauses
                ):
                    ctx.error("E505", f"`{txn.text}` is not a line of this example", txn.span)
            case n.ExExchange(source=source, target=target, rate=rate):
                if not any(isinstance(d, n.FxDecl) for d in ctx.plan.declarations):
                    ctx.error("E503", "this plan converts no currencies (`fx …`)", clause.span)
                for code in (source, target):
                    if not is_currency(code):
                        ctx.error("E104", f"`{code}` is not an ISO 4217 currency code", clause.span)
                if literal_type(ctx, rate).kind not in ("decimal", "count"):
                    ctx.error("E504", f"a rate is a number, not `{rate.text}`", rate.span)
            case n.ExPeriod():
                pass
    if expects == 0:
        ctx.error(
            "E508",
            f"the example “{title}” expects nothing",
            decl.span,
            hint="add `expect alice total: 1,500.00 USD`",
        )


def _derived_lines(ctx: CheckContext) -> set[str]:
    """Statement lines the plan adds besides its components (caps, holdbacks, draws)."""
    names = {"total_cap", "total_floor", "total_horizon_cap"}
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.DrawDecl):
            names.add(f"{decl.name.text}_recovery")
        elif isinstance(decl, n.ComponentDecl) and any(
            isinstance(c, n.HoldClause) for c in decl.clauses
        ):
            names |= {f"{decl.name.text}_held", f"{decl.name.text}_released"}
    return names


def _plan_has(ctx: CheckContext, decl_type: type, clause_type: type) -> bool:
    return any(
        isinstance(d, decl_type)
        and any(isinstance(c, clause_type) for c in getattr(d, "clauses", ()))
        for d in ctx.plan.declarations
    )


def column_type_money(ctx: CheckContext) -> Type:
    return Type("money", ctx.currency)


def _is_date(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-"


def _known_payee(ctx: CheckContext, payee: n.Ident, payees: dict[str, n.ExPayee]) -> None:
    if payee.text not in payees:
        ctx.error(
            "E505",
            f"`{payee.text}` is not a payee of this example",
            payee.span,
            hint=f"declare it first: `payee {payee.text}`",
        )


def _unknown(ctx: CheckContext, name: n.Name, what: str, kinds: tuple[str, ...]) -> None:
    candidates = [s.name for s in ctx.symbols.values() if s.kind in kinds]
    if "roster" in kinds:
        candidates += list(STANDARD_ROSTER_FIELDS)
    ctx.error(
        "E503",
        f"`{name.text}` is not a {what} this plan declares",
        name.span,
        hint=ctx.suggest(name.text, candidates),
    )


def _duplicate(ctx: CheckContext, what: str, clause: object, first: object) -> None:
    ctx.error(
        "E506",
        f"{what} is given twice in this example",
        clause.span,  # type: ignore[attr-defined]
        related=[Related(first.span, "first given here")],  # type: ignore[attr-defined]
    )
