"""Sagittal schematic of the spine T1–L5 marking every fracture of the case, as an SVG string.

Anterior is on the left, posterior on the right. Thoracic kyphosis and lumbar lordosis are drawn as a
gentle curve. A fractured body is drawn as a wedge whose anterior height is reduced by its recorded
height loss (a plain body when the loss is not recorded). Pure string building: no Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from vcf_desktop.domain import vocab as v
from vcf_desktop.domain.case import Case, Fracture

VIEW_W, VIEW_H = 350.0, 640.0
TOP, BOTTOM = 58.0, 548.0  # the spine's vertical extent in view units
CENTRE_X = 140.0
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


@dataclass(frozen=True)
class Style:
    fill: str
    stroke: str
    label: str
    legend: str
    dash: str = ""
    bold: bool = False


NORMAL = Style("#efe6d2", "#9c8a64", "#5d4e37", "")
STYLES: dict[str, Style] = {
    "index": Style("#d32f2f", "#7f0000", "#b71c1c", "Index fracture", bold=True),
    "new": Style("#fb8c00", "#a64d00", "#a64d00", "Other new fracture"),
    "old": Style("url(#vcf-hatch)", "#616161", "#545454", "Old / known fracture"),
    "unrecorded": Style("#ffffff", "#263238", "#263238", "Not known if new", dash="3,2"),
}


def _kind(i: int, f: Fracture) -> str:
    if i == 0:
        return "index"
    return {True: "new", False: "old", None: "unrecorded"}[f.new]


def _offset(s: float) -> float:
    """Horizontal offset of the spine's axis at fraction `s` of its length (+ = posterior)."""
    if s < 0.68:
        return 16.0 * math.sin(math.pi * s / 0.68)
    return -11.0 * math.sin(math.pi * (s - 0.68) / 0.32)


def _slope(s: float, length: float) -> float:
    """dx/dy of the axis, for tilting each body to the curve."""
    ds = 1e-3
    return (_offset(min(s + ds, 1.0)) - _offset(max(s - ds, 0.0))) / (2 * ds * length)


def _layout() -> list[tuple[str, float, float, float, float]]:
    """(level, centre x, centre y, body height, body depth) for T1..L5, scaled to fit TOP..BOTTOM."""
    n = len(v.LEVELS)
    heights = [15.0 + 7.0 * i / (n - 1) + (5.0 if lvl.startswith("L") else 0.0) for i, lvl in enumerate(v.LEVELS)]
    discs = [4.0 if lvl.startswith("T") else 6.0 for lvl in v.LEVELS[:-1]]
    scale = (BOTTOM - TOP) / (sum(heights) + sum(discs))
    out, y = [], TOP
    for i, (lvl, h) in enumerate(zip(v.LEVELS, heights)):
        h *= scale
        cy = y + h / 2
        s = (cy - TOP) / (BOTTOM - TOP)
        depth = 32.0 + 20.0 * i / (n - 1)
        out.append((lvl, CENTRE_X + _offset(s), cy, h, depth))
        y += h + (discs[i] * scale if i < len(discs) else 0.0)
    return out


def _n(x: float) -> str:
    return f"{x:.1f}"


def _body(cx: float, cy: float, h: float, depth: float, loss: float | None) -> str:
    """Path of a body centred at (cx, cy): anterior (left) height reduced by `loss` percent."""
    ha = h if loss is None else max(h * (1.0 - loss / 100.0), 0.2 * h)
    x0, x1 = cx - depth / 2, cx + depth / 2
    return (f"M{_n(x0)},{_n(cy - ha / 2)} L{_n(x1)},{_n(cy - h / 2)} L{_n(x1)},{_n(cy + h / 2)} "
            f"L{_n(x0)},{_n(cy + ha / 2)} Z")


def _annotation(kind: str, f: Fracture) -> str:
    loss = f" · {f.height_loss_pct:g} %" if f.height_loss_pct is not None else ""
    word = {"index": "index", "new": "new", "old": "old", "unrecorded": "new?"}[kind]
    if kind == "index":
        word += {True: "", False: " (old)", None: " (new?)"}[f.new]
    return word + loss


def _text(x: float, y: float, text: str, *, size: float = 10, anchor: str = "start", colour: str = "#263238",
          bold: bool = False, extra: str = "") -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-family="{escape(FONT)}" font-size="{size:g}" '
            f'fill="{colour}" text-anchor="{anchor}"{weight}{extra}>{escape(text)}</text>')


