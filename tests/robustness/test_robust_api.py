"""The library and CLI front doors under misuse: missing and unreadable paths,
bad period strings, floats and other unusable values, a caller's own decimal
context. Every mistake is a :class:`~incentives.UsageError` or a located
:class:`~incentives.DataError`, never a bare Python exception.
"""

from __future__ import annotations

import datetime
import decimal
import os
import threading
from decimal import Decimal
from pathlib import Path

import pytest

import incentives

from .support import REPO, assert_no_traceback, cli_invoke

PLAN_TEXT = """\
plan "Api"
  version "1"
  currency USD
  period month
  rounding half_even to 0.01 on components

measure sales = sum amount

commission c
  pays 5% of sales
"""

LEDGER = [
    {
        "txn_id": "t1",
        "date": "2026-03-02",
        "payee": "kim",
        "amount": Decimal("100.00"),
        "currency": "USD",
    }
]


@pytest.fixture
def plan() -> incentives.Plan:
    return incentives.load_plan(PLAN_TEXT)


@pytest.fixture
def data() -> incentives.Dataset:
    return incentives.Dataset.from_records(ledger=LEDGER, roster=[{"payee": "kim"}])


def _usage(call: object, *args: object, **kwargs: object) -> incentives.UsageError:
    assert callable(call)
    try:
        call(*args, **kwargs)
    except incentives.UsageError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return exc
    except Exception as exc:
        raise AssertionError(f"{type(exc).__name__} instead of a UsageError: {exc}") from exc
    raise AssertionError("accepted")


# ------------------------------------------------------------------ paths


def test_a_missing_plan_file(tmp_path: Path) -> None:
    exc = _usage(incentives.load_plan, tmp_path / "nope.plan")
    assert "nope.plan" in str(exc)


def test_a_directory_given_as_a_plan(tmp_path: Path) -> None:
    assert "directory" in str(_usage(incentives.load_plan, tmp_path))


@pytest.mark.parametrize(
    "make",
    ["through a file", "name too long", "symlink loop", "nul byte"],
)
def test_a_plan_path_that_cannot_be_read(tmp_path: Path, make: str) -> None:
    if make == "through a file":
        (tmp_path / "a.plan").write_text(PLAN_TEXT)
        path: str | Path = tmp_path / "a.plan" / "b.plan"
    elif make == "name too long":
        path = tmp_path / ("x" * 300 + ".plan")
    elif make == "symlink loop":
        (tmp_path / "one.plan").symlink_to(tmp_path / "two.plan")
        (tmp_path / "two.plan").symlink_to(tmp_path / "one.plan")
        path = tmp_path / "one.plan"
    else:
        path = str(tmp_path / "a\x00b.plan")
    _usage(incentives.load_plan, path)


def test_a_missing_or_wrong_data_directory(tmp_path: Path) -> None:
    assert "does not exist" in str(_usage(incentives.Dataset.from_dir, tmp_path / "nope"))
    (tmp_path / "file.csv").write_text("x")
    assert "not a directory" in str(_usage(incentives.Dataset.from_dir, tmp_path / "file.csv"))


def _unreadable(directory: Path) -> list[tuple[str, str, int, int]]:
    """The located problems of reading a data directory that must be refused."""
    with pytest.raises(incentives.DataError) as caught:
        incentives.Dataset.from_dir(directory)
    return [
        (d.code, Path(d.span.file).name, d.span.line, d.span.column)
        for d in caught.value.diagnostics
    ]


def test_a_data_file_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "ledger.csv").mkdir()
    (tmp_path / "roster.csv").write_text("payee\nkim\n")
    assert _unreadable(tmp_path) == [("D620", "ledger.csv", 0, 0)]


