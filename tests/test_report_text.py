"""Plain-text report: everything the plan says, in order, and a jargon-free patient version."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from test_report_support import DEMO, MULTI, SCORE_WORDS, STUB_PROTOCOL, empty_plan, hand_plan, load_case, \
    protocol, real_plan

from vcf_desktop.report import render_text
from vcf_desktop.report.common import AGENT_LABEL, DISCLAIMER_SHORT, PATHWAY_LABEL, SECTION_TITLE
from vcf_desktop.report.summary import STABILITY_HEADLINE


@pytest.mark.parametrize("name", [DEMO, *MULTI])
def test_clinician_text_carries_the_whole_real_plan(name: str) -> None:
    plan, case = real_plan(name)
    text = render_text(plan, case, protocol())
    assert plan.case_id in text and plan.assessment_date.isoformat() in text
    assert PATHWAY_LABEL[plan.pathway] in text and STABILITY_HEADLINE[plan.stability] in text
    flat = " ".join(text.split())  # undo wrapping
    for item in plan.items:
        assert " ".join(item.text.split()) in flat
        assert all(cid in text for cid in item.citations)
    for p in plan.pitfalls:
        assert " ".join(p.text.split()) in flat
    for a in plan.avoid:
        assert f"{AGENT_LABEL[a.agent]}: {' '.join(a.reason.split())}" in flat
    for m in plan.missing:
        assert " ".join(m.impact.split()) in flat
    for f in plan.follow_up:
        assert f.due_date.isoformat() in text
    assert protocol().version in text and protocol().sha256 in flat
    assert DISCLAIMER_SHORT in flat
    assert " ".join(protocol().data.protocol.intended_use.split()) in flat
    for ref_id in {cid for item in plan.items for cid in item.citations}:
        assert " ".join(protocol().references[ref_id].source.rstrip(".").split()) in flat


@pytest.mark.parametrize("name", [DEMO, *MULTI])
def test_summary_detail_is_the_first_part_of_the_full_copy(name: str) -> None:
    plan, case = real_plan(name)
    summary = render_text(plan, case, protocol(), detail="summary")
    full = render_text(plan, case, protocol())
    head = summary[:summary.index("FOLLOW-UP")]
    assert full.startswith(head) and "REASONING" in full and "REASONING" not in summary
    assert "because:" not in summary and "because:" in full
    now = [i for i in plan.items if i.priority == "now"]
    flat = " ".join(head.split())
    assert all(" ".join(i.text.split()) in flat for i in now)
    assert flat.index("DO NOW") < flat.index("ARRANGE") < flat.index("OSTEOPOROSIS TREATMENT")


def test_sections_follow_vocab_order_and_pitfalls_critical_first() -> None:
    case = load_case(DEMO)
    text = render_text(hand_plan(case), case, STUB_PROTOCOL)
    reasoning = text[text.index("REASONING"):]
    # the hand plan lists patient_education, pain, red_flags; vocab.SECTIONS puts them the other way round
    positions = [reasoning.index("\n" + SECTION_TITLE[s].upper() + "\n") for s in ("red_flags", "pain",
                                                                                   "patient_education")]
    assert positions == sorted(positions)
    pitfalls = reasoning[reasoning.index("PITFALLS"):]
    order = [pitfalls.index(t) for t in ("Critical pitfall.", "Warning pitfall.", "Info pitfall.")]
    assert order == sorted(order)
    summary = text[:text.index("REASONING")]
    assert "Critical pitfall." in summary and "Info pitfall." not in summary  # page 1: warnings and worse


def test_because_lines_name_fields_values_and_criteria() -> None:
    case = load_case(MULTI[1])  # three fractures: T7 (index), T10, L1
    text = render_text(hand_plan(case), case, STUB_PROTOCOL)
    assert "because: Height loss (T7) = 31 % — > 25" in text
    assert "because: Height loss (T10) = not recorded — not recorded" in text
    assert "because: Neurological status = intact — N0\n" in text
    assert "does not apply" not in text and "not:" not in text and "cauda" not in text
    assert "TLICS: cannot be computed" in text
    assert "REF-A: Journal A 2020. [V:" in text and "Reference A" not in text  # the citation, not its title
    assert "NOT-IN-PROTOCOL: reference not found in the protocol" in text


def test_patient_text_is_plain_language() -> None:
    case = load_case(DEMO)
    plan = hand_plan(case)
    text = render_text(plan, case, STUB_PROTOCOL, audience="patient")
    for item in plan.items:
        assert item.text not in text
    assert "Take your pain medicine." in text and "No warning signs now." in text
    assert "Patient education text." not in text  # background (priority info) stays with the clinician
    assert "Patient pitfall text." not in text and "Critical pitfall." not in text
    assert "See us in 2 weeks." in text and "Repeat radiograph." in text  # patient_text, else `what`
    assert "Tuesday 8 December 2026" in text
    for word in (*SCORE_WORDS, "because", "REF-", "sha256", "Stub intended use"):
        assert word not in text
    assert text.index("COME BACK AT ONCE") < text.index("WHAT HAS HAPPENED") < text.index("\nWHAT TO DO") \
        < text.index("YOUR APPOINTMENTS")
    assert "Stub: sudden leg weakness" in text and "Call your care team" in text


@pytest.mark.parametrize("name", [DEMO, *MULTI])
def test_real_patient_text_has_no_scores_or_citations(name: str) -> None:
    plan, case = real_plan(name)
    text = render_text(plan, case, protocol(), audience="patient")
    cited = {cid for part in (*plan.items, *plan.pitfalls) for cid in part.citations}
    assert cited and not any(re.search(rf"\b{re.escape(cid)}\b", text) for cid in cited)
    for word in SCORE_WORDS:
        assert word not in text
    for f in plan.follow_up:
        assert f"{f.due_date.day} {f.due_date.strftime('%B %Y')}" in text


def test_empty_parts_say_so_instead_of_vanishing() -> None:
    case = load_case(DEMO)
    text = render_text(empty_plan(case), case, STUB_PROTOCOL)
    for phrase in ("None raised.", "Avoid: no drug for this patient", "Nothing missing that would change this plan.",
                   "None scheduled.", "Nothing to do at this visit.", "Nothing to arrange."):
        assert phrase in text
    patient = render_text(empty_plan(case), case, STUB_PROTOCOL, audience="patient")
    assert "Ask your doctor when to come back." in patient


def test_unknown_audience_is_refused() -> None:
    case = load_case(DEMO)
    with pytest.raises(ValueError, match="audience"):
        render_text(hand_plan(case), case, STUB_PROTOCOL, audience="nurse")


def test_importing_the_report_package_does_not_import_qt() -> None:
    code = "import sys, vcf_desktop.report; print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["l2-fracture-cauda-equina", "pyogenic-spondylodiscitis-l4", DEMO])
def test_patient_handout_says_each_thing_once(name: str) -> None:
    from vcf_desktop.report.summary import handout

    plan, case = real_plan(name)
    h = handout(plan, case, protocol())
    said = h.happened + h.todo + h.medicines
    assert said and len(said) == len(set(said))


def test_drugs_to_avoid_for_the_same_reason_are_named_together() -> None:
    from vcf_desktop.report.summary import summarise

    case = load_case(DEMO)
    same = {"reason": "Same reason.", "because": [], "citations": ["REF-A"]}
    plan = hand_plan(case, avoid=[{"agent": "denosumab", **same}, {"agent": "nsaid", "reason": "Other reason."},
                                  {"agent": "teriparatide", **same}])
    assert summarise(plan, case, STUB_PROTOCOL).drugs.avoid == [("Denosumab, Teriparatide", "Same reason."),
                                                                ("NSAIDs", "Other reason.")]
    summary = render_text(plan, case, STUB_PROTOCOL, detail="summary")
    assert "- Denosumab, Teriparatide: Same reason." in summary


def test_field_labels_name_the_fracture_once() -> None:
    from vcf_desktop.report.common import field_label

    case = load_case(MULTI[1])  # T7 (index), T10, L1
    assert field_label("fractures[1].height_loss_pct", case) == "Height loss (T10)"
    assert field_label("fractures[1].level", case) == "Level"
    assert field_label("scores.of_score", case) == "OF score"
    assert field_label("bone_health.last_denosumab_dose_date (months)", case).endswith(" (months)")
