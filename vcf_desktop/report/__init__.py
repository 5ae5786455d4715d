"""Plan -> text, HTML and the spine diagram (no Qt here; the PDF writer is `report.pdf`)."""

from vcf_desktop.report.diagram import spine_svg
from vcf_desktop.report.html import render_html
from vcf_desktop.report.text import render_text

__all__ = ["render_html", "render_text", "spine_svg"]
