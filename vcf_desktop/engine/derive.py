"""Derive scores, facts and contradictions from a case (the engine's first step)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import TYPE_CHECKING

from vcf_desktop.engine import scores as sc
from vcf_desktop.engine.facts import Contradiction, Derived
from vcf_desktop.engine.facts import Why
from vcf_desktop.engine.facts import because as _b
from vcf_desktop.engine.kidney import Kidney, kidney_function

if TYPE_CHECKING:
    from vcf_desktop.domain.case import Case, Fracture
    from vcf_desktop.engine.protocol import LoadedProtocol

THORACOLUMBAR = ("T11", "T12", "L1", "L2")
UPPER_THORACIC = ("T1", "T2", "T3", "T4", "T5", "T6")
LEVELS = tuple(f"T{i}" for i in range(1, 13)) + tuple(f"L{i}" for i in range(1, 6))
OPIOIDS = ("oral_opioid", "parenteral_opioid")
PTH_ANALOGUES = ("teriparatide", "abaloparatide")
ANABOLICS = PTH_ANALOGUES + ("romosozumab",)
ANTIRESORPTIVES = ("oral_bisphosphonate", "zoledronic_acid", "denosumab")


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def months_between(start: date, end: date) -> float:
    """Completed calendar months from start to end, plus the remainder as a fraction of a month."""
    whole = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, whole) > end:
        whole -= 1
    return whole + (end - add_months(start, whole)).days / 31


class _Deriver:
    """One derivation: reads the case once, writes scores, facts and contradictions."""

    def __init__(self, case: Case, protocol: LoadedProtocol, today: date) -> None:
        self.case = case
        self.p = protocol.data
        self.chk = sc.Checker(protocol.thresholds)
        a = case.assessment_date or today
        self.d = Derived(assessment_date=a, days_since_onset=None)
        self.contradictions = self.d.contradictions

    def contradict(self, a: str, va: object, b: str, vb: object, text: str, safer: str) -> None:
        self.contradictions.append(Contradiction((a, b), (va, vb), text, safer))

    def test(self, name: str, path: str, value: float | None, fact: str | None = None) -> tuple[bool, list[Why]]:
        """A threshold test; `fact` names the fact it feeds (its boundary is reported only if that fact is used)."""
        if value is None:
            return False, []
        hit, because = self.chk.test(name, path, value, fact)
        return hit, [because]

    def fact_test(self, fact: str, threshold: str, path: str, value: float | None) -> bool:
        hit, because = self.test(threshold, path, value, fact)
        self.d.set(fact, hit, *because)
        return hit

    def enum_fact(self, fact: str, path: str, value: object, members: tuple[object, ...], criterion: str) -> bool:
        hit = value in members
        self.d.set(fact, hit, _b(path, value, criterion))
        return hit

    def flag(self, fact: str, path: str, value: bool | None, criterion: str = "recorded yes") -> bool:
        """A fact that is true only when the input is recorded as true."""
        hit = value is True
        self.d.set(fact, hit, _b(path, value, criterion))
        return hit

    # -- effective (safer) readings -------------------------------------------------------------
    def onset(self) -> None:
        inj, a = self.case.injury, self.d.assessment_date
        days = inj.days_since_onset
        if inj.onset_date is not None and inj.onset_date > a:
            self.contradict("injury.onset_date", inj.onset_date.isoformat(), "assessment_date", a.isoformat(),
                            "the onset date is after the assessment date", "the fracture's age is treated as unknown")
            self.d.days_since_onset = None
            return
        if inj.onset_date is not None:
            from_date = (a - inj.onset_date).days
            if days is not None:
                hit, _ = self.test("onset_discrepancy_days", "injury.days_since_onset", abs(from_date - days))
                if hit:
                    self.contradict("injury.onset_date", inj.onset_date.isoformat(), "injury.days_since_onset", days,
                                    f"onset date gives {from_date} days, days_since_onset says {days}",
                                    "the onset date is used")
            days = from_date
        self.d.days_since_onset = days

    def neuro_status(self) -> str | None:
        n = self.case.neuro
        signs = [p for p, v in (("neuro.sphincter_dysfunction", n.sphincter_dysfunction),
                                ("neuro.saddle_anaesthesia", n.saddle_anaesthesia)) if v]
        status = n.status
        if status == "intact":
            for path in signs:
                self.contradict("neuro.status", "intact", path, True, "neurology recorded intact with cauda equina signs",
                                "planned as cauda equina (emergency)")
            if n.progressive:
                self.contradict("neuro.status", "intact", "neuro.progressive", True,
                                "neurology recorded intact with a progressive deficit",
                                "planned as a neurological deficit (emergency)")
        if signs and status in (None, "not_examined", "intact", "transient", "radicular"):
            return "cauda_equina"
        if n.progressive and status in (None, "not_examined", "intact", "transient"):
            return "radicular"  # a progressive deficit is at least N2
        return status

    def retropulsion(self) -> bool | None:
        f = self.case.index
        compromise = f.canal_compromise_pct
        hit, _ = self.test("canal_compromise", "fractures[0].canal_compromise_pct", compromise, "canal_compromise")
        if f.retropulsion is False and hit:
            self.contradict("fractures[0].retropulsion", False, "fractures[0].canal_compromise_pct", compromise,
                            "no retropulsion recorded, but the canal is compromised",
                            "planned as retropulsion (surgical opinion before augmentation)")
            return True
        return f.retropulsion

    def posterior_wall(self, retro: bool | None) -> str | None:
        """The posterior wall as planned: recorded `intact` beside retropulsion or canal compromise is read as
        major involvement (the safer reading, OF3 or worse) and reported as a contradiction."""
        f = self.case.index
        if f.posterior_wall != "intact":
            return f.posterior_wall
        compromise, _ = self.test("canal_compromise", "fractures[0].canal_compromise_pct", f.canal_compromise_pct)
        for path, value, hit in (("fractures[0].retropulsion", f.retropulsion, retro is True and f.retropulsion),
                                 ("fractures[0].canal_compromise_pct", f.canal_compromise_pct, compromise)):
            if hit:
                self.contradict("fractures[0].posterior_wall", "intact", path, value,
                                "an intact posterior wall cannot send a fragment into the canal",
                                "planned as major posterior-wall involvement (OF3 or worse)")
        return "major" if retro or compromise else "intact"

    def edema(self) -> bool | None:
        f, mods = self.case.index, self.case.imaging.modalities
        if f.mri_edema is not None and mods is not None and "mri" not in mods:
            self.contradict("fractures[0].mri_edema", f.mri_edema, "imaging.modalities", ",".join(mods),
                            "MRI edema recorded, but no MRI among the imaging done",
                            "MRI findings treated as unknown")
            return None
        return f.mri_edema

    def other_contradictions(self) -> None:
        c = self.case
        p, f, bh = c.patient, c.index, c.bone_health
        if p.sex == "male":
            for path, value in (("patient.premenopausal", p.premenopausal), ("history.pregnant", c.history.pregnant)):
                if value:
                    self.contradict("patient.sex", "male", path, True, f"{path} recorded for a man",
                                    "both findings kept; please correct")
        computed = sc.bmi(p.weight_kg, p.height_cm)
        if p.bmi is not None and computed is not None:
            hit, _ = self.test("bmi_discrepancy", "patient.bmi", round(abs(p.bmi - computed), 1))
            if hit:
                self.contradict("patient.bmi", p.bmi, "patient.weight_kg", p.weight_kg,
                                f"recorded BMI {p.bmi:g} but weight and height give {computed:g}",
                                "the recorded BMI is used")
        if f.posterior_wall == "major" and f.morphology == "compression":
            self.contradict("fractures[0].posterior_wall", "major", "fractures[0].morphology", "compression",
                            "major posterior-wall involvement is a burst pattern, not a compression",
                            "scored as a burst (TLICS)")
        if f.posterior_wall == "intact" and f.morphology == "burst":
            self.contradict("fractures[0].posterior_wall", "intact", "fractures[0].morphology", "burst",
                            "a burst fracture involves the posterior wall", "planned as posterior-wall involvement")
        if bh.therapy == "none" and bh.therapy_status == "current":
            self.contradict("bone_health.therapy", "none", "bone_health.therapy_status", "current",
                            "no drug recorded, yet therapy is current", "planned as untreated")

    # -- derivation -------------------------------------------------------------------------------
    def run(self) -> Derived:
        c, d, pts = self.case, self.d, self.p.points
        self.onset()
        neuro = self.neuro_status()
        retro = self.retropulsion()
        wall = self.posterior_wall(retro)
        f = c.index if wall == c.index.posterior_wall else c.index.model_copy(update={"posterior_wall": wall})
        edema = self.edema()
        self.other_contradictions()

        # scores
        s = d.scores
        s.genant_grade, genant_why = sc.genant_grade(f.height_loss_pct, self.chk)
        s.of_class, _ = sc.of_class(f, edema)
        progression_points = (None if f.height_loss_pct is None or f.initial_height_loss_pct is None
                              else round(f.height_loss_pct - f.initial_height_loss_pct, 1))
        s.of_score, of_why = sc.of_score(c, s.of_class, neuro, progression_points, pts, self.chk)
        morph = sc.tlics_morphology(f)
        s.tlics, tlics_why = sc.tlics(morph, c.imaging.plc, neuro, pts, c)
        s.ao_neuro = sc.ao_neuro(neuro)
        s.bmi = c.patient.bmi if c.patient.bmi is not None else sc.bmi(c.patient.weight_kg, c.patient.height_cm)
        kidney = kidney_function(c, self.p.thresholds.crcl_adjusted_weight)
        s.crcl_ml_min = kidney.crcl

        self.population(neuro)
        self.red_flags(neuro)
        self.morphology(f, neuro, retro, morph, progression_points, genant_why, of_why, tlics_why)
        self.acuity(edema)
        self.pain()
        self.risks()
        self.bone_health()
        self.treatment_history()
        self.renal_and_labs(kidney)
        d.set("contradiction", bool(self.contradictions), *[
            _b(x.fields[i], x.values[i], f"{x.text} (with {x.fields[1 - i]}); {x.safer}")  # type: ignore[arg-type]
            for x in self.contradictions for i in (0, 1)])
        d.boundaries = self.chk.boundaries
        return d

    def population(self, neuro: str | None) -> None:
        c, d = self.case, self.d
        p = c.patient
        mech = c.injury.mechanism
        d.set("high_energy", mech == "high_energy", _b("injury.mechanism", mech, "high energy -> trauma pathway"))
        d.set("fragility", mech != "high_energy",
              _b("injury.mechanism", mech, "fragility" if mech != "unknown" else "unknown: planned as fragility"))
        d.set("mechanism_unknown", mech in (None, "unknown"), _b("injury.mechanism", mech, "unknown or not recorded"))
        self.enum_fact("male", "patient.sex", p.sex, ("male",), "male")
        self.enum_fact("female", "patient.sex", p.sex, ("female",), "female")
        self.menopause()
        self.flag("lactating", "patient.lactating", p.lactating if p.sex == "female" else None,
                  "breastfeeding now or within 6 months")
        self.fact_test("under_18", "adult_age", "patient.age_years", p.age_years)
        self.fact_test("age_under_50", "secondary_cause_age", "patient.age_years", p.age_years)
        self.fact_test("nsaid_age", "nsaid_age", "patient.age_years", p.age_years)
        women, men = self.test("calcium_women_age", "patient.age_years", p.age_years if p.sex == "female" else None), \
            self.test("calcium_men_age", "patient.age_years", p.age_years if p.sex == "male" else None)
        d.set("calcium_target_1200", women[0] or men[0], *(women[1] + men[1]),
              _b("patient.sex", p.sex, "calcium target by sex and age (OP-22)"))
        d.set("young_adult", d.truth("premenopausal") or (p.sex == "male" and d.truth("age_under_50")),
              *(d.facts["premenopausal"].because if d.truth("premenopausal") else d.facts["age_under_50"].because),
              _b("patient.sex", p.sex, "Z-score population: premenopausal woman or man under 50 (SP-5)"))
        self.flag("cognitive_impairment", "patient.cognitive_impairment", p.cognitive_impairment)
        self.flag("high_fall_risk", "patient.high_fall_risk", p.high_fall_risk)
        self.flag("delirium", "symptoms.delirium", c.symptoms.delirium)
        n = c.neuro
        deficit = [_b("neuro.status", n.status, "neurological deficit (AO N2–N4)")] if n.status in sc.NEURO_DEFICIT else []
        deficit += [_b(path, True, crit) for path, value, crit in (
            ("neuro.sphincter_dysfunction", n.sphincter_dysfunction, "sphincter dysfunction: cauda equina sign"),
            ("neuro.saddle_anaesthesia", n.saddle_anaesthesia, "saddle anaesthesia: cauda equina sign"),
            ("neuro.progressive", n.progressive, "progressive deficit")) if value]
        d.set("neuro_deficit", bool(deficit), *deficit)
        d.set("cauda_equina_signs", neuro == "cauda_equina",
              *[b for b in deficit if b.field != "neuro.progressive"])
        d.set("neuro_transient", neuro == "transient", _b("neuro.status", neuro, "transient deficit (AO N1)"))
        d.set("neuro_ok", neuro in ("intact", "transient"), _b("neuro.status", neuro, "no neurological deficit (AO N0/N1)"))
        d.set("neuro_unexamined", neuro in (None, "not_examined"),
              _b("neuro.status", n.status, "neurological examination recorded as not done (AO NX)"))

    def menopause(self) -> None:
        """Postmenopausal when recorded so, or a woman at the protocol age with the status unrecorded."""
        p, d = self.case.patient, self.d
        female, status = p.sex == "female", p.premenopausal
        d.set("premenopausal", female and status is True, _b("patient.premenopausal", status, "premenopausal woman"))
        old_enough, age_why = self.test("menopause_age", "patient.age_years", p.age_years)
        # `because` names the recorded age and says that the unrecorded status is assumed (v2: no unrecorded field)
        assumed = [_b(w.field, w.value, f"{w.criterion}; menopausal status not recorded: treated as postmenopausal")
                   for w in age_why]
        d.set("menopause_assumed", female and status is None and old_enough, *assumed)
        if female and status is None and old_enough:
            d.set("postmenopausal", True, *assumed)
        else:
            d.set("postmenopausal", female and status is False,
                  _b("patient.premenopausal", status, "postmenopausal woman (recorded)"))
        d.set("menopause_unknown", female and status is None and not old_enough,
              _b("patient.premenopausal", None, "not recorded"), *age_why)

    def red_flags(self, neuro: str | None) -> None:
        c, d = self.case, self.d
        h, labs = c.history, c.labs
        hyper, hyper_why = self.test("hypercalcaemia", "labs.calcium_mmol_l", labs.calcium_mmol_l, "hypercalcaemia")
        anaemia, anaemia_why = self.test("anaemia_male" if c.patient.sex == "male" else "anaemia_female",
                                         "labs.haemoglobin_g_l", labs.haemoglobin_g_l, "anaemia")
        malig = [_b(path, True, crit) for path, value, crit in (
            ("imaging.malignancy_features", c.imaging.malignancy_features, "malignancy features on imaging"),
            ("history.cancer", h.cancer, "history of cancer"),
            ("history.unexplained_weight_loss", h.unexplained_weight_loss, "unexplained weight loss")) if value]
        if hyper and anaemia:
            malig += hyper_why + anaemia_why
        d.set("malignancy_suspected", bool(malig), *malig)
        self.flag("cancer_history", "history.cancer", h.cancer)
        infection = [_b(path, True, crit) for path, value, crit in (
            ("imaging.infection_features", c.imaging.infection_features, "infection features on imaging"),
            ("history.fever", h.fever, "fever")) if value]
        if infection:
            infection += [_b(path, True, "strengthens the suspicion of infection") for path, value in (
                ("history.iv_drug_use", h.iv_drug_use), ("history.immunosuppressed", h.immunosuppressed)) if value]
        d.set("infection_suspected", bool(infection), *infection)
        d.set("hypercalcaemia", hyper, *hyper_why)
        d.set("anaemia", anaemia, *anaemia_why)
        d.set("calcium_unknown", labs.calcium_mmol_l is None, _b("labs.calcium_mmol_l", None, "not recorded"))

    def morphology(self, f: Fracture, neuro: str | None, retro: bool | None, morph: str | None,
                   progression_points: float | None, genant_why: list[Why], of_why: list[Why], tlics_why: list[Why]) -> None:
        """Morphology and stability facts of the index fracture `f` (its posterior wall as planned)."""
        c, d, s = self.case, self.d, self.d.scores
        img = c.imaging
        fx = "fractures[0]."
        d.set("of5_morphology", morph in sc.OF_FIVE, _b(fx + "morphology", f.morphology, "distraction or translation/rotation (OF5)"))
        self.enum_fact("both_endplates", fx + "endplates", f.endplates, ("both",), "both endplates deformed (OF4)")
        self.enum_fact("posterior_wall_major", fx + "posterior_wall", f.posterior_wall, ("major",),
                       "major posterior-wall involvement (> 1/5; OF3 with one endplate)")
        self.enum_fact("posterior_wall_intact", fx + "posterior_wall", f.posterior_wall, ("intact",), "posterior wall intact")
        wall_involved = f.posterior_wall in ("minor", "major") or (f.posterior_wall == "intact" and f.morphology == "burst")
        d.set("posterior_wall_involved", wall_involved,
              _b(fx + "posterior_wall", f.posterior_wall, "posterior wall involved (minor or major, or a burst)"))
        d.set("retropulsion", retro is True, _b(fx + "retropulsion", retro, "fragment displaced into the canal"))
        self.fact_test("canal_compromise", "canal_compromise", fx + "canal_compromise_pct", f.canal_compromise_pct)
        self.enum_fact("plc_injured", "imaging.plc", img.plc, ("injured",), "PLC injured")
        self.enum_fact("plc_indeterminate", "imaging.plc", img.plc, ("indeterminate",), "PLC indeterminate")
        d.set("plc_unrecorded", img.plc is None, _b("imaging.plc", None, "not recorded"))
        self.flag("dynamic_instability", "imaging.dynamic_instability", img.dynamic_instability)
        d.set("wall_unrecorded", f.posterior_wall is None, _b(fx + "posterior_wall", None, "not recorded"))
        d.set("endplates_unrecorded", f.endplates is None, _b(fx + "endplates", None, "not recorded"))
        stable_class = s.of_class in ("OF1", "OF2") or (f.endplates is None and f.posterior_wall in ("intact", "minor"))
        d.set("stable_morphology", stable_class,
              *([_b("scores.of_class", s.of_class, "OF1 or OF2: stable by OF class (the PLC is not an OF1–OF4 criterion)")]
                if s.of_class else [_b(fx + "posterior_wall", f.posterior_wall, "intact or minor, endplates not recorded")]))
        d.set("of_class_unsettled", s.of_class is None and f.endplates == "none",
              _b(fx + "endplates", f.endplates, "no endplate deformation recorded (OF1 needs MRI edema)"))
        d.set("tlics_unknown", s.tlics is None, _b("scores.tlics", None, "not computable"))
        deformity: list[Why] = []
        for name, path, value in (("deformity_kyphosis", fx + "kyphosis_deg", f.kyphosis_deg),
                                  ("deformity_scoliosis", "imaging.scoliosis_deg", img.scoliosis_deg),
                                  ("deformity_height_loss", fx + "height_loss_pct", f.height_loss_pct)):
            hit, why = self.test(name, path, value, "deformity")
            deformity += why if hit else []
        d.set("deformity", bool(deformity), *deformity)
        prog, prog_why = self.test("progression_points", fx + "progression_points", progression_points, "progression")
        if not prog and f.initial_height_loss_pct == 0 and f.endplates in ("one", "both"):
            prog, prog_why = True, [_b(fx + "initial_height_loss_pct", 0, "no deformation at first imaging, "
                                       "endplate deformation now: OF class change")]
        d.set("progression", prog, *prog_why)
        d.set("initial_height_unrecorded", f.initial_height_loss_pct is None,
              _b(fx + "initial_height_loss_pct", None, "not recorded"))
        of_band = self.band("of_score", s.of_score, "of_score_surgical", "of_score_either", of_why)
        tlics_band = self.band("tlics", s.tlics, "tlics_operative", "tlics_either", tlics_why)
        d.set("of_score_conservative", of_band == "conservative",
              *([_b("scores.of_score", s.of_score, "≤ 5: conservative band (CLS-9)")] if of_band else []))
        d.set("of_score_near_band", s.of_score in (5, 6, 7),
              _b("scores.of_score", s.of_score, "within a point of another treatment band (≤ 5 / 6 / > 6)"))
        d.set("framework_disagreement", {of_band, tlics_band} == {"surgical", "conservative"},
              _b("scores.of_score", s.of_score, f"OF score band: {of_band}"),
              _b("scores.tlics", s.tlics, f"TLICS band: {'non-operative' if tlics_band == 'conservative' else tlics_band}"))
        self.enum_fact("thoracolumbar", fx + "level", f.level, THORACOLUMBAR, "thoracolumbar junction T11–L2")
        self.enum_fact("upper_thoracic_level", fx + "level", f.level, UPPER_THORACIC, "upper thoracic T1–T6 (RF-7)")
        self.enum_fact("level_l3_l4", fx + "level", f.level, ("L3", "L4"), "L3 or L4")
        self.flag("intravertebral_cleft", fx + "intravertebral_cleft", f.intravertebral_cleft)
        self.flag("index_new", fx + "new", f.new)
        d.set("index_old", f.new is False, _b(fx + "new", False, "an old (known) fracture"))
        d.set("no_new_fracture", all(x.new is not True for x in c.fractures),
              *[_b(f"fractures[{i}].new", x.new, "an old (known) fracture") for i, x in enumerate(c.fractures)
                if x.new is False])
        d.set("severe_vertebral_fracture", s.genant_grade == 3, *genant_why)
        self.augmented_neighbour()

    def augmented_neighbour(self) -> None:
        """A new index fracture at or next to a level treated by augmentation before (VA-16)."""
        c = self.case
        index = LEVELS.index(c.index.level)
        near = [_b(f"fractures[{i}].augmented", True, f"{x.level} was augmented before, "
                   + ("the same level" if x.level == c.index.level else f"next to {c.index.level}"))
                for i, x in enumerate(c.fractures) if x.augmented and abs(LEVELS.index(x.level) - index) <= 1]
        self.d.set("augmented_neighbour", bool(near) and c.index.new is not False, *near)

    def band(self, score: str, value: int | None, upper: str, either: str, why: list[Why]) -> str | None:
        """Set the facts `upper` and `either` for a score's treatment band; the band's name, or None."""
        path = f"scores.{score}"
        if value is None:
            for fact in (upper, either):
                self.d.set(fact, False, _b(path, None, "not computable"))
            return None
        high, high_why = self.test(upper, path, value)
        middle, _ = self.test(either, path, value)
        name = "surgical" if high else "either" if middle else "conservative"
        self.d.set(upper, high, *(why + high_why))
        self.d.set(either, name == "either", *(why + high_why))
        return name

    def acuity(self, edema: bool | None) -> None:
        c, d = self.case, self.d
        mods = c.imaging.modalities or []
        d.set("mri_done", "mri" in mods, _b("imaging.modalities", ",".join(mods) or None, "MRI done"))
        self.flag("mri_contraindicated", "imaging.mri_contraindicated", c.imaging.mri_contraindicated)
        d.set("mri_edema", edema is True, _b("fractures[0].mri_edema", edema, "edema on MRI (acute or unhealed)"))
        d.set("mri_no_edema", edema is False, _b("fractures[0].mri_edema", edema, "no edema on MRI"))
        d.set("ct_or_bone_scan_done", bool({"ct", "bone_scan", "spect_ct"} & set(mods)),
              _b("imaging.modalities", ",".join(mods) or None, "CT, bone scan or SPECT-CT done"))
        days = d.days_since_onset
        d.set("onset_unknown", days is None, _b("injury.onset_date", None, "not recorded"))
        self.fact_test("chronic", "chronic_days", "injury.days_since_onset", days)
        self.fact_test("conservative_trial_elapsed", "conservative_trial_days", "injury.days_since_onset", days)
        self.fact_test("calcitonin_window", "calcitonin_window_days", "injury.days_since_onset", days)
        self.fact_test("pain_free", "pain_free", "symptoms.pain_nrs", c.symptoms.pain_nrs)

    def pain(self) -> None:
        c, d = self.case, self.d
        sy = c.symptoms
        admission = [_b(path, value, crit) for path, value, crit, hit in (
            ("symptoms.analgesia", sy.analgesia, "parenteral opioids", sy.analgesia == "parenteral_opioid"),
            ("symptoms.hospitalised_for_pain", True, "hospitalised for pain", sy.hospitalised_for_pain is True)) if hit]
        d.set("severe_pain_admission", bool(admission), *admission)
        self.enum_fact("pain_not_improving", "symptoms.pain_trend", sy.pain_trend, ("unchanged", "worsening"),
                       "pain unchanged or worsening")
        self.fact_test("augmentation_pain_level", "augmentation_pain", "symptoms.pain_nrs", sy.pain_nrs)
        self.enum_fact("opioid_in_use", "symptoms.analgesia", sy.analgesia, OPIOIDS, "an opioid in use")
        self.fact_test("severe_pain", "opioid_pain", "symptoms.pain_nrs", sy.pain_nrs)
        self.fact_test("bed_rest_excess", "bed_rest_days", "symptoms.bed_rest_days", sy.bed_rest_days)
        self.enum_fact("immobile", "symptoms.mobilisation", sy.mobilisation, ("not_possible",), "cannot mobilise")
        self.flag("pulmonary_dysfunction", "history.pulmonary_dysfunction", c.history.pulmonary_dysfunction)
        p = c.patient
        predictors: list[Why] = []
        for name, path, value in (("fail_age", "patient.age_years", p.age_years),
                                  ("fail_t_score", "bone_health.t_score", c.bone_health.t_score),
                                  ("fail_bmi", "patient.bmi", d.scores.bmi),
                                  ("fail_mfi", "patient.frailty_mfi5", p.frailty_mfi5)):
            hit, why = self.test(name, path, value, "conservative_failure_risk")
            predictors += why if hit else []
        predictors += [b for name in ("posterior_wall_involved", "intravertebral_cleft", "thoracolumbar", "both_endplates")
                       if d.truth(name) for b in d.facts[name].because]
        count, count_why = self.test("fail_count", "failure predictors (count)", len(predictors))
        d.set("conservative_failure_risk", count, *(predictors + count_why))

    def risks(self) -> None:
        h, d = self.case.history, self.d
        for name in ("uncorrected_coagulopathy", "cement_allergy", "anticoagulant", "antiplatelet",
                     "upper_gi_contraindication", "glucocorticoids"):
            self.flag(name, f"history.{name}", getattr(h, name))
        pregnant = h.pregnant is True and self.case.patient.sex == "female"
        d.set("pregnant", pregnant, _b("history.pregnant", h.pregnant, "pregnant"))
        late, weeks_why = self.test("nsaid_pregnancy_weeks", "history.pregnancy_weeks", h.pregnancy_weeks)
        weeks_why = weeks_why or [_b("history.pregnancy_weeks", None, "weeks not recorded: read as 20 or more")]
        d.set("pregnancy_nsaid", pregnant and (late or h.pregnancy_weeks is None),
              _b("history.pregnant", True, "pregnant"), *weeks_why)
        self.flag("liver_disease", "history.liver_disease", h.liver_disease, "cirrhosis or chronic liver disease")
        self.fact_test("glucocorticoid_high_dose", "glucocorticoid_high_dose", "history.glucocorticoid_mg_day",
                       h.glucocorticoid_mg_day)
        d.set("anticoagulation_unknown", h.anticoagulant is None, _b("history.anticoagulant", None, "not recorded"))
        mi = h.mi_or_stroke
        d.set("mi_or_stroke_any", mi in ("within_1_year", "over_1_year"),
              _b("history.mi_or_stroke", mi, "any myocardial infarction or stroke"))
        d.set("mi_or_stroke_recent", mi == "within_1_year",
              _b("history.mi_or_stroke", mi, "myocardial infarction or stroke within 1 year"))
        d.set("cv_history_unknown", mi is None, _b("history.mi_or_stroke", None, "not recorded"))

    def bone_health(self) -> None:
        c, d = self.case, self.d
        bh = c.bone_health
        therapy, status = bh.therapy, bh.therapy_status
        drug = therapy not in (None, "none")
        d.set("therapy_drug", drug, _b("bone_health.therapy", therapy, "an osteoporosis drug"))
        d.set("therapy_unrecorded", therapy is None, _b("bone_health.therapy", None, "not recorded"))
        untreated = therapy == "none" or (drug and status == "stopped" and therapy != "denosumab")
        d.set("therapy_none", untreated, _b("bone_health.therapy", therapy, "no osteoporosis drug"),
              *([_b("bone_health.therapy_status", status, "stopped")] if drug else []))
        d.set("therapy_stopped", drug and status == "stopped", _b("bone_health.therapy_status", status, "stopped"))
        current = drug and status == "current"
        d.set("therapy_current", current, _b("bone_health.therapy", therapy, "current osteoporosis drug"),
              _b("bone_health.therapy_status", status, "current"))
        d.set("therapy_denosumab", therapy == "denosumab", _b("bone_health.therapy", therapy, "denosumab"))
        gap: list[Why] = []
        overdue = False
        if therapy == "denosumab":
            if status == "stopped":
                gap.append(_b("bone_health.therapy_status", "stopped", "denosumab stopped without follow-on therapy"))
            last = bh.last_denosumab_dose_date
            if last is not None and last > d.assessment_date:
                self.contradict("bone_health.last_denosumab_dose_date", last.isoformat(), "assessment_date",
                                d.assessment_date.isoformat(), "the last denosumab dose is after the assessment date",
                                "the dose date is treated as unknown")
                last = None
            if last is not None:
                overdue, why = self.test("denosumab_interval_months", "bone_health.last_denosumab_dose_date (months)",
                                         round(months_between(last, d.assessment_date), 2), "denosumab_gap")
                gap += why if overdue else []
        d.set("denosumab_gap", bool(gap), *gap)
        d.set("on_denosumab", therapy == "denosumab" and status == "current" and not overdue,
              _b("bone_health.therapy", therapy, "denosumab current"),
              _b("bone_health.last_denosumab_dose_date",
                 bh.last_denosumab_dose_date.isoformat() if bh.last_denosumab_dose_date else None, "on schedule"))
        d.set("fracture_on_therapy", current and c.index.new is True,
              _b("bone_health.therapy", therapy, "current therapy"), _b("fractures[0].new", True, "new fracture"))
        count = len(c.fractures) + (1 if bh.prior_vertebral_fracture else 0)
        hit, why = self.test("multiple_fractures", "vertebral fractures (listed + prior)", count)
        d.set("multiple_vertebral_fractures", hit, *why)
        self.flag("prior_hip_fracture", "bone_health.prior_hip_fracture", bh.prior_hip_fracture)
        self.fact_test("t_score_very_low", "very_high_risk_t_score", "bone_health.t_score", bh.t_score)
        d.set("t_score_unknown", bh.t_score is None, _b("bone_health.t_score", None, "not recorded"))
        self.fact_test("z_score_low", "z_score_low", "bone_health.z_score", bh.z_score)
        d.set("z_score_unknown", bh.z_score is None, _b("bone_health.z_score", None, "not recorded"))

    def treatment_history(self) -> None:
        """Drug-sequencing facts (OP-17 to OP-20) from the current or last drug and the earlier ones."""
        bh, d = self.case.bone_health, self.d
        therapy, status, months = bh.therapy, bh.therapy_status, bh.therapy_months
        priors = bh.prior_therapies or []
        last_prior = priors[-1] if priors else None
        drug = therapy not in (None, "none")
        now_why = _b("bone_health.therapy", therapy, f"current or most recent drug ({status or 'status not recorded'})")
        prior_why = [_b("bone_health.prior_therapies", last_prior.agent, "the drug before it")] if last_prior else []
        follow_on = drug and therapy != "denosumab" and last_prior is not None and last_prior.agent == "denosumab"
        d.set("denosumab_follow_on", follow_on, now_why, *prior_why)
        for agent in ANABOLICS:
            d.set(f"{agent}_current", therapy == agent and status == "current", now_why)
        # an ended anabolic course with no antiresorptive after it: the last drug taken is that anabolic
        ended = [now_why] if therapy in ANABOLICS and status == "stopped" else []
        if therapy == "none" and last_prior is not None and last_prior.agent in ANABOLICS:
            ended = [_b("bone_health.therapy", "none", "no drug now"), *prior_why]
        d.set("anabolic_ended", bool(ended), *ended)
        courses = [(f"bone_health.prior_therapies[{i}].months", t.months) for i, t in enumerate(priors)
                   if t.agent in PTH_ANALOGUES]
        if therapy in PTH_ANALOGUES:
            courses.append(("bone_health.therapy_months", months))
        total = sum(m for _, m in courses if m is not None)
        hit, total_why = self.test("pth_lifetime_months", "teriparatide and abaloparatide months in all", total)
        d.set("pth_course_complete", bool(courses) and hit,
              *[_b(path, m, "PTH-analogue months") for path, m in courses if m is not None], *total_why)
        d.set("pth_months_unknown", any(m is None for _, m in courses),
              *[_b(path, None, "PTH-analogue course length not recorded") for path, m in courses if m is None])

    def renal_and_labs(self, kidney: Kidney) -> None:
        """Kidney-function facts on the safer estimate (its `because` names both when both are recorded)."""
        d, labs = self.d, self.case.labs
        for fact, threshold in [(f"crcl_below_{drug}", f"crcl_{drug}") for drug in (
                "alendronate", "zoledronic_acid", "risedronate", "ibandronate", "nsaid")] + [
                ("kidney_below_ckd_mbd", "kidney_ckd_mbd"), ("kidney_nsaid_caution", "kidney_nsaid_caution")]:
            hit, why = self.test(threshold, kidney.path or "labs.egfr", kidney.value)
            notes = list(kidney.why)
            if why and notes:
                why, notes = [why[0]._replace(criterion=f"{why[0].criterion}; {notes[0].criterion}")], notes[1:]
            d.set(fact, hit, *why, *notes)
        d.set("renal_unknown", kidney.value is None,
              _b("labs.creatinine_umol_l", None, "no creatinine clearance or eGFR"))
        d.set("crcl_height_unknown", kidney.crcl_why is not None and kidney.crcl_why.field == "scores.crcl_ml_min"
              and self.case.patient.height_cm is None, _b("patient.height_cm", None, "not recorded"))
        self.fact_test("hypocalcaemia", "hypocalcaemia", "labs.calcium_mmol_l", labs.calcium_mmol_l)
        self.fact_test("vitamin_d_low", "vitamin_d_target", "labs.vitamin_d_ng_ml", labs.vitamin_d_ng_ml)
        self.fact_test("vitamin_d_deficient", "vitamin_d_deficiency", "labs.vitamin_d_ng_ml", labs.vitamin_d_ng_ml)
        d.set("vitamin_d_unknown", labs.vitamin_d_ng_ml is None, _b("labs.vitamin_d_ng_ml", None, "not recorded"))


def derive(case: Case, protocol: LoadedProtocol, today: date) -> Derived:
    """Scores, facts and contradictions of `case` (assessment date defaults to `today`)."""
    return _Deriver(case, protocol, today).run()