def _legend(y: float) -> list[str]:
    out = [f'<rect x="8" y="{_n(y)}" width="{VIEW_W - 16:g}" height="{_n(VIEW_H - y - 6)}" fill="#ffffff" '
           f'stroke="#b0bec5" stroke-width="0.8" rx="4"/>']
    for k, style in enumerate(STYLES.values()):
        col, row = k % 2, k // 2
        x, yy = 18 + col * (VIEW_W - 20) / 2, y + 12 + row * 22
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        out.append(f'<rect x="{x}" y="{_n(yy)}" width="18" height="12" fill="{style.fill}" '
                   f'stroke="{style.stroke}" stroke-width="1.2"{dash}/>')
        out.append(_text(x + 24, yy + 10, style.legend, size=10.5, bold=style.bold))
    out.append(_text(VIEW_W / 2, y + 66, "Wedge shape = recorded height loss", size=10, anchor="middle",
                     colour="#546e7a"))
    return out


def spine_svg(case: Case, width: int = 350, height: int = 640) -> str:
    """A sagittal schematic of T1–L5 marking each of `case.fractures` (index = fractures[0])."""
    fractures = {f.level: (i, f) for i, f in enumerate(case.fractures)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}" '
        f'viewBox="0 0 {VIEW_W:g} {VIEW_H:g}">',
        "<title>Spine diagram: fractured levels</title>",
        '<defs><pattern id="vcf-hatch" patternUnits="userSpaceOnUse" width="5" height="5">'
        '<rect width="5" height="5" fill="#d6d6d6"/><path d="M0,5 L5,0" stroke="#616161" stroke-width="1.1"/>'
        "</pattern></defs>",
        f'<rect x="0" y="0" width="{VIEW_W:g}" height="{VIEW_H:g}" fill="#ffffff"/>',
        _text(VIEW_W / 2, 18, "Spine, side view (T1–L5)", size=13, anchor="middle", bold=True),
        _text(10, 38, "◀ front", size=10.5, colour="#546e7a"),
        _text(VIEW_W - 10, 38, "back ▶", size=10.5, anchor="end", colour="#546e7a"),
    ]
    layout = _layout()
    length = BOTTOM - TOP
    for k, (_, cx, cy, h, depth) in enumerate(layout[:-1]):  # discs, behind the bodies
        nx, ny, nh = layout[k + 1][1], layout[k + 1][2], layout[k + 1][3]
        my = (cy + h / 2 + ny - nh / 2) / 2
        tilt = -math.degrees(math.atan(_slope((my - TOP) / length, length)))
        parts.append(f'<ellipse cx="{_n((cx + nx) / 2)}" cy="{_n(my)}" rx="{_n(depth * 0.46)}" '
                     f'ry="{_n(max(ny - nh / 2 - cy - h / 2, 2.0) / 2 + 1.0)}" fill="#b3c7d1" stroke="#78909c" '
                     f'stroke-width="0.6" transform="rotate({tilt:.2f} {_n((cx + nx) / 2)} {_n(my)})"/>')
    for lvl, cx, cy, h, depth in layout:
        tilt = -math.degrees(math.atan(_slope((cy - TOP) / length, length)))
        found = fractures.get(lvl)
        kind = _kind(*found) if found else ""
        style = STYLES[kind] if kind else NORMAL
        loss = found[1].height_loss_pct if found else None
        rotate = f' transform="rotate({tilt:.2f} {_n(cx)} {_n(cy)})"'
        # posterior elements (pedicle and spinous process), then the body
        parts.append(f'<path d="M{_n(cx + depth / 2)},{_n(cy - h * 0.3)} L{_n(cx + depth / 2 + 9)},{_n(cy - h * 0.25)} '
                     f'L{_n(cx + depth / 2 + 22)},{_n(cy + h * 0.35)} L{_n(cx + depth / 2 + 8)},{_n(cy + h * 0.2)} Z" '
                     f'fill="#e3dccb" stroke="#b3a27f" stroke-width="0.7"{rotate}/>')
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        mark = f' id="fracture-{lvl}" class="fracture {kind}"' if kind else ""
        width_px = 2.2 if kind == "index" else 1.4 if kind else 0.9
        parts.append(f'<path{mark} d="{_body(cx, cy, h, depth, loss)}" fill="{style.fill}" '
                     f'stroke="{style.stroke}" stroke-width="{width_px}"{dash}{rotate}/>')
        parts.append(_text(cx - depth / 2 - 7, cy + 4, lvl, size=11, anchor="end", colour=style.label,
                           bold=kind in ("index", "new")))
        if found:
            parts.append(_text(cx + depth / 2 + 26, cy + 4, _annotation(kind, found[1]), size=11,
                               colour=style.label, bold=style.bold, extra=f' class="fracture-label {kind}"'))
    parts += _legend(BOTTOM + 12)
    parts.append("</svg>")
    return "\n".join(parts)
