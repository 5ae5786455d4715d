"""Every pitfall code of case-format.md fires in one vignette and stays silent in a near-identical one;
plus levels T1–L5, the missing list, contradictions and plan determinism."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from engine_helpers import (
    AUGMENTATION,
    NOW,
    codes,
    item_ids,
    make_case,
    pitfall,
    plan_for,
    protocol,
)

from vcf_desktop.domain import vocab as v
from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Plan
from vcf_desktop.engine import evaluate

FX = "fractures[0]."
DMAB = {"bone_health.therapy": "denosumab", "bone_health.therapy_status": "current"}

#: code -> (shared overrides, the one change that fires it, the near-identical value that does not)
PAIRS: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "bed_rest": ({}, {"symptoms.bed_rest_days": 3}, {"symptoms.bed_rest_days": 2}),
    "opioid_harm": ({}, {"symptoms.analgesia": "oral_opioid"}, {"symptoms.analgesia": "non_opioid"}),
    "nsaid_risk": ({"patient.age_years": 60}, {"history.antiplatelet": True}, {"history.antiplatelet": False}),
    "neuro_exam_missing": ({}, {"neuro.status": "not_examined"}, {"neuro.status": "intact"}),
    "conservative_failure_risk": ({}, {"patient.age_years": 74}, {"patient.age_years": 72}),
    "osteoporosis_untreated": ({}, {"bone_health.therapy": "none"},
                               {"bone_health.therapy": "oral_bisphosphonate", "bone_health.therapy_status": "current"}),
    "denosumab_gap": (DMAB, {"bone_health.last_denosumab_dose_date": "2026-04-01"},
                      {"bone_health.last_denosumab_dose_date": "2026-06-01"}),
    "renal_bisphosphonate": ({}, {"labs.creatinine_clearance_ml_min": 34.0},
                             {"labs.creatinine_clearance_ml_min": 36.0}),
    "correct_calcium_vitamin_d": ({}, {"labs.vitamin_d_ng_ml": 25.0}, {"labs.vitamin_d_ng_ml": 35.0}),
    "hypercalcaemia": ({}, {"labs.calcium_mmol_l": 2.7}, {"labs.calcium_mmol_l": 2.5}),
    "romosozumab_cv": ({}, {"history.mi_or_stroke": "over_1_year"}, {"history.mi_or_stroke": "never"}),
    "malignancy_suspected": ({}, {"history.cancer": True}, {"history.cancer": False}),
    "infection_suspected": ({}, {"history.fever": True}, {"history.fever": False}),
    "augmentation_contraindicated": (AUGMENTATION, {"history.cement_allergy": True}, {"history.cement_allergy": False}),
    "augmentation_evidence": (AUGMENTATION, {"symptoms.pain_trend": "worsening"}, {"symptoms.pain_trend": "improving"}),
    "healed_fracture": ({}, {FX + "mri_edema": False}, {FX + "mri_edema": True}),
    "progression": ({}, {FX + "initial_height_loss_pct": 10.0}, {FX + "initial_height_loss_pct": 12.0}),
    # OF3 (6): NRS 8 +1 and immobile +1 -> 8 surgical vs TLICS 2; NRS 3 -1 and with aid -1 -> 4 conservative
    "framework_disagreement": ({FX + "posterior_wall": "major", FX + "morphology": "burst",
                                FX + "initial_height_loss_pct": None},
                               {"symptoms.pain_nrs": 8, "symptoms.mobilisation": "not_possible"},
                               {"symptoms.pain_nrs": 3, "symptoms.mobilisation": "with_aid"}),
    "high_energy_mechanism": ({}, {"injury.mechanism": "high_energy"}, {"injury.mechanism": "low_energy"}),
    "secondary_cause_screen": ({}, {"patient.sex": "male", "patient.premenopausal": None},
                               {"patient.sex": "female"}),
    "contradictory_inputs": ({}, {"neuro.sphincter_dysfunction": True}, {"neuro.sphincter_dysfunction": False}),
    "threshold_boundary": ({}, {"bone_health.t_score": -3.0}, {"bone_health.t_score": -3.1}),
    "outside_scope": ({"patient.premenopausal": True, "patient.age_years": 34}, {"history.pregnant": True},
                      {"history.pregnant": False}),
    "drug_sequence": ({"bone_health.therapy": "teriparatide", "bone_health.therapy_months": 12},
                      {"bone_health.therapy_status": "stopped"}, {"bone_health.therapy_status": "current"}),
    "upper_thoracic": ({}, {FX + "level": "T6"}, {FX + "level": "T7"}),
}


def test_every_pitfall_code_has_a_pair() -> None:
    assert set(PAIRS) == set(get_args(v.PitfallCode))


@pytest.mark.parametrize("code", sorted(PAIRS))
def test_pitfall_fires_and_stays_silent(code: str) -> None:
    shared, fire, silent = PAIRS[code]
    fired = plan_for({**shared, **fire})
    quiet = plan_for({**shared, **silent})
    assert code in codes(fired), sorted(codes(fired))
    assert code not in codes(quiet), sorted(codes(quiet))
    p = pitfall(fired, code)
    assert p.because and p.citations and p.text
    assert set(p.citations) <= set(protocol().references)


# ------------------------------------------------------------------------------------------ contradictions
def _contradiction_fields(plan: Plan) -> set[str]:
    return {b.field for b in pitfall(plan, "contradictory_inputs").because}


@pytest.mark.parametrize(("over", "fields"), [
    ({"neuro.sphincter_dysfunction": True}, {"neuro.status", "neuro.sphincter_dysfunction"}),
    ({"neuro.saddle_anaesthesia": True}, {"neuro.status", "neuro.saddle_anaesthesia"}),
    ({"neuro.progressive": True}, {"neuro.status", "neuro.progressive"}),
    ({FX + "canal_compromise_pct": 10.0}, {FX + "retropulsion", FX + "canal_compromise_pct"}),
    ({"imaging.modalities": ["radiograph"]}, {FX + "mri_edema", "imaging.modalities"}),
    ({"injury.days_since_onset": 30}, {"injury.onset_date", "injury.days_since_onset"}),
    ({"patient.bmi": 30.0}, {"patient.bmi", "patient.weight_kg"}),
    ({FX + "morphology": "burst"}, {FX + "posterior_wall", FX + "morphology"}),
    ({"bone_health.therapy_status": "current"}, {"bone_health.therapy", "bone_health.therapy_status"}),
    ({"patient.sex": "male", "patient.premenopausal": True}, {"patient.sex", "patient.premenopausal"}),
])
def test_contradiction_names_both_fields(over: dict, fields: set[str]) -> None:
    assert fields <= _contradiction_fields(plan_for(over))


@pytest.mark.parametrize("sign", ["neuro.sphincter_dysfunction", "neuro.saddle_anaesthesia", "neuro.progressive"])
def test_intact_with_deficit_sign_plans_the_safer_reading(sign: str) -> None:
    plan = plan_for({sign: True})
    assert plan.pathway == "emergency_referral" and plan.stability == "unstable"
    assert "mobility.early" not in item_ids(plan)


def test_canal_compromise_without_retropulsion_is_planned_as_retropulsion() -> None:
    plan = plan_for({**AUGMENTATION, FX + "canal_compromise_pct": 10.0})
    assert plan.pathway != "augmentation_referral"
    assert plan.stability == "potentially_unstable" and "augmentation_contraindicated" in codes(plan)


@pytest.mark.parametrize("over", [{FX + "retropulsion": True}, {FX + "canal_compromise_pct": 10.0}])
def test_intact_wall_with_retropulsion_is_read_as_major_involvement(over: dict) -> None:
    """v2: an 'intact' posterior wall beside retropulsion or canal compromise is the safer OF3 reading."""
    plan = plan_for(over)
    assert FX + "posterior_wall" in _contradiction_fields(plan)
    assert plan.scores.of_class == "OF3" and plan.stability == "potentially_unstable"


def test_mri_edema_without_mri_is_unknown_not_healed_or_acute() -> None:
    # recorded "no edema" without an MRI must not call the fracture healed
    plan = plan_for({FX + "mri_edema": False, "imaging.modalities": ["radiograph", "ct"]})
    assert "healed_fracture" not in codes(plan) and "contradictory_inputs" in codes(plan)
    # recorded edema without an MRI must not make an augmentation indication
    plan = plan_for({**AUGMENTATION, "imaging.modalities": ["radiograph", "ct"]})
    assert plan.pathway != "augmentation_referral"


def test_no_contradiction_in_the_base_case() -> None:
    assert "contradictory_inputs" not in codes(plan_for())


# ----------------------------------------------------------------------------------------------- levels
@pytest.mark.parametrize("level", v.LEVELS)
def test_every_level_works(level: str) -> None:
    plan = plan_for({FX + "level": level, "patient.age_years": 74, "symptoms.pain_nrs": 6})
    assert plan.pathway == "conservative" and plan.stability == "stable"
    assert plan.scores.of_class == "OF2"
    thoracolumbar = level in ("T11", "T12", "L1", "L2")
    # age 74 is one predictor; the level is the second only at T11–L2 (FAIL-1)
    assert ("conservative_failure_risk" in codes(plan)) is thoracolumbar
    assert ("pain.nerve_block" in item_ids(plan)) is (level in ("L3", "L4"))   # AAOS-5


@pytest.mark.parametrize("level", v.LEVELS)
def test_every_level_with_a_second_fracture(level: str) -> None:
    other = "T5" if level != "T5" else "T6"
    case = make_case({FX + "level": level})
    case = case.model_copy(update={"fractures": [case.index, case.index.model_copy(update={"level": other})]})
    plan = evaluate(case, protocol(), now=NOW)
    if level in ("T1", "T2", "T3", "T4", "T5", "T6"):   # anabolics wait until malignancy is excluded (RF-7)
        assert "upper_thoracic" in codes(plan) and "osteoporosis.very_high_risk" not in item_ids(plan)
        assert {"teriparatide", "abaloparatide", "romosozumab"} <= {a.agent for a in plan.avoid}
    else:
        assert "osteoporosis.very_high_risk" in item_ids(plan)   # multiple vertebral fractures (OP-4)


# ---------------------------------------------------------------------------------------------- missing
def _missing(plan: Plan) -> set[str]:
    return {m.field for m in plan.missing}


def test_complete_case_has_nothing_missing() -> None:
    assert _missing(plan_for()) == set()


@pytest.mark.parametrize("path", [
    "neuro.status", "neuro.sphincter_dysfunction", "injury.mechanism", FX + "posterior_wall", FX + "endplates",
    FX + "mri_edema", FX + "height_loss_pct", FX + "initial_height_loss_pct", "imaging.plc", "history.cancer",
    "history.fever", "imaging.malignancy_features", "imaging.infection_features", "symptoms.pain_nrs",
    "bone_health.therapy", "bone_health.t_score", "labs.calcium_mmol_l", "history.anticoagulant",
    "symptoms.mobilisation", "labs.haemoglobin_g_l",
])
def test_removing_a_finding_lists_it_as_missing(path: str) -> None:
    assert path in _missing(plan_for({path: None}))


def test_removing_neuro_status_makes_stability_indeterminate() -> None:
    plan = plan_for({"neuro.status": None})
    assert plan.stability == "indeterminate"
    assert "neuro.status" in _missing(plan)
    assert "neuro_exam_missing" in codes(plan)
    assert plan.scores.tlics is None and plan.scores.ao_neuro == "NX"


def test_removing_the_posterior_wall_makes_stability_indeterminate() -> None:
    plan = plan_for({FX + "posterior_wall": None})
    assert plan.stability == "indeterminate" and FX + "posterior_wall" in _missing(plan)


def test_an_unreported_plc_leaves_an_of2_stable_and_is_listed() -> None:
    plan = plan_for({"imaging.plc": None})
    assert plan.stability == "stable" and "imaging.plc" in _missing(plan)
    assert {"mobility.early", "stability.plc_comment"} <= item_ids(plan)


@pytest.mark.parametrize(("path", "code"), [
    ("history.cancer", "malignancy_suspected"), ("history.fever", "infection_suspected"),
    ("labs.calcium_mmol_l", "hypercalcaemia"), ("history.mi_or_stroke", "romosozumab_cv"),
    ("symptoms.bed_rest_days", "bed_rest"), ("history.pregnant", "outside_scope"),
])
def test_unrecorded_is_not_normal_and_not_abnormal(path: str, code: str) -> None:
    """Unrecorded never fires a finding's pitfall (it is unknown), and the plan lists it when it matters."""
    plan = plan_for({path: None})
    assert code not in codes(plan)


