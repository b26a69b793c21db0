"""The statement being settled in stage 4, and the payee's carried state.

Contract: :class:`Settlement` holds one payee's statement lines and balances
for one period while the steps of :mod:`incentives.evaluate.balances` change
them. Every new line is rounded with the plan's rounding of components, and
its trace parts add up exactly to its amount (a ``rounding`` part says by how
much rounding moved it); every change to an existing line is recorded as a
step of its trace. :class:`Carry` is the state carried from one period to the
next, mutable while periods are settled and frozen into a
:class:`~incentives.results.state.PayeeState` between runs; its held items
are taken in :func:`held_order`, whatever order they were held in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from incentives.check.types import Type, money, show
from incentives.compile import ir
from incentives.data import LedgerLine, Payee
from incentives.evaluate.crediting import Credit
from incentives.evaluate.measures import MeasureValue
from incentives.evaluate.payee_env import CompiledPlan, PayeeEnv
from incentives.money import format_decimal, quantize
from incentives.periods import Period
from incentives.results.models import Balance, Statement, StatementLine, TraceNode
from incentives.results.state import CapState, HeldItem, LineEarning, PayeeState, TrueUpState

__all__ = ["Carry", "SettleInput", "Settlement", "held_order", "ir_money", "line_unit"]


def held_order(item: HeldItem) -> tuple[str, str, str]:
    """The order of held items in a state, and of their releases on a statement.

    Releases follow it too, so that a run continued from a state (whose
    held items are in this order) traces them as the whole run does.
    """
    return (item.held_in, item.component, item.txn_id or "")


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
            held=sorted(self.held, key=held_order),
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


def ir_money(plan: ir.Plan) -> Type:
    """The money type of the plan's currency."""
    return money(plan.currency)


def line_unit(plan: ir.Plan, amount: Decimal) -> Decimal:
    """The unit held amounts are divided to: the plan's rounding unit, else the amount's own."""
    if plan.rounding is not None and plan.rounding.components:
        return plan.rounding.unit
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(min(exponent, 0))


class Settlement:
    """One payee's period while stage 4 settles it."""

    def __init__(self, inp: SettleInput, carry: Carry) -> None:
        self.inp = inp
        self.plan = inp.compiled.plan
        self.carry = carry
        self.lines = list(inp.statement.lines)
        self.balances: list[Balance] = []
        self.unit_currency = inp.statement.currency
        #: What each component had held back when the period began.
        self.held_opening: dict[str, Decimal] = {}
        for item in carry.held:
            opening = self.held_opening.get(item.component, Decimal(0))
            self.held_opening[item.component] = opening + item.amount
        #: What happened to each component's held amounts this period, in order.
        self.held_notes: dict[str, list[str]] = {}

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
