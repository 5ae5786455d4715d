"""The plan file (`"format": "vcf-plan"`, version 2): the engine's output."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vcf_desktop.domain import vocab as v

JsonScalar = bool | int | float | str | None


class PlanPart(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validators made on first use, not at import


class Because(PlanPart):
    """One input (or derived value) and the criterion it met."""

    field: str
    value: JsonScalar | list[str]
    criterion: str


class ProtocolRef(PlanPart):
    """The protocol that made the plan, and its standing: approved for this release, due for review."""

    id: str
    version: str
    sha256: str
    approved: bool = Field(default=True, description="false: not the protocol this release approves (run "
                                                      "deliberately with --protocol); every output says so")
    review_date: date | None = None
    review_due: bool = Field(default=False, description="the plan was made after the protocol's review date")


class Scores(PlanPart):
    genant_grade: int | None = Field(default=None, ge=0, le=3)
    of_class: v.OfClass | None = None
    of_score: int | None = None
    tlics: int | None = None
    ao_neuro: v.AoNeuro | None = None
    crcl_ml_min: float | None = None
    bmi: float | None = None


class Cited(PlanPart):
    """A statement with its severity, the inputs that fired it and its citations."""

    text: str
    severity: v.Severity
    because: list[Because] = Field(min_length=1)
    citations: list[str] = Field(min_length=1)


class Item(Cited):
    id: str
    section: v.Section
    priority: v.Priority
    patient_text: str
    strength: str | None = None


class Osteoporosis(PlanPart):
    status: v.OsteoporosisStatus
    recommended: list[v.Agent]
    prerequisites: list[str]


class Avoid(PlanPart):
    agent: v.Agent
    reason: str
    because: list[Because] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)


class Pitfall(Cited):
    code: v.PitfallCode
    patient_text: str | None = None


class Missing(PlanPart):
    field: str
    impact: str


class FollowUp(PlanPart):
    due_days: int = Field(ge=0)
    due_date: date
    what: str
    patient_text: str | None = None
    citations: list[str] = Field(default_factory=list)


class Plan(PlanPart):
    format: Literal["vcf-plan"] = "vcf-plan"
    format_version: Literal[2] = 2
    case_id: str | None
    assessment_date: date
    generated_at: datetime
    protocol: ProtocolRef
    stability: v.Stability
    pathway: v.Pathway
    headline: str = ""
    scores: Scores
    items: list[Item]
    osteoporosis: Osteoporosis
    avoid: list[Avoid]
    pitfalls: list[Pitfall]
    missing: list[Missing]
    follow_up: list[FollowUp]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)
