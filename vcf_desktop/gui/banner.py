"""The red-flag banner: shown on every step while the latest plan has a red flag.

What counts as shown here: the emergency-referral pathway and the red-flag pitfalls named in the
contract vocabulary (`vocab.RED_FLAG_PITFALLS`). Every word comes from the plan; colours from
`report.common` (imported with the first plan: the banner is built, hidden, before the models load).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from vcf_desktop.gui.fields import set_font
from vcf_desktop.gui.style import readable_on
from vcf_desktop.gui.qt_lazy import set_qt

if TYPE_CHECKING:
    from vcf_desktop.domain.plan import Plan


def red_flags(plan: Plan | None) -> list[tuple[str, str]]:
    """(severity, text) of each red flag in `plan`, most severe first."""
    if plan is None:
        return []
    from vcf_desktop.domain import vocab as v
    from vcf_desktop.report import common as c

    flags: list[tuple[str, str]] = []
    if plan.pathway == "emergency_referral":
        texts = [i.text for i in plan.items if i.section == "red_flags" and i.severity == "critical"]
        flags += [("critical", t) for t in (texts or [plan.headline or c.PATHWAY_LABEL[plan.pathway]])]
    flags += [(p.severity, p.text) for p in plan.pitfalls if p.code in v.RED_FLAG_PITFALLS]
    return sorted(flags, key=lambda f: v.SEVERITY_ORDER.index(f[0]))


class RedFlagBanner(QFrame):
    """A prominent coloured box listing the plan's red flags; hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redFlagBanner")
        self.title = QLabel()
        set_font(self.title, bold=True, point_size=12)
        self.body = QLabel()
        self.body.setWordWrap(True)
        set_qt(self.body, textFormat="PlainText", textInteractionFlags="TextSelectableByMouse")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.setAccessibleName(self.tr("Red flags"))
        self._shown: object = None  # what the banner says now: (flags, pathway)
        self.show_plan(None)

    def show_plan(self, plan: Plan | None) -> None:
        flags = red_flags(plan)
        shown = (flags, plan.pathway if plan is not None else None)
        if shown == self._shown:
            return  # restyling on every edit would be slow
        self._shown = shown
        self.setVisible(bool(flags))
        if not flags:
            self.body.clear()
            return
        from vcf_desktop.report import common as c

        severity = flags[0][0]
        colour, background = c.SEVERITY_COLOUR[severity], c.SEVERITY_BG[severity]
        text = readable_on(colour, background)  # the border keeps the severity colour; the text must read
        self.setStyleSheet(f"#redFlagBanner {{ background: {background}; border: 2px solid {colour}; "
                           f"border-radius: 4px; }} QLabel {{ color: {text}; background: transparent; }}")
        title = self.tr("RED FLAG") if len(flags) == 1 else self.tr("RED FLAGS (%1)").replace("%1", str(len(flags)))
        if plan is not None and plan.pathway in ("emergency_referral", "red_flag_workup"):
            title += " — " + QCoreApplication.translate("Report", c.PATHWAY_LABEL[plan.pathway])
        self.title.setText("⚠ " + title)
        self.body.setText("\n".join(f"• {text}" for _, text in flags))
        self.setAccessibleDescription(self.body.text())

    def text(self) -> str:
        """Everything the banner says (empty when hidden)."""
        return f"{self.title.text()}\n{self.body.text()}" if self.isVisibleTo(self.parentWidget() or self) else ""
