"""Same inputs, same bytes: across processes, hash seeds, locales, time zones,
row orders and chunkings (INVARIANTS 1-5).

The CLI runs in fresh interpreters (in parallel, to keep the test quick) on
the retail example for a whole quarter, printing JSON with traces and
writing an ``--out`` bundle; every byte printed or written must be the same.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import incentives

from .support import REPO, assert_no_traceback, cli_subprocess, snapshot

PLAN = REPO / "plans" / "retail_floor.plan"
DATA = REPO / "examples" / "retail"
ARGS = ("run", "plan.plan", "--data", "data", "--period", "2026-02", "--to", "2026-03")

ENVIRONMENTS = {
    "baseline": {"PYTHONHASHSEED": "0", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC"},
    "turkish-utf8-mode": {
        "PYTHONHASHSEED": "12345",
        "PYTHONUTF8": "1",
        "LANG": "tr_TR.UTF-8",
        "LC_ALL": "tr_TR.UTF-8",
        "TZ": "Pacific/Kiritimati",
    },
    "ascii": {"PYTHONHASHSEED": "random", "LANG": "C", "LC_ALL": "C", "TZ": "America/St_Johns"},
    "latin1": {
        "PYTHONHASHSEED": "4294967295",
        "LANG": "de_DE.ISO-8859-1",
        "LC_ALL": "de_DE.ISO-8859-1",
        "TZ": "Asia/Kathmandu",
        "PYTHONUTF8": "0",
        "PYTHONIOENCODING": "latin-1",
    },
}


def _ledger_variants(text: str) -> dict[str, str]:
    """The same ledger rows: shuffled, reversed with CRLF, and in chunks."""
    header, *rows = text.splitlines()
    shuffled = rows[:]
    random.Random(20260301).shuffle(shuffled)
    chunks = [rows[i : i + 17] for i in range(0, len(rows), 17)]
    random.Random(7).shuffle(chunks)
    return {
        "shuffled": "\n".join([header, *shuffled]) + "\n",
        "reversed-crlf": "\r\n".join([header, *reversed(rows)]) + "\r\n",
        "chunks-with-blank-lines": "\ufeff"
        + header
        + "\n"
        + "\n\n".join("\n".join(chunk) for chunk in chunks)
        + "\n",
    }


def _workspace(root: Path, ledger: str | None = None) -> Path:
    root.mkdir()
    shutil.copy(PLAN, root / "plan.plan")
    shutil.copytree(DATA, root / "data")
    if ledger is not None:
        (root / "data" / "ledger.csv").write_bytes(ledger.encode("utf-8"))
    return root


def _outcome(root: Path, env: dict[str, str]) -> dict[str, bytes | None]:
    printed = cli_subprocess(
        *ARGS, "--format", "json", "--trace", "--out", "out", cwd=root, env=env
    )
    assert_no_traceback(printed.stderr.decode("utf-8", "replace"))
    assert printed.returncode == 0, printed.stderr
    return {"stdout": printed.stdout, **snapshot(root / "out")}


def _without_inputs(outcome: dict[str, bytes | None]) -> dict[str, bytes | None]:
    """The outcome minus what legitimately records the input files' bytes."""
    kept = {k: v for k, v in outcome.items() if not k.startswith("inputs")}
    manifest = json.loads(kept.pop("manifest.json") or b"{}")
    manifest.pop("inputs", None)
    kept["manifest without inputs"] = json.dumps(manifest, sort_keys=True).encode()
    return kept


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes | None]]:
    base = tmp_path_factory.mktemp("determinism")
    ledger = (DATA / "ledger.csv").read_text(encoding="utf-8")
    jobs: dict[str, tuple[Path, dict[str, str]]] = {}
    for name, env in ENVIRONMENTS.items():
        jobs[f"env {name}"] = (_workspace(base / f"env-{name}"), env)
    for name, variant in _ledger_variants(ledger).items():
        jobs[f"ledger {name}"] = (
            _workspace(base / f"ledger-{name}", variant),
            ENVIRONMENTS["baseline"],
        )
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        futures = {name: pool.submit(_outcome, root, env) for name, (root, env) in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def _locale_in_effect(env: dict[str, str]) -> str:
    """The locale a process started with ``env`` really gets (C when it is not installed)."""
    done = subprocess.run(
        [sys.executable, "-c", "import locale; print(locale.setlocale(locale.LC_ALL, ''))"],
        env={**os.environ, **env},
        capture_output=True,
        check=False,
    )
    return done.stdout.decode("ascii", "replace").strip() if done.returncode == 0 else "C"


@pytest.mark.parametrize("name", [f"env {n}" for n in ENVIRONMENTS if n != "baseline"])
def test_environment_does_not_change_a_byte(
    outcomes: dict[str, dict[str, bytes | None]], name: str
) -> None:
    env = ENVIRONMENTS[name.removeprefix("env ")]
    wanted = env["LC_ALL"]
    if wanted not in ("C", "C.UTF-8") and _locale_in_effect(env) != wanted:
        # Without the locale the process silently runs in C: the test would
        # prove nothing about it. CI installs it (.ci/run) and requires it.
        if os.environ.get("INCENTIVES_REQUIRE_LOCALES"):
            pytest.fail(f"the {wanted} locale is not installed (localedef, see .ci/run)")
        pytest.skip(f"the {wanted} locale is not installed on this machine")
    baseline = outcomes["env baseline"]
    assert sorted(outcomes[name]) == sorted(baseline)
    for key, data in baseline.items():
        assert outcomes[name][key] == data, f"{key} differs under {name}"


@pytest.mark.parametrize(
    "name", ["ledger shuffled", "ledger reversed-crlf", "ledger chunks-with-blank-lines"]
)
def test_row_order_and_chunking_do_not_change_a_byte(
    outcomes: dict[str, dict[str, bytes | None]], name: str
) -> None:
    baseline = _without_inputs(outcomes["env baseline"])
    variant = _without_inputs(outcomes[name])
    assert sorted(variant) == sorted(baseline)
    for key, data in baseline.items():
        assert variant[key] == data, f"{key} differs for the {name}"


def test_the_outputs_say_something(outcomes: dict[str, dict[str, bytes | None]]) -> None:
    baseline = outcomes["env baseline"]
    assert b'"statements"' in (baseline["stdout"] or b"")
    assert b'"trace"' in (baseline["stdout"] or b"")
    assert len(baseline) > 3, "the bundle holds files"


# ------------------------------------------------------------ in one process


def _records(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _chunks(rows: list[dict[str, str]], size: int) -> Iterator[dict[str, str]]:
    """The rows as a lazy stream of chunks, the way a paging API hands them over."""
    return itertools.chain.from_iterable(
        (dict(row) for row in rows[i : i + size]) for i in range(0, len(rows), size)
    )


def _amounts(result: incentives.RunResult) -> list[tuple[object, ...]]:
    return [
        (s.payee, s.period, s.total, tuple((line.component, line.amount) for line in s.lines))
        for s in result.statements
    ]


@pytest.mark.parametrize("size", [1, 7, 50, 10_000])
def test_records_in_chunks_pay_what_the_csv_pays(size: int) -> None:
    plan = incentives.load_plan(PLAN)
    from_csv = plan.run(incentives.Dataset.from_dir(DATA), period="2026-01", to="2026-03")
    ledger = _records(DATA / "ledger.csv")
    random.Random(size).shuffle(ledger)
    dataset = incentives.Dataset.from_records(
        ledger=_chunks(ledger, size),
        roster=_records(DATA / "roster.csv"),
        quotas=_records(DATA / "quotas.csv"),
        metrics=_records(DATA / "metrics.csv"),
    )
    from_records = plan.run(dataset, period="2026-01", to="2026-03")
    assert _amounts(from_records) == _amounts(from_csv)
    assert from_records.rows == from_csv.rows


def test_the_same_run_twice_in_one_process_is_identical() -> None:
    plan = incentives.load_plan(PLAN)
    first = plan.run(incentives.Dataset.from_dir(DATA), period="2026-01", to="2026-03")
    again = incentives.load_plan(PLAN).run(
        incentives.Dataset.from_dir(DATA), period="2026-01", to="2026-03"
    )
    assert first.model_dump_json() == again.model_dump_json()
