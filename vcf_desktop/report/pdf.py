"""PDF export: the HTML report laid out by QTextDocument and painted page by page with QPdfWriter.

The only report module that imports Qt. Layout happens at 96 dpi (CSS pixels), the PDF writer is
set to the same resolution, so pixel sizes in the HTML and point sizes of fonts mean the same thing
on paper as in a browser. Each page gets a header and footer painted here: case id, assessment date,
"Page n of m", protocol id, version and full sha256, the intended-use line, and in red on every page
whether the protocol is unapproved or due for review. The bundled DejaVu
Sans is registered and used, so the PDF has embedded fonts on every machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (QColor, QFont, QFontDatabase, QFontMetricsF, QGuiApplication, QImage, QPageLayout, QPageSize,
                           QPagedPaintDevice, QPainter, QPdfWriter, QPen, QTextBlock, QTextCursor, QTextDocument, QTextFormat,
                           QTextFrame)
from PySide6.QtSvg import QSvgRenderer

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Plan
from vcf_desktop.report import common as c
from vcf_desktop.report.diagram import spine_svg
from vcf_desktop.report.html import DIAGRAM_SIZE, render_html
from vcf_desktop.resources import resource_path

FONT_FILES = ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf")
FONT_FAMILY = "DejaVu Sans"
DPI = 96  # layout and PDF device units: CSS pixels
MM = DPI / 25.4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15 * MM, 16 * MM, 18 * MM
DIAGRAM_RESOURCE = "vcf-spine.png"
DIAGRAM_SCALE = 3  # raster pixels per layout pixel, for a sharp print
KEEP_TOGETHER = 0.6  # tables shorter than this share of a page are not split across pages


def ensure_qt_app() -> QGuiApplication:
    """The running Qt application, or a new one, offscreen when there is no display (Qt would abort).

    The new one is a QApplication (a QGuiApplication that also allows widgets), so that a PDF written
    first, e.g. by the CLI in the same process, never stops the GUI from starting later.
    """
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    return QApplication([])


@cache
def register_fonts() -> str:
    """Register the bundled DejaVu Sans (once); returns the family name. Raises OSError if missing."""
    for name in FONT_FILES:
        path = resource_path(name)
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            raise OSError(f"cannot load the bundled font {path}")
    return FONT_FAMILY


def _diagram_image(case: Case) -> QImage:
    w, h = DIAGRAM_SIZE
    image = QImage(w * DIAGRAM_SCALE, h * DIAGRAM_SCALE, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(spine_svg(case).encode("utf-8"))).render(painter)
    painter.end()
    return image


def build_document(plan: Plan, case: Case, protocol: c.ProtocolLike, audience: str,
                   device: QPagedPaintDevice, width: float, detail: str = "full") -> QTextDocument:
    """The report as a QTextDocument laid out for `device`, `width` pixels wide, diagram as a resource."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(QFont(register_fonts(), 10))
    doc.setDocumentMargin(0)
    if audience == "clinician" and detail == "full":
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(DIAGRAM_RESOURCE), _diagram_image(case))
    doc.setHtml(render_html(plan, case, protocol, audience, detail=detail, diagram_src=DIAGRAM_RESOURCE, paged=True))
    doc.setTextWidth(width)
    return doc


def _root_items(doc: QTextDocument) -> list[QTextBlock | QTextFrame]:
    """The top-level blocks and tables of the document, in order.

    (Not via QTextFrame.iterator: its currentFrame() returns None for every block, and PySide6 6.12
    drops a reference to None on each such return; see `vcf_desktop.gui`'s note on pinning None.)
    """
    frames = doc.rootFrame().childFrames()
    spans = [(f.firstPosition(), f.lastPosition()) for f in frames]
    items: list[tuple[int, QTextBlock | QTextFrame]] = [(f.firstPosition() - 1, f) for f in frames]
    block = doc.begin()
    while block.isValid():
        if not any(first <= block.position() <= last for first, last in spans):
            items.append((block.position(), block))
        block = block.next()
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def _break_before(item: QTextBlock | QTextFrame) -> None:
    if isinstance(item, QTextFrame):
        frame_format = item.frameFormat()
        frame_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        item.setFrameFormat(frame_format)
    else:
        block_format = item.blockFormat()
        block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        QTextCursor(item).setBlockFormat(block_format)


