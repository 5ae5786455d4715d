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
from vcf_desktop.report import summary as s
from vcf_desktop.report.diagram import spine_svg

FONT_STACK = "'DejaVu Sans', Verdana, Arial, sans-serif"
GRID = 'border="1" cellspacing="0" cellpadding="4" width="100%" style="border-collapse: collapse"'
SPACER = '<p style="font-size: 5pt; margin: 0px">&nbsp;</p>'  # Qt ignores margins on tables
DIAGRAM_SIZE = (262, 479)  # px in the page; the SVG's aspect ratio (350 x 640)
CLINICIAN_PT, PATIENT_PT = 8.5, 11.5


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _style(base_pt: float) -> str:
    return f"""<style>
body {{ font-family: {FONT_STACK}; font-size: {base_pt:g}pt; color: #1d262b; background-color: #ffffff; }}
h1 {{ font-size: {base_pt * 1.4:g}pt; margin-top: 0px; margin-bottom: 4px; }}
h2 {{ font-size: {base_pt * 1.15:g}pt; margin-top: 6px; margin-bottom: 2px; color: #263238; }}
ul {{ margin-top: 0px; margin-bottom: 2px; -qt-list-indent: 1; }}
h3 {{ font-size: {base_pt * 1.05:g}pt; margin-top: 8px; margin-bottom: 2px; color: #37474f; }}
p {{ margin-top: 2px; margin-bottom: 4px; }}
li {{ margin-bottom: 2px; }}
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
    """`Why:` the findings of this patient that fired the statement."""
    held = c.held(because)
    return f'<br><span class="why"><b>Why:</b> {_e("; ".join(c.because_text(b, case) for b in held))}</span>' \
        if held else ""


def _table(header: list[str], rows: list[list[str]], widths: list[str] | None = None) -> str:
    """A bordered table; cells are already-escaped HTML."""
    widths = widths or [""] * len(header)
    head = "".join(f'<th{f" width={w!r}" if w else ""}>{h}</th>' for h, w in zip(header, widths))
    body = "".join("<tr>" + "".join(f'<td valign="top">{cell}</td>' for cell in row) + "</tr>" for row in rows)
    return f"<table {GRID}><tr>{head}</tr>{body}</table>"


def _flag(severity: str) -> str:
    if severity == "info":
        return ""
    return (f'<span style="color: {c.SEVERITY_COLOUR[severity]}; font-weight: bold">'
            f"{c.SEVERITY_LABEL[severity]}:</span> ")


def _ul(texts: list[str]) -> str:
    """A list of already-escaped entries."""
    return "<ul>" + "".join(f"<li>{t}</li>" for t in texts) + "</ul>"


# ---- page 1: the summary -------------------------------------------------------------------------
def _title(sm: s.Summary, copy: str) -> str:
    return (f'<p><b>Management plan</b> <span class="muted">· {copy} ·</span> '
            f'<span class="muted">Case</span> <b>{_e(sm.case_label)}</b> <span class="muted">· Assessment date</span> '
            f'<b>{_e(sm.assessment_date.isoformat())}</b></p>')


def _protocol_box(warnings: list[str]) -> str:
    """The protocol's standing (unapproved, due for review) in a red box at the top of the first page."""
    lines = "<br>".join(f"<b>{_e(w)}</b>" for w in warnings)
    return (f'<table width="100%" border="2" cellspacing="0" cellpadding="6" style="border-collapse: collapse; '
            f'border-color: #b71c1c"><tr><td bgcolor="#fdecea" style="color: #b71c1c">{lines}</td></tr></table>'
            if lines else "")


def _scope(sm: s.Summary) -> str:
    return "".join(
        '<table width="100%" border="2" cellspacing="0" cellpadding="6" style="border-collapse: collapse; '
        f'border-color: {c.SEVERITY_COLOUR["critical"]}"><tr><td bgcolor="{c.SEVERITY_BG["critical"]}">'
        f'<b style="color: {c.SEVERITY_COLOUR["critical"]}">Outside the validated scope:</b> {_e(text)}</td></tr></table>'
        for text in sm.scope)


def _headline(sm: s.Summary) -> str:
    return (f'<table width="100%" cellspacing="0" cellpadding="6"><tr>'
            f'<td bgcolor="{sm.colour}" style="color: #ffffff">'
            f'<span style="font-size: large; font-weight: bold; color: #ffffff">{_e(sm.title)}</span>'
            f'<br><span style="color: #ffffff"><b>{_e(sm.stability)}</b></span></td></tr></table>')


def _actions(title: str, items: list, empty: str) -> str:
    if not items:
        return f'<h2>{title}</h2><p class="muted">{empty}</p>'
    return f"<h2>{title}</h2>" + _ul([f"{_flag(i.severity)}{_e(i.text)}" for i in items])


