"""Every text of the wizard reads at 4.5:1 or more (WCAG 2 AA): palette roles including placeholders and
disabled glyphs, help and message colours, and the banner's severity colours."""

from __future__ import annotations

import inspect
import re

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from vcf_desktop.gui import fields, lab_field, plan_view, summary_card
from vcf_desktop.gui.style import MIN_CONTRAST, contrast, readable_on, readable_palette
from vcf_desktop.report import common as c

ROLE, GROUP = QPalette.ColorRole, QPalette.ColorGroup
#: (text role, background role) pairs a widget paints.
PAIRS = [(ROLE.WindowText, ROLE.Window), (ROLE.Text, ROLE.Base), (ROLE.PlaceholderText, ROLE.Base),
         (ROLE.PlaceholderText, ROLE.Window), (ROLE.ButtonText, ROLE.Button), (ROLE.HighlightedText, ROLE.Highlight)]


def test_the_ratio_matches_wcag_examples():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#888888", "#ececec") == pytest.approx(3.0, abs=0.05)  # the old help text
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)


@pytest.mark.parametrize("group", [GROUP.Active, GROUP.Inactive, GROUP.Disabled], ids=lambda g: g.name)
def test_every_palette_text_reads_on_its_background(qapp, group):
    palette = readable_palette(QApplication.palette())
    for text, background in PAIRS:
        ratio = contrast(palette.color(group, text), palette.color(group, background))
        assert ratio >= MIN_CONTRAST, (group.name, text.name, background.name, round(ratio, 2))


def test_the_default_style_alone_would_fail(qapp):
    """The check can fail: the style's own placeholder and disabled text are too faint."""
    palette = QApplication.palette()
    assert min(contrast(palette.color(GROUP.Disabled, ROLE.ButtonText), palette.color(GROUP.Disabled, ROLE.Button)),
               contrast(palette.color(ROLE.PlaceholderText), palette.color(ROLE.Base))) < MIN_CONTRAST


@pytest.mark.parametrize(("what", "colour", "background"), [
    ("inline error", fields.ERROR_COLOUR, "#efefef"), ("unit warning", lab_field.WARNING_COLOUR, "#efefef"),
    ("required hint", "#8a4b00", "#efefef"), ("review label", "#37474f", "#ffffff"),
    ("review not recorded", "#8a4b00", "#ffffff"), ("review rejected", "#b71c1c", "#ffffff"),
    ("review heading", "#000000", "#e3e8ec")])
def test_wizard_colours_read_on_their_background(what, colour, background):
    assert contrast(colour, background) >= MIN_CONTRAST, what


@pytest.mark.parametrize("severity", list(c.SEVERITY_COLOUR))
def test_banner_text_reads_in_every_severity(severity):
    text = readable_on(c.SEVERITY_COLOUR[severity], c.SEVERITY_BG[severity])
    assert contrast(text, c.SEVERITY_BG[severity]) >= MIN_CONTRAST


def _css_text_colours(module) -> list[tuple[str, str]]:
    """(colour, background) of every `color: #rrggbb` in a module's style sheets (white unless the same
    style names a background)."""
    out = []
    for style in re.findall(r"""["']([^"']*color: ?#[0-9a-fA-F]{6}[^"']*)["']""", inspect.getsource(module)):
        colour = re.search(r"(?<!-)color: ?(#[0-9a-fA-F]{6})", style)
        background = re.search(r"background(?:-color)?: ?(#[0-9a-fA-F]{6})", style)
        if colour:
            out.append((colour.group(1), background.group(1) if background else "#ffffff"))
    return out


def test_plan_view_and_summary_card_texts_read_on_their_background():
    """The plan view's reference footer, "cannot be computed" and the card's empty notes were 2.6–3.4:1."""
    pairs = _css_text_colours(plan_view) + _css_text_colours(summary_card)
    assert len(pairs) >= 8
    faint = [(c_, bg) for c_, bg in pairs if contrast(c_, bg) < MIN_CONTRAST]
    assert faint == []
