"""A list of small objects (the earlier osteoporosis drugs) edited as rows: one editor per field of the
item, a header naming the fields, add and remove. At least one (possibly empty) row is always shown;
an empty row records nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from vcf_desktop.gui.fields import FieldEditor, make_editor, section_fields, tr
from vcf_desktop.gui.qt_lazy import Qt

if TYPE_CHECKING:
    from vcf_desktop.gui.pages.base import StepPage


class ListEditor(QGroupBox):
    """Rows of editors for the list at `path` (e.g. "bone_health.prior_therapies"), kept in step with
    the draft; the editors are also the page's, so messages, Review and Tab order include them."""

    def __init__(self, page: StepPage, path: str, title: str, add_text: str) -> None:
        super().__init__(title)
        self.page, self.draft, self.path = page, page.draft, path
        self.names = [p.rsplit(".", 1)[1] for p in section_fields(f"{path}[0]")]
        self.rows: list[tuple[QLabel, list[FieldEditor], QPushButton]] = []
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.grid.setColumnStretch(len(self.names) + 2, 1)
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(self.add)
        column = QVBoxLayout(self)
        column.addLayout(self.grid)
        column.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.draft.changed.connect(self._on_draft_changed)
        self._sync()

    def count(self) -> int:
        """Rows shown: the list's items, and at least one (empty) row."""
        return max(self.draft.length(self.path), 1)

    def _on_draft_changed(self, changed: str) -> None:
        if not changed or changed == self.path or self.path.startswith(changed + ".") or \
                changed.startswith(self.path + "["):
            self._sync()

    def _sync(self) -> None:
        """As many rows as the list has items (at least one)."""
        while len(self.rows) < self.count():
            self._add_row(len(self.rows))
        while len(self.rows) > self.count():
            number, editors, remove = self.rows.pop()
            for widget in (number, remove, *editors):
                widget.deleteLater()
            for editor in editors:
                self.page.editors.remove(editor)
                editor.label.deleteLater()
                editor.help.deleteLater()
        for i, (_, _, remove) in enumerate(self.rows):
            remove.setEnabled(self.draft.length(self.path) > i)
        self._chain_tabs()

    def _add_row(self, i: int) -> None:
        grid_row = i + 1  # row 0 holds the header: the first row's labels, Alt+letters to its editors
        number = QLabel(f"{i + 1}.")
        self.grid.addWidget(number, grid_row, 0, Qt.AlignmentFlag.AlignTop)
        editors = []
        for column, name in enumerate(self.names, start=1):
            editor = make_editor(self.draft, f"{self.path}[{i}].{name}", self)
            editor.help.setParent(self)
            editor.help.hide()  # the help is the editor's tooltip here
            if editor.spec.unit:  # in the header ("Duration (months)"): the row stays narrow
                editor.unit_label.hide()
                editor.label.setText(f"{editor.label.text()} ({editor.spec.unit})")
            if i == 0:
                self.grid.addWidget(editor.label, 0, column)
            else:
                editor.labelled = False  # no label of its own: the header names the column
                editor.label.setParent(self)
                editor.label.hide()
            self.grid.addWidget(editor, grid_row, column, Qt.AlignmentFlag.AlignTop)
            editor.edited.connect(self.page.recheck_complete)
            editors.append(editor)
        remove = QPushButton(self.tr("Remove"))
        remove.setAccessibleName(self.tr("Remove %1 %2").replace("%1", tr(self.title())).replace("%2", str(i + 1)))
        remove.clicked.connect(lambda _checked=False, row=i: self.remove(row))
        self.grid.addWidget(remove, grid_row, len(self.names) + 1, Qt.AlignmentFlag.AlignTop)
        self.rows.append((number, editors, remove))
        self.page.editors += editors

    def _chain_tabs(self) -> None:
        chain: list[QWidget] = [w for _, editors, remove in self.rows for w in
                                [*(x for e in editors for x in e.tab_widgets()), remove]] + [self.add_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def add(self) -> None:
        """A new empty row at the end, with the cursor in it (nothing is recorded until a field is set)."""
        while self.draft.length(self.path) < self.count():  # the empty row shown becomes an item first
            self.draft.insert(self.path, self.draft.length(self.path))
        self.draft.insert(self.path, self.count())
        self.rows[-1][1][0].input.setFocus()

    def remove(self, i: int) -> None:
        """Remove row `i`; the last one leaves the list not recorded."""
        self.draft.remove(self.path, i)
        if self.draft.length(self.path) == 0:
            self.draft.set(self.path, None)
        self.add_button.setFocus()
