"""A plan's rules in plain words, for the plan document (:mod:`incentives.report.plandoc`).

Contract: pure functions from the compiled plan (and, for components, the
declaration in the plan's syntax tree) to :data:`Words` — runs of prose and
of plan code. Expressions are always quoted from the plan text (comments
dropped, whitespace collapsed), never re-printed from the IR, so the words
show what the author wrote; the prose around them says what the engine does
with it (the order of a component's steps, what a tier kind pays, how a goal
is split). Nothing here computes pay.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from incentives.ast import nodes as n
from incentives.check.types import PERCENT, Type, show
from incentives.compile import ir
from incentives.money import RoundingMode, format_decimal
from incentives.periods import PeriodKind, PeriodScheme
from incentives.source import Span
from incentives.values import Value

__all__ = [
    "TierUse",
    "Words",
    "band_header",
    "band_value",
    "code",
    "component_words",
    "measure_words",
    "quota_words",
    "rounding_words",
    "scheme_words",
    "source_text",
    "text",
    "tier_uses",
    "type_words",
    "value_text",
]

#: Prose and code: ``(("text", "the sum of "), ("code", "amount"))``.
Words = tuple[tuple[Literal["text", "code"], str], ...]


def text(*parts: str) -> Words:
    """Prose (empty parts are left out)."""
    return tuple(("text", p) for p in parts if p)


def code(source: str) -> Words:
    """Plan code, quoted as written."""
    return (("code", source),)


_COMMENT = re.compile(r'("(?:[^"\\\n]|\\.)*")|#[^\n]*')


def source_text(plan: ir.Plan, span: Span) -> str:
    """The plan text of ``span``, comments dropped and whitespace collapsed."""
    raw = plan.source.text[span.start : span.end]
    return " ".join(_COMMENT.sub(lambda m: m.group(1) or "", raw).split())


def _code(plan: ir.Plan, node: object) -> Words:
    span = getattr(node, "span", None)
    assert isinstance(span, Span)
    return code(source_text(plan, span))


# ------------------------------------------------------------------ header

_NOUNS = {
    PeriodKind.WEEK: ("weekly", "ISO weeks, Monday to Sunday, labelled like 2026-W09"),
    PeriodKind.MONTH: ("monthly", "calendar months, labelled like 2026-03"),
    PeriodKind.QUARTER: ("quarterly", "calendar quarters, labelled like 2026-Q1"),
    PeriodKind.YEAR: ("yearly", "calendar years, labelled like 2026"),
}

_MODES = {
    RoundingMode.HALF_UP: "half up (a half goes away from zero)",
    RoundingMode.HALF_EVEN: "half even (a half goes to the even digit)",
    RoundingMode.DOWN: "down (toward zero)",
    RoundingMode.UP: "up (away from zero)",
}


def scheme_words(scheme: PeriodScheme) -> Words:
    if scheme.anchor is not None:
        start = scheme.anchor.isoformat()
        return text(
            f"every two weeks: 14-day periods counted from {start}, each labelled by its first day"
        )
    adjective, detail = _NOUNS[scheme.kind]
    return text(f"{adjective}: {detail}")


def rounding_words(plan: ir.Plan) -> tuple[Words, ...]:
    r = plan.rounding
    if r is None:
        return (
            text("Nothing is rounded unless a formula says so with ")
            + code("round(…)")
            + text("; amounts keep every digit."),
        )
    unit = f"{format_decimal(r.unit)} {plan.currency}"
    found = []
    if r.components:
        found.append(
            text(
                f"Each component's amount is rounded {_MODES[r.mode]} to {unit}, once, after "
                "its cap and floor; so are the total's cap and floor adjustments."
            )
        )
    if r.lines:
        found.append(
            text(
                f"In components paid per line or per unit, each line's payment is rounded "
                f"{_MODES[r.mode]} to {unit} before the lines are added up."
            )
        )
    return tuple(found)


def type_words(t: Type) -> str:
    if t.is_money:
        return f"an amount in {t.currency}"
    return {
        "percent": "a percent",
        "decimal": "a number",
        "count": "a count",
        "text": "a text",
        "bool": "yes or no",
        "date": "a date",
    }.get(t.kind, t.kind)


# ---------------------------------------------------------------- measures


def _shown(value: object, t: Type) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return show(value, t)
    return str(value)


def measure_words(plan: ir.Plan, m: ir.Measure) -> Words:
    arg = _code(plan, m.argument) if m.argument is not None else ()
    lines = text(" of your ledger lines")
    start = {
        "sum": text("the sum of ") + arg + text(" over your ledger lines"),
        "count": text("the number of your ledger lines"),
        "count_distinct": text("the number of different values of ") + arg + lines,
        "min": text("the smallest ") + arg + lines,
        "max": text("the largest ") + arg + lines,
        "average": text("the average ") + arg + lines,
    }[m.aggregate]
    if m.horizon is None:
        when = text(" in the pay period")
    else:
        noun = m.horizon.noun
        when = text(f" from the start of the {noun} to the end of the pay period ({noun} to date)")
    words = start + when
    if m.where is not None:
        words += text(", counting only lines where ") + _code(plan, m.where)
    if m.default is not None:
        words += text(f"; {_shown(m.default, m.type)} when no line counts")
    return words + text(f" ({type_words(m.type)})")


# ------------------------------------------------------------------ quotas


def quota_words(plan: ir.Plan, q: ir.Quota) -> Words:
    noun = q.goal_kind.noun
    if q.goal is None:
        words = text(f"your target: the goal set for you in the quotas table for each {noun}")
    else:
        words = text("your target: ") + _code(plan, q.goal) + text(f" per {noun}")
    pay = plan.scheme.kind.noun
    split = {
        "none": "",
        "evenly": f", shared evenly between the {pay}s of the {noun}",
        "weights": (
            f", shared between the {pay}s of the {noun} by the weights "
            + ", ".join(show(w, PERCENT) for w in q.weights)
            + ", in order"
        ),
        "calendar_days": f", shared by calendar days: a pay period gets the share of the {noun}'s "
        "days that it covers",
        "working_days": f", shared by working days: a pay period gets the share of the {noun}'s "
        "working days (Monday to Friday, not holidays) that it covers",
    }[q.split]
    words += text(split)
    if q.prorate_fte:
        words += text("; multiplied by your FTE (the fraction of full time you work)")
    if q.prorate_days:
        words += text("; multiplied by the days you were employed in the pay period ÷ its days")
    if q.ramp:
        steps = ", ".join(
            f"month {s.first}" if s.first == s.last else f"months {s.first} to {s.last}"
            for s in q.ramp
        )
        factors = ", ".join(show(s.factor, PERCENT) for s in q.ramp)
        words += text(
            f"; for new hires, {steps} of employment at {factors} of it (month 1 is the "
            "calendar month of your start date), then all of it"
        )
    if q.rounding is not None:
        mode, unit = q.rounding
        words += text(f"; rounded {_MODES[mode]} to {format_decimal(unit)} {plan.currency}")
    return words + text(f" ({type_words(q.type)})")


# --------------------------------------------------------------- components


def _nodes(plan: ir.Plan, c: ir.Component) -> Iterator[object]:
    """Every IR node a component's expressions reach, through the lets they use."""
    roots: list[object] = [c.amount, c.when, c.factor, c.cap, c.floor, c.gate]
    todo = [r for r in reversed(roots) if r is not None]
    seen: set[str] = set()
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ir.Ref) and node.name in plan.lets and node.name not in seen:
            seen.add(node.name)
            todo.append(plan.lets[node.name].value)
        todo.extend(reversed(list(ir.children(node))))


