"""``incentives doc PLAN``: the written plan, generated from the plan (Markdown or HTML).

Prints (or writes with ``--output FILE``, atomically) a human-readable
document of the plan (:mod:`incentives.report.plandoc`): who it covers, the
pay period, each component in plain words with its bands, the measures and
targets, rounding, the data it reads, the worked examples as tables and the
plan's text. ``--data DIR`` adds the roster's payees who are on the plan.
The format is ``--format``, else the suffix of ``--output`` (``.md`` or
``.markdown``: Markdown; ``.html`` or ``.htm``: HTML; any other suffix, or
none, is refused, exit 2, listing these), else Markdown.

Exit: 0 when the document is written and every example passes; 1 if the plan
has errors, or an example fails (the document is still written, and says
which); 2 for a missing file, invalid data, an output file whose suffix names
no format, or one that cannot be written.
"""

from __future__ import annotations

from pathlib import Path

import click

from incentives.cli._common import EXIT_FINDINGS, emit, load, output_format
from incentives.data import Dataset
from incentives.errors import UsageError
from incentives.report.files import write_atomically
from incentives.report.plandoc import plan_document, render_html, render_markdown

__all__ = ["doc"]

#: The suffixes ``--output`` may have, and the format each means.
_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


@click.command("doc")
@click.argument("plan_path", metavar="PLAN")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["markdown", "html"]),
    help="default: from --output (.md/.markdown or .html/.htm), else markdown",
)
@click.option("--output", "-o", metavar="FILE", help="write FILE.md or FILE.html")
@click.option("--data", "data_dir", metavar="DIR", help="list the roster's payees on the plan")
@click.pass_context
def doc(
    ctx: click.Context,
    plan_path: str,
    file_format: str | None,
    output: str | None,
    data_dir: str | None,
) -> None:
    """Write the plan as a document people can read: Markdown or HTML."""
    chosen = output_format(file_format, output, _SUFFIXES, "markdown")
    plan = load(plan_path)
    roster = None
    if data_dir is not None:
        roster = list(plan.validate(Dataset.from_dir(data_dir)).roster.values())
    document = plan_document(plan.ir, roster=roster)
    rendered = render_html(document) if chosen == "html" else render_markdown(document)
    if output is None:
        emit(rendered)
    else:
        target = Path(output)
        try:
            write_atomically(target.parent, [(target.name, rendered.encode("utf-8"))])
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise UsageError(f"cannot write `{output}`: {reason}") from None
        emit(f"wrote {output}\n", err=True)
    if document.failed:
        emit(
            f"error: {document.failed} of {document.examples} examples fail; "
            "the document says which (`incentives test` shows why)\n",
            err=True,
        )
        ctx.exit(EXIT_FINDINGS)


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = doc
