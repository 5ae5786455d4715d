"""Help dialogs: About (what the program is, its version, the protocol's version, review date and sha256,
the intended use) and *How this protocol works* (a browsable document generated from the protocol data)."""

from __future__ import annotations

import functools
import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QTextBrowser,
                               QVBoxLayout, QWidget)

from vcf_desktop import __version__
from vcf_desktop.engine.protocol import LoadedProtocol
from vcf_desktop.gui.geometry import fit_dialog

_esc = functools.partial(html.escape, quote=False)


class AboutDialog(QDialog):
    """What this program is, which protocol it runs, and what it is (not) for."""

    def __init__(self, protocol: LoadedProtocol, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About VCF Desktop"))
        meta = protocol.data.protocol
        rows = [
            (self.tr("Version"), __version__),
            (self.tr("Protocol"), meta.title),
            (self.tr("Protocol version"), meta.version),
            (self.tr("Protocol review date"), meta.review_date.isoformat()),
            (self.tr("Protocol sha256"), protocol.sha256),
        ]
        table = "".join(f"<tr><td style='padding-right:12px; color:#546e7a'>{_esc(k).replace(' ', '&nbsp;')}</td>"
                        f"<td>{_esc(v)}</td></tr>" for k, v in rows)
        summary = self.tr("VCF Desktop is an offline clinical decision aid. It turns the findings of a vertebral "
                          "compression fracture into an evidence-based management plan: on screen, as a printed "
                          "plan for the chart and as a handout for the patient.")
        limits = self.tr("Decision support for clinicians, not a substitute for clinical judgement. Check every "
                         "recommendation against the patient in front of you; unrecorded findings are never "
                         "assumed to be normal.")
        body = (f"<h2>VCF Desktop</h2><p>{_esc(summary)}</p><table>{table}</table>"
                f"<h3>{_esc(self.tr('Intended use'))}</h3>"
                f"<p>{_esc(meta.intended_use)}</p><p><b>{_esc(limits)}</b></p>")
        self.text = QLabel(body)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(640)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class ProtocolDialog(QDialog):
    """*How this protocol works*: contents on the left, the document on the right, and a search field."""

    def __init__(self, protocol: LoadedProtocol, parent: QWidget | None = None) -> None:
        from vcf_desktop.report.protocol_doc import build, render_protocol_html

        super().__init__(parent)
        self.setWindowTitle(self.tr("How this protocol works"))
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(lambda url: self.text.scrollToAnchor(url.fragment()))
        self.text.setHtml(render_protocol_html(protocol))
        self.contents = QListWidget()
        self.contents.setAccessibleName(self.tr("Contents"))
        self.contents.addItems([section.heading for section in build(protocol)[1]])
        self.contents.currentRowChanged.connect(lambda row: self.text.scrollToAnchor(f"s{row}"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search, e.g. height loss, clearance, denosumab"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.search.textEdited.connect(lambda _text: self.find_next(from_top=True))
        self.status = QLabel()
        find_row = QHBoxLayout()
        find_label = QLabel(self.tr("&Search:"))
        find_label.setBuddy(self.search)
        find_row.addWidget(find_label)
        find_row.addWidget(self.search, 1)
        find_row.addWidget(self.status)
        panes = QHBoxLayout()
        panes.addWidget(self.contents, 1)
        panes.addWidget(self.text, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(find_row)
        layout.addLayout(panes, 1)
        layout.addWidget(buttons)
        fit_dialog(self, "protocol_dialog", QSize(1000, 680))

    def find_next(self, from_top: bool = False) -> bool:
        """Select the next match of the search text (from the top when asked, wrapping round); False if none."""
        words = self.search.text().strip()
        if not words:
            self.status.clear()
            return False
        if from_top:
            self.text.moveCursor(self.text.textCursor().MoveOperation.Start)
        found = self.text.find(words) or (self.text.moveCursor(self.text.textCursor().MoveOperation.Start)
                                          or self.text.find(words))
        self.status.setText("" if found else self.tr("not found"))
        return bool(found)


