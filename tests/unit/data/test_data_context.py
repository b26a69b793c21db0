"""The data layer runs in the engine's decimal context, never the caller's."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

import pytest
from data_samples import requirements

from incentives.data import DataRequirements, Dataset, ValidatedData
from incentives.data import validate as checks
from incentives.diagnostics import Diagnostic
from incentives.errors import DataError

#: Contexts a caller may have set: each would change or break a sum of shares.
HOSTILE = {
    "low precision": decimal.Context(prec=3),
    "traps Rounded and Inexact": decimal.Context(traps=[decimal.Rounded, decimal.Inexact]),
    "both, rounding down": decimal.Context(
        prec=2, rounding=decimal.ROUND_DOWN, traps=[decimal.Rounded, decimal.Inexact]
    ),
}

LEDGER = [
    {"txn_id": "T1", "date": "2026-01-05", "payee": "alice", "amount": "100.00", "currency": "USD"},
    {"txn_id": "T2", "date": "2026-01-06", "payee": "bob", "amount": "250.50", "currency": "USD"},
    {
        "txn_id": "T3",
        "date": "2026-01-07",
        "payee": "bob",
        "amount": Decimal("1234567.891234567891"),
        "currency": "USD",
    },
]
ROSTER = [
    {"payee": "alice", "fte": Decimal("0.333333333333"), "start_date": "2025-01-01"},
    {"payee": "bob", "fte": "1", "start_date": "2025-01-01"},
]
QUOTAS = [{"payee": "alice", "period": "2026-Q1", "amount": "12345.678901", "currency": "USD"}]
METRICS = [{"payee": "bob", "period": "2026-01", "name": "csat", "value": "92.123456789%"}]


def _splits(second: str) -> list[dict[str, object]]:
    return [
        {"txn_id": "T1", "payee": "alice", "share": "50%"},
        {"txn_id": "T1", "payee": "bob", "share": second},
        {"txn_id": "T2", "payee": "alice", "share": "33.333333333333%"},
        {"txn_id": "T2", "payee": "bob", "share": "66.666666666667%"},
    ]


def _req() -> DataRequirements:
    return requirements(ledger_columns={}, roster_fields={}, splits=True)


def _outcome(second: str) -> ValidatedData | list[Diagnostic]:
    """What reading and validating the records gives: the data, or the problems."""
    try:
        dataset = Dataset.from_records(
            ledger=LEDGER, roster=ROSTER, quotas=QUOTAS, metrics=METRICS, splits=_splits(second)
        )
        return dataset.validate(_req())
    except DataError as exc:
        return exc.diagnostics


def _in(context: decimal.Context, run: Callable[[], object]) -> object:
    with decimal.localcontext(context):
        return run()


@pytest.mark.parametrize("second", ["50%", "49.99%", "50.000000000001%"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_caller_context_changes_nothing(name: str, second: str) -> None:
    expected = _outcome(second)
    assert _in(HOSTILE[name], lambda: _outcome(second)) == expected


def test_shares_short_of_100_percent_are_refused_at_low_precision() -> None:
    # At 3 digits, 50% + 49.99% rounds to 1.00 and would pass as 100%.
    found = _in(HOSTILE["low precision"], lambda: _outcome("49.99%"))
    assert isinstance(found, list)
    assert [(d.code, d.message) for d in found] == [
        ("D615", "column `share`: the shares of `T1` add up to 99.99%, not 100%")
    ]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_check_splits_never_raises_a_decimal_signal(name: str) -> None:
    dataset = Dataset.from_records(ledger=LEDGER, roster=ROSTER, splits=_splits("49.99%"))
    found: list[Diagnostic] = []

    def run() -> object:
        return checks.check_splits(
            dataset.tables["splits"], _req(), None, frozenset({"T1", "T2", "T3"}), found
        )

    _in(HOSTILE[name], run)
    assert [d.code for d in found] == ["D615"]


def test_the_caller_context_is_left_as_it_was() -> None:
    context = decimal.Context(prec=3, traps=[decimal.Rounded])
    with decimal.localcontext(context) as inside:
        _outcome("50%")
        assert decimal.getcontext() is inside
        assert (inside.prec, inside.traps[decimal.Rounded]) == (3, True)
        assert not any(inside.flags.values())
