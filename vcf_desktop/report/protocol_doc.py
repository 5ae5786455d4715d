"""*How this protocol works*: a readable document generated from the protocol data (HTML and text).

Contents, one heading per decision (stability, pathway, osteoporosis treatment), then the
recommendations, warnings, drugs, follow-up, thresholds in words with their units, missing data and
references. Each rule shows when it applies (its condition in words), what it says, its evidence
and each reference's verification tag. No internal names: facts and definitions appear as their
descriptions, rules and thresholds by what they say.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from html import escape
from typing import Any

from vcf_desktop.report import common as c

OP_WORDS = {">=": "at or above", ">": "above", "<": "below", "<=": "at or below"}
DECISIONS = (("stability", "Stability"), ("pathway", "Pathway (the one primary disposition, most urgent first)"),
             ("osteoporosis", "Osteoporosis treatment status"))
STATUS_WORDS = {"stability": "stability is", "pathway": "the pathway is", "osteoporosis": "osteoporosis treatment is"}
VALUE_LABEL: dict[str, str] = {**{k: v.lower() for k, v in c.PATHWAY_LABEL.items()},
                               "stable": "stable", "potentially_unstable": "potentially unstable",
                               "unstable": "unstable", "indeterminate": "indeterminate",
                               **c.OSTEOPOROSIS_STATUS_LABEL}


@dataclass(frozen=True)
class Entry:
    """One rule or threshold: what it says, when it applies, its evidence."""

    title: str
    when: str = ""
    detail: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    intro: str
    entries: list[Entry]


def _names(protocol: Any) -> dict[str, str]:
    """Every name a condition may use -> its words (facts, definitions, decisions already made)."""
    from vcf_desktop.engine.facts import FACTS

    words = dict(FACTS)
    words.update({d.name: d.description for d in protocol.data.definitions})
    for phase, _ in DECISIONS:
        for value, label in VALUE_LABEL.items():
            words[f"{phase}_{value}"] = f"{STATUS_WORDS[phase]} {label}"
    return words


def condition_words(source: str, names: dict[str, str]) -> str:
    """`fragility and not healed` -> `fragility mechanism (…) and not healed fracture: …` (never a name)."""
    def words(node: ast.expr, top: bool = False) -> str:
        if isinstance(node, ast.Name):
            return "always" if node.id == "true" else names.get(node.id, node.id.replace("_", " "))
        if isinstance(node, ast.Constant) and node.value is True:
            return "always"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return f"not {words(node.operand)}"
        if isinstance(node, ast.BoolOp):
            joiner = " and " if isinstance(node.op, ast.And) else " or "
            text = joiner.join(f"[{words(v)}]" if isinstance(v, ast.BoolOp) else words(v) for v in node.values)
            return text if top else text
        return ast.unparse(node)

    return words(ast.parse(source.strip(), mode="eval").body, top=True)


def _evidence(ids: list[str], protocol: Any) -> str:
    """`ACR-2 [V], OP-7 [S]`: each citation with its verification tag."""
    refs = protocol.references
    return ", ".join(f"{i} [{refs[i].verification}]" if i in refs else i for i in ids)


def threshold_words(th: Any) -> str:
    """`Genant grade 1: height loss 20–25 % (counts at or above 20 %)`."""
    unit = f" {th.unit}" if th.unit else ""
    return f"{th.rule} (counts {OP_WORDS[th.op]} {th.value:g}{unit})"


def build(protocol: Any) -> tuple[list[tuple[str, str]], list[Section]]:
    """(about rows, sections) of the document for `protocol`."""
    data = protocol.data
    meta = data.protocol
    names = _names(protocol)
    about = [("Protocol", meta.title), ("Version", meta.version), ("Review date", meta.review_date.isoformat()),
             ("sha256", protocol.sha256), ("Intended use", meta.intended_use)]

    def rule_entry(rule: Any, title: str, detail: str = "") -> Entry:
        when = condition_words(rule.when, names)
        return Entry(title, "" if when == "always" else when, detail, _evidence(list(rule.citations), protocol))

    sections = [Section("How decisions are made", (
        "Facts are derived from the recorded findings; a finding that is not recorded never counts as present. "
        "Stability is decided first, then the pathway (most urgent first), then the osteoporosis treatment "
        "status: for each, the first rule below whose condition holds decides, and the last one applies "
        "otherwise. Every other rule whose condition holds adds its recommendation, warning, drug to avoid, "
        "prerequisite or follow-up. Each entry of a plan names the findings of that patient that made it "
        "apply, and its evidence. Evidence tags: [V] verified against the primary source, [S] secondary "
        "source only, [M] unverified."), [])]
    for kind, heading in DECISIONS:
        entries = [rule_entry(r, f"{VALUE_LABEL[r.value].capitalize()}", r.text)
                   for r in data.rules if r.kind == kind]
        sections.append(Section(heading, "The first rule whose condition holds decides.", entries))
    items = [r for r in data.rules if r.kind == "item"]
    for section in (s for s in c.SECTION_TITLE if any(r.section == s for r in items)):
        entries = [rule_entry(r, r.text, f"Priority: {r.priority}; severity: {r.severity}"
                              + (f"; strength: {r.strength}" if r.strength else ""))
                   for r in items if r.section == section]
        sections.append(Section(f"Recommendations: {c.SECTION_TITLE[section]}", "", entries))
    sections.append(Section("Warnings (pitfalls)", "", [
        rule_entry(r, r.text, f"Severity: {r.severity}") for r in data.rules if r.kind == "pitfall"]))
    drugs = [rule_entry(r, f"Recommend {c.agents_text(r.agents)}") for r in data.rules if r.kind == "recommend"]
    drugs += [rule_entry(r, f"Avoid {c.agents_text(r.agents)}", r.reason) for r in data.rules if r.kind == "avoid"]
    drugs += [rule_entry(r, f"Before starting: {r.text}") for r in data.rules if r.kind == "prerequisite"]
    sections.append(Section("Osteoporosis drugs: recommend, avoid, before starting", "", drugs))
    sections.append(Section("Follow-up", "Dates fall on weekdays (a Saturday or Sunday moves to the Monday); "
                            "same-day entries are never moved.", [
        rule_entry(r, "Same day" if r.due_days == 0 else f"After {r.due_days} days", r.what)
        for r in data.rules if r.kind == "follow_up"]))
    sections.append(Section("Thresholds", "Each threshold in the words of its rule, with the value and unit at "
                            "which it counts.", [
        Entry(threshold_words(th), evidence=_evidence(list(th.citations), protocol)) for _, th in data.thresholds]))
    sections.append(Section("Terms used in the conditions", "", [
        Entry(d.description) for d in data.definitions]))
    sections.append(Section("Missing data", "An unrecorded finding is listed on a plan when it could change it.", [
        Entry(c.field_label(m.field, None), "" if m.when == "true" else condition_words(m.when, names), m.impact)
        for m in data.missing]))
    sections.append(Section("Patient handout: come back at once if", "", [
        Entry(text, evidence=_evidence(list(data.patient_handout.citations), protocol))
        for text in data.patient_handout.return_at_once]))
    sections.append(Section("References", "", [
        Entry(f"{rid}: {c.reference_text(rid, protocol)}") for rid in data.references]))
    return about, sections


def render_protocol_html(protocol: Any) -> str:
    """The document as HTML (for browsers and Qt's rich text): contents with links, one anchor per section."""
    about, sections = build(protocol)
    e = lambda text: escape(str(text), quote=True)  # noqa: E731
    rows = "".join(f'<tr><td valign="top" style="color:#546e7a; padding-right:12px">{e(k)}</td><td>{e(v)}</td></tr>'
                   for k, v in about)
    contents = "".join(f'<li><a href="#s{n}">{e(s.heading)}</a></li>' for n, s in enumerate(sections))
    body = [f"<h1>How this protocol works</h1><table>{rows}</table><h2>Contents</h2><ol>{contents}</ol>"]
    for n, s in enumerate(sections):
        body.append(f'<h2><a name="s{n}"></a>{e(s.heading)}</h2>')
        if s.intro:
            body.append(f"<p>{e(s.intro)}</p>")
        entries = []
        for entry in s.entries:
            parts = [f"<b>{e(entry.title)}</b>"]
            if entry.when:
                parts.append(f'<br><span style="color:#37474f">When: {e(entry.when)}</span>')
            if entry.detail:
                parts.append(f"<br>{e(entry.detail)}")
            if entry.evidence:
                parts.append(f'<br><span style="color:#546e7a">Evidence: {e(entry.evidence)}</span>')
            entries.append(f"<li>{''.join(parts)}</li>")
        if entries:
            body.append(f"<ul>{''.join(entries)}</ul>")
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>How this protocol works</title>'
            "<style>body { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; font-size: 10pt; }"
            " li { margin-bottom: 6px; } h2 { margin-top: 16px; }</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def render_protocol_text(protocol: Any) -> str:
    """The document as plain text."""
    about, sections = build(protocol)
    def wrap(text: str, pad: str, hang: str | None = None) -> str:
        return textwrap.fill(text, 92, initial_indent=pad, subsequent_indent=hang or pad, break_long_words=False,
                             break_on_hyphens=False)

    out = ["HOW THIS PROTOCOL WORKS", ""] + [wrap(f"{k}: {v}", "") for k, v in about] + ["", "CONTENTS"]
    out += [f"  {n + 1}. {s.heading}" for n, s in enumerate(sections)]
    for n, s in enumerate(sections):
        out += ["", f"{n + 1}. {s.heading.upper()}"]
        if s.intro:
            out.append(wrap(s.intro, "   "))
        for entry in s.entries:
            out.append(wrap(entry.title, "   - ", "     "))
            for label, text in (("When", entry.when), ("", entry.detail), ("Evidence", entry.evidence)):
                if text:
                    out.append(wrap(f"{label}: {text}" if label else text, "       "))
    return "\n".join(out) + "\n"
