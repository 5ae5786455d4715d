"""Kidney function for drug decisions (OP-7, OP-24): Cockcroft-Gault clearance and the safer estimate.

Clearance is the measured value when recorded, else Cockcroft-Gault with adjusted body weight when
the actual weight exceeds the protocol's share of ideal body weight (actual weight otherwise, or when
height is unrecorded). Drug decisions use the lower of clearance and eGFR when both are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vcf_desktop.engine.facts import Why
from vcf_desktop.engine.facts import because as _b

if TYPE_CHECKING:
    from vcf_desktop.domain.case import Case
    from vcf_desktop.engine.protocol_data import ThresholdRule as Threshold

CG_FACTOR = {"male": 1.23, "female": 1.04}  # Cockcroft-Gault in µmol/L (case-format)
IBW_BASE_KG = {"male": 50.0, "female": 45.5}  # ideal body weight (Devine): base + 0.91 kg per cm above 152.4
IBW_KG_PER_CM = 0.91
IBW_FROM_CM = 152.4
ADJUST_SHARE = 0.4  # adjusted weight = IBW + 0.4 × (actual − IBW)
CRCL_PATH = "scores.crcl_ml_min"


@dataclass(frozen=True)
class Kidney:
    """Clearance (with how it was obtained) and the estimate that drug decisions use."""

    crcl: float | None
    crcl_why: Why | None
    path: str | None  # the estimate that decides drug thresholds
    value: float | None
    why: tuple[Why, ...]  # names both estimates when both are recorded, and which decided


def ideal_body_weight(sex: str, height_cm: float) -> float:
    return IBW_BASE_KG[sex] + IBW_KG_PER_CM * (height_cm - IBW_FROM_CM)


def cockcroft_gault(case: Case, obesity: Threshold) -> tuple[float | None, Why | None]:
    """Cockcroft-Gault clearance and the `Why` naming the weight used; (None, None) without weight or creatinine."""
    p, creatinine = case.patient, case.labs.creatinine_umol_l
    if p.weight_kg is None or creatinine is None:
        return None, None
    weight, how = p.weight_kg, f"actual body weight {p.weight_kg:g} kg"
    if p.height_cm is None:
        how += " (height not recorded, so adjusted weight could not be checked)"
    else:
        ibw = round(ideal_body_weight(p.sex, p.height_cm), 1)
        if ibw > 0 and obesity.holds(round(p.weight_kg / ibw, 3)):
            weight = round(ibw + ADJUST_SHARE * (p.weight_kg - ibw), 1)
            how = (f"adjusted body weight {weight:g} kg (actual {p.weight_kg:g} kg is {obesity.op} "
                   f"{obesity.value:.0%} of ideal body weight {ibw:g} kg)")
        else:
            how += f" (not {obesity.op} {obesity.value:.0%} of ideal body weight {ibw:g} kg)"
    crcl = round(max(140 - p.age_years, 0) * weight * CG_FACTOR[p.sex] / creatinine, 1)
    return crcl, _b(CRCL_PATH, crcl, f"Cockcroft-Gault with {how}, creatinine {creatinine:g} µmol/L")


def kidney_function(case: Case, obesity: Threshold) -> Kidney:
    """Clearance and the lower (safer) of clearance and eGFR for drug thresholds (OP-24)."""
    measured = case.labs.creatinine_clearance_ml_min
    if measured is not None:
        crcl, crcl_why = measured, _b("labs.creatinine_clearance_ml_min", measured, "measured creatinine clearance")
    else:
        crcl, crcl_why = cockcroft_gault(case, obesity)
    crcl_path = crcl_why.field if crcl_why else None
    egfr = case.labs.egfr
    if crcl is None and egfr is None:
        return Kidney(None, None, None, None, ())
    if crcl is None:
        return Kidney(None, None, "labs.egfr", egfr, ())
    assert crcl_why is not None
    if egfr is None:
        return Kidney(crcl, crcl_why, crcl_path, crcl, (crcl_why,))
    both = f"the lower of creatinine clearance {crcl:g} mL/min and eGFR {egfr:g} mL/min/1.73 m² decides (OP-24)"
    egfr_why = _b("labs.egfr", egfr, f"eGFR as reported; {both}")
    crcl_both = crcl_why._replace(criterion=f"{crcl_why.criterion}; {both}")
    if egfr < crcl:
        return Kidney(crcl, crcl_why, "labs.egfr", egfr, (egfr_why, crcl_both))
    return Kidney(crcl, crcl_why, crcl_path, crcl, (crcl_both, egfr_why))
