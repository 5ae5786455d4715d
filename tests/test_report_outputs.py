"""Every worked example, in every output a reader sees: no negated reasons, no internal identifiers,
and a patient copy that never talks about thresholds; page counts of the printed copies."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_report_support import DEMO, EXAMPLES, protocol, real_plan

from vcf_desktop.report import render_html, render_text
from vcf_desktop.report.pdf import render_pdf_bytes

NAMES = sorted(p.stem for p in Path(EXAMPLES).glob("*.json") if p.stem != "expected")
URL = re.compile(r"https?://\S+")
FIELD_PATH = re.compile(r"\b(patient|injury|fractures|imaging|symptoms|neuro|history|bone_health|labs|scores)"
                        r"(\[\d+\])?\.[a-z_]+")
NEGATED = re.compile(r"does not apply|\bnot: ", re.IGNORECASE)
PATIENT_WORDS = re.compile(r"threshold|borderline|boundary", re.IGNORECASE)


def test_all_worked_examples_are_checked() -> None:
    assert len(NAMES) >= 22


@cache
def _identifiers() -> re.Pattern[str]:
    """Rule ids, threshold, definition and fact names, pitfall codes: never in what a user reads."""
    from typing import get_args

    from vcf_desktop.domain.vocab import PitfallCode
    from vcf_desktop.engine.facts import FACTS

    data = protocol().data
    names = ([r.id for r in data.rules] + [name for name, _ in data.thresholds] + [d.name for d in data.definitions]
             + list(FACTS) + list(get_args(PitfallCode)))
    internal = sorted({n for n in names if "_" in n or "." in n}, key=len, reverse=True)  # not plain words
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, internal)) + r")(?![\w])")


def _outputs(name: str) -> dict[str, str]:
    plan, case = real_plan(name)
    p = protocol()
    return {
        "text summary": render_text(plan, case, p, detail="summary"),
        "text full": render_text(plan, case, p),
        "html full": render_html(plan, case, p, diagram=False),
        "text patient": render_text(plan, case, p, audience="patient"),
        "html patient": render_html(plan, case, p, audience="patient"),
    }


def _problems(text: str, patient: bool) -> list[str]:
    text = URL.sub("", text)
    found = [m.group(0) for m in NEGATED.finditer(text)]
    found += [m.group(0) for m in _identifiers().finditer(text)]
    found += [m.group(0) for m in FIELD_PATH.finditer(text)]
    if patient:
        found += [m.group(0) for m in PATIENT_WORDS.finditer(text)]
    return found


@pytest.mark.parametrize("name", NAMES)
def test_no_output_has_negated_reasons_or_internal_identifiers(name: str) -> None:
    bad = {kind: problems for kind, text in _outputs(name).items()
           if (problems := _problems(re.sub(r"<[^>]+>", " ", text), "patient" in kind))}
    assert bad == {}


def _pdf(name: str, audience: str, detail: str = "full") -> PdfReader:
    plan, case = real_plan(name)
    return PdfReader(io.BytesIO(render_pdf_bytes(plan, case, protocol(), audience, detail)))


@pytest.mark.parametrize("name", NAMES)
def test_patient_handout_is_at_most_two_pages_and_plain(name: str) -> None:
    reader = _pdf(name, "patient")
    assert len(reader.pages) <= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert _problems(text, patient=True) == []


def test_demo_pages() -> None:
    """The demo case: summary 1 page carrying the headline, actions, drugs, follow-up and the signature;
    the summary and reasoning at most 4 pages; the handout 1 page."""
    plan, _ = real_plan(DEMO)
    summary = _pdf(DEMO, "clinician", "summary")
    full = _pdf(DEMO, "clinician")
    assert len(summary.pages) == 1 and len(full.pages) <= 4 and len(_pdf(DEMO, "patient").pages) == 1
    first = " ".join(full.pages[0].extract_text().split())
    for words in ("Do now", "Arrange", "Osteoporosis treatment", "Follow-up", "Signature", "Date and time",
                  "Conservative (non-operative) care", "Stable"):
        assert words in first
    assert plan.follow_up[0].due_date.isoformat() in first
    assert "Reasoning" in full.pages[1].extract_text()
