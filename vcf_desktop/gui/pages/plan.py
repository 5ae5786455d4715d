"""Plan: hosts the main window engineer's PlanView, fed by the wizard after each evaluation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.pages.base import StepPage
from vcf_desktop.gui.qt_lazy import Qt

if TYPE_CHECKING:
    from vcf_desktop.domain.case import Case
    from vcf_desktop.domain.plan import Plan
    from vcf_desktop.engine import LoadedProtocol
    from vcf_desktop.gui.plan_view import PlanView


class PlanPage(StepPage):
    """The management plan for the case as it stands; follows every change of a finding.

    The plan view is made when the protocol arrives (`set_protocol`, right after the first paint);
    until then the step says the protocol is loading. The step ends with what a clinician does with the
    plan: Save, Print…, Export PDF… and Finish (the main window acts on the signals).
    """

    save_requested = Signal()
    print_requested = Signal()
    export_requested = Signal()
    finish_requested = Signal()

    def __init__(self, draft: CaseDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, self.tr("Plan"), self.tr(
            "The plan for the findings as recorded. Go back to any step to change a finding; the plan follows."),
            scroll=False, parent=parent)
        self.protocol: LoadedProtocol | None = None
        self.view: PlanView | None = None

    def build(self) -> None:
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold; padding: 8px;")
        self.error.setVisible(False)
        self.loading = QLabel(self.tr("Loading the clinical protocol…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.addWidget(self.error)
        self.body_layout.addWidget(self.loading, 1)
        self.body_layout.addLayout(self._actions())
        self._make_view()

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(8, 6, 8, 2)
        row.addStretch(1)
        self.action_buttons: dict[str, QPushButton] = {}
        for key, text, tip, signal in (
                ("save", self.tr("&Save"), self.tr("Save the case file"), self.save_requested),
                ("print", self.tr("&Print…"), self.tr("Print the plan: summary only, or summary and reasoning; "
                                                      "or the patient handout"), self.print_requested),
                ("export", self.tr("E&xport PDF…"), self.tr("Write the plan or the patient handout as a PDF"),
                 self.export_requested),
                ("finish", self.tr("F&inish"), self.tr("Finish this case (save it first if it has changes) and "
                                                      "start a new one"), self.finish_requested)):
            button = QPushButton(text)
            button.setObjectName(f"plan-{key}")
            button.setToolTip(tip)
            button.clicked.connect(signal)
            row.addWidget(button)
            self.action_buttons[key] = button
        # Finish is the default button only while this step is shown (the wizard sets it on every step
        # change): a hidden default button would take Enter away from Next on every other step.
        self._enable_actions(False)
        return row

    def _enable_actions(self, has_plan: bool) -> None:
        for key in ("print", "export"):
            self.action_buttons[key].setEnabled(has_plan)

    def set_protocol(self, protocol: LoadedProtocol) -> None:
        """Make the plan view for `protocol` (a new one when Settings changes the protocol)."""
        changed = self.protocol is not None and protocol is not self.protocol
        self.protocol = protocol
        self.ensure_built()
        self._make_view(replace=changed)

    def _make_view(self, replace: bool = False) -> None:
        if self.protocol is None or (self.view is not None and not replace):
            return
        from vcf_desktop.gui.plan_view import PlanView

        old, self.view = self.view or self.loading, PlanView(self.protocol)
        old.hide()
        self.body_layout.replaceWidget(old, self.view)
        if old is not self.loading:
            old.deleteLater()
        self.body_layout.setStretchFactor(self.view, 1)

    def show_plan_for(self, plan: Plan | None, case: Case | None, error: str | None = None) -> None:
        """Show `plan` for `case`; `error` when the engine could not make one."""
        self.ensure_built()
        self.show_plan(plan)
        if self.view is not None:
            self.view.show_plan(plan, case)
        self.error.setText(self.tr("No plan: the protocol engine failed on these findings (%1). "
                                   "Please report this; do not rely on an earlier plan.").replace("%1", error or ""))
        self.error.setVisible(error is not None)
        self._enable_actions(plan is not None)