def _drugs(sm: s.Summary) -> str:
    d = sm.drugs
    out = [f'<h2>Osteoporosis treatment: <span class="muted">{_e(d.status)}</span></h2>']
    if d.start:
        out.append(f"<p><b>Recommended (see below):</b> {_e(', '.join(d.start))}</p>")
    if d.items:
        out.append(_ul([_e(i.text) for i in d.items]))
    if d.before:
        out.append("<p><b>Before starting:</b></p>" + _ul([_e(t) for t in d.before]))
    if d.avoid:
        out.append("<p><b>Avoid:</b></p>" + _ul([f"<b>{_e(drug)}</b>: {_e(reason)}" for drug, reason in d.avoid]))
    else:
        out.append('<p><b>Avoid:</b> <span class="muted">no drug for this patient</span></p>')
    return "".join(out)


def _warnings(sm: s.Summary) -> str:
    if not sm.warnings:
        return ""
    rows = "".join(f'<tr><td bgcolor="{c.SEVERITY_BG[p.severity]}">{_flag(p.severity)}{_e(p.text)}</td></tr>'
                   for p in sm.warnings)
    return (f'<h2>Watch out</h2><table border="1" cellspacing="0" cellpadding="3" width="100%" '
            f'style="border-collapse: collapse">{rows}</table>')


def _follow_up(sm: s.Summary) -> str:
    if not sm.follow_up:
        return '<h2>Follow-up</h2><p class="muted">None scheduled.</p>'
    rows = [f"<b>{_e(f.due_date.strftime('%a'))} {_e(f.due_date.isoformat())}</b> "
            f'<span class="muted">({_e("today" if f.due_days == 0 else f"day {f.due_days}")})</span>: {_e(f.what)}'
            for f in sm.follow_up]
    return "<h2>Follow-up</h2>" + _ul(rows)


def _columns(left: str, right: str) -> str:
    """Two columns side by side (a layout table)."""
    return (f'<table width="100%" cellspacing="0" cellpadding="0"><tr><td valign="top" width="50%">{left}</td>'
            f'<td width="14"></td><td valign="top">{right}</td></tr></table>')


def _scores(sm: s.Summary) -> str:
    text = " · ".join(f'<span class="muted">{_e(label)}</span> <b>{_e(value)}</b>' for label, value in sm.scores)
    return f'<h2>Scores</h2><p>{text}</p>' if text else ""


def _signature(sm: s.Summary, full: bool) -> str:
    missing = ""
    if sm.missing:
        where = "listed in the reasoning below" if full else "print the summary and reasoning to see them"
        missing = (f'<p class="small"><b>{sm.missing}</b> unrecorded finding{"s" if sm.missing > 1 else ""} '
                   f"could change this plan ({where}).</p>")
    return (missing + '<table width="100%" cellspacing="0" cellpadding="6" style="margin-top: 10px"><tr>'
            "<td>Clinician name: ____________________</td><td>Signature: ________________</td>"
            "<td>Date and time: ________________</td></tr></table>")


def _summary(sm: s.Summary, full: bool) -> list[str]:
    return [_protocol_box(sm.protocol), _title(sm, "clinician copy"), _scope(sm), _headline(sm),
            _actions("Do now", sm.do_now, "Nothing to do at this visit."),
            _actions("Arrange", sm.arrange, "Nothing to arrange."),
            _warnings(sm), _columns(_drugs(sm), _follow_up(sm) + _scores(sm)), _signature(sm, full)]


# ---- the appendix: the reasoning -----------------------------------------------------------------
def _sections(plan: Plan, case: Case) -> str:
    out = []
    for section, items in c.sections(plan):
        out.append(f"<h3>{_e(c.SECTION_TITLE[section])}</h3>")
        rows = []
        for item in items:
            strength = f' <span class="muted">(strength: {_e(item.strength)})</span>' if item.strength else ""
            rows.append(f"{_flag(item.severity)}{_e(item.text)}{strength}{_cites(item.citations)}"
                        f"{_why(item.because, case)}")
        out.append(_ul(rows))
    return "".join(out) or '<p class="muted">No recommendations in this plan.</p>'


def _pitfalls(plan: Plan, case: Case) -> str:
    rows = [f"{_flag(p.severity)}{_e(p.text)}{_cites(p.citations)}{_why(p.because, case)}"
            for p in c.by_severity(plan.pitfalls)]
    return "<h3>Pitfalls</h3>" + (_ul(rows) if rows else '<p class="muted">None raised for this case.</p>')


def _avoid(plan: Plan, case: Case) -> str:
    if not plan.avoid:
        return ""
    rows = [f"<b>{_e(c.AGENT_LABEL[a.agent])}</b>: {_e(a.reason)}{_cites(a.citations)}{_why(a.because, case)}"
            for a in plan.avoid]
    return "<h3>Drugs to avoid</h3>" + _ul(rows)


def _missing(plan: Plan, case: Case) -> str:
    if not plan.missing:
        return '<h3>Missing data</h3><p class="muted">Nothing unrecorded that would change this plan.</p>'
    rows = [[f"<b>{_e(c.field_label(m.field, case))}</b>", _e(m.impact)] for m in plan.missing]
    return ('<h3>Missing data <span class="muted small">(not recorded, never assumed normal)</span></h3>'
            + _table(["Finding", "What it would change"], rows, ["28%", ""]))


