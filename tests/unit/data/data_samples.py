"""Sample tables and requirements shared by the input-data tests.

A module with its own name (not ``conftest``) so that test modules can import
it whatever other ``conftest.py`` files the suite grows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from incentives.data import DataRequirements
from incentives.periods import PeriodKind, PeriodScheme
from incentives.values import ColumnType

LEDGER = (
    "txn_id,date,payee,amount,currency,product,units\n"
    "T2,2026-01-06,bob,250.50,USD,gadget,1\n"
    "T1,2026-01-05,alice,100.00,USD,widget,3\n"
    "T3,2026-02-01,alice,-20.00,USD,widget,-1\n"
)
ROSTER = (
    "payee,name,role,manager,fte,start_date,end_date,payout_currency,plan,region\n"
    "alice,Alice Ames,manager,,1,2025-01-01,,USD,standard,north\n"
    "bob,Bob Bell,rep,alice,0.5,2026-01-11,2026-12-31,,standard,south\n"
)
QUOTAS = "payee,period,amount,currency\nalice,2026-Q1,30000,USD\nbob,2026-Q1,15000.00,USD\n"
METRICS = (
    "payee,period,name,value\n"
    "alice,2026-01,csat,92.5%\n"
    "bob,2026-01,csat,88%\n"
    "bob,2026-01,hours,120\n"
)

WriteDir = Callable[..., Path]


def requirements(**changes: object) -> DataRequirements:
    """The requirements of a monthly USD plan that reads every table."""
    values: dict[str, object] = {
        "currency": "USD",
        "scheme": PeriodScheme(PeriodKind.MONTH),
        "ledger_columns": {"product": ColumnType.TEXT, "units": ColumnType.COUNT},
        "roster_fields": {"region": ColumnType.TEXT, "role": ColumnType.TEXT},
        "metrics": {"csat": (ColumnType.PERCENT, None)},
        "quota_scheme": PeriodScheme(PeriodKind.QUARTER),
        "needs_fte": True,
        "needs_start_date": True,
    }
    values.update(changes)
    return DataRequirements(**values)  # type: ignore[arg-type]
