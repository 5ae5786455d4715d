"""`evaluate(case, protocol) -> Plan`: pure and deterministic; no I/O, no Qt."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import get_args

from vcf_desktop.domain import vocab as v
from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import (
    Avoid, Because, FollowUp, Item, Missing, Osteoporosis, Pitfall, Plan,
)
from vcf_desktop.engine.calendar import due_date
from vcf_desktop.engine.derive import derive
from vcf_desktop.engine.facts import FACTS, Derived, Fact, Why
from vcf_desktop.engine.facts import because as make_because
from vcf_desktop.engine.protocol import (
    AvoidRule, FollowUpRule, ItemRule, LoadedProtocol, OsteoporosisRule, PathwayRule, PitfallRule,
    PrerequisiteRule, RecommendRule, RuleBase, StabilityRule,
)

AGENT_ORDER = get_args(v.Agent)


def _dedupe(whys: list[Why]) -> list[Why]:
    return list(dict.fromkeys(whys))


def _because(whys: list[Why]) -> list[Because]:
    """Plan entries from the engine's lightweight reasons (already JSON scalars, so not re-validated)."""
    return [Because.model_construct(field=w.field, value=w.value, criterion=w.criterion) for w in whys]


class _Evaluator:
    def __init__(self, derived: Derived, protocol: LoadedProtocol, base: Why) -> None:
        self.d = derived
        self.p = protocol
        self.base = base
        self.definitions = {x.name: x.when for x in protocol.data.definitions}
        self.explained: dict[str, tuple[bool, list[Why]]] = {}
        self.consulted: set[str] = set()

    def truth(self, name: str) -> bool:
        """A fact's truth; definitions are evaluated on first use (after the decisions they name)."""
        self.consulted.add(name)
        if name not in self.d.facts:
            value, because = self.explain(self.definitions[name])
            self.d.facts[name] = Fact(value, tuple(because))
        return self.d.facts[name].value

    def explain(self, condition: str) -> tuple[bool, list[Why]]:
        """Truth of a condition and the recorded findings that hold and made it so (memoised: facts never change).

        A fact that is false contributes nothing (no negated reasons), nor does an unrecorded input."""
        if condition not in self.explained:
            value, deciding = self.p.conditions[condition].evaluate(self.truth)
            because = [w for name, truth in deciding if truth for w in self.d.facts[name].because
                       if w.value is not None]
            self.explained[condition] = value, _dedupe(because)
        value, because = self.explained[condition]
        return value, list(because)

    def first(self, kind: type[RuleBase]) -> tuple[RuleBase, list[Why]]:
        """The first rule of an ordered kind whose condition holds (the last one always does).

        A rule that holds without a finding of its own rests on what ruled out the earlier rules, else on
        the index fracture itself."""
        earlier: list[Why] = []
        for rule in self.p.data.rules:
            if isinstance(rule, kind):
                value, because = self.explain(rule.when)
                if value:
                    return rule, because or _dedupe(earlier) or [self.base]
                earlier += because
        raise AssertionError(f"no fallback {kind.__name__}")  # the protocol schema guarantees one

    def decide(self, kind: type[RuleBase], prefix: str, values: tuple[str, ...]) -> tuple[RuleBase, list[Why]]:
        rule, because = self.first(kind)
        for value in values:
            self.d.facts[f"{prefix}_{value}"] = Fact(rule.value == value, tuple(because))  # type: ignore[attr-defined]
        return rule, because

    def boundaries(self) -> None:
        """Set `threshold_boundary` from the measured values on a threshold that this plan's rules used:
        score terms always, a fact's threshold only if a rule consulted that fact."""
        for rule in self.p.data.rules:
            if "threshold_boundary" not in self.p.conditions[rule.when].names:
                self.explain(rule.when)
        used = [b for b in self.d.boundaries if not b.facts or b.facts & self.consulted]
        self.d.facts["threshold_boundary"] = Fact(bool(used), tuple(
            make_because(b.field, b.value, f"exactly on {b.threshold.op} {b.value:g} ({b.threshold.rule}): counted as "
                         + ("meeting it" if b.counted else "outside it")) for b in used))

    def fired(self) -> list[tuple[RuleBase, list[Why]]]:
        out = []
        for rule in self.p.data.rules:
            if isinstance(rule, (StabilityRule, PathwayRule, OsteoporosisRule)):
                continue
            value, because = self.explain(rule.when)
            if value:
                out.append((rule, because or [self.base]))
        return out


def _item(rule: StabilityRule | PathwayRule | OsteoporosisRule | ItemRule, section: str, because: list[Why]) -> Item:
    return Item(id=rule.id, section=section, text=rule.text, patient_text=rule.patient_text,  # type: ignore[arg-type]
                severity=rule.severity, priority=rule.priority, because=_because(because), citations=rule.citations,
                strength=rule.strength)


def _joined(texts: list[str], sep: str = " ") -> str:
    return sep.join(dict.fromkeys(texts))


def _avoid(agent: str, fired: list[tuple[AvoidRule, list[Why]]]) -> Avoid:
    """One avoid entry per agent: every reason this patient has, in protocol order."""
    return Avoid(agent=agent, reason=_joined([r.reason for r, _ in fired], "; "),  # type: ignore[arg-type]
                 because=_because(_dedupe([w for _, ws in fired for w in ws])),
                 citations=list(dict.fromkeys(c for r, _ in fired for c in r.citations)))


