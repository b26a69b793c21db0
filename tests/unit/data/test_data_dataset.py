"""Dataset: reading a directory or records, digests, and source- and order-independence."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from data_samples import LEDGER, METRICS, QUOTAS, ROSTER, WriteDir, requirements

import incentives.data
from incentives.data import DataRequirements, Dataset, RawRow, RawTable
from incentives.errors import DataError, UsageError

LEDGER_RECORDS: list[dict[str, object]] = [
    {
        "txn_id": "T2",
        "date": date(2026, 1, 6),
        "payee": "bob",
        "amount": Decimal("250.50"),
        "currency": "USD",
        "product": "gadget",
        "units": 1,
    },
    {
        "txn_id": "T1",
        "date": date(2026, 1, 5),
        "payee": "alice",
        "amount": Decimal("100.00"),
        "currency": "USD",
        "product": "widget",
        "units": 3,
    },
    {
        "txn_id": "T3",
        "date": date(2026, 2, 1),
        "payee": "alice",
        "amount": Decimal("-20.00"),
        "currency": "USD",
        "product": "widget",
        "units": -1,
    },
]
ROSTER_RECORDS: list[dict[str, object]] = [
    {
        "payee": "alice",
        "name": "Alice Ames",
        "role": "manager",
        "manager": None,
        "fte": 1,
        "start_date": date(2025, 1, 1),
        "end_date": None,
        "payout_currency": "USD",
        "plan": "standard",
        "region": "north",
    },
    {
        "payee": "bob",
        "name": "Bob Bell",
        "role": "rep",
        "manager": "alice",
        "fte": Decimal("0.5"),
        "start_date": date(2026, 1, 11),
        "end_date": date(2026, 12, 31),
        "payout_currency": "",
        "plan": "standard",
        "region": "south",
    },
]
QUOTA_RECORDS: list[dict[str, object]] = [
    {"payee": "alice", "period": "2026-Q1", "amount": 30000, "currency": "USD"},
    {"payee": "bob", "period": "2026-Q1", "amount": Decimal("15000.00"), "currency": "USD"},
]
METRIC_RECORDS: list[dict[str, object]] = [
    {"payee": "alice", "period": "2026-01", "name": "csat", "value": "92.5%"},
    {"payee": "bob", "period": "2026-01", "name": "csat", "value": "88%"},
    {"payee": "bob", "period": "2026-01", "name": "hours", "value": 120},
]


def from_records() -> Dataset:
    return Dataset.from_records(
        ledger=LEDGER_RECORDS, roster=ROSTER_RECORDS, quotas=QUOTA_RECORDS, metrics=METRIC_RECORDS
    )


def test_records_and_csv_give_equal_results_and_digests(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    from_csv = Dataset.from_dir(write_dir())
    records = from_records()
    assert records.sha256 == from_csv.sha256
    assert records.validate(req) == from_csv.validate(req)


def test_records_sources_and_rows(req: DataRequirements) -> None:
    dataset = from_records()
    assert dataset.sources == {
        "ledger": "<records:ledger>",
        "roster": "<records:roster>",
        "quotas": "<records:quotas>",
        "metrics": "<records:metrics>",
    }
    first = dataset.validate(req).ledger[0]
    assert (first.txn_id, first.ref.source, first.ref.row) == ("T1", "<records:ledger>", 2)


def test_csv_digests_are_of_the_raw_bytes(write_dir: WriteDir) -> None:
    raw = b"\xef\xbb\xbf" + LEDGER.replace("\n", "\r\n").encode()
    directory = write_dir(ledger=raw)
    dataset = Dataset.from_dir(directory)
    assert dataset.sha256["ledger"] == hashlib.sha256(raw).hexdigest()
    assert dataset.sha256["roster"] == hashlib.sha256(ROSTER.encode()).hexdigest()
    assert dataset.sources == {
        name: str(directory / f"{name}.csv") for name in ("ledger", "roster", "quotas", "metrics")
    }


def test_same_content_in_other_bytes_validates_equal(
    write_dir: WriteDir, req: DataRequirements, tmp_path_factory: pytest.TempPathFactory
) -> None:
    plain = Dataset.from_dir(write_dir())
    other = tmp_path_factory.mktemp("crlf")
    for name, text in {"ledger": LEDGER, "roster": ROSTER, "quotas": QUOTAS}.items():
        (other / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    (other / "metrics.csv").write_bytes(METRICS.encode())
    crlf = Dataset.from_dir(other)
    assert crlf.sha256["ledger"] != plain.sha256["ledger"]
    assert crlf.validate(req) == plain.validate(req)


def shuffled(text: str, seed: int) -> str:
    header, *rows = text.splitlines(keepends=True)
    random.Random(seed).shuffle(rows)
    return header + "".join(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_row_order_does_not_matter(
    write_dir: WriteDir, req: DataRequirements, tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    expected = Dataset.from_dir(write_dir()).validate(req)
    other = tmp_path_factory.mktemp("shuffled")
    for name, text in {
        "ledger": LEDGER,
        "roster": ROSTER,
        "quotas": QUOTAS,
        "metrics": METRICS,
    }.items():
        (other / f"{name}.csv").write_text(shuffled(text, seed))
    result = Dataset.from_dir(other).validate(req)
    assert result == expected
    assert list(result.roster) == list(expected.roster)
    assert list(result.quotas) == list(expected.quotas)
    assert list(result.metrics) == list(expected.metrics)
    reversed_records = Dataset.from_records(
        ledger=LEDGER_RECORDS[::-1],
        roster=ROSTER_RECORDS[::-1],
        quotas=QUOTA_RECORDS[::-1],
        metrics=METRIC_RECORDS[::-1],
    )
    assert reversed_records.validate(req) == expected


def test_content_differences_are_not_equal(write_dir: WriteDir, req: DataRequirements) -> None:
    expected = Dataset.from_dir(write_dir()).validate(req)
    changed = Dataset.from_dir(write_dir(ledger=LEDGER.replace("250.50", "250.51"))).validate(req)
    assert changed != expected


# --- from_dir --------------------------------------------------------------------------


def test_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^data directory `.*nowhere` does not exist$"):
        Dataset.from_dir(tmp_path / "nowhere")
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match=r"is not a directory$"):
        Dataset.from_dir(tmp_path / "file")


def test_missing_required_files(write_dir: WriteDir) -> None:
    directory = write_dir(ledger=None, roster=None)
    with pytest.raises(DataError) as caught:
        Dataset.from_dir(directory)
    assert str(caught.value) == "2 problems in the data"
    assert [
        (d.code, d.span.file, d.span.line, d.span.column, d.message)
        for d in caught.value.diagnostics
    ] == [
        (
            "D612",
            str(directory / "ledger.csv"),
            0,
            0,
            f"`{directory / 'ledger.csv'}` is missing: every dataset has a ledger",
        ),
        (
            "D612",
            str(directory / "roster.csv"),
            0,
            0,
            f"`{directory / 'roster.csv'}` is missing: every dataset has a roster",
        ),
    ]


def test_optional_files_may_be_absent_and_others_are_ignored(write_dir: WriteDir) -> None:
    directory = write_dir(quotas=None, metrics=None)
    (directory / "notes.csv").write_bytes(b"\xff not even utf-8")
    dataset = Dataset.from_dir(directory)
    assert list(dataset.tables) == ["ledger", "roster"]


def test_structural_problems_of_all_files_are_raised_together(write_dir: WriteDir) -> None:
    directory = write_dir(
        ledger="caf\xe9".encode("latin-1"),
        roster=ROSTER + "carol,C\n",
        quotas=b"",
        metrics="payee,period,name,name\n",
    )
    with pytest.raises(DataError) as caught:
        Dataset.from_dir(directory)
    assert str(caught.value) == "4 problems in the data"
    assert [(d.code, Path(d.span.file).name, d.span.line) for d in caught.value.diagnostics] == [
        ("D601", "ledger.csv", 1),
        ("D609", "metrics.csv", 1),
        ("D608", "quotas.csv", 1),
        ("D607", "roster.csv", 4),
    ]


# --- from_records, from_tables -----------------------------------------------------


def test_floats_in_records_are_refused_with_every_other_problem() -> None:
    ledger = [dict(LEDGER_RECORDS[0], amount=250.5)]
    roster = [dict(ROSTER_RECORDS[0], fte=1.0), dict(ROSTER_RECORDS[1], start_date=None)]
    with pytest.raises(DataError) as caught:
        Dataset.from_records(ledger=ledger, roster=roster)
    assert [
        (d.code, d.span.file, d.span.line, d.span.column) for d in caught.value.diagnostics
    ] == [
        ("D611", "<records:ledger>", 1, 4),
        ("D611", "<records:roster>", 1, 5),
    ]
    assert (
        "floats are not accepted: pass Decimal('…') or a string"
        in caught.value.diagnostics[0].message
    )


def test_empty_records_make_empty_tables(req: DataRequirements) -> None:
    data = Dataset.from_records(ledger=[], roster=ROSTER_RECORDS, quotas=[]).validate(req)
    assert data.ledger == () and data.quotas == {}
    assert data.rows_read == {"ledger": 0, "roster": 2, "quotas": 0}


def test_tables_must_be_given_under_their_own_names() -> None:
    roster = RawTable("roster", "r.csv", ("payee",), ())
    with pytest.raises(UsageError, match="table `roster` given as `ledger`"):
        Dataset.from_tables(ledger=roster, roster=roster)


def test_from_tables_digests_the_canonical_csv() -> None:
    ledger = RawTable("ledger", "l.csv", ("txn_id",), ())
    roster = RawTable("roster", "r.csv", ("payee",), ())
    dataset = Dataset.from_tables(ledger=ledger, roster=roster)
    assert dataset.sha256 == {
        "ledger": hashlib.sha256(b"txn_id\n").hexdigest(),
        "roster": hashlib.sha256(b"payee\n").hexdigest(),
    }


def test_dataset_is_immutable(write_dir: WriteDir) -> None:
    dataset = Dataset.from_dir(write_dir())
    with pytest.raises(dataclasses.FrozenInstanceError):
        dataset.tables = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        dataset.tables["ledger"] = dataset.tables["roster"]  # type: ignore[index]
    dataset.sha256["ledger"] = "changed"
    assert dataset.sha256["ledger"] != "changed"


def test_requirements_need_a_known_currency() -> None:
    with pytest.raises(UsageError, match="`usd` is not an ISO 4217 currency code"):
        requirements(currency="usd")


def test_public_names() -> None:
    assert sorted(incentives.data.__all__) == sorted(
        [
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
            "SplitEntry",
            "RowRef",
            "ValidatedData",
            "from_records",
            "parse_cell",
            "parse_csv",
            "read_csv",
        ]
    )
    for name in incentives.data.__all__:
        assert hasattr(incentives.data, name)


# --- problems that do not stop the reading -------------------------------------


def test_ragged_rows_are_reported_with_every_other_problem(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    ledger = LEDGER + "T4,2026-01-07,bob,1,234.50,USD,gadget,1\nT5,2026-02-30,bob,1.00,USD,x,1\n"
    dataset = Dataset.from_dir(write_dir(ledger=ledger))
    assert [(d.code, d.span.line) for d in dataset.problems] == [("D607", 5)]
    with pytest.raises(DataError) as caught:
        dataset.validate(req)
    found = [
        (d.code, Path(d.span.file).name, d.span.line, d.span.column)
        for d in caught.value.diagnostics
    ]
    assert found == [("D607", "ledger.csv", 5, 0), ("D603", "ledger.csv", 6, 2)]


def test_a_ragged_roster_row_still_names_its_payee(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    # Bob's roster row has a cell too many: that is one problem, on that row,
    # not also one "unknown payee" for each of his ledger lines.
    roster = ROSTER.replace("standard,south", "standard,south,extra")
    with pytest.raises(DataError) as caught:
        Dataset.from_dir(write_dir(roster=roster)).validate(req)
    assert [(d.code, Path(d.span.file).name) for d in caught.value.diagnostics] == [
        ("D607", "roster.csv")
    ]


def test_a_ragged_row_with_a_file_that_cannot_be_read_is_raised_at_once(
    write_dir: WriteDir,
) -> None:
    ledger = LEDGER + "T4,2026-01-07,bob\n"
    with pytest.raises(DataError) as caught:
        Dataset.from_dir(write_dir(ledger=ledger, roster="caf\xe9\n".encode("latin-1")))
    assert sorted(d.code for d in caught.value.diagnostics) == ["D601", "D607"]


def test_a_missing_file_says_what_it_holds(write_dir: WriteDir) -> None:
    with pytest.raises(DataError) as caught:
        Dataset.from_dir(write_dir(roster=None))
    [problem] = caught.value.diagnostics
    assert problem.code == "D612"
    assert (
        problem.hint == "add roster.csv to the directory: one row per payee, with a `payee` column"
    )


@pytest.mark.parametrize("missing", ["ledger", "roster"])
def test_records_of_a_required_table_must_be_given(missing: str) -> None:
    given: dict[str, object] = {"ledger": [], "roster": []}
    given[missing] = None
    with pytest.raises(UsageError, match=f"needs the {missing} records"):
        Dataset.from_records(**given)  # type: ignore[arg-type]


def test_a_table_built_by_hand_with_a_float_is_refused_where_it_is() -> None:
    ledger = RawTable("ledger", "mine", ("txn_id", "amount"), (RawRow(7, ("t1", 1.5)),))  # type: ignore[arg-type]
    with pytest.raises(DataError) as caught:
        Dataset.from_tables(ledger=ledger, roster=RawTable("roster", "r", ("payee",), ()))
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.span.file, problem.span.line, problem.span.column) == (
        "D611",
        "mine",
        7,
        2,
    )
    assert problem.hint


def test_from_tables_takes_raw_tables_only() -> None:
    with pytest.raises(UsageError, match="must be a RawTable; got list"):
        Dataset.from_tables(ledger=[], roster=RawTable("roster", "r", ("payee",), ()))  # type: ignore[arg-type]


def test_from_dir_takes_a_path() -> None:
    with pytest.raises(UsageError, match="got int"):
        Dataset.from_dir(42)  # type: ignore[arg-type]
