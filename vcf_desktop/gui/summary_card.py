"""The summary card at the top of the Plan step: the same `report.summary` that page 1 of the PDF prints.

Headline (pathway, stability and the finding that decided it), what to do now, what to arrange,
osteoporosis drugs to start and to avoid, and the follow-up dates. A view only.
"""

from __future__ import annotations

import functools
import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from vcf_desktop.report import common as c
from vcf_desktop.report.summary import Summary

_esc = functools.partial(html.escape, quote=False)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SummaryCard", text)


def _label(text: str, name: str, css: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.setStyleSheet(css)
    return label


def _flag(severity: str) -> str:
    if severity == "info":
        return ""
    return f"<b style='color:{c.SEVERITY_COLOUR[severity]}'>{_esc(_tr(c.SEVERITY_LABEL[severity]))}:</b> "


def _block(title: str, entries: list[str], empty: str) -> str:
    """A heading and a bulleted list of already-escaped entries (or `empty`)."""
    body = ("<ul style='margin-top:0; margin-left:-20px'>" + "".join(f"<li>{e}</li>" for e in entries) + "</ul>"
            if entries else f"<p style='color:#546e7a'>{_esc(empty)}</p>")
    return f"<p style='font-size:12pt; font-weight:bold; color:#263238; margin-bottom:2px'>{_esc(title)}</p>{body}"


def _drugs_html(sm: Summary) -> str:
    d = sm.drugs
    out = [f"<p style='font-size:12pt; font-weight:bold; color:#263238; margin-bottom:2px'>"
           f"{_esc(_tr('Osteoporosis treatment'))}: <span style='font-weight:normal; color:#546e7a'>"
           f"{_esc(_tr(d.status))}</span></p>"]
    if d.start:
        out.append(f"<p><b>{_esc(_tr('Recommended (see below)'))}:</b> {_esc(', '.join(d.start))}</p>")
    if d.items:
        out.append("<ul style='margin-top:0; margin-left:-20px'>"
                   + "".join(f"<li>{_esc(i.text)}</li>" for i in d.items) + "</ul>")
    if d.before:
        out.append(f"<p><b>{_esc(_tr('Before starting'))}:</b> {_esc(' '.join(d.before))}</p>")
    avoid = "; ".join(f"<b>{_esc(drug)}</b> ({_esc(reason)})" for drug, reason in d.avoid)
    out.append(f"<p><b>{_esc(_tr('Avoid'))}:</b> {avoid or _esc(_tr('no drug for this patient'))}</p>")
    return "".join(out)


class SummaryCard(QFrame):
    """The plan's summary (`report.summary.Summary`) as a card; its labels have object names for tests."""

    def __init__(self, sm: Summary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryCard")
        self.setStyleSheet("#summaryCard { background: #ffffff; border: 1px solid #b0bec5; border-radius: 6px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(6)
        head = QFrame()
        head.setObjectName("headline")
        head.setStyleSheet(f"#headline {{ background: {sm.colour}; border-top-left-radius: 6px; "
                           "border-top-right-radius: 6px; } QLabel { color: white; }")
        head_layout = QVBoxLayout(head)
        head_layout.setContentsMargins(16, 8, 16, 8)
        head_layout.setSpacing(2)
        head_layout.addWidget(_label(_esc(sm.title), "headlineTitle", "font-size: 17pt; font-weight: bold;"))
        head_layout.addWidget(_label(_esc(sm.stability), "headlineStability", "font-size: 12pt; font-weight: bold;"))
        head_layout.addWidget(_label(_esc(_tr("Case {0} · assessed {1}").format(
            sm.case_label, sm.assessment_date.isoformat())), "headlineCase", "font-size: 9pt;"))
        layout.addWidget(head)
        for n, text in enumerate(sm.scope):
            layout.addWidget(_label(f"<b>{_esc(_tr('Outside the validated scope'))}:</b> {_esc(text)}",
                                    f"scope{n}", "color: #b71c1c; background: #fdecea; padding: 6px; margin: 0 12px;"))
        columns = QHBoxLayout()
        columns.setContentsMargins(16, 0, 16, 0)
        columns.setSpacing(24)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        left.addWidget(_label(_block(_tr("Do now"), [f"{_flag(i.severity)}{_esc(i.text)}" for i in sm.do_now],
                                     _tr("Nothing to do at this visit.")), "doNow"))
        left.addWidget(_label(_block(_tr("Arrange"), [f"{_flag(i.severity)}{_esc(i.text)}" for i in sm.arrange],
                                     _tr("Nothing to arrange.")), "arrange"))
        right.addWidget(_label(_drugs_html(sm), "drugs"))
        dates = [f"<b>{_esc(f.due_date.strftime('%a'))} {_esc(f.due_date.isoformat())}</b> "
                 f"({_esc(_tr('today') if f.due_days == 0 else _tr('day {0}').format(f.due_days))}): {_esc(f.what)}"
                 for f in sm.follow_up]
        right.addWidget(_label(_block(_tr("Follow-up"), dates, _tr("None scheduled.")), "followUp"))
        left.addStretch(1)
        right.addStretch(1)
        layout.addLayout(columns)
