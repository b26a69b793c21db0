"""Fuzzing, quick profile: grammar-derived and mutated plans, mutated plan files
and mutated CSV exports. The only exceptions allowed are the library's own,
and each of their diagnostics points at a place that exists.

The profile is derandomized (the same inputs on every CI run) and small;
``scripts/fuzz`` runs the same properties for as long as asked, with fresh
randomness. See ``tests/robustness/fuzzing.py`` for the strategies.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, given, settings

import incentives
from incentives.parse import parse

from .fuzzing import (
    DATA_PLAN,
    check_dataset_outcome,
    check_plan_file_outcome,
    check_plan_outcome,
    checked_plans,
    datasets,
    grammar,
    grammar_plans,
    hostile_plans,
    mutated_bytes,
    mutated_dataset,
)

#: The CI profile: deterministic, no example database, no deadline.
CI = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    # No explain phase: it traces every line and makes a failure slow to report.
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def ci(examples: int) -> settings:
    """The CI profile with ``examples`` inputs per property."""
    return settings(CI, max_examples=examples)


def test_the_grammar_model_can_end_every_rule() -> None:
    model = grammar()
    assert model.names(), "the name pool is not all keywords"
    unending = sorted(name for name, height in model.heights.items() if height >= 10**9)
    assert not unending, unending


@ci(60)
@given(grammar_plans())
def test_grammar_derived_plans_parse(text: str) -> None:
    parse(text, filename="derived.plan")


@ci(25)
@given(checked_plans())
def test_checked_plans_check_and_their_examples_run(text: str) -> None:
    outcome = check_plan_outcome(text)
    assert outcome.plan is not None, [(d.code, d.message) for d in outcome.diagnostics]


@ci(200)
@given(hostile_plans())
def test_hostile_plan_text_gets_a_plan_or_located_diagnostics(text: str) -> None:
    check_plan_outcome(text)


@ci(60)
@given(mutated_bytes(st.one_of(grammar_plans(), checked_plans())))
def test_hostile_plan_files_get_a_plan_or_located_diagnostics(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check_plan_file_outcome(data, Path(tmp))


_DATA_PLAN: incentives.Plan | None = None


def _data_plan() -> incentives.Plan:
    global _DATA_PLAN
    if _DATA_PLAN is None:
        _DATA_PLAN = incentives.load_plan(DATA_PLAN)
    return _DATA_PLAN


@ci(60)
@given(datasets())
def test_valid_exports_run_and_account_for_every_row(files: dict[str, bytes]) -> None:
    check_dataset_outcome(files, _data_plan())


@ci(120)
@given(mutated_dataset())
def test_broken_exports_get_a_result_or_located_diagnostics(files: dict[str, bytes]) -> None:
    check_dataset_outcome(files, _data_plan())
