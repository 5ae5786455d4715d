"""A one-line message that names a list of things and still fits its line: as many names as fit, then how many
more ("…: Fever, IV drug use and 9 more")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontMetrics


def fitted_list(head: str, names: list[str], metrics: QFontMetrics, width: int) -> str:
    """`head: name, name, …` with the first names that fit in `width` pixels and the count of the others;
    `head` alone when no name fits (the head, which says what was done and how often, is never cut)."""
    for shown in range(len(names), 0, -1):
        rest = len(names) - shown
        more = " " + QCoreApplication.translate("FittedText", "and %1 more").replace("%1", str(rest)) if rest else ""
        text = f"{head}: {', '.join(names[:shown])}{more}"
        if metrics.horizontalAdvance(text) <= width:
            return text
    return head
