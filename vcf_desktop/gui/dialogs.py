"""Help dialogs: About (version, protocol provenance, intended use) and *How this protocol works*."""

from __future__ import annotations

import functools
import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

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
            (self.tr("Protocol"), f"{meta.title} ({meta.id})"),
            (self.tr("Protocol version"), meta.version),
            (self.tr("Protocol review date"), meta.review_date.isoformat()),
            (self.tr("Protocol sha256"), protocol.sha256),
            (self.tr("Evidence base"), meta.evidence_base),
        ]
        table = "".join(f"<tr><td style='padding-right:12px; color:#546e7a'>{_esc(k).replace(' ', '&nbsp;')}</td>"
                        f"<td>{_esc(v)}</td></tr>" for k, v in rows)
        summary = self.tr("Turns the findings of a vertebral compression fracture into an evidence-based, "
                          "printable management plan.")
        limits = self.tr("Decision support for clinicians, not a substitute for clinical judgement. Check every "
                         "recommendation against the patient in front of you; unrecorded findings are never "
                         "assumed to be normal.")
        body = (f"<h2>VCF Desktop</h2><p>{_esc(summary)}</p><table>{table}</table>"
                f"<h3>{_esc(self.tr('Intended use and limits'))}</h3>"
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
    """The protocol's readable summary (`engine.protocol_summary`) in a scrollable read-only view."""

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("How this protocol works"))
        self.text = QPlainTextEdit(summary)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        fit_dialog(self, "protocol_dialog", QSize(900, 640))
