"""Every decision threshold at, just under and just over its value (case-format.md conventions).

Each row: the input path, values (under, at, over) with whether the rule's effect shows in the
plan, and the observable effect. At the exact value of a measured (continuous) input
`threshold_boundary` must be raised and its `because` must state the side counted; integer scales,
counts and days never raise it (case-format v2: their inclusive rules leave nothing ambiguous).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from engine_helpers import (
    ASSESSED,
    avoided,
    boundary_because,
    codes,
    item_ids,
    plan_for,
    protocol,
)

from vcf_desktop.domain.plan import Plan

FX = "fractures[0]."
Effect = Callable[[Plan], bool]


def has_code(code: str) -> Effect:
    return lambda p: code in codes(p)


def has_item(item: str) -> Effect:
    return lambda p: item in item_ids(p)


def avoids(agent: str) -> Effect:
    return lambda p: agent in avoided(p)


def deferred(plan: Plan) -> bool:
    return plan.osteoporosis.status == "defer"


def days_ago(n: int) -> str:
    return (ASSESSED - timedelta(days=n)).isoformat()


@dataclass
class Row:
    threshold: str
    path: str                       # input path set to the values below
    values: tuple[Any, Any, Any]    # just under, at, just over
    effects: tuple[bool, bool, bool]
    effect: Effect
    base: dict[str, Any] = field(default_factory=dict)
    boundary_field: str | None = None   # field named by threshold_boundary (default: path)

    @property
    def measured(self) -> bool:
        """A continuous measurement (not an integer scale, count, or a date counted in whole days)."""
        return self.threshold not in INTEGER_THRESHOLDS

    @property
    def id(self) -> str:
        return f"{self.threshold}@{self.values[1]}"


INTEGER_THRESHOLDS = {"fail_age", "secondary_cause_age", "nsaid_age", "fail_mfi", "of_mfi", "of_asa", "of_pain",
                      "augmentation_pain", "opioid_pain", "bed_rest_days", "calcitonin_window_days",
                      "conservative_trial_days", "chronic_days"}
#: measured, but no rule of this protocol decides on it (its boundary is reported only when one does)
UNUSED = {"vitamin_d_deficiency"}
TWO_PREDICTORS = has_code("conservative_failure_risk")   # BASE has one predictor: level L2

ROWS = [
    Row("genant_grade_1", FX + "height_loss_pct", (19.9, 20, 20.1), (False, True, True),
        lambda p: p.scores.genant_grade == 1, {FX + "initial_height_loss_pct": None}),
    Row("deformity_height_loss", FX + "height_loss_pct", (19.9, 20, 20.1), (False, True, True),
        has_item("stability.deformity"), {FX + "initial_height_loss_pct": None}),
    Row("deformity_kyphosis", FX + "kyphosis_deg", (14.9, 15, 15.1), (False, True, True),
        has_item("stability.deformity"), {FX + "height_loss_pct": 15.0, FX + "initial_height_loss_pct": 15.0}),
    Row("deformity_scoliosis", "imaging.scoliosis_deg", (9.9, 10, 10.1), (False, True, True),
        has_item("stability.deformity"), {FX + "height_loss_pct": 15.0, FX + "initial_height_loss_pct": 15.0}),
    Row("progression_points", FX + "initial_height_loss_pct", (11.1, 11.0, 10.9), (False, True, True),
        has_code("progression"), boundary_field=FX + "progression_points"),
    Row("of_progression", FX + "initial_height_loss_pct", (21.1, 21.0, 20.9), (False, True, True),
        lambda p: p.scores.of_score == 3, boundary_field=FX + "progression_points"),
    Row("of_t_score", "bone_health.t_score", (-3.1, -3.0, -2.9), (True, False, False),
        lambda p: p.scores.of_score == 2),
    Row("very_high_risk_t_score", "bone_health.t_score", (-3.1, -3.0, -2.9), (True, False, False),
        has_item("osteoporosis.very_high_risk")),
    Row("fail_t_score", "bone_health.t_score", (-2.96, -2.95, -2.94), (True, False, False), TWO_PREDICTORS),
    Row("fail_age", "patient.age_years", (72, 73, 74), (False, False, True), TWO_PREDICTORS),
    Row("secondary_cause_age", "patient.age_years", (49, 50, 51), (True, False, False),
        has_code("secondary_cause_screen")),
    Row("fail_bmi", "patient.bmi", (22.9, 23.0, 23.1), (False, False, True), TWO_PREDICTORS,
        {"patient.weight_kg": None, "patient.height_cm": None}),
    Row("fail_mfi", "patient.frailty_mfi5", (2, 3, 4), (False, True, True), TWO_PREDICTORS),
    Row("of_mfi", "patient.frailty_mfi5", (1, 2, 3), (False, False, True), lambda p: p.scores.of_score == 0),
    Row("of_asa", "patient.asa_class", (2, 3, 4), (False, False, True), lambda p: p.scores.of_score == 0),
    Row("of_pain", "symptoms.pain_nrs", (4, 5, 6), (False, True, True), lambda p: p.scores.of_score == 3),
    Row("augmentation_pain", "symptoms.pain_nrs", (4, 5, 6), (False, True, True), has_item("pain.nerve_block"),
        {FX + "level": "L3"}),
    Row("opioid_pain", "symptoms.pain_nrs", (6, 7, 8), (False, True, True), has_code("opioid_harm")),
    Row("bed_rest_days", "symptoms.bed_rest_days", (2, 3, 4), (False, True, True), has_code("bed_rest")),
    Row("calcitonin_window_days", "injury.onset_date", (days_ago(4), days_ago(5), days_ago(6)),
        (True, True, False), has_item("pain.calcitonin"), boundary_field="injury.days_since_onset"),
    Row("conservative_trial_days", "injury.onset_date", (days_ago(20), days_ago(21), days_ago(22)),
        (False, True, True), has_item("red_flags.recheck"), {"symptoms.pain_trend": "unchanged"},
        boundary_field="injury.days_since_onset"),
    Row("chronic_days", "injury.onset_date", (days_ago(89), days_ago(90), days_ago(91)), (False, False, True),
        has_code("healed_fracture"),
        {"symptoms.pain_nrs": 0, "imaging.modalities": ["radiograph"], FX + "mri_edema": None},
        boundary_field="injury.days_since_onset"),
    Row("hypocalcaemia", "labs.calcium_mmol_l", (2.09, 2.10, 2.11), (True, False, False),
        has_item("osteoporosis.hypocalcaemia")),
    Row("hypercalcaemia", "labs.calcium_mmol_l", (2.59, 2.60, 2.61), (False, False, True),
        has_code("hypercalcaemia")),
    Row("vitamin_d_target", "labs.vitamin_d_ng_ml", (29.9, 30.0, 30.1), (True, False, False),
        has_code("correct_calcium_vitamin_d")),
    Row("vitamin_d_deficiency", "labs.vitamin_d_ng_ml", (19.9, 20.0, 20.1), (True, True, True),
        has_code("correct_calcium_vitamin_d")),
    Row("anaemia_female", "labs.haemoglobin_g_l", (119.0, 120.0, 121.0), (True, False, False),
        has_code("secondary_cause_screen")),
    Row("anaemia_male", "labs.haemoglobin_g_l", (129.0, 130.0, 131.0), (True, False, False),
        has_code("malignancy_suspected"), {"patient.sex": "male", "labs.calcium_mmol_l": 2.75}),
    Row("crcl_alendronate", "labs.creatinine_clearance_ml_min", (34.9, 35.0, 35.1), (True, False, False),
        avoids("alendronate")),
    Row("crcl_zoledronic_acid", "labs.creatinine_clearance_ml_min", (34.9, 35.0, 35.1), (True, False, False),
        avoids("zoledronic_acid")),
    Row("crcl_risedronate", "labs.creatinine_clearance_ml_min", (29.9, 30.0, 30.1), (True, False, False),
        avoids("risedronate")),
    Row("crcl_ibandronate", "labs.creatinine_clearance_ml_min", (29.9, 30.0, 30.1), (True, False, False),
        avoids("ibandronate")),
    Row("crcl_nsaid", "labs.creatinine_clearance_ml_min", (29.9, 30.0, 30.1), (True, False, False),
        avoids("nsaid")),
    Row("kidney_ckd_mbd", "labs.egfr", (29.9, 30.0, 30.1), (True, False, False), deferred),
    Row("kidney_nsaid_caution", "labs.egfr", (59.9, 60.0, 60.1), (True, False, False), has_code("nsaid_risk"),
        {"patient.age_years": 60}),
    Row("z_score_low", "bone_health.z_score", (-2.1, -2.0, -1.9), (True, True, False),
        has_item("osteoporosis.z_score_low"), {"patient.premenopausal": True, "patient.age_years": 40}),
    Row("denosumab_interval_months", "bone_health.last_denosumab_dose_date",
        ("2026-04-25", "2026-04-24", "2026-04-23"), (False, False, True), has_code("denosumab_gap"),
        {"bone_health.therapy": "denosumab", "bone_health.therapy_status": "current"},
        boundary_field="bone_health.last_denosumab_dose_date (months)"),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_threshold_under_at_over(row: Row) -> None:
    for value, expected in zip(row.values, row.effects):
        plan = plan_for({**row.base, row.path: value})
        assert row.effect(plan) is expected, (row.threshold, value, expected)


MEASURED = [r for r in ROWS if r.measured and r.threshold not in UNUSED]
INTEGER = [r for r in ROWS if not r.measured]


@pytest.mark.parametrize("row", MEASURED, ids=[r.id for r in MEASURED])
def test_exact_threshold_raises_boundary_stating_the_side(row: Row) -> None:
    th = getattr(protocol().thresholds, row.threshold)
    assert th.boundary, f"{row.threshold} should raise threshold_boundary on its exact value"
    plan = plan_for({**row.base, row.path: row.values[1]})
    assert "threshold_boundary" in codes(plan)
    wanted = row.boundary_field or row.path
    entries = [b for b in boundary_because(plan) if b.field == wanted and th.rule in b.criterion]
    assert entries, (wanted, th.rule, [(b.field, b.criterion) for b in boundary_because(plan)])
    side = "counted as meeting it" if th.holds(th.value) else "counted as outside it"
    assert all(side in b.criterion for b in entries)


@pytest.mark.parametrize("row", INTEGER, ids=[r.id for r in INTEGER])
def test_integer_inputs_on_a_threshold_raise_no_boundary(row: Row) -> None:
    """Pain NRS 7 on a '>= 7' rule, age 73 on '> 73', day 21 on '>= 21 days': exact, never borderline."""
    plan = plan_for({**row.base, row.path: row.values[1]})
    assert "threshold_boundary" not in codes(plan), boundary_because(plan)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_near_threshold_values_raise_no_boundary_for_that_rule(row: Row) -> None:
    th = getattr(protocol().thresholds, row.threshold)
    for value in (row.values[0], row.values[2]):
        plan = plan_for({**row.base, row.path: value})
        assert not [b for b in boundary_because(plan) if th.rule in b.criterion], (row.threshold, value)


def test_every_boundary_threshold_is_exercised() -> None:
    wanted = {name for name, th in protocol().thresholds if th.boundary}
    assert wanted <= {r.threshold for r in ROWS} | {"genant_grade_2", "genant_grade_3"}


@pytest.mark.parametrize(("over", "flagged"), [
    ({}, True),                                                          # acute: the failure predictors are used
    ({FX + "mri_edema": False}, False),                                  # healed: they are not (ACR-11)
])
def test_boundary_only_for_rules_evaluated_for_this_patient(over: dict, flagged: bool) -> None:
    plan = plan_for({**over, "patient.bmi": 23.0, "patient.weight_kg": None, "patient.height_cm": None})
    assert any(b.field == "patient.bmi" for b in boundary_because(plan)) is flagged


def test_boundary_never_reaches_patient_text() -> None:
    plan = plan_for({"bone_health.t_score": -3.0})
    assert "threshold_boundary" in codes(plan)
    assert next(p for p in plan.pitfalls if p.code == "threshold_boundary").patient_text is None


def test_base_case_raises_no_boundary() -> None:
    assert "threshold_boundary" not in codes(plan_for())


# ---------------------------------------------------------------------------------------------- dates
def test_denosumab_exactly_seven_months_is_on_schedule() -> None:
    over = {"bone_health.therapy": "denosumab", "bone_health.therapy_status": "current",
            "bone_health.last_denosumab_dose_date": "2026-04-24"}
    plan = plan_for(over)
    assert "denosumab_gap" not in codes(plan)
    assert "osteoporosis.denosumab_continue" in item_ids(plan)
    assert "denosumab" in plan.osteoporosis.recommended


@pytest.mark.parametrize(("last", "assessed", "gap"), [
    ("2026-01-31", "2026-08-31", False),   # month ends: exactly 7 calendar months
    ("2026-01-31", "2026-09-01", True),
    ("2025-12-24", "2026-07-24", False),   # across a year end
    ("2025-12-24", "2026-07-25", True),
])
def test_denosumab_calendar_months(last: str, assessed: str, gap: bool) -> None:
    over = {"assessment_date": assessed, "injury.onset_date": "2026-01-01", "bone_health.therapy": "denosumab",
            "bone_health.therapy_status": "current", "bone_health.last_denosumab_dose_date": last}
    assert ("denosumab_gap" in codes(plan_for(over))) is gap


@pytest.mark.parametrize(("days", "contradiction"), [(10, False), (11, False), (9, False), (12, True), (8, True)])
def test_onset_date_vs_days_since_onset(days: int, contradiction: bool) -> None:
    plan = plan_for({"injury.days_since_onset": days})      # BASE onset date: 10 days ago
    assert ("contradictory_inputs" in codes(plan)) is contradiction
    if contradiction:
        fields = {b.field for b in next(p for p in plan.pitfalls if p.code == "contradictory_inputs").because}
        assert {"injury.onset_date", "injury.days_since_onset"} <= fields


def test_onset_date_wins_over_days_since_onset() -> None:
    # onset 10 days ago but days_since_onset says 3: the calcitonin window (<= 5 days) must not open
    assert "pain.calcitonin" not in item_ids(plan_for({"injury.days_since_onset": 3}))
    assert "pain.calcitonin" in item_ids(plan_for({"injury.onset_date": None, "injury.days_since_onset": 3}))


# ------------------------------------------------------------------------------------------ renal sources
def test_clearance_below_30_defers_even_with_a_higher_egfr() -> None:
    plan = plan_for({"labs.egfr": 45.0, "labs.creatinine_clearance_ml_min": 25.0})
    assert plan.osteoporosis.status == "defer" and "osteoporosis.defer_kidney" in item_ids(plan)
    assert {"alendronate", "risedronate", "ibandronate", "zoledronic_acid", "nsaid"} <= avoided(plan)


def test_denosumab_warning_falls_back_to_crcl_without_egfr() -> None:
    plan = plan_for({"labs.egfr": None, "labs.creatinine_clearance_ml_min": 25.0, "bone_health.therapy": "denosumab",
                     "bone_health.therapy_status": "current", "bone_health.last_denosumab_dose_date": "2026-08-01"})
    item = next(i for i in plan.items if i.id == "osteoporosis.denosumab_ckd")
    assert any("creatinine_clearance" in b.field for b in item.because), item.because


def test_no_renal_data_avoids_nothing_and_asks_for_it() -> None:
    plan = plan_for({"labs.egfr": None, "labs.creatinine_umol_l": None})
    assert not {"alendronate", "zoledronic_acid", "nsaid"} & avoided(plan)
    assert "labs.creatinine_umol_l" in {m.field for m in plan.missing}
