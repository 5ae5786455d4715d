"""Editors generated from the case model's field metadata (magicgui style).

A field's label, help text, unit, range and choices come from the case JSON Schema, which is generated
from `vcf_desktop.domain.case` and shipped as a file (`gui/schema_file.py`), so that the first screen
does not wait for pydantic; nothing clinical is written here. Every editor starts *not recorded* and
can be cleared back to it; a value the model rejects stays in the editor with the model's message and
is not written to the draft (the model itself is imported on the first check).
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import shiboken6
from PySide6.QtCore import QCoreApplication, QLocale, QObject, QRegularExpression, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QPalette, QRegularExpressionValidator, QValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from vcf_desktop.gui import clock, date_entry
from vcf_desktop.gui.draft import CaseDraft, parse_path
from vcf_desktop.gui.qt_lazy import set_qt
from vcf_desktop.gui.schema_file import case_schema

if TYPE_CHECKING:
    from pydantic import BaseModel

Kind = Literal["bool", "choice", "multi", "int", "float", "date", "text"]
ERROR_COLOUR = "#b71c1c"
INVALID_INPUT_STYLE = f"border: 2px solid {ERROR_COLOUR};"


def tr(text: str) -> str:
    """Translate in the one context shared by every field's title, help text and editor string."""
    return QCoreApplication.translate("Fields", text)


def not_recorded_text() -> str:
    return tr("— not recorded —")


#: Codes whose words are not just the code with spaces.
_CODE_WORDS = {"ct": "CT", "mri": "MRI", "spect_ct": "SPECT-CT", "non_opioid": "non-opioid",
               "translation_rotation": "translation / rotation"}


#: Plainer words for the codes of a few fields ("Model.field" -> code -> words); the file keeps the code.
_FIELD_WORDS = {
    "Fracture.endplates": {"none": "none (oedema only)", "one": "one (upper or lower)",
                           "both": "both (upper and lower)"},
    "Fracture.posterior_wall": {"minor": "minor (< 1/5 of the wall)", "major": "major (> 1/5 of the wall)"},
}

#: Help with an example, for fields whose codes are easily misread ("Model.field" -> text).
FIELD_HELP = {
    "Fracture.endplates": "Example: a wedge with only the upper endplate pressed in is \u201cone\u201d; "
                          "oedema on MRI with flat endplates is \u201cnone\u201d.",
    "Fracture.posterior_wall": "The back wall of the body, facing the canal. Example: a small fragment of "
                               "its upper corner is \u201cminor\u201d.",
}


def choice_text(value: str, spec: FieldSpec | None = None) -> str:
    """Display text of a vocabulary code: `low_energy` -> "low energy" (translatable); with the field's
    spec, plainer words where the codes are terse, and the AO Spine code beside a neurological status."""
    words = _FIELD_WORDS.get(f"{spec.model}.{spec.name}", {}).get(value) if spec is not None else None
    text = QCoreApplication.translate("Vocab", words or _CODE_WORDS.get(value, value.replace("_", " ")))
    if spec is not None and (spec.model, spec.name) == ("Neuro", "status"):
        from vcf_desktop.engine.scores import AO_NEURO  # the engine's own mapping (loaded with the protocol)

        text += f" ({AO_NEURO[value]})" if value in AO_NEURO else ""
    return text


# Text colour and font are set through the palette and QFont rather than per-widget style sheets:
# dozens of style sheets make the first paint noticeably slower.
def set_text_colour(widget: QWidget, colour: str | None = None) -> None:
    """Text colour "#rrggbb", or the palette's placeholder-text grey (None)."""
    palette = widget.palette()
    role = QPalette.ColorRole
    palette.setColor(role.WindowText, QColor(colour) if colour else palette.color(role.PlaceholderText))
    widget.setPalette(palette)


def set_font(widget: QWidget, *, bold: bool = False, point_size: float | None = None) -> None:
    font = widget.font()
    font.setBold(bold)
    if point_size:
        font.setPointSizeF(point_size)
    widget.setFont(font)


