"""The plan on screen: headline, pitfalls, sections with *Why?*, scores, drugs, missing data, follow-up.

A view only: every word of clinical content comes from the engine's Plan; labels, order and
formatting come from `report.common`, so the screen says what the printed plan says.
"""

from __future__ import annotations

import functools
import html

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from vcf_desktop.domain import vocab
from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Because, FollowUp, Plan
from vcf_desktop.gui.summary_card import SummaryCard
from vcf_desktop.report import common as c
from vcf_desktop.report.summary import summarise

_CTX = "PlanView"
_NOTHING = object()
_esc = functools.partial(html.escape, quote=False)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _label(text: str = "", *, rich: bool = False, css: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if css:
        label.setStyleSheet(css)
    return label


def _heading(text: str) -> QLabel:
    label = _label(text, css="font-size: 13pt; font-weight: bold; color: #263238; margin-top: 10px;")
    label.setAccessibleName(text)
    return label


def why_html(because: Sequence[Because], citations: Sequence[str], case: Case | None, protocol: c.ProtocolLike) -> str:
    """The *Why?* text: each input with the criterion it met, then each citation with its full reference."""
    rows = "".join(f"<li>{_esc(c.because_text(b, case))}</li>" for b in c.held(because))
    refs = "".join(f"<li><b>{_esc(r)}</b> — {_esc(c.reference_text(r, protocol))}</li>" for r in citations)
    parts = []
    if rows:
        parts.append(f"<b>{_tr('Because')}</b><ul style='margin-top:0'>{rows}</ul>")
    if refs:
        parts.append(f"<b>{_tr('Evidence')}</b><ul style='margin-top:0'>{refs}</ul>")
    return "".join(parts)


class WhyEntry(QFrame):
    """One recommendation or warning: its text and a *Why?* button that expands the reasons and references."""

    def __init__(self, text: str, why: str, badge: tuple[str, str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whyEntry")
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setHorizontalSpacing(8)
        col = 0
        if badge is not None:
            word, colour, background = badge
            self.setStyleSheet(f"#whyEntry {{ background: {background}; border-left: 4px solid {colour}; }}")
            tag = _label(word, css=f"color: {colour}; font-weight: bold;")
            tag.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
            layout.addWidget(tag, 0, col, Qt.AlignmentFlag.AlignTop)
            col += 1
        self.text_label = _label(text)
        layout.addWidget(self.text_label, 0, col, Qt.AlignmentFlag.AlignVCenter)
        layout.setColumnStretch(col, 1)
        self.why_button = QToolButton()
        self.why_button.setText(_tr("Why?"))
        self.why_button.setCheckable(True)
        self.why_button.setToolTip(_tr("Show the findings and evidence behind this"))
        self.why_button.setAccessibleName(_tr("Why: {0}").format(text[:60]))
        layout.addWidget(self.why_button, 0, col + 1, Qt.AlignmentFlag.AlignTop)
        self.why_label = _label(why, rich=True, css="color: #37474f; background: #f7f9fa; padding: 4px;")
        self.why_label.setVisible(False)
        layout.addWidget(self.why_label, 1, col, 1, 2)
        self.why_button.toggled.connect(self._toggle)

    def _toggle(self, shown: bool) -> None:
        self.why_label.setVisible(shown)
        self.why_button.setText(_tr("Hide why") if shown else _tr("Why?"))


class TimelineMarker(QWidget):
    """The painted spine of the follow-up timeline: a line through a dot, one per row."""

    def __init__(self, first: bool, last: bool, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._first, self._last, self._colour = first, last, QColor(colour)
        self.setFixedWidth(22)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x, dot_y = self.width() / 2, 11.0
        painter.setPen(QPen(QColor("#90a4ae"), 2))
        painter.drawLine(QPointF(x, 0 if not self._first else dot_y),
                         QPointF(x, self.height() if not self._last else dot_y))
        painter.setPen(QPen(self._colour, 2))
        painter.setBrush(self._colour)
        painter.drawEllipse(QPointF(x, dot_y), 6, 6)
        painter.end()


class FollowUpTimeline(QFrame):
    """Follow-up as a timeline from the assessment date: day, date and what is due."""

    def __init__(self, assessment: date, entries: Sequence[FollowUp], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setStyleSheet("#timeline { background: #fafafa; border: 1px solid #cfd8dc; border-radius: 4px; }")
        grid = QGridLayout(self)
        grid.setVerticalSpacing(0)
        grid.setHorizontalSpacing(6)
        rows = [(0, assessment, _tr("Assessment (this plan)"), "#546e7a")]
        rows += [(f.due_days, f.due_date, f.what, "#1565c0") for f in entries]
        for r, (days, when, what, colour) in enumerate(rows):
            grid.addWidget(TimelineMarker(r == 0, r == len(rows) - 1, colour), r, 0)
            day = _tr("today") if days == 0 else _tr("day {0}").format(days)
            grid.addWidget(_label(f"{when.isoformat()}\n{when.strftime('%a')}, {day}",
                                  css="font-weight: bold; color: #263238; padding-bottom: 10px;"),
                           r, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(_label(what, css="padding-bottom: 10px;"), r, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(2, 1)


class PlanView(QWidget):
    """Shows one Plan (or, before there is one, what is needed to make it)."""

    def __init__(self, protocol: c.ProtocolLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._protocol = protocol
        self.plan: Plan | None = None
        self._shown_key: object = _NOTHING  # what the built content shows
        self._built: Plan | None = None
        self._pending: tuple[object, Plan | None, Case | None] | None = None
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)
        self.show_plan(None, None)

    # ---- public ------------------------------------------------------------------------------
    def show_plan(self, plan: Plan | None, case: Case | None) -> None:
        """Show `plan` (`None`: the empty state). Built when visible; unchanged plans are not rebuilt."""
        self.plan = plan
        key = None if plan is None else (plan.model_dump_json(exclude={"generated_at"}), case)
        if key == self._shown_key:
            self._pending = None
            return
        self._pending = (key, plan, case)
        if self.isVisible():
            self._rebuild()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        QTimer.singleShot(0, self, self._rebuild)  # not inside the show event: it would add children mid-show

    def _rebuild(self) -> None:
        if self._pending is None:
            return
        key, plan, case = self._pending
        self._pending = None
        same_case = plan is not None and self._built is not None and plan.case_id == self._built.case_id
        expanded = {e.text_label.text() for e in self.why_entries() if e.why_button.isChecked()} if same_case else set()
        self._built = plan
        content = QWidget()
        content.setObjectName("planContent")
        content.setStyleSheet("#planContent { background: white; }")
        if plan is None:
            self._build_empty(content)
        else:
            self._build(content, plan, case)
        position = self._scroll.verticalScrollBar().value()
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._scroll.setWidget(content)
        for entry in self.why_entries():
            entry.why_button.setChecked(entry.text_label.text() in expanded)
        self._scroll.verticalScrollBar().setValue(position)
        self._shown_key = key

    def why_entries(self) -> list[WhyEntry]:
        widget = self._scroll.widget()
        return widget.findChildren(WhyEntry) if widget is not None else []

    def text(self) -> str:
        """Every label's text, in layout order (for tests and accessibility checks)."""
        widget = self._scroll.widget()
        return "\n".join(label.text() for label in widget.findChildren(QLabel)) if widget is not None else ""

    # ---- building ----------------------------------------------------------------------------
    def _build_empty(self, content: QWidget) -> None:
        layout = QVBoxLayout(content)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addWidget(_label(_tr("No plan yet"), css="font-size: 16pt; font-weight: bold; color: #455a64;"))
        layout.addWidget(_label(_tr(
            "The plan appears here as soon as the case has the patient's age and sex and the level of "
            "the index fracture. Everything else you record refines it; nothing unrecorded is assumed "
            "to be normal."), css="font-size: 11pt; color: #455a64;"))
        layout.addStretch(1)

    def _build(self, content: QWidget, plan: Plan, case: Case | None) -> None:
        page = QVBoxLayout(content)
        # The minimum height of wrapped text is its height at the narrowest width: far too tall. Ignoring it
        # lets the scroll area size the content by height-for-width at the actual width.
        content.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        page.setContentsMargins(16, 12, 16, 16)
        page.setSpacing(8)
        for warning in c.protocol_warnings(plan.protocol):
            page.addWidget(_label(warning, css="color: #b71c1c; font-weight: bold;"))
        page.addWidget(SummaryCard(summarise(plan, case, self._protocol)))
        if plan.pitfalls:
            page.addWidget(_heading(_tr("Watch out")))
            for p in c.by_severity(plan.pitfalls):
                page.addWidget(self._entry(p.text, p.because, p.citations, case, p.severity))

        columns = QHBoxLayout()
        columns.setSpacing(20)
        main, side, tail = QVBoxLayout(), QVBoxLayout(), QVBoxLayout()
        columns.addLayout(main, 3)
        columns.addLayout(side, 2)
        page.addLayout(columns)
        page.addLayout(tail)  # follow-up (with its timeline) and education use the full width
        page.addStretch(1)

        sections = c.sections(plan)
        if plan.follow_up and not any(s == "follow_up" for s, _ in sections):
            sections.append(("follow_up", []))
            sections.sort(key=lambda entry: vocab.SECTIONS.index(entry[0]))
        for section, items in sections:
            target = tail if vocab.SECTIONS.index(section) >= vocab.SECTIONS.index("follow_up") else main
            heading = _heading(_tr(c.SECTION_TITLE[section]))
            heading.setObjectName(f"section-{section}")
            target.addWidget(heading)
            entries = QVBoxLayout()
            for item in items:
                text = item.text + (f" ({_tr('strength')}: {item.strength})" if item.strength else "")
                severity = None if item.severity == "info" else item.severity
                entries.addWidget(self._entry(text, item.because, item.citations, case, severity))
            if section == "follow_up" and plan.follow_up:
                entries.addStretch(1)
                row = QHBoxLayout()
                row.setSpacing(20)
                row.addLayout(entries, 3)
                row.addWidget(FollowUpTimeline(plan.assessment_date, plan.follow_up), 2)
                target.addLayout(row)
            else:
                target.addLayout(entries)
        main.addStretch(1)

        side.addWidget(_heading(_tr("Scores")))
        side.addWidget(self._scores(plan))
        side.addWidget(_heading(_tr("Missing data — what each would change")))
        for m in plan.missing:
            side.addWidget(_label(f"<b>{_esc(c.field_label(m.field, case))}</b> — {_esc(m.impact)}", rich=True))
        if not plan.missing:
            side.addWidget(_label(_tr("The protocol lists no unrecorded finding that would change this plan.")))
        side.addWidget(_heading(_tr("Osteoporosis treatment")))
        side.addWidget(self._osteoporosis(plan))
        side.addWidget(_heading(_tr("Drugs to avoid")))
        for a in plan.avoid:
            side.addWidget(self._entry(f"{c.AGENT_LABEL.get(a.agent, a.agent)}: {a.reason}", a.because,
                                       a.citations, case, None))
        if not plan.avoid:
            side.addWidget(_label(_tr("No drug to avoid was identified.")))
        ref = plan.protocol
        side.addWidget(_label(_tr("Protocol {0} version {1} · sha256 {2}\n{3}").format(  # in halves: narrow column
            ref.id, ref.version, ref.sha256[:32], ref.sha256[32:]), css="color: #546e7a; font-size: 8pt; margin-top: 12px;"))
        side.addStretch(1)

    def _entry(self, text: str, because: Sequence[Because], citations: Sequence[str], case: Case | None,
               severity: str | None) -> WhyEntry:
        badge = None
        if severity is not None:
            badge = (_tr(c.SEVERITY_LABEL[severity]), c.SEVERITY_COLOUR[severity], c.SEVERITY_BG[severity])
        return WhyEntry(text, why_html(because, citations, case, self._protocol), badge)

    def _scores(self, plan: Plan) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for r, (field, label, unit) in enumerate(c.SCORE_ROWS):
            value = getattr(plan.scores, field)
            grid.addWidget(_label(_tr(label), css="color: #546e7a;"), r, 0)
            if value is None:
                grid.addWidget(_label(_tr("cannot be computed"), css="color: #546e7a; font-style: italic;"), r, 1)
            else:
                grid.addWidget(_label(c.format_value(value, unit), css="font-weight: bold;"), r, 1)
        grid.setColumnStretch(1, 1)
        return box

    def _osteoporosis(self, plan: Plan) -> QWidget:
        op = plan.osteoporosis
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_label(f"<b>{_tr('Status')}:</b> {_esc(_tr(c.OSTEOPOROSIS_STATUS_LABEL[op.status]))}",
                                rich=True))
        if op.recommended:
            layout.addWidget(_label(f"<b>{_tr('Recommended')}:</b> {_esc(c.agents_text(op.recommended))}", rich=True))
        if op.prerequisites:
            items = "".join(f"<li>{_esc(p)}</li>" for p in op.prerequisites)
            layout.addWidget(_label(f"<b>{_tr('First')}:</b><ul style='margin-top:0'>{items}</ul>", rich=True))
        return box
