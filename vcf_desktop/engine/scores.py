"""Scores of the index fracture, as pure functions of the case and the protocol's thresholds.

Each returns its value (None when it cannot be computed) and the `Why` entries that explain
it. Threshold tests go through `Checker`, which records values lying exactly on a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vcf_desktop.engine.facts import Why
from vcf_desktop.engine.facts import because as _b

if TYPE_CHECKING:
    from vcf_desktop.domain.case import Case, Fracture
    from vcf_desktop.engine.protocol_data import ThresholdRule as Threshold
    from vcf_desktop.engine.protocol_model import ScorePoints, Thresholds

NEURO_DEFICIT = ("radicular", "incomplete_cord", "complete_cord", "cauda_equina")
AO_NEURO = {"intact": "N0", "transient": "N1", "radicular": "N2", "incomplete_cord": "N3",
            "cauda_equina": "N3", "complete_cord": "N4", "not_examined": "NX"}
OF_FIVE = ("distraction", "translation_rotation")


@dataclass
class Boundary:
    """A measured value lying exactly on a threshold, the side it was counted on, and the facts it feeds
    (none: a score term, which every plan reports)."""

    name: str
    field: str
    value: float
    threshold: Threshold
    counted: bool
    facts: set[str] = field(default_factory=set)


@dataclass
class Checker:
    """Tests inputs against named thresholds, recording exact-boundary hits of measured (non-integer) values."""

    thresholds: Thresholds
    boundaries: list[Boundary] = field(default_factory=list)

    def test(self, name: str, path: str, value: float, fact: str | None = None) -> tuple[bool, Why]:
        """Whether `value` meets threshold `name`; the reason states the side it lies on, never a negation.

        Integer inputs (scales, counts, days) are never boundary cases: their inclusive rules are exact."""
        th: Threshold = getattr(self.thresholds, name)
        hit = th.holds(value)
        if th.on_boundary(value) and not isinstance(value, int):
            found = next((b for b in self.boundaries if b.name == name and b.field == path), None)
            if found is None:
                found = Boundary(name, path, value, th, hit)
                self.boundaries.append(found)
            if fact:
                found.facts.add(fact)
        return hit, _b(path, value, th.describe() if hit else th.describe_complement())


Scored = tuple[int | None, list[Why]]


def genant_grade(height_loss_pct: float | None, chk: Checker, path: str = "fractures[0].height_loss_pct") -> Scored:
    """Genant semi-quantitative grade 0–3 from height loss (CLS-1)."""
    if height_loss_pct is None:
        return None, []
    grade, why = 0, []
    for g, name in ((1, "genant_grade_1"), (2, "genant_grade_2"), (3, "genant_grade_3")):
        hit, because = chk.test(name, path, height_loss_pct)
        if hit:
            grade, why = g, [because]
        elif not why:
            why = [because]
        if not hit:
            break
    return grade, why


def of_class(fracture: Fracture, edema: bool | None) -> tuple[str | None, list[Why]]:
    """OF class (CLS-4) from endplates, posterior wall, morphology and MRI edema."""
    f = "fractures[0]."
    if fracture.morphology in OF_FIVE:
        return "OF5", [_b(f + "morphology", fracture.morphology,
                               criterion="distraction or translation/rotation -> OF5")]
    if fracture.endplates == "both":
        return "OF4", [_b(f + "endplates", "both", "both endplates deformed -> OF4")]
    if fracture.endplates == "one" and fracture.posterior_wall is not None:
        wall = _b(f + "posterior_wall", fracture.posterior_wall,
                       criterion="major (> 1/5) -> OF3; intact or minor (< 1/5) -> OF2")
        one = _b(f + "endplates", "one", "one endplate deformed")
        return ("OF3" if fracture.posterior_wall == "major" else "OF2"), [one, wall]
    if fracture.endplates == "none" and edema:
        return "OF1", [_b(f + "endplates", "none", "no deformation"),
                       _b(f + "mri_edema", True, "edema on MRI only -> OF1")]
    return None, []


def of_score(case: Case, cls: str | None, neuro: str | None, progression_points: float | None,
             points: ScorePoints, chk: Checker) -> Scored:
    """OF score (CLS-5); an unrecorded term scores 0; None when the OF class is unknown."""
    if cls is None:
        return None, []
    total = points.of_class[cls]
    why = [_b("scores.of_class", cls, f"{cls} -> {points.of_class[cls]:+d}")]

    def term(path: str, value: object, pts: int, criterion: str) -> None:
        nonlocal total
        total += pts
        why.append(_b(path, value, f"{criterion} -> {pts:+d}"))

    t = case.bone_health.t_score
    if t is not None:
        hit, b = chk.test("of_t_score", "bone_health.t_score", t)
        term(b.field, t, points.of_t_score if hit else 0, b.criterion)
    if progression_points is not None:
        hit, b = chk.test("of_progression", "fractures[0].progression_points", progression_points)
        term(b.field, progression_points, points.of_progression_yes if hit else points.of_progression_no,
             b.criterion)
    nrs = case.symptoms.pain_nrs
    if nrs is not None:
        hit, b = chk.test("of_pain", "symptoms.pain_nrs", nrs)
        term(b.field, nrs, points.of_pain_high if hit else points.of_pain_low, b.criterion)
    if neuro in NEURO_DEFICIT:
        term(*neuro_reason(case, neuro), points.of_neuro_deficit, "neurological deficit N2–N4")
    mob = case.symptoms.mobilisation
    if mob is not None:
        term("symptoms.mobilisation", mob, points.of_immobile if mob == "not_possible" else points.of_mobile,
             "mobilisation impossible" if mob == "not_possible" else "mobilises")
    health = 0
    for name, path, value in (("of_asa", "patient.asa_class", case.patient.asa_class),
                              ("of_mfi", "patient.frailty_mfi5", case.patient.frailty_mfi5)):
        if value is not None:
            hit, b = chk.test(name, path, value)
            if hit:
                health += points.of_health_each
                why.append(b)
    if case.history.anticoagulant:
        health += points.of_health_each
        why.append(_b("history.anticoagulant", True, "anticoagulation"))
    if health:
        health = max(health, points.of_health_floor)
        term("scores.of_health", health, health, f"health status (at most {points.of_health_floor:+d})")
    return total, why


def neuro_reason(case: Case, neuro: str) -> tuple[str, str]:
    """The recorded status, or the AO grade when the status is planned from recorded signs (safer reading)."""
    return ("neuro.status", neuro) if case.neuro.status == neuro else ("scores.ao_neuro", ao_neuro(neuro))


def tlics(morphology: str | None, plc: str | None, neuro: str | None, points: ScorePoints,
          case: Case | None = None) -> Scored:
    """TLICS (CLS-3); None unless morphology, PLC and neuro status are all known."""
    if morphology is None or plc is None or neuro is None or neuro == "not_examined":
        return None, []
    m, p, n = points.tlics_morphology[morphology], points.tlics_plc[plc], points.tlics_neuro[neuro]
    return m + p + n, [
        _b(*_morphology_reason(case, morphology), f"morphology {morphology} {m:+d}"),
        _b("imaging.plc", plc, f"PLC {p:+d}"),
        _b(*(neuro_reason(case, neuro) if case else ("neuro.status", neuro)), f"neurology {n:+d}"),
    ]


def _morphology_reason(case: Case | None, morphology: str) -> tuple[str, object]:
    """The recorded morphology, else the recorded posterior wall it was read from."""
    f = case.index if case else None
    if f is None or f.morphology == morphology:
        return "fractures[0].morphology", morphology
    if f.morphology is not None:
        return "fractures[0].morphology", f.morphology     # a 'compression' with a major wall, read as burst
    return "fractures[0].posterior_wall", f.posterior_wall


def tlics_morphology(fracture: Fracture) -> str | None:
    """Recorded morphology (a 'compression' with major wall involvement read as burst), else derived from
    the posterior wall (intact -> compression, else burst)."""
    if fracture.morphology == "compression" and fracture.posterior_wall == "major":
        return "burst"
    if fracture.morphology is not None:
        return fracture.morphology
    if fracture.posterior_wall is None:
        return None
    return "compression" if fracture.posterior_wall == "intact" else "burst"


def ao_neuro(status: str | None) -> str:
    """AO Spine neurological modifier; unrecorded is NX."""
    return AO_NEURO.get(status or "not_examined", "NX")


def bmi(weight_kg: float | None, height_cm: float | None) -> float | None:
    if weight_kg is None or height_cm is None:
        return None
    return round(weight_kg / (height_cm / 100) ** 2, 1)
