"""Checked AST → IR: resolve names, fold constants, make rounding explicit.

Contract: :func:`compile_plan` turns a :class:`~incentives.check.CheckedPlan`
into an :class:`~incentives.compile.ir.Plan` that satisfies every promise in
``ir.py``. It only reorganises what the checker proved; it reports nothing.
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
from decimal import Decimal
from typing import Literal

from incentives.ast import nodes as n
from incentives.check import CheckedPlan, Level
from incentives.check.components import gate_base
from incentives.check.constants import const_value
from incentives.check.crediting import team_dependent
from incentives.check.quotas import goal_kind
from incentives.check.stateful import attribution_base
from incentives.check.types import Type
from incentives.compile import ir
from incentives.errors import InternalError
from incentives.money import RoundingMode, evaluation_context, format_decimal, minor_unit
from incentives.periods import PeriodKind
from incentives.source import Span
from incentives.values import ColumnType, Value

__all__ = ["compile_plan", "lines_measure_name"]


def lines_measure_name(component: str) -> str:
    """The stage-1 measure holding a component's per-line payments."""
    return f"{component}:lines"


class _Lowering:
    def __init__(self, checked: CheckedPlan) -> None:
        self.cp = checked
        self.ctx = checked.context
        self.text = checked.source.text
        #: Line-level lets, lowered once and shared by every expression that
        #: inlines them (see :meth:`inline_lets`).
        self.inlined: dict[str, ir.Expr] = {}

    def inline_lets(self) -> None:
        """Lower every line-level let once, dependencies first.

        Stage 1 sees a line-level let as part of each expression that uses
        it. Lowering them here, in the checker's evaluation order, means each
        use finds its let already lowered: the IR shares the one lowered
        expression instead of copying it (a let used twice by the next one,
        and so on, would otherwise double at each step), and lowering never
        recurses from one let into the next, however long the chain.
        """
        for name in self.cp.order:
            symbol = self.cp.symbols[name]
            if (
                symbol.kind == "let"
                and symbol.level is Level.LINE
                and name not in self.ctx.versions
                and isinstance(symbol.node, n.LetDecl)
            ):
                self.inlined[name] = self.expr(symbol.node.value)

    def formula(self, node: object) -> str:
        span = node.span  # type: ignore[attr-defined]
        return " ".join(self.text[span.start : span.end].split())

    def type(self, expr: object) -> Type:
        return self.cp.type_of(expr)

    # ---------------------------------------------------------------- exprs
    def expr(self, e: n.Expr) -> ir.Expr:
        t = self.type(e)
        if self.cp.level_of(e) is Level.CONST and not isinstance(e, n.Literal):
            with evaluation_context():
                value = const_value(self.ctx, e)
            if value is not None:
                return ir.Const(value, t, e.span)
        match e:
            case n.Literal(value=literal):
                return ir.Const(literal, t, e.span)
            case n.Ref(name=name):
                return self.ref(name, t, e)
            case n.Binary(op=op, left=left, right=right):
                a, b = self.expr(left), self.expr(right)
                if op in ("+", "-", "*", "/", "of"):
                    return ir.Arith("*" if op == "of" else op, a, b, t, e.span)
                if op == "and" or op == "or":
                    return ir.Logic(op, a, b, t, e.span)
                assert op in ("=", "!=", "<", "<=", ">", ">=")
                return ir.Cmp(op, a, b, t, e.span)
            case n.Unary(op=op, operand=operand):
                inner = self.expr(operand)
                return ir.Not(inner, t, e.span) if op == "not" else ir.Neg(inner, t, e.span)
            case n.InList(operand=operand, items=items, negated=negated):
                values = tuple(item.value for item in items)
                return ir.InSet(self.expr(operand), values, negated, t, e.span)
            case n.IfElse(condition=c, then=a, otherwise=b):
                return ir.Cond(self.expr(c), self.expr(a), self.expr(b), t, e.span)
            case n.Call(function=function, args=args):
                lowered = tuple(self.expr(a) for a in args)
                return ir.Fn(function, lowered, t, e.span)  # type: ignore[arg-type]
            case n.Round(value=rounded, unit=unit, mode=mode):
                size = self.unit(unit)
                how = RoundingMode(mode) if mode else self.cp.rounding_mode
                if how is None:
                    raise InternalError("round() without a mode passed the checker")
                return ir.Round(self.expr(rounded), size, how, t, e.span)
            case n.TierOn(tiers=tiers, base=base, quota=quota):
                q = self.expr(quota) if quota is not None else None
                return ir.TierApply(tiers.text, "on", self.expr(base), q, None, t, e.span)
            case n.TierAt(tiers=tiers, value=point):
                return ir.TierApply(tiers.text, "at", self.expr(point), None, None, t, e.span)
            case n.TeamValue(function=function, name=name, scope=scope):
                return ir.TeamValue(function, name.text, self.scope(scope), t, e.span)
            case n.Rank():
                return ir.Rank(
                    e.name.text,
                    self.scope(e.scope),
                    e.descending,
                    e.ties,
                    e.tie_field.text if e.tie_field is not None else None,
                    t,
                    e.span,
                )
        raise InternalError(f"cannot lower {e!r}")  # pragma: no cover

    def ref(self, name: n.Name, t: Type, e: n.Ref) -> ir.Expr:
        symbol = self.cp.symbols[name.text]
        match symbol.kind:
            case "builtin" | "column":
                return ir.Column(name.text, t, e.span)
            case "roster" | "period":
                return ir.Field(name.text, t, e.span)
            case "metric":
                return ir.Metric(name.text, t, e.span)
            case "rate_table":
                return ir.RateLookup(name.text, t, e.span)
            case "let":
                assert isinstance(symbol.node, n.LetDecl)
                if name.text in self.ctx.versions:
                    return self.versioned(name.text, t, e)
                if symbol.level is Level.LINE:
                    # Line-level lets are inlined: stage 1 sees one expression.
                    inlined = self.inlined.get(name.text)
                    if inlined is None:
                        inlined = self.inlined[name.text] = self.expr(symbol.node.value)
                    return inlined
                return ir.Ref(name.text, t, e.span)
            case "measure" | "quota" | "component":
                return ir.Ref(name.text, t, e.span)
        raise InternalError(f"`{name.text}` cannot be read as a value")  # pragma: no cover

    def versioned(self, name: str, t: Type, e: n.Ref) -> ir.Versioned:
        base = self.cp.symbols[name].node
        assert isinstance(base, n.LetDecl)
        versions: list[tuple[date | None, Value]] = [(None, self.constant_value(base.value))]
        for key in self.ctx.versions[name]:
            decl = self.cp.symbols[key].node
            assert isinstance(decl, n.LetDecl) and decl.start is not None
            day = decl.start.value
            assert isinstance(day, date)
            versions.append((day, self.constant_value(decl.value)))
        ordered = sorted(versions[1:], key=lambda v: v[0] or date.min)
        return ir.Versioned(name, (versions[0], *ordered), t, e.span)

    def constant_value(self, e: n.Expr) -> Value:
        with evaluation_context():
            value = const_value(self.ctx, e)
        if value is None:
            raise InternalError("a constant the checker accepted did not fold")
        return value

    @staticmethod
    def scope(scope: n.Scope) -> ir.Scope:
        field = scope.field.text if scope.field is not None else None
        return ir.Scope(scope.kind, scope.depth, field)

    def unit(self, unit: n.Literal | n.MinorUnit | None) -> Decimal:
        if isinstance(unit, n.Literal):
            assert isinstance(unit.value, Decimal)
            return unit.value
        if isinstance(unit, n.MinorUnit):
            return minor_unit(self.cp.currency)
        if self.cp.rounding_unit is None:
            raise InternalError("round() without a unit passed the checker")
        return self.cp.rounding_unit

    # --------------------------------------------------------- declarations
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

    def constant(self, e: n.Expr) -> Decimal:
        with evaluation_context():
            value = const_value(self.ctx, e)
        if not isinstance(value, Decimal):
            raise InternalError("a constant the checker accepted did not fold")
        return value

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

    def draws(self) -> tuple[ir.Draw, ...]:
        found = []
        for decl in self.cp.ast.declarations:
            if not isinstance(decl, n.DrawDecl):
                continue
            amount = next(c for c in decl.clauses if isinstance(c, n.DrawAmount))
            shortfall = next(c for c in decl.clauses if isinstance(c, n.DrawShortfall))
            when = next((c for c in decl.clauses if isinstance(c, n.WhenClause)), None)
            found.append(
                ir.Draw(
                    decl.name.text,
                    decl.label or decl.name.text,
                    amount.kind,
                    self.expr(amount.amount),
                    shortfall.recovered,
                    self.expr(shortfall.limit) if shortfall.limit is not None else None,
                    self.expr(when.condition) if when is not None else None,
                    decl.span,
                )
            )
        return tuple(found)

    def wage_floors(self) -> tuple[ir.WageFloor, ...]:
        found = []
        for decl in self.cp.ast.declarations:
            if not isinstance(decl, n.WageFloorDecl):
                continue
            rate = next(c for c in decl.clauses if isinstance(c, n.WageRate))
            rule = next(c for c in decl.clauses if isinstance(c, n.WageShortfall))
            when = next((c for c in decl.clauses if isinstance(c, n.WhenClause)), None)
            found.append(
                ir.WageFloor(
                    decl.name.text,
                    decl.label or decl.name.text,
                    self.expr(rate.rate),
                    self.expr(rate.hours),
                    rule.topped_up,
                    self.expr(when.condition) if when is not None else None,
                    decl.span,
                )
            )
        return tuple(found)

    def clawbacks(self) -> tuple[ir.Clawback, ...]:
        found = []
        for decl in self.cp.ast.declarations:
            if not isinstance(decl, n.ClawbackDecl):
                continue
            parts = {type(c): c for c in decl.clauses}
            reverses = parts[n.ClawbackReverses]
            lines = parts[n.ClawbackLines]
            matched = parts[n.ClawbackMatched]
            window = parts[n.ClawbackWindow]
            assert isinstance(reverses, n.ClawbackReverses)
            assert isinstance(lines, n.ClawbackLines)
            assert isinstance(matched, n.ClawbackMatched)
            assert isinstance(window, n.ClawbackWindow)
            found.append(
                ir.Clawback(
                    decl.name.text,
                    decl.label or decl.name.text,
                    tuple(t.text for t in reverses.targets),
                    self.expr(lines.condition),
                    matched.column.text,
                    window.days,
                    decl.span,
                )
            )
        return tuple(found)

    def termination(self) -> ir.Termination:
        holdbacks: str | None = None
        draws: str | None = None
        for decl in self.cp.ast.declarations:
            if isinstance(decl, n.TerminationDecl):
                for clause in decl.clauses:
                    what, _, how = clause.rule.partition("_")
                    if what == "holdbacks":
                        holdbacks = how
                    else:
                        draws = how
        return ir.Termination(holdbacks, draws)  # type: ignore[arg-type]

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

    def crediting(self) -> ir.Crediting:
        rules: list[ir.CreditRule] = []
        splits = False
        overlays: set[str] = set()
        remainder: str = "largest_remainder"
        earn_on: str | None = None
        for decl in self.cp.ast.declarations:
            if not isinstance(decl, n.CreditingDecl):
                continue
            for clause in decl.clauses:
                match clause:
                    case n.CreditTo(column=column, start=start):
                        day = start.value if start is not None else None
                        assert day is None or isinstance(day, date)
                        rules.append(ir.CreditRule(column.text, day))
                    case n.SplitBySplits():
                        splits = True
                    case n.OverlayClause(types=types):
                        overlays.update(types)
                    case n.RemainderClause(rule=rule):
                        remainder = rule
                    case n.EarnOn(column=column):
                        earn_on = column.text
        rules.sort(key=lambda r: (r.start is not None, r.start or date.min))
        if not rules or rules[0].start is not None:
            rules.insert(0, ir.CreditRule("payee", None))
        return ir.Crediting(
            tuple(rules),
            splits,
            frozenset(overlays),
            remainder,  # type: ignore[arg-type]
            earn_on,
        )

    def fx(self) -> ir.Fx | None:
        for decl in self.cp.ast.declarations:
            if isinstance(decl, n.FxDecl):
                when = "line_date"
                rounding: tuple[RoundingMode, Decimal] | None = None
                payout = False
                for clause in decl.clauses:
                    match clause:
                        case n.FxConvert(when=w):
                            when = w
                        case n.FxRound(mode=mode, unit=unit):
                            rounding = (RoundingMode(mode), self.unit(unit))
                        case n.FxPayout():
                            payout = True
                return ir.Fx(when, rounding, payout)  # type: ignore[arg-type]
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

    # -------------------------------------------------------------- examples
    def example(self, decl: n.ExampleDecl, fields: dict[str, ColumnType]) -> ir.Example:
        period = ""
        last_period: str | None = None
        roster: list[dict[str, Value]] = []
        quotas: list[dict[str, Value]] = []
        metrics: list[dict[str, Value]] = []
        ledger: list[dict[str, Value]] = []
        splits: list[dict[str, Value]] = []
        fx: list[dict[str, Value]] = []
        expect: list[tuple[str, str | None, Value, str | None, str | None, Span]] = []
        records: dict[str, list[ir.ExampleRecord]] = {}

        def wrote(table: str, clause: n.ExampleClause, *cells: tuple[str, Span]) -> None:
            records.setdefault(table, []).append(ir.ExampleRecord(clause.span, cells))

        for clause in decl.clauses:
            match clause:
                case n.ExPeriod(label=label, last=last):
                    period = label
                    last_period = last
            # period first: metrics rows need it
        for clause in decl.clauses:
            match clause:
                case n.ExPayee(payee=p, fields=fs):
                    roster.append(
                        {"payee": p.text}
                        | {f.name.text: self.cell(f.value, fields.get(f.name.text)) for f in fs}
                    )
                    wrote("roster", clause, ("payee", p.span), *((f.name.text, f.span) for f in fs))
                case n.ExQuota(payee=p, period=label, amount=amount):
                    quotas.append(
                        {
                            "payee": p.text,
                            "period": label,
                            "amount": amount.value,
                            "currency": amount.currency or self.cp.currency,
                        }
                    )
                    wrote(
                        "quotas", clause, ("payee", p.span), ("amount", amount.span),
                        ("currency", amount.span),
                    )  # fmt: skip
                case n.ExMetric(payee=p, name=name, value=value):
                    metrics.append(
                        {
                            "payee": p.text,
                            "period": self.cp.scheme.parse(period).label,
                            "name": name.text,
                            "value": self.cell(value, fields.get(name.text)),
                        }
                    )
                    wrote(
                        "metrics", clause, ("payee", p.span), ("name", name.span),
                        ("value", value.span),
                    )  # fmt: skip
                case n.ExLine(txn_id=txn, day=day, payee=p, amount=amount, fields=fs):
                    row: dict[str, Value] = {
                        "txn_id": txn.text,
                        "date": day.value,
                        "payee": p.text,
                        "amount": amount.value,
                        "currency": amount.currency or self.cp.currency,
                    }
                    for f in fs:
                        row[f.name.text] = self.cell(f.value, fields.get(f.name.text))
                    ledger.append(row)
                    wrote(
                        "ledger", clause, ("txn_id", txn.span), ("date", day.span),
                        ("payee", p.span), ("amount", amount.span), ("currency", amount.span),
                        *((f.name.text, f.span) for f in fs),
                    )  # fmt: skip
                case n.ExSplit(txn_id=txn, payee=p, share=share, credit=credit):
                    splits.append(
                        {
                            "txn_id": txn.text,
                            "payee": p.text,
                            "share": self.cell(share, ColumnType.PERCENT),
                            "credit": credit or "",
                        }
                    )
                    wrote(
                        "splits", clause, ("txn_id", txn.span), ("payee", p.span),
                        ("share", share.span),
                    )  # fmt: skip
                case n.ExExchange(day=day, source=source, target=target, rate=rate):
                    fx.append({"date": day.value, "from": source, "to": target, "rate": rate.value})
                    wrote("fx", clause, ("date", day.span), ("rate", rate.span))
                case n.ExExpect(payee=p, target=target, value=value, period=when):
                    what = target.text if target else None
                    expect.append((p.text, what, value.value, value.currency, when, clause.span))
        return ir.Example(
            decl.title, period, last_period, tuple(roster), tuple(quotas), tuple(metrics),
            tuple(ledger), tuple(splits), tuple(fx), tuple(expect), decl.span,
            tuple((table, tuple(found)) for table, found in records.items()),
        )  # fmt: skip

    @staticmethod
    def cell(value: n.Literal, kind: ColumnType | None) -> Value:
        """A literal as a data cell; percents keep their sign so data parsing reads them."""
        if kind is ColumnType.PERCENT and isinstance(value.value, Decimal):
            with evaluation_context():
                return format_decimal(value.value.scaleb(2).normalize()) + "%"
        return value.value


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
