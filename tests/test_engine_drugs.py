"""Drug decisions of contract v2: kidney function, NSAIDs, label populations, pregnancy, lactation and
age under 18, drug sequencing, upper thoracic fractures, calcium targets, Z-score, glucocorticoid dose
and liver disease — each at, just under and just over its threshold where it has one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from engine_helpers import avoided, codes, item_ids, offered_nsaid, pitfall, plan_for, protocol, texts

from vcf_desktop.domain.plan import Plan

FX = "fractures[0]."
BISPHOSPHONATES = {"alendronate", "risedronate", "ibandronate", "zoledronic_acid"}
ANABOLICS = {"teriparatide", "abaloparatide", "romosozumab"}
OSTEOPOROSIS_AGENTS = BISPHOSPHONATES | ANABOLICS | {"denosumab", "calcitonin"}
#: very high risk (T < -3.0) in BASE's 68-year-old postmenopausal woman with no MI or stroke
VERY_HIGH = {"bone_health.t_score": -3.5}
PREMENOPAUSAL = {"patient.premenopausal": True, "patient.age_years": 38}
def because_of(plan: Plan, agent: str) -> dict[str, Any]:
    entry = next(a for a in plan.avoid if a.agent == agent)
    return {b.field: (b.value, b.criterion) for b in entry.because}


def reason(plan: Plan, agent: str) -> str:
    return next(a.reason for a in plan.avoid if a.agent == agent)


# --------------------------------------------------------------------------- creatinine clearance (OP-7, OP-24)
OBESE = {"patient.age_years": 77, "patient.height_cm": 170.0, "patient.weight_kg": 112.0,
         "labs.creatinine_umol_l": 162.0, "labs.egfr": None}   # IBW 61.5 kg, 130 % = 79.95 kg


def test_cockcroft_gault_with_actual_weight_names_it() -> None:
    plan = plan_for()                                       # 68 F, 55 kg, 160 cm, creatinine 66
    assert plan.scores.crcl_ml_min == 62.4
    assert "actual body weight 55 kg" in because_of(plan_for({"labs.egfr": None, "labs.creatinine_umol_l": 200.0}),
                                                    "alendronate")["scores.crcl_ml_min"][1]


def test_cockcroft_gault_with_adjusted_weight_in_obesity() -> None:
    plan = plan_for(OBESE)
    assert plan.scores.crcl_ml_min == 33.0                  # actual weight would give 45.3
    criterion = because_of(plan, "alendronate")["scores.crcl_ml_min"][1]
    assert "adjusted body weight 81.7 kg" in criterion and "ideal body weight 61.5 kg" in criterion


@pytest.mark.parametrize(("kg", "adjusted"), [(79.9, False), (79.95, False), (80.0, True)])
def test_adjusted_weight_only_above_130_percent_of_ideal(kg: float, adjusted: bool) -> None:
    plan = plan_for({**OBESE, "patient.weight_kg": kg, "labs.creatinine_umol_l": 100.0})
    actual = round(63 * kg * 1.04 / 100, 1)
    assert (plan.scores.crcl_ml_min != actual) is adjusted


def test_men_use_the_male_ideal_weight_and_factor() -> None:
    plan = plan_for({**OBESE, "patient.sex": "male", "patient.premenopausal": None})
    ibw = 50 + 0.91 * (170 - 152.4)                         # 66.0 kg; 112 kg > 130 % of it
    assert plan.scores.crcl_ml_min == round(63 * round(round(ibw, 1) + 0.4 * (112 - round(ibw, 1)), 1) * 1.23 / 162, 1)


def test_without_height_actual_weight_is_used_and_height_is_missing() -> None:
    plan = plan_for({**OBESE, "patient.height_cm": None, "patient.bmi": 38.8})
    assert plan.scores.crcl_ml_min == 45.3
    assert "patient.height_cm" in {m.field for m in plan.missing}
    assert "height not recorded" in because_of(plan_for({**OBESE, "patient.height_cm": None,
                                                         "labs.creatinine_umol_l": 250.0}), "alendronate")[
        "scores.crcl_ml_min"][1]


def test_measured_clearance_wins_over_cockcroft_gault() -> None:
    assert plan_for({"labs.creatinine_clearance_ml_min": 28.0}).scores.crcl_ml_min == 28.0


@pytest.mark.parametrize(("crcl", "egfr", "decider"), [(40.0, 33.0, "labs.egfr"),
                                                        (33.0, 40.0, "labs.creatinine_clearance_ml_min")])
def test_the_lower_estimate_decides_and_because_names_both(crcl: float, egfr: float, decider: str) -> None:
    plan = plan_for({"labs.creatinine_clearance_ml_min": crcl, "labs.egfr": egfr})
    assert {"alendronate", "zoledronic_acid"} <= avoided(plan) and not {"risedronate", "ibandronate"} & avoided(plan)
    why = because_of(plan, "alendronate")
    assert set(why) == {"labs.egfr", "labs.creatinine_clearance_ml_min"}
    assert why[decider][0] == 33.0 and "< 35" in why[decider][1] and "lower" in why[decider][1]


def test_obese_ckd_example_egfr_28_decides() -> None:
    plan = plan_for({**OBESE, "labs.egfr": 28.0})
    assert BISPHOSPHONATES | {"nsaid"} <= avoided(plan)
    assert plan.osteoporosis.status == "defer" and "renal_bisphosphonate" in codes(plan)
    assert because_of(plan, "risedronate")["labs.egfr"][0] == 28.0


@pytest.mark.parametrize(("kidney", "avoid", "status"), [
    (35.1, set(), "treat"), (35.0, set(), "treat"), (34.9, {"alendronate", "zoledronic_acid"}, "treat"),
    (30.1, {"alendronate", "zoledronic_acid"}, "treat"), (30.0, {"alendronate", "zoledronic_acid"}, "treat"),
    (29.9, BISPHOSPHONATES, "defer"),
])
def test_bisphosphonate_label_limits(kidney: float, avoid: set[str], status: str) -> None:
    plan = plan_for({"labs.creatinine_clearance_ml_min": kidney})
    assert avoided(plan) & BISPHOSPHONATES == avoid
    assert plan.osteoporosis.status == status


def test_below_30_defers_every_bisphosphonate_and_denosumab_but_corrects_calcium_and_vitamin_d() -> None:
    plan = plan_for({"labs.egfr": 25.0, "labs.vitamin_d_ng_ml": 15.0})
    assert plan.osteoporosis.status == "defer" and plan.osteoporosis.recommended == []
    assert {"osteoporosis.defer_kidney", "osteoporosis.calcium_1200", "osteoporosis.vitamin_d_correct"} <= item_ids(plan)
    assert any("CKD-MBD" in p for p in plan.osteoporosis.prerequisites)
    assert "osteoporosis_untreated" in codes(plan) and "denosumab" not in avoided(plan)


def test_denosumab_below_30_is_continued_under_supervision_not_deferred() -> None:
    plan = plan_for({"labs.egfr": 25.0, "bone_health.therapy": "denosumab", "bone_health.therapy_status": "current",
                     "bone_health.last_denosumab_dose_date": "2026-08-01"})
    assert plan.osteoporosis.status == "treat" and plan.osteoporosis.recommended[:1] == ["denosumab"]
    assert "osteoporosis.denosumab_ckd" in item_ids(plan)
    assert any("weekly" in f.what for f in plan.follow_up)


# ------------------------------------------------------------------------------ NSAIDs (PAIN-1, -9, -10, -11, SP-1)
@pytest.mark.parametrize(("over", "words"), [
    ({"labs.creatinine_clearance_ml_min": 29.9}, "kidney function below 30"),
    ({"history.anticoagulant": True}, "anticoagulation"),
    ({"history.uncorrected_coagulopathy": True}, "uncorrected coagulopathy"),
    ({"history.mi_or_stroke": "within_1_year"}, "within a year"),
    ({"labs.calcium_mmol_l": 2.7}, "hypercalcaemia"),
    ({"history.liver_disease": True}, "liver disease"),
    ({**PREMENOPAUSAL, "history.pregnant": True, "history.pregnancy_weeks": 20}, "pregnancy from 20 weeks"),
    ({**PREMENOPAUSAL, "history.pregnant": True}, "weeks not recorded"),
])
def test_nsaid_avoided_with_the_patients_own_reason(over: dict[str, Any], words: str) -> None:
    plan = plan_for(over)
    assert "nsaid" in avoided(plan) and words in reason(plan, "nsaid")
    assert "nsaid_risk" in codes(plan) and "pain.nsaid_avoid" in item_ids(plan)
    assert not offered_nsaid(plan), offered_nsaid(plan)
    assert reason(plan, "nsaid").count(";") == 0     # only this patient's reason, not a list


def test_two_nsaid_reasons_are_both_named() -> None:
    plan = plan_for({"history.anticoagulant": True, "history.liver_disease": True})
    assert "anticoagulation" in reason(plan, "nsaid") and "liver disease" in reason(plan, "nsaid")


@pytest.mark.parametrize(("over", "risk"), [
    ({"history.mi_or_stroke": "over_1_year"}, "history.mi_or_stroke"),
    ({"history.antiplatelet": True}, "history.antiplatelet"),
    ({"patient.age_years": 65}, "patient.age_years"),
    ({"labs.egfr": 59.9, "labs.creatinine_umol_l": None}, "labs.egfr"),
    ({**PREMENOPAUSAL, "history.pregnant": True, "history.pregnancy_weeks": 19}, "history.pregnant"),
])
def test_nsaid_caution_names_only_the_risks_present(over: dict[str, Any], risk: str) -> None:
    plan = plan_for({"patient.age_years": 60, **over})
    assert "nsaid" not in avoided(plan)
    present = {b.field for b in pitfall(plan, "nsaid_risk").because if not b.criterion.startswith("not:")}
    assert present == {risk}


@pytest.mark.parametrize("over", [{"patient.age_years": 64}, {"labs.egfr": 60.0, "labs.creatinine_umol_l": None}])
def test_no_nsaid_risk_just_below_the_thresholds(over: dict[str, Any]) -> None:
    plan = plan_for({"patient.age_years": 60, **over})
    assert "nsaid_risk" not in codes(plan) and "pain.nsaid_short" in item_ids(plan)


def test_avoid_level_nsaid_risk_also_names_the_caution_level_ones() -> None:
    plan = plan_for({"history.anticoagulant": True, "history.antiplatelet": True})
    fields = {b.field for b in pitfall(plan, "nsaid_risk").because}
    assert {"history.anticoagulant", "history.antiplatelet", "patient.age_years"} <= fields


def test_liver_disease_caps_paracetamol() -> None:
    plan = plan_for({"history.liver_disease": True})
    assert "pain.paracetamol_liver" in item_ids(plan) and "pain.paracetamol" not in item_ids(plan)
    assert "2 g" in next(i.text for i in plan.items if i.id == "pain.paracetamol_liver")


def test_coagulopathy_rules_out_the_nerve_root_block() -> None:
    over = {FX + "level": "L3", "symptoms.pain_nrs": 6}
    assert "pain.nerve_block" in item_ids(plan_for(over))
    assert "pain.nerve_block" not in item_ids(plan_for({**over, "history.uncorrected_coagulopathy": True}))
    assert "pain.nerve_block" not in item_ids(plan_for({**over, "history.fever": True}))   # no injection near infection


# --------------------------------------------------------------------- label populations (OP-16, SP-2..SP-6)
def test_a_man_is_never_offered_ibandronate_or_romosozumab() -> None:
    plan = plan_for({"patient.sex": "male", "patient.premenopausal": None, **VERY_HIGH})
    assert {"ibandronate", "romosozumab"} <= avoided(plan)
    assert reason(plan, "ibandronate") == "labelled for postmenopausal women only"
    assert "teriparatide" in plan.osteoporosis.recommended and "abaloparatide" not in plan.osteoporosis.recommended
    assert "osteoporosis.abaloparatide_men" in item_ids(plan)


def test_postmenopausal_woman_at_very_high_risk_gets_every_anabolic() -> None:
    plan = plan_for(VERY_HIGH)
    assert ANABOLICS <= set(plan.osteoporosis.recommended) and "drug_sequence" not in codes(plan)
    assert "osteoporosis.very_high_risk" in item_ids(plan) and "osteoporosis.first_line" not in item_ids(plan)


@pytest.mark.parametrize(("mi", "offered"), [("never", True), (None, False), ("over_1_year", False)])
def test_romosozumab_needs_no_mi_or_stroke_recorded(mi: str | None, offered: bool) -> None:
    plan = plan_for({**VERY_HIGH, "history.mi_or_stroke": mi})
    assert ("romosozumab" in plan.osteoporosis.recommended) is offered


def test_premenopausal_woman_label_z_score_specialist_and_contraception() -> None:
    plan = plan_for({**PREMENOPAUSAL, "bone_health.z_score": -2.4, **VERY_HIGH})
    assert ANABOLICS - {"teriparatide"} | {"ibandronate"} <= avoided(plan)
    assert not (ANABOLICS - {"teriparatide"} | {"ibandronate"}) & set(plan.osteoporosis.recommended)
    assert {"osteoporosis.z_score_low", "osteoporosis.premenopausal"} <= item_ids(plan)
    assert any("contraception" in p for p in plan.osteoporosis.prerequisites)
    assert "osteoporosis.very_high_risk" not in item_ids(plan)     # T-score not read as such before menopause


@pytest.mark.parametrize(("z", "item"), [(-2.0, "osteoporosis.z_score_low"), (-1.9, "osteoporosis.z_score_expected"),
                                         (None, "osteoporosis.z_score_missing")])
def test_z_score_wording(z: float | None, item: str) -> None:
    plan = plan_for({"patient.sex": "male", "patient.premenopausal": None, "patient.age_years": 45,
                     "bone_health.z_score": z})
    assert item in item_ids(plan)
    assert ("bone_health.z_score" in {m.field for m in plan.missing}) is (z is None)


def test_no_z_score_wording_from_50() -> None:
    plan = plan_for({"patient.sex": "male", "patient.premenopausal": None, "patient.age_years": 50})
    assert not {i for i in item_ids(plan) if i.startswith("osteoporosis.z_score")}


@pytest.mark.parametrize(("age", "postmenopausal"), [(55, True), (54, False)])
def test_menopause_unrecorded(age: int, postmenopausal: bool) -> None:
    plan = plan_for({"patient.premenopausal": None, "patient.age_years": age})
    assert ("ibandronate" in plan.osteoporosis.recommended) is postmenopausal
    assert "ibandronate" not in avoided(plan)                       # not ruled out, just not offered
    assert ("patient.premenopausal" in {m.field for m in plan.missing}) is not postmenopausal
    assumed = [b for i in plan.items if i.id == "osteoporosis.menopause_assumed" for b in i.because]
    assert any(b.field == "patient.age_years" and "not recorded: treated as postmenopausal" in b.criterion
               for b in assumed) is postmenopausal


# ------------------------------------------------------------------ pregnancy, lactation, under 18 (SP-1..SP-7)
@pytest.mark.parametrize(("weeks", "nsaid_avoided"), [(19, False), (20, True), (21, True), (None, True)])
def test_pregnancy_by_weeks(weeks: int | None, nsaid_avoided: bool) -> None:
    plan = plan_for({**PREMENOPAUSAL, "history.pregnant": True, "history.pregnancy_weeks": weeks})
    assert ("nsaid" in avoided(plan)) is nsaid_avoided
    assert "outside_scope" in codes(plan) and plan.pitfalls[0].code == "outside_scope"
    assert plan.osteoporosis.status == "defer" and plan.osteoporosis.recommended == []
    assert OSTEOPOROSIS_AGENTS <= avoided(plan) and not {"calcium", "vitamin_d"} & avoided(plan)
    assert {"stability.pregnancy_imaging", "osteoporosis.calcium_1000"} <= item_ids(plan)
    assert "follow_up.imaging" not in item_ids(plan) and "pain.calcitonin" not in item_ids(plan)
    assert not [f.what for f in plan.follow_up if "standing" in f.what or "X-ray" in f.patient_text
                and "no routine" not in f.patient_text]
    assert not offered_nsaid(plan) or not nsaid_avoided


def test_lactation_is_outside_scope_and_defers_drugs() -> None:
    plan = plan_for({**PREMENOPAUSAL, "patient.lactating": True})
    assert "outside_scope" in codes(plan) and plan.osteoporosis.status == "defer"
    assert "osteoporosis.defer_lactation" in item_ids(plan) and "secondary_cause_screen" in codes(plan)
    text = next(i.text for i in plan.items if i.id == "osteoporosis.defer_lactation")
    assert all(w in text for w in ("weaning", "calcium", "vitamin D", "secondary-cause", "specialist"))
    assert OSTEOPOROSIS_AGENTS <= avoided(plan)


@pytest.mark.parametrize(("age", "outside"), [(17, True), (18, False)])
def test_under_18_is_outside_scope(age: int, outside: bool) -> None:
    plan = plan_for({"patient.age_years": age, "patient.premenopausal": True})
    assert ("outside_scope" in codes(plan)) is outside
    assert (plan.osteoporosis.status == "defer") is outside
    assert ("augmentation.option" not in item_ids(plan)) is outside       # Hirsch pathway excludes age < 18
    assert plan_for({"patient.age_years": age, "patient.premenopausal": True, **{
        "injury.onset_date": "2026-10-20", "symptoms.pain_nrs": 8, "symptoms.pain_trend": "worsening",
        "symptoms.analgesia": "oral_opioid"}}).pathway == ("conservative" if outside else "augmentation_referral")


def test_no_outside_scope_for_an_adult_who_is_neither_pregnant_nor_breastfeeding() -> None:
    assert "outside_scope" not in codes(plan_for({**PREMENOPAUSAL, "patient.lactating": False}))


# ------------------------------------------------------------------------------- drug sequencing (OP-17..OP-20)
DMAB_GAP = {"bone_health.therapy": "denosumab", "bone_health.therapy_status": "stopped",
            "bone_health.last_denosumab_dose_date": "2026-01-19"}


def test_denosumab_gap_one_message_denosumab_or_zoledronic_acid() -> None:
    plan = plan_for({**DMAB_GAP, **VERY_HIGH})
    assert set(plan.osteoporosis.recommended) == {"denosumab", "zoledronic_acid", "calcium", "vitamin_d"}
    assert {"alendronate", "risedronate", "ibandronate", "teriparatide", "abaloparatide"} <= avoided(plan)
    assert {"denosumab_gap", "drug_sequence"} <= codes(plan)
    assert "osteoporosis.very_high_risk" not in item_ids(plan) and "osteoporosis.treat_history" in item_ids(plan)
    assert not [t for t in texts(plan) if re.search(r"anabolic first|oral treatment meanwhile", t, re.I)]


def test_denosumab_gap_without_very_high_risk_raises_no_drug_sequence() -> None:
    plan = plan_for({**DMAB_GAP, "bone_health.t_score": -2.6})
    assert "denosumab_gap" in codes(plan) and "drug_sequence" not in codes(plan)


def test_vitamin_d_20_to_30_does_not_delay_an_overdue_denosumab_dose() -> None:
    plan = plan_for({**DMAB_GAP, "labs.vitamin_d_ng_ml": 25.0})
    assert "osteoporosis.vitamin_d_gap" in item_ids(plan) and "osteoporosis.vitamin_d_correct" not in item_ids(plan)
    assert not any("before zoledronic acid or denosumab" in p for p in plan.osteoporosis.prerequisites)


def test_on_schedule_denosumab_at_very_high_risk_is_not_switched_to_an_anabolic() -> None:
    plan = plan_for({"bone_health.therapy": "denosumab", "bone_health.therapy_status": "current",
                     "bone_health.last_denosumab_dose_date": "2026-08-01", **VERY_HIGH})
    assert set(plan.osteoporosis.recommended) == {"denosumab", "calcium", "vitamin_d"}
    assert "drug_sequence" in codes(plan) and {"teriparatide", "abaloparatide"} <= avoided(plan)


def test_zoledronic_acid_after_denosumab_continues_the_transition() -> None:
    plan = plan_for({"bone_health.therapy": "zoledronic_acid", "bone_health.therapy_status": "current",
                     "bone_health.prior_therapies": [{"agent": "denosumab", "months": 48, "ended": "2026-03-01"}]})
    assert set(plan.osteoporosis.recommended) == {"zoledronic_acid", "calcium", "vitamin_d"}
    assert "osteoporosis.denosumab_transition" in item_ids(plan)
    assert "osteoporosis.fracture_on_therapy" not in item_ids(plan)   # no escalation (OP-17)
    assert "drug_sequence" in codes(plan)                              # fracture on therapy = very high risk


@pytest.mark.parametrize(("months", "complete"), [(5, False), (6, True), (7, True)])
def test_pth_analogue_months_count_together(months: int, complete: bool) -> None:
    plan = plan_for({"bone_health.therapy": "abaloparatide", "bone_health.therapy_status": "current",
                     "bone_health.therapy_months": months,
                     "bone_health.prior_therapies": [{"agent": "teriparatide", "months": 18, "ended": "2025-01-01"}]})
    assert ({"teriparatide", "abaloparatide"} <= avoided(plan)) is complete
    assert ("drug_sequence" in codes(plan)) is complete
    assert ("abaloparatide" in plan.osteoporosis.recommended) is not complete
    if complete:
        assert "osteoporosis.pth_limit" in item_ids(plan) and BISPHOSPHONATES & set(plan.osteoporosis.recommended)


def test_ended_anabolic_course_gets_an_antiresorptive_follow_on() -> None:
    plan = plan_for({"bone_health.therapy": "romosozumab", "bone_health.therapy_status": "stopped",
                     "bone_health.therapy_months": 12, **VERY_HIGH})
    assert "osteoporosis.anabolic_follow_on" in item_ids(plan) and "drug_sequence" in codes(plan)
    assert not ANABOLICS & set(plan.osteoporosis.recommended)
    assert {"zoledronic_acid", "denosumab"} <= set(plan.osteoporosis.recommended)


def test_teriparatide_started_straight_after_denosumab_is_flagged() -> None:
    plan = plan_for({"bone_health.therapy": "teriparatide", "bone_health.therapy_status": "current",
                     "bone_health.therapy_months": 3,
                     "bone_health.prior_therapies": [{"agent": "denosumab", "months": 36, "ended": "2026-06-01"}]})
    assert "drug_sequence" in codes(plan) and "teriparatide" in avoided(plan)
    assert "teriparatide" not in plan.osteoporosis.recommended


def test_anabolic_under_way_is_continued_not_replaced() -> None:
    plan = plan_for({"bone_health.therapy": "teriparatide", "bone_health.therapy_status": "current",
                     "bone_health.therapy_months": 6})
    assert set(plan.osteoporosis.recommended) == {"teriparatide", "calcium", "vitamin_d"}
    assert "osteoporosis.anabolic_continue" in item_ids(plan) and "drug_sequence" not in codes(plan)


# ------------------------------------------------------------------------------------ upper thoracic (RF-7)
@pytest.mark.parametrize(("level", "fires"), [("T1", True), ("T6", True), ("T7", False), ("L1", False)])
def test_upper_thoracic(level: str, fires: bool) -> None:
    plan = plan_for({FX + "level": level, **VERY_HIGH})
    assert ("upper_thoracic" in codes(plan)) is fires
    assert ("red_flags.upper_thoracic" in item_ids(plan)) is fires
    assert plan.pathway == "conservative" and plan.osteoporosis.status == "treat"
    assert bool(ANABOLICS & set(plan.osteoporosis.recommended)) is not fires
    if fires:
        assert ANABOLICS <= avoided(plan) and {"zoledronic_acid", "denosumab"} <= set(plan.osteoporosis.recommended)
        assert next(i for i in plan.items if i.id == "red_flags.upper_thoracic").priority == "next"


def test_healed_upper_thoracic_fracture_raises_nothing() -> None:
    plan = plan_for({FX + "level": "T5", FX + "mri_edema": False, FX + "new": False, "symptoms.pain_nrs": 0})
    assert "upper_thoracic" not in codes(plan) and "red_flags.upper_thoracic" not in item_ids(plan)


# ---------------------------------------------------------------- calcium, vitamin D, glucocorticoids (OP-10, -21, -22)
@pytest.mark.parametrize(("sex", "age", "target"), [("female", 50, "1000"), ("female", 51, "1200"),
                                                    ("male", 70, "1000"), ("male", 71, "1200")])
def test_calcium_target_by_sex_and_age(sex: str, age: int, target: str) -> None:
    plan = plan_for({"patient.sex": sex, "patient.age_years": age, "patient.premenopausal": None if sex == "male"
                     else False})
    assert f"osteoporosis.calcium_{target}" in item_ids(plan)
    assert {"calcium", "vitamin_d"} <= set(plan.osteoporosis.recommended)


def test_no_calcium_or_vitamin_d_with_hypercalcaemia() -> None:
    plan = plan_for({"labs.calcium_mmol_l": 2.7})
    assert {"calcium", "vitamin_d", "nsaid"} <= avoided(plan)
    assert not {i for i in item_ids(plan) if i.startswith("osteoporosis.calcium_")}


@pytest.mark.parametrize(("dose", "high"), [(7.4, False), (7.5, True)])
def test_glucocorticoid_high_dose_band(dose: float, high: bool) -> None:
    plan = plan_for({"history.glucocorticoid_mg_day": dose})
    assert ("osteoporosis.glucocorticoid_high_dose" in item_ids(plan)) is high
    assert ("osteoporosis.very_high_risk" in item_ids(plan)) is high


# ----------------------------------------------------------------------------------------------- references
FORBIDDEN_SOURCES = re.compile(r"scribd|blogspot|droracle|medizzy|virwiki|medluna|cliniborg|dbpia|"
                               r"https?://\d+\.\d+\.\d+\.\d+", re.I)


def test_references_carry_no_mirror_or_ai_written_source_and_a_tag() -> None:
    refs = protocol().references
    assert not {rid for rid, r in refs.items() if FORBIDDEN_SOURCES.search(r.source)}
    assert {"OP-16", "OP-17", "OP-18", "OP-19", "OP-20", "OP-21", "OP-22", "OP-23", "OP-24", "PAIN-9", "PAIN-10",
            "PAIN-11", "RF-7", "RF-8", "SP-1", "SP-7"} <= set(refs)
    assert refs["SP-7"].verification == "M" and refs["OP-24"].verification == "V"
    assert protocol().version == "2.0.0"


def test_references_print_citations_not_the_evidence_files_curation_notes() -> None:
    """"v2: blog source removed" is the evidence file's history: it printed in every reasoning appendix."""
    refs = protocol().references
    assert not {rid for rid, r in refs.items() if re.search(r"\bremoved\b|re-sourced", r.source)}
    assert refs["RF-2"].source.endswith("(http://www.ncbi.nlm.nih.gov/books/NBK52120/table/A34364/)")
