"""The ``incentives`` command line: thin commands over the library.

Commands, one module each:

=========== =============================================================
``check``   diagnostics of plans (:mod:`incentives.cli.check`)
``run``     statements as a table, JSON or CSV; ``--out`` writes an audit
            bundle atomically; ``--opening``/``--closing`` carry state
            (:mod:`incentives.cli.run`)
``explain`` one payee's statement as a trace tree (:mod:`incentives.cli.explain`)
``test``    the examples plans carry, as tests (:mod:`incentives.cli.test`)
``audit``   re-run a bundle and compare it byte for byte (:mod:`incentives.cli.audit`)
``diff``    what two plans pay on the same data (:mod:`incentives.cli.diff`)
``plot``    the pay curve of a plan (:mod:`incentives.cli.plot`)
``doc``     the plan as a document for payees (:mod:`incentives.cli.doc`)
``fmt``     the canonical layout of plans (:mod:`incentives.cli.fmt`)
``report``  where the team stands mid-period: targets to date, pace,
            projection, as HTML or JSON (:mod:`incentives.cli.report`)
``schema``  the JSON Schema of run results (:mod:`incentives.cli.schema`)
=========== =============================================================

Output is plain, deterministic UTF-8 text when stdout is not a terminal (a
pipe, a file, a test): no colour, no terminal-width dependence. On a
terminal, tables and trees are drawn with rich. ``check`` and ``test`` report
findings, so their diagnostics are their output, on stdout; every other
command prints its results on stdout and its diagnostics, errors and notes on
stderr; an error about the invocation itself (a bad option, a file that
cannot be read) goes to stderr for every command (docs/cli.md says the same).

Exit codes (DESIGN §6):

* **0** — success: no errors found, every example passed, statements written.
* **1** — findings: a plan has errors (:class:`~incentives.errors.PlanError`),
  an example failed, warnings under ``check --strict``, or a value cannot be
  computed (:class:`~incentives.errors.EvaluationError`: the plan and the data
  are each valid, but together they hit a zero quota or a missing rate; it is
  reported as diagnostics tied to the rule, like a plan finding).
* **2** — usage or input error: a bad option or argument (click), a bad
  period, a missing file or directory (:class:`~incentives.errors.UsageError`),
  input data that failed validation (:class:`~incentives.errors.DataError`),
  an unknown payee for ``explain``, an output directory that cannot be written.
* **3** — internal error: a bug in incentives
  (:class:`~incentives.errors.InternalError` or any unexpected exception). It
  prints ``internal error: …, please report it``; the traceback only with the
  global ``--debug`` option.

If the reader of stdout goes away (``incentives run … | head``), the command
stops quietly with 1, as click does.

Library errors are printed as diagnostics (with the plan line and a caret
when they point into a plan), followed by ``error: <message>``; never as a
traceback.
"""

from __future__ import annotations

import importlib
from importlib.util import find_spec

import click

from incentives._version import __version__
from incentives.cli._common import CliState, IncentivesGroup

__all__ = ["COMMANDS", "cli", "main"]

#: Every subcommand, by name; each lives in ``incentives.cli.<name>`` and is
#: that module's ``command``. Modules are imported only when their command is
#: used, so ``incentives check`` never pays for Jinja2 or matplotlib.
COMMANDS = (
    "audit",
    "check",
    "diff",
    "doc",
    "explain",
    "fmt",
    "plot",
    "report",
    "run",
    "schema",
    "test",
)


class _Commands(IncentivesGroup):
    """The subcommands, imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if find_spec(f"incentives.cli.{name}") is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.list_commands(ctx):
            return None
        module = importlib.import_module(f"incentives.cli.{cmd_name}")
        command = module.command
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", prog_name="incentives", message="%(prog)s %(version)s"
)
@click.option("--debug", is_flag=True, help="show the traceback of an internal error")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Compute sales incentive pay from plain-text plans: exact, deterministic, explained."""
    ctx.obj = CliState(debug=debug)


# The modules stay reachable as ``incentives.cli.run`` etc.; only their
# commands are registered.


def main() -> None:
    """The console entry point (``incentives``)."""
    cli.main(prog_name="incentives")
