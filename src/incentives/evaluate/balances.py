"""Stage 4: what carries from one period to the next (DESIGN §3 "Multi-period state").

Contract: :func:`settle` takes a payee's statement for a period (stages 1–3)
and the payee's carried state, and returns the statement paid, updating the
state. Periods are settled in order, and the state is derived from nothing
but the inputs (or an opening snapshot). In order:

1. **true-ups** — a component that trues up over a horizon pays what it has
   earned to date in the horizon minus what it already paid in it;
2. **caps over a horizon** — a component (or the total, step 5) pays at most
   what is left of its cap in the horizon; the excess is withheld, and at the
   next horizon either forfeited or carried over to be paid as room allows;
3. **holdbacks** — a share of a positive payment is held back (a negative
   ``…_held`` line) and released (a ``…_released`` line) N periods later, in
   the period of a date, or in the period of a line's date column; a line
   that is refunded forfeits its held share in proportion;
4. **clawbacks** — a refund line within the window reverses what its
   original line earned, in proportion to the refund, at the rate and band it
   was paid in; outside the window it reverses nothing (the trace says so);
5. the **total cap over a horizon**;
6. **draws** — with E the total so far: a guarantee tops pay up to its amount
   and an advance pays its amount; a recovered shortfall is carried as a
   balance and repaid from later earnings above the guarantee (or from any
   earnings, for an advance, and once the draw is no longer active), never
   pushing pay below the draw while it is active and at most the stated limit
   a period; a forgiven shortfall is not carried. For every draw,
   Σ (paid − earned) equals its balance;
7. **termination** — in a payee's last period, held amounts are released or
   forfeited, and draw balances forgiven or recovered, as the plan says.

New lines are rounded with the plan's rounding of components; the trace of
each line still adds up exactly to its amount, and the statement total is the
sum of its lines. Balances before and after are listed on the statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from incentives.check.types import PERCENT as _PERCENT
from incentives.check.types import Type, money, show
from incentives.compile import ir
from incentives.data import LedgerLine, Payee
from incentives.evaluate.attribution import line_earnings
from incentives.evaluate.crediting import Credit, allocate
from incentives.evaluate.measures import MeasureValue
from incentives.evaluate.payee_env import CompiledPlan, PayeeEnv
from incentives.evaluate.trace import span_text
from incentives.money import format_decimal, quantize
from incentives.periods import Period, calendar_period
from incentives.results.models import Balance, Statement, StatementLine, TraceNode
from incentives.results.state import CapState, HeldItem, LineEarning, PayeeState, TrueUpState

__all__ = ["Carry", "SettleInput", "settle"]


@dataclass
class Carry:
    """One payee's carried state, mutable while periods are settled."""

    draws: dict[str, Decimal] = field(default_factory=dict)
    held: list[HeldItem] = field(default_factory=list)
    caps: dict[str, CapState] = field(default_factory=dict)
    true_ups: dict[str, TrueUpState] = field(default_factory=dict)
    earnings: dict[str, list[LineEarning]] = field(default_factory=dict)

    @classmethod
    def of(cls, state: PayeeState) -> Carry:
        earnings: dict[str, list[LineEarning]] = {}
        for e in state.earnings:
            earnings.setdefault(e.txn_id, []).append(e)
        return cls(
            dict(state.draws), list(state.held), dict(state.caps), dict(state.true_ups), earnings
        )

    def freeze(self) -> PayeeState:
        return PayeeState(
            draws=dict(sorted(self.draws.items())),
            held=sorted(self.held, key=lambda h: (h.held_in, h.component, h.txn_id or "")),
            caps=dict(sorted(self.caps.items())),
            true_ups=dict(sorted(self.true_ups.items())),
            earnings=[e for txn in sorted(self.earnings) for e in self.earnings[txn]],
        )


