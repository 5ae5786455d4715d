"""Scores of the index fracture (case-format.md "Conventions the engine follows"; CLS-1..CLS-5)."""

from __future__ import annotations

import pytest
from engine_helpers import boundary_because, codes, make_case, plan_for, protocol

from vcf_desktop.engine import scores as sc

FX = "fractures[0]."


# ------------------------------------------------------------------------------------------ Genant (CLS-1)
@pytest.mark.parametrize(("loss", "grade"), [
    (0, 0), (19.9, 0), (20, 1), (20.1, 1), (24.9, 1), (25, 1), (25.1, 2), (39.9, 2), (40, 2), (40.1, 3), (100, 3),
])
def test_genant_grade_at_every_threshold(loss: float, grade: int) -> None:
    plan = plan_for({FX + "height_loss_pct": loss, FX + "initial_height_loss_pct": None})
    assert plan.scores.genant_grade == grade


def test_genant_grade_null_when_height_loss_unrecorded() -> None:
    assert plan_for({FX + "height_loss_pct": None}).scores.genant_grade is None


@pytest.mark.parametrize(("loss", "side"), [(20, "counted as meeting it"), (25, "counted as outside it"),
                                            (40, "counted as outside it")])
def test_genant_exact_thresholds_raise_boundary_and_state_the_side(loss: float, side: str) -> None:
    plan = plan_for({FX + "height_loss_pct": loss, FX + "initial_height_loss_pct": None})
    entries = [b for b in boundary_because(plan) if b.field == FX + "height_loss_pct" and "Genant" in b.criterion]
    assert entries and all(side in b.criterion for b in entries), boundary_because(plan)
    assert any(f"{loss:g}" in b.criterion for b in entries)


# -------------------------------------------------------------------------------------------- OF class (CLS-4)
@pytest.mark.parametrize(("fracture", "modalities", "expected"), [
    ({"morphology": "distraction", "endplates": "one"}, None, "OF5"),
    ({"morphology": "translation_rotation", "endplates": "none"}, None, "OF5"),
    ({"endplates": "both", "posterior_wall": "major"}, None, "OF4"),
    ({"endplates": "both", "posterior_wall": None}, None, "OF4"),
    ({"endplates": "one", "posterior_wall": "major", "morphology": "burst"}, None, "OF3"),
    ({"endplates": "one", "posterior_wall": "minor", "morphology": "burst"}, None, "OF2"),
    ({"endplates": "one", "posterior_wall": "intact"}, None, "OF2"),
    ({"endplates": "one", "posterior_wall": None}, None, None),
    ({"endplates": "none", "mri_edema": True}, None, "OF1"),
    ({"endplates": "none", "mri_edema": False}, None, None),
    ({"endplates": "none", "mri_edema": None}, ["radiograph"], None),
    # edema recorded without an MRI among the imaging done: MRI findings are unknown -> no OF1
    ({"endplates": "none", "mri_edema": True}, ["radiograph", "ct"], None),
    ({"endplates": None, "morphology": None}, None, None),
])
def test_of_class_mapping(fracture: dict, modalities: list | None, expected: str | None) -> None:
    over = {FX + k: v for k, v in fracture.items()}
    if modalities is not None:
        over["imaging.modalities"] = modalities
    assert plan_for(over).scores.of_class == expected


# -------------------------------------------------------------------------------------------- OF score (CLS-5)
# BASE: OF2 (4), T -2.5 (0), no initial->now change 0 points (-1), NRS 4 (-1), with_aid (-1), ASA 2/mFI 1 -> 1
def test_of_score_base_arithmetic() -> None:
    assert plan_for().scores.of_score == 4 + 0 - 1 - 1 - 1


@pytest.mark.parametrize(("over", "delta"), [
    ({"bone_health.t_score": -3.1}, +1),
    ({"bone_health.t_score": -3.0}, 0),
    ({"bone_health.t_score": -2.9}, 0),
    ({"bone_health.t_score": None}, 0),
    ({FX + "initial_height_loss_pct": 21.0}, +2),       # 10 points: progression yes (+1 instead of -1)
    ({FX + "initial_height_loss_pct": 21.1}, 0),        # 9.9 points: no (-1)
    ({FX + "initial_height_loss_pct": 20.9}, +2),       # 10.1 points: yes
    ({FX + "initial_height_loss_pct": None}, +1),       # unknown: 0 instead of -1
    ({"symptoms.pain_nrs": 5}, +2),
    ({"symptoms.pain_nrs": 6}, +2),
    ({"symptoms.pain_nrs": 0}, 0),
    ({"symptoms.pain_nrs": None}, +1),
    ({"symptoms.mobilisation": "not_possible"}, +2),
    ({"symptoms.mobilisation": "independent"}, 0),
    ({"symptoms.mobilisation": None}, +1),
    ({"patient.asa_class": 3}, 0),
    ({"patient.asa_class": 4}, -1),
    ({"patient.asa_class": 5}, -1),
    ({"patient.frailty_mfi5": 2}, 0),
    ({"patient.frailty_mfi5": 3}, -1),
    ({"history.anticoagulant": True}, -1),
    ({"history.anticoagulant": None}, 0),
    ({"patient.asa_class": 4, "patient.frailty_mfi5": 3}, -2),
    ({"patient.asa_class": 4, "patient.frailty_mfi5": 3, "history.anticoagulant": True}, -2),  # floor -2
    ({"patient.asa_class": 4, "history.anticoagulant": True}, -2),
])
def test_of_score_terms(over: dict, delta: int) -> None:
    assert plan_for(over).scores.of_score == plan_for().scores.of_score + delta, over


