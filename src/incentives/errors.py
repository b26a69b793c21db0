"""The exception tree. Every error the library raises on purpose is here.

::

    IncentivesError                 base of everything below
    ├── PlanError                   a plan cannot be used; carries all diagnostics
    │   ├── PlanSyntaxError         the text does not parse (one diagnostic)
    │   └── PlanCheckError          it parses but the checker found errors
    ├── DataError                   input data failed validation; carries all
    │                               row diagnostics (file, row, column)
    ├── EvaluationError             data and plan are valid but a value cannot be
    │                               computed (zero quota, no band, missing rate)
    ├── UsageError                  a caller passed something unusable (a float,
    │                               a bad period string, a missing file)
    └── InternalError               a bug in incentives; please report it

Library code raises these; the CLI turns them into rendered diagnostics and
exit codes (1 for findings, 2 for usage or input errors) and never shows a
traceback for them. An error about a file that is not in a plan's or a
table's terms (an opening state) lists its problems as ``details``, one line
each, below the message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from incentives.diagnostics import Diagnostic

__all__ = [
    "DataError",
    "EvaluationError",
    "IncentivesError",
    "InternalError",
    "PlanCheckError",
    "PlanError",
    "PlanSyntaxError",
    "UsageError",
]


class IncentivesError(Exception):
    """Base class of every error raised by incentives on purpose."""

    def __init__(
        self,
        message: str,
        diagnostics: Iterable[Diagnostic] = (),
        *,
        details: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        #: Every finding behind the error, in source order.
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        #: Problems that are not diagnostics (no plan or table location), one line each.
        self.details: tuple[str, ...] = tuple(details)


class PlanError(IncentivesError):
    """A plan cannot be used. ``diagnostics`` holds every finding."""


class PlanSyntaxError(PlanError):
    """The plan text does not parse."""


class PlanCheckError(PlanError):
    """The plan parses, but the checker found errors."""


class DataError(IncentivesError):
    """Input data failed validation; nothing was computed from it."""


class EvaluationError(IncentivesError):
    """A value could not be computed for a payee and period."""


class UsageError(IncentivesError):
    """The caller passed something unusable."""


class InternalError(IncentivesError):
    """A bug in incentives: an invariant the checker should guarantee broke."""
