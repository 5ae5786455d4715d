"""The protocol's schema: the pydantic models that validate protocol data when it is loaded from TOML.

A rule without a citation, a citation to an unknown reference, a condition outside the grammar or naming
an unknown fact, or a threshold of the wrong type refuses to load with a message naming the place. Used
when a protocol is parsed (a `--protocol` file, the shipped TOML when its compiled form is stale) and at
build time; the engine itself runs on the plain data these models produce (engine/protocol_data.py).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vcf_desktop.domain import vocab as v
from vcf_desktop.engine.expressions import MAX_NESTING, ConditionError, compile_condition
from vcf_desktop.engine.facts import FACTS
from vcf_desktop.engine.protocol import ProtocolError
from vcf_desktop.engine.protocol_data import ThresholdRule

Op = Literal["<", "<=", ">", ">="]
Citations = Annotated[list[str], Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)  # built on first use


class Threshold(Strict, ThresholdRule):
    """A decision threshold: `input <op> value`, in the rule's own wording."""

    value: float
    op: Op
    unit: str = ""
    rule: str = Field(min_length=1)
    citations: Citations
    boundary: bool = Field(default=True, description="an input exactly on the value raises threshold_boundary")


class Thresholds(Strict):
    """Every threshold the engine uses; a missing or extra one refuses to load."""

    genant_grade_1: Threshold
    genant_grade_2: Threshold
    genant_grade_3: Threshold
    of_progression: Threshold
    of_t_score: Threshold
    of_pain: Threshold
    of_asa: Threshold
    of_mfi: Threshold
    of_score_surgical: Threshold
    of_score_either: Threshold
    tlics_operative: Threshold
    tlics_either: Threshold
    progression_points: Threshold
    deformity_kyphosis: Threshold
    deformity_scoliosis: Threshold
    deformity_height_loss: Threshold
    canal_compromise: Threshold
    fail_age: Threshold
    fail_t_score: Threshold
    fail_bmi: Threshold
    fail_mfi: Threshold
    fail_count: Threshold
    bed_rest_days: Threshold
    opioid_pain: Threshold
    augmentation_pain: Threshold
    conservative_trial_days: Threshold
    calcitonin_window_days: Threshold
    chronic_days: Threshold
    pain_free: Threshold
    hypocalcaemia: Threshold
    hypercalcaemia: Threshold
    vitamin_d_target: Threshold
    vitamin_d_deficiency: Threshold
    crcl_alendronate: Threshold
    crcl_zoledronic_acid: Threshold
    crcl_risedronate: Threshold
    crcl_ibandronate: Threshold
    crcl_nsaid: Threshold
    crcl_adjusted_weight: Threshold
    kidney_ckd_mbd: Threshold
    kidney_nsaid_caution: Threshold
    denosumab_interval_months: Threshold
    anaemia_female: Threshold
    anaemia_male: Threshold
    secondary_cause_age: Threshold
    nsaid_age: Threshold
    nsaid_pregnancy_weeks: Threshold
    menopause_age: Threshold
    adult_age: Threshold
    calcium_women_age: Threshold
    calcium_men_age: Threshold
    glucocorticoid_high_dose: Threshold
    z_score_low: Threshold
    pth_lifetime_months: Threshold
    very_high_risk_t_score: Threshold
    multiple_fractures: Threshold
    bmi_discrepancy: Threshold
    onset_discrepancy_days: Threshold


class ScorePoints(Strict):
    """Published point tables (TLICS, CLS-3; OF score, CLS-5)."""

    tlics_morphology: dict[v.Morphology, int]
    tlics_plc: dict[v.PLC, int]
    tlics_neuro: dict[Literal["intact", "transient", "radicular", "incomplete_cord", "complete_cord",
                              "cauda_equina"], int]
    of_class: dict[v.OfClass, int]
    of_t_score: int
    of_progression_yes: int
    of_progression_no: int
    of_pain_high: int
    of_pain_low: int
    of_neuro_deficit: int
    of_immobile: int
    of_mobile: int
    of_health_each: int
    of_health_floor: int
    citations: Citations


