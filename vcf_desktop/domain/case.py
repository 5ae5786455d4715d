"""The case file (`"format": "vcf-case"`, version 2; version 1 files read unchanged): one patient's findings.

Every finding is optional: `None` means *not recorded*, never normal. Ranges, units and labels are
written once here; the wizard, the schema and the error messages all read them from the fields.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from vcf_desktop.domain import vocab as v

EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)
_INVISIBLE = {"Cc": "a control character", "Cf": "a format character", "Cs": "a surrogate",
              "Co": "a private-use character", "Cn": "an unassigned character",
              "Zl": "a line separator", "Zp": "a paragraph separator"}
_BIDI = {"\u200e", "\u200f", "\u061c", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
T = TypeVar("T")


def _in_date_range(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError(
            "outside_case_dates", "must be between {lo} and {hi}",
            {"lo": EARLIEST_DATE.isoformat(), "hi": LATEST_DATE.isoformat()})
    return value


def _visible_text(value: str) -> str:
    """Text that is printed on a plan: visible characters and spaces only (no line breaks, escape codes,
    zero-width or bidirectional-override characters that could forge or reorder what is printed)."""
    for ch in value:
        kind = "a bidirectional-override character" if ch in _BIDI else _INVISIBLE.get(unicodedata.category(ch))
        if kind:
            raise PydanticCustomError(
                "invisible_character", "contains {kind} (U+{code}); only visible characters and spaces are allowed",
                {"kind": kind, "code": f"{ord(ch):04X}"})
    return value


def _unique(items: list[T]) -> list[T]:
    for i, item in enumerate(items):
        if item in items[:i]:
            raise PydanticCustomError("duplicate_entry", "{item} is listed more than once; list each only once",
                                      {"item": repr(item).replace("'", '"')})
    return items


CaseDate = Annotated[date, AfterValidator(_in_date_range)]
VisibleText = Annotated[str, AfterValidator(_visible_text)]


def _f(title: str, description: str = "", unit: str | None = None, *, bulk_no: bool = True, **constraints: Any) -> Any:
    """A not-recorded-by-default field with its label, help text, unit and range. `bulk_no=False`: a "no" here
    states a finding of its own (e.g. an old fracture), so the wizard never answers it in bulk."""
    extra: dict[str, Any] = {"unit": unit} if unit else {}
    if not bulk_no:
        extra["bulk_no"] = False
    return Field(default=None, title=title, description=description, json_schema_extra=extra or None, **constraints)


class Section(BaseModel):
    """Base of every part of the case: unknown keys, strings for numbers and NaN are rejected."""

    # defer_build: a model's validator is made on its first use, not at import (a nested part never needs its own)
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, validate_assignment=True,
                              defer_build=True)


class Patient(Section):
    age_years: int = Field(title="Age", description="Age in whole years", ge=0, le=120,
                           json_schema_extra={"unit": "years"})
    sex: v.Sex = Field(title="Sex")
    weight_kg: float | None = _f("Weight", "Actual body weight", "kg", ge=20, le=300)
    height_cm: float | None = _f("Height", "", "cm", ge=100, le=230)
    bmi: float | None = _f("BMI", "Derived from weight and height when not recorded", "kg/m²", ge=10, le=80)
    premenopausal: bool | None = _f("Premenopausal", "Women only", bulk_no=False)  # "no": postmenopausal
    lactating: bool | None = _f("Breastfeeding", "Now or within the last 6 months; women only",
                                bulk_no=False)  # "no" clears drugs unsafe in breastfeeding
    cognitive_impairment: bool | None = _f(
        "Cognitive impairment", "Affects pain scoring, delirium risk and oral bisphosphonate dosing")
    asa_class: int | None = _f("ASA class", "American Society of Anesthesiologists physical status", ge=1, le=5)
    frailty_mfi5: int | None = _f("Frailty (mFI-5)", "Modified 5-item frailty index", "points", ge=0, le=5)
    high_fall_risk: bool | None = _f("High fall risk")


class Injury(Section):
    mechanism: v.Mechanism | None = _f(
        "Mechanism", "Low energy = fall from standing height or less, lifting, coughing")
    onset_date: CaseDate | None = _f("Onset date", "Start of symptoms or injury")
    days_since_onset: int | None = _f(
        "Days since onset", "Used when the onset date is not recorded", "days", ge=0, le=36500)


class Fracture(Section):
    level: v.Level = Field(title="Level", description="Vertebral level, T1 to L5")
    new: bool | None = _f("New fracture", "New in this episode (not old or known)", bulk_no=False)
    height_loss_pct: float | None = _f(
        "Height loss", "Worst loss of vertebral height now (upright film where available)", "%", ge=0, le=100)
    initial_height_loss_pct: float | None = _f(
        "Initial height loss", "On the first imaging of this episode", "%", ge=0, le=100)
    kyphosis_deg: float | None = _f("Local kyphosis", "Segmental Cobb angle", "°", ge=0, le=90)
    endplates: v.Endplates | None = _f("Endplates deformed", "none = edema only")
    posterior_wall: v.PosteriorWall | None = _f(
        "Posterior wall", "minor = less than 1/5 of the wall, major = more than 1/5")
    morphology: v.Morphology | None = _f("Morphology", "TLICS morphology")
    retropulsion: bool | None = _f("Retropulsion", "Fragment displaced into the canal")
    canal_compromise_pct: float | None = _f("Canal compromise", "", "%", ge=0, le=100)
    mri_edema: bool | None = _f("MRI edema", "STIR / fluid-sensitive edema; not recorded when no MRI")
    intravertebral_cleft: bool | None = _f("Intravertebral cleft", "Fluid or gas cleft")
    augmented: bool | None = _f("Augmented before", "This level was treated by vertebroplasty or kyphoplasty before")


class Imaging(Section):
    modalities: Annotated[list[v.Modality], AfterValidator(_unique)] | None = _f("Imaging done", "What has been done")
    mri_contraindicated: bool | None = _f("MRI contraindicated")
    scoliosis_deg: float | None = _f("Scoliosis", "Coronal Cobb angle", "°", ge=0, le=90)
    plc: v.PLC | None = _f("Posterior ligamentous complex")
    dynamic_instability: bool | None = _f(
        "Dynamic instability", "Marked change between standing and supine films")
    malignancy_features: bool | None = _f(
        "Malignancy features",
        "Convex posterior cortex, pedicle involvement, epidural or paraspinal mass, diffuse marrow replacement")
    infection_features: bool | None = _f(
        "Infection features", "Disc involvement, endplate erosion, paraspinal collection")


class Symptoms(Section):
    pain_nrs: int | None = _f("Pain (NRS)", "On the current analgesia", "0–10", ge=0, le=10)
    pain_trend: v.PainTrend | None = _f("Pain trend")
    night_or_rest_pain: bool | None = _f("Night or rest pain")
    analgesia: v.Analgesia | None = _f("Strongest analgesia in use")
    hospitalised_for_pain: bool | None = _f("Hospitalised for pain")
    mobilisation: v.Mobilisation | None = _f("Mobilisation", "Under analgesia, after a supported attempt")
    bed_rest_days: int | None = _f("Bed rest", "Days mostly in bed", "days", ge=0, le=3650)
    delirium: bool | None = _f("Delirium")


class Neuro(Section):
    status: v.NeuroStatus | None = _f("Neurological status", "AO Spine N0–N4, NX")
    sphincter_dysfunction: bool | None = _f("Sphincter dysfunction", "Urinary retention, incontinence")
    saddle_anaesthesia: bool | None = _f("Saddle anaesthesia")
    progressive: bool | None = _f("Progressive deficit", "Deficit getting worse")


class History(Section):
    cancer: bool | None = _f("Cancer history", "Any history of malignancy")
    unexplained_weight_loss: bool | None = _f("Unexplained weight loss")
    fever: bool | None = _f("Fever")
    iv_drug_use: bool | None = _f("IV drug use")
    immunosuppressed: bool | None = _f("Immunosuppressed")
    anticoagulant: bool | None = _f("Anticoagulant", "Therapeutic anticoagulation (warfarin, DOAC, heparin)")
    antiplatelet: bool | None = _f("Antiplatelet")
    uncorrected_coagulopathy: bool | None = _f("Uncorrected coagulopathy")
    cement_allergy: bool | None = _f("Cement allergy", "PMMA or cement components")
    pregnant: bool | None = _f("Pregnant", bulk_no=False)  # "no" clears drugs unsafe in pregnancy
    pregnancy_weeks: int | None = _f("Weeks of pregnancy", "Gestational age; only when pregnant", "weeks",
                                     ge=0, le=42)
    pulmonary_dysfunction: bool | None = _f(
        "Pulmonary dysfunction", "e.g. COPD, restrictive disease worsened by kyphosis")
    mi_or_stroke: v.MiOrStroke | None = _f("Myocardial infarction or stroke", "For romosozumab")
    upper_gi_contraindication: bool | None = _f(
        "Upper GI contraindication", "Oesophageal disease, gastric bypass, cannot stay upright 30 min")
    glucocorticoids: bool | None = _f(
        "Glucocorticoids", "More than 3 months of ≥ 2.5 mg/day prednisolone-equivalent")
    glucocorticoid_mg_day: float | None = _f(
        "Glucocorticoid dose", "Current prednisolone-equivalent dose; ≥ 7.5 is the high-dose band", "mg/day",
        ge=0, le=200)
    liver_disease: bool | None = _f("Liver disease", "Cirrhosis or chronic liver disease")


class PriorTherapy(Section):
    """An osteoporosis drug taken before the current or most recent one."""

    agent: v.PriorAgent = Field(title="Drug", description="Osteoporosis drug taken before")
    months: int | None = _f("Duration", "Whole course", "months", ge=0, le=1200)
    ended: CaseDate | None = _f("Ended", "Date of the last dose or the end of the course")


class BoneHealth(Section):
    t_score: float | None = _f("Lowest T-score", "Lowest DXA T-score", "SD", ge=-7, le=4)
    z_score: float | None = _f(
        "Lowest Z-score", "Used instead of the T-score for premenopausal women and men under 50", "SD",
        ge=-7, le=4)
    prior_vertebral_fracture: bool | None = _f("Prior vertebral fracture", "Before this episode")
    prior_hip_fracture: bool | None = _f("Prior hip fracture")
    prior_other_fragility_fracture: bool | None = _f("Prior other fragility fracture")
    therapy: v.Therapy | None = _f("Osteoporosis drug", "Current or most recent")
    therapy_status: v.TherapyStatus | None = _f("Therapy status")
    therapy_months: int | None = _f("Therapy duration", "Duration so far", "months", ge=0, le=1200)
    prior_therapies: list[PriorTherapy] | None = _f(
        "Earlier osteoporosis drugs", "Taken before the current or most recent drug, oldest first", max_length=20)
    last_denosumab_dose_date: CaseDate | None = _f("Last denosumab dose")
    calcium_supplement_mg: int | None = _f("Calcium supplement", "Per day", "mg/day", ge=0, le=10000)
    vitamin_d_supplement_iu: int | None = _f("Vitamin D supplement", "Per day", "IU/day", ge=0, le=100000)


class Labs(Section):
    egfr: float | None = _f("eGFR", "", "mL/min/1.73 m²", ge=0, le=200)
    creatinine_umol_l: float | None = _f("Creatinine", "With age, weight and sex gives Cockcroft-Gault clearance",
                                         "µmol/L", ge=10, le=2000)
    creatinine_clearance_ml_min: float | None = _f(
        "Creatinine clearance", "When measured or calculated elsewhere", "mL/min", ge=0, le=250)
    calcium_mmol_l: float | None = _f("Calcium (albumin-corrected)", "", "mmol/L", ge=1.0, le=4.5)
    vitamin_d_ng_ml: float | None = _f("25(OH) vitamin D", "1 ng/mL = 2.5 nmol/L", "ng/mL", ge=0, le=200)
    crp_mg_l: float | None = _f("CRP", "", "mg/L", ge=0, le=500)
    haemoglobin_g_l: float | None = _f("Haemoglobin", "", "g/L", ge=30, le=250)


class PlanRecordProtocol(Section):
    id: VisibleText = Field(max_length=200)
    version: VisibleText = Field(max_length=64)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class PlanRecord(Section):
    """What the last plan said when the case was saved with a plan made; never read by the engine."""

    protocol: PlanRecordProtocol
    generated_at: datetime
    stability: v.Stability
    pathway: v.Pathway
    osteoporosis_status: v.OsteoporosisStatus
    recommended: Annotated[list[v.Agent], AfterValidator(_unique)] = Field(default_factory=list, max_length=20)
    avoid: Annotated[list[v.Agent], AfterValidator(_unique)] = Field(default_factory=list, max_length=20)
    pitfalls: Annotated[list[v.PitfallCode], AfterValidator(_unique)] = Field(default_factory=list, max_length=50)


def _bound(model: type[BaseModel], name: str, which: str) -> Any:
    """A field's declared ge/le (so that cross-field checks never restate a range)."""
    return next(getattr(m, which) for m in model.model_fields[name].metadata if getattr(m, which, None) is not None)


