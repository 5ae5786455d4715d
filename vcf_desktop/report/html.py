"""Self-contained HTML report: the clinician copy or the patient handout.

Written for two renderers: browsers and Qt's QTextDocument (screen and PDF), which understands only
a subset of HTML4/CSS. So layout uses tables, `bgcolor`, `border`/`cellpadding` attributes, font sizes
and colours, and nothing else (no flexbox, no positioning, no inline SVG). Every text is escaped.
"""

from __future__ import annotations

import base64
from html import escape

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Because, Plan
from vcf_desktop.report import common as c
from vcf_desktop.report.diagram import spine_svg

FONT_STACK = "'DejaVu Sans', Verdana, Arial, sans-serif"
GRID = 'border="1" cellspacing="0" cellpadding="4" width="100%" style="border-collapse: collapse"'
SPACER = '<p style="font-size: 5pt; margin: 0px">&nbsp;</p>'  # Qt ignores margins on tables
DIAGRAM_SIZE = (262, 479)  # px in the page; the SVG's aspect ratio (350 x 640)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _style(base_pt: float) -> str:
    return f"""<style>
body {{ font-family: {FONT_STACK}; font-size: {base_pt:g}pt; color: #1d262b; background-color: #ffffff; }}
h1 {{ font-size: {base_pt * 1.5:g}pt; margin-top: 0px; margin-bottom: 4px; }}
h2 {{ font-size: {base_pt * 1.25:g}pt; margin-top: 14px; margin-bottom: 4px; color: #263238; }}
h3 {{ font-size: {base_pt * 1.05:g}pt; margin-top: 8px; margin-bottom: 2px; color: #37474f; }}
p {{ margin-top: 2px; margin-bottom: 4px; }}
li {{ margin-bottom: 4px; }}
th {{ background-color: #eceff1; text-align: left; }}
.muted {{ color: #546e7a; }}
.why {{ color: #455a64; font-size: {base_pt * 0.88:g}pt; }}
.small {{ font-size: {base_pt * 0.85:g}pt; }}
</style>"""


def _document(title: str, base_pt: float, body: list[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        _style(base_pt),
        "</head><body>",
        *body,
        "</body></html>",
    ])


def _cites(ids: list[str]) -> str:
    return f' <span class="muted">[{_e(", ".join(ids))}]</span>' if ids else ""


def _why(because: list[Because], case: Case) -> str:
    """`Why:` the entries that held; `Does not apply:` the conditions checked and found absent."""
    parts = []
    if held := c.held(because):
        parts.append(f'<b>Why:</b> {_e("; ".join(c.because_text(b, case) for b in held))}')
    if absent := c.does_not_apply(because):
        parts.append(f'<b>Does not apply:</b> {_e("; ".join(absent))}')
    return "".join(f'<br><span class="why">{part}</span>' for part in parts)


def _table(header: list[str], rows: list[list[str]], widths: list[str] | None = None) -> str:
    """A bordered table; cells are already-escaped HTML."""
    widths = widths or [""] * len(header)
    head = "".join(f'<th{f" width={w!r}" if w else ""}>{h}</th>' for h, w in zip(header, widths))
    body = "".join("<tr>" + "".join(f'<td valign="top">{cell}</td>' for cell in row) + "</tr>" for row in rows)
    return f"<table {GRID}><tr>{head}</tr>{body}</table>"


def _title(plan: Plan, copy: str) -> str:
    return (f'<h1>Management plan <span class="muted" style="font-size: medium">· {copy}</span></h1>'
            f'<p><span class="muted">Case:</span> <b>{_e(c.case_label(plan))}</b>  '
            f'<span class="muted">Assessment date:</span> <b>{_e(plan.assessment_date.isoformat())}</b></p>')


def _warnings(plan: Plan) -> str:
    """The protocol's standing (unapproved, due for review) in a red box at the top of the first page."""
    lines = "<br>".join(f"<b>{_e(w)}</b>" for w in c.protocol_warnings(plan))
    return (f'<table width="100%" border="2" cellspacing="0" cellpadding="6" style="border-collapse: collapse; '
            f'border-color: #b71c1c"><tr><td bgcolor="#fdecea" style="color: #b71c1c">{lines}</td></tr></table>'
            if lines else "")


def _headline(plan: Plan) -> str:
    return (f'<table width="100%" cellspacing="0" cellpadding="8" style="margin-top: 8px"><tr>'
            f'<td bgcolor="{c.headline_colour(plan)}" style="color: #ffffff">'
            f'<span style="font-size: x-large; font-weight: bold; color: #ffffff">{_e(c.headline(plan))}</span>'
            f'<br><span style="color: #ffffff">{_e(c.pathway_line(plan))}</span></td></tr></table>')


