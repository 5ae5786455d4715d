"""Portable plan-PDF check for the Windows and macOS CI jobs (Linux uses pdftotext/pdffonts in smoke.sh).

    python build_scripts/check_pdf.py PLAN.pdf CASE_ID

Fails unless the PDF's text contains CASE_ID and a DejaVu Sans font is embedded (Qt writes a
"successful" PDF of black boxes when it has no font, notes §6.3). Needs pypdf (the dev extra).
"""

from __future__ import annotations

import sys

from pypdf import PdfReader


def embedded_fonts(reader: PdfReader) -> set[str]:
    """BaseFont names of the fonts whose program is embedded (FontFile, FontFile2 or FontFile3)."""
    names: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {}).get_object()
        for ref in fonts.values():
            font = ref.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for part in descendants:
                descriptor = part.get("/FontDescriptor", {}).get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(font.get("/BaseFont", "")))
    return names


def main(argv: list[str]) -> int:
    path, case_id = argv
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    fonts = embedded_fonts(reader)
    problems = []
    if case_id not in text:
        problems.append(f"case id {case_id!r} not in the PDF text")
    if not any("DejaVuSans" in name for name in fonts):
        problems.append(f"no embedded DejaVu Sans (embedded: {sorted(fonts) or 'none'})")
    for problem in problems:
        print(f"check_pdf: FAIL: {path}: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_pdf: ok: {path}: case id {case_id!r}, fonts {sorted(fonts)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