def _scores_table(plan: Plan, case: Case, diagram_src: str | None) -> str:
    rows = "".join(f'<tr><td class="muted">{_e(label)}</td><td><b>{_e(value)}</b></td></tr>'
                   for label, value in c.score_rows(plan))
    left = f'<h3>Scores <span class="muted small">(index fracture)</span></h3><table {GRID}>{rows}</table>'
    if diagram_src is None:
        return left
    w, h = (size // 2 for size in DIAGRAM_SIZE)
    img = (f'<img src="{_e(diagram_src)}" width="{w}" height="{h}" '
           f'alt="{_e("Spine diagram: " + ", ".join(f.level for f in case.fractures))}">')
    return (f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td valign="top">{left}</td><td width="16"></td>'
            f'<td valign="top" width="{w}" align="center">{img}</td></tr></table>')


def _references(plan: Plan, protocol: c.ProtocolLike) -> str:
    rows = [[f'<b class="small">{_e(", ".join(ids))}</b>', f'<span class="small">{_e(text)}</span>']
            for ids, text in c.reference_groups(c.cited_ids(plan), protocol)]
    return "<h3>References</h3>" + (_table(["Cited as", "Reference"], rows, ["18%", ""]) if rows
                                      else '<p class="muted">No citations.</p>')


def _reasoning(plan: Plan, case: Case, protocol: c.ProtocolLike, diagram_src: str | None) -> list[str]:
    return ['<h1 style="page-break-before: always">Reasoning <span class="muted" style="font-size: medium">'
            "· why each part of the plan applies to this patient</span></h1>",
            _sections(plan, case), _pitfalls(plan, case), _avoid(plan, case), _missing(plan, case),
            _scores_table(plan, case, diagram_src), _references(plan, protocol)]


def _closing(plan: Plan, protocol: c.ProtocolLike) -> str:
    return (f'<p class="small muted" style="margin-top: 10px">{_e(c.protocol_line(plan))}. '
            f"Generated {_e(plan.generated_at.isoformat())}.</p>"
            f'<p class="small"><b>Intended use:</b> {_e(c.intended_use(protocol))} '
            f"{_e(c.DISCLAIMER_SHORT)}</p>")


# ---- the patient handout ---------------------------------------------------------------------------
def _patient(h: s.Handout) -> list[str]:
    def block(title: str, texts: list[str]) -> str:
        return f"<h2>{_e(title)}</h2>" + _ul([_e(t) for t in texts]) if texts else ""

    visits = "".join(f'<tr><td valign="top" width="44%"><b>{_e(c.long_date(day))}</b></td><td>{_e(text)}</td></tr>'
                     for day, text in h.appointments)
    return [
        _protocol_box(h.protocol),
        '<h1 style="font-size: x-large">Your back fracture: what to do</h1>',
        f'<p class="muted">{_e(c.long_date(h.assessment_date))} · Reference: {_e(h.reference)}</p>',
        "".join(f"<p><b>Please note:</b> {_e(text)}</p>" for text in h.scope),
        '<table width="100%" border="2" cellspacing="0" cellpadding="8" style="border-collapse: collapse; '
        'border-color: #b71c1c"><tr><td bgcolor="#fdecea">'
        '<span style="color: #b71c1c; font-weight: bold; font-size: large">'
        "Come back at once, or call for help, if you have:</span>"
        + _ul([_e(t) for t in h.return_at_once]) + "</td></tr></table>",
        block("What has happened", h.happened),
        _columns(block("What to do", h.todo) or "<h2>What to do</h2><p>Your doctor will explain what to do.</p>",
                 block("Your medicines", h.medicines)),
        "<h2>Your appointments</h2>" + (f'<table width="100%" cellspacing="0" cellpadding="3">{visits}</table>'
                                        if visits else "<p>Ask your doctor when to come back.</p>"),
        f'<p style="margin-top: 10px"><b>{_e(c.PATIENT_FOOTER)}</b></p>',
    ]


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(plan: Plan, case: Case, protocol: c.ProtocolLike, audience: str = "clinician", *,
                detail: str = "full", diagram: bool = True, diagram_src: str | None = None,
                paged: bool = False) -> str:
    """A complete HTML document of the plan for `audience` ("clinician" or "patient").

    The clinician copy is the summary (page 1 on paper) and, at `detail="full"`, the reasoning after
    it, with the spine diagram as an SVG data URI unless `diagram` is false; `diagram_src` replaces
    that URI (the PDF writer points it at a raster image resource). `paged` (the PDF writer): the
    summary leaves out the protocol line, which every page's footer carries.
    """
    if c.check_audience(audience) == "patient":
        return _document(f"Your plan: {c.case_label(plan)}", PATIENT_PT, _patient(s.handout(plan, case, protocol)))
    full = c.check_detail(detail) == "full"
    body = _summary(s.summarise(plan, case, protocol), full)
    if full:
        src = (diagram_src or svg_data_uri(spine_svg(case))) if diagram else None
        body += _reasoning(plan, case, protocol, src)
    if full or not paged:  # the protocol and its full sha256 (on paper every page's footer has them)
        body.append(_closing(plan, protocol))
    return _document(f"VCF plan: {c.case_label(plan)}", CLINICIAN_PT, body)
