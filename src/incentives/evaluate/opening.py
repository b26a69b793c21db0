"""An opening state checked against the plan and the roster before a run uses it.

Contract: :func:`check_opening` refuses, with one
:class:`~incentives.errors.DataError` listing each problem by its JSON path
(at most :data:`~incentives.results.state.MAX_PROBLEMS`), a state that the
engine could not have written for this plan and roster, before anything is
computed. It holds when every one of these holds:

* every payee is in the roster (one who has left stays there, with an
  ``end_date``);
* every name is one the plan has, in the role it is carried for: a draw of
  the plan under ``draws``, a component that holds back under ``held``, a
  component with a cap over a horizon (or ``total``, for the total's) under
  ``caps``, a component that trues up under ``true_ups``, a component a
  clawback reverses under ``earnings``;
* every period is a label of the plan's calendar (``held_in``,
  ``release_period``, ``earnings[].period``: a pay period; a cap's or a
  true-up's ``horizon``: a period of that cap's or true-up's horizon), and
  none begins after the period the state is ``after``;
* every held amount is more than zero; a cap's withheld amount is not below
  zero;
* a held item has the shape its component's holdback gives it: ``for N
  periods``: a ``release_period`` (or null, past the calendar's end) later
  than ``held_in``, no date, no line, not waiting; ``until DATE``: a
  ``release_date``, no release period, no line, not waiting; ``until
  COLUMN``: no release period, and either a line (``txn_id``) that is
  ``waiting`` exactly when it has no ``release_date`` yet, or no line, no
  date and not waiting (held until termination: no line earned it);
* no two held items of a payee have the same component, period held in and
  line (the engine holds back once per component, period and line);
* a line's earning names its line, dated no later than the period the state
  is after.

What is not checked: amounts against what the plan would pay (a new version
of the plan may change rates, shares, limits and guarantees between two runs;
an audit recomputes the state from the plan's start), the lines a state
names against the ledger, and draws, caps or true-ups the state does not have
(they start at zero).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from incentives.compile import ir
from incentives.data import Payee
from incentives.errors import DataError
from incentives.money import format_decimal
from incentives.periods import (
    Period,
    PeriodKind,
    calendar_period,
    parse_date,
    parse_period_label,
)
from incentives.results.state import MAX_PROBLEMS, HeldItem, PayeeState, StateSnapshot, state_path

__all__ = ["check_opening"]

_Loc = tuple[int | str, ...]


def check_opening(
    plan: ir.Plan, opening: StateSnapshot, after: Period, roster: Mapping[str, Payee]
) -> None:
    """Refuse an opening state that does not fit ``plan`` and ``roster``.

    ``after`` is the pay period the state is after (already checked to be the
    one before the run's first period).

    Raises:
        DataError: naming each problem by its JSON path (see the module contract).
    """
    problems = _Checker(plan, after).problems_of(opening, roster)
    if not problems:
        return
    name = opening.source or "opening state"
    details = [f"{name}: {state_path(loc)}: {message}" for loc, message in problems]
    if len(details) > MAX_PROBLEMS:
        details = [
            *details[:MAX_PROBLEMS],
            f"{name}: … and {len(details) - MAX_PROBLEMS} more problems",
        ]
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    where = f"{opening.source}: " if opening.source else ""
    raise DataError(
        f"{where}the opening state does not fit this plan (“{plan.name}”) and roster "
        f"({count}); a state written by another version of the plan may name what this one "
        "does not have: recompute it with this version from the plan's start "
        "(`incentives run PLAN … --closing FILE`)",
        details=details,
    )


def _names(names: Collection[str], none: str) -> str:
    """The names a plan has for one role, or what it says when it has none."""
    return ", ".join(f"`{n}`" for n in sorted(names)) if names else none


class _Checker:
    """Collects the problems of one opening state, each with its location."""

    def __init__(self, plan: ir.Plan, after: Period) -> None:
        self.plan = plan
        self.after = after
        self.problems: list[tuple[_Loc, str]] = []
        self.draws = {d.name for d in plan.draws}
        self.holds = {c.name: c.hold for c in plan.components if c.hold is not None}
        self.caps: dict[str, PeriodKind] = {
            c.name: c.horizon_cap.horizon for c in plan.components if c.horizon_cap is not None
        }
        if plan.total.horizon_cap is not None:
            self.caps["total"] = plan.total.horizon_cap.horizon
        self.true_ups = {c.name: c.true_up for c in plan.components if c.true_up is not None}
        self.reversed = {t for k in plan.clawbacks for t in k.targets}

    def problem(self, loc: _Loc, message: str) -> None:
        self.problems.append((loc, message))

    def problems_of(
        self, opening: StateSnapshot, roster: Mapping[str, Payee]
    ) -> list[tuple[_Loc, str]]:
        for pid, state in opening.payees.items():
            at: _Loc = ("payees", pid)
            if pid not in roster:
                self.problem(
                    at,
                    f"payee `{pid}` is not in the roster; a payee who has left stays in it, "
                    "with an end_date",
                )
            self.payee(at, state)
        return self.problems

    def payee(self, at: _Loc, state: PayeeState) -> None:
        for name in state.draws:
            if name not in self.draws:
                known = _names(self.draws, "none")
                self.problem(
                    (*at, "draws", name),
                    f"`{name}` is not a draw of this plan (its draws: {known})",
                )
        seen: dict[tuple[str, str, str | None], int] = {}
        for i, item in enumerate(state.held):
            self.held((*at, "held", i), item)
            same = (item.component, item.held_in, item.txn_id)
            if same in seen:
                self.problem(
                    (*at, "held", i),
                    f"the same component, period held in and line as held[{seen[same]}]; "
                    "an amount is held back once per component, period and line",
                )
            seen.setdefault(same, i)
        for key, cap in state.caps.items():
            where = (*at, "caps", key)
            kind = self.caps.get(key)
            if kind is None:
                known = _names(self.caps, "nothing")
                self.problem(
                    where,
                    f"`{key}` is not capped over a horizon in this plan (it caps {known})",
                )
                continue
            self.horizon((*where, "horizon"), cap.horizon, kind, key)
            if cap.withheld < 0:
                self.problem(
                    (*where, "withheld"),
                    f"a withheld amount is never below zero; found {format_decimal(cap.withheld)}",
                )
        for key, true_up in state.true_ups.items():
            where = (*at, "true_ups", key)
            kind = self.true_ups.get(key)
            if kind is None:
                known = _names(self.true_ups, "nothing")
                self.problem(
                    where,
                    f"`{key}` is not a component of this plan that trues up (it trues up {known})",
                )
                continue
            self.horizon((*where, "horizon"), true_up.horizon, kind, key)
        for i, earning in enumerate(state.earnings):
            where = (*at, "earnings", i)
            if earning.component not in self.reversed:
                known = _names(self.reversed, "nothing")
                self.problem(
                    (*where, "component"),
                    f"`{earning.component}` is not a component that a clawback of this plan "
                    f"reverses (its clawbacks reverse {known})",
                )
            self.pay_period((*where, "period"), earning.period)
            if not earning.txn_id:
                self.problem((*where, "txn_id"), "a line's earning names no line")
            if earning.line_date > self.after.end:
                self.problem(
                    (*where, "line_date"),
                    f"{earning.line_date.isoformat()} is after {self.after.label}, the period "
                    "the state is after",
                )

    def held(self, at: _Loc, item: HeldItem) -> None:
        hold = self.holds.get(item.component)
        if hold is None:
            known = _names(self.holds, "nothing")
            self.problem(
                (*at, "component"),
                f"`{item.component}` is not a component of this plan that holds back "
                f"(it holds back {known})",
            )
        if item.amount <= 0:
            self.problem(
                (*at, "amount"),
                f"a held amount is more than zero; found {format_decimal(item.amount)}",
            )
        held_in = self.pay_period((*at, "held_in"), item.held_in)
        if hold is None:
            return
        how = (
            f"`{item.component}` "
            + {
                "periods": f"is released {hold.periods} period(s) after it is held",
                "date": "is released in the period of a date",
                "column": f"is released line by line when `{hold.column}` is reached",
            }[hold.release]
        )
        if hold.release == "periods":
            self.absent(at, item, ("release_date", "txn_id", "waiting"), how)
            if item.release_period is not None:  # null: past the calendar's end
                released = self.pay_period((*at, "release_period"), item.release_period, ahead=True)
                if released is not None and held_in is not None and released <= held_in:
                    self.problem(
                        (*at, "release_period"),
                        f"`{item.release_period}` is not after {item.held_in}, the period "
                        "it was held in",
                    )
        elif hold.release == "date":
            self.absent(at, item, ("release_period", "txn_id", "waiting"), how)
            if item.release_date is None:
                self.problem((*at, "release_date"), f"expected a date, found null: {how}")
        else:
            self.absent(at, item, ("release_period",), how)
            if item.txn_id is None:
                why = "held for no line (no line earned it), it waits for the termination rule"
                self.absent(at, item, ("release_date", "waiting"), why)
            elif item.waiting != (item.release_date is None):
                self.problem(
                    (*at, "waiting"),
                    f"expected {str(not item.waiting).lower()}, found "
                    f"{str(item.waiting).lower()}: an amount held for a line waits "
                    "exactly while it has no release date",
                )

    def absent(self, at: _Loc, item: HeldItem, keys: tuple[str, ...], why: str) -> None:
        """A problem for each of ``keys`` the item has (not null, or true for ``waiting``)."""
        for key in keys:
            value = getattr(item, key)
            if key == "waiting" and value:
                self.problem((*at, key), f"expected false, found true: {why}")
            elif key != "waiting" and value is not None:
                self.problem((*at, key), f"expected null, found `{value}`: {why}")

    def pay_period(self, at: _Loc, text: str, *, ahead: bool = False) -> Period | None:
        """The pay period labelled ``text`` (not after the state's, unless ``ahead``).

        None, with a problem recorded, if ``text`` is not the label of a pay period.
        """
        scheme = self.plan.scheme
        period: Period | None = None
        try:
            if scheme.kind is PeriodKind.TWO_WEEKS:
                period = scheme.period_of(parse_date(text))
            else:
                period = parse_period_label(text)
        except ValueError:
            pass
        if period is None or period.kind is not scheme.kind or period.label != text:
            self.problem(
                at,
                f"`{text}` is not a pay period of this plan (a {scheme.kind.noun}, "
                f"labelled like {scheme.example_label()})",
            )
            return None
        if not ahead:
            self.not_after(at, period)
        return period

    def horizon(self, at: _Loc, text: str, kind: PeriodKind, name: str) -> None:
        try:
            period: Period | None = parse_period_label(text)
        except ValueError:
            period = None
        if period is None or period.kind is not kind or period.label != text:
            example = calendar_period(kind, date(2026, 3, 2)).label
            self.problem(
                at,
                f"`{text}` is not a {kind.noun}, the horizon of `{name}` (labelled like {example})",
            )
            return
        self.not_after(at, period)

    def not_after(self, at: _Loc, period: Period) -> None:
        if period.start > self.after.end:
            self.problem(
                at,
                f"`{period.label}` begins after {self.after.label}, the period the state is after",
            )
