"""Print preview, printing and PDF export of the plan, for the clinician or the patient.

The pages are the report layer's (`report.pdf`): the same layout goes to a PDF file, the preview
and the printer, so what is previewed is what is printed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSize
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QMessageBox,
                               QToolBar, QWidget)

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Plan
from vcf_desktop.engine.protocol import LoadedProtocol
from vcf_desktop.gui.geometry import fit_dialog
from vcf_desktop.report import pdf
from vcf_desktop.report.common import AUDIENCES, DETAIL_LABEL, DETAILS

_CTX = "Printing"
AUDIENCE_LABEL = {"clinician": "Clinician summary", "patient": "Patient handout"}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def default_pdf_name(plan: Plan, audience: str, detail: str = "full") -> str:
    """`vcf-plan-<case id>-<assessment date>-<audience>[-summary].pdf`, so that exports of different cases,
    days and audiences never overwrite each other; the case id made safe as a file name (no folders, no
    `..`) and left out when there is none."""
    from vcf_desktop.domain.safe_write import safe_stem

    summary = "summary" if audience == "clinician" and detail == "summary" else ""
    parts = ["vcf-plan", safe_stem(plan.case_id, ""), plan.assessment_date.isoformat(), audience, summary]
    return "-".join(part for part in parts if part) + ".pdf"


def audience_combo(audience: str = "clinician") -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("audience")
    for key in AUDIENCES:
        combo.addItem(_tr(AUDIENCE_LABEL[key]), key)
    combo.setCurrentIndex(AUDIENCES.index(audience))
    return combo


def detail_combo(audience: QComboBox, detail: str = "full") -> QComboBox:
    """Summary only, or summary and reasoning; only for the clinician copy (the handout has one form)."""
    combo = QComboBox()
    combo.setObjectName("detail")
    for key in DETAILS:
        combo.addItem(_tr(DETAIL_LABEL[key]), key)
    combo.setCurrentIndex(DETAILS.index(detail))

    def follow() -> None:
        combo.setEnabled(audience.currentData() == "clinician")

    audience.currentIndexChanged.connect(follow)
    follow()
    return combo


def options_form(parent: QWidget, audience: str, detail: str) -> tuple[QComboBox, QComboBox]:
    """`Copy:` and `Contents:` choosers added to `parent` as a form."""
    who = audience_combo(audience)
    what = detail_combo(who, detail)
    form = QFormLayout(parent)
    form.addRow(_tr("&Copy:"), who)
    form.addRow(_tr("C&ontents:"), what)
    return who, what


class ExportOptionsDialog(QDialog):
    """Which copy to export: the clinician copy (summary only, or summary and reasoning) or the handout."""

    def __init__(self, parent: QWidget | None = None, audience: str = "clinician", detail: str = "full") -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Export PDF"))
        box = QWidget()
        self.audience, self.detail = options_form(box, audience, detail)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(box)
        layout.addRow(buttons)

    def choice(self) -> tuple[str, str]:
        return self.audience.currentData(), self.detail.currentData()


def export_pdf(parent: QWidget, plan: Plan, case: Case, protocol: LoadedProtocol, audience: str,
               case_path: Path | None = None, detail: str = "full") -> Path | None:
    """Ask where, write the PDF; returns the path written, or None if cancelled or it failed (user told)."""
    folder = case_path.parent if case_path else Path.home()
    name, _ = QFileDialog.getSaveFileName(
        parent, _tr("Export PDF — {0}").format(_tr(AUDIENCE_LABEL[audience]).lower()),
        str(folder / default_pdf_name(plan, audience, detail)), _tr("PDF files (*.pdf)"))
    if not name:
        return None
    path = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
    try:
        pdf.write_pdf(plan, case, protocol, path, audience, detail, protect=[case_path] if case_path else [])
    except OSError as exc:
        QMessageBox.critical(parent, _tr("PDF not written"), _tr("{0} could not be written: {1}").format(path, exc))
        return None
    return path


def prepare(printer: QPrinter) -> None:
    """A4 portrait, the whole sheet at the report's resolution: the report paints its own margins."""
    printer.setResolution(pdf.DPI)
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0)))


def paint(printer: QPrinter, plan: Plan, case: Case, protocol: LoadedProtocol, audience: str,
          detail: str = "full") -> None:
    prepare(printer)
    pdf.register_fonts()
    pdf.paint_document(printer, plan, case, protocol, audience, printer.outputFileName() or printer.printerName(),
                       detail)


#: The print preview's preferred size, widened to its whole tool bar (then fitted to the screen).
PREVIEW_SIZE = QSize(1000, 760)
#: Room either side of the preview's tool bar (the dialog's margins).
TOOLBAR_ROOM = 12


class PlanPreviewDialog(QPrintPreviewDialog):
    """Qt's print preview with choosers: clinician copy (summary only, or with reasoning) or patient handout."""

    def __init__(self, plan: Plan, case: Case, protocol: LoadedProtocol, parent: QWidget | None = None,
                 audience: str = "clinician", detail: str = "full") -> None:
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare(self.printer)
        super().__init__(self.printer, parent)
        self.setWindowTitle(_tr("Print preview — VCF plan {0}").format(plan.case_id or ""))
        self._args = (plan, case, protocol)
        self.audience = audience_combo(audience)
        self.detail = detail_combo(self.audience, detail)
        toolbar = self.findChild(QToolBar)
        width = PREVIEW_SIZE.width()
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addWidget(QLabel(_tr(" Print: ")))
            toolbar.addWidget(self.audience)
            toolbar.addWidget(self.detail)
            width = max(width, toolbar.sizeHint().width() + 2 * TOOLBAR_ROOM)  # the choosers not behind ">>"
        self.paintRequested.connect(self._paint)
        self.audience.currentIndexChanged.connect(self._refresh)
        self.detail.currentIndexChanged.connect(self._refresh)
        fit_dialog(self, "print_preview", QSize(width, PREVIEW_SIZE.height()))

    def _paint(self, printer: QPrinter) -> None:
        paint(printer, *self._args, self.audience.currentData(), self.detail.currentData())

    def _refresh(self) -> None:
        widget = self.findChild(QPrintPreviewWidget)
        if widget is not None:
            widget.updatePreview()


def preview(parent: QWidget, plan: Plan, case: Case, protocol: LoadedProtocol) -> None:
    PlanPreviewDialog(plan, case, protocol, parent).exec()


def print_dialog(parent: QWidget, plan: Plan, case: Case, protocol: LoadedProtocol,
                 audience: str = "clinician", detail: str = "full") -> bool:
    """The system print dialog (with a *Plan* tab: which copy, how much), then the pages; False if cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare(printer)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_tr("Print the plan"))
    tab = QWidget()
    tab.setWindowTitle(_tr("Plan"))
    who, what = options_form(tab, audience, detail)
    dialog.setOptionTabs([tab])
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    if printer.outputFileName():  # "print to file": a file like any other, through the safe writer
        try:
            pdf.write_pdf(plan, case, protocol, printer.outputFileName(), who.currentData(), what.currentData())
        except OSError as exc:
            QMessageBox.critical(parent, _tr("PDF not written"), str(exc))
            return False
        return True
    paint(printer, plan, case, protocol, who.currentData(), what.currentData())
    return True
