"""The main window: the case wizard in the middle; menus for files, printing and help.

Files: open and save case files (the contract's JSON) atomically; a file that cannot be read is
reported problem by problem and left untouched. Nothing typed is lost: the draft is autosaved and
offered back after a crash, and leaving unsaved work always asks first.

Protocol governance (gui.governance): a red banner above the wizard while the protocol in use is not the
approved one or is due for review; File > Settings chooses a local protocol; a case saved with a plan
records it (`plan_record`), and opening a case whose plan was made under another protocol first shows
what the protocol in use changes.

Fast start: the window can be shown before the protocol has loaded (`MainWindow(None)`, then
`set_protocol` right after the first paint). Until then printing, PDF export and the protocol's help
are disabled and the draft's inline messages wait for the models (`CaseDraft(defer_messages=True)`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from vcf_desktop.gui import clock, files, geometry
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.wizard import CaseWizard

if TYPE_CHECKING:
    from vcf_desktop.domain.case import Case
    from vcf_desktop.domain.plan import Plan
    from vcf_desktop.engine.protocol import LoadedProtocol
    from vcf_desktop.gui.governance import ProtocolBanner

CASE_SUFFIX = ".vcfcase.json"
T = TypeVar("T")
#: The window's size on a large screen (smaller screens: fitted or maximised, see `gui.geometry`).
PREFERRED_SIZE = QSize(1280, 800)
MAX_LISTED_PROBLEMS = 12


class MainWindow(QMainWindow):
    """One case at a time; `draft` is the case being edited (a new, empty one by default).

    `protocol` None: the protocol comes later, through `set_protocol`.
    """

    def __init__(self, protocol: LoadedProtocol | None, draft: CaseDraft | None = None, *,
                 offer_recovery: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.protocol: LoadedProtocol | None = None
        self.file_path: Path | None = None
        self.protocol_banner: ProtocolBanner | None = None  # made when the protocol in use first needs one
        self.plan_changes: QMessageBox | None = None  # what a newer protocol changed in the opened case's plan
        self._record_to_check: Case | None = None  # an opened case's plan_record, checked once the protocol is in
        self.recent = files.RecentFiles()
        self.draft = draft if draft is not None else CaseDraft(defer_messages=protocol is None)
        recovered = self._offer_recovery() if draft is None and offer_recovery else None
        self.wizard = CaseWizard(self.draft)
        self.setCentralWidget(self.wizard)
        plan_page = self.wizard.plan_page
        plan_page.save_requested.connect(self.save)
        plan_page.print_requested.connect(self.print_plan)
        plan_page.export_requested.connect(self.export_pdf)
        plan_page.finish_requested.connect(self.finish_case)
        self.wizard.announce.connect(self._message)
        self.statusBar()  # made now, so that the layout keeps room for it from the start
        self.autosave = files.Autosave(self.draft, parent=self)
        self.autosave.file_path = self.file_path
        self.autosave.failed.connect(lambda why: self.statusBar().showMessage(
            self.tr("Autosave failed ({0}): save the case to keep your changes.").format(why)))
        if recovered is not None:  # now this window's draft: the old one goes once the new one is on disk
            recovered.remove() if self.autosave.save_now() else recovered.release()
        self.draft.changed.connect(self._update_title)
        self.protocol_actions: list[QAction] = []  # enabled once the protocol is in
        self._build_menus()
        self._update_title()
        self.opens_maximised = geometry.place(self, "main_window", PREFERRED_SIZE, maximise_small=True)
        if protocol is not None:
            self.set_protocol(protocol)

    def show_placed(self) -> None:
        """Show the window as `geometry.place` decided: maximised (remembered, or a small screen) or not."""
        self.showMaximized() if self.opens_maximised else self.show()

    def set_protocol(self, protocol: LoadedProtocol) -> None:
        """The protocol has loaded (or was changed in Settings): inline messages, the live plan, printing and help
        become available; the banner says if it is unapproved or due for review."""
        self.protocol = protocol
        self.draft.start_messages()
        self.wizard.set_protocol(protocol)
        for action in self.protocol_actions:
            action.setEnabled(True)
        self._show_protocol_standing(protocol)
        if self._record_to_check is not None:
            self._check_plan_record(self._record_to_check)

    def _show_protocol_standing(self, protocol: LoadedProtocol) -> None:
        from vcf_desktop.gui.governance import ProtocolBanner, banner_lines

        today = clock.today()
        if self.protocol_banner is None and (banner_lines(protocol, today) or not protocol.approved):
            self.protocol_banner = ProtocolBanner(self)
            self.addToolBar(self.protocol_banner)
        if self.protocol_banner is not None:
            self.protocol_banner.show_protocol(protocol, today)

    def use_protocol(self, path: Path | None) -> bool:
        """Run the protocol file at `path` (None: the shipped, approved one) from now on and remember the choice;
        a protocol that cannot be loaded is reported and the one in use is kept."""
        from vcf_desktop.engine.protocol import ProtocolError, load_protocol
        from vcf_desktop.gui.governance import set_local_protocol

        try:
            protocol = load_protocol(path)
        except ProtocolError as exc:
            QMessageBox.critical(self, self.tr("Protocol not changed"), self.tr(
                "This protocol cannot be used:\n\n{0}\n\nThe protocol in use is unchanged.").format(exc))
            return False
        set_local_protocol(path)
        self.set_protocol(protocol)
        self._message(self.tr("Protocol in use: {0} {1}").format(protocol.id, protocol.version))
        return True

    def show_settings(self) -> None:
        from PySide6.QtWidgets import QDialog

        from vcf_desktop.gui.governance import SettingsDialog, local_protocol

        dialog = SettingsDialog(local_protocol(), self.protocol, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.use_protocol(dialog.chosen())

    def _check_plan_record(self, case: Case) -> None:
        """The opened case's plan was recorded under another protocol: show what the protocol in use changes
        before anything else (a window-modal message), or say in the status bar that nothing changed."""
        self._record_to_check = None
        record = case.plan_record
        if record is None or self.protocol is None or record.protocol.sha256 == self.protocol.sha256:
            return
        from vcf_desktop.engine import evaluate
        from vcf_desktop.gui.governance import plan_changes_box

        plan = evaluate(case, self.protocol, today=record.generated_at.date())
        self.plan_changes = plan_changes_box(record, plan, self)
        if self.plan_changes is None:
            self._message(self.tr("Saved under protocol {0} {1}; the protocol in use gives the same plan.")
                          .format(record.protocol.id, record.protocol.version), 15000)
        else:
            self.plan_changes.open()

    # ---- menus -------------------------------------------------------------------------------
    def _action(self, menu: QMenu, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            # Through the property: setShortcut's overload resolution builds Qt's namespace enums (~18 ms).
            action.setProperty("shortcut", QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        key = QKeySequence.StandardKey
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("&New"), self.new_case, key.New)
        self._action(file_menu, self.tr("&Open…"), self.open_dialog, key.Open)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Save"), self.save, key.Save)
        self._action(file_menu, self.tr("Save &As…"), self.save_as, "Ctrl+Shift+S")
        file_menu.addSeparator()
        self.protocol_actions += [
            self._action(file_menu, self.tr("&Export PDF — clinician…"), lambda: self.export_pdf("clinician"),
                         "Ctrl+E"),
            self._action(file_menu, self.tr("Export PDF — &patient…"), lambda: self.export_pdf("patient"),
                         "Ctrl+Shift+E"),
            self._action(file_menu, self.tr("Print Pre&view…"), self.print_preview, "Ctrl+Shift+P"),
            self._action(file_menu, self.tr("&Print…"), self.print_plan, key.Print)]
        self._action(file_menu, self.tr("Public holi&days for follow-up…"), self.choose_holidays)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("Se&ttings…"), self.show_settings)
        self._action(file_menu, self.tr("&Quit"), self.close, "Ctrl+Q")
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.protocol_actions += [
            self._action(help_menu, self.tr("&How this protocol works"), self.show_protocol, key.HelpContents),
            self._action(help_menu, self.tr("&About VCF Desktop"), self.show_about)]
        for action in self.protocol_actions:
            action.setEnabled(self.protocol is not None)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.paths()
        for n, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{n} {path.name} — {path.parent}")
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(p))
        if not paths:
            self.recent_menu.addAction(self.tr("(no recent files)")).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("&Clear list"), self.recent.clear)

    def _open_recent(self, path: Path) -> None:
        if self.confirm_discard():
            self.open_path(path)

    # ---- title and state ---------------------------------------------------------------------
    def _update_title(self, _path: str = "") -> None:
        name = self.file_path.name if self.file_path else self.tr("Untitled case")
        self.setWindowTitle(self.tr("{0}[*] — VCF Desktop").format(name))
        self.setWindowModified(self.draft.dirty)

    def _message(self, text: str, timeout_ms: int = 6000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    # ---- recovery ----------------------------------------------------------------------------
    def _offer_recovery(self) -> files.OrphanDraft | None:
        """Drafts of windows that ended abruptly are offered back, newest first, until one is recovered
        (returned, still locked: the caller takes it over); declined ones are set aside, the rest stay."""
        orphans = files.orphan_drafts()
        taken: files.OrphanDraft | None = None
        for orphan in orphans:
            if taken is not None:
                orphan.release()  # offered at the next start
            elif orphan.data is None:
                kept = orphan.set_aside()
                QMessageBox.warning(None, self.tr("Unreadable autosave"), self.tr(
                    "An autosaved draft was found but cannot be read ({0}). It was kept as {1}.")
                    .format(orphan.problem, kept))
            else:
                answer = self._ask_recovery(orphan)
                if answer == "recover":
                    self.draft.replace(orphan.data)  # stays dirty: it is not in any saved file
                    self.file_path = orphan.file
                    taken = orphan
                elif answer == "discard":
                    orphan.set_aside()
                else:
                    orphan.release()
        return taken

    def _ask_recovery(self, orphan: files.OrphanDraft) -> str:
        """"recover", "discard" or "later" for one draft, saying whose it is, when and which file."""
        when = (orphan.saved_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if orphan.saved_at
                else self.tr("unknown time"))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Recover unsaved work?"), self.tr(
            "VCF Desktop did not close normally last time. A draft with unsaved changes was kept."))
        box.setInformativeText(self.tr("Case: {0}\nLast autosaved: {1}\nFile: {2}\n\n"
                                       "Recover it, or discard it and start with an empty case?").format(
            orphan.case_id or self.tr("(no case id)"), when,
            orphan.file or self.tr("(not saved to a file yet)")))
        box.setDetailedText(json.dumps(orphan.data, indent=2, ensure_ascii=False))
        recover = box.addButton(self.tr("&Recover"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("&Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(recover)
        box.exec()
        clicked = box.clickedButton()
        return "recover" if clicked is recover else "discard" if clicked is discard else "later"

    # ---- unsaved changes ---------------------------------------------------------------------
    def confirm_discard(self) -> bool:
        """True when the current draft may be replaced: saved, deliberately discarded, or not dirty."""
        if not self.draft.dirty:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                          self.tr("The case has unsaved changes. Save them first?"), parent=self)
        save = box.addButton(self.tr("&Save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("&Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is save:
            return self.save()
        return box.clickedButton() is discard

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.confirm_discard():
            self.autosave.release()
            geometry.remember(self, "main_window")
            event.accept()
        else:
            event.ignore()

    # ---- files -------------------------------------------------------------------------------
    def _stored_in(self, path: Path | None) -> None:
        """The draft now matches `path` (None: a new, empty case): not dirty, no autosave needed."""
        self.draft.mark_saved()
        self.autosave.discard()
        self.file_path = self.autosave.file_path = path
        if path is not None:
            self.recent.add(path)
        self._update_title()

    def new_case(self) -> bool:
        """Start an empty case at the first step (after saving or discarding changes); False if cancelled."""
        if not self.confirm_discard():
            return False
        self.draft.replace(CaseDraft().data())
        self._stored_in(None)
        if self.wizard.currentId() > 0:
            self.wizard.go_to(0)
        return True

    def finish_case(self) -> None:
        """The Plan step's Finish: this case is done (saved, or its changes deliberately discarded); next one."""
        name = self.file_path.name if self.file_path else None
        if self.new_case():
            self._message(self.tr("Finished {0}. New case.").format(name) if name else self.tr("New case."))

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        start = str(self.file_path.parent) if self.file_path else ""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open case"), start, self.tr("VCF case files (*.vcfcase.json *.json);;All files (*)"))
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> bool:
        """Open a case file; on any problem say what is wrong, keep the current case and the file as they are."""
        from vcf_desktop.domain.casefile import CaseFileError, read_case

        try:
            case = read_case(path)
        except CaseFileError as exc:
            self._report_unreadable(path, exc.messages)
            if not path.exists():
                self.recent.remove(path)
            return False
        from vcf_desktop.domain.safe_write import sweep_temps

        sweep_temps(path.parent, path.name)  # copies a save interrupted by a crash or kill may have left
        self.draft.load(case)
        self._stored_in(path.resolve())
        self._message(self.tr("Opened {0}").format(path))
        # A case that opened is complete enough to plan (age, sex, index level): it lands on Review, one
        # step before its plan, instead of on the first step.
        self.wizard.go_to(self.wizard.steps.index(self.wizard.review_page))
        self._record_to_check = case
        if self.protocol is not None:
            self._check_plan_record(case)
        return True

    def _report_unreadable(self, path: Path, problems: list[str]) -> None:
        from vcf_desktop.gui.file_messages import readable_problems

        readable = readable_problems(path, problems)  # labels as on screen; a PDF is called a PDF
        shown = readable[:MAX_LISTED_PROBLEMS]
        more = len(readable) - len(shown)
        lines = "\n".join(f"• {p}" for p in shown)
        if more > 0:
            lines += "\n" + self.tr("… and {0} more (see details)").format(more)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Cannot open case file"),
                          self.tr("{0} cannot be opened as a case file:").format(path.name), parent=self)
        box.setInformativeText(lines + "\n\n" + self.tr("The file has not been changed."))
        box.setDetailedText(f"{path}\n\n" + "\n".join(problems))
        box.exec()

    def save(self) -> bool:
        if self.file_path is None:
            return self.save_as()
        return self._save_to(self.file_path)

    def save_as(self) -> bool:
        if self._complete_case() is None:
            return False
        from vcf_desktop.domain.safe_write import safe_stem

        start = str(self.file_path) if self.file_path else safe_stem(self.draft.get("case_id"), "case") + CASE_SUFFIX
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save case as"), start, self.tr("VCF case files (*.vcfcase.json *.json)"))
        if not name:
            return False
        path = Path(name)
        if not path.name.endswith(".json"):
            path = path.with_name(path.name + CASE_SUFFIX)
        return self._save_to(path)

    def _kept_note(self) -> str:
        """What a message may promise about the entries: autosaved only if the autosave has just succeeded."""
        if self.autosave.save_now():
            return self.tr("Nothing is lost: your entries stay here and are autosaved.")
        return self.tr("Your entries stay here, but they could NOT be autosaved: keep this window open "
                       "until the case is saved.")

    def _complete_case(self) -> Case | None:
        """The draft as a valid Case, or None after telling the user what is still needed."""
        case = self.draft.case()
        if case is None:
            problems = "\n".join(f"• {p or self.tr('case')}: {m}" for p, m in list(self.draft.errors().items())[:20])
            QMessageBox.warning(self, self.tr("The case is not complete"), self.tr(
                "A case file needs at least the patient's age and sex and the index fracture level, and "
                "every value in range:\n{0}\n\n{1}").format(problems, self._kept_note()))
        return case

    def _save_to(self, path: Path) -> bool:
        case = self._complete_case()
        if case is None:
            return False
        from vcf_desktop.domain.casefile import save_case

        if self.protocol is not None:  # what the plan says now, for `recheck` and the next opening
            from vcf_desktop.engine import evaluate
            from vcf_desktop.engine.recheck import plan_record

            case = case.model_copy(update={"plan_record": plan_record(evaluate(case, self.protocol))})
        try:
            save_case(case, path)
        except OSError as exc:
            QMessageBox.critical(self, self.tr("Cannot save"), self.tr(
                "{0} could not be written: {1}\n\nThe case is still open here. {2}")
                .format(path, exc.strerror or exc, self._kept_note()))
            return False
        self._stored_in(path.resolve())
        self._message(self.tr("Saved {0}").format(path))
        return True

    # ---- plan output -------------------------------------------------------------------------
    def _plan_and_case(self) -> tuple[Plan, Case] | None:
        case = self.draft.case()
        if case is None:
            QMessageBox.information(self, self.tr("No plan yet"), self.tr(
                "There is no plan to print yet: record at least the patient's age and sex and the index "
                "fracture level (and correct any value marked in red)."))
            return None
        from vcf_desktop.engine import evaluate
        from vcf_desktop.gui.holiday_setting import with_holidays

        return with_holidays(evaluate(case, self.protocol)), case

    def _guarded(self, what: str, action: Callable[[], T]) -> T | None:
        """Run a plan output; anything unexpected is shown in a dialog, never lost in the event loop."""
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - the user must see every failure of an output
            QMessageBox.critical(self, self.tr("Cannot {0}").format(what), self.tr(
                "The plan could not be produced: {0}\n\nThe case is unchanged.").format(exc))
            return None

    def export_pdf(self, audience: str | None = None, detail: str = "full") -> Path | None:
        """Ask where and write the PDF of `audience` at `detail`; with no audience (the Plan step's button)
        first ask which copy: clinician summary only, summary and reasoning, or patient handout."""
        def run() -> Path | None:
            ready = self._plan_and_case()
            if ready is None:
                return None
            from vcf_desktop.gui import printing

            chosen, depth = audience, detail
            if chosen is None:
                options = printing.ExportOptionsDialog(self)
                if options.exec() != QDialog.DialogCode.Accepted:
                    return None
                chosen, depth = options.choice()
            return printing.export_pdf(self, *ready, self.protocol, chosen, self.file_path, depth)

        path = self._guarded(self.tr("export the PDF"), run)
        if path is not None:
            self._message(self.tr("PDF written to {0}").format(path))
        return path

    def choose_holidays(self) -> None:
        from vcf_desktop.gui.holiday_setting import choose_holiday_country

        if choose_holiday_country(self):
            self.wizard.evaluate_now()

    def print_preview(self) -> None:
        def run() -> None:
            ready = self._plan_and_case()
            if ready is not None:
                from vcf_desktop.gui import printing

                printing.preview(self, *ready, self.protocol)

        self._guarded(self.tr("show the print preview"), run)

    def print_plan(self) -> None:
        def run() -> None:
            ready = self._plan_and_case()
            if ready is not None:
                from vcf_desktop.gui import printing

                printing.print_dialog(self, *ready, self.protocol)

        self._guarded(self.tr("print"), run)

    # ---- help --------------------------------------------------------------------------------
    def show_about(self) -> None:
        from vcf_desktop.gui.dialogs import AboutDialog

        AboutDialog(self.protocol, self).exec()

    def show_protocol(self) -> None:
        from vcf_desktop.gui.dialogs import ProtocolDialog

        ProtocolDialog(self.protocol, self).exec()
