"""Fractures: the list of fractures (the first is the index), edited one at a time, beside the spine
diagram. MRI findings are asked when the step before recorded an MRI."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import choice_text, section_fields
from vcf_desktop.gui.pages.base import DerivedPanel, StepPage

FRACTURES = "fractures"


class FracturesPage(StepPage):
    """Every fracture seen; add, remove and reorder; the first is the index."""

    rebound = Signal()  # the form now edits another fracture

    def __init__(self, draft: CaseDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, self.tr("Fractures"), self.tr(
            "Every fracture seen. The first in the list is the index fracture this plan is about."), parent=parent)
        self._current = 0

    def build(self) -> None:
        from vcf_desktop.gui.spine_widget import SpineWidget  # the diagram needs the models

        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Fractures"))
        self.list.setMaximumWidth(240)
        self.list.setMinimumHeight(120)
        self.list.currentRowChanged.connect(self._select)
        self.list_label = QLabel(self.tr("Fractures"))
        self.list_label.setBuddy(self.list)
        self.add_button = QPushButton(self.tr("Add fracture"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        self.add_button.clicked.connect(self.add_fracture)
        self.remove_button.clicked.connect(self.remove_fracture)
        self.up_button.clicked.connect(lambda: self.move_fracture(-1))
        self.down_button.clicked.connect(lambda: self.move_fracture(+1))
        self.up_button.setShortcut(QKeySequence("Ctrl+Up"))
        self.down_button.setShortcut(QKeySequence("Ctrl+Down"))
        self.up_button.setToolTip(self.tr("Move up (Ctrl+Up); the first fracture is the index"))
        self.down_button.setToolTip(self.tr("Move down (Ctrl+Down)"))

        box = QGroupBox(self.tr("Fractures"))
        row = QHBoxLayout(box)
        left = QVBoxLayout()
        left.addWidget(self.list_label)
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        left.addLayout(moves)
        left.addStretch(1)
        row.addLayout(left)
        self.fracture_title = QLabel()
        self.fracture_title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        form_column = QVBoxLayout()
        form_column.addWidget(self.fracture_title)
        row.addLayout(form_column, 1)
        self.body_layout.addWidget(box)
        # One form for the fracture being edited; `_bind` points it at fractures[current].
        self.fracture_editors = self.add_form(section_fields("fractures[0]"), into=form_column)

        self.spine = SpineWidget(self.draft)
        self.derived = DerivedPanel(("genant_grade", "of_class", "of_score", "tlics"))
        self.side.addWidget(self.spine, 1)
        self.side.addWidget(self.derived)
        self.finish_layout()
        chain = [self.list, self.add_button, self.remove_button, self.up_button,
                 self.down_button, self.fracture_editors[0].input]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._rebuild_list()

    def mnemonic_labels(self) -> list[QLabel | QPushButton]:
        # Move up/down use Ctrl+Up/Ctrl+Down instead: a page this full has not enough letters.
        return [self.list_label, self.add_button, self.remove_button, *super().mnemonic_labels()]

    # ---- list ----------------------------------------------------------------------------
    def count(self) -> int:
        """Fractures shown: those in the draft, and at least the (possibly empty) index."""
        return max(self.draft.length(FRACTURES), 1)

    def current(self) -> int:
        return self._current

    def _describe(self, i: int) -> str:
        level = self.draft.get(f"{FRACTURES}[{i}].level")
        new = self.draft.get(f"{FRACTURES}[{i}].new")
        parts = [self.tr("index") if i == 0 else ""]
        parts.append({True: self.tr("new"), False: self.tr("old")}.get(new, "") if new is not None else "")
        extra = ", ".join(p for p in parts if p)
        name = choice_text(level) if isinstance(level, str) else self.tr("level not recorded")
        return f"{i + 1}. {name}" + (f" ({extra})" if extra else "")

    def _rebuild_list(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for i in range(self.count()):
            self.list.addItem(self._describe(i))
        self._current = min(self._current, self.count() - 1)
        self.list.setCurrentRow(self._current)
        self.list.blockSignals(False)
        self._bind()

    def _bind(self) -> None:
        i = self._current
        for editor in self.fracture_editors:
            editor.set_path(f"{FRACTURES}[{i}].{editor.spec.name}")
        self.show_applicable()
        self.fracture_title.setText(self.tr("Fracture %1 (index fracture)").replace("%1", "1") if i == 0 else
                                    self.tr("Fracture %1").replace("%1", str(i + 1)))
        self.remove_button.setEnabled(self.count() > 1)
        self.up_button.setEnabled(i > 0)
        self.down_button.setEnabled(i < self.count() - 1)
        self.rebound.emit()

    def _select(self, row: int) -> None:
        if row >= 0:
            self._current = row
            self._bind()

    def _on_draft_changed(self, path: str) -> None:
        super()._on_draft_changed(path)
        if self.built and (not path or path.startswith(FRACTURES)):
            if path in ("", FRACTURES):
                self._rebuild_list()
            else:
                for i in range(min(self.list.count(), self.count())):
                    self.list.item(i).setText(self._describe(i))
                if self.list.count() != self.count():
                    self._rebuild_list()

    def select(self, index: int) -> None:
        """Edit fracture `index`."""
        self.ensure_built()
        self.list.setCurrentRow(index)

    def add_fracture(self) -> None:
        """Append an empty fracture and edit it (nothing is recorded until the user sets a field)."""
        while self.draft.length(FRACTURES) < self.count():  # materialise the shown (empty) index first
            self.draft.insert(FRACTURES, self.draft.length(FRACTURES))
        self._current = self.count()
        self.draft.insert(FRACTURES, self.count())
        self.fracture_editors[0].input.setFocus()

    def remove_fracture(self) -> None:
        if self.count() > 1:
            self.draft.remove(FRACTURES, self._current)

    def move_fracture(self, step: int) -> None:
        target = self._current + step
        if 0 <= target < self.draft.length(FRACTURES):
            source, self._current = self._current, target
            self.draft.move(FRACTURES, source, target)

    # ---- state ---------------------------------------------------------------------------
    def required_missing(self) -> list[str]:
        if not self.built:
            return []
        missing = [e for e in super().required_missing() if e not in {f.spec.title for f in self.fracture_editors}]
        for i in range(self.count()):
            if self.draft.get(f"{FRACTURES}[{i}].level") is None:
                missing.append(self.tr("level of fracture %1").replace("%1", str(i + 1)) +
                               (self.tr(" (index)") if i == 0 else self.tr(" (or remove it)")))
        for i in range(self.count()):  # a level listed twice makes the case invalid
            message = self.draft.errors().get(f"{FRACTURES}[{i}].level")
            if message and self.draft.get(f"{FRACTURES}[{i}].level") is not None:
                missing.append(self.tr("fracture %1: %2").replace("%1", str(i + 1)).replace("%2", message))
        return missing

