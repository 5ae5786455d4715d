"""Facts: named yes/no findings derived from the case, each with the inputs that decide it.

Facts are the vocabulary of the protocol's rule conditions. They are computed here, in code, from
the case and the protocol's thresholds; how they combine into decisions is protocol data.
Unrecorded inputs never make a fact true (except where the safer reading of a contradiction does,
which is then also reported as a contradiction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from vcf_desktop.domain.record import Record

if TYPE_CHECKING:
    from vcf_desktop.engine.scores import Boundary

#: Every fact a rule condition may name, with what it means (shown in the protocol summary).
FACTS: dict[str, str] = {
    # population and mechanism
    "fragility": "fragility mechanism (low energy, atraumatic, or unknown/unrecorded and so treated as fragility)",
    "high_energy": "high-energy mechanism: trauma pathway",
    "mechanism_unknown": "mechanism unknown or not recorded",
    "male": "male",
    "female": "female",
    "premenopausal": "premenopausal woman",
    "postmenopausal": "postmenopausal woman (recorded, or not recorded at the protocol age and so treated as one)",
    "menopause_assumed": "woman at the protocol age with menopausal status not recorded: treated as postmenopausal",
    "menopause_unknown": "woman under the protocol age whose menopausal status is not recorded",
    "lactating": "breastfeeding now or within the last 6 months",
    "under_18": "under 18: outside the validated scope",
    "young_adult": "premenopausal woman or man under 50 (Z-score population)",
    "calcium_target_1200": "calcium intake target 1200 mg/day (women ≥ 51, men ≥ 71)",
    "age_under_50": "age below the secondary-cause screening age",
    "nsaid_age": "age in the NSAID high-risk group",
    "cognitive_impairment": "cognitive impairment",
    "high_fall_risk": "high fall risk",
    "delirium": "delirium",
    # neurology
    "neuro_deficit": "neurological deficit: radicular, cord or cauda equina, sphincter or saddle signs, or progressive",
    "cauda_equina_signs": "cauda equina: status, sphincter dysfunction or saddle anaesthesia",
    "neuro_transient": "transient neurological deficit (AO N1)",
    "neuro_unexamined": "neurological status not examined or not recorded",
    "neuro_ok": "neurology recorded intact or transient (no deficit)",
    # red flags
    "malignancy_suspected": "malignancy features, cancer history, unexplained weight loss, or hypercalcaemia with anaemia",
    "infection_suspected": "infection features on imaging or fever",
    "cancer_history": "history of cancer",
    # morphology and stability
    "of5_morphology": "distraction or translation/rotation morphology",
    "both_endplates": "both endplates deformed (OF4)",
    "posterior_wall_major": "posterior wall involvement > 1/5",
    "posterior_wall_involved": "posterior wall involved (minor or major)",
    "retropulsion": "retropulsed fragment (or canal compromise read as retropulsion)",
    "canal_compromise": "canal compromise above the threshold",
    "plc_injured": "posterior ligamentous complex injured",
    "plc_indeterminate": "posterior ligamentous complex indeterminate",
    "dynamic_instability": "dynamic instability on standing vs supine films",
    "posterior_wall_intact": "posterior wall intact (as planned: not beside retropulsion or canal compromise)",
    "plc_unrecorded": "posterior ligamentous complex not recorded",
    "wall_unrecorded": "posterior wall not recorded",
    "endplates_unrecorded": "endplates not recorded",
    "stable_morphology": "OF1 or OF2, or endplates unrecorded with the posterior wall intact or minor",
    "of_class_unsettled": "no endplate deformation recorded and no MRI edema known: the OF class cannot be set",
    "tlics_unknown": "TLICS cannot be computed (morphology, PLC or neurology not recorded)",
    "initial_height_unrecorded": "height loss on the first imaging of this episode not recorded",
    "of_score_conservative": "OF score in the conservative band (≤ 5)",
    "of_score_near_band": "OF score within a point of another treatment band (5, 6 or 7)",
    "index_old": "index fracture recorded as old (not new)",
    "no_new_fracture": "no listed fracture is new",
    "augmented_neighbour": "new fracture at or next to a level augmented before",
    "deformity": "spinal deformity (kyphosis, scoliosis or height loss at the Hirsch thresholds)",
    "progression": "progression: height loss increase at the threshold, or an OF class change",
    "of_score_surgical": "OF score in the surgical band",
    "of_score_either": "OF score in the 'either' band",
    "tlics_operative": "TLICS in the operative band",
    "tlics_either": "TLICS in the 'either' band",
    "framework_disagreement": "OF score band and TLICS band point to conservative and surgical care respectively",
    "thoracolumbar": "level T11–L2",
    "upper_thoracic_level": "index fracture at T1–T6",
    "level_l3_l4": "level L3 or L4",
    "intravertebral_cleft": "intravertebral cleft",
    "index_new": "index fracture is new",
    # imaging and acuity
    "mri_done": "MRI among the imaging done",
    "mri_contraindicated": "MRI contraindicated",
    "mri_edema": "MRI edema in the index fracture",
    "mri_no_edema": "MRI shows no edema in the index fracture",
    "ct_or_bone_scan_done": "CT, bone scan or SPECT-CT done",
    "onset_unknown": "neither onset date nor days since onset recorded",
    "chronic": "fracture older than the chronic threshold",
    "pain_free": "pain-free",
    "conservative_trial_elapsed": "conservative care has lasted the trial period",
    "calcitonin_window": "within the acute calcitonin window",
    # pain and function
    "severe_pain_admission": "parenteral opioids or hospital admission for pain",
    "pain_not_improving": "pain unchanged or worsening",
    "augmentation_pain_level": "pain at the augmentation pain threshold",
    "opioid_in_use": "an opioid in use",
    "severe_pain": "pain at the level where opioids are likely",
    "bed_rest_excess": "bed rest at the threshold",
    "immobile": "cannot mobilise",
    "pulmonary_dysfunction": "pulmonary dysfunction",
    "conservative_failure_risk": "two or more predictors of failed conservative care",
    # procedural risks
    "uncorrected_coagulopathy": "uncorrected coagulopathy",
    "cement_allergy": "cement (PMMA) allergy",
    "pregnant": "pregnant",
    "pregnancy_nsaid": "pregnant at 20 weeks or more, or weeks not recorded",
    "liver_disease": "cirrhosis or chronic liver disease",
    "glucocorticoid_high_dose": "glucocorticoid dose in the high-dose band",
    "anticoagulant": "therapeutic anticoagulation",
    "anticoagulation_unknown": "anticoagulation not recorded",
    "antiplatelet": "antiplatelet therapy",
    "upper_gi_contraindication": "upper GI contraindication to oral bisphosphonates",
    "glucocorticoids": "long-term glucocorticoids",
    "mi_or_stroke_any": "any myocardial infarction or stroke",
    "mi_or_stroke_recent": "myocardial infarction or stroke within 1 year",
    "cv_history_unknown": "myocardial infarction/stroke history not recorded",
    # bone health
    "therapy_none": "no osteoporosis drug (recorded as none)",
    "therapy_stopped": "osteoporosis drug stopped",
    "therapy_current": "osteoporosis drug current",
    "therapy_unrecorded": "osteoporosis therapy not recorded",
    "therapy_drug": "an osteoporosis drug is recorded (current or most recent)",
    "therapy_denosumab": "denosumab is the current or most recent drug",
    "on_denosumab": "denosumab current and on schedule",
    "denosumab_gap": "denosumab stopped or overdue without follow-on therapy",
    "fracture_on_therapy": "new fracture while on osteoporosis therapy",
    "multiple_vertebral_fractures": "multiple vertebral fractures (listed or prior)",
    "prior_hip_fracture": "prior hip fracture",
    "t_score_very_low": "T-score at the very-high-risk threshold",
    "t_score_unknown": "T-score not recorded",
    "severe_vertebral_fracture": "severe vertebral fracture (Genant grade 3)",
    "z_score_low": "Z-score at or below the 'below the expected range for age' threshold",
    "z_score_unknown": "Z-score not recorded",
    "denosumab_follow_on": "the current or last drug followed denosumab directly",
    "teriparatide_current": "teriparatide is the current drug",
    "abaloparatide_current": "abaloparatide is the current drug",
    "romosozumab_current": "romosozumab is the current drug",
    "anabolic_ended": "an anabolic course ended with no antiresorptive after it",
    "pth_course_complete": "teriparatide and abaloparatide months in all at the lifetime limit",
    "pth_months_unknown": "a PTH-analogue course of unrecorded length",
    # renal and labs
    "crcl_below_alendronate": "kidney function (lower of CrCl and eGFR) below the alendronate limit",
    "crcl_below_zoledronic_acid": "kidney function (lower of CrCl and eGFR) below the zoledronic acid limit",
    "crcl_below_risedronate": "kidney function (lower of CrCl and eGFR) below the risedronate limit",
    "crcl_below_ibandronate": "kidney function (lower of CrCl and eGFR) below the ibandronate limit",
    "crcl_below_nsaid": "kidney function (lower of CrCl and eGFR) below the NSAID limit",
    "kidney_below_ckd_mbd": "kidney function below 30: CKD-MBD evaluation before bisphosphonates or denosumab",
    "kidney_nsaid_caution": "kidney function in the NSAID caution range",
    "renal_unknown": "no creatinine clearance or eGFR recorded",
    "crcl_height_unknown": "Cockcroft-Gault computed without height (adjusted weight not checked)",
    "hypocalcaemia": "hypocalcaemia",
    "hypercalcaemia": "hypercalcaemia",
    "calcium_unknown": "calcium not recorded",
    "vitamin_d_low": "25(OH)D below target",
    "vitamin_d_deficient": "25(OH)D deficiency",
    "vitamin_d_unknown": "25(OH)D not recorded",
    "anaemia": "anaemia",
    # engine checks
    "contradiction": "findings that cannot both be true",
    "threshold_boundary": "a measured value used by this plan lies exactly on a decision threshold",
    # decisions, available to later rules
    "stability_stable": "the fracture is judged stable",
    "stability_potentially_unstable": "the fracture is judged potentially unstable",
    "stability_unstable": "the fracture is judged unstable",
    "stability_indeterminate": "stability is indeterminate",
    "pathway_emergency_referral": "the pathway is emergency referral",
    "pathway_red_flag_workup": "the pathway is red-flag work-up",
    "pathway_surgical_consultation": "the pathway is surgical consultation",
    "pathway_augmentation_referral": "the pathway is augmentation referral",
    "pathway_conservative": "the pathway is conservative care",
    "osteoporosis_treat": "osteoporosis treatment starts now",
    "osteoporosis_defer": "osteoporosis treatment is deferred",
    "osteoporosis_not_applicable": "osteoporosis treatment does not apply (not a fragility fracture)",
}


class Why(NamedTuple):
    """An input (or derived value) and the criterion it met; becomes a plan `Because`."""

    field: str
    value: bool | int | float | str | None
    criterion: str


def because(path: str, value: object, criterion: str) -> Why:
    return Why(path, value, criterion)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Fact:
    value: bool
    because: tuple[Why, ...] = ()


@dataclass
class Contradiction:
    fields: tuple[str, str]
    values: tuple[object, object]
    text: str
    safer: str


def no_scores() -> Record:
    """The plan's scores before derivation, every one not computed (the `Scores` model's fields, in order)."""
    return Record(genant_grade=None, of_class=None, of_score=None, tlics=None, ao_neuro=None, crcl_ml_min=None,
                  bmi=None)


@dataclass
class Derived:
    """What the engine derived from the case before applying rules."""

    assessment_date: date
    days_since_onset: int | None
    scores: Record = field(default_factory=no_scores)
    facts: dict[str, Fact] = field(default_factory=dict)
    contradictions: list[Contradiction] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)

    def set(self, name: str, value: bool, *because: Why) -> None:
        assert name in FACTS, name
        self.facts[name] = Fact(bool(value), tuple(because))

    def truth(self, name: str) -> bool:
        return self.facts[name].value
