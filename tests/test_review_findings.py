"""Regressions for the clinical review of the worked examples: each test pins one sentence that was
untrue, irrelevant or repeated for that patient."""

from __future__ import annotations

from test_report_support import protocol, real_plan

from vcf_desktop.report.summary import handout, summarise
from vcf_desktop.report.text import render_text


def _missing(name: str) -> dict[str, str]:
    plan, _ = real_plan(name)
    return {m.field: m.impact for m in plan.missing}


def test_pregnancy_does_not_ask_for_a_t_score_for_anabolic_options() -> None:
    """Pregnant at 31 weeks: every osteoporosis drug is avoided and a premenopausal woman is judged by
    her Z-score, so a missing T-score ("very high risk: anabolic options") cannot change the plan (SP-3, SP-5)."""
    assert "bone_health.t_score" not in _missing("pregnant-31-weeks-t12")


def test_missing_t_score_never_says_treatment_goes_ahead_when_it_is_deferred() -> None:
    """Cauda equina and red-flag work-ups defer osteoporosis drugs: the missing T-score must not claim
    that "treatment does not wait for it"."""
    for name in ("l2-fracture-cauda-equina", "suspected-metastatic-t9", "pyogenic-spondylodiscitis-l4"):
        impact = _missing(name).get("bone_health.t_score", "")
        assert "does not wait" not in impact, name


def test_healed_fracture_handout_says_no_treatment_needed_once() -> None:
    """An old healed fracture: the stability and pathway sentences said the same thing twice
    ("It needs no treatment itself") next to the bone-medicine sentence."""
    for name in ("incidental-old-t8-pain-free", "chronic-healed-t12-no-edema"):
        plan, case = real_plan(name)
        happened = " ".join(handout(plan, case, protocol()).happened)
        assert happened.count("needs no treatment") <= 1, name
        assert happened.count("healed") <= 1, name


def test_pregnancy_avoid_reason_fits_every_drug() -> None:
    """Pregnancy avoids every osteoporosis drug (SP-2); the reason shown beside teriparatide or
    calcitonin must not be about denosumab and bisphosphonates."""
    plan, _ = real_plan("pregnant-31-weeks-t12")
    reasons = [a.reason for a in plan.avoid if a.agent in ("teriparatide", "calcitonin")]
    assert reasons and all("pregnancy" in r for r in reasons)
    assert not any("denosumab" in r or "bisphosphonate" in r for r in reasons)


def test_high_energy_handout_names_the_spine_surgeon_once() -> None:
    """High-energy L2 burst: "a spine surgeon will decide" and "a spine surgeon will advise" said the
    same thing twice in "What has happened"."""
    plan, case = real_plan("high-energy-l2-burst-age-25")
    happened = " ".join(handout(plan, case, protocol()).happened)
    assert happened.count("spine surgeon") == 1


def test_handout_names_every_new_fracture() -> None:
    """Two new fractures (L1 and T11; L3 and L1): the handout named only the index level, so the
    patient was told of one broken bone. Old fractures are not listed as new breaks."""
    for name, levels in (("man-70-teriparatide-after-denosumab", ("L1", "T11")),
                         ("denosumab-stopped-10-months", ("L3", "L1"))):
        plan, case = real_plan(name)
        first = handout(plan, case, protocol()).happened[0]
        assert all(level in first for level in levels), first
    plan, case = real_plan("recent-mi-very-high-risk")
    first = handout(plan, case, protocol()).happened[0]
    assert first == "You have a broken bone in your back (the T7 vertebra)."


def test_pregnancy_has_no_item_favouring_augmentation() -> None:
    """Pregnancy is an absolute contraindication to augmentation (SP-2, ACR-3): the deformity item
    ("favours augmentation if pain persists") contradicted "Augmentation contraindicated in pregnancy"."""
    plan, _ = real_plan("pregnant-31-weeks-t12")
    assert not [i.id for i in plan.items if "favours augmentation" in i.text]
    typical, _ = real_plan("typical-l2-wedge")
    assert "stability.deformity" in [i.id for i in typical.items]


def test_low_vitamin_d_warning_speaks_of_an_overdue_denosumab_dose_only_in_a_denosumab_gap() -> None:
    """CrCl 25 with low vitamin D and no osteoporosis drug ever: the warning said "an overdue denosumab
    dose waits only for …", which is about someone else (OP-18 applies to a denosumab gap)."""
    plan, _ = real_plan("crcl-25-low-vitamin-d")
    (warning,) = [p for p in plan.pitfalls if p.code == "correct_calcium_vitamin_d"]
    assert "denosumab dose" not in warning.text
    assert "OP-18" not in warning.citations


def test_headline_names_the_missing_finding_that_leaves_stability_unconfirmed() -> None:
    """Minimal data: the headline said "Stability not confirmed — level: L3"; the level decided nothing,
    the unrecorded neurological examination did."""
    plan, case = real_plan("minimal-data-l3")
    assert summarise(plan, case, protocol()).stability == "Stability not confirmed — neurological status not recorded"
    plan, case = real_plan("osteoporotic-l1-burst-of3")
    assert summarise(plan, case, protocol()).stability == "Potentially unstable — posterior wall (L1): major"


def test_the_patient_handout_says_first_that_a_plan_is_outside_the_validated_scope() -> None:
    """Pregnant at 31 weeks: the clinician copy said "outside the validated scope" but the handout did not
    (the contract: stated at the top of every output, SP-7)."""
    plan, case = real_plan("pregnant-31-weeks-t12")
    text = render_text(plan, case, protocol(), audience="patient")
    assert text.index("not designed for pregnancy") < text.index("COME BACK AT ONCE")
    plan, case = real_plan("typical-l2-wedge")
    assert handout(plan, case, protocol()).scope == []
