"""Hypothesis strategies for the property tests: plans as text, ledgers as records.

Every strategy here builds plain, frozen descriptions (:class:`TierTable`,
:class:`Component`, :class:`PlanSpec`) that know how to write themselves as
``.plan`` text, so a failing example prints as a readable plan. Numbers are
``Decimal`` throughout: money has two decimals, percents at most two
decimals (``5.25%`` is the rate ``0.0525``). Data stays in one pay period,
March 2026, with a handful of payees and at most ~20 ledger lines.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, Decimal
from itertools import pairwise

from hypothesis import strategies as st

__all__ = [
    "CURRENCY",
    "MU",
    "PAYEES",
    "PERIOD",
    "PERIOD_DAYS",
    "PERIOD_START",
    "ROUNDING_MODES",
    "Band",
    "Component",
    "FixedPay",
    "MultiplierPay",
    "PerLinePay",
    "PlanSpec",
    "RatePay",
    "TierPay",
    "TierTable",
    "WhenPay",
    "amounts",
    "ftes",
    "hires",
    "ledger_records",
    "ledgers",
    "money",
    "money_text",
    "off_unit_money",
    "percent_text",
    "percents",
    "plans",
    "roster_records",
    "rounding_clauses",
    "scale_factors",
    "threshold_lists",
    "tier_cases",
    "tier_tables",
]

CURRENCY = "USD"
#: One minor unit of USD.
MU = Decimal("0.01")
PERIOD = "2026-03"
PERIOD_START = date(2026, 3, 1)
PERIOD_DAYS = 31
PAYEES = ("ana", "bo", "chen", "dara")
ROUNDING_MODES = ("half_even", "half_up", "down", "up")

_CENT = Decimal("0.01")


# ------------------------------------------------------------------ literals


def money_text(value: Decimal, *, commas: bool = False) -> str:
    """``12,345.67 USD`` or ``12345.67 USD`` for a non-negative amount."""
    if value < 0:
        raise ValueError("money literals are non-negative; negative amounts live in data")
    text = format(value, "f")
    whole, _, fraction = text.partition(".")
    if commas:
        whole = f"{int(whole):,}"
    return f"{whole}{'.' + fraction if fraction else ''} {CURRENCY}"


def percent_text(rate: Decimal) -> str:
    """``5%`` or ``5.25%`` for the rate 0.05 or 0.0525 (at most two decimals of percent)."""
    pct = rate * 100
    if pct < 0 or pct != pct.quantize(_CENT):
        raise ValueError(f"{rate} is not a percent with at most two decimals")
    pct = pct.quantize(_CENT)
    if pct == pct.to_integral_value():
        return f"{int(pct)}%"
    return f"{format(pct.normalize(), 'f')}%"


def money(
    min_value: Decimal | int = 0, max_value: Decimal | int = 100_000
) -> st.SearchStrategy[Decimal]:
    """Amounts with exactly two decimals in [min_value, max_value].

    Every order of magnitude in the range is drawn about as often (cents,
    tens, thousands, the top of the range), so small and large values both
    turn up in a few dozen examples.
    """
    lo = int(Decimal(min_value) * 100)
    hi = int(Decimal(max_value) * 100)
    spans = []
    for digits in (3, 5, 7):  # within 10 USD, 1,000 USD, 100,000 USD of zero
        a, b = max(lo, -(10**digits)), min(hi, 10**digits)
        if a <= b and (a, b) not in spans:
            spans.append((a, b))
    top = (max(lo, hi - hi // 10), hi)  # the top tenth of the range
    for span in (top, (lo, hi)):
        if span not in spans:
            spans.append(span)
    cents = st.one_of(*(st.integers(a, b) for a, b in spans))
    return cents.map(lambda c: Decimal(c).scaleb(-2))


def off_unit_money(unit: Decimal, max_value: int = 5_000) -> st.SearchStrategy[Decimal]:
    """Positive amounts that are not a whole number of ``unit`` (10.03 for unit 0.05)."""
    return money(Decimal("0.01"), max_value).filter(lambda c: (c / unit) % 1 != 0)


def amounts(
    min_value: Decimal | int = 0, max_value: Decimal | int = 20_000
) -> st.SearchStrategy[Decimal]:
    """Ledger amounts: any size in the range, and now and then an endpoint or zero."""
    lo, hi = Decimal(min_value), Decimal(max_value)
    choices = [money(lo, hi), st.sampled_from([x for x in (lo, hi) if x == x.quantize(_CENT)])]
    if lo <= 0 <= hi:
        choices.append(st.just(Decimal("0.00")))
    return st.one_of(*choices).map(lambda d: d.quantize(_CENT))


def percents(max_pct: int = 30, *, min_pct: int = 0) -> st.SearchStrategy[Decimal]:
    """Rates as fractions (0.0525 for 5.25%), whole percents more often than not."""
    whole = st.integers(min_pct, max_pct).map(lambda p: Decimal(p) / 100)
    fine = st.integers(min_pct * 100, max_pct * 100).map(lambda p: Decimal(p).scaleb(-4))
    return st.one_of(whole, fine)


def scale_factors() -> st.SearchStrategy[int]:
    """Integers k > 1 to scale a plan and its data by: small, round and prime."""
    return st.one_of(st.integers(2, 12), st.sampled_from([10, 100, 1000, 7919]))


def rounding_clauses(
    *, modes: Sequence[str] = ROUNDING_MODES, units: Sequence[str] = ("0.01",)
) -> st.SearchStrategy[str]:
    """``half_up to 0.01 on components`` (the part after ``rounding``)."""
    return st.builds(
        lambda mode, unit: f"{mode} to {unit} on components",
        st.sampled_from(list(modes)),
        st.sampled_from(list(units)),
    )


# -------------------------------------------------------------------- tiers


@dataclass(frozen=True)
class Band:
    """One band, as numbers: ``None`` bounds are unbounded."""

    lower: Decimal | None
    lower_inclusive: bool
    upper: Decimal | None
    upper_inclusive: bool
    value: Decimal


@dataclass(frozen=True)
class TierTable:
    """A tier table that tiles its line with no gap and no overlap.

    ``thresholds`` are the band edges in bound units (money, or a fraction of
    the quota when ``attainment``); ``values`` has one more entry (rates as
    fractions, or money for flat tables). ``closed_above[i]`` says the band
    below threshold i includes it (``at most t`` then ``above t``); otherwise
    the band above does (``below t`` then ``at least t``). ``open_below``
    writes the first band as ``below t1`` (unbounded) instead of
    ``at least 0``.
    """

    name: str
    kind: str
    thresholds: tuple[Decimal, ...]
    values: tuple[Decimal, ...]
    closed_above: tuple[bool, ...]
    open_below: bool = False
    attainment: bool = False
    commas: bool = False

    def __post_init__(self) -> None:
        assert len(self.values) == len(self.thresholds) + 1
        assert len(self.closed_above) == len(self.thresholds)
        assert all(a < b for a, b in pairwise(self.thresholds))
        assert not self.open_below or self.thresholds

    @property
    def pays_amounts(self) -> bool:
        return self.kind == "flat"

    def bands(self) -> list[Band]:
        bands = []
        for i, value in enumerate(self.values):
            if i == 0:
                lower, lower_inc = (None, False) if self.open_below else (Decimal(0), True)
            else:
                lower, lower_inc = self.thresholds[i - 1], not self.closed_above[i - 1]
            if i < len(self.thresholds):
                upper, upper_inc = self.thresholds[i], self.closed_above[i]
            else:
                upper, upper_inc = None, False
            bands.append(Band(lower, lower_inc, upper, upper_inc, value))
        return bands

    def bound_text(self, value: Decimal) -> str:
        if self.attainment:
            return percent_text(value)
        return money_text(value, commas=self.commas)

    def value_text(self, value: Decimal) -> str:
        if self.pays_amounts:
            return money_text(value, commas=self.commas)
        return percent_text(value)

    def band_text(self, band: Band) -> str:
        """The band's bounds as written (``at least 0 USD and below 10,000 USD``)."""
        words = []
        if band.lower is not None:
            word = "at least" if band.lower_inclusive else "above"
            words.append(f"{word} {self.bound_text(band.lower)}")
        if band.upper is not None:
            word = "at most" if band.upper_inclusive else "below"
            words.append(f"{word} {self.bound_text(band.upper)}")
        return " and ".join(words)

    def text(self) -> str:
        lines = [f"tiers {self.name} {self.kind}"]
        for band in self.bands():
            lines.append(f"  band {self.band_text(band)}: {self.value_text(band.value)}")
        return "\n".join(lines)

    def scaled(self, k: int) -> TierTable:
        """Money bounds and money values times ``k`` (rates and attainment stay)."""
        thresholds = self.thresholds if self.attainment else tuple(t * k for t in self.thresholds)
        values = tuple(v * k for v in self.values) if self.pays_amounts else self.values
        return replace(self, thresholds=thresholds, values=values)


