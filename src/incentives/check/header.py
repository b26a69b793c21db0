"""The plan header: name, version, currency, period and rounding policy.

Contract: after :func:`check_header` the context knows the plan's currency
(an ISO 4217 code), its :class:`~incentives.periods.PeriodScheme` and its
rounding policy, or there are diagnostics saying which clause is missing
(E402), given twice (E403) or invalid (E104, E404). Nothing is implied: every
one of version, currency, period and rounding must be written.
"""

from __future__ import annotations

import string
from decimal import Decimal

from incentives.ast import nodes as n
from incentives.check.context import CheckContext
from incentives.diagnostics import Related
from incentives.money import RoundingMode, is_currency, minor_unit
from incentives.periods import PeriodKind, PeriodScheme

__all__ = ["check_header", "currency_hint"]

_REQUIRED = {
    n.VersionClause: ("version", 'version "2026.1"'),
    n.CurrencyClause: ("currency", "currency USD"),
    n.PeriodClause: ("period", "period month"),
    n.RoundingClause: ("rounding", "rounding half_up to 0.01 on components"),
}


#: What each optional clause is called in messages.
_WORDS = {
    n.DescriptionClause: "description",
    n.StartsClause: "start date",
    n.VersionsClause: "rule for versions",
    n.ContactClause: "contact",
}


def check_header(ctx: CheckContext) -> None:
    header = ctx.plan.header
    if not header.name.strip():
        ctx.error("E402", "the plan needs a name", header.span, hint='plan "Retail floor team"')
    seen: dict[type, n.HeaderClause] = {}
    for clause in header.clauses:
        first = seen.setdefault(type(clause), clause)
        if first is not clause:
            word = _WORDS.get(type(clause)) or _REQUIRED[type(clause)][0]
            ctx.error(
                "E403",
                f"the plan's {word} is given twice",
                clause.span,
                related=[Related(first.span, "first given here")],
                hint="keep one of them",
            )
    for kind, (word, example) in _REQUIRED.items():
        if kind not in seen:
            ctx.error(
                "E402",
                f"the plan header does not say its {word}",
                header.span,
                hint=f"add `{example}` after the plan's name",
            )
    for clause in seen.values():
        match clause:
            case n.CurrencyClause(code=code):
                # Keep the code even if unknown, so amounts written in it are
                # not reported a second time as a currency mix.
                ctx.currency = code
                if not is_currency(code):
                    ctx.error(
                        "E104",
                        f"`{code}` is not an ISO 4217 currency code",
                        clause.span,
                        hint=currency_hint(code),
                    )
            case n.PeriodClause(unit=unit, anchor=anchor):
                ctx.scheme = PeriodScheme(PeriodKind(unit), anchor)
    rounding = seen.get(n.RoundingClause)
    if isinstance(rounding, n.RoundingClause):
        _check_rounding(ctx, rounding)


def currency_hint(code: str) -> str:
    """What to write instead of ``code``, which is not an ISO 4217 code.

    The nearest real code: the same letters in capitals, or one letter
    changed or two swapped (``USF`` → ``USD``); otherwise what a code looks like.

    >>> currency_hint("usd")
    'currency codes are written in capitals: `USD`'
    >>> currency_hint("USF")
    'did you mean `USD`?'
    >>> currency_hint("DOLLAR")
    'use the ISO 4217 code of a currency: three capital letters, like USD, EUR or JPY'
    """
    upper = code.upper()
    if upper != code and is_currency(upper):
        return f"currency codes are written in capitals: `{upper}`"
    swapped: set[str] = set()
    changed: set[str] = set()
    if len(upper) == 3 and upper.isascii() and upper.isalpha():
        swapped = {upper[1] + upper[0] + upper[2], upper[0] + upper[2] + upper[1]}
        for i in range(3):
            changed |= {upper[:i] + letter + upper[i + 1 :] for letter in string.ascii_uppercase}
    real = [c for c in swapped | changed if c != upper and is_currency(c)]
    if real:
        # The currencies people mean most often first, then swapped letters.
        best = min(
            real,
            key=lambda c: (
                _COMMON.index(c) if c in _COMMON else len(_COMMON),
                c not in swapped,
                c,
            ),
        )
        return f"did you mean `{best}`?"
    return "use the ISO 4217 code of a currency: three capital letters, like USD, EUR or JPY"


#: Currencies a mistyped code most likely meant, in order of preference.
_COMMON = (
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "CNY", "HKD", "SGD", "SEK",
    "NOK", "DKK", "PLN", "CZK", "HUF", "INR", "BRL", "MXN", "ZAR", "KRW", "TRY", "ILS",
    "AED", "SAR",
)  # fmt: skip


def _check_rounding(ctx: CheckContext, clause: n.RoundingClause) -> None:
    if clause.mode is None:
        return
    places = clause.places
    if len(set(places)) != len(places):
        ctx.error(
            "E404", "a rounding place is listed twice", clause.span, hint="list each place once"
        )
    unit: Decimal | None
    if isinstance(clause.unit, n.MinorUnit):
        unit = minor_unit(ctx.currency) if is_currency(ctx.currency) else None
    elif isinstance(clause.unit, n.Literal) and isinstance(clause.unit.value, Decimal):
        unit = clause.unit.value
        if clause.unit.kind != "number" or unit <= 0:
            ctx.error(
                "E404",
                f"a rounding unit is a positive number like 0.01, not `{clause.unit.text}`",
                clause.unit.span,
                hint="write a positive unit like 0.01, or `to minor unit`",
            )
            unit = None
        elif is_currency(ctx.currency) and unit < minor_unit(ctx.currency):
            ctx.warning(
                "W405",
                f"rounding to {clause.unit.text} is finer than the smallest unit of "
                f"{ctx.currency} ({minor_unit(ctx.currency)})",
                clause.unit.span,
                hint="statements will show fractions of a cent; use `to minor unit`",
            )
    else:  # pragma: no cover - the grammar allows nothing else
        unit = None
    ctx.rounding_mode = RoundingMode(clause.mode)
    ctx.rounding_unit = unit
    ctx.rounding_places = tuple(dict.fromkeys(places))