class PatientHandout(Strict):
    """Safety-netting printed on every patient handout: when to come back at once."""

    return_at_once: list[str] = Field(min_length=1)
    citations: Citations


class Reference(Strict):
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    verification: Literal["V", "S", "M"]


class RuleBase(Strict):
    id: str = Field(pattern=r"^[a-z0-9_.]+$")
    when: str = Field(min_length=1)
    citations: Citations
    strength: str | None = None


class Texts(RuleBase):
    text: str = Field(min_length=1)
    patient_text: str = Field(min_length=1)
    severity: v.Severity = "info"


class ItemTexts(Texts):
    """A rule that becomes a plan item: it says when to act on it."""

    priority: v.Priority


class StabilityRule(ItemTexts):
    kind: Literal["stability"]
    value: v.Stability


class PathwayRule(ItemTexts):
    kind: Literal["pathway"]
    value: v.Pathway
    section: v.Section
    headline: str = Field(min_length=1)


class OsteoporosisRule(ItemTexts):
    kind: Literal["osteoporosis"]
    value: v.OsteoporosisStatus


class ItemRule(ItemTexts):
    kind: Literal["item"]
    section: v.Section


class PitfallRule(RuleBase):
    kind: Literal["pitfall"]
    code: v.PitfallCode
    text: str = Field(min_length=1)
    patient_text: str | None = Field(default=None, min_length=1, description="absent: clinician-only")
    severity: v.Severity = "info"


class RecommendRule(RuleBase):
    kind: Literal["recommend"]
    agents: list[v.Agent] = Field(min_length=1)


class AvoidRule(RuleBase):
    kind: Literal["avoid"]
    agents: list[v.Agent] = Field(min_length=1)
    reason: str = Field(min_length=1)


class PrerequisiteRule(RuleBase):
    kind: Literal["prerequisite"]
    text: str = Field(min_length=1)


class FollowUpRule(RuleBase):
    kind: Literal["follow_up"]
    due_days: int = Field(ge=0)
    what: str = Field(min_length=1)
    patient_text: str = Field(min_length=1)


Rule = Annotated[
    Union[StabilityRule, PathwayRule, OsteoporosisRule, ItemRule, PitfallRule, RecommendRule, AvoidRule,
          PrerequisiteRule, FollowUpRule],
    Field(discriminator="kind"),
]