@st.composite
def threshold_lists(
    draw: st.DrawFn,
    *,
    min_size: int = 0,
    max_size: int = 4,
    min_gap: Decimal = _CENT,
    attainment: bool = False,
) -> tuple[Decimal, ...]:
    """Strictly increasing positive thresholds at least ``min_gap`` apart.

    Money thresholds have two decimals; attainment thresholds are percents
    with two decimals (0.505 for 50.5%).
    """
    step = Decimal("0.0001") if attainment else _CENT
    lo = max(int(min_gap / step), 1)
    if attainment:
        gap = st.one_of(st.integers(lo, 20_000), st.integers(lo, lo + 100))
    else:
        gap = st.one_of(
            st.integers(lo, 2_000_000),  # up to 20,000 USD apart
            st.integers(lo, lo + 500),  # close together
        )
    gaps = draw(st.lists(gap, min_size=min_size, max_size=max_size))
    total = 0
    result = []
    for g in gaps:
        total += g
        result.append(Decimal(total) * step)
    return tuple(t.quantize(step) for t in result)


@st.composite
def tier_tables(
    draw: st.DrawFn,
    name: str = "rates",
    *,
    kinds: Sequence[str] = ("marginal", "retroactive", "flat"),
    attainment: bool | None = False,
    open_below: bool | None = None,
    non_decreasing: bool = False,
    distinct_values: bool = False,
    min_thresholds: int = 0,
    max_thresholds: int = 4,
    min_gap: Decimal = _CENT,
    max_pct: int = 30,
) -> TierTable:
    """A valid tier table (see :class:`TierTable`).

    ``non_decreasing`` makes retroactive rates and flat amounts rise with the
    band (no decelerator); marginal rates are always non-negative.
    ``distinct_values`` gives every band its own value, so the value says
    which band was reached. ``attainment=None`` draws money or attainment.
    """
    kind = draw(st.sampled_from(list(kinds)))
    if attainment is None:
        attainment = draw(st.booleans())
    thresholds = draw(
        threshold_lists(
            min_size=min_thresholds,
            max_size=max_thresholds,
            min_gap=min_gap,
            attainment=attainment,
        )
    )
    n = len(thresholds) + 1
    if kind == "flat":
        # A step bonus: nothing below the first step, an amount for each step.
        steps = draw(
            st.lists(money(1, 5_000), min_size=n - 1, max_size=n - 1, unique=distinct_values)
        )
        values = [Decimal("0.00"), *steps]
    else:
        values = draw(st.lists(percents(max_pct), min_size=n, max_size=n, unique=distinct_values))
    if non_decreasing and kind != "marginal":
        values.sort()
    closed = draw(st.lists(st.booleans(), min_size=n - 1, max_size=n - 1))
    if open_below is None:
        open_below = bool(thresholds) and draw(st.booleans())
    return TierTable(
        name=name,
        kind=kind,
        thresholds=thresholds,
        values=tuple(values),
        closed_above=tuple(closed),
        open_below=open_below and bool(thresholds),
        attainment=attainment,
        commas=draw(st.booleans()),
    )


