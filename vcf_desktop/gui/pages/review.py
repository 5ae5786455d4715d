"""Review: everything recorded, in the order it was entered, then what is not recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QWidget

from vcf_desktop.gui import applicability
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import FieldSpec, choice_text, number_text, resolve
from vcf_desktop.gui.fields import tr as field_tr
from vcf_desktop.gui.pages.base import DerivedPanel, StepPage, score_keys

#: Units of a count, said in the singular for one ("1 day", "1 point").
SINGULAR = {"days": "day", "weeks": "week", "months": "month", "years": "year", "points": "point"}
Groups = Callable[[], list[tuple[str, list[str]]]]
Invalid = Callable[[], list[tuple[str, str]]]


def display_value(spec: FieldSpec, value: Any, tr: Callable[[str], str]) -> str:
    """A recorded value as the user reads it: yes/no, words for codes, numbers with their unit."""
    if spec.kind == "bool" and isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if spec.kind == "choice" and isinstance(value, str):
        return choice_text(value, spec)
    if spec.kind == "multi" and isinstance(value, list):
        return ", ".join(choice_text(str(x)) for x in value) or tr("none")
    if spec.kind not in ("int", "float") or not isinstance(value, (int, float)):
        return str(value)
    text = number_text(value)
    unit = SINGULAR.get(spec.unit or "", spec.unit) if value == 1 else spec.unit
    if not unit:
        return text
    # A unit that is a scale ("0–10") reads as "4 (0–10)"; degrees follow the number closely ("12°"); other
    # units after a space.
    return f"{text} ({unit})" if unit[0].isdigit() else f"{text}°" if unit == "°" else f"{text} {unit}"


class ReviewPage(StepPage):
    """A readable summary of the draft: recorded values, entries not accepted, and what is not recorded."""

    def __init__(self, draft: CaseDraft, groups: Groups, invalid: Invalid, parent: QWidget | None = None) -> None:
        super().__init__(draft, self.tr("Review"), self.tr(
            "Check what is recorded. Anything listed as not recorded is treated as unknown, never as normal."),
            scroll=False, parent=parent)
        self.groups, self.invalid = groups, invalid

    def build(self) -> None:
        from vcf_desktop.gui.spine_widget import SpineWidget  # the diagram needs the models

        self.summary = QTextBrowser()
        self.summary.setAccessibleName(self.tr("Case summary"))
        self.summary.setOpenLinks(False)
        self.body_layout.addWidget(self.summary)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.spine = SpineWidget(self.draft)
        self.derived = DerivedPanel(score_keys())
        self.side.addWidget(self.spine, 1)
        self.side.addWidget(self.derived)

    def initializePage(self) -> None:
        super().initializePage()
        self.refresh()

    def _on_draft_changed(self, path: str) -> None:
        super()._on_draft_changed(path)
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self.ensure_built()
        self.summary.setHtml(self.html())

    def html(self) -> str:
        """One table, a block per step: each recorded value, then that step's unrecorded findings."""
        from html import escape  # noqa: PLC0415 - html.entities is a large table; not needed before the first paint

        tr = self.tr
        rows: list[str] = []
        counts = [0, 0]
        for title, paths in self.groups():
            rows.append(f"<tr><td colspan='2' style='background:#e3e8ec; padding:4px 6px'><b>{escape(title)}</b>"
                        "</td></tr>")
            blanks = []
            for path in (p for p in paths if applicability.applies(self.draft, p)):  # asked of this patient
                spec, value = resolve(path), self.draft.get(path)
                if value is None:
                    blanks.append(escape(field_tr(spec.title)))
                    continue
                rows.append(f"<tr><td width='34%' style='padding:1px 18px 1px 6px; color:#37474f'>{escape(field_tr(spec.title))}</td>"
                            f"<td><b>{escape(display_value(spec, value, tr))}</b></td></tr>")
            if blanks:
                rows.append(f"<tr><td colspan='2' style='padding:2px 6px 8px 6px; color:#8a4b00'><i>"
                            f"{escape(tr('Not recorded'))}:</i> {', '.join(blanks)}</td></tr>")
            counts[0] += sum(self.draft.get(p) is not None for p in paths)
            counts[1] += len(blanks)
        parts = []
        invalid = self.invalid()
        if invalid:
            items = "".join(f"<li><b>{escape(t)}</b>: {escape(m)}</li>" for t, m in invalid)
            parts.append(f"<div style='color:#b71c1c'><h3>{escape(tr('Entries not accepted (not recorded)'))}</h3>"
                         f"<ul>{items}</ul></div>")
        parts.append(f"<p>{escape(tr('%1 findings recorded, %2 not recorded (treated as unknown).'))}</p>"
                     .replace("%1", str(counts[0])).replace("%2", str(counts[1])))
        parts.append(f"<table width='100%' cellspacing='0'>{''.join(rows)}</table>")
        return "".join(parts)
