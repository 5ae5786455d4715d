"""Plan -> text, HTML and the spine diagram (no Qt here; the PDF writer is `report.pdf`).

The renderers load on first use, so a caller that needs only `report.common` pays for nothing else.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {"render_html": "html", "render_text": "text", "spine_svg": "diagram"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"vcf_desktop.report.{_EXPORTS[name]}"), name)
    raise AttributeError(name)
