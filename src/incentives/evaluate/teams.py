"""Teams: the roster hierarchy, scopes, team lines (stage 1) and team values (stage 3).

Contract:

* :class:`Hierarchy` reads the roster's ``manager`` column as a forest (data
  validation has refused cycles). ``reports`` of a payee are the payees below
  them, ``depth`` levels down (all levels if no depth), never the payee.
* Team lines: a team measure reads, for each ledger line credited to any
  payee of the scope (as a direct or split credit; overlays excluded), one
  combined line whose amounts are the sum of those payees' credited parts. A
  line shared by two team members therefore counts once, at the team's share.
  Every roster payee in the scope counts, whatever their plan.
* Team values and ranks (stage 3) read the values the scope's payees got in
  their own (first-pass) evaluation for the same period: only payees on this
  plan with a statement in that period take part. ``group F`` is every such
  payee with the same value of roster field F, the payee included;
  ``everyone`` is all of them. An empty value of F (an empty cell, or no
  value) is no group: a payee whose F is empty raises :class:`EmptyGroup`
  when a team measure, team value or rank of theirs reads ``group F`` (R707,
  naming the payee, the field and the roster row), and is in no one else's
  group. A rank is 1 for the highest value (or the lowest, as the plan
  says); ties go by payee id, by a roster field (then payee id), or share a
  rank (1, 1, 3), as the plan says.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from incentives.compile import ir
from incentives.data import Payee
from incentives.evaluate.crediting import Credit
from incentives.evaluate.measures import PayeeLines
from incentives.evaluate.trace import describe
from incentives.values import Value

__all__ = ["EmptyGroup", "EmptyTeam", "Hierarchy", "LeaderboardEntry", "TeamView", "team_lines"]

_STANDARD = frozenset(
    {"name", "role", "manager", "fte", "start_date", "end_date", "payout_currency", "plan"}
)


class EmptyTeam(LookupError):
    """``min``, ``max`` or ``average`` over a scope with no payees."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class EmptyGroup(LookupError):
    """``group F`` read for a payee whose roster field F is empty."""

    def __init__(self, field: str, payee: Payee) -> None:
        super().__init__(field)
        self.field = field
        self.payee = payee.id
        #: The payee's roster row, ``source:row``.
        self.row = f"{payee.ref.source}:{payee.ref.row}"


class Hierarchy:
    """The roster's manager tree."""

    def __init__(self, roster: Mapping[str, Payee]) -> None:
        children: dict[str, list[str]] = defaultdict(list)
        for payee in roster.values():
            if payee.manager is not None:
                children[payee.manager].append(payee.id)
        self.children = {k: sorted(v) for k, v in children.items()}

    def reports(self, payee: str, depth: int | None) -> list[str]:
        """The payees below ``payee``, ``depth`` levels down (all if None), sorted."""
        found: list[str] = []
        level = [payee]
        steps = 0
        while level and (depth is None or steps < depth):
            level = [child for parent in level for child in self.children.get(parent, [])]
            found.extend(level)
            steps += 1
        return sorted(found)


def field_value(payee: Payee, name: str) -> Value | None:
    if name in _STANDARD:
        value: Value | None = getattr(payee, name)
        return value
    return payee.fields.get(name)


def scope_members(
    scope: ir.Scope,
    payee: Payee,
    candidates: Mapping[str, Payee],
    hierarchy: Hierarchy,
) -> list[str]:
    """The ids of ``candidates`` in ``payee``'s scope, sorted."""
    if scope.kind == "reports":
        return [p for p in hierarchy.reports(payee.id, scope.depth) if p in candidates]
    if scope.kind == "group":
        assert scope.field is not None
        mine = field_value(payee, scope.field)
        if mine is None or mine == "":
            raise EmptyGroup(scope.field, payee)
        return sorted(p.id for p in candidates.values() if field_value(p, scope.field) == mine)
    return sorted(candidates)