class Case(Section):
    """One patient's findings for a vertebral compression fracture."""

    format: Literal["vcf-case"] = Field(title="Format")
    format_version: Literal[1, 2] = Field(title="Format version", description="2 is written; 1 is read")
    case_id: VisibleText | None = _f("Case id", "Pseudonymous identifier printed on the plan", max_length=64)
    assessment_date: CaseDate | None = _f("Assessment date", "The day the plan is for (default: today)")
    patient: Patient
    injury: Injury = Field(default_factory=Injury)
    fractures: list[Fracture] = Field(
        title="Fractures", description="Every fracture seen; the first is the index fracture",
        min_length=1, max_length=17)
    imaging: Imaging = Field(default_factory=Imaging)
    symptoms: Symptoms = Field(default_factory=Symptoms)
    neuro: Neuro = Field(default_factory=Neuro)
    history: History = Field(default_factory=History)
    bone_health: BoneHealth = Field(default_factory=BoneHealth)
    labs: Labs = Field(default_factory=Labs)
    plan_record: PlanRecord | None = _f(
        "Plan record", "What the last plan said when the case was saved; written by the program")

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        levels = [f.level for f in self.fractures]
        for i, level in enumerate(levels):
            if level in levels[:i]:
                raise PydanticCustomError(
                    "duplicate_level", "fractures[{i}].level: {level} is listed twice (first at fractures[{j}])",
                    {"i": i, "level": level, "j": levels.index(level)})
        if self.history.pregnancy_weeks is not None and self.history.pregnant is not True:
            raise PydanticCustomError(
                "weeks_without_pregnancy",
                "history.pregnancy_weeks: {w} is recorded but history.pregnant is not true; record pregnant "
                "as true, or remove the weeks", {"w": self.history.pregnancy_weeks})
        if self.assessment_date is not None:
            for path, when in (("injury.onset_date", self.injury.onset_date),
                               ("bone_health.last_denosumab_dose_date", self.bone_health.last_denosumab_dose_date)):
                if when is not None and when > self.assessment_date:
                    raise PydanticCustomError(
                        "date_after_assessment", "{path}: {when} is after assessment_date {a}",
                        {"path": path, "when": when.isoformat(), "a": self.assessment_date.isoformat()})
            onset, most = self.injury.onset_date, _bound(Injury, "days_since_onset", "le")
            if onset is not None and (self.assessment_date - onset).days > most:
                raise PydanticCustomError(
                    "onset_too_early",
                    "injury.onset_date: {when} is {days} days before assessment_date {a}; allowed: at most {most} "
                    "days (the range of injury.days_since_onset)",
                    {"when": onset.isoformat(), "days": (self.assessment_date - onset).days,
                     "a": self.assessment_date.isoformat(), "most": most})
        return self

    @property
    def index(self) -> Fracture:
        """The index fracture this plan is about."""
        return self.fractures[0]

    def to_json(self) -> str:
        """The case-file JSON (always written as version 2), not-recorded findings left out."""
        return self.model_copy(update={"format_version": v.CASE_FORMAT_VERSION}).model_dump_json(
            indent=2, exclude_none=True)