def input_width(widget: QWidget) -> int:
    """One width for every input, wide enough for the longest "not recorded (range)" placeholder."""
    return widget.fontMetrics().horizontalAdvance(tr("not recorded") + " (0–36500)") + 28


@dataclass(frozen=True)
class FieldSpec:
    """What the model says about one field: label, help, unit, kind, choices and range.

    `model` names the class in `vcf_desktop.domain.case` that declares the field.
    """

    model: str
    name: str
    title: str
    description: str
    unit: str | None
    kind: Kind
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    bulk_no: bool = True  # False: "no" is a finding of its own, never answered by "unanswered yes/no -> no"

    def check(self, value: Any) -> str | None:
        """The model's message when `value` is not allowed for this field, else None."""
        from pydantic import ValidationError

        from vcf_desktop.domain.errors import field_errors

        checker = _checker(self.model, self.name)
        try:
            checker.model_validate({self.name: value})
        except ValidationError as exc:
            return next(iter(field_errors(exc, checker).values()), str(exc))
        return None

    def range_text(self) -> str:
        """"0–120", "≥ 0" or "" from the model's ge/le."""
        low, high = (number_text(x) if x is not None else None for x in (self.minimum, self.maximum))
        if low is not None and high is not None:
            return f"{low}–{high}"
        return f"≥ {low}" if low is not None else (f"≤ {high}" if high is not None else "")


@functools.cache
def _checker(model_name: str, name: str) -> type[BaseModel]:
    """A one-field model with the field exactly as declared (type, range, strictness), so a single
    value is checked the way the case model would check it, without the model's cross-field checks."""
    from pydantic import create_model

    from vcf_desktop.domain import case

    model = getattr(case, model_name)
    return create_model(f"{model_name}_{name}", __config__=model.model_config,
                        **{name: (model.model_fields[name].annotation, model.model_fields[name])})


def number_text(value: float, decimals: int | None = None) -> str:
    """A number as the user's locale writes it ("2,34" in German), whole numbers without decimals;
    `decimals` rounds first."""
    if decimals is not None:
        value = round(value, decimals)
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return text.replace(".", QLocale().decimalPoint())


def _value_schema(prop: dict[str, Any]) -> dict[str, Any]:
    """The schema of a property's value, without the "or null" of an optional field."""
    options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
    return options[0] if len(options) == 1 else prop


def _object_at(names: list[str], path: str) -> tuple[str, dict[str, Any]]:
    """(model name, object schema) reached from the case by the field `names` ("fractures" -> Fracture)."""
    schema = case_schema()
    model, node = schema["title"], schema
    for name in names:
        if name not in node["properties"]:
            raise KeyError(path)
        value = _value_schema(node["properties"][name])
        ref = value.get("items", value).get("$ref", "")
        if not ref.startswith("#/$defs/"):
            raise TypeError(f"{path}: {name} is not an object")
        model = ref.removeprefix("#/$defs/")
        node = schema["$defs"][model]
    return model, node


def resolve(path: str) -> FieldSpec:
    """The FieldSpec of a case path such as "patient.age_years" or "fractures[2].level"."""
    names = [k for k in parse_path(path) if isinstance(k, str)]
    model, node = _object_at(names[:-1], path)
    name = names[-1]
    if name not in node["properties"]:
        raise KeyError(path)
    return _spec(model, name)


@functools.cache
def _spec(model: str, name: str) -> FieldSpec:
    schema = case_schema()
    node = schema if model == schema["title"] else schema["$defs"][model]
    prop = node["properties"][name]
    value = _value_schema(prop)
    kind: Kind
    choices: tuple[str, ...] = ()
    items = value.get("items", {})
    if value.get("type") == "boolean":
        kind = "bool"
    elif "enum" in value or "const" in value:
        kind, choices = "choice", tuple(value.get("enum", [value.get("const")]))
    elif value.get("type") == "array" and "enum" in items:
        kind, choices = "multi", tuple(items["enum"])
    elif value.get("type") in ("integer", "number"):
        kind = "int" if value["type"] == "integer" else "float"
    elif value.get("type") == "string":
        kind = "date" if value.get("format") == "date" else "text"
    else:
        raise TypeError(f"no editor for {model}.{name}: {value}")
    return FieldSpec(model=model, name=name, title=prop.get("title", name), description=prop.get("description", ""),
                     unit=prop.get("unit"), kind=kind, choices=choices, minimum=value.get("minimum"),
                     maximum=value.get("maximum"), required=name in node.get("required", ()),
                     bulk_no=prop.get("bulk_no", True))


