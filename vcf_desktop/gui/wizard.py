"""The case-entry wizard: steps in the order a clinician works, re-evaluated as the user types.

Patient -> Injury and imaging -> Fractures -> Pain and function -> Neurological examination ->
Bone health and medication -> Labs -> History and procedural risks -> Review -> Plan. Imaging comes
before the fractures, so that their MRI findings are asked only when an MRI was done.

Fast start: the wizard can be made before the protocol (and with it the engine, pydantic and the
models) has loaded; only the first step is built then. `set_protocol` turns on evaluation and the
Plan step, and builds the other steps one at a time in idle time (a step visited earlier is built on
arrival).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QListWidget, QWidget, QWizard

from vcf_desktop.gui import applicability, clock
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import section_fields
from vcf_desktop.gui.fields import tr as field_title  # a field's title as shown on its label
from vcf_desktop.gui.fitted_text import fitted_list
from vcf_desktop.gui.pages.base import FormPage, StepPage
from vcf_desktop.gui.pages.fractures import FRACTURES, FracturesPage
from vcf_desktop.gui.pages.plan import PlanPage
from vcf_desktop.gui.pages.review import ReviewPage
from vcf_desktop.gui.qt_lazy import set_qt
from vcf_desktop.gui.remaining_no import RemainingNo

if TYPE_CHECKING:
    from vcf_desktop.domain.plan import Plan
    from vcf_desktop.engine import LoadedProtocol

PRIOR_THERAPIES = "bone_health.prior_therapies"
#: Room the main window's status bar keeps beside a message (its margins and size grip).
STATUS_BAR_MARGIN = 40


class CaseWizard(QWizard):
    """Edits a CaseDraft step by step; every change re-evaluates the plan once the protocol is in.

    No fixed debounce: the evaluation (validation and engine, a few milliseconds) runs as soon as the
    input handler has returned, from a zero-delay timer, so that the keystroke is handled first and a
    burst of changes made by one action (opening a file, removing a fracture) is evaluated once.
    """

    plan_changed = Signal(object)
    announce = Signal(str)  # a short message for the status bar

    def __init__(self, draft: CaseDraft, protocol: LoadedProtocol | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.protocol: LoadedProtocol | None = None
        self.plan: Plan | None = None
        self.evaluation_error: str | None = None
        self.setWindowTitle(self.tr("VCF Desktop — case"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self._no_button_shown: bool | None = None
        self._show_no_button(False)

        tr = self.tr
        self.form_pages = {
            "patient": FormPage(draft, tr("Patient"), tr(
                "Age, sex and the level of the index fracture are all a plan needs; everything else refines it."),
                [(tr("Case"), ["case_id", "assessment_date"]), (tr("Patient"), section_fields("patient"))],
                live="bmi+kidney"),
            "symptoms": FormPage(draft, tr("Pain and function"), tr("On the current analgesia."),
                                 [("", section_fields("symptoms"))], ("of_score",)),
            "neuro": FormPage(draft, tr("Neurological examination"), tr(
                "Not recorded is not the same as intact: record what was examined."),
                [("", section_fields("neuro"))], ("ao_neuro", "tlics", "of_score")),
            "imaging": FormPage(draft, tr("Injury and imaging"), tr(
                "How it happened, what imaging has been done and what it shows."),
                [(tr("Injury"), section_fields("injury")), (tr("Imaging"), section_fields("imaging"))],
                ("tlics", "of_class")),
            "bone_health": FormPage(draft, tr("Bone health and medication"), tr(
                "Bone density, earlier fragility fractures and osteoporosis treatment so far."),
                                    [("", section_fields("bone_health"))], ("of_score",),
                                    lists=((PRIOR_THERAPIES, tr("Add earlier drug")),)),
            "labs": FormPage(draft, tr("Labs"), tr("The most recent results."), [("", section_fields("labs"))],
                             live="kidney"),
            "history": FormPage(draft, tr("History and procedural risks"), tr(
                "Red flags for a pathological fracture or infection, and risks of procedures and drugs."),
                [("", section_fields("history"))], ("of_score",)),
        }
        self.fractures_page = FracturesPage(draft)
        self.review_page = ReviewPage(draft, self.review_groups, self.invalid_entries)
        self.plan_page = PlanPage(draft)
        f = self.form_pages
        self.steps: list[StepPage] = [f["patient"], f["imaging"], self.fractures_page, f["symptoms"], f["neuro"],
                                      f["bone_health"], f["labs"], f["history"], self.review_page, self.plan_page]
        for page in self.steps:
            self.addPage(page)

        self.step_list = QListWidget()
        self.step_list.setAccessibleName(tr("Steps"))
        self.step_list.addItems([f"{i + 1}. {p.title()}" for i, p in enumerate(self.steps)])
        self.step_list.setFixedWidth(self.step_list.sizeHintForColumn(0) + 2 * self.step_list.frameWidth() + 8)
        set_qt(self.step_list, horizontalScrollBarPolicy="ScrollBarAlwaysOff")
        self.step_list.setToolTip(tr("Go to a step (later steps open once age, sex and the index level are in)"))
        self.step_list.itemClicked.connect(lambda item: self.go_to(self.step_list.row(item)))
        self.step_list.itemActivated.connect(lambda item: self.go_to(self.step_list.row(item)))
        self.setSideWidget(self.step_list)
        self.currentIdChanged.connect(self._step_changed)
        self.steps[0].ensure_built()

        self.remaining_no = RemainingNo(draft, self)
        self.no_button = self.button(QWizard.WizardButton.CustomButton1)
        self._no_tip = tr("Answer \u201cno\u201d to every yes/no question of this step that applies to this patient "
                          "and is not answered yet (answers are never changed). Press again to undo. Shortcut: Alt+O.")
        self.no_button.setToolTip(self._no_tip)
        self.customButtonClicked.connect(lambda _which: self.mark_remaining_no())
        self.fractures_page.rebound.connect(self._update_no_button)
        draft.changed.connect(self._update_no_button)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.evaluate_now)
        draft.changed.connect(self._timer.start)
        self._idle_build = QTimer(self)
        self._idle_build.setSingleShot(True)
        self._idle_build.setInterval(0)
        self._idle_build.timeout.connect(self._build_next_step)
        if protocol is not None:
            self.set_protocol(protocol)

    def set_protocol(self, protocol: LoadedProtocol) -> None:
        """The protocol has loaded: evaluate from now on, make the Plan step, build the others when idle."""
        self.protocol = protocol
        applicability.use_protocol(protocol)
        for page in self.steps:  # the Plan step makes its plan view; built steps re-ask what applies
            page.set_protocol(protocol)
        self.evaluate_now()
        self._idle_build.start()

    def _build_next_step(self) -> None:
        """Build one step not built yet, then come back in the next idle moment for the next."""
        step = next((page for page in self.steps if not page.built), None)
        if step is not None:
            step.ensure_built()
            self._idle_build.start()

    def all_built(self) -> bool:
        """Every step's content has been built."""
        return all(page.built for page in self.steps)

    # ---- evaluation ----------------------------------------------------------------------
    def evaluate_now(self) -> Plan | None:
        """Evaluate the draft now (when it is a valid case) and tell every step; nothing before the protocol.

        If the engine fails, no plan is shown (never the previous one, which no longer fits the
        findings) and the Plan step says so.
        """
        self._timer.stop()
        if self.protocol is None:
            return None
        from vcf_desktop import engine
        from vcf_desktop.gui.holiday_setting import with_holidays

        case = self.draft.case()
        self.evaluation_error = None
        try:
            plan = engine.evaluate(case, self.protocol, today=clock.today()) if case is not None else None
            self.plan = with_holidays(plan)  # the app's public-holiday setting
        except Exception as exc:
            import logging  # the error path only: logging is not loaded before the first paint

            logging.getLogger(__name__).exception("evaluation failed")
            self.plan, self.evaluation_error = None, f"{type(exc).__name__}: {exc}"
        for page in self.steps[:-1]:
            page.show_plan(self.plan)
        self.plan_page.show_plan_for(self.plan, case, self.evaluation_error)
        self.plan_changed.emit(self.plan)
        return self.plan

    # ---- review --------------------------------------------------------------------------
    def review_groups(self) -> list[tuple[str, list[str]]]:
        """(heading, field paths) of the whole case, in step order, one group per fracture."""
        f, tr = self.form_pages, self.tr
        groups = list(f["patient"].groups) + list(f["imaging"].groups)
        for i in range(self.fractures_page.count()):
            title = tr("Fracture %1").replace("%1", str(i + 1)) + (tr(" (index)") if i == 0 else "")
            groups.append((title, section_fields(f"{FRACTURES}[{i}]")))
        for key in ("symptoms", "neuro", "bone_health", "labs", "history"):
            groups.append((f[key].title(), [p for _, paths in f[key].groups for p in paths]))
            if key == "bone_health":
                for i in range(self.draft.length(PRIOR_THERAPIES)):
                    groups.append((tr("Earlier drug %1").replace("%1", str(i + 1)),
                                   section_fields(f"{PRIOR_THERAPIES}[{i}]")))
        return groups

    def invalid_entries(self) -> list[tuple[str, str]]:
        """Entries the model rejected on any step (kept in their editors, not recorded)."""
        return [entry for page in self.steps for entry in page.invalid_entries()]

    # ---- navigation ----------------------------------------------------------------------
    def go_to(self, index: int) -> None:
        """Move to step `index`, forwards only as far as the required fields allow."""
        if self.currentId() < 0:  # not shown yet: start at the first step
            self.restart()
        while self.currentId() > index:
            self.back()
        while self.currentId() < index and self.currentPage().isComplete():
            self.next()
        self.step_list.setCurrentRow(self.currentId())

    # ---- "unanswered yes/no -> no" ------------------------------------------------------------
    def mark_remaining_no(self) -> None:
        """Mark the step's unanswered yes/no questions "no", or undo that; the status bar says what was done."""
        page = self.currentPage()
        if not isinstance(page, StepPage) or not page.built:
            return
        action, paths = self.remaining_no.run(page)
        one = len(paths) == 1
        if action == "marked":
            text = (self.tr("Marked \u201cno\u201d: 1 unanswered yes/no question of this step (Alt+O again to undo)")
                    if one else
                    self.tr("Marked \u201cno\u201d: %1 unanswered yes/no questions of this step (Alt+O again to undo)"))
        else:
            text = (self.tr("Back to not recorded: 1 question of this step that was marked \u201cno\u201d") if one else
                    self.tr("Back to not recorded: %1 questions of this step that were marked \u201cno\u201d"))
        self.announce.emit(fitted_list(text.replace("%1", str(len(paths))), self._titles(page, paths),
                                       self.fontMetrics(), self.width() - STATUS_BAR_MARGIN))
        self._update_no_button()

    @staticmethod
    def _titles(page: StepPage, paths: list[str]) -> list[str]:
        return [field_title(page.editor(path).spec.title) for path in paths]

    def _update_no_button(self, _path: str = "") -> None:
        """The button says what it will do, and on how many questions."""
        page = self.currentPage()
        asks = isinstance(page, StepPage) and page.built and page.asks_yes_no()
        self._show_no_button(asks)
        if not asks:
            return
        marks, undoable = len(self.remaining_no.unanswered(page)), self.remaining_no.undoable(page)
        undoes = len(undoable) if not marks else 0
        self.no_button.setText(self.tr("Undo N&o (%1)").replace("%1", str(undoes)) if undoes else
                               self.tr("Unanswered yes/no \u2192 N&o (%1)").replace("%1", str(marks)))
        self.no_button.setToolTip(self.tr("Back to not recorded (Alt+O): %1").replace(
            "%1", ", ".join(self._titles(page, undoable))) if undoes else self._no_tip)
        self.no_button.setEnabled(bool(marks or undoes))

    def _show_no_button(self, shown: bool) -> None:
        """The wizard's buttons: [Unanswered yes/no → No] ... Back, Next."""
        buttons = [QWizard.WizardButton.Stretch, QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton]
        if shown != self._no_button_shown:
            self._no_button_shown = shown
            self.setButtonLayout([QWizard.WizardButton.CustomButton1, *buttons] if shown else buttons)

    def _step_changed(self, index: int) -> None:
        if 0 <= index < len(self.steps):
            self.steps[index].ensure_built()  # also when going back, which does not initialise the step
        self.step_list.setCurrentRow(index)
        if self.currentPage() is self.review_page:
            self.review_page.refresh()
        finish = getattr(self.plan_page, "action_buttons", {}).get("finish")
        if finish is not None:  # Enter on the Plan step (Next has nothing to go to there)
            finish.setDefault(self.currentPage() is self.plan_page)
        self._update_no_button()
        if 0 <= index < len(self.steps):  # after QWizard's own choice (often the Next button)
            self.steps[index].focus_first_field()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter that no field took goes to the next step from any field (whichever button is the dialog's
        default at the moment: push buttons on the steps take the default while they have the focus)."""
        from vcf_desktop.gui.qt_lazy import Qt

        key, plain = event.key(), event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        next_button = self.button(QWizard.WizardButton.NextButton)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and self.currentPage() is not self.plan_page \
                and next_button.isVisible() and next_button.isEnabled() \
                and not isinstance(QApplication.focusWidget(), QAbstractButton):
            self.next()
            event.accept()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        # Embedded in the main window, Esc or Finish must not hide the wizard.
        if self.isWindow():
            super().done(result)
