"""``scripts/fuzz`` and ``benchmarks/parse_bench.py`` keep working (smoke tests).

The fuzzer's exit code says whether it found a failure, which is the fuzz
tests' business; here it must run, count its inputs and print its summary.
The benchmark must print a row per input; no timing is asserted.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .support import REPO


def _python(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_fuzzer_counts_its_inputs_and_summarises() -> None:
    done = _python(
        "scripts/fuzz", "--examples", "40", "--batch", "10", "--seed", "1", "--target", "checked"
    )
    assert done.returncode in (0, 1), done.stderr
    tried = re.search(r"^tried ([\d,]+) inputs in", done.stdout, re.MULTILINE)
    assert tried and int(tried.group(1).replace(",", "")) >= 40, done.stdout
    assert "summary" in done.stdout and "checked" in done.stdout


def test_the_fuzzer_refuses_an_unknown_target() -> None:
    done = _python("scripts/fuzz", "--target", "nope", "--seconds", "1")
    assert done.returncode == 2
    assert "unknown target" in done.stderr


def test_the_benchmark_prints_a_row_per_input() -> None:
    done = _python(
        "benchmarks/parse_bench.py",
        "--quick",
        "--repeat",
        "1",
        "--case",
        "size limit",
        "--case",
        "NUL",
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith(("over the", "NUL"))]
    assert len(rows) == 2, done.stdout
    assert "E005 at 1:1" in rows[0] and "E003 at 1:1" in rows[1]
