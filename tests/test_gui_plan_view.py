"""PlanView: headline, pitfalls by severity, sections with Why?, side panels, empty state."""

from __future__ import annotations

import html

import pytest
from PySide6.QtWidgets import QLabel

from vcf_desktop.domain import vocab
from vcf_desktop.domain.casefile import read_case
from vcf_desktop.engine import evaluate
from vcf_desktop.gui.plan_view import FollowUpTimeline, PlanView
from vcf_desktop.report import common as c
from vcf_desktop.report.summary import STABILITY_HEADLINE, summarise


@pytest.fixture
def view(qtbot, protocol):
    widget = PlanView(protocol)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def _plan(protocol, examples_dir, name):
    case = read_case(examples_dir / f"{name}.json")
    return evaluate(case, protocol), case


def test_empty_state_says_what_is_needed(view):
    text = view.text()
    assert "No plan yet" in text
    assert "age" in text and "sex" in text and "level of the index fracture" in text
    assert view.why_entries() == []


@pytest.mark.parametrize("name, colour", [("typical-l2-wedge", "#1b5e20"), ("l2-fracture-cauda-equina", "#b71c1c")])
def test_headline_names_pathway_and_stability_in_urgency_colour(view, protocol, examples_dir, name, colour):
    plan, case = _plan(protocol, examples_dir, name)
    view.show_plan(plan, case)
    title = view.findChild(QLabel, "headlineTitle")
    assert title.text() == c.PATHWAY_LABEL[plan.pathway]
    stability = view.findChild(QLabel, "headlineStability").text()
    assert stability.startswith(STABILITY_HEADLINE[plan.stability])
    assert (stability == "Stable") == (plan.stability == "stable")  # otherwise the finding that decided it
    assert f"background: {colour}" in title.parentWidget().styleSheet()


@pytest.mark.parametrize("name", ["typical-l2-wedge", "minimal-data-l3", "l2-fracture-cauda-equina"])
def test_summary_card_says_what_page_one_says(view, protocol, examples_dir, name):
    plan, case = _plan(protocol, examples_dir, name)
    view.show_plan(plan, case)
    sm = summarise(plan, case, protocol)
    flat = lambda name: " ".join(view.findChild(QLabel, name).text().split())  # noqa: E731
    assert all(html.escape(" ".join(i.text.split()), quote=False) in flat("doNow") for i in sm.do_now)
    assert all(html.escape(" ".join(i.text.split()), quote=False) in flat("arrange") for i in sm.arrange)
    assert all(f.due_date.isoformat() in flat("followUp") for f in plan.follow_up)
    assert all(drug in flat("drugs") for drug in sm.drugs.start + [d for d, _ in sm.drugs.avoid])
    assert "not:" not in view.text() and "does not apply" not in view.text().lower()


def test_summary_card_follows_a_changed_finding(qtbot, protocol, examples_dir):
    from vcf_desktop.gui.draft import CaseDraft
    from vcf_desktop.gui.wizard import CaseWizard

    wizard = CaseWizard(CaseDraft(), protocol)
    qtbot.addWidget(wizard)
    wizard.draft.load(read_case(examples_dir / "typical-l2-wedge.json"))
    wizard.resize(1366, 768)
    wizard.show()
    wizard.go_to(len(wizard.steps) - 1)
    title = lambda: wizard.plan_page.view.findChild(QLabel, "headlineTitle")  # noqa: E731
    qtbot.waitUntil(lambda: title() is not None and title().text() == c.PATHWAY_LABEL["conservative"], timeout=3000)
    wizard.draft.set("neuro.status", "cauda_equina")
    qtbot.waitUntil(lambda: title().text() == c.PATHWAY_LABEL["emergency_referral"], timeout=3000)
    stability = wizard.plan_page.view.findChild(QLabel, "headlineStability").text()
    assert stability.startswith("Unstable") and "cauda equina" in stability


def test_pitfalls_come_first_by_severity(view, protocol, examples_dir):
    plan, case = _plan(protocol, examples_dir, "l2-fracture-cauda-equina")
    view.show_plan(plan, case)
    entries = view.why_entries()
    shown = [e.text_label.text() for e in entries[: len(plan.pitfalls)]]
    assert shown == [p.text for p in c.by_severity(plan.pitfalls)]
    ranks = [vocab.SEVERITY_ORDER.index(p.severity) for p in c.by_severity(plan.pitfalls)]
    assert ranks == sorted(ranks) and len(plan.pitfalls) >= 1