def test_unknown_cv_history_does_not_offer_romosozumab() -> None:
    plan = plan_for({"history.mi_or_stroke": None, "bone_health.t_score": -3.5})
    assert "romosozumab" not in plan.osteoporosis.recommended
    assert "history.mi_or_stroke" in _missing(plan)


def test_unknown_renal_function_asks_for_creatinine() -> None:
    plan = plan_for({"labs.creatinine_umol_l": None, "labs.egfr": None})
    assert "labs.creatinine_umol_l" in _missing(plan)
    assert any("creatinine" in p.lower() for p in plan.osteoporosis.prerequisites)


def test_minimal_case_lists_many_missing_findings() -> None:
    case = Case.model_validate_json(
        '{"format":"vcf-case","format_version":1,"assessment_date":"2026-11-24",'
        '"patient":{"age_years":70,"sex":"female"},"fractures":[{"level":"L3","height_loss_pct":30}]}')
    plan = evaluate(case, protocol(), now=NOW)
    assert plan.stability == "indeterminate"
    assert {"neuro.status", "injury.mechanism", "history.cancer", FX + "posterior_wall"} <= _missing(plan)
    assert plan.scores.of_class is None and plan.scores.tlics is None
    assert "threshold_boundary" not in codes(plan) and "contradictory_inputs" not in codes(plan)


