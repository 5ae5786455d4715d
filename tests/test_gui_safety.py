"""The app never loses or forges a file: PDF export through the safe writer, FIFOs on the open path, failures
shown in a dialog."""

from __future__ import annotations

import errno
import os
import threading

import pytest
from test_gui_main_support import answers, data_dir, make_window, save_dialog  # noqa: F401


def test_pdf_export_onto_a_full_disk_keeps_the_old_pdf_and_says_so(make_window, examples_dir, tmp_path,
                                                                   monkeypatch, answers):
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")
    out = tmp_path / "plan.pdf"
    save_dialog(monkeypatch, out)
    assert window.export_pdf("clinician") == out
    assert window.statusBar().currentMessage() == f"PDF written to {out}"
    window.statusBar().clearMessage()
    good = out.read_bytes()
    real_write, sent = os.write, [0]

    def write(fd: int, data: bytes) -> int:  # the disk fills up after 20 kB
        if sent[0] >= 20_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[:20_000 - sent[0]]))
        sent[0] += n
        return n

    monkeypatch.setattr(os, "write", write)
    assert window.export_pdf("patient") is None
    title, text = answers["shown"][-1]
    assert title == "PDF not written" and "No space left on device" in text
    assert "PDF written" not in window.statusBar().currentMessage()
    assert out.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".pdf" or p.name.endswith(".tmp")] == ["plan.pdf"]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_pdf_export_does_not_follow_a_symlink_at_the_chosen_name(make_window, examples_dir, tmp_path,
                                                                  monkeypatch, answers):
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "plan.pdf"
    link.symlink_to(victim)
    save_dialog(monkeypatch, link)
    assert window.export_pdf("clinician") is None
    assert "symbolic link" in answers["shown"][-1][1]
    assert victim.read_text() == "precious"


def test_pdf_export_never_replaces_the_open_case(make_window, examples_dir, tmp_path, monkeypatch, answers):
    case = tmp_path / "case.pdf"  # an odd name, but it is the case file
    case.write_bytes((examples_dir / "typical-l2-wedge.json").read_bytes())
    window = make_window()
    assert window.open_path(case)
    save_dialog(monkeypatch, case)
    assert window.export_pdf("clinician") is None
    assert "is the input file" in answers["shown"][-1][1]
    assert case.read_bytes() == (examples_dir / "typical-l2-wedge.json").read_bytes()


def test_an_unexpected_failure_of_an_output_is_shown(make_window, examples_dir, monkeypatch, answers):
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")

    def broken(*_a, **_k):
        raise OverflowError("date value out of range")

    monkeypatch.setattr("vcf_desktop.engine.evaluate", broken)
    for action in (lambda: window.export_pdf("clinician"), window.print_preview, window.print_plan):
        action()
        title, text = answers["shown"][-1]
        assert title.startswith("Cannot ") and "date value out of range" in text


def test_default_names_never_leave_the_folder(make_window, monkeypatch, answers):
    from PySide6.QtWidgets import QFileDialog

    seen = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (seen.append(a[2]), ("", ""))[1]))
    window = make_window()
    window.draft.set("case_id", "../../etc/x")
    window.draft.set("patient.age_years", 70)
    window.draft.set("patient.sex", "female")
    window.draft.set("fractures", [{"level": "L1"}])
    window.save_as()
    assert seen == ["etc-x.vcfcase.json"]


@pytest.mark.skipif(os.name != "posix", reason="FIFOs")
def test_opening_a_fifo_is_refused_without_freezing(make_window, tmp_path, answers):
    fifo = tmp_path / "case.json"
    os.mkfifo(fifo)
    window = make_window()
    done = threading.Event()
    threading.Timer(10, lambda: done.is_set() or open(fifo, "wb").close()).start()  # unblock a frozen reader
    assert window.open_path(fifo) is False
    done.set()
    assert "named pipe (FIFO)" in answers["shown"][-1][1]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_print_to_file_goes_through_the_safe_writer(make_window, examples_dir, tmp_path, monkeypatch, answers):
    from PySide6.QtPrintSupport import QPrinter

    from vcf_desktop.gui.printing import QPrintDialog

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "printed.pdf").symlink_to(victim)

    def accept(dialog):
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(tmp_path / "printed.pdf"))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")
    window.print_plan()
    assert answers["shown"][-1][0] == "PDF not written" and "symbolic link" in answers["shown"][-1][1]
    assert victim.read_text() == "precious"


def test_opening_a_case_sweeps_copies_left_by_an_interrupted_save(make_window, examples_dir, tmp_path):
    case = tmp_path / "c.vcfcase.json"
    case.write_bytes((examples_dir / "typical-l2-wedge.json").read_bytes())
    left = tmp_path / ".c.vcfcase.json.999999999-0123456789abcdef.tmp"  # its writer was killed
    left.write_text("patient data")
    assert make_window().open_path(case)
    assert not left.exists() and case.exists()
