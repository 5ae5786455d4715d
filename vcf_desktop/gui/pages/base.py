"""What every wizard step shares: the red-flag banner on top, a scrolling body, an optional side
panel, the "required to continue" hint, and form grids generated from the case model.

A step is made in two parts: an empty page with its title when the wizard is made, and everything else
(banner, body, side panel, hint and the content from `build`) when it is first needed: on arrival, or
in idle time once the protocol has loaded. Widgets read the draft when they are built, so a step built
late shows what was opened or typed before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from vcf_desktop.gui import applicability
from vcf_desktop.gui.banner import RedFlagBanner
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import (
    FieldEditor,
    assign_mnemonics,
    make_editor,
    resolve,
    set_font,
    set_text_colour,
    tr,
)
from vcf_desktop.gui.qt_lazy import Qt, set_qt

if TYPE_CHECKING:
    from vcf_desktop.domain.plan import Plan
    from vcf_desktop.engine import LoadedProtocol
    from vcf_desktop.gui.list_field import ListEditor
    from vcf_desktop.gui.live_panel import LivePanel

#: Alt+letters of the menus (File, Help) and of the wizard's own buttons (Back, Next, "Unanswered yes/no → No"):
#: never given to a field.
RESERVED_MNEMONICS = "fhbno"


#: Width of the column beside a step's form (values derived as the user types, scores, the spine diagram):
#: the same on every step, and narrow enough to leave the form its width at 150 % on a 1920x1080 screen.
SIDE_WIDTH = 230


def score_keys() -> tuple[str, ...]:
    """Every plan score, in the report's order (the values always come from the plan)."""
    from vcf_desktop.report import common as c

    return tuple(key for key, _, _ in c.SCORE_ROWS)