def list_fields(path: str) -> list[str]:
    """Every list-of-objects field path of the object at `path` (edited as rows, not by `section_fields`)."""
    _, node = _object_at([k for k in parse_path(path) if isinstance(k, str)], path)
    return [f"{path}.{name}" for name, prop in node["properties"].items() if _is_object_list(prop)]


def section_fields(path: str) -> list[str]:
    """Every scalar field path of the object at `path` ("patient", "fractures[0]"), in model order
    (lists of objects, such as earlier drugs, have editors of their own)."""
    _, node = _object_at([k for k in parse_path(path) if isinstance(k, str)], path)
    return [f"{path}.{name}" for name, prop in node["properties"].items() if not _is_object_list(prop)]


def _is_object_list(prop: dict[str, Any]) -> bool:
    """A JSON Schema property holding a list of objects (optional or not)."""
    return any("$ref" in option.get("items", {}) for option in [prop, *prop.get("anyOf", [])])


class NumberValidator(QValidator):
    """Accepts anything that looks like a number; out-of-range numbers stay (Intermediate) so the
    model's message can say what is allowed. `bottom`/`top` are the model's ge/le."""

    _NUMBERISH = re.compile(r"\s*[-+−]?\d*([.,]\d*)?\s*")

    def __init__(self, bottom: float | None, top: float | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.bottom, self.top = bottom, top

    def validate(self, text: str, pos: int) -> QValidator.State:
        if not self._NUMBERISH.fullmatch(text):
            return QValidator.State.Invalid
        value = parse_number(text)
        if value is None:
            return QValidator.State.Acceptable if not text.strip() else QValidator.State.Intermediate
        if isinstance(value, str) or (self.bottom is not None and value < self.bottom) or (
                self.top is not None and value > self.top):
            return QValidator.State.Intermediate
        return QValidator.State.Acceptable


def parse_number(text: str) -> int | float | str | None:
    """"" -> None; "71" -> 71; "2,34" -> 2.34 (a whole number typed without a decimal point is an int,
    which a number field accepts too); text that is not a number comes back unchanged (str) for the
    model to reject."""
    cleaned = text.strip().replace(",", ".").replace("−", "-")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        return text
    if value.is_integer() and "." not in cleaned and "e" not in cleaned.lower():
        return int(value)
    return value


class FieldEditor(QWidget):
    """One field: an input bound to a draft path, its unit, a clear button and an inline message.

    `label` (with mnemonic buddy) and `help` are separate widgets for the page's grid.
    """

    edited = Signal(str)
    #: The editor's label is shown (with an Alt+letter); False for the later rows of a list.
    labelled = True

    def __init__(self, draft: CaseDraft, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft, self._path, self.spec = draft, path, resolve(path)
        self._local_error: str | None = None
        self._shown_error: str | None = None
        self._writing = False
        self.label = QLabel(tr(self.spec.title))
        self.label.setToolTip(tr(self.spec.description))
        self.help = QLabel(tr(FIELD_HELP.get(f"{self.spec.model}.{self.spec.name}", self.spec.description)))
        self.help.setWordWrap(True)
        self.help.setMinimumWidth(self.help.fontMetrics().averageCharWidth() * 24)
        set_text_colour(self.help)
        set_qt(self.help, textInteractionFlags="NoTextInteraction", alignment="AlignLeft|AlignTop")
        self.unit_label = QLabel(self.spec.unit or "")
        if not self.spec.unit:
            self.unit_label.hide()  # (never setVisible(True) on a widget without a parent: it opens a window)
        self.clear_button = QToolButton()
        self.clear_button.setText("×")
        self.clear_button.setAutoRaise(True)
        set_qt(self.clear_button, focusPolicy="NoFocus")
        self.clear_button.setToolTip(self.tr("Clear: back to not recorded (from the keyboard: empty the field, "
                                             "or choose \u201c— not recorded —\u201d)"))
        self.clear_button.setAccessibleName(self.tr("Clear %1").replace("%1", tr(self.spec.title)))
        self.clear_button.clicked.connect(self.clear)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        set_text_colour(self.error_label, ERROR_COLOUR)
        self.error_label.setVisible(False)
        set_qt(self.error_label, textInteractionFlags="TextSelectableByMouse")

        self.input = self._make_input()
        name = tr(self.spec.title) + (f" ({self.spec.unit})" if self.spec.unit else "")
        self.input.setAccessibleName(name)
        self.input.setAccessibleDescription(tr(self.spec.description))
        self.input.setToolTip(tr(self.spec.description))
        self.label.setBuddy(self.input)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.input)
        row.addWidget(self.unit_label)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.error_label)
        column.addStretch(1)  # in a taller grid row the input stays at the top, level with its label
        _EditorHub.of(draft).add(self)
        draft.messages_started.connect(self._show_error)
        self.refresh()

    # ---- binding -------------------------------------------------------------------------
    @property
    def path(self) -> str:
        return self._path

    def set_path(self, path: str) -> None:
        """Rebind to another path of the same field (e.g. another fracture); drops local input."""
        self._path, self._local_error = path, None
        self.refresh()

    def _on_draft_changed(self, changed: str) -> None:
        if self._writing:
            return
        if not changed or changed == self._path or self._path.startswith(changed + ".") or \
                self._path.startswith(changed + "["):
            self._local_error = None
            self.refresh()
        else:  # another field can make this one wrong (a date after the assessment date, a repeated level)
            self._show_error()

    def refresh(self) -> None:
        """Show the draft's value and message for this path."""
        self._writing = True
        try:
            self._show(self.draft.get(self._path))
        finally:
            self._writing = False
        self._show_error()

    def value(self) -> Any:
        """What the draft holds for this path (None = not recorded)."""
        return self.draft.get(self._path)

    def error(self) -> str | None:
        """The message shown inline, if any."""
        return self.error_label.text() if self.error_label.isVisibleTo(self) else None

    def clear(self) -> None:
        """Back to not recorded."""
        self._local_error = None
        self._write(None)
        self.refresh()

    # ---- user input ----------------------------------------------------------------------
    def _user_changed(self) -> None:
        if self._writing:
            return
        value = self._read()
        message = None if value is None else self._check(value)
        self._local_error = message
        # An entry the model rejects is kept here and reported; the draft gets "not recorded".
        self._write(None if message else value)
        self._show_error()
        self.edited.emit(self._path)

    def _write(self, value: Any) -> None:
        self._writing = True
        try:
            self.draft.set(self._path, value)
        finally:
            self._writing = False

    def _show_error(self) -> None:
        recorded = self.draft.get(self._path) is not None
        message = self._local_error
        if message is None and recorded:
            message = self.draft.errors().get(self._path)
        self.clear_button.setEnabled(recorded or bool(message))
        if message == self._shown_error:
            return  # restyling every input on every keystroke would be slow
        self._shown_error = message
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
        self.input.setStyleSheet(INVALID_INPUT_STYLE if message else "")

    # ---- per kind ------------------------------------------------------------------------
    def _check(self, value: Any) -> str | None:
        return self.spec.check(value)

    def _make_input(self) -> QWidget:
        raise NotImplementedError

    def tab_widgets(self) -> list[QWidget]:
        """The editor's widgets that Tab visits, in order."""
        return [self.input]

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _read(self) -> Any:
        raise NotImplementedError


