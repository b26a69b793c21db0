"""The Jinja2 environment of the HTML pages (statements, the team's standing).

Contract: :func:`html_environment` returns one shared environment that loads
templates from the installed package (``incentives/report/templates``, so
they ship in the wheel), autoescapes every value, fails on an undefined name
instead of printing nothing, and renders the same bytes for the same input
(no reloading, block whitespace trimmed, trailing newline kept).
"""

from __future__ import annotations

import functools

import jinja2

__all__ = ["html_environment"]


@functools.cache
def html_environment() -> jinja2.Environment:
    """The environment the HTML renderers load their templates from."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("incentives.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