# ------------------------------------------------------------------------------------------ determinism
def test_plan_is_deterministic() -> None:
    case = make_case(AUGMENTATION)
    a = evaluate(case, protocol(), now=NOW).to_json()
    b = evaluate(make_case(AUGMENTATION), protocol(), now=NOW).to_json()
    assert a == b


def test_plan_differs_only_in_generated_at_without_now() -> None:
    case = make_case()
    a = evaluate(case, protocol()).model_dump(mode="json")
    b = evaluate(case, protocol(), now=NOW).model_dump(mode="json")
    a.pop("generated_at"), b.pop("generated_at")
    assert a == b


def test_assessment_date_defaults_to_today_argument() -> None:
    from datetime import date
    plan = evaluate(make_case({"assessment_date": None}), protocol(), today=date(2026, 12, 1), now=NOW)
    assert plan.assessment_date == date(2026, 12, 1)
    assert all((f.due_date - plan.assessment_date).days == f.due_days for f in plan.follow_up)


# ------------------------------------------------------------------- defects found and fixed (regressions)
def test_hypercalcaemia_never_advises_vitamin_d_repletion() -> None:
    plan = plan_for({"labs.calcium_mmol_l": 2.8, "labs.vitamin_d_ng_ml": 25.0})
    assert "vitamin_d" in {a.agent for a in plan.avoid}
    assert not any("vitamin d" in p.lower() and "replete" in p.lower() for p in plan.osteoporosis.prerequisites)
    assert "osteoporosis.vitamin_d_correct" not in item_ids(plan)