@dataclass(frozen=True)
class TierUse:
    """A tier table as one component applies it, and what that means in words."""

    table: str
    words: Words


_KINDS = {
    "marginal": "marginal tiers",
    "retroactive": "retroactive tiers",
    "flat": "flat tiers",
    "interpolated": "a pay curve",
}


def tier_uses(plan: ir.Plan, c: ir.Component) -> list[TierUse]:
    """The tier tables a component uses, each once, in the order they are reached."""
    found: dict[tuple[str, str, str, str], TierUse] = {}
    for node in _nodes(plan, c):
        if not isinstance(node, ir.TierApply):
            continue
        base = source_text(plan, node.base.span)
        quota = source_text(plan, node.quota.span) if node.quota is not None else ""
        key = (node.table, node.mode, base, quota)
        if key not in found:
            found[key] = TierUse(node.table, _tier_words(plan, node, base, quota))
    return list(found.values())


def _tier_words(plan: ir.Plan, node: ir.TierApply, base: str, quota: str) -> Words:
    table = plan.tiers[node.table]
    head = code(table.name) + text(f" ({_KINDS[table.kind]}, below) ")
    point = code(f"{base} / {quota}") if quota else code(base)
    straight = text(
        "; in a band written “from A to B” the value moves in a straight line from A at the "
        "band's lower bound to B at its upper bound"
    )
    if node.mode == "at":
        what = {"retroactive": "the rate", "flat": "the amount"}.get(table.kind, "the value")
        words = head + text("read at ") + code(base) + text(f": {what} of the band it falls in")
        return words + (straight if table.kind == "interpolated" else ()) + text(".")
    words = head + text("applied to ") + code(base)
    if quota:
        words += text(", with bands in percent of ") + code(quota)
    if table.kind == "marginal":
        words += text(": each slice of ") + code(base)
        if quota:
            words += text(" between those fractions of ") + code(quota)
        return words + text(" is paid at its band's rate.")
    if table.kind == "retroactive":
        return (
            words
            + text(": the band that ")
            + point
            + text(" reaches sets the rate for all of ")
            + code(base)
            + text(".")
        )
    if table.kind == "flat":
        return words + text(": pays the amount of the band that ") + point + text(" reaches.")
    return (
        words
        + text(": the value of the band that ")
        + point
        + text(" reaches, times ")
        + code(base)
        + straight
        + text(".")
    )


