"""The one summary of a plan that the screen, the text and HTML reports and the PDF are all built from.

Pure (no Qt). It decides nothing clinical: it groups what the engine's plan says by the plan's own
`priority`, `section` and `severity`, so a page built from it cannot disagree with another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Because, FollowUp, Item, Pitfall, Plan
from vcf_desktop.report import common as c

#: Stability as the headline words it.
STABILITY_HEADLINE: dict[str, str] = {
    "stable": "Stable",
    "potentially_unstable": "Potentially unstable",
    "unstable": "Unstable",
    "indeterminate": "Stability not confirmed",
}
#: Rule kinds whose item states a decision (what the patient is told "has happened").
DECISION_KINDS = ("stability", "pathway", "osteoporosis")
SCOPE_CODE = "outside_scope"
#: Sections the handout shows elsewhere: follow-up as the appointments and the come-back box.
HANDOUT_ELSEWHERE = ("follow_up",)
HANDOUT_MEDICINES = ("pain", "osteoporosis")


@dataclass(frozen=True)
class Drugs:
    """Osteoporosis treatment as page 1 shows it: status, agents to start, their items, what comes first."""

    status: str
    start: list[str]
    items: list[Item]
    before: list[str]
    avoid: list[tuple[str, str]]  # (drugs, reason): drugs with the same reason together


@dataclass(frozen=True)
class Summary:
    """What a chart needs from the plan, in reading order."""

    case_label: str
    assessment_date: date
    protocol: list[str]  # the protocol's standing (unapproved, due for review), shown before anything else
    scope: list[str]  # outside-scope statements, shown first
    title: str  # the pathway
    stability: str  # stability, and for anything but stable the finding that decided it
    colour: str
    do_now: list[Item]
    arrange: list[Item]
    drugs: Drugs
    warnings: list[Pitfall]  # warning and critical pitfalls (outside scope excepted: it is shown first)
    scores: list[tuple[str, str]]
    follow_up: list[FollowUp]
    missing: int  # how many unrecorded findings could change the plan


@dataclass(frozen=True)
class Handout:
    """The patient's page: what to come back for, what has happened, what to do, medicines, appointments."""

    assessment_date: date
    reference: str
    protocol: list[str]
    scope: list[str]  # outside the validated scope, in the patient's words: said first (SP-7)
    return_at_once: list[str]
    happened: list[str]
    todo: list[str]
    medicines: list[str]
    appointments: list[tuple[date, str]] = field(default_factory=list)


def rule_kinds(protocol: c.ProtocolLike) -> dict[str, str]:
    """Rule id -> kind (`stability`, `pathway`, `item`, ...) from the protocol data, when it has rules."""
    rules = getattr(getattr(protocol, "data", None), "rules", None) or []
    return {r.id: r.kind for r in rules}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def finding_text(b: Because, case: Case | None) -> str:
    """`neurological status not recorded`, `neurological status: cauda equina`."""
    label = _lower_first(c.field_label(b.field, case))
    if b.value is None:
        return f"{label} {c.NOT_RECORDED}"
    return f"{label}: {c.format_value(b.value, c.field_unit(b.field))}"


#: The reason a decision rests on when no finding of its own decided it (not worth a headline).
INDEX_LEVEL = "fractures[0].level"


def stability_line(plan: Plan, case: Case | None, kinds: dict[str, str]) -> str:
    """`Stable`, or e.g. `Stability not confirmed — neurological status not recorded`."""
    word = STABILITY_HEADLINE[plan.stability]
    if plan.stability == "stable":
        return word
    decision = next((i for i in plan.items if kinds.get(i.id) == "stability"), None)
    reasons = [b for b in (c.held(decision.because) if decision is not None else []) if b.field != INDEX_LEVEL]
    if not reasons and plan.stability == "indeterminate" and plan.missing:
        # nothing recorded decided it: what is missing did (the plan lists it first)
        reasons = [Because(field=plan.missing[0].field, value=None, criterion="not recorded")]
    return f"{word} — {finding_text(reasons[0], case)}" if reasons else word


def _ordered(plan: Plan, priority: str) -> list[Item]:
    """The plan's items of `priority`, in section order, each text once."""
    seen: set[str] = set()
    out = []
    for _, items in c.sections(plan):
        for item in items:
            if item.priority == priority and item.text not in seen:
                seen.add(item.text)
                out.append(item)
    return out