def _pitfall(fired: list[tuple[PitfallRule, list[Why]]]) -> Pitfall:
    """One pitfall per code: the texts of every rule that fired for it, the most severe severity."""
    rank = {s: i for i, s in enumerate(v.SEVERITY_ORDER)}
    rules = [r for r, _ in fired]
    return Pitfall(code=rules[0].code, text=_joined([r.text for r in rules]),
                   severity=min((r.severity for r in rules), key=rank.__getitem__),
                   patient_text=_joined([r.patient_text for r in rules if r.patient_text]) or None,
                   because=_because(_dedupe([w for _, ws in fired for w in ws])),
                   citations=list(dict.fromkeys(c for r in rules for c in r.citations)))


def _recorded(case: Case, path: str) -> bool:
    obj: object = case
    for part in path.split("."):
        if part.endswith("[0]"):
            obj = getattr(obj, part[:-3])[0]
        else:
            obj = getattr(obj, part, None)
        if obj is None:
            return False
    return True


def evaluate(case: Case, protocol: LoadedProtocol, today: date | None = None,
             now: datetime | None = None) -> Plan:
    """The management plan for `case` under `protocol`.

    The case's `assessment_date` wins; without one, `today` (the caller's clock) is used, and only
    when neither is given does the engine read the system date. Whether the protocol is due for review
    is judged on the day the plan is made: `now`, else `today`, else the system date. `generated_at` is
    `now`, else the current UTC time to the second (the time the plan was made, not the assessment date).
    """
    today = today or date.today()
    derived = derive(case, protocol, today)
    ev = _Evaluator(derived, protocol, make_because("fractures[0].level", case.index.level,
                                                    "the index fracture"))
    stability, stability_why = ev.decide(StabilityRule, "stability", get_args(v.Stability))
    pathway, pathway_why = ev.decide(PathwayRule, "pathway", get_args(v.Pathway))
    osteo, osteo_why = ev.decide(OsteoporosisRule, "osteoporosis", get_args(v.OsteoporosisStatus))
    assert isinstance(stability, StabilityRule) and isinstance(pathway, PathwayRule)
    assert isinstance(osteo, OsteoporosisRule)
    ev.boundaries()

    items = [_item(stability, "stability", stability_why), _item(pathway, pathway.section, pathway_why),
             _item(osteo, "osteoporosis", osteo_why)]
    pitfalls: dict[str, list[tuple[PitfallRule, list[Why]]]] = {}
    avoid: dict[str, list[tuple[AvoidRule, list[Why]]]] = {}
    recommended: set[str] = set()
    prerequisites: list[str] = []
    follow: dict[str, FollowUp] = {}
    for rule, because in ev.fired():
        if isinstance(rule, ItemRule):
            items.append(_item(rule, rule.section, because))
        elif isinstance(rule, PitfallRule):
            pitfalls.setdefault(rule.code, []).append((rule, because))
        elif isinstance(rule, AvoidRule):
            for agent in rule.agents:
                avoid.setdefault(agent, []).append((rule, because))
        elif isinstance(rule, RecommendRule):
            recommended.update(rule.agents)
        elif isinstance(rule, PrerequisiteRule):
            prerequisites.append(rule.text)
        elif isinstance(rule, FollowUpRule) and rule.what not in follow:
            follow[rule.what] = FollowUp(due_days=rule.due_days,
                                         due_date=due_date(derived.assessment_date, rule.due_days),
                                         what=rule.what, patient_text=rule.patient_text, citations=rule.citations)

    section_rank = {s: i for i, s in enumerate(v.SECTIONS)}
    severity_rank = {s: i for i, s in enumerate(v.SEVERITY_ORDER)}
    items.sort(key=lambda it: section_rank[it.section])
    treat = osteo.value == "treat"
    missing = [Missing(field=m.field, impact=m.impact) for m in protocol.data.missing
               if not _recorded(case, m.field) and ev.explain(m.when)[0]]
    stamp = now or datetime.now(timezone.utc).replace(microsecond=0)  # when this plan was made
    return Plan(
        case_id=case.case_id,
        assessment_date=derived.assessment_date,
        generated_at=stamp,
        protocol=protocol.ref(now.date() if now else today),
        stability=stability.value,
        pathway=pathway.value,
        headline=f"{pathway.headline} · {stability.value.capitalize()}",
        scores=derived.scores,
        items=items,
        osteoporosis=Osteoporosis(
            status=osteo.value,
            recommended=[a for a in AGENT_ORDER if treat and a in recommended and a not in avoid],  # type: ignore[misc]
            prerequisites=list(dict.fromkeys(prerequisites)) if osteo.value != "not_applicable" else [],
        ),
        avoid=[_avoid(agent, avoid[agent]) for agent in AGENT_ORDER if agent in avoid],
        pitfalls=sorted((_pitfall(fired) for fired in pitfalls.values()), key=lambda x: severity_rank[x.severity]),
        missing=list({m.field: m for m in missing}.values()),
        follow_up=sorted(follow.values(), key=lambda f: f.due_days),
    )
