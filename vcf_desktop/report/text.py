"""Plain-text report (CLI `--format text`): the clinician copy or the patient handout.

Both are built from `report.summary`, like the screen and the PDF. The clinician copy is the summary
and, at `detail="full"`, the reasoning after it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Because, Plan
from vcf_desktop.report import common as c
from vcf_desktop.report import summary as s

WIDTH = 88
SIGNATURE = "Clinician name: ____________________  Signature: ______________  Date and time: ______________"


def _wrap(text: str, indent: str = "", hang: str | None = None) -> list[str]:
    """Wrap one paragraph; continuation lines are indented by `hang` (default: `indent`)."""
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=hang or indent,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def _heading(title: str) -> list[str]:
    return ["", title.upper(), "-" * len(title)]


def _bullet(text: str, level: int = 1) -> list[str]:
    pad = "  " * level
    return _wrap(text, f"{pad}- ", f"{pad}  ")


def _list(title: str, texts: Sequence[str], empty: str = "") -> list[str]:
    """A heading and one bullet per text; `empty` (when given) says so when there are none."""
    out = _heading(title)
    for text in texts:
        out += _bullet(text)
    return out if texts or not empty else [*out, f"  {empty}"]


def _flag(severity: str) -> str:
    return "" if severity == "info" else f"[{c.SEVERITY_LABEL[severity]}] "


def _summary(sm: s.Summary, full: bool) -> list[str]:
    out = ["VCF DESKTOP: MANAGEMENT PLAN (clinician copy)", *(f"!! {w}" for w in sm.protocol),
           f"Case: {sm.case_label}    Assessment date: {sm.assessment_date.isoformat()}"]
    for text in sm.scope:
        out += ["", *_wrap(text, "OUTSIDE THE VALIDATED SCOPE: ", "  ")]
    out += ["", *_wrap(sm.title, "PLAN: ", "      "), *_wrap(sm.stability, "      ", "      ")]
    out += _list("Do now", [f"{_flag(i.severity)}{i.text}" for i in sm.do_now], "Nothing to do at this visit.")
    out += _list("Arrange", [f"{_flag(i.severity)}{i.text}" for i in sm.arrange], "Nothing to arrange.")
    d = sm.drugs
    out += _heading(f"Osteoporosis treatment: {d.status}")
    if d.start:
        out += _wrap(", ".join(d.start), "  Recommended (see below): ", "    ")
    for item in d.items:
        out += _bullet(item.text)
    if d.before:
        out.append("  Before starting:")
        out += [line for text in d.before for line in _bullet(text, 2)]
    out.append("  Avoid:" if d.avoid else "  Avoid: no drug for this patient")
    out += [line for drug, reason in d.avoid for line in _bullet(f"{drug}: {reason}", 2)]
    if sm.warnings:
        out += _list("Watch out", [f"{_flag(p.severity)}{p.text}" for p in sm.warnings])
    out += ["", *_wrap(" | ".join(f"{label} {value}" for label, value in sm.scores), "Scores: ", "        ")]
    out += _list("Follow-up", [f"{c.due_text(f.due_date, f.due_days)}: {f.what}" for f in sm.follow_up],
                 "None scheduled.")
    if sm.missing:
        where = "see Missing data below" if full else "print the reasoning to see them"
        out += ["", *_wrap(f"{sm.missing} unrecorded finding{'s' if sm.missing > 1 else ''} could change this "
                           f"plan ({where}).")]
    return [*out, "", SIGNATURE]


def _why(because: Sequence[Because], case: Case, cites: Sequence[str], level: int = 2) -> list[str]:
    pad = "  " * level
    lines = [line for b in c.held(because) for line in _wrap(c.because_text(b, case), f"{pad}because: ", f"{pad}  ")]
    return lines + (_wrap(", ".join(cites), f"{pad}evidence: ", f"{pad}  ") if cites else [])


def _reasoning(plan: Plan, case: Case, protocol: c.ProtocolLike) -> list[str]:
    out = ["", "", "REASONING (APPENDIX)", "===================="]
    for section, items in c.sections(plan):
        out += _heading(c.SECTION_TITLE[section])
        for item in items:
            strength = f" (strength: {item.strength})" if item.strength else ""
            out += _bullet(f"{_flag(item.severity)}{item.text}{strength}")
            out += _why(item.because, case, item.citations)
    out += _heading("Pitfalls")
    for p in c.by_severity(plan.pitfalls):
        out += _bullet(f"{_flag(p.severity)}{p.text}")
        out += _why(p.because, case, p.citations)
    if not plan.pitfalls:
        out.append("  None raised.")
    if plan.avoid:
        out += _heading("Drugs to avoid")
        for a in plan.avoid:
            out += _bullet(f"{c.AGENT_LABEL[a.agent]}: {a.reason}")
            out += _why(a.because, case, a.citations)
    out += _list("Missing data (not recorded; could change this plan)",
                 [f"{c.field_label(m.field, case)}: {m.impact}" for m in plan.missing],
                 "Nothing missing that would change this plan.")
    out += _list("Scores (index fracture)", [f"{label}: {value}" for label, value in c.score_rows(plan)])
    out += _heading("References")
    for ids, text in c.reference_groups(c.cited_ids(plan), protocol):
        out += _wrap(text, f"  {', '.join(ids)}: ", "    ")
    return out


def _closing(plan: Plan, protocol: c.ProtocolLike) -> list[str]:
    return ["", *_wrap(c.protocol_line(plan)), *_wrap(f"Generated: {plan.generated_at.isoformat()}"),
            *_wrap(f"Intended use: {c.intended_use(protocol)}"), *_wrap(c.DISCLAIMER_SHORT)]


def _patient(h: s.Handout) -> list[str]:
    out = ["YOUR BACK FRACTURE: WHAT TO DO", *(f"!! {w}" for w in h.protocol),
           f"Date: {c.long_date(h.assessment_date)}    Reference: {h.reference}", "",
           *(line for text in h.scope for line in _wrap(f"PLEASE NOTE: {text}")), *([""] if h.scope else []),
           "*" * 60, "COME BACK AT ONCE, OR CALL FOR HELP, IF YOU HAVE:"]
    out += [line for text in h.return_at_once for line in _bullet(text)]
    out.append("*" * 60)
    out += _list("What has happened", h.happened)
    out += _list("What to do", h.todo, "Your doctor will explain what to do.")
    if h.medicines:
        out += _list("Your medicines", h.medicines)
    out += _list("Your appointments", [f"{c.long_date(day)}: {text}" for day, text in h.appointments],
                 "Ask your doctor when to come back.")
    return out + ["", *_wrap(c.PATIENT_FOOTER)]


def render_text(plan: Plan, case: Case, protocol: c.ProtocolLike, audience: str = "clinician",
                detail: str = "full") -> str:
    """The plan as plain text for `audience`; the clinician copy at `detail` "summary" or "full"."""
    if c.check_audience(audience) == "patient":
        lines = _patient(s.handout(plan, case, protocol))
    else:
        full = c.check_detail(detail) == "full"
        lines = _summary(s.summarise(plan, case, protocol), full)
        lines += (_reasoning(plan, case, protocol) if full else []) + _closing(plan, protocol)
    return "\n".join(lines) + "\n"
