"""Input data: CSV files and Python records in, validated typed rows out.

Contract: a :class:`Dataset` is read from a directory of CSV files
(:meth:`Dataset.from_dir`), from Python records (:meth:`Dataset.from_records`)
or from raw tables, and :meth:`Dataset.validate` checks it against a plan's
:class:`DataRequirements`. Either every row passes and the result is a
:class:`ValidatedData` in canonical order, or a single
:class:`~incentives.errors.DataError` carries every problem with its file,
row and column (codes ``D6xx``, listed in :mod:`incentives.data.dataset`).

Stages, one module each: :mod:`~incentives.data.csv_source` and
:mod:`~incentives.data.records` (bytes or records → :class:`RawTable`),
:mod:`~incentives.data.cells` (cell text → value),
:mod:`~incentives.data.models` (typed rows), :mod:`~incentives.data.validate`
(per-table checks) and :mod:`~incentives.data.dataset` (the whole).
"""

from incentives.data.cells import CellError, parse_cell
from incentives.data.csv_source import parse_csv, read_csv
from incentives.data.dataset import DataRequirements, Dataset, ValidatedData
from incentives.data.models import (
    FxRate,
    LedgerLine,
    MetricEntry,
    Payee,
    QuotaEntry,
    RowRef,
    SplitEntry,
)
from incentives.data.records import from_records
from incentives.data.tables import TABLE_NAMES, RawRow, RawTable

__all__ = [
    "TABLE_NAMES",
    "CellError",
    "DataRequirements",
    "Dataset",
    "FxRate",
    "LedgerLine",
    "MetricEntry",
    "Payee",
    "QuotaEntry",
    "RawRow",
    "RawTable",
    "RowRef",
    "SplitEntry",
    "ValidatedData",
    "from_records",
    "parse_cell",
    "parse_csv",
    "read_csv",
]
