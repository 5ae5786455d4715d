"""A readable account of the protocol ("how this protocol works"), generated from its data."""

from __future__ import annotations

import textwrap

from vcf_desktop.engine.facts import FACTS
from vcf_desktop.engine.protocol import (
    AvoidRule, FollowUpRule, ItemRule, LoadedProtocol, OsteoporosisRule, PathwayRule, PitfallRule,
    PrerequisiteRule, RecommendRule, StabilityRule,
)


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent)


def _what(rule: object) -> str:
    if isinstance(rule, (StabilityRule, OsteoporosisRule)):
        return f"-> {rule.value}: {rule.text}"
    if isinstance(rule, PathwayRule):
        return f"-> {rule.value} ({rule.headline}): {rule.text}"
    if isinstance(rule, ItemRule):
        return f"[{rule.section}, {rule.severity}] {rule.text}"
    if isinstance(rule, PitfallRule):
        return f"pitfall {rule.code} ({rule.severity}): {rule.text}"
    if isinstance(rule, RecommendRule):
        return "recommend: " + ", ".join(rule.agents)
    if isinstance(rule, AvoidRule):
        return f"avoid {', '.join(rule.agents)}: {rule.reason}"
    if isinstance(rule, PrerequisiteRule):
        return f"prerequisite: {rule.text}"
    assert isinstance(rule, FollowUpRule)
    return f"follow-up at {rule.due_days} days: {rule.what}"


def protocol_summary(protocol: LoadedProtocol) -> str:
    """Every threshold, definition, rule, missing-data entry and reference, in plain text."""
    data = protocol.data
    meta = data.protocol
    out = [f"{meta.title}", f"id {meta.id}, version {meta.version}, review date {meta.review_date}",
           f"sha256 {protocol.sha256}", f"Evidence base: {meta.evidence_base}", "", _wrap(meta.intended_use, ""), "",
           "HOW DECISIONS ARE MADE",
           _wrap("Facts are derived from the case (an unrecorded finding never counts as present). Stability, "
                 "then the pathway (most urgent first), then the osteoporosis status are decided by the first "
                 "rule of each kind whose condition holds; every other rule whose condition holds adds its "
                 "recommendation, pitfall, drug to avoid, prerequisite or follow-up. Each plan entry lists the "
                 "inputs and thresholds that fired it and its citations.", ""), "", "THRESHOLDS"]
    for name, th in data.thresholds:
        out.append(f"  {name}: {th.describe()} [{', '.join(th.citations)}]")
    out += ["", "DEFINITIONS (combinations of facts)"]
    out += [f"  {d.name} = {d.when}\n{_wrap(d.description, '      ')}" for d in data.definitions]
    kinds = [("STABILITY (first match)", StabilityRule), ("PATHWAY (first match, most urgent first)", PathwayRule),
             ("OSTEOPOROSIS STATUS (first match)", OsteoporosisRule), ("RECOMMENDATIONS", ItemRule),
             ("PITFALLS", PitfallRule), ("OSTEOPOROSIS AGENTS", RecommendRule), ("DRUGS TO AVOID", AvoidRule),
             ("PREREQUISITES", PrerequisiteRule), ("FOLLOW-UP", FollowUpRule)]
    for title, kind in kinds:
        out += ["", title]
        for rule in data.rules:
            if isinstance(rule, kind):
                out.append(f"  {rule.id}  when {rule.when}  [{', '.join(rule.citations)}]")
                out.append(_wrap(_what(rule), "      "))
    out += ["", f"PATIENT HANDOUT: come back at once if [{', '.join(data.patient_handout.citations)}]"]
    out += [f"  - {line}" for line in data.patient_handout.return_at_once]
    out += ["", "MISSING DATA (listed when unrecorded)"]
    out += [f"  {m.field}" + ("" if m.when == "true" else f" (when {m.when})") + f"\n{_wrap(m.impact, '      ')}"
            for m in data.missing]
    out += ["", "FACTS (derived from the case)"]
    out += [f"  {name}: {text}" for name, text in FACTS.items()]
    out += ["", "REFERENCES"]
    out += [f"  {rid} [{ref.verification}] {ref.title}\n{_wrap(ref.source, '      ')}"
            for rid, ref in data.references.items()]
    return "\n".join(out) + "\n"