def _gate_base(plan: ir.Plan, c: ir.Component) -> str | None:
    if c.gate is not None:
        return source_text(plan, c.gate.base.span)
    for node in _nodes(plan, c):
        if isinstance(node, ir.Excess) or (isinstance(node, ir.TierApply) and node.start):
            return source_text(plan, node.base.span)
    return None


def component_words(
    plan: ir.Plan, c: ir.Component, decl: n.ComponentDecl
) -> tuple[tuple[Words, ...], tuple[Words, ...]]:
    """What a component pays (paragraphs) and its conditions and limits (bullets)."""
    paragraphs: list[Words] = []
    bullets: list[Words] = []
    labels = {other.name: other.label for other in plan.components}
    for clause in decl.clauses:
        match clause:
            case n.PaysClause(spec=n.PayAmount(amount=amount)):
                paragraphs.append(text("Pays ") + _code(plan, amount) + text("."))
            case n.PaysClause(spec=n.PayPerLine(amount=amount, where=where)):
                words = text("For each of your ledger lines in the pay period")
                if where is not None:
                    words += text(" where ") + _code(plan, where)
                words += text(", pays ") + _code(plan, amount) + text("; the lines add up.")
                paragraphs.append(words)
            case n.PaysClause(spec=n.PayPerUnit(amount=amount, units=units, where=where)):
                words = text("Pays ") + _code(plan, amount) + text(" for each unit of ")
                words += _code(plan, units) + text(" on your ledger lines in the pay period")
                if where is not None:
                    words += text(" where ") + _code(plan, where)
                paragraphs.append(words + text("; a refunded unit takes its amount back."))
            case n.MultipliesClause(targets=targets, factor=factor):
                names = _joined([labels.get(t.text, t.text) for t in targets])
                f = _code(plan, factor)
                added = code(" + ".join(t.text for t in targets))
                paragraphs.append(
                    text(f"Multiplies {names} by ") + f
                    + text(". This line shows the difference the factor makes: (") + f
                    + text(" − 1) × (") + added + text(").")
                )  # fmt: skip
            case n.WhenClause(condition=condition):
                bullets.append(
                    text("Paid only when ") + _code(plan, condition) + text("; otherwise 0.")
                )
            case n.GateClause(threshold=threshold, mode=mode):
                base = code(_gate_base(plan, c) or "the base")
                if mode == "nothing_below":
                    bullets.append(
                        text("Gate: nothing is paid while ") + base + text(" is below ")
                        + _code(plan, threshold) + text("; at or above it, all of it is paid.")
                    )  # fmt: skip
                else:
                    bullets.append(
                        text("Gate: pays only on the part of ") + base + text(" above ")
                        + _code(plan, threshold) + text(".")
                    )  # fmt: skip
            case n.CapClause(per_line=per_line, limit=limit):
                words = text("No single line pays more than " if per_line else "At most ")
                bullets.append(words + _code(plan, limit) + text(" (a cap)."))
            case n.FloorClause(per_line=per_line, limit=limit):
                if per_line:
                    words = text("No single line pays less than ") + _code(plan, limit)
                    bullets.append(words + text("."))
                else:
                    bullets.append(
                        text("At least ") + _code(plan, limit)
                        + text(" (a floor: it applies even when the condition or gate gives 0).")
                    )  # fmt: skip
    return tuple(paragraphs), tuple(bullets)


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# ------------------------------------------------------------------- values


def value_text(value: Value) -> str:
    """A constant as a plan writes it (text in quotes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return f'"{value}"'
    return format_decimal(value)


def band_header(table: ir.TierTable) -> str:
    return "rate" if table.value_type.kind == "percent" else "pays"


def band_value(table: ir.TierTable, band: ir.Band) -> Words:
    if band.value_to is not None:
        first, last = show(band.value, table.value_type), show(band.value_to, table.value_type)
        return text(f"from {first} to {last}")
    return text(show(band.value, table.value_type))
