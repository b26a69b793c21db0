"""The checker's shared state: symbols, inferred types, and collected findings.

Contract: a :class:`CheckContext` is created once per plan and threaded
through every pass. Passes only *add* to it (symbols, types, diagnostics);
nothing is removed, and no pass raises for a user's mistake. A symbol's type
and level are resolved on first use, the definitions it refers to first,
without recursion (so chains of any length resolve); that is also where a
definition that depends on itself is caught (E401) with the whole cycle
named. Per-plan facts that several passes need (what each declaration refers
to, folded constants, the did-you-mean index) are worked out once and kept
here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from incentives.ast import nodes as n
from incentives.ast.visitor import walk
from incentives.check.suggest import NameIndex, closest
from incentives.check.types import ERROR, Type
from incentives.diagnostics import Diagnostic, Related, Severity
from incentives.money import RoundingMode
from incentives.periods import PeriodScheme
from incentives.source import Span

__all__ = ["CheckContext", "Level", "Scan", "Symbol", "SymbolKind", "TierInfo", "cycle_path"]


class Level(enum.IntEnum):
    """When a value is known: always, per ledger line, per payee and period, or
    once every payee's own values are known (team values and ranks)."""

    CONST = 0
    LINE = 1
    PAYEE = 2
    TEAM = 3


SymbolKind = Literal[
    "builtin",  # txn_id, date, payee, amount, currency
    "column",  # declared ledger column
    "roster",  # declared roster field
    "metric",
    "let",
    "measure",
    "quota",
    "tiers",
    "rate_table",
    "component",
    "draw",
    "clawback",
    "wage_floor",
    "period",  # period_start, period_end, tenure_month
]

#: How each kind of symbol is described in messages.
KIND_WORDS: dict[str, str] = {
    "builtin": "a built-in ledger column",
    "column": "a ledger column",
    "roster": "a roster field",
    "metric": "a metric",
    "let": "a value",
    "measure": "a measure",
    "quota": "a quota",
    "tiers": "a tier table",
    "rate_table": "a rate table",
    "component": "a pay component",
    "draw": "a draw",
    "clawback": "a clawback",
    "wage_floor": "a wage floor",
    "period": "a value of the pay period",
}


#: From how many symbols on, did-you-mean hints go through a :class:`NameIndex`.
_INDEX_FROM = 64

#: How to declare a name that is not declared, by what the plan expected.
_DECLARE = {
    "name": "declare `{0}` first (a `measure`, a `let`, a quota, or a column under "
    "`ledger columns`), or correct its spelling",
    "tier table": "declare the table first, like `tiers {0} marginal` with its bands",
    "roster field": "declare it under `roster fields`, like `{0}: text`",
    "ledger column": "declare it under `ledger columns`, like `{0}: text`",
    "component": "name a pay component the plan declares (a commission, bonus or multiplier)",
}


def _how_to_declare(name: str, expect: str) -> str:
    return _DECLARE.get(expect, _DECLARE["name"]).format(name)


#: How many names of a cycle a message spells out, and how many notes point at them.
_CYCLE_NAMES = 12
_CYCLE_NOTES = 10


def cycle_path(cycle: list[str]) -> str:
    """```a` → `b` → `a``` for a cycle that ends where it starts; a long one is abridged.

    >>> cycle_path(["a", "b", "a"])
    '`a` → `b` → `a`'
    >>> cycle_path([f"a{i}" for i in range(200)] + ["a0"])
    '`a0` → `a1` → `a2` → `a3` → `a4` → `a5` → … → `a198` → `a199` → `a0` (200 definitions)'
    """
    if len(cycle) <= _CYCLE_NAMES:
        return " → ".join(f"`{c}`" for c in cycle)
    shown = [f"`{c}`" for c in cycle[:6]] + ["…"] + [f"`{c}`" for c in cycle[-3:]]
    return " → ".join(shown) + f" ({len(cycle) - 1:,} definitions)"


@dataclass
class Symbol:
    """A name the plan can use."""

    name: str
    kind: SymbolKind
    span: Span
    #: The declaration node (None for built-ins).
    node: object | None = None
    type: Type | None = None
    level: Level | None = None
    #: Names this symbol's definition refers to (payee- or line-level values).
    depends_on: tuple[str, ...] = ()
    used: bool = False


@dataclass(frozen=True, slots=True)
class TierInfo:
    """What a tier table's declaration says, once checked."""

    kind: str
    #: Type of the band bounds (money, or a number such as percent attainment).
    bound_type: Type
    #: Type of what the bands pay (a rate, or an amount).
    value_type: Type


@dataclass(frozen=True, slots=True)
class Scan:
    """What one walk over a declaration found (see :meth:`CheckContext.scan`)."""

    #: The names it refers to, in source order (as :func:`~incentives.ast.visitor.references`).
    names: list[str]
    #: Its team values and ranks, in source order.
    gathering: list[n.TeamValue | n.Rank]


