"""Protocol governance in the app: which protocol runs, the banner that says when it is not the approved one
or is due for review, and what a newer protocol changes in an opened case's plan.

By default the shipped, approved protocol runs. Settings can name a local protocol file (kept in the
app's settings file, `protocol/local_file`); it then runs deliberately and every screen and output says
"unapproved protocol" with its sha256, unless the file is byte for byte the approved one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
    QRadioButton, QToolBar, QVBoxLayout, QWidget,
)

from vcf_desktop.gui.geometry import settings

if TYPE_CHECKING:
    from vcf_desktop.domain.case import PlanRecord
    from vcf_desktop.domain.plan import Plan
    from vcf_desktop.engine.protocol import LoadedProtocol

LOCAL_PROTOCOL_KEY = "protocol/local_file"
BANNER_CSS = "background: #fdecea; color: #b71c1c; font-weight: bold; padding: 6px 10px; border: 2px solid #b71c1c;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Governance", text)


def local_protocol() -> Path | None:
    """The local protocol file chosen in Settings, or None for the shipped, approved one."""
    value = settings().value(LOCAL_PROTOCOL_KEY, "")
    return Path(str(value)) if value else None


def set_local_protocol(path: Path | None) -> None:
    store = settings()
    if path is None:
        store.remove(LOCAL_PROTOCOL_KEY)
    else:
        store.setValue(LOCAL_PROTOCOL_KEY, str(path))
    store.sync()


def banner_lines(protocol: LoadedProtocol, today: date) -> list[str]:
    """The protocol's standing as every output words it (report.common.protocol_warnings); [] when approved and
    not due for review."""
    from vcf_desktop.report.common import protocol_warnings

    return protocol_warnings(protocol.ref(today))


class ProtocolBanner(QToolBar):
    """A red bar above everything while the protocol in use is unapproved or due for review; hidden otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Protocol"), parent)
        self.setObjectName("protocolBar")
        self.setMovable(False)
        self.label = QLabel()
        self.label.setStyleSheet(BANNER_CSS)
        self.label.setWordWrap(True)
        self.label.setAccessibleName(_tr("Protocol warning"))
        self.addWidget(self.label)
        self.hide()

    def show_protocol(self, protocol: LoadedProtocol, today: date) -> None:
        lines = banner_lines(protocol, today)
        if not protocol.approved:
            lines.append(_tr("Local protocol file: {0}").format(protocol.path))
        self.label.setText("\n".join(lines))
        self.setVisible(bool(lines))

    def text(self) -> str:
        """What the banner says, or "" while it is hidden."""
        return self.label.text() if not self.isHidden() else ""


class SettingsDialog(QDialog):
    """Choose the protocol: the approved one shipped with this release, or a local file (used deliberately)."""

    def __init__(self, current: Path | None, approved: LoadedProtocol | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Settings"))
        box = QGroupBox(_tr("Clinical protocol"))
        shipped = _tr("The protocol approved for this release (recommended)")
        if approved is not None and approved.approved:
            shipped += f"\n{approved.id} {approved.version} · sha256 {approved.sha256}"
        self.shipped = QRadioButton(shipped)
        self.local = QRadioButton(_tr("A &local protocol file:"))
        self.path = QLineEdit(str(current) if current else "")
        self.path.setPlaceholderText(_tr("a .toml protocol file"))
        choose = QPushButton(_tr("&Choose…"))
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        note = QLabel(_tr("A local protocol is used deliberately: every screen, printout and file then says "
                          "\"unapproved protocol\" with its sha256, unless the file is byte for byte the approved "
                          "protocol. Your hospital's protocol governance decides whether to use one."))
        note.setWordWrap(True)
        inner = QVBoxLayout(box)
        for widget in (self.shipped, self.local):
            inner.addWidget(widget)
        inner.addLayout(row)
        inner.addWidget(note)
        (self.local if current else self.shipped).setChecked(True)
        self.local.toggled.connect(self._update)
        self.path.textChanged.connect(self._update)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.buttons)
        self._update()

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, _tr("Choose a protocol file"), self.path.text(),
                                              _tr("Protocol files (*.toml);;All files (*)"))
        if name:
            self.path.setText(name)
            self.local.setChecked(True)

    def _update(self) -> None:
        self.path.setEnabled(self.local.isChecked())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.shipped.isChecked() or bool(self.path.text().strip()))

    def chosen(self) -> Path | None:
        """The local protocol file chosen, or None for the approved one."""
        return Path(self.path.text().strip()) if self.local.isChecked() else None


def plan_changes_box(record: PlanRecord, plan: Plan, parent: QWidget) -> QMessageBox | None:
    """A message listing what the protocol in use changes in a saved case's plan, or None when nothing does."""
    from vcf_desktop.engine.recheck import changes

    found = changes(record, plan)
    if not found:
        return None
    was, now = record.protocol, plan.protocol
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("The plan for this case has changed"), _tr(
        "This case was saved with a plan made under protocol {0} {1} (sha256 {2}). Under the protocol in use now, "
        "{3} {4} (sha256 {5}), its plan differs:").format(was.id, was.version, was.sha256, now.id, now.version,
                                                          now.sha256), parent=parent)
    box.setInformativeText("\n".join(f"• {c.describe()}" for c in found) + "\n\n" + _tr(
        "Review the new plan before acting on it. Saving the case records the new plan."))
    box.setObjectName("planChangesBox")
    return box
