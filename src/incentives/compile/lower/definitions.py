"""Lowering the definitions of a period: measures, quotas, tiers, rate tables, components.

Contract: tiers come out sorted and contiguous, rate tables in the order
their hit policy reads them; a per-line or per-unit payment becomes a
stage-1 measure (named by :func:`lines_measure_name`) whose per-line
expression already applies the per-line cap, floor and rounding; ``gate …,
excess only`` becomes an :class:`~incentives.compile.ir.Excess` base for a
rate, or a ``start`` for marginal tiers; holdbacks, true-ups, caps over a
horizon and line attributions are attached to their component.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from incentives.ast import nodes as n
from incentives.check.components import gate_base
from incentives.check.constants import const_value
from incentives.check.quotas import goal_kind
from incentives.check.stateful import attribution_base
from incentives.compile import ir
from incentives.compile.lower.expressions import ExprLowering
from incentives.errors import InternalError
from incentives.money import RoundingMode, evaluation_context
from incentives.periods import PeriodKind
from incentives.values import Value

__all__ = ["DefinitionLowering", "lines_measure_name"]


def lines_measure_name(component: str) -> str:
    """The stage-1 measure holding a component's per-line payments."""
    return f"{component}:lines"


class DefinitionLowering(ExprLowering):
    def measure(self, decl: n.MeasureDecl) -> ir.Measure:
        where: ir.Expr | None = None
        horizon: PeriodKind | None = None
        default: Value | None = None
        scope: ir.Scope | None = None
        dated_by: str | None = None
        for clause in decl.clauses:
            match clause:
                case n.AcrossClause(scope=across):
                    scope = self.scope(across)
                case n.DatedClause(column=column):
                    dated_by = column.text
                case n.WhereClause(condition=c):
                    where = self.expr(c)
                case n.OverClause(horizon=h):
                    horizon = PeriodKind(h)
                case n.DefaultClause(value=v):
                    with evaluation_context():
                        default = const_value(self.ctx, v)
        argument = self.expr(decl.argument) if decl.argument is not None else None
        symbol = self.cp.symbols[decl.name.text]
        assert symbol.type is not None
        if horizon is self.cp.scheme.kind:
            horizon = None
        return ir.Measure(
            decl.name.text,
            decl.aggregate,
            argument,
            where,
            horizon,
            default,
            symbol.type,
            decl.span,
            scope=scope,
            dated_by=dated_by,
        )

    def quota(self, decl: n.QuotaDecl) -> ir.Quota:
        goal: ir.Expr | None = None
        kind = self.cp.scheme.kind
        split: ir.SplitMethod = "none"
        weights: tuple[Decimal, ...] = ()
        fte = days = False
        ramp: list[ir.RampStep] = []
        rounding: tuple[RoundingMode, Decimal] | None = None
        for clause in decl.clauses:
            match clause:
                case n.GoalClause(source=source):
                    goal = self.expr(source) if source is not None else None
                    kind = goal_kind(clause, self.cp.scheme.kind)
                case n.SplitClause(method=method, weights=ws):
                    split = method
                    weights = tuple(self.constant(w) for w in ws)
                case n.ProrateClause(factors=factors):
                    fte = "fte" in factors
                    days = "days_active" in factors
                case n.RampClause(steps=steps):
                    for step in steps:
                        last = step.last if step.last is not None else step.first
                        ramp.append(ir.RampStep(step.first, last, self.constant(step.factor)))
                case n.QuotaRoundClause(mode=mode, unit=unit):
                    rounding = (RoundingMode(mode), self.unit(unit))
        if kind is self.cp.scheme.kind:
            split = "none"
        symbol = self.cp.symbols[decl.name.text]
        assert symbol.type is not None
        return ir.Quota(
            decl.name.text,
            goal,
            kind,
            split,
            weights,
            fte,
            days,
            tuple(ramp),
            rounding,
            symbol.type,
            decl.span,
        )

    def tiers(self, decl: n.TiersDecl) -> ir.TierTable:
        info = self.cp.tier_info[decl.name.text]
        bands = []
        for band in decl.bands:
            low = self.constant(band.lower.value) if band.lower is not None else None
            high = self.constant(band.upper.value) if band.upper is not None else None
            to = self.constant(band.value_to) if band.value_to is not None else None
            bands.append(
                ir.Band(
                    low,
                    band.lower.inclusive if band.lower is not None else False,
                    high,
                    band.upper.inclusive if band.upper is not None else False,
                    self.constant(band.value),
                    to,
                    self.formula(band).removeprefix("band ").split(":")[0].strip(),
                    band.span,
                )
            )
        return ir.TierTable(
            decl.name.text, decl.kind, tuple(bands), info.bound_type, info.value_type, decl.span
        )

    def rate_table(self, decl: n.RateTableDecl) -> ir.RateTable:
        rows: list[ir.RateRow] = []
        otherwise: ir.RateRow | None = None
        for row in decl.rows:
            value = row.value.value
            assert isinstance(value, Decimal)
            keys = tuple(None if isinstance(k, n.AnyKey) else k.value for k in row.keys)
            lowered = ir.RateRow(keys, value, row.span)
            if row.otherwise:
                otherwise = lowered
            else:
                rows.append(lowered)
        symbol = self.cp.symbols[decl.name.text]
        assert symbol.type is not None
        return ir.RateTable(
            decl.name.text,
            tuple(k.text for k in decl.keys),
            decl.policy or "unique",
            tuple(rows),
            otherwise,
            symbol.type,
            decl.span,
        )

    def component(self, decl: n.ComponentDecl, measures: list[ir.Measure]) -> ir.Component:
        money = self.cp.symbols[decl.name.text].type
        assert money is not None
        amount: ir.Expr | None = None
        lines: str | None = None
        targets: tuple[str, ...] = ()
        factor: ir.Expr | None = None
        when = gate = cap = floor = None
        line_cap: ir.Expr | None = None
        line_floor: ir.Expr | None = None
        formula = ""
        pays: n.PaySpec | None = None
        gate_clause: n.GateClause | None = None
        hold: ir.Hold | None = None
        true_up: PeriodKind | None = None
        horizon_cap: ir.HorizonCap | None = None
        for clause in decl.clauses:
            match clause:
                case n.PaysClause(spec=spec):
                    pays = spec
                    formula = self.formula(spec)
                case n.WhenClause(condition=c):
                    when = self.expr(c)
                case n.GateClause():
                    gate_clause = clause
                case n.CapClause(per_line=True, limit=limit):
                    line_cap = self.expr(limit)
                case n.FloorClause(per_line=True, limit=limit):
                    line_floor = self.expr(limit)
                case n.CapClause(limit=limit):
                    cap = self.expr(limit)
                case n.FloorClause(limit=limit):
                    floor = self.expr(limit)
                case n.MultipliesClause(targets=names, factor=f):
                    targets = tuple(t.text for t in names)
                    factor = self.expr(f)
                    formula = self.formula(clause)
                case n.HoldClause():
                    hold = self.hold(clause)
                case n.TrueUpClause(horizon=horizon):
                    true_up = PeriodKind(horizon)
                case n.HorizonCapClause():
                    horizon_cap = self.horizon_cap(clause)
        match pays:
            case n.PayAmount(amount=expr):
                amount, gate = self.gated(expr, gate_clause)
            case n.PayPerLine(amount=expr, where=where) | n.PayPerUnit(amount=expr, where=where):
                per_line = self.expr(expr)
                if isinstance(pays, n.PayPerUnit):
                    units = self.expr(pays.units)
                    per_line = ir.Arith("*", per_line, units, money, pays.span)
                if line_cap is not None:
                    per_line = ir.Fn("min", (per_line, line_cap), money, pays.span)
                if line_floor is not None:
                    per_line = ir.Fn("max", (per_line, line_floor), money, pays.span)
                rounding = self.cp.rounding_mode
                if rounding is not None and "lines" in self.cp.rounding_places:
                    assert self.cp.rounding_unit is not None
                    per_line = ir.Round(per_line, self.cp.rounding_unit, rounding, money, pays.span)
                lines = lines_measure_name(decl.name.text)
                filter_ = self.expr(where) if where is not None else None
                measures.append(
                    ir.Measure(
                        lines,
                        "sum",
                        per_line,
                        filter_,
                        None,
                        None,
                        money,
                        pays.span,
                        decl.name.text,
                    )
                )
        return ir.Component(
            decl.name.text,
            decl.label or decl.name.text,
            decl.kind,
            amount,
            lines,
            targets,
            factor,
            when,
            gate,
            cap,
            floor,
            money,
            decl.span,
            formula,
            hold=hold,
            true_up=true_up,
            horizon_cap=horizon_cap,
            attribution=self.attribution(decl, amount, lines),
        )

    def gated(self, expr: n.Expr, gate: n.GateClause | None) -> tuple[ir.Expr, ir.Gate | None]:
        if gate is None:
            return self.expr(expr), None
        base, form = gate_base(self.ctx, expr)
        if base is None:
            raise InternalError("a gate without a base passed the checker")
        threshold = self.expr(gate.threshold)
        if gate.mode == "nothing_below":
            return self.expr(expr), ir.Gate(self.expr(base), threshold, gate.span)
        if form == "tiers":
            assert isinstance(expr, n.TierOn)
            lowered = self.expr(expr)
            assert isinstance(lowered, ir.TierApply)
            return (
                ir.TierApply(
                    lowered.table,
                    "on",
                    lowered.base,
                    lowered.quota,
                    threshold,
                    lowered.type,
                    lowered.span,
                ),
                None,
            )
        assert isinstance(expr, n.Binary)
        base_ir = self.expr(base)
        excess = ir.Excess(base_ir, threshold, base_ir.type, gate.span)
        rate_side = expr.left if base is expr.right else expr.right
        return ir.Arith("*", self.expr(rate_side), excess, self.type(expr), expr.span), None

    def hold(self, clause: n.HoldClause) -> ir.Hold:
        day = clause.day.value if clause.day is not None else None
        assert day is None or isinstance(day, date)
        return ir.Hold(
            self.constant(clause.share),
            clause.release,
            clause.periods,
            day,
            clause.column.text if clause.column is not None else None,
        )

    def horizon_cap(self, clause: n.HorizonCapClause) -> ir.HorizonCap:
        return ir.HorizonCap(
            self.expr(clause.limit), PeriodKind(clause.horizon), clause.carry, clause.span
        )

    def attribution(
        self, decl: n.ComponentDecl, amount: ir.Expr | None, lines: str | None
    ) -> ir.Attribution | None:
        kind = attribution_base(self.ctx, decl)
        if kind == "lines" and lines is not None:
            return ir.Attribution("lines", lines, None, None)
        if kind == "tiers" and isinstance(amount, ir.TierApply) and amount.start is None:
            assert isinstance(amount.base, ir.Ref)
            return ir.Attribution("tiers", amount.base.name, None, amount)
        if kind == "rate" and isinstance(amount, ir.Arith) and amount.op == "*":
            for base, rate in ((amount.right, amount.left), (amount.left, amount.right)):
                if isinstance(base, ir.Ref) and base.type.is_money and not rate.type.is_money:
                    return ir.Attribution("rate", base.name, rate, None)
        return None

    def total(self) -> ir.Total:
        cap = floor = None
        horizon_cap: ir.HorizonCap | None = None
        for decl in self.cp.ast.declarations:
            if isinstance(decl, n.TotalDecl):
                for clause in decl.clauses:
                    if isinstance(clause, n.HorizonCapClause):
                        horizon_cap = self.horizon_cap(clause)
                    elif isinstance(clause, n.CapClause):
                        cap = self.expr(clause.limit)
                    else:
                        floor = self.expr(clause.limit)
        return ir.Total(cap, floor, horizon_cap)
