"""Embedded examples: small worked cases that the plan carries and `incentives test` runs.

Contract: an example that passes names exactly one pay period of the plan
(E501, E502), declares each payee once with known roster fields (E503, E506),
gives each ledger line a unique id, a known payee, an amount in the plan
currency and a value for every declared ledger column (E503–E507), uses only
declared metrics, and expects at least one amount (E508) of a component, the
total, or a per-payee value, each of a fitting type (E504), and each at most
once per payee and period (E506, with both places; an `expect` without `in`
is about the example's last period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from incentives.ast import nodes as n
from incentives.check.context import CheckContext, Level
from incentives.check.expressions import literal_type
from incentives.check.header import currency_hint
from incentives.check.names import STANDARD_ROSTER_FIELDS
from incentives.check.suggest import NameIndex
from incentives.check.types import Type, column_type, sample
from incentives.diagnostics import Related
from incentives.money import is_currency
from incentives.periods import PeriodKind, parse_period_label

__all__ = ["check_examples"]


def check_examples(ctx: CheckContext) -> None:
    facts: _PlanFacts | None = None
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.ExampleDecl):
            facts = facts or _PlanFacts.of(ctx)
            _check_example(ctx, decl, facts)


@dataclass
class _PlanFacts:
    """What every example is checked against, worked out once per plan.

    A plan with hundreds of examples would otherwise scan all its
    declarations and symbols again for every line and expectation.
    """

    ctx: CheckContext
    #: Statement lines the plan adds besides its components (caps, holdbacks, draws).
    derived_lines: frozenset[str]
    #: Whether the plan converts currencies (``fx``), and pays in the payee's own.
    converts: bool
    pays_in_any: bool
    #: Whether the plan splits lines (``crediting … split by splits``).
    splits: bool
    #: Ledger columns every example line must give a value for, in declaration order.
    required_columns: tuple[str, ...]
    #: Did-you-mean indexes by the kinds of name they hold, built when first needed.
    indexes: dict[str, NameIndex]

    @classmethod
    def of(cls, ctx: CheckContext) -> _PlanFacts:
        declarations = ctx.plan.declarations
        return cls(
            ctx,
            frozenset(_derived_lines(ctx)),
            any(isinstance(d, n.FxDecl) for d in declarations),
            _plan_has(ctx, n.FxDecl, n.FxPayout),
            _plan_has(ctx, n.CreditingDecl, n.SplitBySplits),
            tuple(
                s.name
                for s in ctx.symbols.values()
                if s.kind == "column" and not (isinstance(s.node, n.FieldDecl) and s.node.optional)
            ),
            {},
        )

    def suggest(self, name: str, what: str) -> str | None:
        """A did-you-mean hint among the names of one kind (``roster``, ``payee values`` …)."""
        index = self.indexes.get(what)
        if index is None:
            index = self.indexes[what] = NameIndex(self._candidates(what))
        match = index.closest(name)
        return f"did you mean `{match}`?" if match is not None else None

    def _candidates(self, what: str) -> list[str]:
        symbols = self.ctx.symbols.values()
        if what == "payee values":
            return [s.name for s in symbols if s.level in (Level.PAYEE, Level.TEAM)]
        found = [s.name for s in symbols if s.kind == what]
        if what == "roster":
            found += list(STANDARD_ROSTER_FIELDS)
        return found


def _fits(ctx: CheckContext, value: n.Literal, wanted: Type, what: str) -> None:
    got = literal_type(ctx, value)
    if got.is_error or wanted.is_error:
        return
    if got == wanted or (got.is_number and wanted.is_number):
        return
    ctx.error(
        "E504",
        f"{what} is {wanted.phrase}, but `{value.text}` is {got.phrase}",
        value.span,
        hint=f"write {wanted.phrase}, like `{sample(wanted)}`",
    )


def _field_type(ctx: CheckContext, name: str, kinds: tuple[str, ...]) -> Type | None:
    symbol = ctx.symbols.get(name)
    if symbol is not None and symbol.kind in kinds and symbol.type is not None:
        return symbol.type
    return None


def _check_example(ctx: CheckContext, decl: n.ExampleDecl, facts: _PlanFacts) -> None:
    title = decl.title
    periods = [c for c in decl.clauses if isinstance(c, n.ExPeriod)]
    in_range: tuple[date, date] | None = None
    #: The period an `expect` without `in` is about: the example's last.
    last_period: str | None = None
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
                ctx.error("E502", str(exc), periods[0].span, hint=_period_hint(ctx))
        if len(parsed) == 2 and parsed[1].start < parsed[0].start:
            ctx.error(
                "E502",
                "the example's periods end before they start",
                periods[0].span,
                hint='write the earlier period first, like `period "2026-01" to "2026-03"`',
            )
        if len(parsed) == len(labels):
            in_range = (parsed[0].start, parsed[-1].end)
            last_period = parsed[-1].label
    payees: dict[str, n.ExPayee] = {}
    lines: dict[str, n.ExLine] = {}
    all_lines = {c.txn_id.text for c in decl.clauses if isinstance(c, n.ExLine)}
    expectations: dict[tuple[str, str, str | None], n.ExExpect] = {}
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
                        _unknown(ctx, facts, field.name, "roster field", "roster")
                    else:
                        _fits(ctx, field.value, wanted, f"`{field.name.text}`")
            case n.ExQuota(payee=payee, period=period, amount=amount):
                _known_payee(ctx, payee, payees)
                try:
                    parse_period_label(period)
                except ValueError:
                    if ctx.scheme is None or not _is_date(period):
                        ctx.error(
                            "E502",
                            f"`{period}` is not a period label",
                            clause.span,
                            hint=_period_hint(ctx),
                        )
                _fits(ctx, amount, column_type_money(ctx), "a quota")
            case n.ExMetric(payee=payee, name=name, value=value):
                _known_payee(ctx, payee, payees)
                wanted = _field_type(ctx, name.text, ("metric",))
                if wanted is None:
                    _unknown(ctx, facts, name, "metric", "metric")
                else:
                    _fits(ctx, value, wanted, f"`{name.text}`")
            case n.ExLine(txn_id=txn, payee=payee, amount=amount, fields=fields):
                if txn.text in lines:
                    _duplicate(ctx, f"line `{txn.text}`", clause, lines[txn.text])
                lines.setdefault(txn.text, clause)
                _known_payee(ctx, payee, payees)
                if facts.converts:
                    if amount.kind != "money" or amount.currency is None:
                        ctx.error(
                            "E504",
                            "a line's amount has a currency",
                            amount.span,
                            hint=f"write the amount with its currency, like `100 {ctx.currency}`",
                        )
                    elif not is_currency(amount.currency):
                        ctx.error(
                            "E104",
                            f"`{amount.currency}` is not a currency",
                            amount.span,
                            hint=currency_hint(amount.currency),
                        )
                else:
                    _fits(ctx, amount, column_type_money(ctx), "a line's amount")
                given = {f.name.text for f in fields}
                for field in fields:
                    wanted = _field_type(ctx, field.name.text, ("column",))
                    if wanted is None:
                        _unknown(ctx, facts, field.name, "ledger column", "column")
                    else:
                        _fits(ctx, field.value, wanted, f"`{field.name.text}`")
                missing = [name for name in facts.required_columns if name not in given]
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
                key = (payee.text, "total" if target is None else target.text,
                       _expect_period(ctx, when) or last_period)  # fmt: skip
                if key in expectations:
                    _expected_twice(ctx, clause, expectations[key])
                expectations.setdefault(key, clause)
                if when is not None and ctx.scheme is not None:
                    try:
                        chosen = ctx.scheme.parse(when)
                    except ValueError as exc:
                        ctx.error("E502", str(exc), clause.span, hint=_period_hint(ctx))
                    else:
                        if in_range and not (in_range[0] <= chosen.start <= in_range[1]):
                            ctx.error(
                                "E502",
                                f"{when} is not one of the example's periods",
                                clause.span,
                                hint="name one of the periods the example runs over",
                            )
                paid_in_any = facts.pays_in_any
                if target is None:
                    if not (paid_in_any and value.kind == "money"):
                        _fits(ctx, value, column_type_money(ctx), "the total")
                    continue
                if target.text in facts.derived_lines:
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
                        hint=facts.suggest(target.text, "payee values")
                        or "expect a component, `total`, or a measure, value or quota",
                    )
                else:
                    symbol.used = True
                    if not (paid_in_any and symbol.kind == "component" and value.kind == "money"):
                        _fits(ctx, value, symbol.type, f"`{target.text}`")
            case n.ExSplit(txn_id=txn, payee=payee, share=share):
                _known_payee(ctx, payee, payees)
                if literal_type(ctx, share).kind != "percent":
                    ctx.error(
                        "E504",
                        f"a share is a percent, not `{share.text}`",
                        share.span,
                        hint="write the share as a percent, like `50%`",
                    )
                if not facts.splits:
                    ctx.error(
                        "E503",
                        "this plan does not split lines (`crediting … split by splits`)",
                        clause.span,
                        hint="add `split by splits` to `crediting`, or remove this `split`",
                    )
                if txn.text not in all_lines:
                    ctx.error(
                        "E505",
                        f"`{txn.text}` is not a line of this example",
                        txn.span,
                        hint=f"add `line {txn.text} …` to the example, or split one of its lines",
                    )
            case n.ExExchange(source=source, target=target, rate=rate):
                if not facts.converts:
                    ctx.error(
                        "E503",
                        "this plan converts no currencies (`fx …`)",
                        clause.span,
                        hint="declare `fx` in the plan, or remove this `exchange`",
                    )
                for code in (source, target):
                    if not is_currency(code):
                        ctx.error(
                            "E104",
                            f"`{code}` is not an ISO 4217 currency code",
                            clause.span,
                            hint=currency_hint(code),
                        )
                if literal_type(ctx, rate).kind not in ("decimal", "count"):
                    ctx.error(
                        "E504",
                        f"a rate is a number, not `{rate.text}`",
                        rate.span,
                        hint="write the rate as a number, like `1.08`",
                    )
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


#: A period label of each kind of pay period, for hints.
_LABELS = {
    PeriodKind.WEEK: "2026-W10",
    PeriodKind.TWO_WEEKS: "2026-03-02",
    PeriodKind.MONTH: "2026-03",
    PeriodKind.QUARTER: "2026-Q1",
    PeriodKind.YEAR: "2026",
}


def _period_hint(ctx: CheckContext) -> str:
    label = _LABELS[ctx.scheme.kind] if ctx.scheme is not None else "2026-03"
    return f'name a pay period of the plan, like `period "{label}"`'


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


#: Where the plan declares each kind of name an example may give a value for.
_DECLARED_UNDER = {"roster": "roster fields", "metric": "metrics", "column": "ledger columns"}


def _unknown(ctx: CheckContext, facts: _PlanFacts, name: n.Name, what: str, kind: str) -> None:
    ctx.error(
        "E503",
        f"`{name.text}` is not a {what} this plan declares",
        name.span,
        hint=facts.suggest(name.text, kind)
        or f"declare it under `{_DECLARED_UNDER[kind]}`, or remove it from the example",
    )


def _expect_period(ctx: CheckContext, when: str | None) -> str | None:
    """The canonical label of an `expect … in "P"` (None without `in`, or unreadable)."""
    if when is None or ctx.scheme is None:
        return when
    try:
        return ctx.scheme.parse(when).label
    except ValueError:
        return when


def _expected_twice(ctx: CheckContext, clause: n.ExExpect, first: n.ExExpect) -> None:
    """Two expectations of the same value of the same payee in the same period."""
    what = "total" if clause.target is None else clause.target.text
    where = f' in "{clause.period}"' if clause.period is not None else ""
    message = f"`expect {clause.payee.text} {what}{where}` is given twice in this example"
    old, new = first.value, clause.value
    if (old.kind, old.value, old.currency) == (new.kind, new.value, new.currency):
        hint = "keep one of them"
    else:
        message += f", with different values: {old.text} and {new.text}"
        hint = "a value cannot be both: keep the one worked out right, delete the other"
    ctx.error(
        "E506",
        message,
        clause.span,
        related=[Related(first.span, "first expected here")],
        hint=hint,
    )


def _duplicate(ctx: CheckContext, what: str, clause: object, first: object) -> None:
    ctx.error(
        "E506",
        f"{what} is given twice in this example",
        clause.span,  # type: ignore[attr-defined]
        related=[Related(first.span, "first given here")],  # type: ignore[attr-defined]
        hint="keep one of them",
    )