@st.composite
def tier_cases(
    draw: st.DrawFn, kinds: Sequence[str] = ("marginal", "retroactive")
) -> tuple[TierTable, Decimal | None, list[Decimal]]:
    """A tier table named ``rates``, a quota if its bands are attainment, and bases.

    Bases are cent amounts of any size (negative ones only when the first band
    is open below) plus t − mu, t and t + mu for one or two thresholds t (in
    money: t × quota for attainment bands).
    """
    table = draw(
        tier_tables(
            "rates",
            kinds=kinds,
            attainment=None,
            min_thresholds=draw(st.sampled_from([1, 0])),
            max_thresholds=5,
        )
    )
    quota = None
    if table.attainment:
        # A quota in whole hundreds puts every attainment threshold on a cent.
        hundreds = st.integers(1, 500).map(lambda m: Decimal(m * 100))
        quota = draw(st.one_of(hundreds, money(1, 50_000)))
    floor = Decimal(-20_000) if table.open_below else Decimal(0)
    bases = draw(st.lists(money(floor, 150_000), min_size=0 if table.thresholds else 1, max_size=3))
    edges = [t * quota if quota is not None else t for t in table.thresholds]
    if edges:
        picked = draw(st.lists(st.sampled_from(edges), min_size=1, max_size=2, unique=True))
        near = [(e + offset).quantize(MU) for e in picked for offset in (-MU, Decimal(0), MU)]
        bases += [b for b in near if b >= floor]
    return table, quota, bases


