"""PDF export, print preview and printing from the main window."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from test_gui_main_support import answers, data_dir, make_window, menu_action, save_dialog  # noqa: F401

from vcf_desktop.domain.casefile import read_case
from vcf_desktop.engine import evaluate
from vcf_desktop.gui import printing


def _pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def export_options(monkeypatch, detail: str | None = "full") -> list[str]:
    """Answer the export options dialog: accept with `detail` (None: cancel); returns the copies it was asked for."""
    asked: list[str] = []

    def exec_(dialog):
        asked.append(dialog.audience.currentData())
        if detail is None:
            return printing.QDialog.DialogCode.Rejected
        dialog.detail.setCurrentIndex(printing.DETAILS.index(detail))
        return printing.QDialog.DialogCode.Accepted

    monkeypatch.setattr(printing.ExportOptionsDialog, "exec", exec_)
    return asked


@pytest.mark.parametrize("audience, menu", [("clinician", "Export PDF — clinician…"),
                                            ("patient", "Export PDF — patient…")])
def test_export_pdf_from_the_menu(make_window, examples_dir, tmp_path, monkeypatch, answers, audience, menu):
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")
    save_dialog(monkeypatch, tmp_path / "out")  # no suffix: .pdf is added
    asked = export_options(monkeypatch)
    menu_action(window, menu).trigger()
    pages = _pages(tmp_path / "out.pdf")
    assert pages and answers["shown"] == [] and asked == []  # the menu names the copy: no question
    for n, text in enumerate(pages, start=1):
        flat = re.sub(r"\s+", " ", text)
        assert "typical-l2-wedge" in flat
        assert window.protocol.version in flat
        assert f"Page {n} of {len(pages)}" in flat


def test_export_cancelled_writes_nothing(make_window, examples_dir, tmp_path, monkeypatch):
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")
    save_dialog(monkeypatch, tmp_path / "x.pdf")
    assert export_options(monkeypatch, None) is not None and window.export_pdf() is None  # which copy? cancelled
    save_dialog(monkeypatch, None)
    assert window.export_pdf("clinician") is None  # where? cancelled
    assert list(tmp_path.glob("*.pdf")) == []


def test_no_plan_yet_explains_what_is_needed(make_window, answers, monkeypatch, tmp_path):
    window = make_window()
    save_dialog(monkeypatch, tmp_path / "x.pdf")
    menu_action(window, "Export PDF — clinician…").trigger()
    menu_action(window, "Print Preview…").trigger()
    menu_action(window, "Print…").trigger()
    assert len(answers["shown"]) == 3 and "age" in answers["shown"][0][1]
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_printer_gets_the_same_pages_as_the_pdf(protocol, examples_dir, tmp_path, qapp, audience):
    case = read_case(examples_dir / "typical-l2-wedge.json")
    plan = evaluate(case, protocol)
    printing.pdf.write_pdf(plan, case, protocol, tmp_path / "file.pdf", audience)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printing.paint(printer, plan, case, protocol, audience)
    assert _pages(tmp_path / "printed.pdf") == _pages(tmp_path / "file.pdf")


def test_preview_dialog_offers_both_audiences(protocol, examples_dir, qtbot):
    case = read_case(examples_dir / "typical-l2-wedge.json")
    dialog = printing.PlanPreviewDialog(evaluate(case, protocol), case, protocol)
    qtbot.addWidget(dialog)
    painted = []
    dialog.paintRequested.connect(lambda printer: painted.append(dialog.audience.currentData()))
    dialog.show()
    qtbot.waitUntil(lambda: painted == ["clinician"], timeout=3000)
    dialog.audience.setCurrentIndex(1)
    qtbot.waitUntil(lambda: painted == ["clinician", "patient"], timeout=3000)


def test_print_from_the_menu_with_the_patient_audience(make_window, examples_dir, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QComboBox

    from vcf_desktop.gui.printing import QPrintDialog

    target = tmp_path / "printed.pdf"

    def accept(dialog):
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        dialog.findChild(QComboBox, "audience").setCurrentIndex(1)  # the "Plan" tab: patient handout
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")
    menu_action(window, "Print…").trigger()
    text = re.sub(r"\s+", " ", " ".join(_pages(target)))
    assert "Patient handout" in text and "typical-l2-wedge" in text


def _plan_step(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.wizard.go_to(len(window.wizard.steps) - 1)
    page = window.wizard.plan_page
    assert window.wizard.currentPage() is page
    return page


def test_plan_step_has_save_print_export_and_finish(make_window, examples_dir, tmp_path, monkeypatch, answers, qtbot):
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")
    page = _plan_step(window, qtbot)
    buttons = page.action_buttons
    assert [b.text().replace("&", "") for b in buttons.values()] == ["Save", "Print…", "Export PDF…", "Finish"]
    qtbot.waitUntil(lambda: all(b.isVisible() and b.isEnabled() for b in buttons.values()), timeout=3000)

    save_dialog(monkeypatch, tmp_path / "summary")
    export_options(monkeypatch, "summary")
    buttons["export"].click()
    assert len(PdfReader(str(tmp_path / "summary.pdf")).pages) == 1  # summary only: page 1

    printed = []
    from vcf_desktop.gui import printing as printing_module
    monkeypatch.setattr(printing_module, "print_dialog", lambda *a, **k: printed.append(a[1].case_id) or True)
    buttons["print"].click()
    assert printed == ["typical-l2-wedge"]

    window.draft.set("patient.age_years", 80)  # a change: Finish asks to save it first
    answers["replies"].append(printing_module.QMessageBox.StandardButton.Cancel)
    buttons["finish"].click()
    assert window.draft.get("patient.age_years") == 80 and answers["shown"]
    buttons["finish"].click()  # Discard (the default answer): a new, empty case at the first step
    assert window.draft.get("patient.age_years") is None and window.wizard.currentId() == 0


@pytest.mark.parametrize(("case_id", "name"), [
    ("typical-l2-wedge", "vcf-plan-typical-l2-wedge-2026-11-24-clinician.pdf"),
    ("../../etc/passwd", "vcf-plan-etc-passwd-2026-11-24-clinician.pdf"),
    ("a\\\\b/d", "vcf-plan-a-b-d-2026-11-24-clinician.pdf"),
    (None, "vcf-plan-2026-11-24-clinician.pdf"),
])
def test_default_pdf_name_carries_case_id_date_and_audience_and_no_path(protocol, examples_dir, case_id, name):
    case = read_case(examples_dir / "typical-l2-wedge.json").model_copy(update={"case_id": case_id})
    plan = evaluate(case, protocol)
    assert printing.default_pdf_name(plan, "clinician") == name
    assert "/" not in name and "\\\\" not in name
