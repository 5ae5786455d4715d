"""Helpers shared by the report tests (no tests here): example cases, real plans, a hand-made plan.

The hand-made plan exercises every part of the report independently of the protocol's content:
all severities, unordered sections, markup in texts, a multi-fracture `because`, an unknown citation.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Plan
from vcf_desktop.engine import LoadedProtocol, evaluate, load_protocol

EXAMPLES = Path(__file__).parent / "examples"
DEMO = "typical-l2-wedge"
MULTI = ("denosumab-stopped-10-months", "recent-mi-very-high-risk")
SCORE_WORDS = ("Genant", "OF class", "OF score", "TLICS", "AO neuro", "Creatinine clearance", "BMI")
NOW = datetime(2026, 11, 24, 9, 30)


def load_case(name: str, **changes: Any) -> Case:
    data = Case.model_validate_json((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data.model_copy(update=changes) if changes else data


@cache
def protocol() -> LoadedProtocol:
    return load_protocol()


def real_plan(name: str) -> tuple[Plan, Case]:
    case = load_case(name)
    return evaluate(case, protocol(), now=NOW), case


STUB_PROTOCOL = SimpleNamespace(
    id="stub-protocol", version="9.8.7", sha256="0123456789abcdef" * 4,
    references={
        "REF-A": SimpleNamespace(title="Reference A <i>title</i>", source="Journal A 2020", verification="V"),
        "REF-B": SimpleNamespace(title="Reference B", source="Summary site", verification="S"),
        "REF-C": SimpleNamespace(title="Reference C", source="Blog", verification="M"),
    },
    data=SimpleNamespace(protocol=SimpleNamespace(intended_use="Stub intended use statement."),
                         patient_handout=SimpleNamespace(return_at_once=["Stub: sudden leg weakness"])),
)


def _why(field: str = "fractures[0].height_loss_pct", value: Any = 31, criterion: str = "> 25") -> list[dict]:
    return [{"field": field, "value": value, "criterion": criterion}]


def hand_plan(case: Case, **changes: Any) -> Plan:
    """A plan written by hand for `case`; keyword arguments replace top-level plan keys."""
    data: dict[str, Any] = {
        "case_id": case.case_id, "assessment_date": case.assessment_date, "generated_at": NOW,
        "protocol": {"id": STUB_PROTOCOL.id, "version": STUB_PROTOCOL.version, "sha256": STUB_PROTOCOL.sha256},
        "stability": "stable", "pathway": "conservative", "headline": "Hand-made headline.",
        "scores": {"genant_grade": 2, "of_class": "OF2", "of_score": 1, "tlics": None, "ao_neuro": "N0",
                   "crcl_ml_min": 61.5, "bmi": 24.4},
        "items": [  # deliberately not in SECTIONS order
            {"id": "edu", "section": "patient_education", "priority": "info", "text": "Education item.",
             "patient_text": "Patient education text.", "severity": "info", "because": _why(),
             "citations": ["REF-B"]},
            {"id": "pain", "section": "pain", "priority": "next", "text": "Pain item <b>bold?</b> & more.",
             "patient_text": "Take your pain medicine.", "severity": "warning",
             "because": _why("fractures[1].height_loss_pct", None, "not recorded"), "citations": ["REF-A"]},
            {"id": "rf", "section": "red_flags", "priority": "now", "text": "Red-flag item.", "patient_text": "No warning signs now.",
             "severity": "critical", "citations": ["REF-A", "REF-C"],
             "because": _why("neuro.status", "intact", "N0") + _why("neuro_deficit", False, "not: deficit: cord, cauda")
             + _why("osteoporosis_defer", False, "not: osteoporosis: defer") + _why("red_flag", False, "not: red flag"),
             "strength": "strong"},
        ],
        "osteoporosis": {"status": "treat", "recommended": ["alendronate", "zoledronic_acid"],
                         "prerequisites": ["Prerequisite one."]},
        "avoid": [{"agent": "calcitonin", "reason": "Avoid reason.", "because": _why(), "citations": ["REF-B"]}],
        "pitfalls": [
            {"code": "augmentation_evidence", "text": "Info pitfall.", "severity": "info", "because": _why(),
             "citations": ["REF-B"]},
            {"code": "osteoporosis_untreated", "text": "Critical pitfall.", "severity": "critical",
             "because": _why("bone_health.therapy", "none", "no treatment"), "citations": ["REF-A"],
             "patient_text": "Patient pitfall text."},
            {"code": "opioid_harm", "text": "Warning pitfall.", "severity": "warning", "because": _why(),
             "citations": ["NOT-IN-PROTOCOL"]},
        ],
        "missing": [{"field": "labs.crp_mg_l", "impact": "Would change the infection screen."}],
        "follow_up": [
            {"due_days": 14, "due_date": "2026-12-08", "what": "Clinical review.", "patient_text": "See us in 2 weeks.",
             "citations": ["REF-C"]},
            {"due_days": 42, "due_date": "2027-01-05", "what": "Repeat radiograph."},
        ],
    }
    data.update(changes)
    return Plan.model_validate(data)


def empty_plan(case: Case) -> Plan:
    """A hand-made plan with nothing to list: every optional part empty."""
    return hand_plan(case, items=[], avoid=[], pitfalls=[], missing=[], follow_up=[], headline="",
                     osteoporosis={"status": "not_applicable", "recommended": [], "prerequisites": []})