class FitScrollArea(QScrollArea):
    """A scroll area whose page is as tall as its wrapped text needs at the current width (Qt does not
    propagate height-for-width through a scroll area, so wrapped help texts would be squeezed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A viewport made in Python: the first `viewport()` call on one that Qt made looks up its Python
        # type among every QWidget subclass (about 14 ms before the first paint).
        viewport = QWidget()
        viewport.setBackgroundRole(QPalette.ColorRole.NoRole)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()  # a message appeared or went: the page's height changes
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        widget = self.widget()
        if widget is not None and widget.layout() is not None and widget.layout().hasHeightForWidth():
            width = max(self.viewport().width(), widget.layout().totalMinimumSize().width())
            widget.setMinimumHeight(widget.layout().totalHeightForWidth(width))


class StepPage(QWizardPage):
    """A wizard step: banner, scrolling body and optional side panel; the content comes from `build()`."""

    def __init__(self, draft: CaseDraft, title: str, subtitle: str = "", *, scroll: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.editors: list[FieldEditor] = []
        self.lists: list[ListEditor] = []
        self.live: LivePanel | None = None
        self.protocol: LoadedProtocol | None = None  # set by the wizard once loaded
        self.derived: DerivedPanel | None = None
        self.built = False
        self._scrolls = scroll
        self._plan: Plan | None = None
        self._complete_seen: bool | None = None  # isComplete()'s last answer
        self._evaluated = False  # no plan has been shown yet (the protocol is still loading)
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        draft.changed.connect(self._on_draft_changed)
        draft.messages_started.connect(self.recheck_complete)

    # ---- content -------------------------------------------------------------------------
    def _make_frame(self) -> None:
        self.banner = RedFlagBanner()
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(4, 4, 12, 4)
        self.scroll: QScrollArea | None = None
        if self._scrolls:  # pages scroll, so that they stay usable on a 1366x768 screen
            self.scroll = FitScrollArea()
            self.scroll.setWidgetResizable(True)
            self.scroll.setFrameShape(QFrame.Shape.NoFrame)
            set_qt(self.scroll, focusPolicy="NoFocus")  # Tab and the first focus go to the fields
            self.scroll.setWidget(self.body)
        self.side_column = QWidget()
        self.side_column.setFixedWidth(SIDE_WIDTH)
        self.side = QVBoxLayout(self.side_column)
        self.side.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        set_text_colour(self.hint, "#8a4b00")
        set_font(self.hint, bold=True)
        self.hint.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.scroll or self.body, 1)
        row.addWidget(self.side_column)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.banner)
        outer.addLayout(row, 1)
        outer.addWidget(self.hint)

    def build(self) -> None:
        """Make the step's content (editors, panels); called once, by `ensure_built`."""

    def ensure_built(self) -> None:
        """Build the content now if it is not built yet (it then shows the draft and the latest plan)."""
        if not self.built:
            self.built = True
            self._make_frame()
            self.build()
            if not self.side.count():
                self.side_column.hide()
            if self._evaluated:
                self.show_plan(self._plan)
            self.completeChanged.emit()

    # ---- forms ---------------------------------------------------------------------------
    def add_form(self, paths: Iterable[str], title: str = "", into: QBoxLayout | None = None) -> list[FieldEditor]:
        """A grid of editors (label | input, unit, clear, message | help) for `paths`, added to `into`
        (the page body by default)."""
        box: QWidget = QGroupBox(title) if title else QWidget()
        grid = QGridLayout(box)
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        if not title:
            grid.setContentsMargins(0, 0, 0, 0)
        editors = []
        for row, path in enumerate(paths):
            editor = make_editor(self.draft, path, box)
            set_qt(editor.label, alignment="AlignRight|AlignTop")
            editor.label.setContentsMargins(0, 4, 0, 0)
            editor.help.setContentsMargins(0, 4, 0, 0)
            grid.addWidget(editor.label, row, 0)
            grid.addWidget(editor, row, 1)  # both top-aligned inside (no `Qt.*` before the first paint)
            grid.addWidget(editor.help, row, 2)
            editor.edited.connect(self.recheck_complete)
            editors.append(editor)
        (into if into is not None else self.body_layout).addWidget(box)
        self.editors += editors
        self.show_applicable()
        return editors

    def add_list(self, path: str, add_text: str) -> ListEditor:
        """Rows of editors for the list of objects at `path` (its title from the model), with add and remove."""
        from vcf_desktop.gui.list_field import ListEditor

        box = ListEditor(self, path, tr(resolve_list_title(path)), add_text)
        self.body_layout.addWidget(box)
        self.lists.append(box)
        return box

    def show_applicable(self) -> None:
        """Show the questions that apply to this patient (or hold a value); hide the others."""
        for editor in self.editors:
            shown = applicability.applies(self.draft, editor.path)
            if shown != (not editor.isHidden()):
                for widget in (editor.label, editor, editor.help):
                    widget.setVisible(shown)

    def finish_layout(self) -> None:
        """Call once every field is on the page: stretch, mnemonics and tab order."""
        self.body_layout.addStretch(1)
        assign_mnemonics(self.mnemonic_labels(), RESERVED_MNEMONICS)
        chain = [widget for editor in self.editors if editor.labelled for widget in editor.tab_widgets()]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def mnemonic_labels(self) -> list[QLabel | QAbstractButton]:
        """Everything on the page that gets an Alt+letter, in priority order."""
        return [e.label for e in self.editors if e.labelled] + [box.add_button for box in self.lists]

    def asks_yes_no(self) -> bool:
        """The step has yes/no questions (the wizard offers "Unanswered yes/no → No" on it)."""
        return any(e.spec.kind == "bool" for e in self.editors)

    def editor(self, path: str) -> FieldEditor:
        """The editor bound to `path` on this page (built first if need be)."""
        self.ensure_built()
        return next(e for e in self.editors if e.path == path)

    # ---- state ---------------------------------------------------------------------------
    def initializePage(self) -> None:
        """Arriving at the step builds it."""
        self.ensure_built()

    def first_field(self) -> QWidget | None:
        """The first input of the step that can take the cursor now (shown and enabled)."""
        return next((e.input for e in self.editors if e.input.isVisibleTo(self) and e.input.isEnabled()), None)

    def focus_first_field(self) -> None:
        """Put the cursor in the step's first field (the wizard calls this after every step change)."""
        self.ensure_built()
        widget = self.first_field()
        if widget is not None:
            # As setFocus(Qt.FocusReason.TabFocusReason) would, without Qt.* (this runs before the first
            # paint): a line edit that gains the focus has its text selected.
            gains = not widget.hasFocus()
            widget.setFocus()
            if gains and widget.hasFocus() and isinstance(widget, QLineEdit) and not widget.hasSelectedText():
                widget.selectAll()

    def required_missing(self) -> list[str]:
        """Titles of the fields this step needs before Next (only what the model requires; a step is
        built before it is shown, and an unbuilt one holds nothing)."""
        return [tr(e.spec.title) for e in self.editors
                if e.spec.required and (e.value() is None or e.error()) and not self._empty_row(e)]

    def _empty_row(self, editor: FieldEditor) -> bool:
        """The editor is in a row of a list that records nothing yet (its required fields wait)."""
        return any(editor.path.startswith(box.path + "[") for box in self.lists) and \
            not self.draft.get(editor.path.rsplit(".", 1)[0])

    def isComplete(self) -> bool:
        if not self.built:
            return True  # asked by QWizardPage itself; a step is built before it can be current
        missing = self.required_missing()
        self.hint.setText(self.tr("Required to continue: %1").replace("%1", ", ".join(missing)) if missing else "")
        self.hint.setVisible(bool(missing))
        self._complete_seen = not missing
        return not missing

    def set_protocol(self, protocol: LoadedProtocol) -> None:
        """The protocol has loaded: panels that need the engine start showing."""
        self.protocol = protocol
        if self.built:
            self.show_applicable()
        if self.live is not None:
            self.live.set_protocol(protocol)

    def _on_draft_changed(self, path: str) -> None:
        if self.built and applicability.depends_on(path):
            self.show_applicable()
        if self.live is not None and (not path or path.startswith(("patient", "labs"))):
            self.live.refresh()
        self.recheck_complete()

    def recheck_complete(self) -> None:
        """Tell the wizard when the current step's completeness has changed, and only then: the wizard
        repaints itself whole on every `completeChanged` (it asks again itself on arrival at a step, and
        every answer it gets is noted by `isComplete`)."""
        wizard = self.wizard()
        if self.built and (wizard is None or wizard.currentPage() is self):
            before = self._complete_seen
            if self.isComplete() != before:
                self.completeChanged.emit()

    def show_plan(self, plan: Plan | None) -> None:
        """The wizard's latest plan (None while the case is incomplete)."""
        self._plan, self._evaluated = plan, True
        if not self.built:
            return  # shown when built
        self.banner.show_plan(plan)
        if self.derived is not None:
            self.derived.show_plan(plan)

    def invalid_entries(self) -> list[tuple[str, str]]:
        """(title, message) of each entry the model rejected, kept in its editor (none before it is built)."""
        return [(tr(e.spec.title), e.error() or "") for e in self.editors
                if e.error() and e.value() is None]


