"""A small case builder for the engine tests: a complete, typical case with dotted-path overrides.

`make_case({"fractures[0].height_loss_pct": 20, "neuro.status": None})` starts from `BASE` (an
osteoporotic L2 OF2 wedge in a 68-year-old woman whose every value stays clear of a threshold) and
sets each path; `None` means "not recorded". `plan_for(case)` evaluates it with a fixed clock.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Because, Plan
from vcf_desktop.engine import LoadedProtocol, evaluate, load_protocol

ASSESSED = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

BASE: dict[str, Any] = {
    "format": "vcf-case",
    "format_version": 1,
    "case_id": "engine-test",
    "assessment_date": ASSESSED.isoformat(),
    "patient": {"age_years": 68, "sex": "female", "weight_kg": 55.0, "height_cm": 160.0, "premenopausal": False,
                "cognitive_impairment": False, "asa_class": 2, "frailty_mfi5": 1, "high_fall_risk": False},
    "injury": {"mechanism": "low_energy", "onset_date": (ASSESSED - timedelta(days=10)).isoformat()},
    "fractures": [{"level": "L2", "new": True, "height_loss_pct": 31.0, "initial_height_loss_pct": 31.0,
                   "kyphosis_deg": 12.0, "endplates": "one", "posterior_wall": "intact", "morphology": "compression",
                   "retropulsion": False, "canal_compromise_pct": 0.0, "mri_edema": True,
                   "intravertebral_cleft": False}],
    "imaging": {"modalities": ["radiograph", "mri"], "mri_contraindicated": False, "scoliosis_deg": 3.0,
                "plc": "intact", "dynamic_instability": False, "malignancy_features": False,
                "infection_features": False},
    "symptoms": {"pain_nrs": 4, "pain_trend": "improving", "night_or_rest_pain": False, "analgesia": "non_opioid",
                 "hospitalised_for_pain": False, "mobilisation": "with_aid", "bed_rest_days": 1, "delirium": False},
    "neuro": {"status": "intact", "sphincter_dysfunction": False, "saddle_anaesthesia": False, "progressive": False},
    "history": {"cancer": False, "unexplained_weight_loss": False, "fever": False, "iv_drug_use": False,
                "immunosuppressed": False, "anticoagulant": False, "antiplatelet": False,
                "uncorrected_coagulopathy": False, "cement_allergy": False, "pregnant": False,
                "pulmonary_dysfunction": False, "mi_or_stroke": "never", "upper_gi_contraindication": False,
                "glucocorticoids": False, "liver_disease": False},
    "bone_health": {"t_score": -2.5, "prior_vertebral_fracture": False, "prior_hip_fracture": False,
                    "prior_other_fragility_fracture": False, "therapy": "none", "calcium_supplement_mg": 0,
                    "vitamin_d_supplement_iu": 0},
    "labs": {"egfr": 76.0, "creatinine_umol_l": 66.0, "calcium_mmol_l": 2.34, "vitamin_d_ng_ml": 36.0,
             "crp_mg_l": 3.0, "haemoglobin_g_l": 131.0},
}

#: An augmentation-referral case: 5 weeks of worsening pain NRS 8 on opioids with MRI edema.
AUGMENTATION = {"injury.onset_date": (ASSESSED - timedelta(days=35)).isoformat(), "symptoms.pain_nrs": 8,
                "symptoms.pain_trend": "worsening", "symptoms.analgesia": "oral_opioid"}

_STEP = re.compile(r"([a-z_0-9]+)(?:\[(\d+)\])?")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set `a.b[0].c` in nested dicts/lists, creating sections as needed."""
    parts = path.split(".")
    node: Any = data
    for i, part in enumerate(parts):
        m = _STEP.fullmatch(part)
        assert m, f"bad path {path!r}"
        key, index = m.group(1), m.group(2)
        last = i == len(parts) - 1
        if index is None:
            if last:
                node[key] = value
            else:
                node = node.setdefault(key, {})
        else:
            seq = node[key]
            if last:
                seq[int(index)] = value
            else:
                node = seq[int(index)]


def case_data(overrides: dict[str, Any] | None = None, **sections: Any) -> dict[str, Any]:
    """BASE with the dotted-path overrides applied (a deep copy)."""
    data = copy.deepcopy(BASE)
    for path, value in {**(overrides or {}), **sections}.items():
        set_path(data, path, value)
    return data


def make_case(overrides: dict[str, Any] | None = None, **sections: Any) -> Case:
    """A validated Case, read as a case file is (JSON): BASE with overrides (`None` = not recorded)."""
    return Case.model_validate_json(json.dumps(case_data(overrides, **sections), default=date.isoformat))


@lru_cache(maxsize=1)
def protocol() -> LoadedProtocol:
    return load_protocol()


def plan_for(case: Case | dict[str, Any] | None = None, **kw: Any) -> Plan:
    """Evaluate a Case, or BASE with the given overrides, with a fixed clock."""
    if not isinstance(case, Case):
        case = make_case(case)
    return evaluate(case, protocol(), today=ASSESSED, now=NOW, **kw)


def codes(plan: Plan) -> set[str]:
    return {p.code for p in plan.pitfalls}


def item_ids(plan: Plan) -> set[str]:
    return {i.id for i in plan.items}


def avoided(plan: Plan) -> set[str]:
    return {a.agent for a in plan.avoid}


def pitfall(plan: Plan, code: str) -> Any:
    found = [p for p in plan.pitfalls if p.code == code]
    assert found, f"pitfall {code} not raised; raised: {sorted(codes(plan))}"
    return found[0]


def boundary_because(plan: Plan) -> list[Because]:
    """The `because` entries of the threshold_boundary pitfall ([] when it is not raised)."""
    return [b for p in plan.pitfalls if p.code == "threshold_boundary" for b in p.because]


def because_fields(entries: list[Because]) -> set[str]:
    return {b.field for b in entries}


NSAID_TERMS = re.compile(r"\bNSAIDs?\b|ibuprofen|naproxen|diclofenac|anti-inflammatory", re.I)
OFFERS = re.compile(r"may be added|if an NSAID is used|any NSAID only|shortest course|lowest dose|ask first|"
                    r"ask your doctor", re.I)
NEGATION = re.compile(r"\b(no|not|avoid|avoided)\b", re.I)


def texts(plan: Plan) -> list[str]:
    """Every clinician and patient text of a plan."""
    out = [t for i in plan.items for t in (i.text, i.patient_text)]
    out += [t for p in plan.pitfalls for t in (p.text, p.patient_text) if t]     # clinician-only: no patient text
    out += [t for f in plan.follow_up for t in (f.what, f.patient_text) if t]
    return out + plan.osteoporosis.prerequisites + [a.reason for a in plan.avoid]


def offered_nsaid(plan: Plan) -> list[str]:
    """Texts that mention an NSAID without ruling it out."""
    return [t for t in texts(plan) if NSAID_TERMS.search(t) and (OFFERS.search(t) or not NEGATION.search(t))]
