"""A saved case's `plan_record` (what its plan said when it was saved) against the plan made now.

`plan_record(plan)` is what the program writes into a case file saved with a plan made; `changes(record,
plan)` lists what a newer (or different) protocol changes: stability, pathway, osteoporosis status, the
recommended and avoided agents, the pitfalls. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from vcf_desktop.domain.case import PlanRecord, PlanRecordProtocol
from vcf_desktop.domain.plan import Plan

SCALARS = ("stability", "pathway", "osteoporosis_status")
LISTS = ("recommended", "avoid", "pitfalls")
LABEL = {"stability": "stability", "pathway": "pathway", "osteoporosis_status": "osteoporosis status",
         "recommended": "recommended agents", "avoid": "agents to avoid", "pitfalls": "pitfalls"}


def plan_record(plan: Plan) -> PlanRecord:
    """The summary of `plan` kept in the case file."""
    ref = plan.protocol
    return PlanRecord(
        protocol=PlanRecordProtocol(id=ref.id, version=ref.version, sha256=ref.sha256),
        generated_at=plan.generated_at, stability=plan.stability, pathway=plan.pathway,
        osteoporosis_status=plan.osteoporosis.status, recommended=list(plan.osteoporosis.recommended),
        avoid=[a.agent for a in plan.avoid], pitfalls=[p.code for p in plan.pitfalls])


@dataclass(frozen=True)
class Change:
    """One part of the plan that differs: `before` (the record) and `after` (now); lists also say what was
    added and removed."""

    field: str
    before: str | list[str]
    after: str | list[str]

    @property
    def added(self) -> list[str]:
        return [x for x in self.after if x not in self.before] if isinstance(self.after, list) else []

    @property
    def removed(self) -> list[str]:
        return [x for x in self.before if x not in self.after] if isinstance(self.before, list) else []

    def describe(self) -> str:
        """`pathway: conservative → augmentation referral`, `agents to avoid: + nsaid; − calcitonin`."""
        if isinstance(self.before, str):
            return f"{LABEL[self.field]}: {_words(self.before)} → {_words(str(self.after))}"
        parts = [f"+ {', '.join(map(_words, self.added))}"] if self.added else []
        parts += [f"− {', '.join(map(_words, self.removed))}"] if self.removed else []
        return f"{LABEL[self.field]}: {'; '.join(parts)}"

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"field": self.field, "before": self.before, "after": self.after}
        if isinstance(self.before, list):
            out |= {"added": self.added, "removed": self.removed}
        return out


def _words(value: str) -> str:
    return value.replace("_", " ")


def changes(record: PlanRecord, plan: Plan) -> list[Change]:
    """What differs between the recorded plan and `plan`, in the order of `SCALARS` then `LISTS`; the order
    within a list does not count."""
    now = plan_record(plan)
    out = [Change(f, getattr(record, f), getattr(now, f)) for f in SCALARS if getattr(record, f) != getattr(now, f)]
    out += [Change(f, list(getattr(record, f)), list(getattr(now, f))) for f in LISTS
            if set(getattr(record, f)) != set(getattr(now, f))]
    return out
