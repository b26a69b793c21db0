"""What the written plan says: a plan document as sections of words, built from the plan.

Contract: :func:`build_document` turns a loaded plan into a
:class:`PlanDocument`, a format-neutral tree of sections, paragraphs,
bullets and tables whose text is :data:`Words`: runs of prose and of plan
code (``("code", "sales / target")``), so that each renderer can escape
prose and set code in its own way (:mod:`incentives.report.plandoc`). Every
sentence is generated from the compiled plan (:mod:`incentives.compile.ir`)
and, for clauses and examples, from the plan's own text through its syntax
tree: expressions, bounds, amounts and example values are quoted exactly as
written, so the document cannot drift from what is computed. The examples'
status comes from running them (:func:`incentives.run_examples`).

The document, in order: who the plan covers (the rule, and the roster's
payees on the plan when a dataset is given), what is paid (each component in
words, its tier bands as tables, its conditions, gate, caps and floors; the
total's cap and floor), how sales and targets are measured (measures,
quotas, named values), rounding, rate tables, the data the plan reads, the
plan's terms, the worked examples (inputs, expected amounts and the
author's working from the comments above each ``expect``), and the plan's
text.

Terms — the structured clauses a written plan must state (when a commission
is earned, refunds and the clawback window, what happens on termination,
whom to ask in a dispute) — are :class:`Term`\\ s returned by
:func:`~incentives.report.plandoc_terms.plan_terms`, read from the plan:
its crediting and dated measures, its clawbacks, its holdbacks, draws and
termination rules, and the header's ``contact``. Draws, clawbacks and wage
floors are described under "What you are paid", after the components.

Everything is deterministic: plan order throughout, no clock, no locale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from incentives.ast import nodes as n
from incentives.check.types import show
from incentives.compile import ir
from incentives.data import Payee
from incentives.examples import ExampleOutcome
from incentives.money import format_decimal
from incentives.parse import parse_source
from incentives.report.plandoc_terms import (
    TERM_TITLES,
    Term,
    carry_bullets,
    plan_terms,
    settlement_items,
)
from incentives.report.plandoc_words import (
    Words,
    band_header,
    band_value,
    code,
    component_words,
    measure_words,
    quota_words,
    rounding_words,
    scheme_words,
    source_text,
    text,
    tier_uses,
    type_words,
    value_text,
)
from incentives.source import Span

__all__ = [
    "TERM_TITLES",
    "Item",
    "PlanDocument",
    "Section",
    "Table",
    "Term",
    "Words",
    "build_document",
    "plan_terms",
]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Words, ...], ...]
    #: Whether each column holds amounts (aligned right in HTML).
    numeric: tuple[bool, ...]
    caption: str | None = None


@dataclass(frozen=True)
class Item:
    """One thing a section describes: a component, an example …"""

    title: str
    anchor: str
    subtitle: Words = ()
    paragraphs: tuple[Words, ...] = ()
    bullets: tuple[Words, ...] = ()
    tables: tuple[Table, ...] = ()
    #: Bullets after the tables (an example's notes).
    notes: tuple[Words, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    paragraphs: tuple[Words, ...] = ()
    bullets: tuple[Words, ...] = ()
    tables: tuple[Table, ...] = ()
    items: tuple[Item, ...] = ()
    notes: tuple[Words, ...] = ()


@dataclass(frozen=True)
class PlanDocument:
    title: str
    version: str
    description: str | None
    facts: tuple[tuple[str, Words], ...]
    sections: tuple[Section, ...]
    #: The plan file's name (without its directory), its text and its SHA-256.
    file: str
    source: str
    sha256: str
    #: How many examples the plan carries, and how many failed.
    examples: int = 0
    failed: int = 0
    terms: tuple[Term, ...] = field(default=())


def build_document(
    plan: ir.Plan,
    outcomes: Sequence[ExampleOutcome],
    *,
    roster: Iterable[Payee] | None = None,
) -> PlanDocument:
    """The plan document of ``plan`` (see the module docstring).

    Args:
        plan: the compiled plan.
        outcomes: the result of running its examples, in order.
        roster: the payees of a dataset, to list who is on the plan.
    """
    tree = parse_source(plan.source)
    source = plan.source
    terms = plan_terms(plan)
    sections = [
        _covers(plan, roster),
        _pays(plan, tree),
        _measured(plan, tree),
        Section("Rounding", "rounding", paragraphs=rounding_words(plan)),
        _rate_tables(plan),
        _data(plan),
        *([_terms(terms)] if terms else []),
        _examples(plan, tree, outcomes),
    ]
    facts: list[tuple[str, Words]] = [
        ("Version", text(plan.version)),
        ("Currency", text(plan.currency)),
        ("Pay period", scheme_words(plan.scheme)),
        ("Components", text(str(len(plan.components)))),
    ]
    failed = sum(1 for o in outcomes if not o.passed)
    if outcomes:
        checked = "all pass" if not failed else f"{failed} FAIL"
        facts.append(("Worked examples", text(f"{len(outcomes)}, {checked}")))
    return PlanDocument(
        title=plan.name,
        version=plan.version,
        description=plan.description or None,
        facts=tuple(facts),
        sections=tuple(s for s in sections if s is not None),
        file=source.name.replace("\\", "/").rsplit("/", 1)[-1],
        source=source.text,
        sha256=source.sha256,
        examples=len(outcomes),
        failed=failed,
        terms=terms,
    )


# ------------------------------------------------------------------ sections


def _covers(plan: ir.Plan, roster: Iterable[Payee] | None) -> Section:
    rule = (
        text("This plan pays everyone in the roster whose ")
        + code("plan")
        + text(
            f' column is "{plan.name}" or empty, for each pay period in which they are '
            "employed (from their start date to their end date, both included; either may be "
            "empty). A sale counts for the payee it is recorded for, in the pay period of its "
            "date, if they were employed on that day."
        )
    )
    tables: list[Table] = []
    if roster is not None:
        rows = [
            (
                text(p.id),
                text(p.name or ""),
                text(p.role or ""),
                text(format_decimal(p.fte) if p.fte is not None else ""),
                text(p.start_date.isoformat() if p.start_date else ""),
                text(p.end_date.isoformat() if p.end_date else ""),
            )
            for p in sorted(roster, key=lambda p: p.id)
            if p.plan is None or p.plan == plan.name
        ]
        headers = ("payee", "name", "role", "FTE", "start", "end")
        numeric = (False, False, False, True, False, False)
        tables.append(Table(headers, tuple(rows), numeric, caption="On the plan in the roster"))
    return Section("Who this plan covers", "covers", paragraphs=(rule,), tables=tuple(tables))


def _pays(plan: ir.Plan, tree: n.PlanFile) -> Section:
    decls = {d.name.text: d for d in tree.declarations if isinstance(d, n.ComponentDecl)}
    items: list[Item] = []
    for c in plan.components:
        paragraphs, bullets = component_words(plan, c, decls[c.name])
        bullets += carry_bullets(plan, c)
        uses = tier_uses(plan, c)
        tables = [_bands(plan.tiers[use.table]) for use in uses]
        paragraphs += tuple(use.words for use in uses)
        kind = {"spiff": "SPIFF"}.get(c.kind, c.kind)
        items.append(
            Item(
                title=c.label,
                anchor=f"component-{c.name}",
                subtitle=text(f"{kind} ") + code(c.name),
                paragraphs=paragraphs,
                bullets=bullets,
                tables=tuple(tables),
            )
        )
    for s in settlement_items(plan):
        items.append(
            Item(
                title=s.title,
                anchor=s.anchor,
                subtitle=text(f"{s.kind} ") + code(s.name),
                paragraphs=s.paragraphs,
            )
        )
    intro = text(
        "Your statement has one line for each component below. Each is computed in this "
        "order: what it pays, then its condition (paid only when it holds), its gate, its "
        "cap, its floor, and rounding. The total is the sum of the lines."
    )
    total: list[Words] = []
    limits = (
        (plan.total.cap, "capped at ", "Total cap"),
        (plan.total.floor, "never less than ", "Total floor"),
    )
    for limit, words, line in limits:
        if limit is not None:
            total.append(
                text(f"The total is {words}")
                + code(source_text(plan, limit.span))
                + text(f": a “{line}” line on the statement makes up the difference.")
            )
    return Section("What you are paid", "pays", paragraphs=(intro, *total), items=tuple(items))


def _bands(table: ir.TierTable) -> Table:
    rows = tuple((text(band.text), band_value(table, band)) for band in table.bands)
    return Table(("band", band_header(table)), rows, (False, True), f"Tiers {table.name}")


def _measured(plan: ir.Plan, tree: n.PlanFile) -> Section:
    rows: list[tuple[Words, ...]] = []
    for m in plan.measures:
        if m.component is None:
            rows.append((code(m.name), measure_words(plan, m)))
    for q in plan.quotas.values():
        rows.append((code(q.name), quota_words(plan, q)))
    for let in plan.lets.values():
        definition = code(source_text(plan, let.value.span))
        rows.append((code(let.name), definition + text(f" ({type_words(let.type)})")))
    rows += _dated_versions(plan, tree)
    table = Table(("name", "what it is"), tuple(rows), (False, False))
    intro = text(
        "The names used above mean the following, for one payee and one pay period "
        "(“your ledger lines” are the sales and refunds recorded for you)."
    )
    return Section("How your sales and targets are measured", "measured", (intro,), (), (table,))


def _dated_versions(plan: ir.Plan, tree: n.PlanFile) -> list[tuple[Words, ...]]:
    """A row for each constant, tier table or rate table that changes on a date."""
    versions: dict[str, list[n.LetDecl | n.TiersDecl | n.RateTableDecl]] = {}
    for decl in tree.declarations:
        if isinstance(decl, n.LetDecl | n.TiersDecl | n.RateTableDecl):
            versions.setdefault(decl.name.text, []).append(decl)
    rows: list[tuple[Words, ...]] = []
    for name, decls in versions.items():
        if len(decls) < 2:
            continue
        dated = sorted(decls, key=lambda d: "" if d.start is None else d.start.text)
        words: Words = ()
        for i, decl in enumerate(dated):
            since = "until then" if decl.start is None else f"from {decl.start.text}"
            if isinstance(decl, n.LetDecl):
                what = code(source_text(plan, decl.value.span))
            else:
                what = text("the table of that date")
            words += (text("; ") if i else ()) + what + text(f" {since}")
        first = dated[1].start.text if len(dated) > 1 and dated[1].start else ""
        rows.append((code(name), text(f"changes on {first}: ") + words))
    return rows


def _rate_tables(plan: ir.Plan) -> Section | None:
    if not plan.rate_tables:
        return None
    tables = []
    for t in plan.rate_tables.values():
        rows = [
            (
                *(text("any") if k is None else text(value_text(k)) for k in row.keys),
                text(show(row.value, t.type)),
            )
            for row in t.rows
        ]
        if t.otherwise is not None:
            others = [text("otherwise")] + [text("")] * (len(t.keys) - 1)
            rows.append((*others, text(show(t.otherwise.value, t.type))))
        policy = "the first row that matches" if t.policy == "first" else "the one row that matches"
        tables.append(
            Table(
                (*t.keys, "value"),
                tuple(rows),
                (*(False for _ in t.keys), True),
                caption=f"Rate table {t.name}: for each ledger line, {policy}",
            )
        )
    return Section("Rate tables", "rate-tables", tables=tuple(tables))


def _data(plan: ir.Plan) -> Section:
    builtin = {
        "txn_id": "the line's id",
        "date": "the day of the sale",
        "payee": "who it is credited to",
        "amount": f"the amount in {plan.currency}; negative for a refund",
        "currency": f"always {plan.currency}",
    }
    rows = [(code(name), text(meaning)) for name, meaning in builtin.items()]
    rows += [(code(name), text(kind.value)) for name, kind in plan.ledger_columns]
    tables = [Table(("ledger column", "type or meaning"), tuple(rows), (False, False))]
    if plan.roster_fields:
        fields = tuple((code(name), text(kind.value)) for name, kind in plan.roster_fields)
        tables.append(Table(("roster field", "type"), fields, (False, False)))
    if plan.metrics:
        metrics = tuple(
            (
                code(m.name),
                text(m.column_type.value),
                text(f"{value_text(m.default)} when you have none")
                if m.default is not None
                else text("required each period"),
            )
            for m in plan.metrics
        )
        tables.append(Table(("metric", "type", "default"), metrics, (False, False, False)))
    bullets = []
    if plan.holidays:
        days = ", ".join(d.isoformat() for d in sorted(plan.holidays))
        bullets.append(text(f"Holidays (not working days): {days}."))
    intro = text("The plan reads these inputs; every value is checked before anything is computed.")
    return Section("The data the plan reads", "data", (intro,), tuple(bullets), tuple(tables))


def _terms(terms: tuple[Term, ...]) -> Section:
    items = tuple(
        Item(title=TERM_TITLES[t.key], anchor=f"term-{t.key}", paragraphs=(t.text,)) for t in terms
    )
    return Section("Terms", "terms", items=items)


# ------------------------------------------------------------------ examples


def _examples(plan: ir.Plan, tree: n.PlanFile, outcomes: Sequence[ExampleOutcome]) -> Section:
    decls = [d for d in tree.declarations if isinstance(d, n.ExampleDecl)]
    if not decls:
        return Section(
            "Worked examples", "examples", paragraphs=(text("This plan carries no examples."),)
        )
    items = [
        _example(plan, decl, tree.comments, outcome, i)
        for i, (decl, outcome) in enumerate(zip(decls, outcomes, strict=True), start=1)
    ]
    intro = (
        text(
            "Each example is a worked case the plan carries: the data, and the amounts it must "
            "pay, to the cent. ",
        )
        + code("incentives test")
        + text(" runs every example through the same computation as real pay.")
    )
    return Section("Worked examples", "examples", paragraphs=(intro,), items=tuple(items))


def _example(
    plan: ir.Plan,
    decl: n.ExampleDecl,
    comments: Sequence[n.Comment],
    outcome: ExampleOutcome,
    number: int,
) -> Item:
    labels = {c.name: c.label for c in plan.components}
    labels |= {d.name: d.label for d in plan.draws}
    labels |= {k.name: k.label for k in plan.clawbacks}
    labels |= {w.name: w.label for w in plan.wage_floors}
    inside = [c for c in comments if decl.span.start <= c.span.start <= decl.span.end]
    used: set[int] = set()
    payees: list[tuple[Words, ...]] = []
    quotas: list[tuple[Words, ...]] = []
    metrics: list[tuple[Words, ...]] = []
    lines: list[tuple[Words, ...]] = []
    expects: list[tuple[Words, ...]] = []
    period = ""
    for clause in decl.clauses:
        match clause:
            case n.ExPeriod(label=label, last=last):
                period = label if last is None else f"{label} to {last}"
            case n.ExPayee(payee=who, fields=fields):
                payees.append((text(who.text), _fields(fields)))
            case n.ExQuota(payee=who, period=goal_period, amount=amount):
                quotas.append((text(who.text), text(goal_period), text(amount.text)))
            case n.ExMetric(payee=who, name=name, value=value):
                metrics.append((text(who.text), code(name.text), text(value.text)))
            case n.ExLine(txn_id=txn, day=day, payee=who, amount=amount, fields=fields):
                row = (text(txn.text), text(day.text), text(who.text), text(amount.text))
                lines.append((*row, _fields(fields)))
            case n.ExExpect(payee=who, target=target, value=value, span=span, period=when):
                working = _working(inside, span, used)
                if target is None:
                    what = text("total")
                elif target.text in labels:
                    what = text(f"{labels[target.text]} (") + code(target.text) + text(")")
                else:
                    what = code(target.text)
                if when is not None:
                    what += text(f" in {when}")
                expects.append((text(who.text), what, text(value.text), text(working)))
    tables = [Table(("payee", "roster fields"), tuple(payees), (False, False), "Payees")]
    if quotas:
        tables.append(
            Table(("payee", "period", "goal"), tuple(quotas), (False, False, True), "Quotas")
        )
    if metrics:
        tables.append(
            Table(("payee", "metric", "value"), tuple(metrics), (False, False, True), "Metrics")
        )
    if lines:
        columns = ("line", "date", "payee", "amount", "columns")
        numeric = (False, False, False, True, False)
        tables.append(Table(columns, tuple(lines), numeric, "Ledger lines"))
    expected = ("payee", "what", "expected", "worked out")
    tables.append(Table(expected, tuple(expects), (False, False, True, False), "Expected"))
    if outcome.passed:
        status = text(f"Checked: all {outcome.checked} expected values match the computation.")
    else:
        wrong = "; ".join(
            f"{m.payee} {m.name or 'total'}: expected {m.expected}, computed {m.actual}"
            for m in outcome.mismatches
        ) or "; ".join(d.message for d in outcome.problems)
        status = text(f"FAILS: {wrong}.")
    notes = tuple(text(_clean(c.text)) for i, c in enumerate(inside) if i not in used)
    return Item(
        title=f"Example {number}: {decl.title}",
        anchor=f"example-{number}",
        paragraphs=(text(f"Pay period{'s' if ' to ' in period else ''} {period}."), status),
        tables=tuple(tables),
        notes=notes,
    )


def _working(comments: Sequence[n.Comment], span: Span, used: set[int]) -> str:
    """The comment lines directly above an ``expect``, joined."""
    found: list[str] = []
    line = span.line - 1
    by_line = {c.span.line: (i, c) for i, c in enumerate(comments)}
    while line in by_line:
        i, comment = by_line[line]
        found.insert(0, _clean(comment.text))
        used.add(i)
        line -= 1
    return " ".join(found)


def _clean(comment: str) -> str:
    return " ".join(comment.lstrip("#").split())


def _fields(fields: Sequence[n.ExField]) -> Words:
    words: Words = ()
    for i, f in enumerate(fields):
        words += text(", " if i else "") + code(f.name.text) + text(f" {f.value.text}")
    return words
