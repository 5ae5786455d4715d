"""PDF export: every page has header and footer, fonts are embedded, the diagram is there, errors are clear."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_report_support import DEMO, MULTI, STUB_PROTOCOL, hand_plan, load_case, protocol, real_plan

from vcf_desktop.report.common import DISCLAIMER_SHORT, PATIENT_PAGE_FOOTER, PATHWAY_LABEL
from vcf_desktop.report.pdf import ensure_qt_app, render_pdf_bytes, write_pdf

# pytest-qt's QApplication first, so that a QGuiApplication made here never blocks later widget tests
pytestmark = pytest.mark.usefixtures("qapp")


def _text(page) -> str:
    """The page's text; ligatures the PDF font forms (e.g. "ff" in a sha256) read as their letters."""
    return " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(BaseFont, has an embedded FontFile*) for every font used on any page."""
    out = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out.append((str(font["/BaseFont"]), embedded))
    return out


def _images(page) -> int:
    xobjects = page["/Resources"].get("/XObject", {})
    return sum(1 for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image")


@pytest.mark.parametrize(("name", "audience"), [(DEMO, "clinician"), (DEMO, "patient"), (MULTI[0], "clinician"),
                                                (MULTI[1], "clinician")])
def test_every_page_has_header_and_footer(tmp_path: Path, name: str, audience: str) -> None:
    plan, case = real_plan(name)
    out = tmp_path / f"{name}-{audience}.pdf"
    write_pdf(plan, case, protocol(), out, audience=audience)
    reader = PdfReader(out)
    pages = len(reader.pages)
    for n, page in enumerate(reader.pages, start=1):
        text = _text(page)
        assert f"Page {n} of {pages}" in text
        assert plan.case_id in text and plan.assessment_date.isoformat() in text
        if audience == "clinician":
            assert f"{protocol().id} v{protocol().version}" in text and protocol().sha256[:12] in text
            assert DISCLAIMER_SHORT in text
        else:  # addressed to the patient: who to call
            assert PATIENT_PAGE_FOOTER in text and f"protocol version {protocol().version}" in text
    body = " ".join(_text(p) for p in reader.pages)
    if audience == "clinician":
        assert PATHWAY_LABEL[plan.pathway] in body
        assert sum(_images(p) for p in reader.pages) == 1  # the spine diagram
    else:
        assert plan.items[0].patient_text.split()[0] in body
        assert sum(_images(p) for p in reader.pages) == 0


def test_fonts_are_the_bundled_dejavu_and_embedded() -> None:
    plan, case = real_plan(DEMO)
    fonts = _fonts(PdfReader(io.BytesIO(render_pdf_bytes(plan, case, protocol()))))
    assert fonts and all(embedded for _, embedded in fonts)
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= {name.split("+")[-1].lstrip("/") for name, _ in fonts}


def test_long_plan_paginates_with_numbered_pages() -> None:
    case = load_case(MULTI[1])
    base = hand_plan(case)
    items = [item.model_copy(update={"id": f"i{k}", "text": f"Long item number {k}. " + "Words " * 40})
             for k in range(40) for item in base.items[:1]]
    plan = base.model_copy(update={"items": items})
    reader = PdfReader(io.BytesIO(render_pdf_bytes(plan, case, STUB_PROTOCOL)))
    pages = len(reader.pages)
    assert pages >= 3
    texts = [_text(p) for p in reader.pages]
    assert all(f"Page {n} of {pages}" in t for n, t in enumerate(texts, start=1))
    body = " ".join(texts)
    assert all(f"Long item number {k}." in body for k in range(40))  # nothing lost at page breaks


def test_bytes_and_file_agree(tmp_path: Path) -> None:
    plan, case = real_plan(DEMO)
    data = render_pdf_bytes(plan, case, protocol())
    write_pdf(plan, case, protocol(), tmp_path / "a.pdf")
    assert data.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(data)).pages) == len(PdfReader(tmp_path / "a.pdf").pages)


def test_missing_folders_are_created(tmp_path: Path) -> None:
    plan, case = real_plan(DEMO)
    out = tmp_path / "new" / "deeper" / "plan.pdf"
    write_pdf(plan, case, protocol(), out)
    assert out.read_bytes().startswith(b"%PDF-")


