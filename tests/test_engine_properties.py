"""Property tests over generated valid cases (strategies built from the Case model's own fields)."""

from __future__ import annotations

import os
import re
import types
from datetime import date, timedelta
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from engine_helpers import ASSESSED, NOW, offered_nsaid, protocol
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from vcf_desktop.domain import case as c
from vcf_desktop.domain import vocab as v
from vcf_desktop.domain.plan import Plan
from vcf_desktop.engine import evaluate

#: VCF_PROPERTY_EXAMPLES=3000 for a long run (passed 3000 on 2026-11-24); 150 keeps `make test` quick.
SETTINGS = settings(max_examples=int(os.environ.get("VCF_PROPERTY_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
DEFICITS = ("radicular", "incomplete_cord", "complete_cord", "cauda_equina")
RED_FLAGS = ("history.cancer", "history.fever", "imaging.malignancy_features", "imaging.infection_features",
             "neuro.sphincter_dysfunction")


def _bounds(info: Any) -> tuple[float | None, float | None]:
    lo = hi = None
    for m in info.metadata:
        if isinstance(m, at.Ge):
            lo = m.ge
        elif isinstance(m, at.Le):
            hi = m.le
    return lo, hi


def _value(tp: Any, info: Any) -> st.SearchStrategy[Any]:
    """A strategy for a (non-None) field value from its annotation and ge/le constraints."""
    origin = get_origin(tp)
    if origin is Annotated:  # a validated type (dates in range, lists without repeats)
        return _value(get_args(tp)[0], info)
    if origin is Literal:
        return st.sampled_from(get_args(tp))
    if origin is list:
        item = get_args(tp)[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return st.lists(_section(item), max_size=3)
        return st.lists(_value(item, info), unique=True, max_size=5)
    if tp is bool:
        return st.booleans()
    lo, hi = _bounds(info)
    if tp is int:
        return st.integers(min_value=int(lo if lo is not None else 0), max_value=int(hi if hi is not None else 400))
    if tp is float:
        # whole and one-decimal values, so thresholds (20, 2.10, -2.95 ...) are hit exactly now and then
        lo_, hi_ = float(lo), float(hi)
        return st.one_of(st.integers(int(lo_), int(hi_)).map(float),
                         st.integers(int(lo_ * 100), int(hi_ * 100)).map(lambda x: x / 100))
    if tp is date:
        return st.integers(0, 3000).map(lambda d: ASSESSED - timedelta(days=d))
    raise TypeError(tp)


def _field(info: Any) -> st.SearchStrategy[Any]:
    tp = info.annotation
    args = get_args(tp)
    optional = get_origin(tp) in (Union, types.UnionType) and type(None) in args
    if optional:
        inner = next(a for a in args if a is not type(None))
        return st.one_of(st.none(), _value(inner, info))
    return _value(tp, info)


def _section(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({name: _field(info) for name, info in model.model_fields.items()})


def _weeks_only_when_pregnant(history: dict[str, Any]) -> dict[str, Any]:
    return history if history["pregnant"] else {**history, "pregnancy_weeks": None}


@st.composite
def cases(draw: st.DrawFn) -> c.Case:
    levels = draw(st.lists(st.sampled_from(v.LEVELS), min_size=1, max_size=4, unique=True))
    fractures = [{**draw(_section(c.Fracture)), "level": level} for level in levels]
    data = {
        "format": "vcf-case", "format_version": 2, "case_id": "hyp", "assessment_date": ASSESSED,
        "patient": draw(_section(c.Patient)), "injury": draw(_section(c.Injury)), "fractures": fractures,
        "imaging": draw(_section(c.Imaging)), "symptoms": draw(_section(c.Symptoms)), "neuro": draw(_section(c.Neuro)),
        "history": draw(_section(c.History).map(_weeks_only_when_pregnant)), "bone_health": draw(_section(c.BoneHealth)), "labs": draw(_section(c.Labs)),
    }
    return c.Case.model_validate(data)


def _plan(case: c.Case) -> Plan:
    return evaluate(case, protocol(), now=NOW)


def _with(case: c.Case, path: str, value: Any) -> c.Case:
    section, name = path.split(".")
    part = getattr(case, section).model_copy(update={name: value})
    return case.model_copy(update={section: part})


@SETTINGS
@given(cases())
def test_plan_invariants(case: c.Case) -> None:
    """Every generated case: evaluate never raises and the plan keeps the contract of case-format.md."""
    plan = _plan(case)
    refs = set(protocol().references)
    for entry in [*plan.items, *plan.pitfalls]:
        assert entry.because, entry
        assert entry.citations and set(entry.citations) <= refs, entry.citations
        assert all(b.field and b.criterion for b in entry.because)
    assert all(a.reason and set(a.citations) <= refs for a in plan.avoid)
    recommended, avoid = set(plan.osteoporosis.recommended), {a.agent for a in plan.avoid}
    assert not recommended & avoid
    if plan.osteoporosis.status != "treat":
        assert plan.osteoporosis.recommended == []
    days = [f.due_days for f in plan.follow_up]
    assert days == sorted(days)
    for f in plan.follow_up:      # a weekday, at most two days after the nominal date; same-day never moved
        nominal = plan.assessment_date + timedelta(days=f.due_days)
        assert f.due_date == nominal if f.due_days == 0 else (f.due_date.weekday() < 5 and
                                                              0 <= (f.due_date - nominal).days <= 2)
    assert Plan.model_validate_json(plan.to_json()) == plan
    assert _plan(case).to_json() == plan.to_json()
    sections = [i.section for i in plan.items]
    assert sections == sorted(sections, key=v.SECTIONS.index)
    ranks = [v.SEVERITY_ORDER.index(p.severity) for p in plan.pitfalls]
    assert ranks == sorted(ranks)
    assert len({p.code for p in plan.pitfalls}) == len(plan.pitfalls)
    # scores
    s = plan.scores
    if s.of_score is not None:
        assert s.of_class is not None and -4 <= s.of_score <= 15
    if s.tlics is not None:
        assert 1 <= s.tlics <= 10
    assert (s.genant_grade is None) is (case.index.height_loss_pct is None)
    assert s.ao_neuro is not None
    # a neurological deficit always gives emergency referral (RF-3)
    n = case.neuro
    if n.status in DEFICITS or n.sphincter_dysfunction or n.saddle_anaesthesia:
        assert plan.pathway == "emergency_referral"
    # malignancy or infection features never give conservative care (RF-1, RF-2)
    h, img = case.history, case.imaging
    if img.malignancy_features or img.infection_features or h.cancer or h.fever:
        assert plan.pathway in ("emergency_referral", "red_flag_workup")
        assert not recommended & {"teriparatide", "abaloparatide", "romosozumab"}
    # a high-energy fracture never gets osteoporosis drugs (RF-4); only a high-energy one is "not applicable"
    assert (plan.osteoporosis.status == "not_applicable") is (case.injury.mechanism == "high_energy")
    codes = {p.code for p in plan.pitfalls}
    # an unstable fracture is never managed conservatively or by stand-alone augmentation
    if plan.stability == "unstable":
        assert plan.pathway in ("emergency_referral", "red_flag_workup", "surgical_consultation")
    # augmentation is offered only with its evidence caveat and never against a contraindication or when healed
    if plan.pathway == "augmentation_referral":
        assert "augmentation_evidence" in codes
        assert not {"augmentation_contraindicated", "healed_fracture", "infection_suspected"} & codes
    if plan.pathway == "emergency_referral":
        assert plan.follow_up and plan.follow_up[0].due_days == 0
    assert all(a.citations and set(a.citations) <= refs for a in plan.avoid)
    for p in plan.pitfalls:
        if p.code == "threshold_boundary":
            assert all("exactly on" in b.criterion and "counted as" in b.criterion for b in p.because)


#: advice to get up, walk or mobilise (not a prohibition or a precaution)
UP_AND_ABOUT = re.compile(r"\b(get(ting)? up|walk\w*|mobilis(e|ing|ation) early|start moving|moving about|"
                          r"up and about|keep moving)\b", re.IGNORECASE)


CASE_SECTIONS = ("patient.", "injury.", "fractures[", "imaging.", "symptoms.", "neuro.", "history.", "bone_health.",
                 "labs.")


def _texts(plan: Plan) -> list[str]:
    """Every clinician and patient text of the plan."""
    out = [t for i in plan.items for t in (i.text, i.patient_text)]
    out += [t for p in plan.pitfalls for t in (p.text, p.patient_text) if t]
    out += [t for f in plan.follow_up for t in (f.what, f.patient_text) if t]
    return out + list(plan.osteoporosis.prerequisites)


@SETTINGS
@given(cases())
def test_v2_core_properties(case: c.Case) -> None:
    """case-format v2: safety of mobilisation advice, honest reasons, measured boundaries, healed fractures, dates."""
    plan = _plan(case)
    if plan.stability == "unstable" or plan.pathway == "emergency_referral":
        advice = [t for t in _texts(plan) if UP_AND_ABOUT.search(t)]
        assert not advice, advice
    recorded = _recorded_paths(case)
    for entry in [*plan.items, *plan.pitfalls, *plan.avoid]:
        for b in entry.because:
            assert not b.criterion.lower().startswith(("not ", "not:")) and "not:" not in b.criterion, b
            assert b.value is not None, b
            assert "applies to every case" not in b.criterion, b
            path = b.field.split(" ")[0]
            assert path in recorded or not path.startswith(CASE_SECTIONS) or path == "fractures[0].progression_points", b
    integer_fields = {path for path, value in recorded.items() if type(value) is int}
    for p in plan.pitfalls:
        if p.code == "threshold_boundary":
            assert not {b.field for b in p.because} & integer_fields, p.because
            assert p.patient_text is None
    if "healed_fracture" in {p.code for p in plan.pitfalls}:
        assert not [i.id for i in plan.items if i.section == "augmentation"]
        assert plan.pathway != "augmentation_referral"
    assert all(f.due_date.weekday() < 5 for f in plan.follow_up if f.due_days > 0)


def _recorded_paths(case: c.Case) -> dict[str, Any]:
    """Every recorded (non-null) input by path (`section.field`, `fractures[i].field`, nested lists likewise),
    plus the inputs the engine derives from recorded ones (days since onset, BMI)."""
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        out[prefix] = value
        if isinstance(value, dict):
            for k, v_ in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v_)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for i, v_ in enumerate(value):
                walk(f"{prefix}[{i}]", v_)

    walk("", case.model_dump(exclude_none=True))
    if case.injury.onset_date is not None:
        out["injury.days_since_onset"] = (ASSESSED - case.injury.onset_date).days
    if case.patient.weight_kg is not None and case.patient.height_cm is not None:
        out.setdefault("patient.bmi", 0.0)
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.sampled_from(RED_FLAGS))
def test_adding_a_red_flag_never_lowers_urgency(case: c.Case, flag: str) -> None:
    before = v.PATHWAY_ORDER.index(_plan(case).pathway)
    after = v.PATHWAY_ORDER.index(_plan(_with(case, flag, True)).pathway)
    assert after <= before
    assert after <= v.PATHWAY_ORDER.index("red_flag_workup")


# ------------------------------------------------------------------------------------------- drugs (v2)
@SETTINGS
@given(cases())
def test_drug_safety_properties(case: c.Case) -> None:
    """NSAIDs avoided => never offered; pregnancy => only calcium and vitamin D; a man never gets
    ibandronate or romosozumab; nothing is both recommended and avoided (PAIN-1, SP-2, OP-16)."""
    plan = _plan(case)
    recommended, avoid = set(plan.osteoporosis.recommended), {a.agent for a in plan.avoid}
    assert not recommended & avoid
    if "nsaid" in avoid:
        assert not offered_nsaid(plan), offered_nsaid(plan)
    if case.history.pregnant and case.patient.sex == "female":
        assert recommended <= {"calcium", "vitamin_d"}
        assert "outside_scope" in {p.code for p in plan.pitfalls}
    if case.patient.sex == "male":
        assert not recommended & {"ibandronate", "romosozumab"}
