"""A dataset: the input tables of one run, read, then validated for one plan.

Contract: :class:`Dataset` holds the raw tables (``ledger`` and ``roster``
required; ``quotas``, ``metrics``, ``splits`` and ``fx`` optional) with their sources and SHA-256
digests; building one raises a single :class:`~incentives.errors.DataError`
carrying every structural problem of every table (encoding, header, invalid
CSV, a missing file, unsupported record values) when any table cannot be
read. Rows that could not be read, ragged (``D607``) or with a cell longer
than a cell may be (``D610``), alone do not stop the reading: the dataset
carries them in :attr:`Dataset.problems`, so that :meth:`Dataset.validate`
reports them together with the problems of every other row.
:meth:`Dataset.validate` checks the tables against what a plan needs
(:class:`DataRequirements`) and returns :class:`ValidatedData`, or raises one
``DataError`` carrying every problem, sorted by file, row, column and code, at
most 200 per file. Nothing is computed from a dataset that failed validation.
Reading and validating run in the engine's own decimal context
(:func:`~incentives.money.evaluation_context`): the caller's context (its
precision, its traps) changes nothing.

:class:`ValidatedData` does not depend on row order or source: the ledger is
sorted by ``txn_id``, the mappings by key, and rows compare equal whatever
file and row they came from.

Diagnostic codes (all errors; the span is file, row, column, where the column
is the 1-based position in the header, or 0 for a whole row or file):

* ``D601`` a file is not UTF-8 (the line of the first bad byte)
* ``D602`` a column the table or the plan needs is missing from the header
* ``D603`` a cell is not a value of its column's type, or is out of range
* ``D604`` a key appears twice (txn_id, roster payee, quota, metric)
* ``D605`` a payee or manager is not in the roster
* ``D606`` a currency is not an ISO 4217 code, or not the plan's currency
* ``D607`` a row has more or fewer cells than the header
* ``D608`` a file is empty: it has no header
* ``D609`` a column name is empty, has spaces around it, or is used twice
* ``D610`` the text is not valid CSV (an unclosed or stray quote), or a cell
  is longer than the 131,072 characters a cell may hold
* ``D611`` a record holds a value of an unsupported type (a float, a datetime,
  a non-finite Decimal)
* ``D612`` a required file (ledger.csv, roster.csv) is missing
* ``D613`` more problems in one file than are listed
* ``D614`` the roster's manager chain loops
* ``D615`` a split's shares do not add up to 100%, or name an undeclared credit type
* ``D616`` a split names a txn_id that is not in the ledger
* ``D619`` a metrics row names a metric the plan does not declare, but one it
  does in other capitals or misspelt (other names are not read: counted in
  :attr:`ValidatedData.ignored_metrics`)
* ``D620`` a table file is there but cannot be read: not a regular file (a
  directory, a named pipe, a device), a link to nothing, no permission
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from incentives.data import _report
from incentives.data.csv_source import UnreadableFile, parse_csv, read_file
from incentives.data.models import FxRate, LedgerLine, MetricEntry, Payee, QuotaEntry, SplitEntry
from incentives.data.records import from_records
from incentives.data.tables import TABLE_NAMES, RawTable, cell_problems
from incentives.data.validate import (
    check_fx,
    check_ledger,
    check_metrics,
    check_quotas,
    check_roster,
    check_splits,
)
from incentives.diagnostics import Diagnostic
from incentives.errors import UsageError
from incentives.money import evaluation_context, is_currency
from incentives.periods import PeriodScheme
from incentives.values import ColumnType, Value

__all__ = ["DataRequirements", "Dataset", "ValidatedData"]

_REQUIRED = ("ledger", "roster")
#: Problems of one row of a table that was read: reported, but its other rows
#: are still checked (a D610 with a table is a cell too long, never bad CSV).
_ROW_PROBLEMS = frozenset({_report.RAGGED_ROW, _report.BAD_CSV})

Records = Iterable[Mapping[str, object]]


@dataclass(frozen=True, kw_only=True)
class DataRequirements:
    """What a plan reads from the data; the checker derives it from the plan."""

    #: The plan's currency; every ledger line and quota must be in it.
    currency: str
    #: The plan's pay periods; metric period labels are labels of this scheme.
    scheme: PeriodScheme
    #: Extra ledger columns the plan reads, with their types.
    ledger_columns: Mapping[str, ColumnType] = field(default_factory=dict)
    #: Roster columns the plan reads. Standard columns keep their fixed types.
    roster_fields: Mapping[str, ColumnType] = field(default_factory=dict)
    #: Metrics the plan reads: name → (type, default). Rows of other metrics
    #: are ignored, except a name close to a declared one (D619); a missing
    #: metric is the evaluator's to report.
    metrics: Mapping[str, tuple[ColumnType, Value | None]] = field(default_factory=dict)
    #: The periods quotas are set for; None when the plan reads no quotas.
    quota_scheme: PeriodScheme | None = None
    #: The roster must have ``fte``, with a value for every payee.
    needs_fte: bool = False
    #: The roster must have ``start_date`` (cells may be empty).
    needs_start_date: bool = False
    #: The plan converts currencies: ledger lines may be in any currency, and
    #: the ``fx`` table is read.
    fx: bool = False
    #: Statements are paid in each payee's payout currency.
    payout_conversion: bool = False
    #: The plan shares lines by the ``splits`` table.
    splits: bool = False
    #: Credit types the plan pays on top of the 100% of a split.
    overlays: frozenset[str] = frozenset()
    #: Declared ledger columns whose cells may be empty.
    optional_columns: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not is_currency(self.currency):
            raise UsageError(f"`{self.currency}` is not an ISO 4217 currency code")


@dataclass(frozen=True)
class ValidatedData:
    """Typed, checked rows, in canonical order."""

    #: Ledger lines sorted by ``txn_id``.
    ledger: tuple[LedgerLine, ...]
    #: Payees by id, in id order.
    roster: Mapping[str, Payee]
    #: Quotas by (payee, period label), in key order; empty if the plan reads none.
    quotas: Mapping[tuple[str, str], QuotaEntry]
    #: Metric values by (payee, period label, name), in key order.
    metrics: Mapping[tuple[str, str, str], MetricEntry]
    #: Data rows read per table supplied (ignored rows included).
    rows_read: dict[str, int]
    #: Rows of metrics the plan does not declare, by metric name, in name order
    #: (names far from every declared one: a close name is an error, D619).
    ignored_metrics: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    #: Shares of split lines by txn_id (empty unless the plan splits).
    splits: Mapping[str, tuple[SplitEntry, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: Exchange rates by (from, to) currency, each in date order.
    fx: Mapping[tuple[str, str], tuple[FxRate, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )


@dataclass(frozen=True)
class Dataset:
    """The raw input tables of a run; immutable.

    Build one with :meth:`from_dir`, :meth:`from_records` or
    :meth:`from_tables`; the constructor takes the tables by name and the
    SHA-256 digest of each.
    """

    tables: Mapping[str, RawTable]
    digests: Mapping[str, str]
    #: Problems found while reading that do not stop the reading (rows that
    #: could not be read: ragged, or with a cell too long);
    #: :meth:`validate` reports them with all the others.
    problems: Sequence[Diagnostic] = ()

    def __post_init__(self) -> None:
        for name in _REQUIRED:
            if name not in self.tables:
                raise UsageError(f"a dataset needs a {name} table")
        for name, table in self.tables.items():
            if name not in TABLE_NAMES or table.name != name:
                raise UsageError(
                    f"table `{table.name}` given as `{name}`; the tables are "
                    + ", ".join(TABLE_NAMES)
                )
        if set(self.digests) != set(self.tables):
            raise UsageError("a dataset needs one digest per table")
        order = [name for name in TABLE_NAMES if name in self.tables]
        object.__setattr__(self, "tables", MappingProxyType({n: self.tables[n] for n in order}))
        object.__setattr__(self, "digests", MappingProxyType({n: self.digests[n] for n in order}))
        object.__setattr__(self, "problems", tuple(self.problems))

    @classmethod
    @evaluation_context()
    def from_dir(cls, path: str | os.PathLike[str]) -> Dataset:
        """Read a dataset from a directory of CSV files.

        ``ledger.csv`` and ``roster.csv`` are required; ``quotas.csv``,
        ``metrics.csv``, ``splits.csv`` and ``fx.csv`` are read when present,
        and other files ignored. Sources
        are the directory as given joined with the file name. A table file
        must be a regular file (or a link to one): a directory, a named pipe,
        a device, a link to nothing or a file that cannot be read is present
        but unreadable (``D620``), never skipped as absent nor read.

        Raises:
            UsageError: if the directory does not exist.
            DataError: with every structural problem, including a missing
                ``ledger.csv`` or ``roster.csv`` (``D612``) and an unreadable
                table file (``D620``), unless the only problems are rows
                that could not be read (see :attr:`problems`).
        """
        if not isinstance(path, str | os.PathLike):
            raise UsageError(
                "from_dir takes the path of a directory (a str or pathlib.Path); "
                f"got {type(path).__name__}"
            )
        directory = Path(path)
        if not directory.is_dir():
            what = "is not a directory" if directory.exists() else "does not exist"
            raise UsageError(f"data directory `{os.fspath(path)}` {what}")
        tables: dict[str, RawTable] = {}
        digests: dict[str, str] = {}
        fatal: list[Diagnostic] = []
        ragged: list[Diagnostic] = []
        for name in TABLE_NAMES:
            file = directory / f"{name}.csv"
            source = str(file)
            if not os.path.lexists(file):  # a link to nothing exists, and is reported
                if name in _REQUIRED:
                    fatal.append(
                        _report.problem(
                            _report.MISSING_FILE,
                            source,
                            0,
                            0,
                            f"`{source}` is missing: every dataset has a {name}",
                            f"add {name}.csv to the directory: {_CONTENTS[name]}",
                        )
                    )
                continue
            try:
                data = read_file(file)
            except UnreadableFile as exc:
                problem = _report.problem(_report.UNREADABLE, source, 0, 0, exc.message, exc.hint)
                fatal.append(problem)
                continue
            table, problems = parse_csv(data, source=source, name=name)
            if table is None or any(p.code not in _ROW_PROBLEMS for p in problems):
                fatal.extend(problems)
            else:
                ragged.extend(problems)
            if table is not None:
                tables[name] = table
                digests[name] = hashlib.sha256(data).hexdigest()
        if fatal:
            raise _report.data_error(fatal + ragged)
        return cls(tables, digests, ragged)

    @classmethod
    @evaluation_context()
    def from_records(
        cls,
        *,
        ledger: Records,
        roster: Records,
        quotas: Records | None = None,
        metrics: Records | None = None,
        splits: Records | None = None,
        fx: Records | None = None,
    ) -> Dataset:
        """Build a dataset from Python records (see :mod:`incentives.data.records`).

        Raises:
            UsageError: if a table's records are not an iterable of mappings.
            DataError: with every unsupported value (a float, a datetime …).
        """
        if ledger is None or roster is None:
            missing = "ledger" if ledger is None else "roster"
            raise UsageError(f"from_records needs the {missing} records: a list of mappings")
        given = {
            "ledger": ledger,
            "roster": roster,
            "quotas": quotas,
            "metrics": metrics,
            "splits": splits,
            "fx": fx,
        }
        tables: dict[str, RawTable] = {}
        found: list[Diagnostic] = []
        for name, records in given.items():
            if records is None:
                continue
            table, problems = from_records(name, records)
            found.extend(problems)
            if table is not None:
                tables[name] = table
        if found:
            raise _report.data_error(found)
        return cls.from_tables(**tables)

    @classmethod
    @evaluation_context()
    def from_tables(
        cls,
        *,
        ledger: RawTable,
        roster: RawTable,
        quotas: RawTable | None = None,
        metrics: RawTable | None = None,
        splits: RawTable | None = None,
        fx: RawTable | None = None,
    ) -> Dataset:
        """Build a dataset from raw tables, digesting their canonical CSV form.

        Raises:
            UsageError: if a table is given under another table's name, or
                is not a :class:`RawTable`.
            DataError: if a cell is not a ``str`` (``D611``, located).
        """
        given = {
            "ledger": ledger,
            "roster": roster,
            "quotas": quotas,
            "metrics": metrics,
            "splits": splits,
            "fx": fx,
        }
        tables = {name: table for name, table in given.items() if table is not None}
        found: list[Diagnostic] = []
        for name, table in tables.items():
            if not isinstance(table, RawTable):
                raise UsageError(
                    f"the {name} table must be a RawTable; got {type(table).__name__} "
                    "(use Dataset.from_records for Python records)"
                )
            found.extend(cell_problems(table))
        if found:
            raise _report.data_error(found)
        digests = {
            name: hashlib.sha256(table.canonical_csv()).hexdigest()
            for name, table in tables.items()
        }
        return cls(tables, digests)

    @property
    def sources(self) -> dict[str, str]:
        """Table name → where it came from (the path as given, or ``<records:…>``)."""
        return {name: table.source for name, table in self.tables.items()}

    @property
    def sha256(self) -> dict[str, str]:
        """Table name → SHA-256 of the file's bytes (of the canonical CSV for records)."""
        return dict(self.digests)

    @evaluation_context()
    def validate(self, req: DataRequirements) -> ValidatedData:
        """Check every table against what the plan needs.

        Args:
            req: the plan's data requirements.

        Returns:
            The typed rows, in canonical order.

        Raises:
            DataError: carrying every problem found (see the module's codes).
        """
        found: list[Diagnostic] = list(self.problems)
        roster, payee_ids = check_roster(self.tables["roster"], req, found)
        ledger = check_ledger(self.tables["ledger"], req, payee_ids, found)
        quotas: dict[tuple[str, str], QuotaEntry] = {}
        if "quotas" in self.tables:
            quotas = check_quotas(self.tables["quotas"], req, payee_ids, found)
        metrics: dict[tuple[str, str, str], MetricEntry] = {}
        ignored: dict[str, int] = {}
        if "metrics" in self.tables:
            metrics, ignored = check_metrics(self.tables["metrics"], req, payee_ids, found)
        splits: dict[str, tuple[SplitEntry, ...]] = {}
        if "splits" in self.tables:
            txn_ids = self.tables["ledger"].keys("txn_id")
            splits = check_splits(self.tables["splits"], req, payee_ids, txn_ids, found)
        elif req.splits:
            found.append(_missing_table("splits", "the plan splits lines by the splits table"))
        fx: dict[tuple[str, str], tuple[FxRate, ...]] = {}
        if "fx" in self.tables:
            fx = check_fx(self.tables["fx"], req, found)
        if found:
            raise _report.data_error(found)
        return ValidatedData(
            ledger=tuple(ledger),
            roster=MappingProxyType(roster),
            quotas=MappingProxyType(quotas),
            metrics=MappingProxyType(metrics),
            rows_read={name: len(table.rows) for name, table in self.tables.items()},
            ignored_metrics=MappingProxyType(ignored),
            splits=MappingProxyType(splits),
            fx=MappingProxyType(fx),
        )


#: What each table holds, for the hint of a missing one.
_CONTENTS = {
    "ledger": "one line per transaction, with txn_id,date,payee,amount,currency",
    "roster": "one row per payee, with a `payee` column",
    "splits": "one row per payee sharing a line, with txn_id,payee,share",
}


def _missing_table(name: str, why: str) -> Diagnostic:
    return _report.problem(
        _report.MISSING_FILE,
        f"{name}.csv",
        0,
        0,
        f"the {name} table is missing: {why}",
        f"add {name}.csv to the data: {_CONTENTS[name]}",
    )
