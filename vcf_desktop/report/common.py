"""Presentation helpers shared by the text, HTML and PDF reports: labels, ordering, formatting.

Nothing here decides anything clinical: it only names, orders and formats what the plan says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from pydantic import BaseModel

from vcf_desktop.domain import vocab as v
from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Because, Item, Pitfall, Plan, ProtocolRef

AUDIENCES: tuple[str, ...] = ("clinician", "patient")
#: How much of the clinician copy: the one-page summary, or the summary and the reasoning behind it.
DETAILS: tuple[str, ...] = ("summary", "full")
DETAIL_LABEL: dict[str, str] = {"summary": "Summary only", "full": "Summary and reasoning"}
PATIENT_FOOTER = "Questions? Call your care team: ______________________  Phone: ________________"

PATIENT_PAGE_FOOTER = "Questions? Call the team who gave you this sheet. Feeling very unwell? Call for help at once."
DISCLAIMER_SHORT = "Decision support for clinicians; not a substitute for clinical judgement."
NOT_RECORDED = "not recorded"
NEGATED = "not: "  # how the engine words a criterion that held because a condition was absent

PATHWAY_LABEL: dict[str, str] = {
    "emergency_referral": "Emergency referral",
    "red_flag_workup": "Red-flag work-up",
    "surgical_consultation": "Surgical consultation",
    "augmentation_referral": "Vertebral augmentation referral",
    "conservative": "Conservative (non-operative) care",
}
#: Headline colour by urgency: red, orange, blue, green.
PATHWAY_COLOUR: dict[str, str] = {
    "emergency_referral": "#b71c1c",
    "red_flag_workup": "#b71c1c",
    "surgical_consultation": "#e65100",
    "augmentation_referral": "#0d47a1",
    "conservative": "#1b5e20",
}
#: A calm pathway (augmentation or conservative care) on a fracture not known to be stable is not
#: shown in calm colours: the headline takes the "needs a decision" colour instead.
UNSETTLED_COLOUR = PATHWAY_COLOUR["surgical_consultation"]


def headline_colour(plan: Plan) -> str:
    """The headline's urgency colour: the pathway's, raised while stability is not established."""
    calm = plan.pathway in ("augmentation_referral", "conservative")
    return UNSETTLED_COLOUR if calm and plan.stability != "stable" else PATHWAY_COLOUR[plan.pathway]


SECTION_TITLE: dict[str, str] = {
    "red_flags": "Red flags",
    "stability": "Stability",
    "pain": "Pain",
    "mobility": "Mobility",
    "augmentation": "Vertebral augmentation",
    "surgery": "Surgery",
    "osteoporosis": "Osteoporosis",
    "follow_up": "Follow-up",
    "patient_education": "Patient education",
}
SEVERITY_LABEL: dict[str, str] = {"critical": "CRITICAL", "warning": "WARNING", "info": "NOTE"}
SEVERITY_COLOUR: dict[str, str] = {"critical": "#b71c1c", "warning": "#e65100", "info": "#37474f"}
SEVERITY_BG: dict[str, str] = {"critical": "#fdecea", "warning": "#fff4e5", "info": "#eef2f5"}
OSTEOPOROSIS_STATUS_LABEL: dict[str, str] = {
    "treat": "treat now",
    "defer": "defer (see before starting)",
    "not_applicable": "not applicable",
}
AGENT_LABEL: dict[str, str] = {
    "alendronate": "Alendronate",
    "risedronate": "Risedronate",
    "ibandronate": "Ibandronate",
    "zoledronic_acid": "Zoledronic acid",
    "denosumab": "Denosumab",
    "teriparatide": "Teriparatide",
    "abaloparatide": "Abaloparatide",
    "romosozumab": "Romosozumab",
    "calcium": "Calcium",
    "vitamin_d": "Vitamin D",
    "calcitonin": "Calcitonin",
    "nsaid": "NSAIDs",
}
VERIFICATION_LABEL: dict[str, str] = {
    "V": "verified against the primary source",
    "S": "secondary source only",
    "M": "unverified",
}
#: Score rows of the clinician copy: (Scores field, label, unit).
SCORE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("genant_grade", "Genant grade", ""),
    ("of_class", "OF class", ""),
    ("of_score", "OF score", ""),
    ("tlics", "TLICS", ""),
    ("ao_neuro", "AO neuro", ""),
    ("crcl_ml_min", "Creatinine clearance", "mL/min"),
    ("bmi", "BMI", "kg/m²"),
)


SCORE_LABEL: dict[str, str] = {field: label for field, label, _ in SCORE_ROWS}


class ProtocolLike(Protocol):
    """What the reports read from a loaded protocol (`engine.protocol.LoadedProtocol`)."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def references(self) -> dict[str, Any]: ...

    sha256: str
    data: Any


