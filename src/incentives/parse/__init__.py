"""Stage 1 of the pipeline: plan text → AST.

``parse(text, filename=...)`` returns an :class:`incentives.ast.PlanFile` or
raises :class:`incentives.errors.PlanSyntaxError` with one located diagnostic.
No module outside this package imports Lark.
"""

from incentives.parse.parser import grammar_text, parse, parse_source

__all__ = ["grammar_text", "parse", "parse_source"]
