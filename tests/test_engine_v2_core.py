"""Contract v2 conventions of the clinical core (case-format.md, "Conventions the engine follows"):
stability by OF class / TLICS, pathway precedence and OF score bands, mobilisation, healed fractures,
augmentation contraindications, contradictions, framework disagreement, `because`, `missing`,
threshold flags and follow-up dates. Each threshold is tested at, just under and just over its value.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from engine_helpers import ASSESSED, AUGMENTATION, codes, item_ids, make_case, pitfall, plan_for, protocol

from vcf_desktop.domain.plan import Plan
from vcf_desktop.engine import evaluate

FX = "fractures[0]."
OF3 = {FX + "posterior_wall": "major", FX + "morphology": "burst"}
#: OF3 (6) + T -2.5 (0) + no progression (-1) + NRS 8 (+1) + with aid (-1) = 5
OF3_SCORE_5 = {**OF3, "symptoms.pain_nrs": 8, "symptoms.analgesia": "oral_opioid"}
OF3_SCORE_6 = {**OF3_SCORE_5, FX + "initial_height_loss_pct": None}                   # progression unknown: 0
OF3_SCORE_7 = {**OF3_SCORE_6, "symptoms.mobilisation": None}                          # mobilisation unknown: 0
TRAUMA = {"injury.mechanism": "high_energy", "patient.age_years": 30, "patient.premenopausal": True}
UP_AND_ABOUT = re.compile(r"\b(get(ting)? up|walk\w*|mobilise early|start moving|moving about)\b", re.I)


def texts(plan: Plan) -> list[str]:
    out = [t for i in plan.items for t in (i.text, i.patient_text)]
    out += [t for p in plan.pitfalls for t in (p.text, p.patient_text) if t]
    return out + [t for f in plan.follow_up for t in (f.what, f.patient_text) if t]


def item(plan: Plan, item_id: str) -> Any:
    return next(i for i in plan.items if i.id == item_id)


# ------------------------------------------------------------------------------------------ stability
@pytest.mark.parametrize(("over", "stability"), [
    ({}, "stable"),                                                          # OF2, N0
    ({"imaging.plc": None}, "stable"),                                       # PLC unreported: still stable (CLS-10)
    ({"imaging.plc": "indeterminate"}, "stable"),                            # the PLC is not an OF1-OF4 criterion
    ({"neuro.status": "transient"}, "stable"),                               # N1 is not a deficit
    ({FX + "endplates": None}, "stable"),                                    # wall intact, endplates unrecorded
    ({FX + "endplates": None, FX + "posterior_wall": "minor"}, "stable"),
    ({FX + "endplates": None, FX + "posterior_wall": "major"}, "potentially_unstable"),
    (OF3, "potentially_unstable"),
    ({FX + "retropulsion": True}, "potentially_unstable"),                   # safer reading of an 'intact' wall
    ({FX + "endplates": "both"}, "unstable"),                                # OF4
    ({FX + "morphology": "distraction"}, "unstable"),                        # OF5
    ({"imaging.plc": "injured"}, "unstable"),
    ({"imaging.dynamic_instability": True}, "unstable"),
    ({"neuro.status": "radicular"}, "unstable"),
    ({"neuro.status": None}, "indeterminate"),
    ({"neuro.status": "not_examined"}, "indeterminate"),
    ({FX + "posterior_wall": None, FX + "morphology": None}, "indeterminate"),
    ({FX + "endplates": "none", "imaging.modalities": ["radiograph"], FX + "mri_edema": None}, "indeterminate"),
])
def test_fragility_stability_by_of_class(over: dict, stability: str) -> None:
    assert plan_for(over).stability == stability


@pytest.mark.parametrize(("over", "stability"), [
    ({"imaging.plc": None}, "indeterminate"),                                # TLICS needs the PLC after trauma
    ({}, "stable"),                                                          # compression 1 + PLC 0 + N0 = 1, wall intact
    ({FX + "posterior_wall": "minor", FX + "morphology": None}, "potentially_unstable"),  # burst 2: <= 3 with wall
    ({"imaging.plc": "indeterminate"}, "stable"),                            # 1 + 2 + 0 = 3 with an intact wall
    ({FX + "morphology": "burst", FX + "posterior_wall": "minor", "imaging.plc": "indeterminate"},
     "potentially_unstable"),                                                # 2 + 2 = 4
    ({"imaging.plc": "injured"}, "unstable"),
    ({FX + "morphology": "burst", FX + "posterior_wall": "minor", "imaging.plc": "injured"}, "unstable"),  # 5
])
def test_trauma_stability_by_tlics(over: dict, stability: str) -> None:
    plan = plan_for({**TRAUMA, **over})
    assert plan.stability == stability, (plan.scores.tlics, plan.stability)


def test_healed_fracture_is_stable_unless_unstable_findings() -> None:
    assert plan_for({FX + "mri_edema": False}).stability == "stable"
    assert plan_for({FX + "mri_edema": False, FX + "endplates": "both"}).stability == "unstable"
    assert plan_for({FX + "mri_edema": False, **OF3}).stability == "potentially_unstable"


@pytest.mark.parametrize(("over", "named", "not_named"), [
    ({"neuro.status": None}, ["neurological examination"], ["posterior wall"]),
    ({FX + "posterior_wall": None, FX + "morphology": None}, ["posterior wall"], ["neurological examination"]),
    ({"neuro.status": None, FX + "posterior_wall": None, FX + "morphology": None},
     ["neurological examination", "posterior wall"], []),
])
def test_indeterminate_names_only_the_missing_findings(over: dict, named: list, not_named: list) -> None:
    plan = plan_for(over)
    text = next(i.text for i in plan.items if i.id.startswith("stability.indeterminate"))
    assert all(n in text for n in named) and not any(n in text for n in not_named), text
    assert "PLC" not in text


# -------------------------------------------------------------------------------------------- pathway
@pytest.mark.parametrize(("over", "pathway", "of_score"), [
    (OF3_SCORE_5, "conservative", 5),
    (OF3_SCORE_6, "conservative", 6),
    (OF3_SCORE_7, "surgical_consultation", 7),
])
def test_of3_pathway_follows_the_of_score_band(over: dict, pathway: str, of_score: int) -> None:
    plan = plan_for(over)
    assert plan.scores.of_score == of_score and plan.stability == "potentially_unstable"
    assert plan.pathway == pathway
    assert ("stability.of_score_either" in item_ids(plan)) is (of_score == 6)     # a spine-surgery opinion (CLS-9)


def test_of3_conservative_gets_the_upright_film_series_and_early_review() -> None:
    plan = plan_for(OF3_SCORE_5)
    assert "pathway.conservative_of3" in item_ids(plan) and "mobility.early" in item_ids(plan)
    assert [f.due_days for f in plan.follow_up if f.what.startswith("OF3")] == [10, 35, 84]
    assert min(f.due_days for f in plan.follow_up) == 10
    assert not {"pathway.surgical_of_score", "mobility.precautions"} & item_ids(plan)


def test_surgical_text_claims_a_score_band_only_when_one_is_in_it() -> None:
    unstable = plan_for({FX + "endplates": "both", "symptoms.pain_nrs": 2, "symptoms.mobilisation": "independent"})
    assert unstable.pathway == "surgical_consultation" and unstable.scores.of_score <= 6
    assert "surgical band" not in item(unstable, "pathway.surgical_unstable").text
    assert "surgical band" in item(plan_for(OF3_SCORE_7), "pathway.surgical_of_score").text


def test_deformity_alone_is_not_an_augmentation_indication() -> None:
    plan = plan_for({FX + "kyphosis_deg": 25.0, FX + "height_loss_pct": 38.0, FX + "initial_height_loss_pct": 38.0})
    assert plan.pathway == "conservative" and "stability.deformity" in item_ids(plan)


def test_of5_is_same_day() -> None:
    plan = plan_for({FX + "morphology": "distraction"})
    assert plan.pathway == "surgical_consultation" and plan.follow_up[0].due_days == 0
    assert "pathway.surgical_same_day" in item_ids(plan)


@pytest.mark.parametrize(("days", "augmentation"), [(20, False), (21, True), (22, True)])
def test_failed_conservative_care_after_the_trial_period(days: int, augmentation: bool) -> None:
    over = {**AUGMENTATION, "injury.onset_date": (ASSESSED - timedelta(days=days)).isoformat()}
    plan = plan_for(over)
    assert (plan.pathway == "augmentation_referral") is augmentation
    assert "threshold_boundary" not in codes(plan)                            # days are exact


@pytest.mark.parametrize(("nrs", "augmentation"), [(4, False), (5, True), (6, True)])
def test_pulmonary_dysfunction_with_a_painful_unhealed_fracture(nrs: int, augmentation: bool) -> None:
    plan = plan_for({"history.pulmonary_dysfunction": True, "symptoms.pain_nrs": nrs})
    assert (plan.pathway == "augmentation_referral") is augmentation
    assert ("augmentation.pulmonary" in item_ids(plan)) is augmentation       # VA-15 caution


# --------------------------------------------------------------------------------------- mobilisation
@pytest.mark.parametrize(("over", "early", "precautions"), [
    ({}, True, False),
    ({"imaging.plc": None}, True, False),
    (OF3_SCORE_5, True, False),
    (OF3_SCORE_6, False, True),
    ({FX + "posterior_wall": None, FX + "morphology": None}, True, False),   # indeterminate, neurology intact
    ({"neuro.status": None}, False, False),                                   # examine first
    ({FX + "endplates": "both"}, False, True),
    ({"neuro.status": "cauda_equina"}, False, True),
    ({**TRAUMA, "imaging.plc": None}, False, True),
    ({FX + "mri_edema": False}, False, False),                                # healed: neither
])
def test_who_mobilises_early_and_who_keeps_precautions(over: dict, early: bool, precautions: bool) -> None:
    ids = item_ids(plan_for(over))
    assert ("mobility.early" in ids) is early and ("mobility.precautions" in ids) is precautions


@pytest.mark.parametrize("over", [{FX + "endplates": "both"}, {"neuro.status": "cauda_equina"},
                                  {FX + "morphology": "distraction"}, {"imaging.plc": "injured"},
                                  {FX + "endplates": "both", "symptoms.bed_rest_days": 5},
                                  {FX + "endplates": "both", "symptoms.mobilisation": "not_possible"}])
def test_no_text_tells_an_unstable_patient_to_get_up(over: dict) -> None:
    plan = plan_for(over)
    assert plan.stability == "unstable"
    assert not [t for t in texts(plan) if UP_AND_ABOUT.search(t)]


def test_missing_neuro_exam_is_a_now_item_before_mobilising() -> None:
    plan = plan_for({"neuro.status": "not_examined"})
    exam = item(plan, "red_flags.neuro_exam")
    assert exam.priority == "now" and "before the patient mobilises" in exam.text
    assert "mobility.early" not in item_ids(plan)


# -------------------------------------------------------------------------------------- healed fracture
HEALED_ABSENT = {"augmentation.option", "augmentation.technique", "stability.mri", "follow_up.imaging",
                 "mobility.precautions", "mobility.early", "mobility.brace", "stability.deformity"}


@pytest.mark.parametrize("over", [
    {FX + "mri_edema": False},
    {FX + "new": False, "symptoms.pain_nrs": 0, "imaging.modalities": ["radiograph", "ct"], FX + "mri_edema": None},
    {"injury.onset_date": (ASSESSED - timedelta(days=91)).isoformat(), "symptoms.pain_nrs": 0,
     "imaging.modalities": ["radiograph"], FX + "mri_edema": None},
])
def test_healed_fracture_is_osteoporosis_management_only(over: dict) -> None:
    plan = plan_for(over)
    assert "healed_fracture" in codes(plan) and plan.osteoporosis.status == "treat"
    assert not HEALED_ABSENT & item_ids(plan)
    assert not [i for i in plan.items if i.section == "augmentation"]
    assert "conservative_failure_risk" not in codes(plan_for({**over, "patient.age_years": 80}))
    assert not [f for f in plan.follow_up if "radiograph" in f.what]


@pytest.mark.parametrize(("days", "nrs", "healed"), [(89, 0, False), (90, 0, False), (91, 0, True), (91, 1, False)])
def test_chronic_and_pain_free_at_the_threshold(days: int, nrs: int, healed: bool) -> None:
    plan = plan_for({"injury.onset_date": (ASSESSED - timedelta(days=days)).isoformat(), "symptoms.pain_nrs": nrs,
                     "imaging.modalities": ["radiograph"], FX + "mri_edema": None})
    assert ("healed_fracture" in codes(plan)) is healed
    assert "threshold_boundary" not in codes(plan)


def test_incidental_finding_wording_and_six_week_review() -> None:
    plan = plan_for({FX + "new": False, "symptoms.pain_nrs": 0, FX + "mri_edema": False,
                     "bone_health.therapy": "oral_bisphosphonate", "bone_health.therapy_status": "current"})
    assert "pathway.conservative_incidental" in item_ids(plan)
    assert "Incidental" in item(plan, "pathway.conservative_incidental").text
    new = plan_for({FX + "mri_edema": False})                                   # a new (painful) fracture
    assert "pathway.conservative_healed" in item_ids(new)


# ---------------------------------------------------------------------------- augmentation contraindications
@pytest.mark.parametrize(("over", "word"), [
    ({"history.uncorrected_coagulopathy": True}, "coagulopathy"),
    ({"history.cement_allergy": True}, "PMMA"),
    ({"imaging.infection_features": True}, "infection"),
    ({FX + "retropulsion": True}, "retropulsion"),
])
def test_the_contraindication_present_is_named_alone(over: dict, word: str) -> None:
    p = pitfall(plan_for({**AUGMENTATION, **over}), "augmentation_contraindicated")
    others = {"coagulopathy", "PMMA", "infection", "pregnancy", "retropulsion"} - {word}
    assert word in p.text and not [o for o in others if o in p.text], p.text


def test_coagulopathy_also_rules_out_a_nerve_root_block() -> None:
    base = {FX + "level": "L3", "symptoms.pain_nrs": 6}
    assert "pain.nerve_block" in item_ids(plan_for(base))
    plan = plan_for({**base, "history.uncorrected_coagulopathy": True})
    assert "pain.nerve_block" not in item_ids(plan) and "pain.no_injection_coagulopathy" in item_ids(plan)


def test_anticoagulation_is_not_a_contraindication() -> None:
    plan = plan_for({**AUGMENTATION, "history.anticoagulant": True})
    assert plan.pathway == "augmentation_referral" and "augmentation_contraindicated" not in codes(plan)
    assert "augmentation.anticoagulation" in item_ids(plan)


def _with_second(level: str, augmented: bool) -> Plan:
    case = make_case()
    other = case.index.model_copy(update={"level": level, "new": False, "augmented": augmented})
    return evaluate(case.model_copy(update={"fractures": [case.index, other]}), protocol())


@pytest.mark.parametrize(("level", "augmented", "flagged"), [("L1", True, True), ("L3", True, True),
                                                             ("T12", True, False), ("L1", False, False)])
def test_new_fracture_next_to_an_augmented_level(level: str, augmented: bool, flagged: bool) -> None:
    assert ("stability.augmented_neighbour" in item_ids(_with_second(level, augmented))) is flagged


# ------------------------------------------------------------------------- contradictions and frameworks
def test_intact_wall_with_canal_compromise_is_read_as_of3() -> None:
    plan = plan_for({FX + "canal_compromise_pct": 12.0, FX + "retropulsion": True})
    fields = {b.field for b in pitfall(plan, "contradictory_inputs").because}
    assert {FX + "posterior_wall", FX + "canal_compromise_pct"} <= fields
    assert plan.scores.of_class == "OF3"


@pytest.mark.parametrize(("over", "frameworks"), [
    ({**OF3_SCORE_7, "symptoms.mobilisation": "not_possible"}, ("OF score", "TLICS", "ACR")),   # (a) and (c)
    (AUGMENTATION, ("OF score", "ACR")),                                                          # (b)
])
def test_framework_disagreement_names_each_framework_once(over: dict, frameworks: tuple) -> None:
    text = pitfall(plan_for(over), "framework_disagreement").text
    assert all(text.count(f) == 1 for f in frameworks), text


def test_no_framework_disagreement_when_bands_agree() -> None:
    assert "framework_disagreement" not in codes(plan_for(OF3_SCORE_5))


# ------------------------------------------------------------------------------ because, missing, flags
@pytest.mark.parametrize("over", [{}, {"neuro.status": None}, AUGMENTATION, {FX + "mri_edema": False}, TRAUMA])
def test_because_holds_only_what_holds(over: dict) -> None:
    plan = plan_for(over)
    for entry in [*plan.items, *plan.pitfalls]:
        assert entry.because
        for b in entry.because:
            assert b.value is not None and not b.criterion.startswith("not") and "every case" not in b.criterion


def test_an_item_every_plan_carries_rests_on_the_fracture() -> None:
    triggers = item(plan_for(), "follow_up.triggers")
    assert [b.field for b in triggers.because] == [FX + "level"]


def test_missing_lists_only_what_could_change_the_plan() -> None:
    base = {m.field for m in plan_for({FX + "initial_height_loss_pct": None, "patient.asa_class": None}).missing}
    assert FX + "initial_height_loss_pct" in base and "patient.asa_class" not in base   # OF score 1: far from a band
    near = {m.field for m in plan_for({**OF3_SCORE_6, "patient.asa_class": None}).missing}
    assert "patient.asa_class" in near                                               # 6 -> 5 would change the band
    healed = {m.field for m in plan_for({FX + "mri_edema": False, FX + "initial_height_loss_pct": None}).missing}
    assert FX + "initial_height_loss_pct" not in healed                              # nothing depends on progression
    assert all(m.impact.startswith(("If", "Ask")) for m in plan_for({"neuro.status": None}).missing
               if m.field.startswith(("neuro", "fractures", "imaging.plc", "symptoms")))


@pytest.mark.parametrize(("path", "value"), [("symptoms.pain_nrs", 7), ("patient.frailty_mfi5", 3),
                                             ("patient.age_years", 73), ("symptoms.bed_rest_days", 3)])
def test_integer_values_on_a_threshold_are_never_flagged(path: str, value: int) -> None:
    assert "threshold_boundary" not in codes(plan_for({path: value}))


# ------------------------------------------------------------------------------------------ follow-up
@pytest.mark.parametrize(("over", "first"), [
    ({"neuro.status": "cauda_equina"}, 0),
    ({FX + "morphology": "distraction"}, 0),
    ({"history.cancer": True}, 7),
    ({FX + "endplates": "both"}, 7),
    (AUGMENTATION, 14),
    ({}, 14),
    (OF3_SCORE_5, 10),
])
def test_first_contact_by_pathway(over: dict, first: int) -> None:
    assert plan_for(over).follow_up[0].due_days == first


def test_healed_incidental_untreated_gets_a_bone_health_review_within_six_weeks() -> None:
    plan = plan_for({FX + "mri_edema": False, "history.cancer": None})
    assert min(f.due_days for f in plan.follow_up) <= 42


@pytest.mark.parametrize("assessed", ["2026-11-21", "2026-11-22", "2026-11-23", "2026-11-27"])
def test_due_dates_are_weekdays(assessed: str) -> None:
    plan = plan_for({"assessment_date": assessed})
    assert all(f.due_date.weekday() < 5 for f in plan.follow_up if f.due_days > 0)


def test_a_healed_fracture_with_lingering_pain_looks_for_another_cause_not_a_red_flag_recheck() -> None:
    over = {FX + "mri_edema": False, "injury.onset_date": (ASSESSED - timedelta(days=270)).isoformat(),
            "symptoms.pain_trend": "unchanged"}
    plan = plan_for(over)
    assert "red_flags.recheck" not in item_ids(plan) and "another pain generator" in pitfall(plan, "healed_fracture").text
    assert "red_flags.recheck" in item_ids(plan_for({**over, FX + "mri_edema": True}))