def _pitfalls(plan: Plan, case: Case) -> str:
    if not plan.pitfalls:
        return '<h2>Pitfalls</h2><p class="muted">None raised for this case.</p>'
    rows = []
    for p in c.by_severity(plan.pitfalls):
        tag = (f'<span style="color: {c.SEVERITY_COLOUR[p.severity]}; font-weight: bold">'
               f"{c.SEVERITY_LABEL[p.severity]}</span>")
        rows.append(f'<tr><td bgcolor="{c.SEVERITY_BG[p.severity]}" valign="top" width="13%">{tag}</td>'
                    f'<td bgcolor="{c.SEVERITY_BG[p.severity]}">{_e(p.text)}{_cites(p.citations)}'
                    f"{_why(p.because, case)}</td></tr>")
    return (f'<h2>Pitfalls</h2><table border="1" cellspacing="0" cellpadding="5" width="100%" '
            f'style="border-collapse: collapse">{"".join(rows)}</table>')


def _scores_and_osteoporosis(plan: Plan) -> str:
    scores = "".join(f'<tr><td class="muted">{_e(label)}</td><td><b>{_e(value)}</b></td></tr>'
                     for label, value in c.score_rows(plan))
    op = plan.osteoporosis
    prereq = "".join(f"<li>{_e(t)}</li>" for t in op.prerequisites)
    return (f'<h2>Scores <span class="muted small">(index fracture)</span></h2>'
            f'<table {GRID}>{scores}</table>'
            f"<h2>Osteoporosis treatment</h2>"
            f"<p><b>Status:</b> {_e(c.OSTEOPOROSIS_STATUS_LABEL[op.status])}</p>"
            f"<p><b>Recommended:</b> {_e(c.agents_text(op.recommended) or 'none')}</p>"
            + (f"<p><b>Before starting:</b></p><ul>{prereq}</ul>" if prereq
               else "<p><b>Before starting:</b> nothing listed</p>"))


def _overview(plan: Plan, case: Case, diagram_src: str | None) -> str:
    """Scores and osteoporosis beside the spine diagram (a layout table)."""
    left = _scores_and_osteoporosis(plan)
    if diagram_src is None:
        return left
    w, h = DIAGRAM_SIZE
    img = (f'<img src="{_e(diagram_src)}" width="{w}" height="{h}" '
           f'alt="{_e("Spine diagram: " + ", ".join(f.level for f in case.fractures))}">')
    return (f'{SPACER}<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td valign="top">{left}</td><td width="16"></td>'
            f'<td valign="top" width="{w}" align="center">{img}</td></tr></table>')


def _sections(plan: Plan, case: Case) -> str:
    out = ["<h2>Recommendations</h2>"]
    for section, items in c.sections(plan):
        out.append(f"<h3>{_e(c.SECTION_TITLE[section])}</h3><ul>")
        for item in items:
            flag = "" if item.severity == "info" else (
                f'<span style="color: {c.SEVERITY_COLOUR[item.severity]}; font-weight: bold">'
                f"{c.SEVERITY_LABEL[item.severity]}:</span> ")
            strength = f' <span class="muted">(strength: {_e(item.strength)})</span>' if item.strength else ""
            out.append(f"<li>{flag}{_e(item.text)}{strength}{_cites(item.citations)}{_why(item.because, case)}</li>")
        out.append("</ul>")
    if len(out) == 1:
        out.append('<p class="muted">No recommendations in this plan.</p>')
    return "".join(out)


def _avoid(plan: Plan, case: Case) -> str:
    if not plan.avoid:
        return '<h2>Drugs to avoid</h2><p class="muted">None for this patient.</p>'
    rows = [[f"<b>{_e(c.AGENT_LABEL[a.agent])}</b>", f"{_e(a.reason)}{_cites(a.citations)}{_why(a.because, case)}"]
            for a in plan.avoid]
    return "<h2>Drugs to avoid</h2>" + _table(["Drug", "Reason"], rows, ["22%", ""])


def _missing(plan: Plan, case: Case) -> str:
    if not plan.missing:
        return '<h2>Missing data</h2><p class="muted">Nothing unrecorded that would change this plan.</p>'
    rows = [[f'<b>{_e(c.field_label(m.field, case))}</b><br><span class="why">{_e(m.field)}</span>', _e(m.impact)]
            for m in plan.missing]
    return ('<h2>Missing data <span class="muted small">(not recorded, never assumed normal)</span></h2>'
            + _table(["Finding", "What it would change"], rows, ["32%", ""]))