def check_audience(audience: str) -> str:
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    return audience


def check_detail(detail: str) -> str:
    if detail not in DETAILS:
        raise ValueError(f"detail must be one of {', '.join(DETAILS)}, not {detail!r}")
    return detail


def intended_use(protocol: ProtocolLike) -> str:
    """The protocol's intended-use statement (falls back to the short disclaimer)."""
    return getattr(getattr(getattr(protocol, "data", None), "protocol", None), "intended_use", DISCLAIMER_SHORT)


def return_at_once(protocol: ProtocolLike) -> list[str]:
    """The protocol's safety-netting for the patient handout: when to come back at once."""
    return list(protocol.data.patient_handout.return_at_once)


def protocol_warnings(p: ProtocolRef) -> list[str]:
    """What every output says first about the protocol that made a plan: not approved, due for review."""
    out = []
    if not p.approved:
        out.append(f"UNAPPROVED PROTOCOL · sha256 {p.sha256}")
    if p.review_due:
        out.append("PROTOCOL DUE FOR REVIEW · " + (f"review date {p.review_date.isoformat()} has passed"
                                                  if p.review_date else "its review date has passed"))
    return out


def protocol_line(plan: Plan) -> str:
    p = plan.protocol
    return f"Protocol {p.id} version {p.version} (sha256 {p.sha256})"


def case_label(plan: Plan) -> str:
    return plan.case_id or "(no case id)"


def format_value(value: Any, unit: str = "") -> str:
    """A finding's value as a reader sees it; `None` is never shown as normal."""
    if value is None:
        return NOT_RECORDED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(x).replace("_", " ") for x in value) or "none"
    if isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value).replace("_", " ") if isinstance(value, str) else str(value)
    return f"{text} {unit}" if unit else text


_SEGMENT = re.compile(r"^([a-z_0-9]+)(?:\[(\d+)\])?$")


def field_label(path: str, case: Case | None) -> str:
    """`fractures[1].height_loss_pct` -> `Height loss (L1)` using the case model's titles; `scores.of_score` ->
    `OF score`; a derived value's name in words (`neuro_deficit` -> `neuro deficit`); a `(unit)` suffix kept."""
    base, sep, rest = path.partition(" (")
    suffix = f" ({rest}" if sep else ""
    if base.startswith("scores.") and base[len("scores."):] in SCORE_LABEL:
        return SCORE_LABEL[base[len("scores."):]] + suffix
    model: type[BaseModel] | None = Case
    title, level = base, None
    for segment in base.split("."):
        m = _SEGMENT.match(segment)
        if m is None:
            return base.replace("_", " ") + suffix
        field = model.model_fields.get(m.group(1)) if model is not None else None
        if m.group(2) is not None and m.group(1) == "fractures" and case is not None:
            i = int(m.group(2))
            level = case.fractures[i].level if i < len(case.fractures) else None
        title = field.title if field is not None and field.title else m.group(1).replace("_", " ")
        model = _inner_model(field.annotation) if field is not None else None
    named = level and not base.endswith(".level")  # "Level (L2) = L2" says the level twice
    return (f"{title} ({level})" if named else title) + suffix


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside `Model`, `list[Model]` or `Model | None`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def field_unit(path: str) -> str:
    """The unit of a case field path (json_schema_extra["unit"]), or ''."""
    model: type[BaseModel] | None = Case
    unit = ""
    for segment in path.split("."):
        m = _SEGMENT.match(segment)
        field = model.model_fields.get(m.group(1)) if (m and model is not None) else None
        if field is None:
            return ""
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        unit = str(extra.get("unit") or "")
        unit = "" if "–" in unit else unit  # a scale such as "0–10" is not a unit to print
        model = _inner_model(field.annotation)
    return unit