def _first_line_top(item: QTextBlock | QTextFrame, rect: Callable[[QTextBlock | QTextFrame], QRectF]) -> float:
    """Where an item's first line of text starts (a block whose first line was pushed to the next page
    keeps its top on this one), plus 1 px for rounding at the page boundary."""
    if isinstance(item, QTextFrame):
        item = item.firstCursorPosition().block()
    layout = item.layout()
    return rect(item).top() + (layout.lineAt(0).y() if layout.lineCount() else 0.0) + 1.0


def _paginate(doc: QTextDocument, page: QSizeF) -> None:
    """Paginate a document laid out as one endless page (`build_document`), starting a new page before
    a heading that would end a page, or before a short table that would be split (the table takes its
    heading along). Longer tables split between rows as usual; so do borderless layout tables (columns),
    whose text flows on to the next page."""
    layout = doc.documentLayout()

    def rect(item: QTextBlock | QTextFrame) -> QRectF:
        return layout.frameBoundingRect(item) if isinstance(item, QTextFrame) else layout.blockBoundingRect(item)

    def page_of(y: float) -> int:
        return int(y // page.height())

    def heading(k: int) -> bool:
        return isinstance(items[k], QTextBlock) and items[k].blockFormat().headingLevel() > 0

    def break_before_with_headings(k: int) -> None:
        """A new page before item k and the headings right above it."""
        while k and heading(k - 1):
            k -= 1
        _break_before(items[k])

    items = _root_items(doc)
    natural = [rect(item).height() for item in items]  # unpaginated still: the tables' natural heights
    doc.setPageSize(page)
    for k, item in enumerate(items[:-1]):
        here = rect(item)
        top = page_of(here.top() + 1)  # + 1 px: layout rounding puts a page's first item a hair above it
        if isinstance(item, QTextFrame):
            ruled = item.frameFormat().border() > 0
            if ruled and natural[k] < KEEP_TOGETHER * page.height() and top != page_of(here.bottom() - 1):
                break_before_with_headings(k)
        elif heading(k) and page_of(_first_line_top(items[k + 1], rect)) > top:
            break_before_with_headings(k)


def _line(painter: QPainter, y: float, width: float, left: str, right: str = "") -> None:
    """One header or footer line: `right` flush right; `left` loses its start ("…") if they would touch."""
    metrics = QFontMetricsF(painter.font(), painter.device())
    room = width - (metrics.horizontalAdvance(right) + 16 if right else 0)
    rect = QRectF(MARGIN_X, y, width, 14)
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft, metrics.elidedText(left, Qt.TextElideMode.ElideLeft, room))
    painter.drawText(rect, Qt.AlignmentFlag.AlignRight, right)


def _header_footer(painter: QPainter, plan: Plan, audience: str, page: int, pages: int, w: float, h: float) -> None:
    p = plan.protocol
    small = QFont(FONT_FAMILY)
    small.setPixelSize(10)
    small.setFeature(QFont.Tag("liga"), 0)  # a sha256's "ff" stays two letters (copied, searched, compared)
    painter.setFont(small)
    width, top, bottom = w - 2 * MARGIN_X, 8 * MM, h - MARGIN_BOTTOM + 5 * MM
    copy = "Patient handout" if audience == "patient" else "Clinician copy"
    painter.setPen(QPen(QColor("#90a4ae"), 0.8))
    painter.drawLine(QPointF(MARGIN_X, top + 17), QPointF(w - MARGIN_X, top + 17))
    painter.drawLine(QPointF(MARGIN_X, bottom), QPointF(w - MARGIN_X, bottom))
    painter.setPen(QColor("#37474f"))
    _line(painter, top, width, f"VCF Desktop · {copy} · Case {c.case_label(plan)}",
          f"Assessment date {plan.assessment_date.isoformat()}")
    if audience == "patient":  # addressed to the patient: who to call
        _line(painter, bottom + 4, width, c.PATIENT_PAGE_FOOTER, f"Page {page} of {pages}")
        _line(painter, bottom + 18, width, f"Plan made with VCF Desktop, protocol version {p.version}")
    else:
        _line(painter, bottom + 4, width, f"Protocol {p.id} v{p.version} · sha256 {p.sha256}")
        _line(painter, bottom + 18, width, c.DISCLAIMER_SHORT, f"Page {page} of {pages}")
    painter.setPen(QColor("#b71c1c"))
    for n, warning in enumerate(c.protocol_warnings(plan.protocol)):  # on every page, below the header rule
        _line(painter, top + 20 + 13 * n, width, warning)