class _EditorHub(QObject):
    """Routes the draft's changes to the editors they concern, one connection for all of them: editors
    bound to the changed path (or inside it) re-read their value; the others only re-show their message,
    and only when the model's message for their path has changed (another field can make one wrong)."""

    def __init__(self, draft: CaseDraft) -> None:
        super().__init__(draft)
        self.setObjectName("editorHub")
        self.draft = draft
        self.editors: list[FieldEditor] = []
        self.messages: dict[str, str] = {}
        draft.changed.connect(self._changed)

    @classmethod
    def of(cls, draft: CaseDraft) -> _EditorHub:
        return draft.findChild(cls, "editorHub") or cls(draft)

    def add(self, editor: FieldEditor) -> None:
        self.editors.append(editor)

    def _changed(self, changed: str) -> None:
        self.editors = [e for e in self.editors if shiboken6.isValid(e)]
        messages = self.draft.errors()
        for editor in self.editors:
            path = editor.path
            if not changed or path == changed or path.startswith((changed + ".", changed + "[")):
                editor._on_draft_changed(changed)  # noqa: SLF001 - the hub is the editors' own dispatcher
            elif messages.get(path) != self.messages.get(path):
                editor._show_error()  # noqa: SLF001
        self.messages = messages


class TypeAheadCombo(QComboBox):
    """A combo box whose type-ahead moves on: once the letters typed match exactly one choice ("y" for yes,
    "l2" for L2, "non-" for non-opioid), that choice is selected and the cursor goes to the next field.
    Letters that still match several choices ("t1": T1, T10-T12) wait for more, or for Tab."""

    def __init__(self) -> None:
        super().__init__()
        self._typed, self._last = "", 0.0

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        super().keyPressEvent(event)
        text = event.text()
        if not text or not text.isprintable() or text.isspace() or event.modifiers() not in (
                event.modifiers().NoModifier, event.modifiers().ShiftModifier):
            return
        now = time.monotonic()
        if now - self._last > QApplication.keyboardInputInterval() / 1000:
            self._typed = ""
        self._typed, self._last = self._typed + text.lower(), now
        matches = [i for i in range(self.count()) if self.itemText(i).lower().startswith(self._typed)]
        if matches == [self.currentIndex()]:
            self._typed = ""
            self._move_on()

    def _move_on(self) -> None:
        """Focus the next widget that Tab would reach, if it is on the same step (the last field of a step
        keeps the cursor, so that Enter goes to the next step rather than pressing a button)."""
        from vcf_desktop.gui.qt_lazy import Qt

        step = self.parentWidget()
        while step is not None and not isinstance(step, QWizardPage):
            step = step.parentWidget()
        widget = self.nextInFocusChain()
        while widget is not self and not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible()
                                          and widget.isEnabled()):
            widget = widget.nextInFocusChain()
        if step is None or step.isAncestorOf(widget):
            widget.setFocus()


