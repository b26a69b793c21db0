"""The plan AST: frozen, slotted dataclasses with a span on every node."""

from incentives.ast.nodes import *  # noqa: F403
from incentives.ast.nodes import __all__  # noqa: F401