@pytest.mark.parametrize("status", ["radicular", "incomplete_cord", "complete_cord", "cauda_equina"])
def test_of_score_neuro_deficit_adds_two(status: str) -> None:
    assert plan_for({"neuro.status": status}).scores.of_score == plan_for().scores.of_score + 2


@pytest.mark.parametrize("status", ["intact", "transient", "not_examined", None])
def test_of_score_no_neuro_points_without_a_deficit(status: str | None) -> None:
    assert plan_for({"neuro.status": status}).scores.of_score == plan_for().scores.of_score


@pytest.mark.parametrize(("cls_over", "points"), [
    ({FX + "endplates": "none", FX + "posterior_wall": "intact"}, 2),
    ({}, 4),
    ({FX + "posterior_wall": "major", FX + "morphology": "burst"}, 6),
    ({FX + "endplates": "both"}, 8),
    ({FX + "morphology": "distraction"}, 10),
])
def test_of_score_class_points_are_twice_the_class(cls_over: dict, points: int) -> None:
    assert plan_for(cls_over).scores.of_score == points - 3


def test_of_score_null_when_class_null() -> None:
    plan = plan_for({FX + "endplates": None})
    assert plan.scores.of_class is None and plan.scores.of_score is None


def test_of_score_all_terms_unrecorded_is_class_points() -> None:
    over = {"bone_health.t_score": None, FX + "initial_height_loss_pct": None, "symptoms.pain_nrs": None,
            "symptoms.mobilisation": None, "patient.asa_class": None, "patient.frailty_mfi5": None,
            "history.anticoagulant": None}
    assert plan_for(over).scores.of_score == 4


def test_of_score_anticoagulant_is_named_in_because() -> None:
    plan = plan_for({"history.anticoagulant": True, FX + "endplates": "both", "symptoms.pain_nrs": 8,
                     "symptoms.mobilisation": "not_possible"})
    # OF4 8, progression no -1, pain +1, immobile +1, health -1 -> 8: 'either' band
    assert plan.scores.of_score == 8
    fields = {b.field for i in plan.items for b in i.because}
    assert "history.anticoagulant" in fields


@pytest.mark.parametrize(("over", "field", "side"), [
    ({"bone_health.t_score": -3.0}, "bone_health.t_score", "outside"),
    ({FX + "initial_height_loss_pct": 21.0}, FX + "progression_points", "meeting"),
])
def test_of_score_exact_thresholds_raise_boundary(over: dict, field: str, side: str) -> None:
    plan = plan_for(over)
    assert "threshold_boundary" in codes(plan)
    entries = [b for b in boundary_because(plan) if b.field == field]
    assert entries, boundary_because(plan)
    assert all(f"counted as {side} it" in b.criterion for b in entries)


def test_t_score_exactly_minus_3_gives_no_point_and_a_boundary() -> None:
    plan = plan_for({"bone_health.t_score": -3.0})
    assert plan.scores.of_score == plan_for({"bone_health.t_score": -2.9}).scores.of_score
    assert any(b.field == "bone_health.t_score" and "-3" in b.criterion and "outside it" in b.criterion
               for b in boundary_because(plan))


@pytest.mark.parametrize(("path", "value"), [("symptoms.pain_nrs", 5), ("patient.asa_class", 3),
                                             ("patient.frailty_mfi5", 2)])
def test_integer_score_terms_on_a_threshold_raise_no_boundary(path: str, value: int) -> None:
    assert not [b for b in boundary_because(plan_for({path: value})) if b.field == path]


# ------------------------------------------------------------------------------------------------- TLICS (CLS-3)
@pytest.mark.parametrize(("morphology", "wall", "points"), [
    ("compression", "intact", 1), ("burst", "minor", 2), ("translation_rotation", "intact", 3),
    ("distraction", "intact", 4),
    (None, "intact", 1), (None, "minor", 2), (None, "major", 2),   # derived from the posterior wall
])
def test_tlics_morphology(morphology: str | None, wall: str, points: int) -> None:
    plan = plan_for({FX + "morphology": morphology, FX + "posterior_wall": wall})
    assert plan.scores.tlics == points


@pytest.mark.parametrize(("plc", "points"), [("intact", 0), ("indeterminate", 2), ("injured", 3)])
def test_tlics_plc(plc: str, points: int) -> None:
    assert plan_for({"imaging.plc": plc}).scores.tlics == 1 + points