class Definition(Strict):
    """A named combination of facts, usable by later definitions and by rules."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: str = Field(min_length=1)
    description: str = Field(min_length=1)


class MissingRule(Strict):
    """An unrecorded finding worth listing when `when` holds, and what it would change."""

    field: str = Field(pattern=r"^[a-z_]+(\[0\])?(\.[a-z_0-9]+)?$")
    impact: str = Field(min_length=1)
    when: str = "true"


class Meta(Strict):
    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    review_date: date
    evidence_base: str = Field(min_length=1)
    intended_use: str = Field(min_length=1)


class Protocol(Strict):
    protocol: Meta
    patient_handout: PatientHandout
    thresholds: Thresholds
    points: ScorePoints
    definitions: list[Definition] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)
    missing: list[MissingRule] = Field(default_factory=list)
    references: dict[str, Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_checks(self) -> Protocol:
        problems: list[str] = []
        cited: list[tuple[str, list[str]]] = [(f"thresholds.{k}", t.citations) for k, t in self.thresholds]
        cited.append(("points", self.points.citations))
        cited.append(("patient_handout", self.patient_handout.citations))
        cited += [(f"rule {r.id}", r.citations) for r in self.rules]
        for where, ids in cited:
            problems += [f"{where}: citation {c!r} is not in [references]" for c in ids if c not in self.references]
        seen: set[str] = set()
        for r in self.rules:
            if r.id in seen:
                problems.append(f"rule {r.id}: id used twice")
            seen.add(r.id)
        known = set(FACTS)
        depth: dict[str, int | None] = {}  # a definition's nesting, counting the definitions it builds on
        for d in self.definitions:
            if d.name in known:
                problems.append(f"definition {d.name}: the name is already a fact or definition")
            depth[d.name] = self._nesting_problem(f"definition {d.name}", d.when, known, depth, problems)
            known.add(d.name)
        for where, cond in [(f"rule {r.id}", r.when) for r in self.rules] + \
                [(f"missing {m.field}", m.when) for m in self.missing]:
            self._nesting_problem(where, cond, known, depth, problems)
        if not problems:  # the phase check follows definitions, so only once they are known to be sound
            problems += self._phase_problems()
        for kind in ("stability", "pathway", "osteoporosis"):
            ordered = [r for r in self.rules if r.kind == kind]
            if not ordered or ordered[-1].when.strip() != "true":
                problems.append(f"the last {kind} rule must have when = \"true\" (the fallback)")
        if problems:
            raise ValueError("; ".join(problems))
        return self


    @staticmethod
    def _nesting_problem(where: str, condition: str, known: set[str], depth: dict[str, int | None],
                         problems: list[str]) -> int | None:
        """Compile `condition`, adding a problem naming `where` if it is not in the grammar or, with the
        definitions it builds on, nests deeper than MAX_NESTING (evaluation would exhaust the stack).
        Returns its depth; None when it is refused or builds on a refused definition (reported once)."""
        try:
            compiled = compile_condition(condition, known)
        except ConditionError as exc:
            problems.append(f"{where}: {exc}")
            return None
        below = [depth.get(n, 0) for n in compiled.names]
        if None in below:
            return None
        total = compiled.nesting + max((b for b in below if b is not None), default=0)
        if total > MAX_NESTING:
            problems.append(f"{where}: nests more than {MAX_NESTING} levels deep, counting the definitions it "
                            "builds on; split it into shallower definitions")
            return None
        return total

    def _phase_problems(self) -> list[str]:
        """Decisions are made in order (stability, pathway, osteoporosis): a rule may name only earlier ones."""
        phases = ("stability", "pathway", "osteoporosis")
        decided = {phase: {f"{phase}_{value}" for value in get_args(kind)} for phase, kind in
                   zip(phases, (v.Stability, v.Pathway, v.OsteoporosisStatus))}
        definitions = {d.name: d.when for d in self.definitions}

        def names(condition: str, seen: frozenset[str] = frozenset()) -> set[str]:
            try:
                used = compile_condition(condition, set(FACTS) | set(definitions)).names
            except ConditionError:
                return set()  # reported, with its place, by the grammar check
            out: set[str] = set()
            for n in used:
                out.add(n)
                if n in definitions and n not in seen:
                    out |= names(definitions[n], seen | {n})
            return out

        problems = []
        for r in self.rules:
            if r.kind in phases:
                later = phases[phases.index(r.kind):]
                used = sorted(names(r.when) & set().union(*(decided[p] for p in later)))
                if used:
                    problems.append(f"rule {r.id}: a {r.kind} rule cannot depend on {', '.join(used)} "
                                    "(decided at the same time or later)")
        return problems


def validate_protocol(data: dict[str, Any], where: object) -> dict[str, Any]:
    """Protocol data (parsed TOML) checked by the schema, as the plain JSON-ready data the engine runs on;
    ProtocolError naming every problem (after `where`) when it refuses to load."""
    try:
        model = Protocol.model_validate(data)
    except ValidationError as exc:
        lines = [f"  {'.'.join(str(p) for p in e['loc']) or '(protocol)'}: {e['msg']}" for e in exc.errors()]
        raise ProtocolError(f"{where}: the protocol refuses to load:\n" + "\n".join(lines)) from None
    return model.model_dump(mode="json")
