"""Plain-text report (CLI `--format text`): the clinician copy or the patient handout."""

from __future__ import annotations

import textwrap

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Plan
from vcf_desktop.report import common as c

WIDTH = 88


def _wrap(text: str, indent: str = "", hang: str | None = None) -> list[str]:
    """Wrap one paragraph; continuation lines are indented by `hang` (default: `indent`)."""
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=hang or indent,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def _heading(title: str) -> list[str]:
    return ["", title.upper(), "-" * len(title)]


def _bullet(text: str, level: int = 1) -> list[str]:
    pad = "  " * level
    return _wrap(text, f"{pad}- ", f"{pad}  ")


def _list(title: str, texts: list[str], empty: str = "") -> list[str]:
    """A heading and one bullet per text; `empty` (when given) says so when there are none."""
    out = _heading(title)
    for text in texts:
        out += _bullet(text)
    return out if texts or not empty else [*out, f"  {empty}"]


def _why(because: list, case: Case, cites: list[str], level: int = 2) -> list[str]:
    pad = "  " * level
    lines = [line for b in c.held(because) for line in _wrap(c.because_text(b, case), f"{pad}because: ", f"{pad}  ")]
    if absent := c.does_not_apply(because):
        lines += _wrap("; ".join(absent), f"{pad}does not apply: ", f"{pad}  ")
    if cites:
        lines += _wrap(", ".join(cites), f"{pad}cites: ", f"{pad}  ")
    return lines


def _warnings(plan: Plan) -> list[str]:
    return [f"!! {w}" for w in c.protocol_warnings(plan)]  # never wrapped: the sha256 stays whole


def _clinician(plan: Plan, case: Case, protocol: c.ProtocolLike) -> list[str]:
    out = ["VCF DESKTOP: MANAGEMENT PLAN (clinician copy)", *_warnings(plan),
           f"Case: {c.case_label(plan)}    Assessment date: {plan.assessment_date.isoformat()}", ""]
    out += _wrap(c.headline(plan), "PLAN: ", "      ")
    out += _wrap(c.pathway_line(plan), "      ", "      ")
    out += _wrap(" | ".join(f"{label} {value}" for label, value in c.score_rows(plan)), "Scores: ", "        ")

    out += _heading("Pitfalls")
    for p in c.by_severity(plan.pitfalls):
        out += _wrap(f"[{c.SEVERITY_LABEL[p.severity]}] {p.text}", "  ", "    ")
        out += _why(p.because, case, p.citations)
    if not plan.pitfalls:
        out.append("  None raised.")

    for section, items in c.sections(plan):
        out += _heading(c.SECTION_TITLE[section])
        for item in items:
            flag = "" if item.severity == "info" else f"[{c.SEVERITY_LABEL[item.severity]}] "
            strength = f" (strength: {item.strength})" if item.strength else ""
            out += _bullet(f"{flag}{item.text}{strength}")
            out += _why(item.because, case, item.citations)

    op = plan.osteoporosis
    out += _heading("Osteoporosis treatment")
    out.append(f"  Status: {c.OSTEOPOROSIS_STATUS_LABEL[op.status]}")
    out += _wrap(c.agents_text(op.recommended) or "none", "  Recommended: ", "    ")
    out.append("  Before starting:" if op.prerequisites else "  Before starting: nothing listed")
    for text in op.prerequisites:
        out += _bullet(text, 2)

    out += _heading("Drugs to avoid")
    for a in plan.avoid:
        out += _bullet(f"{c.AGENT_LABEL[a.agent]}: {a.reason}")
        if a.because:
            out += _why(a.because, case, a.citations)
    if not plan.avoid:
        out.append("  None for this patient.")

    out += _list("Missing data (not recorded; could change this plan)",
                 [f"{c.field_label(m.field, case)} [{m.field}]: {m.impact}" for m in plan.missing],
                 "Nothing missing that would change this plan.")
    out += _list("Follow-up schedule", [f"{c.due_text(f.due_date, f.due_days)}: {f.what}" for f in plan.follow_up],
                 "None scheduled.")

    out += _heading("References")
    for ref_id in c.cited_ids(plan):
        out += _wrap(c.reference_text(ref_id, protocol), f"  {ref_id}: ", "    ")

    out += ["", *_wrap(c.protocol_line(plan)), *_wrap(f"Generated: {plan.generated_at.isoformat()}"),
            "", *_wrap(f"Intended use: {c.intended_use(protocol)}"), *_wrap(c.DISCLAIMER_SHORT)]
    return out


def _patient(plan: Plan, protocol: c.ProtocolLike) -> list[str]:
    out = ["YOUR BACK FRACTURE: WHAT TO DO", *_warnings(plan),
           f"Date: {c.long_date(plan.assessment_date)}    Reference: {c.case_label(plan)}"]
    out += _list("What to do", c.patient_todo(plan), "Your doctor will explain your plan.")
    if notes := c.patient_notes(plan):
        out += _list("Good to know", notes)
    out += _list("When to come back", [f"{c.long_date(f.due_date)}: {c.patient_follow_up(f.what, f.patient_text)}"
                                       for f in plan.follow_up], "Ask your doctor when to come back.")
    out += _list("Come back at once if you have", c.return_at_once(protocol))
    out += ["", *_wrap("Your doctor made this plan with you. Ask them if anything is unclear.")]
    return out


def render_text(plan: Plan, case: Case, protocol: c.ProtocolLike, audience: str = "clinician") -> str:
    """The plan as plain text for `audience` ("clinician" or "patient"), ending with a newline."""
    lines = _patient(plan, protocol) if c.check_audience(audience) == "patient" else _clinician(plan, case, protocol)
    return "\n".join(lines) + "\n"
