"""Tier semantics (DESIGN §3 "Tiers"): marginal, retroactive, flat, interpolated.

Contract: :func:`apply` computes a tier table exactly, in the caller's
decimal context, and returns the value with the pieces that make it up:

* marginal ``on B``: the integral of the band rate from 0 (or the gate's
  ``start``) to B; each band's slice is paid at that band's rate. Bands in
  attainment are scaled by the quota first, so they pay money slices between
  fractions of the quota. Bands [0, 10k) 5%, [10k, ∞) 8%; B = 15,000 pays
  500 + 400 = 900. A negative B pays the negative integral; a base outside
  every band is an error.
* retroactive ``on B``: the rate of the band that X (B, or B ÷ quota) falls
  in, applied to all of B: 15,000 → 1,200; 9,999.99 → 499.9995.
* flat: the amount of the band X falls in (``on`` or ``at``).
* interpolated: the value moves linearly from the band's first value at its
  lower bound to its second at its upper bound; ``on B`` multiplies it by B,
  ``at X`` returns it.

Band membership follows each band's stated inclusivity. Nothing is rounded.
The slices of a marginal result add up exactly to its value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from incentives.compile import ir

__all__ = ["BandPart", "NoBandError", "TierResult", "ZeroQuotaError", "apply"]


class NoBandError(ValueError):
    """The value falls in no band (below the first band's lower bound)."""

    def __init__(self, table: str, value: Decimal) -> None:
        super().__init__(table, value)
        self.table = table
        self.value = value


class ZeroQuotaError(ValueError):
    """Attainment bands against a quota that is zero or negative."""

    def __init__(self, table: str, quota: Decimal) -> None:
        super().__init__(table, quota)
        self.table = table
        self.quota = quota


@dataclass(frozen=True, slots=True)
class BandPart:
    """What one band contributed."""

    band: ir.Band
    #: The value the band was applied at (a slice of the base, or the point X).
    amount: Decimal
    #: The band's rate or amount at that point.
    rate: Decimal
    #: What it contributes to the result.
    value: Decimal
    #: The slice's start and end in base units (marginal tables only).
    start: Decimal | None = None
    end: Decimal | None = None


@dataclass(frozen=True, slots=True)
class TierResult:
    table: ir.TierTable
    mode: str
    value: Decimal
    #: For marginal tables, the band slices (their values add up to ``value``);
    #: otherwise the one band reached.
    parts: tuple[BandPart, ...]
    base: Decimal
    #: The point looked up: the base, the attainment (base ÷ quota) or the `at` value.
    point: Decimal
    quota: Decimal | None


def _find(table: ir.TierTable, x: Decimal) -> ir.Band:
    for band in table.bands:
        if band.contains(x):
            return band
    raise NoBandError(table.name, x)


def _band_value(band: ir.Band, x: Decimal) -> Decimal:
    if band.value_to is None:
        return band.value
    assert band.lower is not None and band.upper is not None
    return band.value + (band.value_to - band.value) * (x - band.lower) / (band.upper - band.lower)


def apply(
    table: ir.TierTable,
    mode: str,
    base: Decimal,
    quota: Decimal | None,
    start: Decimal | None,
) -> TierResult:
    """Apply ``table`` to ``base`` (see the module docstring).

    Raises:
        NoBandError: if a value falls below every band.
        ZeroQuotaError: if attainment bands meet a quota of zero or less.
    """
    if quota is not None and quota <= 0:
        raise ZeroQuotaError(table.name, quota)
    if mode == "on" and table.kind == "marginal":
        return _marginal(table, base, quota, start)
    point = base / quota if quota is not None else base
    band = _find(table, point)
    rate = _band_value(band, point)
    if mode == "at" or table.kind == "flat":
        value = rate
        applied = point
    else:
        value = rate * base
        applied = base
    part = BandPart(band, applied, rate, value)
    return TierResult(table, mode, value, (part,), base, point, quota)


def _marginal(
    table: ir.TierTable, base: Decimal, quota: Decimal | None, start: Decimal | None
) -> TierResult:
    scale = quota if quota is not None else Decimal(1)
    low = start if start is not None else Decimal(0)
    if start is not None and base <= start:
        return TierResult(table, "on", Decimal(0), (), base, base, quota)
    a, b, sign = (low, base, 1) if base >= low else (base, low, -1)
    first = table.bands[0]
    if first.lower is not None and a < first.lower * scale:
        raise NoBandError(table.name, a if quota is None else a / scale)
    parts: list[BandPart] = []
    total = Decimal(0)
    for band in table.bands:
        lo = band.lower * scale if band.lower is not None else a
        hi = band.upper * scale if band.upper is not None else b
        s, e = max(a, lo), min(b, hi)
        if e <= s:
            continue
        slice_ = (e - s) * sign
        value = slice_ * band.value
        total += value
        parts.append(BandPart(band, slice_, band.value, value, s, e))
    return TierResult(table, "on", total, tuple(parts), base, base, quota)
