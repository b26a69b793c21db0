"""Golden files: the exact diagnostics a plan author reads.

Each ``tests/golden/check/bad/<CODE>_<what>.plan`` must be refused, and its
rendered diagnostics must equal ``<name>.expected`` byte for byte
(``pytest --update-golden`` rewrites them). The file name starts with the
code the plan exists to show, and that code must be among the findings.
Every ``good/*.plan`` must check with no findings at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import incentives
from incentives.pipeline import read_plan_file
from incentives.report.diagnostics import render_text

GOLDEN = Path(__file__).parents[2] / "golden" / "check"
BAD = sorted((GOLDEN / "bad").glob("*.plan"))
GOOD = sorted((GOLDEN / "good").glob("*.plan"))


def _render(path: Path) -> tuple[str, list[incentives.Diagnostic]]:
    relative = path.relative_to(GOLDEN.parent.parent.parent).as_posix()
    source = read_plan_file(path)
    source = incentives.SourceFile(relative, source.text)
    _, found = incentives.check_source(source)
    return render_text(found, {relative: source}), found


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_plan_diagnostics(path: Path, golden: Callable[[Path, str], None]) -> None:
    text, found = _render(path)
    code = path.stem.split("_")[0]
    codes = {d.code for d in found}
    if code.endswith("x"):
        assert any(c.startswith(code[:-1]) for c in codes), codes
    else:
        assert code in codes, f"{path.name} should report {code}, got {sorted(codes)}"
    golden(path.with_suffix(".expected"), text)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_good_plan_has_no_findings(path: Path) -> None:
    text, found = _render(path)
    assert not found, text