# --------------------------------------------------------------- components


@dataclass(frozen=True)
class TierPay:
    """``pays TABLE on sales [against target]``."""

    table: str
    against: bool = False

    def text(self) -> str:
        return f"pays {self.table} on sales" + (" against target" if self.against else "")

    def scaled(self, k: int) -> TierPay:
        return self


@dataclass(frozen=True)
class RatePay:
    """``pays 5% of sales``."""

    rate: Decimal

    def text(self) -> str:
        return f"pays {percent_text(self.rate)} of sales"

    def scaled(self, k: int) -> RatePay:
        return self


@dataclass(frozen=True)
class PerLinePay:
    """``pays 1.5% of amount per line`` with an optional ``cap per line``."""

    rate: Decimal
    line_cap: Decimal | None = None

    def text(self) -> str:
        text = f"pays {percent_text(self.rate)} of amount per line"
        if self.line_cap is not None:
            text += f"\n  cap per line at {money_text(self.line_cap)}"
        return text

    def scaled(self, k: int) -> PerLinePay:
        cap = None if self.line_cap is None else self.line_cap * k
        return replace(self, line_cap=cap)


@dataclass(frozen=True)
class FixedPay:
    """``pays 250 USD``: a fixed bonus, paid whatever the data."""

    amount: Decimal

    def text(self) -> str:
        return f"pays {money_text(self.amount)}"

    def scaled(self, k: int) -> FixedPay:
        return FixedPay(self.amount * k)


@dataclass(frozen=True)
class WhenPay:
    """``pays 100 USD when sales >= 5,000 USD``."""

    amount: Decimal
    threshold: Decimal

    def text(self) -> str:
        return f"pays {money_text(self.amount)} when sales >= {money_text(self.threshold)}"

    def scaled(self, k: int) -> WhenPay:
        return WhenPay(self.amount * k, self.threshold * k)


@dataclass(frozen=True)
class MultiplierPay:
    """``multiplies c0, c1 by 110%`` (a multiplier's uplift)."""

    targets: tuple[str, ...]
    factor: Decimal

    def text(self) -> str:
        return f"multiplies {', '.join(self.targets)} by {percent_text(self.factor)}"

    def scaled(self, k: int) -> MultiplierPay:
        return self


Pay = TierPay | RatePay | PerLinePay | FixedPay | WhenPay | MultiplierPay


@dataclass(frozen=True)
class Component:
    name: str
    kind: str
    pay: Pay
    cap: Decimal | None = None
    floor: Decimal | None = None
    #: ("nothing below" | "excess only", threshold amount)
    gate: tuple[str, Decimal] | None = None

    def text(self) -> str:
        lines = [f"{self.kind} {self.name}", f"  {self.pay.text()}"]
        if self.gate is not None:
            mode, threshold = self.gate
            lines.append(f"  gate at {money_text(threshold)}, {mode}")
        if self.cap is not None:
            lines.append(f"  cap at {money_text(self.cap)}")
        if self.floor is not None:
            lines.append(f"  floor at {money_text(self.floor)}")
        return "\n".join(lines)

    def scaled(self, k: int) -> Component:
        def times(x: Decimal | None) -> Decimal | None:
            return None if x is None else x * k

        gate = None if self.gate is None else (self.gate[0], self.gate[1] * k)
        return replace(
            self, pay=self.pay.scaled(k), cap=times(self.cap), floor=times(self.floor), gate=gate
        )


