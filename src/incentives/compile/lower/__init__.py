"""Checked AST → IR: resolve names, fold constants, make rounding explicit.

Contract: :func:`compile_plan` turns a :class:`~incentives.check.CheckedPlan`
into an :class:`~incentives.compile.ir.Plan` that satisfies every promise in
the ``ir`` package. It only reorganises what the checker proved; it reports nothing.
If it meets something the checker should have refused it raises
:class:`~incentives.errors.InternalError`.

Rewrites done here, so the evaluator stays small:

* ``x of y`` becomes ``x * y``; constant sub-expressions become constants;
* a per-line or per-unit payment becomes a stage-1 measure (named
  ``<component>:lines``) whose per-line expression already applies the
  per-line cap, floor and (if the plan rounds lines) rounding;
* ``gate …, excess only`` becomes an :class:`~incentives.compile.ir.Excess`
  base for a rate, or a ``start`` for marginal tiers.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from incentives.ast import nodes as n
from incentives.check import CheckedPlan, Level
from incentives.check.constants import const_value
from incentives.check.crediting import team_dependent
from incentives.compile import ir
from incentives.compile.lower.crediting import CreditingLowering
from incentives.compile.lower.definitions import DefinitionLowering, lines_measure_name
from incentives.compile.lower.examples import ExampleLowering
from incentives.compile.lower.settlement import SettlementLowering
from incentives.money import evaluation_context
from incentives.values import ColumnType

__all__ = ["compile_plan", "lines_measure_name"]


class _Lowering(DefinitionLowering, SettlementLowering, CreditingLowering, ExampleLowering):
    """Every part of lowering, over one checked plan."""


def compile_plan(checked: CheckedPlan) -> ir.Plan:
    """Lower a checked plan to the IR the evaluator runs."""
    low = _Lowering(checked)
    low.inline_lets()
    ast = checked.ast
    header = {type(c): c for c in ast.header.clauses}
    version = header.get(n.VersionClause)
    description = header.get(n.DescriptionClause)
    measures: list[ir.Measure] = []
    lets: dict[str, ir.Let] = {}
    quotas: dict[str, ir.Quota] = {}
    components: list[ir.Component] = []
    tiers: dict[str, ir.TierTable] = {}
    rate_tables: dict[str, ir.RateTable] = {}
    ledger_columns: list[tuple[str, ColumnType]] = []
    optional_columns: set[str] = set()
    roster_fields: list[tuple[str, ColumnType]] = []
    metrics: list[ir.MetricSpec] = []
    holidays: set[date] = set()
    tier_versions: dict[str, list[tuple[date, ir.TierTable]]] = {}
    rate_versions: dict[str, list[tuple[date, ir.RateTable]]] = {}
    field_types: dict[str, ColumnType] = {}
    for decl in ast.declarations:
        if isinstance(decl, n.FieldsDecl):
            for f in decl.fields:
                kind = ColumnType(f.type_name)
                field_types[f.name.text] = kind
                if decl.table == "ledger":
                    ledger_columns.append((f.name.text, kind))
                    if f.optional:
                        optional_columns.add(f.name.text)
                elif decl.table == "roster":
                    roster_fields.append((f.name.text, kind))
                else:
                    default = None
                    if f.default is not None:
                        with evaluation_context():
                            default = const_value(checked.context, f.default)
                    metrics.append(ir.MetricSpec(f.name.text, kind, default))
    for decl in ast.declarations:
        match decl:
            case n.HolidaysDecl(days=days):
                holidays.update(d.value for d in days if isinstance(d.value, date))
            case n.LetDecl(start=start) if start is not None:
                pass  # a dated version: lowered where the constant is used
            case n.TiersDecl(start=start) if start is not None:
                day = start.value
                assert isinstance(day, date)
                tier_versions.setdefault(decl.name.text, []).append((day, low.tiers(decl)))
            case n.RateTableDecl(start=start) if start is not None:
                day = start.value
                assert isinstance(day, date)
                rate_versions.setdefault(decl.name.text, []).append((day, low.rate_table(decl)))
            case n.LetDecl(name=name, value=value):
                symbol = checked.symbols[name.text]
                if symbol.level in (Level.PAYEE, Level.TEAM):
                    assert symbol.type is not None
                    lets[name.text] = ir.Let(name.text, low.expr(value), symbol.type, decl.span)
            case n.MeasureDecl():
                measures.append(low.measure(decl))
            case n.QuotaDecl():
                quotas[decl.name.text] = low.quota(decl)
            case n.TiersDecl():
                tiers[decl.name.text] = low.tiers(decl)
            case n.RateTableDecl():
                rate_tables[decl.name.text] = low.rate_table(decl)
            case n.ComponentDecl():
                components.append(low.component(decl, measures))
    computed = {*lets, *quotas, *(c.name for c in components), *(m.name for m in measures)}
    order = tuple(name for name in checked.order if name in computed)
    rounding = None
    if checked.rounding_mode is not None and checked.rounding_unit is not None:
        rounding = ir.Rounding(
            checked.rounding_mode,
            checked.rounding_unit,
            "components" in checked.rounding_places,
            "lines" in checked.rounding_places,
        )
    examples = tuple(
        low.example(d, field_types) for d in ast.declarations if isinstance(d, n.ExampleDecl)
    )
    return ir.Plan(
        name=ast.header.name,
        version=version.version if isinstance(version, n.VersionClause) else "",
        description=description.text if isinstance(description, n.DescriptionClause) else "",
        currency=checked.currency,
        scheme=checked.scheme,
        rounding=rounding,
        source=checked.source,
        ledger_columns=tuple(ledger_columns),
        optional_columns=frozenset(optional_columns),
        roster_fields=tuple(roster_fields),
        metrics=tuple(metrics),
        holidays=frozenset(holidays),
        measures=tuple(measures),
        lets=lets,
        quotas=quotas,
        components=tuple(components),
        total=low.total(),
        tiers=tiers,
        rate_tables=rate_tables,
        order=order,
        examples=examples,
        crediting=low.crediting(),
        fx=low.fx(),
        team_names=frozenset(team_dependent(checked.context)),
        starts=_header_date(ast),
        versions_at=_versions_at(ast),
        tier_versions={k: tuple(sorted(v, key=lambda x: x[0])) for k, v in tier_versions.items()},
        rate_versions={k: tuple(sorted(v, key=lambda x: x[0])) for k, v in rate_versions.items()},
        draws=low.draws(),
        clawbacks=low.clawbacks(),
        termination=low.termination(),
        wage_floors=low.wage_floors(),
        contact=next((c.text for c in ast.header.clauses if isinstance(c, n.ContactClause)), ""),
    )


def _header_date(ast: n.PlanFile) -> date | None:
    for clause in ast.header.clauses:
        if isinstance(clause, n.StartsClause):
            day = clause.day.value
            assert isinstance(day, date)
            return day
    return None


def _versions_at(ast: n.PlanFile) -> Literal["period_start", "period_end"]:
    for clause in ast.header.clauses:
        if isinstance(clause, n.VersionsClause):
            return clause.point
    return "period_start"
