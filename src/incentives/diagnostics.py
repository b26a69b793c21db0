"""Diagnostics: problems found in a plan or in data, as values.

Contract: checking never raises for a user's mistake; it returns a list of
:class:`Diagnostic`. Each has a stable code (documented in ``docs/errors.md``),
a severity, a message that names the thing, a primary span, related spans
("declared here") and an optional hint. Sorting is deterministic: by file,
line, column, then code.

Codes by family:

* ``E0xx`` syntax (parse)
* ``E1xx`` names: unknown, duplicate, reserved, unused (``W110``)
* ``E2xx`` types, units and currencies
* ``E3xx`` tiers, rate tables
* ``E4xx`` plan structure: header, quotas, components, cycles
* ``E5xx`` embedded examples
* ``D6xx`` input data (file, row, column)
* ``R7xx`` evaluation (a payee, a period and the rule)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from incentives.source import Span

__all__ = ["Diagnostic", "Related", "Severity", "has_errors", "sort_diagnostics"]


class Severity(enum.StrEnum):
    """How bad a finding is; only errors stop a plan from running."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Related:
    """A secondary place that explains a diagnostic ("declared here")."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding with its place in the source.

    >>> from incentives.source import Span
    >>> d = Diagnostic("E101", "unknown name `sale`", Span("a.plan", 2, 9, 2, 13))
    >>> d.severity.value, str(d.span)
    ('error', 'a.plan:2:9')
    """

    code: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    hint: str | None = None
    related: tuple[Related, ...] = field(default_factory=tuple)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in source order, duplicates removed."""
    unique = {(d.sort_key(), d.hint, d.related, d.severity): d for d in diagnostics}
    return [unique[k] for k in sorted(unique, key=lambda k: k[0])]


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