def _follow_up(plan: Plan) -> str:
    if not plan.follow_up:
        return '<h2>Follow-up schedule</h2><p class="muted">None scheduled.</p>'
    rows = [[f"<b>{_e(f.due_date.isoformat())}</b>", _e(f.due_date.strftime("%a")),
             _e("today" if f.due_days == 0 else f"day {f.due_days}"), f"{_e(f.what)}{_cites(f.citations)}"]
            for f in plan.follow_up]
    since = f'<span class="muted small">(from {_e(plan.assessment_date.isoformat())})</span>'
    return f"<h2>Follow-up schedule {since}</h2>" + _table(["Date", "", "From assessment", "What"], rows,
                                                          ["16%", "7%", "15%", ""])


def _references(plan: Plan, protocol: c.ProtocolLike) -> str:
    rows = [[f'<b class="small">{_e(ref_id)}</b>',
             f'<span class="small">{_e(c.reference_text(ref_id, protocol))}</span>'] for ref_id in c.cited_ids(plan)]
    return "<h2>References</h2>" + (_table(["Id", "Reference"], rows, ["12%", ""]) if rows
                                      else '<p class="muted">No citations.</p>')


def _closing(plan: Plan, protocol: c.ProtocolLike) -> str:
    return (f'<table width="100%" cellspacing="0" cellpadding="6" style="margin-top: 18px"><tr>'
            f"<td>Clinician: ______________________</td><td>Signature: ______________________</td>"
            f"<td>Date: ______________</td></tr></table>"
            f'<p class="small muted">{_e(c.protocol_line(plan))}. Generated {_e(plan.generated_at.isoformat())}.</p>'
            f'<p class="small"><b>Intended use:</b> {_e(c.intended_use(protocol))} '
            f"{_e(c.DISCLAIMER_SHORT)}</p>")


def _clinician(plan: Plan, case: Case, protocol: c.ProtocolLike, diagram_src: str | None) -> list[str]:
    return [_warnings(plan), _title(plan, "clinician copy"), _headline(plan), _pitfalls(plan, case),
            _overview(plan, case, diagram_src), _sections(plan, case), _avoid(plan, case), _missing(plan, case),
            _follow_up(plan), _references(plan, protocol), _closing(plan, protocol)]


def _patient(plan: Plan, protocol: c.ProtocolLike) -> list[str]:
    todo = "".join(f"<li>{_e(t)}</li>" for t in c.patient_todo(plan))
    know = "".join(f"<li>{_e(t)}</li>" for t in c.patient_notes(plan))
    visits = [[f"<b>{_e(c.long_date(f.due_date))}</b>", _e(c.patient_follow_up(f.what, f.patient_text))]
              for f in plan.follow_up]
    urgent = "".join(f"<li>{_e(t)}</li>" for t in c.return_at_once(protocol))
    return [
        _warnings(plan),
        "<h1>Your back fracture: what to do</h1>",
        f'<p class="muted">{_e(c.long_date(plan.assessment_date))} · '
        f"Reference: {_e(c.case_label(plan))}</p>",
        "<h2>What to do</h2>", f"<ul>{todo}</ul>" if todo else "<p>Your doctor will explain your plan.</p>",
        *([f"<h2>Good to know</h2><ul>{know}</ul>"] if know else []),
        "<h2>When to come back</h2>",
        _table(["When", "What"], visits, ["45%", ""]) if visits else "<p>Ask your doctor when to come back.</p>",
        '<table width="100%" border="2" cellspacing="0" cellpadding="10" style="margin-top: 14px; '
        'border-collapse: collapse; border-color: #b71c1c"><tr><td bgcolor="#fdecea">'
        '<span style="color: #b71c1c; font-weight: bold">Come back at once, or call for help, if you have:</span>'
        f"<ul>{urgent}</ul></td></tr></table>",
        '<p class="muted" style="margin-top: 14px">Your doctor made this plan with you. '
        "Ask them if anything is unclear.</p>",
    ]


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(plan: Plan, case: Case, protocol: c.ProtocolLike, audience: str = "clinician", *,
                diagram: bool = True, diagram_src: str | None = None) -> str:
    """A complete HTML document of the plan for `audience` ("clinician" or "patient").

    The clinician copy embeds the spine diagram as an SVG data URI unless `diagram` is false;
    `diagram_src` replaces that URI (the PDF writer points it at a raster image resource).
    """
    if c.check_audience(audience) == "patient":
        return _document(f"Your plan: {c.case_label(plan)}", 13, _patient(plan, protocol))
    src = (diagram_src or svg_data_uri(spine_svg(case))) if diagram else None
    return _document(f"VCF plan: {c.case_label(plan)}", 9.5, _clinician(plan, case, protocol, src))
