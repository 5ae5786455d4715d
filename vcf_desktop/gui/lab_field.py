"""A lab value typed in the unit the laboratory reported, stored in the contract's unit.

Beside the number is a unit chooser (the last unit chosen for the field becomes its default; see
`gui.units`). A value in another unit is converted on entry and the stored value is shown under it; a
number that fits the other unit far better brings a warning ("60 ng/mL is very high; did you mean
nmol/L?"). The value is still recorded: it may be true.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from vcf_desktop.gui import units
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import LineEditor, NumberValidator, number_text, parse_number, set_text_colour, tr

#: Dark amber: a warning that is not an error (7:1 on the window colour).
WARNING_COLOUR = "#7a4100"


class LabEditor(LineEditor):
    """A number with a unit chooser; the draft always holds the contract unit."""

    def __init__(self, draft: CaseDraft, path: str, parent: QWidget | None = None) -> None:
        self.lab = units.LABS[path]
        self.unit = units.default_unit(path)
        self._typed_here = False  # the text was typed by the user (not shown from the draft)
        super().__init__(draft, path, parent)
        self.unit_combo = QComboBox()
        self.unit_combo.addItems(list(self.lab.units))
        self.unit_combo.setCurrentText(self.unit)
        self.unit_combo.setAccessibleName(self.tr("Unit of %1").replace("%1", tr(self.spec.title)))
        self.unit_combo.setToolTip(self.tr("The unit on the lab report; the case file stores %1")
                                   .replace("%1", self.lab.contract))
        self.unit_combo.currentTextChanged.connect(self._unit_chosen)
        row = self.layout().itemAt(0).layout()
        assert isinstance(row, QHBoxLayout)
        row.replaceWidget(self.unit_label, self.unit_combo)
        self.unit_label.hide()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        set_text_colour(self.warning, WARNING_COLOUR)
        self.warning.hide()
        self.layout().addWidget(self.note)
        self.layout().addWidget(self.warning)
        self._set_range()
        self.refresh()

    def tab_widgets(self) -> list[QWidget]:
        return [self.input, self.unit_combo]

    def _set_range(self) -> None:
        """Validator and placeholder in the chosen unit."""
        low, high = (self.lab.from_contract(x, self.unit) if x is not None else None
                     for x in (self.spec.minimum, self.spec.maximum))
        self.line.setValidator(NumberValidator(low, high, self.line))
        span = f"{number_text(low)}–{number_text(high)}" if low is not None and high is not None else ""
        self.line.setPlaceholderText(self.tr("not recorded") + (f" ({span})" if span else ""))

    # ---- conversion ----------------------------------------------------------------------
    def _typed(self) -> Any:
        return parse_number(self.line.text())

    def _read(self) -> Any:
        value = self._typed()
        if isinstance(value, (int, float)) and self.unit != self.lab.contract:
            return self.lab.to_contract(value, self.unit)
        return value

    def _show(self, value: Any) -> None:
        if not hasattr(self, "unit_combo"):
            return  # the first refresh, while the base class is still being made
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            shown = value if self.unit == self.lab.contract else self.lab.from_contract(value, self.unit)
            text = number_text(shown)
        else:
            text = "" if value is None else str(value)
        if self.line.text() != text:
            self.line.setText(text)
        self._typed_here = False
        self._explain()

    def _user_changed(self) -> None:
        self._typed_here = True
        super()._user_changed()
        self._explain()

    def _unit_chosen(self, unit: str) -> None:
        """The user picked a unit: a number they typed is read in it (it is the unit on their report); a
        value from the file is shown in it."""
        self.unit = unit
        units.remember_unit(self.path, unit)
        self._set_range()
        if self._typed_here and self.line.text().strip():
            self._user_changed()
        else:
            self.refresh()

    def _explain(self) -> None:
        """Show the stored value (when converted) and a warning when the number suits another unit."""
        typed = self._typed()
        number = isinstance(typed, (int, float))
        converted = number and self.unit != self.lab.contract
        if converted:
            stored = self.value()
            if not isinstance(stored, (int, float)):  # rejected: show what it would be, for the message
                stored = self.lab.to_contract(typed, self.unit)
            self.note.setText(self.tr("= %1 %2 in the case file").replace("%1", number_text(stored))
                              .replace("%2", self.lab.contract))
        self.note.setVisible(bool(converted))
        suspect = self.lab.suspect(float(typed), self.unit) if number else None
        if suspect is not None:
            high, other = suspect
            text = (self.tr("%1 %2 is very high; did you mean %3?") if high == "high" else
                    self.tr("%1 %2 is very low; did you mean %3?"))
            self.warning.setText(text.replace("%1", number_text(typed)).replace("%2", self.unit)
                                 .replace("%3", other))
        self.warning.setVisible(suspect is not None)