def test_unwritable_target_raises_a_clear_oserror(tmp_path: Path) -> None:
    case = load_case(DEMO)
    plan = hand_plan(case)
    with pytest.raises(OSError, match="it is a folder"):
        write_pdf(plan, case, STUB_PROTOCOL, tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError, match="cannot create its folder"):
        write_pdf(plan, case, STUB_PROTOCOL, blocker / "plan.pdf")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_file_that_cannot_be_created_raises_oserror() -> None:
    case = load_case(DEMO)
    with pytest.raises(OSError, match="cannot write /proc/vcf-desktop-test.pdf"):  # not even root may, in /proc
        write_pdf(hand_plan(case), case, STUB_PROTOCOL, "/proc/vcf-desktop-test.pdf")


def test_bad_audience_writes_nothing(tmp_path: Path) -> None:
    plan, case = real_plan(DEMO)
    with pytest.raises(ValueError, match="audience"):
        write_pdf(plan, case, protocol(), tmp_path / "x.pdf", audience="everyone")
    assert not (tmp_path / "x.pdf").exists()


def test_ensure_qt_app_reuses_the_running_application(qapp) -> None:
    assert ensure_qt_app() is qapp


def test_without_a_display_it_goes_offscreen_and_widgets_stay_possible(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = ("import sys; sys.path.insert(0, 'tests'); from test_report_support import *; "
            "from vcf_desktop.report.pdf import write_pdf; case = load_case(DEMO); "
            "write_pdf(hand_plan(case), case, STUB_PROTOCOL, sys.argv[1]); import os; "
            "from PySide6.QtWidgets import QApplication, QWidget; QWidget(); "  # widgets still possible
            "print(os.environ['QT_QPA_PLATFORM'], type(QApplication.instance()).__name__)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p.pdf")], env=env, capture_output=True,
                         text=True, timeout=60, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "offscreen QApplication" and (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF-")


def test_the_longest_case_id_stays_whole_in_the_header() -> None:
    case = load_case(DEMO, case_id="case-" + "x" * 59)  # the contract's maximum, 64 characters
    reader = PdfReader(io.BytesIO(render_pdf_bytes(hand_plan(case), case, STUB_PROTOCOL)))
    assert len(reader.pages) >= 2  # pages after the first carry the id only in the header
    assert all(case.case_id in _text(page) and "Assessment date 2026-11-24" in _text(page) for page in reader.pages)


def test_paint_document_draws_on_any_paged_device() -> None:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QPdfWriter

    from vcf_desktop.report.pdf import DPI, paint_document

    plan, case = real_plan(DEMO)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    device = QPdfWriter(buffer)
    device.setResolution(DPI)
    paint_document(device, plan, case, protocol(), "patient")
    reader = PdfReader(io.BytesIO(bytes(buffer.data().data())))
    assert f"Page 1 of {len(reader.pages)}" in _text(reader.pages[0])
    with pytest.raises(ValueError, match="audience"):
        paint_document(device, plan, case, protocol(), "family")


@pytest.mark.parametrize("name", [DEMO, *MULTI, "minimal-data-l3", "l2-fracture-cauda-equina"])
def test_no_heading_ends_a_page_and_short_tables_stay_whole(name: str) -> None:
    from PySide6.QtCore import QBuffer, QIODevice, QSizeF
    from PySide6.QtGui import QTextFrame

    from vcf_desktop.report import pdf

    plan, case = real_plan(name)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf._writer(buffer, plan, "clinician")
    page = QSizeF(writer.width() - 2 * pdf.MARGIN_X, writer.height() - pdf.MARGIN_TOP - pdf.MARGIN_BOTTOM)
    doc = pdf.build_document(plan, case, protocol(), "clinician", writer, page.width())
    layout = doc.documentLayout()
    items = pdf._root_items(doc)
    rect = lambda i: layout.frameBoundingRect(i) if isinstance(i, QTextFrame) else layout.blockBoundingRect(i)  # noqa: E731
    page_of = lambda y: int(y // page.height())  # noqa: E731
    short = [i for i in items if isinstance(i, QTextFrame) and i.frameFormat().border() > 0  # ruled, not layout
             and rect(i).height() < 0.5 * page.height()]
    pdf._paginate(doc, page)
    assert short and [rect(t) for t in short if page_of(rect(t).top() + 1) != page_of(rect(t).bottom() - 1)] == []
    for k, item in enumerate(items[:-1]):
        if not isinstance(item, QTextFrame) and item.blockFormat().headingLevel():
            # (the first line's top, not the block's: a page break before the heading lies above its first line)
            assert page_of(pdf._first_line_top(items[k + 1], rect)) == page_of(pdf._first_line_top(item, rect)), \
                item.text()