@dataclass(frozen=True)
class PlanSpec:
    """A whole plan: one ``sales`` measure, tier tables, components, total."""

    components: tuple[Component, ...]
    tables: tuple[TierTable, ...] = ()
    #: The goal of ``quota target`` (declared only when something reads it).
    quota: Decimal | None = None
    total_cap: Decimal | None = None
    total_floor: Decimal | None = None
    rounding: str = "none"
    name: str = field(default="Property plan")

    def text(self) -> str:
        lines = [
            f'plan "{self.name}" version "1" currency {CURRENCY} period month',
            f"  rounding {self.rounding}",
            "",
            "measure sales = sum amount",
        ]
        if self.quota is not None:
            lines.append(f"quota target goal {money_text(self.quota)}")
        for table in self.tables:
            lines += ["", table.text()]
        for component in self.components:
            lines += ["", component.text()]
        if self.total_cap is not None or self.total_floor is not None:
            lines += ["", "total"]
            if self.total_cap is not None:
                lines.append(f"  cap at {money_text(self.total_cap)}")
            if self.total_floor is not None:
                lines.append(f"  floor at {money_text(self.total_floor)}")
        return "\n".join(lines) + "\n"

    def with_rounding(self, rounding: str) -> PlanSpec:
        return replace(self, rounding=rounding)

    def scaled(self, k: int) -> PlanSpec:
        """Every amount, threshold, cap and floor times ``k``; rates unchanged."""

        def times(x: Decimal | None) -> Decimal | None:
            return None if x is None else x * k

        return replace(
            self,
            tables=tuple(t.scaled(k) for t in self.tables),
            components=tuple(c.scaled(k) for c in self.components),
            quota=times(self.quota),
            total_cap=times(self.total_cap),
            total_floor=times(self.total_floor),
        )

    @property
    def accepts_negative_sales(self) -> bool:
        """Whether a negative ``sales`` falls in some band of every table."""
        return all(t.open_below for t in self.tables)


_AMOUNT_LIMITS = money(1, 5_000)


