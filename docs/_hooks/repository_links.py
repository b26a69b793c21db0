"""MkDocs hook: links from the docs into the rest of the repository.

The Markdown in ``docs/`` is also read on its own, in a checkout or on a code
host, where a link such as ``[`plans/`](../plans)`` opens the bundled plans.
The site holds only ``docs/``, so there such a link leads nowhere; this hook
shows its text without the link. A link to a repository path that does not
exist is reported as a warning, so ``mkdocs build --strict`` still fails on
it. Links inside ``docs/`` are left to MkDocs' own validation.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]+)\]\((?P<target>[^)\s#]*)(?P<anchor>#[^)\s]*)?\)")


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    docs = Path(config["docs_dir"]).resolve()
    root = Path(config["config_file_path"]).resolve().parent
    here = (docs / page.file.src_path).parent

    def unlink(match: re.Match[str]) -> str:
        target = match["target"]
        if not target or ":" in target or target.startswith("/"):
            return match[0]
        path = (here / target).resolve()
        if path.is_relative_to(docs):
            return match[0]
        if not path.is_relative_to(root) or not path.exists():
            log.warning(
                "Doc file '%s' links to '%s', which is not in the repository.",
                page.file.src_path,
                target,
            )
            return match[0]
        return match["text"]

    parts = []
    start = 0
    for fence in _FENCE.finditer(markdown):
        parts.append(_LINK.sub(unlink, markdown[start : fence.start()]))
        parts.append(fence[0])
        start = fence.end()
    parts.append(_LINK.sub(unlink, markdown[start:]))
    return "".join(parts)
