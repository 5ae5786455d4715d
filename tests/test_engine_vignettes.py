"""Clinical vignettes: small cases built from BASE with the expected plan and a one-line why citing evidence ids.

Expectation keys follow the worked examples' expected.json: stability / pathway / osteoporosis
(allowed values), pitfalls_all / pitfalls_none, recommended_any / recommended_none, avoid_all,
items_all / items_none, scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from engine_helpers import AUGMENTATION, avoided, codes, item_ids, plan_for

FX = "fractures[0]."
BISPHOSPHONATES = ["alendronate", "risedronate", "ibandronate", "zoledronic_acid"]
ORAL_BP = ["alendronate", "risedronate", "ibandronate"]
ANABOLICS = ["teriparatide", "abaloparatide", "romosozumab"]
ALL_DRUGS = BISPHOSPHONATES + ["denosumab"] + ANABOLICS
AUG = AUGMENTATION
PREMENOPAUSAL = {"patient.age_years": 38, "patient.premenopausal": True}


@dataclass
class V:
    name: str
    over: dict[str, Any]
    why: str
    expect: dict[str, Any] = field(default_factory=dict)


VIGNETTES = [
    V("base-l2-wedge", {}, "OF2 wedge, intact, PLC intact: stable, conservative; untreated fragility VF -> treat "
      "(CLS-4, ACR-0, OP-1, OP-2)",
      {"stability": ["stable"], "pathway": ["conservative"], "osteoporosis": ["treat"], "pitfalls_all": ["osteoporosis_untreated"],
           "recommended_any": BISPHOSPHONATES, "items_all": ["mobility.early", "augmentation.option"],
           "scores": {"genant_grade": 2, "of_class": "OF2", "of_score": 1, "tlics": 1, "ao_neuro": "N0"}}),
    # ------------------------------------------------------------------------------------ neurology
    V("cauda-equina", {"neuro.status": "cauda_equina", "neuro.sphincter_dysfunction": True},
      "cauda equina -> emergency MRI and same-day referral (RF-3, CLS-2 N3)",
      {"pathway": ["emergency_referral"], "stability": ["unstable"], "pitfalls_none": ["augmentation_evidence",
           "contradictory_inputs"], "items_all": ["mobility.precautions"], "items_none": ["mobility.early"],
           "scores": {"ao_neuro": "N3", "tlics": 4}}),
    V("radicular", {"neuro.status": "radicular"}, "nerve-root deficit N2 -> emergency (RF-3, CLS-2); TLICS +2 (CLS-3)",
      {"pathway": ["emergency_referral"], "scores": {"ao_neuro": "N2", "tlics": 3, "of_score": 3},
           "pitfalls_none": ["neuro_exam_missing"]}),
    V("incomplete-cord", {"neuro.status": "incomplete_cord"}, "incomplete cord N3 -> emergency (RF-3); TLICS +3",
      {"pathway": ["emergency_referral"], "stability": ["unstable"], "scores": {"ao_neuro": "N3", "tlics": 4}}),
    V("complete-cord", {"neuro.status": "complete_cord", FX + "level": "T8"},
      "complete cord N4 -> emergency (RF-3); TLICS complete = 2 (CLS-3)",
      {"pathway": ["emergency_referral"], "stability": ["unstable"], "scores": {"ao_neuro": "N4", "tlics": 3}}),
    V("transient", {"neuro.status": "transient"}, "transient deficit N1 (resolved) is not a deficit: OF2 with N1 "
      "is stable, conservative, early mobilisation (CLS-8, PAIN-8, CLS-2)",
      {"pathway": ["conservative"], "stability": ["stable"], "items_all": ["mobility.early"],
           "pitfalls_none": ["neuro_exam_missing"], "scores": {"ao_neuro": "N1", "tlics": 1}}),
    V("not-examined", {"neuro.status": "not_examined"}, "no neuro exam: instability or cauda equina can be missed "
      "(RF-3, CLS-2); stability indeterminate, TLICS null",
      {"stability": ["indeterminate"], "pitfalls_all": ["neuro_exam_missing"], "items_all": ["red_flags.neuro_exam"],
           "scores": {"ao_neuro": "NX", "tlics": None}}),
    V("progressive-deficit", {"neuro.status": "radicular", "neuro.progressive": True},
      "progressive deficit -> emergency (RF-3, FU-4)", {"pathway": ["emergency_referral"]}),
    V("saddle-only", {"neuro.status": None, "neuro.saddle_anaesthesia": True},
      "saddle anaesthesia with status unrecorded is a cauda equina sign -> emergency (RF-3)",
      {"pathway": ["emergency_referral"], "scores": {"ao_neuro": "N3"}}),
    # ----------------------------------------------------------------------------------- contradictions
    V("intact-with-sphincter", {"neuro.sphincter_dysfunction": True},
      "neuro intact with sphincter dysfunction cannot both be true: flag it and plan on the safer reading "
      "(cauda equina -> emergency) (case-format contradictions, RF-3)",
      {"pathway": ["emergency_referral"], "pitfalls_all": ["contradictory_inputs"]}),
    V("no-retropulsion-with-canal", {FX + "canal_compromise_pct": 20.0},
      "retropulsion false and wall intact with canal compromise 20 %: contradictions, planned as retropulsion and "
      "major wall involvement (OF3, potentially unstable); OF score 3 -> conservative, augmentation a surgeon's "
      "decision (VA-11, CLS-8, CLS-9)",
      {"stability": ["potentially_unstable"], "pathway": ["conservative"],
           "pitfalls_all": ["contradictory_inputs", "augmentation_contraindicated"],
           "items_all": ["pathway.conservative_of3"], "scores": {"of_class": "OF3", "of_score": 3}}),
    V("edema-without-mri", {"imaging.modalities": ["radiograph", "ct"]},
      "MRI edema recorded without an MRI: contradiction, MRI findings unknown (case-format dates/MRI)",
      {"pitfalls_all": ["contradictory_inputs"], "pitfalls_none": ["healed_fracture"]}),
    V("edema-without-mri-of1", {"imaging.modalities": ["radiograph"], FX + "endplates": "none",
                                FX + "height_loss_pct": 5.0, FX + "initial_height_loss_pct": 5.0},
      "edema-only OF1 needs an MRI: without one the class is unknown (CLS-4)",
      {"pitfalls_all": ["contradictory_inputs"], "scores": {"of_class": None, "of_score": None}}),
    # ------------------------------------------------------------------------------------- classes
    V("of1-edema-only", {FX + "endplates": "none", FX + "height_loss_pct": 5.0, FX + "initial_height_loss_pct": 5.0},
      "no deformation, STIR edema only -> OF1 (2 points) (CLS-4, CLS-5): stable, conservative",
      {"stability": ["stable"], "pathway": ["conservative"], "scores": {"of_class": "OF1", "of_score": -1, "genant_grade": 0}}),
    V("of5-distraction", {FX + "morphology": "distraction"},
      "distraction -> OF5 (CLS-4): unstable, surgical consultation; TLICS 4 (CLS-3)",
      {"stability": ["unstable"], "pathway": ["surgical_consultation"],
           "items_all": ["mobility.precautions", "pathway.surgical_same_day"], "items_none": ["mobility.early"],
           "scores": {"of_class": "OF5", "of_score": 7, "tlics": 4}}),
    V("of4-both-endplates", {FX + "endplates": "both"},
      "both endplates -> OF4: unstable in a fragility fracture, surgeon within a week, precautions (CLS-8, PAIN-8)",
      {"stability": ["unstable"], "pathway": ["surgical_consultation"], "scores": {"of_class": "OF4"},
           "items_all": ["pathway.surgical_unstable", "mobility.precautions"], "items_none": ["mobility.early"]}),
    V("of3-burst-framework", {FX + "posterior_wall": "major", FX + "morphology": "burst", "symptoms.pain_nrs": 8,
                              "symptoms.mobilisation": "not_possible", "symptoms.analgesia": "oral_opioid",
                              FX + "initial_height_loss_pct": 15.0},
      "osteoporotic OF3 burst: OF score 6+1+1+1 = 9 surgical vs TLICS 2 non-operative -> framework "
      "disagreement; surgeon (CLS-5, CLS-3, section 10.7)",
      {"pathway": ["surgical_consultation"], "pitfalls_all": ["framework_disagreement", "bed_rest", "opioid_harm",
           "augmentation_contraindicated"], "scores": {"of_class": "OF3", "of_score": 9, "tlics": 2}}),
    # -------------------------------------------------------------------------------------- red flags
    V("cancer-history", {"history.cancer": True}, "cancer history -> pathological fracture work-up; no anabolic "
      "or calcitonin before clarification (RF-1, ACR-6, PAIN-3)",
      {"pathway": ["red_flag_workup"], "osteoporosis": ["defer", "not_applicable"], "pitfalls_all": ["malignancy_suspected"],
           "recommended_none": ALL_DRUGS, "avoid_all": ["teriparatide", "abaloparatide", "romosozumab", "calcitonin"],
           "items_all": ["red_flags.malignancy_workup"]}),
    V("malignancy-features", {"imaging.malignancy_features": True, "patient.age_years": 60},
      "convex posterior cortex / pedicle involvement on MRI -> work-up (RF-1)",
      {"pathway": ["red_flag_workup"], "pitfalls_all": ["malignancy_suspected"], "recommended_none": ALL_DRUGS}),
    V("fever-ivdu", {"history.fever": True, "history.iv_drug_use": True}, "fever with IV drug use -> "
      "spondylodiscitis work-up, augmentation contraindicated (RF-2, VA-11)",
      {"pathway": ["red_flag_workup"], "pitfalls_all": ["infection_suspected", "augmentation_contraindicated"],
           "pitfalls_none": ["augmentation_evidence"], "items_all": ["red_flags.infection_workup"]}),
    V("hypercalcaemia", {"labs.calcium_mmol_l": 2.8}, "raised calcium: no calcium or vitamin D, secondary-cause "
      "screen (RF-6, OP-10)",
      {"pitfalls_all": ["hypercalcaemia", "secondary_cause_screen"], "pitfalls_none": ["malignancy_suspected"],
           "avoid_all": ["calcium", "vitamin_d"], "recommended_none": ["calcium", "vitamin_d"],
           "items_none": ["osteoporosis.calcium_vitamin_d"]}),
    V("hypercalcaemia-anaemia", {"labs.calcium_mmol_l": 2.8, "labs.haemoglobin_g_l": 100.0},
      "hypercalcaemia with anaemia suggests myeloma -> malignancy suspected, red-flag work-up (RF-1, RF-6)",
      {"pathway": ["red_flag_workup"], "pitfalls_all": ["malignancy_suspected", "hypercalcaemia"],
           "recommended_none": ALL_DRUGS + ["calcium", "vitamin_d"]}),
    V("high-energy-young", {"injury.mechanism": "high_energy", "patient.age_years": 28, "patient.premenopausal": True},
      "high-energy trauma in the young: trauma pathway, osteoporosis not applicable, no secondary screen "
      "(RF-4, ACR-7)",
      {"pathway": ["surgical_consultation"], "osteoporosis": ["not_applicable"], "pitfalls_all": ["high_energy_mechanism"],
           "pitfalls_none": ["secondary_cause_screen", "osteoporosis_untreated"], "recommended_none": ALL_DRUGS}),
    V("unknown-mechanism", {"injury.mechanism": "unknown"}, "unknown mechanism is treated as fragility "
      "(osteoporosis pathway) and listed (case-format mechanism)",
      {"osteoporosis": ["treat"], "pitfalls_none": ["high_energy_mechanism"]}),
    # ---------------------------------------------------------------------------------- augmentation
    V("failed-conservative", AUG, "5 weeks, NRS 8 worsening, edema -> augmentation an option, with the evidence "
      "caveat (ACR-2, ACR-9, VA-4, VA-7)",
      {"pathway": ["augmentation_referral"], "pitfalls_all": ["augmentation_evidence", "opioid_harm"],
           "items_all": ["augmentation.technique"]}),
    V("progression-20-points", {FX + "initial_height_loss_pct": 10.0},
      "21 points more height loss than the first imaging: ongoing fracture process (VA-1b, FU-2)",
      {"pitfalls_all": ["progression"], "pathway": ["augmentation_referral", "surgical_consultation"]}),
    V("of-class-change", {FX + "initial_height_loss_pct": 0.0, FX + "height_loss_pct": 15.0},
      "no deformation at first imaging, one endplate now: OF class change = progression (case-format)",
      {"pitfalls_all": ["progression"]}),
    V("parenteral-opioids", {"symptoms.analgesia": "parenteral_opioid", "symptoms.pain_nrs": 8,
                             "symptoms.hospitalised_for_pain": True},
      "severe pain needing parenteral opioids / admission is an augmentation indication (ACR-9)",
      {"pathway": ["augmentation_referral"], "pitfalls_all": ["opioid_harm", "augmentation_evidence"]}),
    V("coagulopathy", {**AUG, "history.uncorrected_coagulopathy": True}, "uncorrected coagulopathy: absolute "
      "contraindication to augmentation (VA-11, ACR-3)",
      {"pathway": ["conservative", "surgical_consultation"], "pitfalls_all": ["augmentation_contraindicated"],
           "pitfalls_none": ["augmentation_evidence"]}),
    V("cement-allergy", {**AUG, "history.cement_allergy": True}, "PMMA allergy: absolute contraindication (VA-11)",
      {"pathway": ["conservative", "surgical_consultation"], "pitfalls_all": ["augmentation_contraindicated"],
           "pitfalls_none": ["augmentation_evidence"]}),
    V("pregnancy", {**AUG, **PREMENOPAUSAL, "history.pregnant": True},
      "pregnancy: no augmentation (ACR-3) and no osteoporosis drugs in pregnancy",
      {"pathway": ["conservative", "surgical_consultation"], "osteoporosis": ["defer"],
           "pitfalls_all": ["augmentation_contraindicated", "secondary_cause_screen"], "recommended_none": ALL_DRUGS}),
    V("infection-blocks-augmentation", {**AUG, "imaging.infection_features": True},
      "infection: augmentation contraindicated, red-flag work-up (RF-2, VA-11)",
      {"pathway": ["red_flag_workup"], "pitfalls_all": ["augmentation_contraindicated", "infection_suspected"]}),
    V("retropulsion-blocks-augmentation", {**AUG, FX + "retropulsion": True, FX + "canal_compromise_pct": 15.0},
      "retropulsion beside an 'intact' wall: OF3 (safer reading), OF score 5 -> conservative; augmentation needs a "
      "surgeon first (VA-11 relative, CLS-9)",
      {"stability": ["potentially_unstable"], "pathway": ["conservative"],
           "pitfalls_all": ["augmentation_contraindicated", "contradictory_inputs"],
           "pitfalls_none": ["augmentation_evidence"], "scores": {"of_class": "OF3", "of_score": 5}}),
    V("healed-no-edema", {FX + "mri_edema": False, "injury.onset_date": "2026-05-01", "symptoms.pain_nrs": 2},
      "no MRI edema: healed, augmentation would not help; still treat the osteoporosis (VA-11, VA-9, ACR-4, OP-1)",
      {"pitfalls_all": ["healed_fracture"], "pitfalls_none": ["augmentation_evidence"], "osteoporosis": ["treat"],
           "items_all": ["pathway.conservative_healed"], "items_none": ["augmentation.option", "stability.mri",
                                                                       "follow_up.imaging", "mobility.precautions"]}),
    # ------------------------------------------------------------------------------------ drugs
    V("anticoagulant", {"history.anticoagulant": True}, "anticoagulation: OF health term -1 (CLS-5), NSAIDs "
      "avoided (PAIN-1)",
      {"pitfalls_all": ["nsaid_risk"], "avoid_all": ["nsaid"], "items_none": ["pain.nsaid_short"],
           "scores": {"of_score": 0}}),
    V("antiplatelet", {"history.antiplatelet": True}, "antiplatelet: NSAIDs only with caution (PAIN-1)",
      {"pitfalls_all": ["nsaid_risk"], "items_all": ["pain.nsaid_caution"], "items_none": ["pain.nsaid_short"]}),
    V("renal-crcl-28", {"labs.creatinine_clearance_ml_min": 28.0, "labs.egfr": 45.0},
      "CrCl 28 (lower than eGFR 45, so it decides): every bisphosphonate and NSAIDs avoided; bisphosphonates and "
      "denosumab wait for a CKD-MBD evaluation (OP-7, OP-23, OP-24, PAIN-9)",
      {"osteoporosis_status": ["defer"], "avoid_all": BISPHOSPHONATES + ["nsaid"],
       "pitfalls_all": ["renal_bisphosphonate", "nsaid_risk"]}),
    V("renal-crcl-32", {"labs.creatinine_clearance_ml_min": 32.0},
      "CrCl 32: alendronate and zoledronic acid (< 35) avoided; risedronate and ibandronate (< 30) allowed (OP-7)",
      {"avoid_all": ["alendronate", "zoledronic_acid"], "recommended_none": ["alendronate", "zoledronic_acid"],
           "recommended_any": ["risedronate", "ibandronate"], "pitfalls_all": ["renal_bisphosphonate"]}),
    V("egfr-25-denosumab", {"labs.egfr": 25.0, "labs.creatinine_clearance_ml_min": 27.0,
                            "bone_health.therapy": "denosumab", "bone_health.therapy_status": "current",
                            "bone_health.last_denosumab_dose_date": "2026-08-01"},
      "eGFR < 30 on denosumab: hypocalcaemia boxed warning, kept under a CKD-MBD expert (OP-8)",
      {"items_all": ["osteoporosis.denosumab_ckd"], "pitfalls_all": ["renal_bisphosphonate"]}),
    V("low-vitamin-d", {"labs.vitamin_d_ng_ml": 15.0}, "25(OH)D 15: deficiency, correct before ZA/denosumab "
      "(OP-9, OP-10)", {"pitfalls_all": ["correct_calcium_vitamin_d"], "items_all": ["osteoporosis.vitamin_d_correct"]}),
    V("hypocalcaemia", {"labs.calcium_mmol_l": 2.0}, "hypocalcaemia: correct before denosumab or ZA (OP-9)",
      {"pitfalls_all": ["correct_calcium_vitamin_d"], "items_all": ["osteoporosis.hypocalcaemia"]}),
    V("denosumab-on-schedule", {"bone_health.therapy": "denosumab", "bone_health.therapy_status": "current",
                                "bone_health.last_denosumab_dose_date": "2026-08-01"},
      "denosumab given < 7 months ago: no gap, continue it (OP-3, OP-6)",
      {"pitfalls_none": ["denosumab_gap", "osteoporosis_untreated"], "recommended_any": ["denosumab"],
           "items_all": ["osteoporosis.denosumab_continue"], "items_none": ["osteoporosis.denosumab_gap"]}),
    V("denosumab-overdue", {"bone_health.therapy": "denosumab", "bone_health.therapy_status": "current",
                            "bone_health.last_denosumab_dose_date": "2026-03-01"},
      "8+ months since the last denosumab dose: rebound risk, dose now or zoledronic acid (OP-6)",
      {"pitfalls_all": ["denosumab_gap"], "recommended_any": ["denosumab", "zoledronic_acid"],
           "items_none": ["osteoporosis.denosumab_continue"]}),
    V("denosumab-stopped", {"bone_health.therapy": "denosumab", "bone_health.therapy_status": "stopped"},
      "denosumab stopped without follow-on therapy (OP-6)", {"pitfalls_all": ["denosumab_gap"]}),
    V("mi-over-1-year", {"history.mi_or_stroke": "over_1_year", "bone_health.t_score": -3.5},
      "MI over a year ago, very high risk: romosozumab avoided (TGA: any history) (OP-5)",
      {"recommended_none": ["romosozumab"], "avoid_all": ["romosozumab"], "pitfalls_all": ["romosozumab_cv"],
           "recommended_any": ["teriparatide", "abaloparatide"]}),
    V("mi-within-1-year", {"history.mi_or_stroke": "within_1_year", "bone_health.t_score": -3.5},
      "MI within a year: romosozumab and NSAIDs avoided (OP-5, PAIN-1)",
      {"recommended_none": ["romosozumab"], "avoid_all": ["romosozumab", "nsaid"], "pitfalls_all": ["romosozumab_cv"]}),
    V("very-high-risk-woman", {"bone_health.t_score": -3.5}, "T < -3.0 in a postmenopausal woman without MI: "
      "anabolic options incl. romosozumab (OP-4)",
      {"recommended_any": ["romosozumab"], "pitfalls_none": ["romosozumab_cv"],
           "items_all": ["osteoporosis.very_high_risk"]}),
    V("premenopausal", PREMENOPAUSAL, "premenopausal woman: secondary-cause screen, specialist input "
      "(RF-6, NOGG); romosozumab is for postmenopausal women (OP-4)",
      {"pitfalls_all": ["secondary_cause_screen"], "recommended_none": ["romosozumab"],
           "items_all": ["osteoporosis.premenopausal"]}),
    V("upper-gi", {"history.upper_gi_contraindication": True}, "upper-GI contraindication: oral bisphosphonates "
      "avoided, IV zoledronic acid or denosumab (OP-2, OP-3)",
      {"avoid_all": ORAL_BP, "recommended_none": ORAL_BP, "recommended_any": ["zoledronic_acid", "denosumab"]}),
    V("glucocorticoids", {"history.glucocorticoids": True}, "long-term glucocorticoids: very high risk and a "
      "secondary-cause screen (OP-15, OP-4, RF-6)",
      {"pitfalls_all": ["secondary_cause_screen"], "osteoporosis": ["treat"],
           "items_all": ["osteoporosis.glucocorticoids", "osteoporosis.very_high_risk"]}),
    V("cognitive-impairment", {"patient.cognitive_impairment": True}, "cognitive impairment: observational pain "
      "scale, oral bisphosphonate dosing hard (PAIN-2, OP-2)",
      {"items_all": ["pain.cognitive", "osteoporosis.oral_unsuitable"]}),
    V("man-70", {"patient.sex": "male", "patient.premenopausal": None, "labs.haemoglobin_g_l": 140.0},
      "any man with a fragility VF: secondary-cause screen (RF-6); bisphosphonate conditional (OP-2)",
      {"pitfalls_all": ["secondary_cause_screen"], "recommended_any": BISPHOSPHONATES,
           "recommended_none": ["romosozumab"]}),
    V("bed-rest-5-days", {"symptoms.bed_rest_days": 5}, "bed rest >= 3 days: complications, bone loss (PAIN-4)",
      {"pitfalls_all": ["bed_rest"]}),
    V("two-failure-predictors", {"patient.age_years": 78}, "age > 73 + T11–L2: closer follow-up, not automatic "
      "augmentation (FAIL-1)",
      {"pitfalls_all": ["conservative_failure_risk"], "pathway": ["conservative"]}),
]


def _check(plan: Any, x: dict[str, Any], why: str) -> None:
    got = codes(plan)
    rec, avoid, items = set(plan.osteoporosis.recommended), avoided(plan), item_ids(plan)
    if "stability" in x:
        assert plan.stability in x["stability"], (plan.stability, why)
    if "pathway" in x:
        assert plan.pathway in x["pathway"], (plan.pathway, why)
    if "osteoporosis" in x:
        assert plan.osteoporosis.status in x["osteoporosis"], (plan.osteoporosis.status, why)
    assert set(x.get("pitfalls_all", [])) <= got, (set(x["pitfalls_all"]) - got, why)
    assert not set(x.get("pitfalls_none", [])) & got, (set(x["pitfalls_none"]) & got, why)
    if "recommended_any" in x:
        assert rec & set(x["recommended_any"]), (rec, why)
    assert not rec & set(x.get("recommended_none", [])), (rec & set(x["recommended_none"]), why)
    assert set(x.get("avoid_all", [])) <= avoid, (set(x["avoid_all"]) - avoid, why)
    assert set(x.get("items_all", [])) <= items, (set(x["items_all"]) - items, why)
    assert not set(x.get("items_none", [])) & items, (set(x["items_none"]) & items, why)
    for key, value in x.get("scores", {}).items():
        assert getattr(plan.scores, key) == value, (key, getattr(plan.scores, key), why)


@pytest.mark.parametrize("v", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_vignette(v: V) -> None:
    _check(plan_for(v.over), v.expect, v.why)


def test_vignettes_cover_every_pathway() -> None:
    pathways = {plan_for(v.over).pathway for v in VIGNETTES}
    assert pathways == {"emergency_referral", "red_flag_workup", "surgical_consultation", "augmentation_referral",
                        "conservative"}