@pytest.mark.parametrize("table", ["ledger", "metrics"])
def test_a_data_file_that_is_a_dangling_link(tmp_path: Path, table: str) -> None:
    # Present but unreadable: never taken for an absent optional table.
    (tmp_path / "ledger.csv").write_text("txn_id,date,payee,amount,currency\n")
    (tmp_path / "roster.csv").write_text("payee\nkim\n")
    (tmp_path / f"{table}.csv").unlink(missing_ok=True)
    (tmp_path / f"{table}.csv").symlink_to(tmp_path / "gone.csv")
    assert _unreadable(tmp_path) == [("D620", f"{table}.csv", 0, 0)]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_data_file_that_is_a_link_to_an_endless_device(tmp_path: Path) -> None:
    # Read, /dev/zero would fill the memory; it is refused before a byte is read.
    (tmp_path / "ledger.csv").symlink_to("/dev/zero")
    (tmp_path / "roster.csv").write_text("payee\nkim\n")
    assert _unreadable(tmp_path) == [("D620", "ledger.csv", 0, 0)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_data_file_that_is_a_named_pipe(tmp_path: Path) -> None:
    # Opened for reading, a pipe with no writer would block the run forever.
    (tmp_path / "ledger.csv").write_text("txn_id,date,payee,amount,currency\n")
    (tmp_path / "roster.csv").write_text("payee\nkim\n")
    os.mkfifo(tmp_path / "quotas.csv")
    assert _unreadable(tmp_path) == [("D620", "quotas.csv", 0, 0)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_the_cli_refuses_a_data_file_that_is_not_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("data").mkdir()
    Path("data/ledger.csv").write_text("txn_id,date,payee,amount,currency\n")
    Path("data/roster.csv").write_text("payee\nkim\n")
    os.mkfifo("data/ledger.csv.pipe")
    Path("data/ledger.csv").unlink()
    Path("data/ledger.csv.pipe").rename("data/ledger.csv")
    Path("data/metrics.csv").symlink_to("nowhere.csv")
    plan = (REPO / "plans" / "flat_rate.plan").as_posix()
    result = cli_invoke("run", plan, "--data", "data", "--period", "2026-03")
    assert_no_traceback(result.stdout + result.stderr)
    assert result.exit_code == 2, result.stderr
    assert "data/ledger.csv: error[D620]: `data/ledger.csv` is a named pipe" in result.stderr
    assert "data/metrics.csv: error[D620]: `data/metrics.csv` is a link to `nowhere.csv`" in (
        result.stderr
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("run", "nope.plan", "--data", "examples/retail", "--period", "2026-03"),
        ("run", "plans/flat_rate.plan", "--data", "nope", "--period", "2026-03"),
        ("run", "plans/flat_rate.plan", "--data", "plans", "--period", "2026-03"),
        ("run", "plans", "--data", "examples/retail", "--period", "2026-03"),
        ("check", "nope.plan"),
        (
            "explain",
            "plans/flat_rate.plan",
            "--data",
            "nope",
            "--period",
            "2026-03",
            "--payee",
            "x",
        ),
        ("test", "nope.plan"),
    ],
    ids=["plan", "data", "data-without-csv", "plan-is-dir", "check", "explain", "test"],
)
def test_the_cli_turns_missing_paths_into_exit_2(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = cli_invoke(*args)
    assert result.exit_code == 2, result.output
    assert_no_traceback(result.stdout + result.stderr)
    assert "error" in result.stderr


def test_the_cli_refuses_an_out_directory_that_is_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    target = tmp_path / "out"
    target.write_bytes(b"keep me")
    result = cli_invoke(
        "run",
        "plans/flat_rate.plan",
        "--data",
        "examples/retail",
        "--period",
        "2026-03",
        "--out",
        str(target),
    )
    assert result.exit_code == 2, result.output
    assert_no_traceback(result.stdout + result.stderr)
    assert target.read_bytes() == b"keep me"


# ---------------------------------------------------------------- periods

BAD_PERIODS = [
    "",
    " ",
    "2026-13",
    "2026-00",
    "2026-3",
    "March 2026",
    "03/2026",
    "2026-02-30",
    "2026-Q1",
    "2026-W10",
    "2026-03-01T00:00",
    " 2026-03",
    "2026-03\x00",
    "99999999-01",
    "0000-01",
]


@pytest.mark.parametrize("period", BAD_PERIODS, ids=repr)
def test_a_bad_period_string_is_a_usage_error_naming_it(
    plan: incentives.Plan, data: incentives.Dataset, period: str
) -> None:
    exc = _usage(plan.run, data, period=period)
    assert f"`{period.strip()}" in str(exc) or f"`{period}`" in str(exc), str(exc)


@pytest.mark.parametrize(
    "period",
    [2026.03, 202603, None, Decimal("2026.03"), b"2026-03", ["2026-03"]],
    ids=repr,
)
def test_a_period_that_is_not_text_is_a_usage_error(
    plan: incentives.Plan, data: incentives.Dataset, period: object
) -> None:
    _usage(plan.run, data, period=period)


def test_a_range_that_ends_before_it_starts(
    plan: incentives.Plan, data: incentives.Dataset
) -> None:
    exc = _usage(plan.run, data, period="2026-03", to="2026-01")
    assert "2026-01" in str(exc) and "2026-03" in str(exc)


@pytest.mark.parametrize("period", ["2026-13", "2026-3", "10000-01"])
def test_the_cli_reports_a_bad_period_with_exit_2(
    period: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = cli_invoke(
        "run", "plans/flat_rate.plan", "--data", "examples/retail", "--period", period
    )
    assert result.exit_code == 2, result.output
    assert_no_traceback(result.stdout + result.stderr)
    assert period in result.stderr


# ------------------------------------------------------- unusable values

UNUSABLE = [
    ("float", 100.0, "D611"),
    ("float nan", float("nan"), "D611"),
    ("float inf", float("inf"), "D611"),
    ("Decimal NaN", Decimal("NaN"), "D611"),
    ("Decimal sNaN", Decimal("sNaN"), "D611"),
    ("Decimal Infinity", Decimal("-Infinity"), "D611"),
    ("complex", 1j, "D611"),
    ("bytes", b"100", "D611"),
    ("list", [100], "D611"),
    ("datetime", datetime.datetime(2026, 3, 2, 10, 0), "D611"),
    ("huge int", 10**5000, None),
    ("Decimal with 50 digits", Decimal("1E+50"), "D603"),
    ("bool", True, None),
]


@pytest.mark.parametrize(("what", "value", "code"), UNUSABLE, ids=[u[0] for u in UNUSABLE])
def test_an_unusable_amount_is_located_at_its_record_and_column(
    plan: incentives.Plan, what: str, value: object, code: str | None
) -> None:
    ledger = [dict(LEDGER[0], amount=value)]
    try:
        data = incentives.Dataset.from_records(ledger=ledger, roster=[{"payee": "kim"}])
        plan.run(data, period="2026-03")
    except incentives.DataError as exc:
        (diagnostic,) = exc.diagnostics
        if code is not None:
            assert diagnostic.code == code
        assert (diagnostic.span.file, diagnostic.span.line, diagnostic.span.column) == (
            "<records:ledger>",
            1,
            4,
        )
    except Exception as exc:
        raise AssertionError(f"{type(exc).__name__} escaped for a {what}: {exc}") from exc
    else:
        raise AssertionError(f"a {what} was accepted as an amount")


@pytest.mark.parametrize(
    ("what", "value"),
    [(what, value) for what, value, code in UNUSABLE if code == "D611"],
    ids=[u[0] for u in UNUSABLE if u[2] == "D611"],
)
def test_an_unusable_value_comes_with_the_fix(what: str, value: object) -> None:
    with pytest.raises(incentives.DataError) as caught:
        incentives.Dataset.from_records(
            ledger=[dict(LEDGER[0], amount=value)], roster=[{"payee": "kim"}]
        )
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.hint, f"no hint for a {what}: {diagnostic.message}"


@pytest.mark.parametrize(
    ("table", "records"),
    [
        ("roster", {"roster": [{"payee": "kim", "fte": 0.5}]}),
        (
            "quotas",
            {"quotas": [{"payee": "kim", "period": "2026-03", "amount": 1e3, "currency": "USD"}]},
        ),
        (
            "metrics",
            {"metrics": [{"payee": "kim", "period": "2026-03", "name": "csat", "value": 4.5}]},
        ),
    ],
)
def test_a_float_anywhere_in_the_records_is_refused_with_a_fix(
    table: str, records: dict[str, list[dict[str, object]]]
) -> None:
    given: dict[str, list[dict[str, object]]] = {"ledger": LEDGER, "roster": [{"payee": "kim"}]}
    given |= records
    with pytest.raises(incentives.DataError) as caught:
        incentives.Dataset.from_records(**given)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "D611" and diagnostic.span.file == f"<records:{table}>"
    assert diagnostic.hint and "Decimal('" in diagnostic.hint


@pytest.mark.parametrize(
    "records",
    [None, "ledger.csv", 42, [("t1", "2026-03-02")], [None]],
    ids=repr,
)
def test_records_that_are_not_mappings_are_a_usage_error(records: object) -> None:
    _usage(incentives.Dataset.from_records, ledger=records, roster=[{"payee": "kim"}])


def test_run_takes_a_dataset_not_a_path(plan: incentives.Plan) -> None:
    _usage(plan.run, "examples/retail", period="2026-03")


# -------------------------------------------------------- decimal context


def _hostile_context() -> decimal.Context:
    return decimal.Context(
        prec=3,
        rounding=decimal.ROUND_FLOOR,
        Emin=-5,
        Emax=5,
        capitals=0,
        clamp=1,
        traps=[
            decimal.Inexact,
            decimal.Rounded,
            decimal.Subnormal,
            decimal.Clamped,
            decimal.Underflow,
            decimal.FloatOperation,
        ],
    )


def _state(ctx: decimal.Context) -> tuple[object, ...]:
    return (
        ctx.prec,
        ctx.rounding,
        ctx.Emin,
        ctx.Emax,
        ctx.capitals,
        ctx.clamp,
        dict(ctx.traps),
        dict(ctx.flags),
    )


def _everything() -> list[str]:
    plan = incentives.load_plan(REPO / "plans" / "retail_floor.plan")
    data = incentives.Dataset.from_dir(REPO / "examples" / "retail")
    result = plan.run(data, period="2026-01", to="2026-03")
    records = incentives.Dataset.from_records(
        ledger=[dict(LEDGER[0], amount=Decimal("1234.5678"))], roster=[{"payee": "kim"}]
    )
    small = incentives.load_plan(PLAN_TEXT).run(records, period="2026-03")
    examples = [(o.title, o.passed, o.checked) for o in incentives.run_examples(plan.ir)]
    _, found = incentives.check_source(incentives.SourceFile("x.plan", PLAN_TEXT + "let k = 1/3\n"))
    return [result.model_dump_json(), small.model_dump_json(), repr(examples), repr(found)]


def test_a_callers_decimal_context_neither_changes_results_nor_is_changed() -> None:
    expected = _everything()
    with decimal.localcontext(_hostile_context()) as ctx:
        before = _state(ctx)
        got = _everything()
        assert _state(decimal.getcontext()) == before
        # The caller's context still works as the caller set it.
        assert Decimal(1) / Decimal(8) == Decimal("0.125")
        with pytest.raises(decimal.Inexact):
            Decimal(1) / Decimal(3)
    assert got == expected


def test_the_default_context_is_not_touched() -> None:
    before = _state(decimal.DefaultContext)
    _everything()
    assert _state(decimal.DefaultContext) == before


def test_threads_with_their_own_contexts_get_the_same_results() -> None:
    expected = _everything()
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def work(prec: int) -> None:
        try:
            decimal.setcontext(decimal.Context(prec=prec, rounding=decimal.ROUND_UP))
            results.append(_everything())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(p,)) for p in (1, 5, 28, 80)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert results == [expected] * len(threads)


def test_the_engine_never_sets_a_global_context() -> None:
    # No module of the package may call setcontext or change getcontext().
    src = Path(incentives.__file__).parent
    offenders = [
        f"{path.relative_to(src)}:{number}"
        for path in sorted(src.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "setcontext(" in line or "getcontext()" in line
    ]
    assert not offenders, offenders


# ----------------------------------------------------------- tracebacks


def test_library_errors_never_show_a_traceback_even_with_debug(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    for args in (
        ("--debug", "check", "tests/robustness/plans/e101_unknown_name.plan"),
        ("--debug", "run", "plans/flat_rate.plan", "--data", "nope", "--period", "2026-03"),
    ):
        result = cli_invoke(*args)
        assert result.exit_code in (1, 2), result.output
        assert_no_traceback(result.stdout + result.stderr)


def test_an_internal_error_is_one_line_unless_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate a bug in the checker: exit 3, a one-line message asking for a
    # report, and the traceback only with --debug.
    import incentives.cli.check as check_command

    def broken(source: object) -> object:
        raise RuntimeError("simulated bug")

    monkeypatch.chdir(REPO)
    monkeypatch.setattr(check_command, "check_source", broken)
    quiet = cli_invoke("check", "plans/flat_rate.plan")
    assert quiet.exit_code == 3
    assert "Traceback" not in quiet.stderr
    assert "internal error" in quiet.stderr and "simulated bug" in quiet.stderr
    assert "--debug" in quiet.stderr
    loud = cli_invoke("--debug", "check", "plans/flat_rate.plan")
    assert loud.exit_code == 3
    assert "Traceback (most recent call last)" in loud.stderr


@pytest.mark.parametrize("kind", ["device", "named pipe"])
def test_a_plan_path_that_is_not_a_regular_file_is_never_read(tmp_path: Path, kind: str) -> None:
    if kind == "device":
        if not Path("/dev/zero").exists():
            pytest.skip("needs /dev/zero")
        path = tmp_path / "zero.plan"
        path.symlink_to("/dev/zero")  # reading it would never end
    else:
        path = tmp_path / "pipe.plan"
        os.mkfifo(path)  # reading it would block
    assert f"is a {kind}, not a file" in str(_usage(incentives.load_plan, path))


def test_a_plan_file_far_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    from incentives.pipeline import MAX_PLAN_BYTES

    path = tmp_path / "huge.plan"
    with path.open("wb") as handle:
        handle.truncate(MAX_PLAN_BYTES + 1)  # sparse: no memory, no disk
    assert "the limit is" in str(_usage(incentives.load_plan, path))
