"""The checker's shared state: symbols, inferred types, and collected findings.

Contract: a :class:`CheckContext` is created once per plan and threaded
through every pass. Passes only *add* to it (symbols, types, diagnostics);
nothing is removed, and no pass raises for a user's mistake. A symbol's type
and level are resolved on first use, which is also where a definition that
depends on itself is caught (E401) with the whole cycle named.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from incentives.ast import nodes as n
from incentives.check.types import ERROR, Type
from incentives.diagnostics import Diagnostic, Related, Severity
from incentives.money import RoundingMode
from incentives.periods import PeriodScheme
from incentives.source import Span

__all__ = ["CheckContext", "Level", "Symbol", "SymbolKind", "TierInfo"]


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
    _resolving: list[str] = field(default_factory=list)
    reported_cycles: set[frozenset[str]] = field(default_factory=set)

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
                hint=self.suggest(name.text, self.symbols),
            )
            return None
        symbol.used = True
        self.resolve(symbol)
        return symbol

    def resolve(self, symbol: Symbol) -> None:
        """Make sure a symbol's type and level are known (inferring on demand)."""
        if symbol.type is not None:
            return
        if symbol.name in self._resolving:
            cycle = [*self._resolving[self._resolving.index(symbol.name) :], symbol.name]
            key = frozenset(cycle)
            if key not in self.reported_cycles:
                self.reported_cycles.add(key)
                self.error(
                    "E401",
                    f"`{symbol.name}` depends on itself: " + " → ".join(f"`{c}`" for c in cycle),
                    symbol.span,
                    hint="a value cannot be computed from itself; break the loop",
                    related=[
                        Related(self.symbols[c].span, f"`{c}` is defined here")
                        for c in dict.fromkeys(cycle[1:-1])
                    ],
                )
            symbol.type, symbol.level = ERROR, Level.PAYEE
            return
        resolver = self.resolvers.get(symbol.name)
        if resolver is None:  # pragma: no cover - every symbol kind sets a type or a resolver
            symbol.type, symbol.level = ERROR, Level.PAYEE
            return
        self._resolving.append(symbol.name)
        try:
            resolver()
        finally:
            self._resolving.pop()
        if symbol.type is None:
            symbol.type, symbol.level = ERROR, Level.PAYEE

    @staticmethod
    def suggest(name: str, candidates: Iterable[str]) -> str | None:
        """A did-you-mean hint, or None."""
        matches = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.7)
        return f"did you mean `{matches[0]}`?" if matches else None

    # -------------------------------------------------------------- types
    def record(self, expr: object, type_: Type, level: Level) -> tuple[Type, Level]:
        self.types[id(expr)] = type_
        self.levels[id(expr)] = level
        return type_, level

    def type_of(self, expr: object) -> Type:
        return self.types.get(id(expr), ERROR)

    def level_of(self, expr: object) -> Level:
        return self.levels.get(id(expr), Level.CONST)
