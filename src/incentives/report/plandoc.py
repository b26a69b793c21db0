"""The written plan, generated from the plan itself: Markdown and HTML (``incentives doc``).

Contract: :func:`plan_document` builds the document of a compiled plan
(:mod:`incentives.report.plandoc_model`: who it covers, each component in
plain words with its bands, the measures and targets, rounding, the data it
reads, its terms, the worked examples and the plan's text), running the
plan's examples to state whether each passes. :func:`render_markdown` and
:func:`render_html` render it with the Jinja2 templates
``templates/plandoc.md.j2`` and ``templates/plandoc.html.j2`` (shipped in the
package, loaded with :class:`jinja2.PackageLoader`).

Safety: every piece of text passes through
:func:`~incentives.report._text.visible` (no control or bidirectional
character can reorder what a payee reads). HTML is autoescaped; the page is
self-contained (inline CSS, no script, image, font or link to fetch, and a
``Content-Security-Policy`` that forbids fetching any); the plan's text is
highlighted with :class:`~incentives.lexer.PlanLexer`. In Markdown every value
is escaped (a finalizer escapes anything a filter did not render), and code
is set in code spans or a fenced block long enough for its backticks.

Determinism: the output depends only on the plan text (and the roster, when
given), never on the clock, locale or environment; the plan file appears by
its base name and SHA-256. The same input renders the same bytes (UTF-8,
``\\n`` line ends, one final newline).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

import jinja2
from markupsafe import Markup, escape
from pygments import highlight  # type: ignore[import-untyped]
from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped]

from incentives.compile import ir
from incentives.data import Payee
from incentives.examples import run_examples
from incentives.lexer import PlanLexer
from incentives.report._text import visible
from incentives.report.plandoc_model import PlanDocument, Words, build_document

__all__ = ["plan_document", "render_html", "render_markdown"]


def plan_document(plan: ir.Plan, *, roster: Iterable[Payee] | None = None) -> PlanDocument:
    """The document of ``plan``, its examples run; ``roster`` lists who is on it."""
    return build_document(plan, run_examples(plan), roster=roster)


def render_markdown(document: PlanDocument) -> str:
    """The document as Markdown text."""
    template = _environment("md").get_template("plandoc.md.j2")
    text = _tidy(template.render(doc=document, plan_text=Markup(_PLACEHOLDER)))
    return text.replace(_PLACEHOLDER, _fence(document.source))


def render_html(document: PlanDocument) -> str:
    """The document as one self-contained HTML page."""
    source = _visible_text(document.source)
    html = highlight(source, PlanLexer(), HtmlFormatter(nowrap=True)).rstrip("\n")
    template = _environment("html").get_template("plandoc.html.j2")
    text = _tidy(template.render(doc=document, highlighted=Markup(_PLACEHOLDER)))
    return text.replace(_PLACEHOLDER, html)


#: Where the plan's text goes: it is put in after tidying, byte for byte.
#: (``visible`` shows a NUL in any other text as ``\u0000``, so no text can
#: contain this.)
_PLACEHOLDER = "\x00plan-text\x00"


def _tidy(text: str) -> str:
    """One blank line at most between blocks, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def _visible_text(text: str) -> str:
    # Keep line ends and tabs; show any other control or bidi character.
    return "\n".join("\t".join(visible(p) for p in line.split("\t")) for line in text.split("\n"))


# -------------------------------------------------------------------- HTML


def _html_words(words: Words) -> Markup:
    parts = []
    for kind, value in words:
        shown = escape(visible(value))
        parts.append(Markup("<code>{}</code>").format(shown) if kind == "code" else shown)
    return Markup("").join(parts)


# ---------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
_SPACES = re.compile(r"\s+")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def md_escape(text: str) -> str:
    """Prose for Markdown: every character with a meaning is backslash-escaped.

    >>> md_escape("a_b *c* | <d> #1")
    'a\\\\_b \\\\*c\\\\* \\\\| \\\\<d\\\\> \\\\#1'
    >>> md_escape("1. first")
    '1\\\\. first'
    """
    return _escape_line_start(_escape_inline(text))


def _escape_inline(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _SPACES.sub(" ", visible(text)))


def _code_span(source: str, *, in_table: bool) -> str:
    shown = visible(source)
    if in_table:
        shown = shown.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def _md_words(words: Words, *, in_table: bool = False) -> Markup:
    out = []
    for kind, value in words:
        if kind == "code":
            out.append(_code_span(value, in_table=in_table))
        else:
            out.append(_escape_inline(value))
    joined = "".join(out)
    if not in_table:
        joined = _escape_line_start(joined)
    return Markup(joined)


def _escape_line_start(text: str) -> str:
    match = _MD_LINE_START.match(text)
    if not match:
        return text
    marker = match.group(2)
    return text[: match.start(2)] + marker[:-1] + "\\" + marker[-1:] + text[match.end(2) :]


def _fence(source: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    body = _visible_text(source).rstrip("\n")
    return f"{fence}plan\n{body}\n{fence}"


def _md_finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(str(value)))


@functools.cache
def _environment(kind: str) -> jinja2.Environment:
    options: dict[str, Any] = {
        "loader": jinja2.PackageLoader("incentives.report", "templates"),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "auto_reload": False,
    }
    if kind == "html":
        env = jinja2.Environment(autoescape=True, finalize=_html_finalize, **options)
        env.filters["words"] = _html_words
        env.filters["cell"] = _html_words
        return env
    env = jinja2.Environment(autoescape=False, finalize=_md_finalize, **options)
    env.filters["words"] = _md_words
    env.filters["cell"] = functools.partial(_md_words, in_table=True)
    env.filters["raw_code"] = lambda value: Markup(visible(str(value)).replace("`", "'"))
    return env


def _html_finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return visible(str(value))
