"""HTML report: complete, escaped, ordered, and understood by Qt's QTextDocument."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest
from test_report_support import DEMO, MULTI, SCORE_WORDS, STUB_PROTOCOL, empty_plan, hand_plan, load_case, \
    protocol, real_plan

from vcf_desktop.report import render_html
from vcf_desktop.report.common import PATHWAY_LABEL

#: Headline colour by urgency, as the users were promised: red, orange, blue, green.
EXPECTED_COLOUR = {
    "emergency_referral": "#b71c1c", "red_flag_workup": "#b71c1c", "surgical_consultation": "#e65100",
    "augmentation_referral": "#0d47a1", "conservative": "#1b5e20",
}
VOID = {"br", "meta", "img", "hr", "link", "input"}


class _Balance(HTMLParser):
    """Records unbalanced tags (void elements aside) and all text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Balance:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_document_is_complete_and_balanced(audience: str) -> None:
    plan, case = real_plan(DEMO)
    html = render_html(plan, case, protocol(), audience)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    parsed = _parse(html)
    assert parsed.errors == [] and parsed.stack == []


@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_markup_in_any_text_is_escaped(audience: str) -> None:
    case = load_case(DEMO, case_id="<script>alert(1)</script>")
    html = render_html(hand_plan(case), case, STUB_PROTOCOL, audience)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    if audience == "clinician":
        assert "Pain item &lt;b&gt;bold?&lt;/b&gt; &amp; more." in html


@pytest.mark.parametrize("pathway", sorted(EXPECTED_COLOUR))
@pytest.mark.parametrize("summary", ["", "Engine summary"])
def test_headline_colour_follows_urgency(pathway: str, summary: str) -> None:
    case = load_case(DEMO)
    html = render_html(hand_plan(case, pathway=pathway, headline=summary), case, STUB_PROTOCOL, diagram=False)
    headline = re.search(r'<td bgcolor="(#[0-9a-f]{6})"[^>]*><span[^>]*>([^<]*)</span><br><span[^>]*><b>([^<]*)<',
                         html)
    assert headline is not None
    colour, big, small = headline.groups()
    assert colour == EXPECTED_COLOUR[pathway]
    assert big == PATHWAY_LABEL[pathway]
    assert small == "Stable"


def test_clinician_copy_order_references_and_signature() -> None:
    case = load_case(DEMO)
    html = render_html(hand_plan(case), case, STUB_PROTOCOL)
    summary, reasoning = html.split(">Reasoning ")
    order = [summary.index(s) for s in ("Red-flag item.", "<h2>Arrange", "Pain item", "Critical pitfall.",
                                        "Warning pitfall.", "Clinician name: ____")]
    assert order == sorted(order) and "Info pitfall." not in summary and "Education item." not in summary
    order = [reasoning.index(s) for s in ("Red-flag item.", "Pain item", "Education item.", "Critical pitfall.",
                                          "Warning pitfall.", "Info pitfall.", "<h3>References")]
    assert order == sorted(order)
    refs = reasoning[reasoning.index("<h3>References"):]
    for ref_id in ("REF-A", "REF-B", "REF-C"):
        ref = STUB_PROTOCOL.references[ref_id]
        assert ref_id in refs and ref.source in refs and f"[{ref.verification}:" in refs
        assert ref.title not in html  # the full citation, no abstract or claim text
    assert "reference not found in the protocol" in refs  # NOT-IN-PROTOCOL is shown, not dropped
    assert "[REF-A, REF-C]" in html  # inline ids
    assert "<b>Why:</b> Neurological status = intact — N0</span>" in html  # the negated entries are not here
    assert "does not apply" not in html.lower() and "not:" not in html
    assert "Signature: ____" in summary and "Date and time: ____" in summary
    assert "Stub intended use statement." in html and STUB_PROTOCOL.sha256 in html
    assert "labs.crp_mg_l" not in html and "Would change the infection screen." in reasoning
    assert "2026-12-08" in summary and "day 14" in summary and "2027-01-05" in summary


@pytest.mark.parametrize("name", [DEMO, *MULTI])
def test_real_clinician_copy_shows_every_part_of_the_plan(name: str) -> None:
    plan, case = real_plan(name)
    html = render_html(plan, case, protocol())
    text = " ".join("".join(_parse(html).text).split())
    for part in (*plan.items, *plan.pitfalls):
        assert " ".join(part.text.split()) in text
    for m in plan.missing:
        assert " ".join(m.impact.split()) in text
    for f in plan.follow_up:
        assert f.due_date.isoformat() in text
    for ref_id in {cid for part in (*plan.items, *plan.pitfalls) for cid in part.citations}:
        assert " ".join(protocol().references[ref_id].source.rstrip(".").split()) in text


def test_diagram_is_embedded_as_svg_only_when_asked() -> None:
    plan, case = real_plan(MULTI[1])
    html = render_html(plan, case, protocol())
    uri = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert uri is not None
    svg = base64.b64decode(uri.group(1)).decode("utf-8")
    assert all(f'id="fracture-{f.level}"' in svg for f in case.fractures)
    assert "<img" not in render_html(plan, case, protocol(), diagram=False)
    assert "<img" not in render_html(plan, case, protocol(), audience="patient")
    assert 'src="x.png"' in render_html(plan, case, protocol(), diagram_src="x.png")


def test_patient_handout_is_plain_and_larger() -> None:
    plan, case = real_plan(MULTI[1])
    html = render_html(plan, case, protocol(), audience="patient")
    text = "".join(_parse(html).text)
    for word in SCORE_WORDS:
        assert word not in text
    cited = {cid for part in (*plan.items, *plan.pitfalls) for cid in part.citations}
    assert not any(re.search(rf"\b{re.escape(cid)}\b", text) for cid in cited)
    assert "Come back at once" in text
    size = lambda doc: float(re.search(r"body \{[^}]*font-size: ([\d.]+)pt", doc).group(1))  # noqa: E731
    assert size(html) >= 1.3 * size(render_html(plan, case, protocol()))


def test_empty_plan_renders_empty_states() -> None:
    case = load_case(DEMO)
    html = render_html(empty_plan(case), case, STUB_PROTOCOL)
    for phrase in ("None raised for this case.", "No recommendations in this plan.", "no drug for this patient",
                   "Nothing unrecorded that would change this plan.", "None scheduled.", "No citations.",
                   "Nothing to do at this visit.", "Nothing to arrange."):
        assert phrase in html
    assert _parse(html).errors == []


def test_qt_rich_text_reads_it(qapp) -> None:
    from PySide6.QtGui import QTextDocument

    plan, case = real_plan(DEMO)
    doc = QTextDocument()
    doc.setHtml(render_html(plan, case, protocol()))
    text = " ".join(doc.toPlainText().split())
    assert PATHWAY_LABEL[plan.pathway] in text
    assert " ".join(plan.items[0].text.split()) in text
    assert "Clinician name: ____" in text


def test_headline_is_not_calm_while_stability_is_not_established() -> None:
    from vcf_desktop.report import common

    plan, case = real_plan("minimal-data-l3")  # conservative, stability indeterminate
    assert plan.pathway == "conservative" and plan.stability == "indeterminate"
    assert common.headline_colour(plan) == common.UNSETTLED_COLOUR != common.PATHWAY_COLOUR["conservative"]
    assert f'bgcolor="{common.UNSETTLED_COLOUR}"' in render_html(plan, case, protocol())
    stable, _ = real_plan(DEMO)
    assert common.headline_colour(stable) == common.PATHWAY_COLOUR["conservative"]