@dataclass
class SettleInput:
    """What settling one payee's period needs besides the state."""

    compiled: CompiledPlan
    statement: Statement
    env: PayeeEnv
    measures: dict[str, MeasureValue]
    period: Period
    payee: Payee
    #: Refund lines credited to the payee in the period, by clawback name.
    refunds: Mapping[str, Sequence[Credit]]
    ledger: Mapping[str, LedgerLine]
    #: How far back a clawback can reach, in days (to forget old earnings).
    longest_window: int


def settle(inp: SettleInput, carry: Carry) -> Statement:
    """The statement paid after stage 4 (see the module docstring)."""
    s = _Settlement(inp, carry)
    return s.run()


class _Settlement:
    def __init__(self, inp: SettleInput, carry: Carry) -> None:
        self.inp = inp
        self.plan = inp.compiled.plan
        self.carry = carry
        self.lines = list(inp.statement.lines)
        self.balances: list[Balance] = []
        self.unit_currency = inp.statement.currency

    # ------------------------------------------------------------ helpers
    def value(self, expr: ir.Expr) -> Decimal:
        value = self.inp.compiled.value(expr, self.inp.env)
        assert isinstance(value, Decimal)
        return value

    def truthy(self, expr: ir.Expr) -> bool:
        return bool(self.inp.compiled.value(expr, self.inp.env))

    def round(self, amount: Decimal) -> Decimal:
        rounding = self.plan.rounding
        if rounding is not None and rounding.components:
            return quantize(amount, rounding.unit, rounding.mode)
        return amount

    def show(self, amount: Decimal) -> str:
        return show(amount, ir_money(self.plan))

    def index(self, name: str) -> int | None:
        for i, line in enumerate(self.lines):
            if line.component == name:
                return i
        return None

    def adjust(self, index: int, new: Decimal, kind: str, detail: str, at: str | None) -> None:
        """Change a line's amount, recording the step in its trace."""
        line = self.lines[index]
        step = TraceNode(
            kind=kind,
            label=kind.replace("_", " "),
            value=format_decimal(new - line.amount),
            unit=line.currency,
            detail=detail,
            at=at,
        )
        trace = line.trace.model_copy(
            update={"value": format_decimal(new), "parts": [*line.trace.parts, step]}
        )
        self.lines[index] = line.model_copy(update={"amount": new, "trace": trace})

    def add(
        self,
        name: str,
        label: str,
        kind: str,
        amount: Decimal,
        parts: list[TraceNode],
        detail: str,
        at: str | None,
    ) -> None:
        """A new statement line whose trace parts add up to its amount."""
        total = sum((Decimal(p.value or "0") for p in parts), Decimal(0))
        rounded = self.round(amount)
        if parts and rounded != total:
            parts = [
                *parts,
                TraceNode(
                    kind="rounding",
                    label="rounding",
                    value=format_decimal(rounded - total),
                    unit=self.plan.currency,
                    detail=f"rounded to {format_decimal(self.plan.rounding.unit)}"
                    if self.plan.rounding
                    else None,
                ),
            ]
        trace = TraceNode(
            kind=kind,
            label=name,
            value=format_decimal(rounded),
            unit=self.plan.currency,
            detail=detail,
            at=at,
            parts=parts,
        )
        self.lines.append(
            StatementLine(
                component=name,
                label=label,
                kind=kind,
                amount=rounded,
                currency=self.plan.currency,
                trace=trace,
            )
        )

    def balance(
        self,
        name: str,
        kind: str,
        before: Decimal,
        after: Decimal,
        detail: str,
        *,
        always: bool = False,
    ) -> None:
        if before == 0 and after == 0 and not detail and not always:
            return
        self.balances.append(
            Balance(name=name, kind=kind, opening=before, closing=after, detail=detail or None)
        )

    @property
    def last_period(self) -> bool:
        """Whether the payee's employment ends in this period."""
        end = self.inp.payee.end_date
        return end is not None and self.inp.period.contains(end)

    # --------------------------------------------------------------- steps
    def run(self) -> Statement:
        components = {c.name: c for c in self.plan.components}
        earnings = self._earnings(components)
        for c in self.plan.components:
            if c.true_up is not None:
                self._true_up(c)
            if c.horizon_cap is not None:
                self._horizon_cap(c.name, c.horizon_cap, c.name)
        self._remember(earnings)  # first: a refund in the same period reverses its line
        self._clawbacks()
        for c in self.plan.components:
            if c.hold is not None:
                self._hold(c, earnings.get(c.name, []))
        self._release()
        if self.plan.total.horizon_cap is not None:
            self._total_horizon_cap(self.plan.total.horizon_cap)
        self._draws()
        total = sum((line.amount for line in self.lines), Decimal(0))
        return self.inp.statement.model_copy(
            update={"lines": self.lines, "total": total, "balances": self.balances}
        )

    def _earnings(
        self, components: Mapping[str, ir.Component]
    ) -> dict[str, list[tuple[str, Decimal]]]:
        needed = {t for k in self.plan.clawbacks for t in k.targets}
        needed |= {c.name for c in self.plan.components if c.hold and c.hold.release == "column"}
        found: dict[str, list[tuple[str, Decimal]]] = {}
        for name in sorted(needed):
            component = components[name]
            if component.attribution is not None:
                found[name] = line_earnings(component.attribution, self.inp.measures, self.inp.env)
        return found

    def _true_up(self, c: ir.Component) -> None:
        index = self.index(c.name)
        assert index is not None and c.true_up is not None
        horizon = calendar_period(c.true_up, self.inp.period.end).label
        state = self.carry.true_ups.get(c.name)
        paid = state.paid if state is not None and state.horizon == horizon else Decimal(0)
        earned = self.lines[index].amount
        pay = earned - paid
        self.adjust(
            index,
            pay,
            "true_up",
            f"{self.show(earned)} earned in {horizon} to date, less {self.show(paid)} "
            "paid earlier in it",
            span_text(c.span),
        )
        self.carry.true_ups[c.name] = TrueUpState(horizon=horizon, paid=paid + pay)
        self.balance(c.name, "true_up", paid, paid + pay, f"paid so far in {horizon}")

    def _cap_room(
        self, key: str, cap: ir.HorizonCap, amount: Decimal
    ) -> tuple[Decimal, str, Decimal, Decimal]:
        """(pay, detail, withheld before, withheld after) for a cap over a horizon."""
        horizon = calendar_period(cap.horizon, self.inp.period.end).label
        limit = self.value(cap.limit)
        state = self.carry.caps.get(key)
        paid = Decimal(0)
        withheld = Decimal(0)
        carried = Decimal(0)
        notes = []
        if state is not None:
            if state.horizon == horizon:
                paid, withheld = state.paid, state.withheld
            elif state.withheld:
                if cap.carry:
                    carried = state.withheld
                    notes.append(f"{self.show(carried)} withheld in {state.horizon} carried over")
                else:
                    notes.append(
                        f"{self.show(state.withheld)} withheld in {state.horizon} forfeited"
                    )
        before = withheld + carried
        want = amount + carried
        room = max(limit - paid, Decimal(0))
        pay = min(want, room) if want > 0 else want
        after = withheld + (want - pay)
        self.carry.caps[key] = CapState(horizon=horizon, paid=paid + pay, withheld=after)
        notes.insert(
            0,
            f"cap {self.show(limit)} per {cap.horizon.value}: {self.show(paid)} paid earlier "
            f"in {horizon}",
        )
        return pay, "; ".join(notes), before, after

    def _horizon_cap(self, name: str, cap: ir.HorizonCap, component: str) -> None:
        index = self.index(component)
        assert index is not None
        amount = self.lines[index].amount
        pay, detail, before, after = self._cap_room(name, cap, amount)
        if pay != amount:
            self.adjust(index, pay, "horizon_cap", detail, span_text(cap.span))
        self.balance(name, "withheld", before, after, detail if after != before else "")

    def _total_horizon_cap(self, cap: ir.HorizonCap) -> None:
        total = sum((line.amount for line in self.lines), Decimal(0))
        pay, detail, before, after = self._cap_room("total", cap, total)
        if pay != total:
            self.add(
                "total_horizon_cap",
                f"Total cap per {cap.horizon.value}",
                "cap",
                pay - total,
                [],
                detail,
                span_text(cap.span),
            )
        self.balance("total", "withheld", before, after, detail if after != before else "")

    def _hold(self, c: ir.Component, earnings: list[tuple[str, Decimal]]) -> None:
        hold = c.hold
        index = self.index(c.name)
        assert hold is not None and index is not None
        amount = self.lines[index].amount
        if amount <= 0:
            return
        held = self.round(amount * hold.share)
        if held == 0:
            return
        period = self.inp.period
        items: list[HeldItem] = []
        if hold.release == "column":
            items = self._held_by_line(c, hold, held, earnings)
        else:
            release_period = None
            if hold.release == "periods":
                assert hold.periods is not None
                release_period = self._periods_later(hold.periods)
            items = [
                HeldItem(
                    component=c.name,
                    amount=held,
                    held_in=period.label,
                    release_period=release_period,
                    release_date=hold.day,
                )
            ]
        self.carry.held.extend(items)
        share = show(hold.share, _PERCENT)
        beyond = hold.release == "periods" and items[0].release_period is None
        when = {
            "periods": f"released after {hold.periods} period(s)"
            + (", which is past the calendar's end: held until termination" if beyond else ""),
            "date": f"released in the period of {hold.day.isoformat() if hold.day else ''}",
            "column": f"released line by line when `{hold.column}` is reached",
        }[hold.release]
        self.add(
            f"{c.name}_held",
            f"{c.label} (held back)",
            "holdback",
            -held,
            [],
            f"{share} of {self.show(amount)} held back, {when}",
            span_text(c.span),
        )

    def _periods_later(self, count: int) -> str | None:
        """The label of the period ``count`` periods after this one; None past 9999-12-31."""
        target = self.inp.period
        for _ in range(count):
            if target.end == date.max:
                return None
            target = self.plan.scheme.following(target)
        return target.label

    def _held_by_line(
        self, c: ir.Component, hold: ir.Hold, held: Decimal, earnings: list[tuple[str, Decimal]]
    ) -> list[HeldItem]:
        weights: dict[str, Decimal] = {}
        for txn, earned in earnings:
            if earned > 0:
                weights[txn] = weights.get(txn, Decimal(0)) + earned
        if not weights:
            return [HeldItem(component=c.name, amount=held, held_in=self.inp.period.label)]
        parts = allocate(
            held, list(weights.items()), _unit(self.plan, held), "largest_remainder", ""
        )
        items = []
        for txn, amount in parts.items():
            if amount == 0:
                continue
            assert hold.column is not None
            day = self.inp.ledger[txn].values.get(hold.column)
            items.append(
                HeldItem(
                    component=c.name,
                    amount=amount,
                    held_in=self.inp.period.label,
                    release_date=day if isinstance(day, date) else None,
                    txn_id=txn,
                    waiting=not isinstance(day, date),
                )
            )
        return items

    def _release(self) -> None:
        period = self.inp.period
        terminating = self.last_period and self.plan.termination.holdbacks is not None
        released: dict[str, list[HeldItem]] = {}
        forfeited: dict[str, list[HeldItem]] = {}
        kept: list[HeldItem] = []
        before: dict[str, Decimal] = {}
        components = {c.name: c for c in self.plan.components}
        for item in self.carry.held:
            if item.waiting:
                item = self._date_now_known(item, components[item.component])
            before[item.component] = before.get(item.component, Decimal(0)) + item.amount
            due = (item.release_period is not None and item.release_period <= period.label) or (
                item.release_date is not None and item.release_date <= period.end
            )
            if item.release_period is None and item.release_date is None and not item.waiting:
                due = False
            if not due and terminating:
                target = released if self.plan.termination.holdbacks == "released" else forfeited
                target.setdefault(item.component, []).append(item)
            elif due:
                released.setdefault(item.component, []).append(item)
            else:
                kept.append(item)
        self.carry.held = kept
        for name in sorted(set(before) | set(released)):
            out = released.get(name, [])
            amount = sum((i.amount for i in out), Decimal(0))
            if amount:
                parts = [
                    TraceNode(
                        kind="release",
                        label=f"held in {i.held_in}"
                        + (f" for line {i.txn_id}" if i.txn_id else ""),
                        value=format_decimal(i.amount),
                        unit=self.plan.currency,
                        lines=[i.txn_id] if i.txn_id else [],
                    )
                    for i in out
                ]
                component = components[name]
                self.add(
                    f"{name}_released",
                    f"{component.label} (released)",
                    "release",
                    amount,
                    parts,
                    "held back earlier, released this period",
                    span_text(component.span),
                )
            lost = sum((i.amount for i in forfeited.get(name, [])), Decimal(0))
            after = sum((i.amount for i in kept if i.component == name), Decimal(0))
            detail = f"{self.show(lost)} forfeited on termination" if lost else ""
            self.balance(name, "held", before.get(name, Decimal(0)), after, detail)

    def _date_now_known(self, item: HeldItem, component: ir.Component) -> HeldItem:
        """A held item waiting for its line's date, with the date if the ledger now has it.

        An item held in an earlier run (read from an opening state) whose line
        had no date then is released once a later ledger fills the date in.
        """
        hold = component.hold
        line = self.inp.ledger.get(item.txn_id or "")
        if hold is None or hold.column is None or line is None:
            return item
        day = line.values.get(hold.column)
        if not isinstance(day, date):
            return item
        return item.model_copy(update={"release_date": day, "waiting": False})

    def _clawbacks(self) -> None:
        for clawback in self.plan.clawbacks:
            refunds = self.inp.refunds.get(clawback.name, ())
            if not refunds:
                continue
            parts: list[TraceNode] = []
            total = Decimal(0)
            for refund in refunds:
                original = refund.line.values.get(clawback.column)
                assert isinstance(original, str)
                earned = [e for e in self.carry.earnings.get(original, [])
                          if e.component in clawback.targets]  # fmt: skip
                if not earned:
                    line = self.inp.ledger[original]
                    age = (refund.line.date - line.date).days
                    if age > clawback.days:
                        missing = (
                            f"refund of {original} ({line.date.isoformat()}) is {age} days later, "
                            f"outside the {clawback.days}-day window: nothing reversed"
                        )
                    else:
                        missing = f"refund of {original}: it earned this payee nothing on record"
                    parts.append(_note(refund, missing, self.plan.currency))
                    continue
                first = earned[0]
                age = (refund.line.date - first.line_date).days
                if age > clawback.days:
                    parts.append(
                        _note(
                            refund,
                            f"refund of {original} ({first.line_date.isoformat()}) is {age} days "
                            f"later, outside the {clawback.days}-day window: nothing reversed",
                            self.plan.currency,
                        )
                    )
                    continue
                ratio = min(abs(refund.line.amount) / abs(first.line_amount), Decimal(1))
                for e in earned:
                    reversal = -(e.amount * ratio)
                    total += reversal
                    parts.append(
                        TraceNode(
                            kind="clawback",
                            label=f"{e.component} on line {original}",
                            value=format_decimal(reversal),
                            unit=self.plan.currency,
                            detail=f"refund {refund.line.txn_id} returns "
                            f"{show(ratio, _PERCENT)} of line {original} "
                            f"(earned {self.show(e.amount)} in {e.period})",
                            lines=[refund.line.txn_id, original],
                        )
                    )
                self._forfeit_held(original, ratio)
            self.add(
                clawback.name,
                clawback.label,
                "clawback",
                total,
                parts,
                f"{len(refunds)} refund line(s)",
                span_text(clawback.span),
            )

    def _forfeit_held(self, txn: str, ratio: Decimal) -> None:
        kept = []
        for item in self.carry.held:
            if item.txn_id == txn:
                remaining = self.round(item.amount * (1 - ratio))
                if remaining:
                    kept.append(item.model_copy(update={"amount": remaining}))
            else:
                kept.append(item)
        self.carry.held = kept

    def _draws(self) -> None:
        earned = sum((line.amount for line in self.lines), Decimal(0))
        for draw in self.plan.draws:
            active = draw.when is None or self.truthy(draw.when)
            amount = self.value(draw.amount) if active else Decimal(0)
            limit = self.value(draw.limit) if draw.limit is not None else None
            before = self.carry.draws.get(draw.name, Decimal(0))
            paid_draw = Decimal(0)
            recovery = Decimal(0)
            positive = max(earned, Decimal(0))
            if draw.kind == "guarantee":
                if active:
                    paid_draw = max(amount - earned, Decimal(0))
                    if draw.recovered and paid_draw == 0:
                        recovery = min(before, earned - amount)
                elif draw.recovered:
                    recovery = min(before, positive)
            else:
                paid_draw = amount
                owed = before + amount if draw.recovered else amount
                recovery = min(owed, positive)
            if limit is not None:
                recovery = min(recovery, max(limit, Decimal(0)))
            paid_draw, recovery = self.round(paid_draw), self.round(recovery)
            if self.last_period and self.plan.termination.draws == "recovered" and draw.recovered:
                left = before + paid_draw - recovery
                extra = min(left, max(earned + paid_draw - recovery, Decimal(0)))
                recovery += self.round(extra)
            after = before + paid_draw - recovery if draw.recovered else Decimal(0)
            detail = ""
            if self.last_period and self.plan.termination.draws == "forgiven" and after:
                detail = f"{self.show(after)} forgiven on termination"
                after = Decimal(0)
            what = "guaranteed" if draw.kind == "guarantee" else "advanced"
            if paid_draw:
                self.add(
                    draw.name,
                    draw.label,
                    "draw",
                    paid_draw,
                    [],
                    f"{self.show(amount)} {what}; earned {self.show(earned)}",
                    span_text(draw.span),
                )
            if recovery:
                self.add(
                    f"{draw.name}_recovery",
                    f"{draw.label} (recovered)",
                    "draw_recovery",
                    -recovery,
                    [],
                    f"repays the draw balance of {self.show(before + paid_draw)} from earnings "
                    f"of {self.show(earned)}",
                    span_text(draw.span),
                )
            self.carry.draws[draw.name] = after
            self.balance(draw.name, "draw", before, after, detail, always=True)

    def _remember(self, earnings: dict[str, list[tuple[str, Decimal]]]) -> None:
        period = self.inp.period
        cutoff = period.start.toordinal() - self.inp.longest_window
        for txn in list(self.carry.earnings):
            if all(e.line_date.toordinal() < cutoff for e in self.carry.earnings[txn]):
                del self.carry.earnings[txn]
        targets = {t for k in self.plan.clawbacks for t in k.targets}
        for component in sorted(targets & set(earnings)):
            for txn, amount in earnings[component]:
                line = self.inp.ledger[txn]
                self.carry.earnings.setdefault(txn, []).append(
                    LineEarning(
                        txn_id=txn,
                        component=component,
                        amount=amount,
                        period=period.label,
                        line_date=line.date,
                        line_amount=line.amount,
                    )
                )


def ir_money(plan: ir.Plan) -> Type:
    return money(plan.currency)


def _note(refund: Credit, detail: str, currency: str) -> TraceNode:
    return TraceNode(
        kind="clawback",
        label=f"refund {refund.line.txn_id}",
        value="0",
        unit=currency,
        detail=detail,
        lines=[refund.line.txn_id],
    )


def _unit(plan: ir.Plan, amount: Decimal) -> Decimal:
    if plan.rounding is not None and plan.rounding.components:
        return plan.rounding.unit
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(min(exponent, 0))
