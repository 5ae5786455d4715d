"""Readable colours: every text at least 4.5:1 against its background (WCAG 2 AA), focus visible.

`readable_palette` darkens the few palette colours that styles leave too faint (placeholder text,
which carries the allowed ranges; disabled text and glyphs such as a disabled clear button; the
selection colour, which is also the colour of the style's focus ring) and
`readable_on` darkens a text colour until it reads on its background (the banner's severity colours).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

#: WCAG 2 AA for normal text.
MIN_CONTRAST = 4.5
#: Placeholder text (6.7:1 on white, 5.8:1 on the window grey).
PLACEHOLDER = "#5c5c5c"
#: Disabled text and glyphs (5.0:1 on the window grey).
DISABLED = "#666666"


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4


def _colour(colour: QColor | str) -> QColor:
    """A QColor (`QColor(QColor)` is avoided: its overloads build Qt's namespace enums before the first paint)."""
    return colour if isinstance(colour, QColor) else QColor(colour)


def luminance(colour: QColor | str) -> float:
    """WCAG relative luminance of an opaque colour."""
    c = _colour(colour)
    return 0.2126 * _linear(c.redF()) + 0.7152 * _linear(c.greenF()) + 0.0722 * _linear(c.blueF())


def contrast(foreground: QColor | str, background: QColor | str) -> float:
    """WCAG contrast ratio (1 to 21) of two colours; a translucent foreground is blended onto the background."""
    fg, bg = _colour(foreground), _colour(background)
    if fg.alphaF() < 1:
        a = fg.alphaF()
        fg = QColor.fromRgbF(fg.redF() * a + bg.redF() * (1 - a), fg.greenF() * a + bg.greenF() * (1 - a),
                             fg.blueF() * a + bg.blueF() * (1 - a))
    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(colour: str, background: str, ratio: float = MIN_CONTRAST) -> str:
    """`colour`, darkened in small steps until it reaches `ratio` against a light `background` (contrast is
    symmetric: a background colour is darkened against light text the same way)."""
    c = _colour(colour)
    while contrast(c, background) < ratio and c.lightness() > 0:
        c = c.darker(105)
    return c.name()


def readable_palette(palette: QPalette) -> QPalette:
    """`palette` (changed in place: `QApplication.palette()` returns a copy) with placeholder and disabled
    text dark enough to read. (No `QPalette(palette)` copy: its overloads build Qt's namespace enums.)"""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    out = palette
    for g in (group.Active, group.Inactive, group.Disabled):
        out.setColor(g, role.PlaceholderText, QColor(PLACEHOLDER))
    for r in (role.WindowText, role.Text, role.ButtonText):
        out.setColor(group.Disabled, r, QColor(DISABLED))
    for g in (group.Active, group.Inactive, group.Disabled):  # selections, and the style's focus ring
        text = out.color(g, role.HighlightedText).name()
        out.setColor(g, role.Highlight, QColor(readable_on(out.color(group.Active, role.Highlight).name(), text)))
    return out