class ChoiceEditor(FieldEditor):
    """A combo box: "— not recorded —" first, then yes/no or the model's Literal choices."""

    def _make_input(self) -> QComboBox:
        self.combo = TypeAheadCombo()
        self.combo.addItem(not_recorded_text(), None)
        if self.spec.kind == "bool":
            self.combo.addItem(self.tr("yes"), True)
            self.combo.addItem(self.tr("no"), False)
        else:
            for choice in self.spec.choices:
                self.combo.addItem(choice_text(choice, self.spec), choice)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumWidth(input_width(self.combo))
        self.combo.currentIndexChanged.connect(self._user_changed)
        return self.combo

    def _show(self, value: Any) -> None:
        known = self.combo.count() - (1 if self.combo.property("unknown_item") else 0)
        if self.combo.property("unknown_item"):
            self.combo.removeItem(known)
            self.combo.setProperty("unknown_item", False)
        index = next((i for i in range(known) if self.combo.itemData(i) == value
                      and type(self.combo.itemData(i)) is type(value)), -1)
        if index < 0:  # a value from a file that is not a valid choice: show it, never hide it
            self.combo.addItem(self.tr("%1 (not allowed)").replace("%1", str(value)), value)
            self.combo.setProperty("unknown_item", True)
            index = known
        self.combo.setCurrentIndex(index)

    def _read(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        """Select `value` (as a user would); None selects not recorded."""
        index = self.combo.findData(value) if value is not None else 0
        if index < 0:
            raise ValueError(f"{value!r} is not a choice of {self.path}")
        self.combo.setCurrentIndex(index)


class LineEditor(FieldEditor):
    """A line edit for numbers, dates and text; empty = not recorded."""

    def _make_input(self) -> QLineEdit:
        self.line = QLineEdit()
        spec = self.spec
        if spec.kind in ("int", "float"):
            self.line.setValidator(NumberValidator(spec.minimum, spec.maximum, self.line))
            rng = spec.range_text()
            self.line.setPlaceholderText(self.tr("not recorded") + (f" ({rng})" if rng else ""))
            self.line.setFixedWidth(input_width(self.line))
            set_qt(self.line, alignment="AlignRight|AlignVCenter")
        else:
            self.line.setPlaceholderText(self.tr("not recorded"))
            self.line.setMinimumWidth(2 * input_width(self.line))
        self.line.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.line.textEdited.connect(self._user_changed)
        return self.line

    def _show(self, value: Any) -> None:
        if value is None:
            text = ""
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and self.spec.kind in ("int", "float"):
            text = number_text(value)
        else:
            text = str(value)
        if self.line.text() != text:
            self.line.setText(text)

    def _read(self) -> Any:
        text = self.line.text()
        if self.spec.kind in ("int", "float"):
            return parse_number(text)
        return text.strip() or None

    def set_text(self, text: str) -> None:
        """Type `text` as a user would (replaces the content, fires the edit)."""
        self.line.setText(text)
        self._user_changed()


class DateEditor(LineEditor):
    """A date typed as YYYY-MM-DD or in a short form (`gui.date_entry`: "-9", "9d", "15.11.") read against
    the assessment date (against today for the assessment date itself). While a short form is in the field,
    the ISO date it stands for is shown under it; leaving the field puts the ISO date in. The draft keeps
    the ISO text of the case file."""

    def __init__(self, draft: CaseDraft, path: str, parent: QWidget | None = None) -> None:
        super().__init__(draft, path, parent)
        self.layout().insertWidget(2, self.note)  # under the input and its message, above the stretch
        reference = self.tr("today") if path == "assessment_date" else self.tr("the assessment date")
        self.input.setToolTip(self.input.toolTip() + "\n" + self.tr(
            "Also: 15.11. (day.month), -9 or 9d (days before %1), -2w, -6m, -1y.").replace("%1", reference))

    def _make_input(self) -> QLineEdit:
        line = super()._make_input()
        line.setValidator(QRegularExpressionValidator(QRegularExpression(date_entry.ALLOWED), line))
        line.setMaxLength(12)
        line.setPlaceholderText(self.tr("YYYY-MM-DD or -9"))
        line.setFixedWidth(input_width(line))
        line.editingFinished.connect(self._normalise)
        self.note = QLabel()
        self.note.setWordWrap(True)  # as wide as the input: the form's columns do not move while typing
        self.note.hide()
        return line

    def _reference(self) -> tuple[date, str]:
        """The day short forms are read against, and its name."""
        if self.path != "assessment_date":
            try:
                return date.fromisoformat(self.draft.get("assessment_date") or ""), self.tr("the assessment date")
            except (TypeError, ValueError):
                pass  # a case without an assessment date is planned for today
        return clock.today(), self.tr("today")

    def _read(self) -> Any:
        text = self.line.text().strip()
        if not text:
            return None
        try:
            return date_entry.parse_date(text, self._reference()[0]).isoformat()
        except ValueError:
            return text  # `_check` says what is wrong

    def _check(self, value: Any) -> str | None:
        try:
            return self.spec.check(date_entry.parse_date(value, self._reference()[0]))
        except ValueError as exc:
            return str(exc)

    def _user_changed(self) -> None:
        super()._user_changed()
        self._explain()

    def _show(self, value: Any) -> None:
        super()._show(value)
        self._explain()

    def _explain(self) -> None:
        """Under a short form, the ISO date it stands for and how far it is from the reference day."""
        value = self.value()
        shown = isinstance(value, str) and self._local_error is None and self.line.text().strip() != value
        if shown:
            reference, name = self._reference()
            self.note.setText(f"= {value} ({date_entry.relation(date.fromisoformat(value), reference, name)})")
        self.note.setVisible(shown)

    def _normalise(self) -> None:
        """Leaving the field: a short form that was read becomes the ISO date (rejected text stays)."""
        if self._local_error is None:
            self.refresh()


class _Boxes(QWidget):
    """The row of check boxes: focusing it (a label's Alt+letter) focuses its first box. (Not a focus
    proxy: with one, Tab order skips the first box.)"""

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        first = next((w for w in self.findChildren(QCheckBox)), None)
        if first is not None:
            first.setFocus()


class MultiEditor(FieldEditor):
    """One check box per choice, `BOX_COLUMNS` to a row (the form stays narrow enough for 150 % on a 1920x1080
    screen); none ticked = not recorded."""

    BOX_COLUMNS = 3

    def _make_input(self) -> QWidget:
        box = _Boxes()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for i, choice in enumerate(self.spec.choices):
            check = QCheckBox(choice_text(choice))
            check.setAccessibleName(f"{tr(self.spec.title)}: {choice_text(choice)}")
            check.toggled.connect(self._user_changed)
            self.boxes[choice] = check
            grid.addWidget(check, *divmod(i, self.BOX_COLUMNS))
        set_qt(box, focusPolicy="ClickFocus")  # a label's Alt+letter reaches the first box; Tab skips it
        return box

    def tab_widgets(self) -> list[QWidget]:
        return list(self.boxes.values())

    def _show(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for choice, check in self.boxes.items():
            check.setChecked(choice in chosen)

    def _read(self) -> Any:
        chosen = [c for c, check in self.boxes.items() if check.isChecked()]
        return chosen or None

    def set_value(self, value: list[str] | None) -> None:
        for choice, check in self.boxes.items():
            check.setChecked(choice in (value or []))


def make_editor(draft: CaseDraft, path: str, parent: QWidget | None = None) -> FieldEditor:
    """The editor for the field at `path`, chosen by the model's type for it."""
    from vcf_desktop.gui import units

    if path in units.LABS:
        from vcf_desktop.gui.lab_field import LabEditor

        return LabEditor(draft, path, parent)
    kind = resolve(path).kind
    cls: type[FieldEditor] = {"bool": ChoiceEditor, "choice": ChoiceEditor, "multi": MultiEditor,
                              "date": DateEditor}.get(kind, LineEditor)
    return cls(draft, path, parent)


def assign_mnemonics(labels: list[QLabel | QAbstractButton], reserved: str = "bn") -> None:
    """Give each label a unique Alt+letter from its own text (never one of `reserved`).

    A maximum matching of labels to letters (augmenting paths), so that a full page still gives every
    label a letter when one exists; each label prefers its earliest letters.
    """
    texts = [label.text().replace("&", "&&") for label in labels]
    candidates = [list(dict.fromkeys(ch.lower() for ch in t if ch.isascii() and ch.isalpha()
                                     and ch.lower() not in reserved.lower())) for t in texts]
    owner: dict[str, int] = {}

    def claim(i: int, seen: set[str]) -> bool:
        for letter in candidates[i]:
            if letter not in seen:
                seen.add(letter)
                if letter not in owner or claim(owner[letter], seen):
                    owner[letter] = i
                    return True
        return False

    for i in range(len(labels)):
        claim(i, set())
    for letter, i in owner.items():
        at = texts[i].lower().index(letter)
        labels[i].setText(texts[i][:at] + "&" + texts[i][at:])