def paint_document(device: QPagedPaintDevice, plan: Plan, case: Case, protocol: c.ProtocolLike,
                   audience: str = "clinician", target: str = "the printer", detail: str = "full") -> int:
    """Paint the report's pages onto `device` (a QPdfWriter, or a QPrinter set to `DPI` and full page);
    returns the number of pages. Raises OSError naming `target` when the device cannot be opened.
    """
    c.check_audience(audience)
    c.check_detail(detail)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError(f"cannot write the plan to {target}: Qt could not open it for writing")
    try:
        w, h = device.width(), device.height()
        body = QSizeF(w - 2 * MARGIN_X, h - MARGIN_TOP - MARGIN_BOTTOM)
        doc = build_document(plan, case, protocol, audience, device, body.width(), detail)
        _paginate(doc, body)
        pages = doc.pageCount()
        for page in range(pages):
            if page:
                device.newPage()
            painter.save()
            painter.translate(MARGIN_X, MARGIN_TOP - page * body.height())
            doc.drawContents(painter, QRectF(0, page * body.height(), body.width(), body.height()))
            painter.restore()
            _header_footer(painter, plan, audience, page + 1, pages, w, h)
    finally:
        painter.end()
    return pages




def _writer(target: str | QIODevice, plan: Plan, audience: str) -> QPdfWriter:
    writer = QPdfWriter(target)
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    writer.setTitle(f"VCF plan {c.case_label(plan)} ({audience})")
    writer.setCreator("VCF Desktop")
    return writer


def render_pdf(plan: Plan, case: Case, protocol: c.ProtocolLike, audience: str = "clinician",
               detail: str = "full") -> tuple[bytes, int]:
    """The PDF in memory and its number of pages (no file)."""
    c.check_audience(audience)
    ensure_qt_app()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pages = paint_document(_writer(buffer, plan, audience), plan, case, protocol, audience, "memory", detail)
    return bytes(buffer.data().data()), pages


def render_pdf_bytes(plan: Plan, case: Case, protocol: c.ProtocolLike, audience: str = "clinician",
                     detail: str = "full") -> bytes:
    """The PDF as bytes (no file)."""
    return render_pdf(plan, case, protocol, audience, detail)[0]


def write_pdf(plan: Plan, case: Case, protocol: c.ProtocolLike, path: str | os.PathLike[str],
              audience: str = "clinician", detail: str = "full",
              protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Write the plan as an A4 PDF at `path` (its folder is created) through the safe writer: rendered in
    memory, written, parsed back (header, trailer, page count) and only then put in place; `protect` names
    files that must not be replaced (the input case). Raises OSError (a `safe_write.WriteError`) when it cannot.
    """
    from vcf_desktop.domain.pdf_check import check_pdf
    from vcf_desktop.domain.safe_write import write_bytes

    c.check_audience(audience)
    target = Path(path)
    if not target.parent.is_dir():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OSError(f"cannot write the PDF to {target}: cannot create its folder ({exc.strerror})") from None
    data, pages = render_pdf(plan, case, protocol, audience, detail)
    return write_bytes(target, data, verify=lambda back: check_pdf(back, pages), protect=protect)