def team_lines(
    scope: ir.Scope,
    payee: Payee,
    roster: Mapping[str, Payee],
    hierarchy: Hierarchy,
    credits: Mapping[str, Sequence[Credit]],
    day: Callable[[Credit], date | None] | None = None,
) -> PayeeLines:
    """One combined line per ledger line credited to the scope's payees (see above)."""
    members = scope_members(scope, payee, roster, hierarchy)
    by_txn: dict[str, list[Credit]] = defaultdict(list)
    for member in members:
        for credit in credits.get(member, ()):
            if credit.credit_type in ("direct", "split"):
                by_txn[credit.line.txn_id].append(credit)
    combined = []
    for parts in by_txn.values():
        first = parts[0]
        amounts = {
            column: sum((p.amounts[column] for p in parts), Decimal(0)) for column in first.amounts
        }
        share = sum((p.share for p in parts), Decimal(0))
        who = ", ".join(f"{p.payee} {describe((p.share * 100).normalize())}%" for p in parts)
        combined.append(
            Credit(first.line, payee.id, "team", share, amounts, (f"team credit: {who}",))
        )
    return PayeeLines.of(combined, day)


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    payee: str
    value: Value


@dataclass
class TeamView:
    """Every payee's first-pass values for one period, for stage 3."""

    plan: ir.Plan
    payees: Mapping[str, Payee]
    values: Mapping[str, Mapping[str, Value]]
    hierarchy: Hierarchy
    #: Rankings already computed: (rank node id, group) → entries.
    boards: dict[tuple[int, object], list[LeaderboardEntry]] = field(default_factory=dict)
    #: Rank nodes by id, for the leaderboard output.
    rank_nodes: dict[int, ir.Rank] = field(default_factory=dict)

    def members(self, scope: ir.Scope, payee: Payee) -> list[str]:
        return scope_members(scope, payee, self.payees, self.hierarchy)

    def team_value(self, node: ir.TeamValue, payee: Payee) -> tuple[Decimal, str]:
        members = self.members(node.scope, payee)
        values: list[Decimal] = []
        for member in members:
            value = self.values[member][node.name]
            assert isinstance(value, Decimal)
            values.append(value)
        listed = ", ".join(f"{m} {describe(v)}" for m, v in zip(members, values, strict=True))
        detail = f"{node.function} of {node.name} across {_scope_words(node.scope)}: " + (
            listed or "no payees"
        )
        if node.function == "sum":
            return sum(values, Decimal(0)), detail
        if not values:
            raise EmptyTeam(f"{node.function} of {node.name} across {_scope_words(node.scope)}")
        if node.function == "min":
            return min(values), detail
        if node.function == "max":
            return max(values), detail
        return sum(values, Decimal(0)) / len(values), detail

    def rank(self, node: ir.Rank, payee: Payee) -> tuple[Decimal, str]:
        members = self.members(node.scope, payee)
        group: object = None
        if node.scope.kind == "group":
            assert node.scope.field is not None
            group = field_value(payee, node.scope.field)
        key = (id(node), group)
        board = self.boards.get(key)
        if board is None:
            board = self._ranking(node, members)
            self.boards[key] = board
            self.rank_nodes[id(node)] = node
        position = next(e.rank for e in board if e.payee == payee.id)
        shown = ", ".join(f"{e.rank}. {e.payee} {describe(e.value)}" for e in board[:10])
        more = f" … ({len(board)} payees)" if len(board) > 10 else ""
        detail = f"rank of {node.name} across {_scope_words(node.scope)}: {shown}{more}"
        return Decimal(position), detail

    def _ranking(self, node: ir.Rank, members: list[str]) -> list[LeaderboardEntry]:
        rows = [(m, self.values[m][node.name]) for m in members]

        def order(row: tuple[str, Value]) -> tuple[object, ...]:
            member, value = row
            measured: Callable[[Value], object] = _descending if node.descending else _ascending
            tie: tuple[object, ...] = ()
            if node.ties == "field":
                assert node.tie_field is not None
                extra = field_value(self.payees[member], node.tie_field)
                tie = (extra is None, extra if extra is not None else "")
            return (measured(value), *tie, member)

        rows.sort(key=order)
        board: list[LeaderboardEntry] = []
        for index, (member, value) in enumerate(rows, start=1):
            rank = index
            if node.ties == "shared" and board and board[-1].value == value:
                rank = board[-1].rank
            board.append(LeaderboardEntry(rank, member, value))
        return board


def _descending(value: Value) -> object:
    if isinstance(value, Decimal):
        return -value
    assert isinstance(value, date)
    return -value.toordinal()


def _ascending(value: Value) -> object:
    return value


def _scope_words(scope: ir.Scope) -> str:
    if scope.kind == "reports":
        return "reports" + (f" to depth {scope.depth}" if scope.depth else "")
    if scope.kind == "group":
        return f"group {scope.field}"
    return "everyone"