def test_romosozumab_needs_recorded_postmenopausal_status() -> None:
    plan = plan_for({"patient.age_years": 40, "patient.premenopausal": None, "history.glucocorticoids": True})
    assert "romosozumab" not in plan.osteoporosis.recommended


@pytest.mark.parametrize("status", [None, "not_examined"])
def test_unexamined_neurology_does_not_advise_early_mobilisation(status: str | None) -> None:
    plan = plan_for({"neuro.status": status})
    assert plan.stability == "indeterminate"
    assert "mobility.early" not in item_ids(plan)


@pytest.mark.parametrize("over", [{"neuro.status": None}, {"neuro.status": "not_examined"},
                                  {FX + "posterior_wall": None, FX + "morphology": None}],
                         ids=["neuro-unrecorded", "neuro-not-examined", "posterior-wall-unrecorded"])
def test_no_augmentation_referral_while_stability_cannot_be_called(over: dict) -> None:
    plan = plan_for({**AUGMENTATION, **over})
    assert plan.stability == "indeterminate"
    assert plan.pathway != "augmentation_referral"


def test_denosumab_with_unrecorded_status_lists_it_as_missing() -> None:
    plan = plan_for({"bone_health.therapy": "denosumab", "bone_health.therapy_status": None,
                     "bone_health.last_denosumab_dose_date": "2026-08-01"})
    assert "bone_health.therapy_status" in _missing(plan)


def test_dates_after_the_default_assessment_date_are_not_silently_used() -> None:
    from datetime import date
    case = make_case({"assessment_date": None, "injury.onset_date": "2026-12-10"})
    try:
        plan = evaluate(case, protocol(), today=date(2026, 11, 24), now=NOW)
    except ValueError as exc:
        assert "onset_date" in str(exc)
        return
    assert "contradictory_inputs" in codes(plan)
    assert "pain.calcitonin" not in item_ids(plan)