class FormPage(StepPage):
    """A step of field groups, each `(group title, field paths)`, then lists of objects, each `(path, text
    of its add button)`, plus the plan scores they feed."""

    def __init__(self, draft: CaseDraft, title: str, subtitle: str, groups: list[tuple[str, list[str]]],
                 scores: tuple[str, ...] = (), lists: tuple[tuple[str, str], ...] = (), live: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(draft, title, subtitle, parent=parent)
        self.groups, self.scores, self.list_paths, self.live_kind = groups, scores, lists, live

    def build(self) -> None:
        for group_title, paths in self.groups:
            self.add_form(paths, group_title)
        for path, add_text in self.list_paths:
            self.add_list(path, add_text)
        if self.live_kind:  # "bmi+kidney" or "kidney": derived as the user types
            from vcf_desktop.gui.live_panel import LivePanel

            self.live = LivePanel(self.draft, bmi="bmi" in self.live_kind)
            self.side.addWidget(self.live)
            self.side.addStretch(1)
            if self.protocol is not None:
                self.live.set_protocol(self.protocol)
        if self.scores:
            self.derived = DerivedPanel(self.scores)
            self.side.addWidget(self.derived)
            self.side.addStretch(1)
        self.finish_layout()


#: Missing fields named under a score that cannot be computed (the plan's missing list has them all).
REASON_FIELDS = 2


class DerivedPanel(QGroupBox):
    """Scores from the latest plan, updated as the user types; "—" and the reason when not computable.

    The score rows (labels from `report.common`) are added with the first plan shown, once the
    models have loaded; until then the panel holds only its note.
    """

    def __init__(self, keys: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Derived (from the plan)"))
        self.keys = keys
        self.values: dict[str, QLabel] = {}
        self.reasons: dict[str, QLabel] = {}
        column = QVBoxLayout(self)
        column.setSpacing(2)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(2)
        column.addLayout(self.rows)
        self.note = QLabel(self.tr("No plan yet: it needs the patient's age and sex and the level of the "
                                   "index fracture."))
        self.note.setWordWrap(True)
        set_text_colour(self.note)
        column.addWidget(self.note)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def _add_rows(self) -> None:
        for key in self.keys:
            name = QLabel(self.score_label(key).replace("/", "/\u2060"))  # a word joiner: "mL/min" never broken
            value = QLabel("—")
            value.setStyleSheet("font-weight: bold; font-size: 11pt;")
            value.setAccessibleName(self.score_label(key))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            reason = QLabel()
            reason.setWordWrap(True)
            reason.setStyleSheet("color: palette(placeholder-text); font-size: 9pt;")
            name.setWordWrap(True)
            row = QHBoxLayout()
            row.setSpacing(12)
            row.addWidget(name, 1)
            row.addWidget(value, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.rows.addLayout(row)
            self.rows.addWidget(reason)
            self.values[key], self.reasons[key] = value, reason

    @staticmethod
    def score_label(key: str) -> str:
        """The report's label for a score (and its unit), translated."""
        from vcf_desktop.report import common as c

        label, unit = next((QCoreApplication.translate("Scores", lbl), u) for k, lbl, u in c.SCORE_ROWS if k == key)
        return f"{label} ({unit})" if unit else label

    def show_plan(self, plan: Plan | None) -> None:
        if not self.values:
            self._add_rows()
        self.note.setVisible(plan is None)
        for key in self.keys:
            value = getattr(plan.scores, key) if plan is not None else None
            text = "—" if value is None else f"{value:.1f}" if isinstance(value, float) else str(value)
            reason = self._missing_reason(plan, key) if plan is not None and value is None else ""
            self.values[key].setText(text)
            self.reasons[key].setText(reason)
            self.reasons[key].setVisible(bool(reason))

    def _missing_reason(self, plan: Plan, key: str) -> str:
        """The plan's own "missing" impacts that name this score, else a plain statement."""
        words = {"bmi": "BMI", "crcl_ml_min": "clearance", "genant_grade": "Genant", "of_class": "OF class",
                 "of_score": "OF score", "tlics": "TLICS", "ao_neuro": "AO"}[key]
        impacts = [m.field for m in plan.missing if re.search(rf"\b{re.escape(words)}\b", m.impact, re.IGNORECASE)]
        if impacts:
            titles = _titles(impacts)
            shown = ", ".join(titles[:REASON_FIELDS]) + (" …" if len(titles) > REASON_FIELDS else "")
            return self.tr("not computable; record: %1").replace("%1", shown)
        return self.tr("not computable from what is recorded")

    def text(self) -> str:
        """What the panel says, one score a line."""
        lines = [f"{self.score_label(k)}: {self.values[k].text()} {self.reasons[k].text()}".strip() for k in self.values]
        return "\n".join(lines + ([self.note.text()] if self.note.isVisibleTo(self) else []))


def resolve_list_title(path: str) -> str:
    """The model's title of a list-of-objects field ("bone_health.prior_therapies")."""
    from vcf_desktop.gui.schema_file import case_schema

    schema = case_schema()
    section, name = path.split(".")
    ref = schema["properties"][section].get("$ref") or schema["properties"][section]["anyOf"][0]["$ref"]
    return schema["$defs"][ref.removeprefix("#/$defs/")]["properties"][name].get("title", name)


def _titles(paths: list[str]) -> list[str]:
    out = []
    for path in paths:
        try:
            out.append(resolve(path).title)
        except (KeyError, ValueError, TypeError):
            out.append(path)
    return out
