"""The pipeline as one readable column of stages, and the library's front door.

Contract: :func:`load_plan` reads plan text (from a file or a string),
parses, checks and compiles it, and returns a :class:`Plan`, or raises
:class:`~incentives.errors.PlanError` carrying *every* diagnostic. A
:class:`Plan` is immutable and can run any number of datasets; running one
validates the data first and computes nothing from invalid data::

    text ──parse──► AST ──check──► CheckedPlan ──compile──► IR
                                                             │
    Dataset ──validate──► ValidatedData ──evaluate(periods)──┴──► RunResult
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from incentives.check import check
from incentives.compile import compile_plan, ir
from incentives.data import Dataset, ValidatedData
from incentives.data.csv_source import FileTooLarge, UnreadableFile, read_file
from incentives.diagnostics import Diagnostic, Severity
from incentives.errors import PlanCheckError, PlanSyntaxError, UsageError
from incentives.evaluate import evaluate, requirements
from incentives.gcpause import collection_paused
from incentives.parse import MAX_PLAN_CHARS, decode_source, parse_source
from incentives.periods import Period
from incentives.results import RunResult
from incentives.results.state import StateSnapshot
from incentives.source import SourceFile

__all__ = ["Plan", "check_source", "load_plan", "read_plan_file"]

_PLAN_TEXT = re.compile(r'\s*plan\s+"')


#: Largest plan file read: the character limit at four bytes a character, and a BOM.
MAX_PLAN_BYTES = 4 * MAX_PLAN_CHARS + 3


def read_plan_file(path: str | os.PathLike[str]) -> SourceFile:
    """Read a ``.plan`` file as UTF-8 (a BOM is allowed) under the name given.

    Raises:
        UsageError: if the path is not a path or the file cannot be read.
        PlanSyntaxError: if it is not UTF-8 text.
    """
    if not isinstance(path, str | os.PathLike):
        raise UsageError(f"a plan is a path or plan text (a str); got {type(path).__name__}")
    name = os.fspath(path)
    if not isinstance(name, str):
        raise UsageError("a plan path is a str or a pathlib.Path, not bytes")
    if "\0" in name:  # no file can have that name
        raise UsageError(f"{name!r}: not a file name (it contains a NUL character)")
    try:
        # a regular file only, checked before a byte is read: never a device
        # (/dev/zero never ends) nor a named pipe (it would block)
        data = read_file(name, limit=MAX_PLAN_BYTES)
    except UnreadableFile as exc:
        if exc.missing:
            raise UsageError(f"{name}: no such plan file") from None
        raise UsageError(f"{exc.message}; a plan is a text file") from None
    except FileTooLarge as exc:
        raise UsageError(
            f"{name}: the plan file is {exc.size:,} bytes; the limit is {MAX_PLAN_BYTES:,} "
            "(split it into smaller plans)"
        ) from None
    return decode_source(name, data, digest=hashlib.sha256(data).hexdigest())


def check_source(source: SourceFile) -> tuple[Plan | None, list[Diagnostic]]:
    """Parse, check and compile; never raises for a mistake in the plan."""
    with collection_paused():
        try:
            ast = parse_source(source)
        except PlanSyntaxError as exc:
            return None, exc.diagnostics
        result = check(ast, source)
        if result.plan is None:
            return None, result.diagnostics
        return Plan(compile_plan(result.plan), result.diagnostics), result.diagnostics


def load_plan(plan: str | os.PathLike[str], *, filename: str | None = None) -> Plan:
    """Load a plan from a file path or from plan text.

    A :class:`os.PathLike` is always a path. A ``str`` is plan text if it
    contains a line break or starts like a plan (``plan "…``); otherwise it is
    a path.

    Args:
        plan: a path, or the text of a plan.
        filename: the name diagnostics use for plan text (default ``<plan>``).

    Raises:
        PlanSyntaxError: the text does not parse (one diagnostic).
        PlanCheckError: the plan has errors (every diagnostic, warnings too).
        UsageError: the file cannot be read.
    """
    if isinstance(plan, str) and ("\n" in plan or _PLAN_TEXT.match(plan)):
        source = SourceFile(filename or "<plan>", plan)
    else:
        source = read_plan_file(plan)
    loaded, diagnostics = check_source(source)
    if loaded is None:
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        first = errors[0] if errors else diagnostics[0]
        count = len(errors)
        message = f"{first.span}: {first.message}"
        if count > 1:
            message += f" (and {count - 1} more error{'s' if count > 2 else ''})"
        kind = PlanSyntaxError if first.code.startswith("E0") else PlanCheckError
        raise kind(message, diagnostics)
    return loaded


@dataclass(frozen=True)
class Plan:
    """A checked, compiled plan, ready to run on data."""

    #: The compiled plan the evaluator runs.
    ir: ir.Plan
    #: The checker's warnings (a loaded plan has no errors).
    diagnostics: Sequence[Diagnostic] = ()

    @property
    def name(self) -> str:
        return self.ir.name

    @property
    def version(self) -> str:
        return self.ir.version

    @property
    def currency(self) -> str:
        return self.ir.currency

    @property
    def source(self) -> SourceFile:
        return self.ir.source

    def period(self, text: str) -> Period:
        """A pay period of this plan from its label or a date inside it.

        Raises:
            UsageError: if ``text`` is not a ``str`` naming one of this plan's
                periods (a week or fortnight cut short by the calendar's edge
                cannot be named: see :mod:`incentives.periods`).
        """
        if not isinstance(text, str):
            raise UsageError(
                f"a period is text, like {self.ir.scheme.example_label()!r}; "
                f"got {type(text).__name__} {_shown(text)}"
            )
        try:
            return self.ir.scheme.parse(text)
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    def periods(self, first: str | Period, last: str | Period | None = None) -> list[Period]:
        """Consecutive pay periods from ``first`` to ``last`` (inclusive).

        Raises:
            UsageError: for a bad period, or a range that ends before it starts.
        """
        start = self._period(first)
        end = start if last is None else self._period(last)
        try:
            return self.ir.scheme.span(start, end)
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    def _period(self, given: str | Period) -> Period:
        """A period given as text, or as a :class:`Period` of this plan's kind."""
        if not isinstance(given, Period):
            return self.period(given)
        if self.ir.scheme.period_of(given.start) != given:
            raise UsageError(f"{given} is not a pay period of this plan")
        if not self.ir.scheme.is_whole(given):
            return self.period(given.label)  # refused, with the reason
        return given

    def validate(self, dataset: Dataset) -> ValidatedData:
        """Check a dataset against what this plan reads.

        Raises:
            DataError: with every problem in the data.
        """
        return dataset.validate(requirements(self.ir))

    def run(
        self,
        dataset: Dataset | ValidatedData,
        *,
        period: str | Period,
        to: str | Period | None = None,
        opening: StateSnapshot | None = None,
    ) -> RunResult:
        """Statements for ``period`` (through ``to``, if given).

        Args:
            dataset: the inputs.
            period: the first pay period (its label, or a date inside it).
            to: the last pay period, for a run over several.
            opening: for a plan that carries balances, the ``closing`` state
                of a run that ended just before ``period``; without it, the
                run starts from the day the plan starts.

        Raises:
            UsageError: for a bad period, or an opening state of another plan or
                not as of the period before ``period``.
            DataError: if the data is invalid for this plan, or the opening
                state names what the plan or the roster does not have, or holds
                what the engine never writes (``details`` lists each problem).
            EvaluationError: if a value cannot be computed.
        """
        if not isinstance(dataset, Dataset | ValidatedData):
            raise UsageError(
                "run() takes a Dataset; build one with Dataset.from_dir or from_records"
            )
        if opening is not None and not isinstance(opening, StateSnapshot):
            raise UsageError(
                "opening is the closing state of an earlier run (a StateSnapshot); "
                f"got {type(opening).__name__}"
            )
        return evaluate(self.ir, dataset, self.periods(period, to), opening=opening)


def _shown(value: object) -> str:
    """A short, one-line repr of a value a caller passed (or nothing, if it has none)."""
    try:
        text = repr(value)
    except Exception:  # an int of more than 4300 digits, a broken __repr__
        return ""
    return text if len(text) <= 40 else f"{text[:37]}..."
