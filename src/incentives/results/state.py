"""What a plan carries from one pay period to the next, as data.

Contract: a :class:`StateSnapshot` is everything stage 4 needs to go on after
a given period: outstanding draw balances, amounts held back and when they
are released, cap excess withheld in a horizon, what a true-up has paid so
far in its horizon, and what recent lines earned (so a later refund can be
clawed back at the rate it was paid). A run of periods P1…Pn gives the same
statements as a run of P1…Pk whose ``closing`` snapshot is given as the
``opening`` of a run of Pk+1…Pn. Amounts are exact decimals, serialised as
strings; everything is sorted, so the JSON is canonical.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from incentives.money import format_decimal

__all__ = [
    "CapState",
    "HeldItem",
    "LineEarning",
    "PayeeState",
    "StateSnapshot",
    "TrueUpState",
]

_Amount = Annotated[
    Decimal,
    PlainSerializer(format_decimal, return_type=str, when_used="always"),
    Field(strict=False),
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HeldItem(_Model):
    """An amount of a component held back, waiting for its release."""

    component: str
    amount: _Amount
    #: The period it was held in.
    held_in: str
    #: Released in this period (``for N periods``), or None.
    release_period: str | None = None
    #: Released in the period containing this date, or None.
    release_date: date | None = None
    #: Held for this ledger line (``until COLUMN``, or to forfeit it if the line is refunded).
    txn_id: str | None = None
    #: For ``until COLUMN``: no date yet, so held until the data gives one.
    waiting: bool = False


class CapState(_Model):
    """A cap over a horizon: what it has let through and what it withheld."""

    horizon: str
    paid: _Amount
    withheld: _Amount


class TrueUpState(_Model):
    horizon: str
    paid: _Amount


class LineEarning(_Model):
    """What one ledger line earned a payee in one component (for clawbacks)."""

    txn_id: str
    component: str
    amount: _Amount
    period: str
    line_date: date
    line_amount: _Amount


class PayeeState(_Model):
    draws: dict[str, _Amount] = Field(default_factory=dict)
    held: list[HeldItem] = Field(default_factory=list)
    caps: dict[str, CapState] = Field(default_factory=dict)
    true_ups: dict[str, TrueUpState] = Field(default_factory=dict)
    earnings: list[LineEarning] = Field(default_factory=list)


class StateSnapshot(_Model):
    """Every payee's carried state after ``after`` (a period label)."""

    plan: str
    after: str
    payees: dict[str, PayeeState] = Field(default_factory=dict)