def test_why_reveals_because_and_full_references(view, protocol, examples_dir):
    plan, case = _plan(protocol, examples_dir, "typical-l2-wedge")
    view.show_plan(plan, case)
    item = next(i for i in plan.items if i.section == "osteoporosis")
    entry = next(e for e in view.why_entries() if e.text_label.text().startswith(item.text))
    assert not entry.why_label.isVisible()
    entry.why_button.click()
    assert entry.why_label.isVisible()
    text = entry.why_label.text()
    for b in c.held(item.because):
        assert c.because_text(b, case).replace(">", "&gt;").replace("<", "&lt;") in text
    assert "not:" not in text
    for ref_id in item.citations:
        ref = protocol.references[ref_id]
        assert ref_id in text and ref.source.rstrip(".").replace("&", "&amp;") in text
        assert f"[{ref.verification}" in text
    entry.why_button.click()
    assert not entry.why_label.isVisible()


def test_sections_in_vocabulary_order_with_side_panels(view, protocol, examples_dir):
    plan, case = _plan(protocol, examples_dir, "typical-l2-wedge")
    view.show_plan(plan, case)
    text = view.text()
    headings = [label for label in view.findChildren(QLabel) if label.objectName().startswith("section-")]
    assert [h.objectName() for h in headings] == [f"section-{s}" for s, _ in c.sections(plan)]
    assert [h.text() for h in headings] == [c.SECTION_TITLE[s] for s, _ in c.sections(plan)]
    assert len(headings) >= 5
    for heading in ("Scores", "Osteoporosis treatment", "Drugs to avoid", "Missing data"):
        assert heading in text
    for agent in plan.osteoporosis.recommended:
        assert c.AGENT_LABEL[agent] in text
    for a in plan.avoid:
        assert a.reason in text
    timeline = view.findChild(FollowUpTimeline)
    assert timeline is not None
    for f in plan.follow_up:
        assert f.due_date.isoformat() in text and f.what in text


def test_minimal_case_lists_missing_data_and_uncomputable_scores(view, protocol, examples_dir):
    plan, case = _plan(protocol, examples_dir, "minimal-data-l3")
    view.show_plan(plan, case)
    text = view.text()
    assert plan.missing
    for m in plan.missing:
        assert m.impact.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in text
    assert "cannot be computed" in text


def test_show_plan_none_returns_to_empty_state(view, protocol, examples_dir):
    view.show_plan(*_plan(protocol, examples_dir, "typical-l2-wedge"))
    assert view.why_entries()
    view.show_plan(None, None)
    assert view.why_entries() == [] and "No plan yet" in view.text()


def test_expanded_why_survives_re_evaluation_of_the_same_case_only(view, protocol, examples_dir):
    plan, case = _plan(protocol, examples_dir, "typical-l2-wedge")
    view.show_plan(plan, case)
    first = view.why_entries()[0]
    first.why_button.click()
    text = first.text_label.text()
    changed = case.model_copy(update={"symptoms": case.symptoms.model_copy(update={"pain_nrs": 5})})
    view.show_plan(evaluate(changed, protocol), changed)
    again = next(e for e in view.why_entries() if e.text_label.text() == text)
    assert again is not first and again.why_label.isVisible()
    other, other_case = _plan(protocol, examples_dir, "l2-fracture-cauda-equina")
    view.show_plan(other, other_case)
    assert not any(e.why_label.isVisible() for e in view.why_entries())


def test_hidden_view_builds_on_show_and_skips_unchanged_plans(qtbot, protocol, examples_dir):
    view = PlanView(protocol)
    qtbot.addWidget(view)
    plan, case = _plan(protocol, examples_dir, "typical-l2-wedge")
    view.show_plan(plan, case)
    assert view.plan is plan and view.why_entries() == []  # not built while hidden
    view.show()
    qtbot.waitUntil(lambda: view.why_entries() != [], timeout=2000)
    entries = view.why_entries()
    view.show_plan(evaluate(case, protocol), case)  # same plan, new generated_at: nothing rebuilt
    assert view.why_entries()[0] is entries[0]