@dataclass
class CheckContext:
    """Everything the passes share while checking one plan."""

    plan: n.PlanFile
    #: The plan's currency (``XXX``, "no currency", until the header is checked).
    currency: str = "XXX"
    #: The plan's pay periods, once the header is checked.
    scheme: PeriodScheme | None = None
    #: The plan's rounding mode and unit; None for `rounding none`.
    rounding_mode: RoundingMode | None = None
    rounding_unit: Decimal | None = None
    #: Where the plan rounds: "components", "lines".
    rounding_places: tuple[str, ...] = ()
    symbols: dict[str, Symbol] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Type of every checked expression node, by ``id(node)``.
    types: dict[int, Type] = field(default_factory=dict)
    #: Level of every checked expression node, by ``id(node)``.
    levels: dict[int, Level] = field(default_factory=dict)
    #: Dated versions of a let, tier table or rate table: base name → version keys.
    versions: dict[str, list[str]] = field(default_factory=dict)
    #: Expressions already reported for mixing per-line and per-payee values.
    mixed: set[int] = field(default_factory=set)
    #: Checked tier tables by name (only tables without errors).
    tier_info: dict[str, TierInfo] = field(default_factory=dict)
    #: Resolvers for symbols whose type is inferred on first use.
    resolvers: dict[str, Callable[[], None]] = field(default_factory=dict)
    #: Symbols whose resolver is running, innermost last (and as a set).
    _resolving: list[str] = field(default_factory=list)
    _resolving_set: set[str] = field(default_factory=set)
    #: Symbols whose resolver has run (or is running).
    _resolved: set[str] = field(default_factory=set)
    reported_cycles: set[frozenset[str]] = field(default_factory=set)
    #: Folded constants by ``id(node)``, failures included (see :mod:`.constants`).
    folded: dict[int, object] = field(default_factory=dict)
    #: Names whose value needs other payees' values, once worked out (see
    #: :func:`~incentives.check.crediting.team_dependent`).
    team_dependent: frozenset[str] | None = None
    #: What :meth:`scan` found in each node, by ``id`` of the node.
    _scans: dict[int, Scan] = field(default_factory=dict)
    #: The did-you-mean index over the symbols, with the count it was built for.
    _names: tuple[int, NameIndex] | None = None

    # ----------------------------------------------------------- findings
    def error(
        self,
        code: str,
        message: str,
        span: Span,
        *,
        hint: str | None = None,
        related: Iterable[Related] = (),
    ) -> None:
        self.diagnostics.append(
            Diagnostic(code, message, span, Severity.ERROR, hint, tuple(related))
        )

    def warning(self, code: str, message: str, span: Span, *, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, Severity.WARNING, hint))

    # ------------------------------------------------------------ symbols
    def declare(self, symbol: Symbol) -> bool:
        """Add a symbol; report E102 and keep the first if the name is taken."""
        existing = self.symbols.get(symbol.name)
        if existing is not None:
            what = KIND_WORDS[existing.kind]
            if existing.kind == "builtin":
                self.error(
                    "E102",
                    f"`{symbol.name}` is {what} and cannot be declared again",
                    symbol.span,
                    hint=f"choose another name than `{symbol.name}`",
                )
            else:
                self.error(
                    "E102",
                    f"`{symbol.name}` is already declared as {what}",
                    symbol.span,
                    hint="every name in a plan is declared once; rename one of them",
                    related=[Related(existing.span, f"`{symbol.name}` is first declared here")],
                )
            return False
        self.symbols[symbol.name] = symbol
        return True

    def lookup(self, name: n.Name, *, expect: str = "name") -> Symbol | None:
        """The symbol for a use of a name; reports E101 with a suggestion if unknown."""
        symbol = self.symbols.get(name.text)
        if symbol is None:
            self.error(
                "E101",
                f"unknown {expect} `{name.text}`",
                name.span,
                hint=self._did_you_mean(name.text) or _how_to_declare(name.text, expect),
            )
            return None
        symbol.used = True
        self.resolve(symbol)
        return symbol

    def resolve(self, symbol: Symbol) -> None:
        """Make sure a symbol's type and level are known (inferring on demand).

        Resolving one definition may need others first. Rather than letting
        resolvers call each other as deep as the plan's chain of definitions
        goes (a chain of thousands of ``let``s would exhaust Python's stack),
        the definitions this one refers to are found first with an explicit
        stack and resolved dependencies first, so that a resolver only ever
        meets names that are already resolved. A reference back to a
        definition on that stack is a cycle (E401), reported once with its
        path; the definition it returns to reads as ``ERROR`` from then on,
        and its own resolver still runs, so its expression is checked too.
        """
        if symbol.type is not None:
            return
        if symbol.name in self._resolving_set:  # a reference the walk did not foresee
            self._report_resolving_cycle(
                [*self._resolving[self._resolving.index(symbol.name) :], symbol.name]
            )
            symbol.type, symbol.level = ERROR, Level.PAYEE
            return
        for name in self._dependencies_first(symbol):
            self._run_resolver(self.symbols[name])

    def _pending(self, name: str) -> Symbol | None:
        """The symbol ``name`` if its type is still to be inferred by a resolver."""
        symbol = self.symbols.get(name)
        if symbol is None or symbol.type is not None or name not in self.resolvers:
            return None
        return symbol

    def _dependencies_first(self, root: Symbol) -> list[str]:
        """``root`` and the unresolved definitions it reaches, dependencies first.

        A depth-first walk over the names each declaration refers to, in the
        order the checker reads them, with an explicit stack. A name met
        again while it is on the walk's path closes a cycle: reported here,
        at the moment the recursive reading would have met it.
        """
        order: list[str] = []
        seen = {root.name}
        path = [root.name]
        on_path = {root.name: 0}
        stack = [iter(self._references_of(root))]
        while stack:
            for name in stack[-1]:
                if name in on_path or name in self._resolving_set:
                    target = self.symbols[name]
                    if target.type is None:  # met again before its type is known
                        if name in on_path:
                            cycle = [*path[on_path[name] :], name]
                        else:
                            outer = self._resolving[self._resolving.index(name) :]
                            cycle = [*outer, *path, name]
                        self._report_resolving_cycle(cycle)
                        target.type, target.level = ERROR, Level.PAYEE
                    continue
                if name in seen:
                    continue
                symbol = self._pending(name)
                if symbol is None:
                    continue
                seen.add(name)
                on_path[name] = len(path)
                path.append(name)
                stack.append(iter(self._references_of(symbol)))
                break
            else:
                stack.pop()
                done = path.pop()
                del on_path[done]
                order.append(done)
        return order

    def _references_of(self, symbol: Symbol) -> list[str]:
        return self.scan(symbol.node).names if symbol.node is not None else []

    def scan(self, node: object) -> Scan:
        """The names a declaration refers to and the team values in it (one walk, kept)."""
        found = self._scans.get(id(node))
        if found is None:
            names: list[str] = []
            gathering: list[n.TeamValue | n.Rank] = []
            for x in walk(node):
                if isinstance(x, n.Ref):
                    names.append(x.name.text)
                elif isinstance(x, n.TierOn | n.TierAt):
                    names.append(x.tiers.text)
                elif isinstance(x, n.TeamValue | n.Rank):
                    names.append(x.name.text)
                    gathering.append(x)
            found = self._scans[id(node)] = Scan(names, gathering)
        return found

    def _run_resolver(self, symbol: Symbol) -> None:
        name = symbol.name
        if name in self._resolved:
            return
        self._resolved.add(name)
        resolver = self.resolvers.get(name)
        if resolver is None:  # pragma: no cover - every symbol kind sets a type or a resolver
            symbol.type, symbol.level = ERROR, Level.PAYEE
            return
        self._resolving.append(name)
        self._resolving_set.add(name)
        try:
            resolver()
        finally:
            self._resolving.pop()
            self._resolving_set.discard(name)
        if symbol.type is None:
            symbol.type, symbol.level = ERROR, Level.PAYEE

    def _report_resolving_cycle(self, cycle: list[str]) -> None:
        key = frozenset(cycle)
        if key in self.reported_cycles:
            return
        self.reported_cycles.add(key)
        self.report_cycle(cycle)

    def report_cycle(self, cycle: list[str]) -> None:
        """E401 at the first name of ``cycle`` (which ends where it starts)."""
        first = self.symbols[cycle[0]]
        self.error(
            "E401",
            f"`{first.name}` depends on itself: {cycle_path(cycle)}",
            first.span,
            hint="a value cannot be computed from itself; break the loop",
            related=[
                Related(self.symbols[c].span, f"`{c}` is defined here")
                for c in list(dict.fromkeys(cycle[1:-1]))[:_CYCLE_NOTES]
            ],
        )

    @staticmethod
    def suggest(name: str, candidates: Iterable[str]) -> str | None:
        """A did-you-mean hint, or None."""
        match = closest(name, candidates)
        return f"did you mean `{match}`?" if match is not None else None

    def _did_you_mean(self, name: str) -> str | None:
        """:meth:`suggest` over every symbol, through an index kept for the plan.

        Symbols are only ever added, so the index is rebuilt when their
        number changes; a plan with many unknown names builds it once.
        """
        if len(self.symbols) < _INDEX_FROM:
            return self.suggest(name, self.symbols)
        if self._names is None or self._names[0] != len(self.symbols):
            self._names = (len(self.symbols), NameIndex(self.symbols))
        match = self._names[1].closest(name)
        return f"did you mean `{match}`?" if match is not None else None

    # -------------------------------------------------------------- types
    def record(self, expr: object, type_: Type, level: Level) -> tuple[Type, Level]:
        self.types[id(expr)] = type_
        self.levels[id(expr)] = level
        return type_, level

    def type_of(self, expr: object) -> Type:
        return self.types.get(id(expr), ERROR)

    def level_of(self, expr: object) -> Level:
        return self.levels.get(id(expr), Level.CONST)