def because_text(b: Because, case: Case | None) -> str:
    """`Height loss (L2) = 31 % — > 25 (Genant grade 2)`."""
    return f"{field_label(b.field, case)} = {format_value(b.value, field_unit(b.field))} — {b.criterion}"


def held(because: Iterable[Because]) -> list[Because]:
    """The entries for conditions that held (not the ones checked and found absent)."""
    return [b for b in because if not b.criterion.startswith(NEGATED)]


def by_severity(entries: Iterable[Pitfall]) -> list[Pitfall]:
    """Critical first, then warning, then info; stable within a severity."""
    return sorted(entries, key=lambda e: v.SEVERITY_ORDER.index(e.severity))


def sections(plan: Plan) -> list[tuple[str, list[Item]]]:
    """Non-empty sections in `vocab.SECTIONS` order, each with its items in plan order."""
    return [(s, items) for s in v.SECTIONS if (items := [i for i in plan.items if i.section == s])]


def cited_ids(plan: Plan) -> list[str]:
    """Every citation id the plan uses, in first-use order (sections first, then the rest)."""
    seen: dict[str, None] = {}
    groups: list[Sequence[str]] = [p.citations for p in by_severity(plan.pitfalls)]
    groups += [i.citations for _, items in sections(plan) for i in items]
    groups += [a.citations for a in plan.avoid] + [f.citations for f in plan.follow_up]
    for ids in groups:
        seen.update(dict.fromkeys(ids))
    return list(seen)


def reference_text(ref_id: str, protocol: ProtocolLike) -> str:
    """The full citation (source with its PMID, DOI or label) and its verification tag; no abstract text.
    Unknown ids say so."""
    ref = protocol.references.get(ref_id)
    if ref is None:
        return "reference not found in the protocol"
    source = ref.source.rstrip(".")
    if f"[{ref.verification}]" in source:  # the source tags its parts itself
        return f"{source}."
    return f"{source}. [{ref.verification}: {VERIFICATION_LABEL.get(ref.verification, '')}]"


def reference_groups(ref_ids: Iterable[str], protocol: ProtocolLike) -> list[tuple[list[str], str]]:
    """The cited references as full citations, each source once with every id that cites it:
    `(["ACR-1", "ACR-2"], "ACR Appropriateness Criteria ... [V: verified against the primary source]")`."""
    groups: dict[str, list[str]] = {}
    for ref_id in ref_ids:
        groups.setdefault(reference_text(ref_id, protocol), []).append(ref_id)
    return [(ids, text) for text, ids in groups.items()]


def agents_text(agents: Iterable[str]) -> str:
    return ", ".join(AGENT_LABEL.get(a, a) for a in agents)


def due_text(due_date: date, due_days: int) -> str:
    """`2026-12-08 (Tue, day 14)`."""
    when = "today" if due_days == 0 else f"day {due_days}"
    return f"{due_date.isoformat()} ({due_date.strftime('%a')}, {when})"


def score_rows(plan: Plan) -> list[tuple[str, str]]:
    """(label, value) for each score; an uncomputable score says why it is blank."""
    rows = []
    for field, label, unit in SCORE_ROWS:
        value = getattr(plan.scores, field)
        rows.append((label, "cannot be computed" if value is None else format_value(value, unit)))
    return rows


def patient_follow_up(what: str, patient_text: str | None) -> str:
    return patient_text or what


def long_date(day: date) -> str:
    """`Tuesday 8 December 2026`."""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"