@pytest.mark.parametrize(("status", "points"), [
    ("intact", 0), ("transient", 0), ("radicular", 2), ("complete_cord", 2), ("incomplete_cord", 3),
    ("cauda_equina", 3),
])
def test_tlics_neuro(status: str, points: int) -> None:
    assert plan_for({"neuro.status": status}).scores.tlics == 1 + points


@pytest.mark.parametrize("over", [
    {"imaging.plc": None}, {"neuro.status": None}, {"neuro.status": "not_examined"},
    {FX + "morphology": None, FX + "posterior_wall": None},
])
def test_tlics_null_unless_all_known(over: dict) -> None:
    assert plan_for(over).scores.tlics is None


# ------------------------------------------------------------------------------------------------ AO neuro (CLS-2)
@pytest.mark.parametrize(("status", "ao"), [
    ("intact", "N0"), ("transient", "N1"), ("radicular", "N2"), ("incomplete_cord", "N3"), ("cauda_equina", "N3"),
    ("complete_cord", "N4"), ("not_examined", "NX"), (None, "NX"),
])
def test_ao_neuro(status: str | None, ao: str) -> None:
    assert plan_for({"neuro.status": status}).scores.ao_neuro == ao
    assert sc.ao_neuro(status) == ao


# ------------------------------------------------------------------------------------------------------- BMI
def test_bmi_derived_from_weight_and_height() -> None:
    assert plan_for().scores.bmi == 21.5
    assert sc.bmi(70, 175) == 22.9
    assert sc.bmi(None, 175) is None and sc.bmi(70, None) is None


def test_recorded_bmi_wins() -> None:
    assert plan_for({"patient.bmi": 22.0}).scores.bmi == 22.0


def test_bmi_null_without_weight_or_height() -> None:
    assert plan_for({"patient.weight_kg": None}).scores.bmi is None


# --------------------------------------------------------------------------------- creatinine clearance (OP-7)
# Cockcroft-Gault with adjusted weight and the lower-of rule: tests/test_engine_drugs.py
def test_crcl_in_plan_men_and_women() -> None:
    over = {"patient.age_years": 80, "patient.weight_kg": 60.0, "labs.creatinine_umol_l": 100.0,
            "patient.height_cm": 165.0}
    assert plan_for({**over, "patient.sex": "male"}).scores.crcl_ml_min == 44.3
    assert plan_for({**over, "patient.sex": "female"}).scores.crcl_ml_min == 37.4


@pytest.mark.parametrize("over", [{"patient.weight_kg": None}, {"labs.creatinine_umol_l": None}])
def test_crcl_null_without_weight_or_creatinine(over: dict) -> None:
    assert plan_for(over).scores.crcl_ml_min is None


def test_measured_crcl_wins_over_cockcroft_gault() -> None:
    assert plan_for({"labs.creatinine_clearance_ml_min": 28.0}).scores.crcl_ml_min == 28.0


def test_lower_crcl_wins_over_egfr_for_bisphosphonates() -> None:
    plan = plan_for({"labs.creatinine_umol_l": 200.0, "labs.egfr": 76.0})   # CG 20.6
    assert {"alendronate", "zoledronic_acid", "risedronate", "ibandronate"} <= {a.agent for a in plan.avoid}


def test_egfr_stands_in_when_crcl_null_and_because_says_so() -> None:
    plan = plan_for({"labs.creatinine_umol_l": None, "labs.egfr": 25.0})
    assert plan.scores.crcl_ml_min is None
    alendronate = next(a for a in plan.avoid if a.agent == "alendronate")
    assert [b.field for b in alendronate.because] == ["labs.egfr"], alendronate.because


def test_checker_records_boundary_once_per_field() -> None:
    chk = sc.Checker(protocol().thresholds)
    assert chk.test("hypercalcaemia", "labs.calcium_mmol_l", 2.6, "hypercalcaemia")[0] is False
    chk.test("hypercalcaemia", "labs.calcium_mmol_l", 2.6, "malignancy_suspected")
    assert len(chk.boundaries) == 1 and chk.boundaries[0].counted is False
    assert chk.boundaries[0].facts == {"hypercalcaemia", "malignancy_suspected"}


def test_checker_states_the_side_positively_and_skips_integer_inputs() -> None:
    chk = sc.Checker(protocol().thresholds)
    hit, why = chk.test("of_pain", "symptoms.pain_nrs", 4)
    assert not hit and why.criterion.startswith("< 5") and "not" not in why.criterion.split("(")[0]
    chk.test("of_pain", "symptoms.pain_nrs", 5)
    assert chk.boundaries == []


def test_make_case_sets_paths() -> None:
    case = make_case({FX + "level": "T7", "patient.sex": "male", "neuro.status": None})
    assert case.index.level == "T7" and case.patient.sex == "male" and case.neuro.status is None