def _avoid_by_reason(plan: Plan) -> list[tuple[str, str]]:
    """(drugs, reason): the drugs to avoid, those with the same reason named together, in plan order."""
    groups: dict[str, list[str]] = {}
    for a in plan.avoid:
        groups.setdefault(a.reason, []).append(c.AGENT_LABEL[a.agent])
    return [(", ".join(drugs), reason) for reason, drugs in groups.items()]


def summarise(plan: Plan, case: Case | None, protocol: c.ProtocolLike) -> Summary:
    """The summary of `plan` (for `case`, under `protocol`)."""
    kinds = rule_kinds(protocol)
    op = plan.osteoporosis
    nexts = _ordered(plan, "next")
    drugs = Drugs(
        status=c.OSTEOPOROSIS_STATUS_LABEL[op.status],
        start=[c.AGENT_LABEL[a] for a in op.recommended],
        items=[i for i in nexts if i.section == "osteoporosis"],
        before=list(op.prerequisites),
        avoid=_avoid_by_reason(plan),
    )
    pitfalls = c.by_severity(plan.pitfalls)
    return Summary(
        case_label=c.case_label(plan),
        assessment_date=plan.assessment_date,
        protocol=c.protocol_warnings(plan.protocol),
        scope=[p.text for p in pitfalls if p.code == SCOPE_CODE],
        title=c.PATHWAY_LABEL[plan.pathway],
        stability=stability_line(plan, case, kinds),
        colour=c.headline_colour(plan),
        do_now=_ordered(plan, "now"),
        arrange=[i for i in nexts if i.section != "osteoporosis"],
        drugs=drugs,
        warnings=[p for p in pitfalls if p.severity != "info" and p.code != SCOPE_CODE],
        scores=[(label, value) for label, value in c.score_rows(plan) if value != "cannot be computed"],
        follow_up=list(plan.follow_up),
        missing=len(plan.missing),
    )


def _broken_bones(case: Case) -> str:
    """The handout's first line: the index fracture and every other fracture recorded as new."""
    index, *others = case.fractures
    levels = [index.level, *(f.level for f in others if f.new is True)]
    if len(levels) == 1:
        return f"You have a broken bone in your back (the {levels[0]} vertebra)."
    named = ", ".join(levels[:-1]) + f" and {levels[-1]}"
    return f"You have broken bones in your back (the {named} vertebrae)."


def handout(plan: Plan, case: Case | None, protocol: c.ProtocolLike) -> Handout:
    """The patient handout's content: the items' patient texts (of the pitfalls, only the outside-scope
    statement), grouped for the patient.

    Decisions (stability, pathway, osteoporosis status) say what has happened; pain and bone medicine
    items are the medicines; the other items with priority now or next are what to do. Follow-up items
    are the appointments and the come-back box.
    """
    kinds = rule_kinds(protocol)
    happened: list[str] = []
    if case is not None:
        happened.append(_broken_bones(case))
    todo: list[str] = []
    medicines: list[str] = []
    for _, items in c.sections(plan):
        for item in items:
            if kinds.get(item.id) in DECISION_KINDS:
                happened.append(item.patient_text)
            elif item.section in HANDOUT_ELSEWHERE or item.priority == "info":
                continue
            elif item.section in HANDOUT_MEDICINES:
                medicines.append(item.patient_text)
            else:
                todo.append(item.patient_text)
    said: set[str] = set()

    def once(texts: list[str]) -> list[str]:
        out = [t for t in dict.fromkeys(texts) if t not in said]
        said.update(out)
        return out

    return Handout(
        assessment_date=plan.assessment_date,
        reference=c.case_label(plan),
        protocol=c.protocol_warnings(plan.protocol),
        scope=[p.patient_text for p in plan.pitfalls if p.code == SCOPE_CODE and p.patient_text],
        return_at_once=c.return_at_once(protocol),
        happened=once(happened),
        todo=once(todo),
        medicines=once(medicines),
        appointments=[(f.due_date, c.patient_follow_up(f.what, f.patient_text)) for f in plan.follow_up],
    )