@st.composite
def plans(
    draw: st.DrawFn,
    *,
    min_components: int = 1,
    max_components: int = 4,
    tier_kinds: Sequence[str] = ("marginal", "retroactive", "flat"),
    pay_kinds: Sequence[str] = ("tiers", "rate", "per_line", "fixed", "when", "multiplier"),
    monotone: bool = False,
    caps: bool = True,
    floors: bool = True,
    gates: bool = True,
    totals: bool = True,
    attainment: bool = True,
    rounding: st.SearchStrategy[str] | None = None,
) -> PlanSpec:
    """A random plan built from the component kinds asked for.

    ``monotone`` keeps to plans that never pay less for more: non-negative
    rates, no decelerating retroactive or flat tables, multipliers of at
    least 100%, and no caps, floors, gates or total limits.
    """
    if monotone:
        caps = floors = gates = totals = False
    if rounding is None:
        rounding = st.one_of(st.just("none"), rounding_clauses())
    n = draw(st.integers(min_components, max_components))
    components: list[Component] = []
    tables: list[TierTable] = []
    needs_quota = False
    first_kinds = [k for k in pay_kinds if k != "multiplier"]
    for i in range(n):
        name = f"c{i}"
        allowed = [k for k in pay_kinds if k != "multiplier" or components]
        if not components:
            allowed = first_kinds
        what = draw(st.sampled_from(allowed))
        cap = floor = None
        gate = None
        kind = "commission"
        pay: Pay
        if what == "tiers":
            table = draw(
                tier_tables(
                    f"t{i}",
                    kinds=tier_kinds,
                    attainment=None if attainment else False,
                    non_decreasing=monotone,
                )
            )
            tables.append(table)
            needs_quota |= table.attainment
            pay = TierPay(table.name, against=table.attainment)
            kind = "bonus" if table.kind == "flat" else "commission"
            if gates and draw(st.booleans()):
                modes = ["nothing below"]
                if table.kind == "marginal" and not table.attainment:
                    modes.append("excess only")
                gate = (draw(st.sampled_from(modes)), draw(money(0, 20_000)))
        elif what == "rate":
            pay = RatePay(draw(percents(20)))
            if gates and draw(st.booleans()):
                mode = draw(st.sampled_from(["nothing below", "excess only"]))
                gate = (mode, draw(money(0, 20_000)))
        elif what == "per_line":
            line_cap = draw(st.none() | _AMOUNT_LIMITS) if caps else None
            pay = PerLinePay(draw(percents(20)), line_cap)
        elif what == "fixed":
            pay = FixedPay(draw(money(0, 1_000)))
            kind = "bonus"
        elif what == "when":
            pay = WhenPay(draw(money(0, 1_000)), draw(money(Decimal("0.01"), 30_000)))
            kind = "bonus"
        else:
            targets = draw(
                st.lists(
                    st.sampled_from([c.name for c in components if c.kind != "multiplier"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            )
            factor = draw(percents(200, min_pct=100 if monotone else 50))
            pay = MultiplierPay(tuple(targets), factor)
            kind = "multiplier"
        if what != "fixed" and what != "when":
            if caps and draw(st.booleans()):
                cap = draw(_AMOUNT_LIMITS)
            if floors and draw(st.integers(0, 3)) == 0:
                floor = draw(money(0, cap if cap is not None else 200))
        components.append(Component(name, kind, pay, cap=cap, floor=floor, gate=gate))
    total_cap = total_floor = None
    if totals and draw(st.booleans()):
        total_cap = draw(money(0, 10_000))
    if totals and draw(st.integers(0, 3)) == 0:
        total_floor = draw(money(0, total_cap if total_cap is not None else 100))
    quota = draw(money(100, 50_000)) if needs_quota else None
    clause = draw(rounding)
    if clause != "none":
        # A cap and a floor with no whole rounding unit between them are refused
        # (E409): keep such a floor only where the unit leaves room.
        word = clause.split(" to ")[1].split(" on ")[0]
        unit = Decimal("0.01") if word == "minor unit" else Decimal(word)
        components = [
            replace(c, floor=None)
            if c.cap is not None
            and c.floor is not None
            and (c.floor / unit).to_integral_value(rounding=ROUND_CEILING) * unit > c.cap
            else c
            for c in components
        ]
    return PlanSpec(
        components=tuple(components),
        tables=tuple(tables),
        quota=quota,
        total_cap=total_cap,
        total_floor=total_floor,
        rounding=clause,
    )


# --------------------------------------------------------------------- data


def ftes() -> st.SearchStrategy[Decimal]:
    """FTE factors in (0, 1]: two or three decimals, and exactly 1."""
    return st.one_of(
        st.integers(1, 100).map(lambda n: Decimal(n) / 100),
        st.integers(1, 1000).map(lambda n: Decimal(n).scaleb(-3)),
        st.just(Decimal(1)),
    )


@st.composite
def hires(draw: st.DrawFn, *, year: int = 2026, min_day: int = 1) -> tuple[int, int, int]:
    """(month, days in that month, day of the month hired) in ``year``."""
    month = draw(st.integers(1, 12))
    days = calendar.monthrange(year, month)[1]
    return month, days, draw(st.integers(min_day, days))


def roster_records(payees: Sequence[str] = PAYEES) -> list[dict[str, object]]:
    return [{"payee": p} for p in payees]


def ledger_records(
    rows: Sequence[tuple[str, Decimal]], *, day: int = 5, prefix: str = "t"
) -> list[dict[str, object]]:
    """Ledger records for (payee, amount) pairs, ids ``t00``, ``t01`` …"""
    return [
        {
            "txn_id": f"{prefix}{i:02d}",
            "date": date(2026, 3, day),
            "payee": payee,
            "amount": amount,
            "currency": CURRENCY,
        }
        for i, (payee, amount) in enumerate(rows)
    ]


@st.composite
def ledgers(
    draw: st.DrawFn,
    *,
    payees: Sequence[str] = PAYEES,
    min_size: int = 1,
    max_size: int = 12,
    min_amount: Decimal | int = 0,
    max_amount: Decimal | int = 20_000,
) -> list[dict[str, object]]:
    """Ledger records in March 2026: unique ids, a few payees, cent amounts.

    ``min_amount < 0`` lets refunds (negative lines) in.
    """
    size = draw(st.integers(min_size, max_size))
    ids = draw(
        st.lists(
            st.from_regex(r"[A-Z]{1,2}-[0-9]{1,4}", fullmatch=True),
            min_size=size,
            max_size=size,
            unique=True,
        )
    )
    records = []
    for txn_id in ids:
        records.append(
            {
                "txn_id": txn_id,
                "date": date(2026, 3, draw(st.integers(1, PERIOD_DAYS))),
                "payee": draw(st.sampled_from(list(payees))),
                "amount": draw(amounts(min_amount, max_amount)),
                "currency": CURRENCY,
            }
        )
    return records
