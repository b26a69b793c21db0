"""Stage 1 of the pipeline: plan text → AST.

``parse(text, filename=...)`` returns an :class:`incentives.ast.PlanFile` or
raises :class:`incentives.errors.PlanSyntaxError` with one located diagnostic;
``decode_source(name, data)`` turns a plan file's bytes into a
:class:`~incentives.source.SourceFile` or refuses them (``E006``).
No module outside this package imports Lark.
"""

from incentives.parse.parser import MAX_PLAN_CHARS, grammar_text, parse, parse_source
from incentives.parse.text import decode_source

__all__ = ["MAX_PLAN_CHARS", "decode_source", "grammar_text", "parse", "parse_source"]
