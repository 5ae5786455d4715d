"""`evaluate(case, protocol) -> Plan`: pure and deterministic; no I/O, no Qt.

The engine builds the plan as plain data in the plan file's shape (`evaluate_data`): every key of the
`Plan` model in its field order, so that `domain/plan_json.py` can write a headless plan without pydantic.
`evaluate` validates that data into the `Plan` model for everything else; tests/test_plan_parity.py proves
both give the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, get_args

from vcf_desktop.domain import vocab as v
from vcf_desktop.engine.calendar import due_date
from vcf_desktop.engine.derive import derive
from vcf_desktop.engine.facts import Derived, Fact, Why
from vcf_desktop.engine.facts import because as make_because
from vcf_desktop.engine.protocol import LoadedProtocol

if TYPE_CHECKING:
    from vcf_desktop.domain.case import Case
    from vcf_desktop.domain.plan import Plan
    from vcf_desktop.domain.record import Record

AGENT_ORDER = get_args(v.Agent)
DECISIONS = ("stability", "pathway", "osteoporosis")
Data = dict[str, Any]


def _dedupe(whys: list[Why]) -> list[Why]:
    return list(dict.fromkeys(whys))


def _because(whys: list[Why]) -> list[Data]:
    """The plan's `because` entries from the engine's lightweight reasons (already JSON scalars)."""
    return [{"field": w.field, "value": w.value, "criterion": w.criterion} for w in whys]


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

    def first(self, kind: str) -> tuple[Record, list[Why]]:
        """The first rule of an ordered kind whose condition holds (the last one always does).

        A rule that holds without a finding of its own rests on what ruled out the earlier rules, else on
        the index fracture itself."""
        earlier: list[Why] = []
        for rule in self.p.data.rules:
            if rule.kind == kind:
                value, because = self.explain(rule.when)
                if value:
                    return rule, because or _dedupe(earlier) or [self.base]
                earlier += because
        raise AssertionError(f"no fallback {kind} rule")  # the protocol schema guarantees one

    def decide(self, kind: str, values: tuple[str, ...]) -> tuple[Record, list[Why]]:
        rule, because = self.first(kind)
        for value in values:
            self.d.facts[f"{kind}_{value}"] = Fact(rule.value == value, tuple(because))
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

    def fired(self) -> list[tuple[Record, list[Why]]]:
        out = []
        for rule in self.p.data.rules:
            if rule.kind in DECISIONS:
                continue
            value, because = self.explain(rule.when)
            if value:
                out.append((rule, because or [self.base]))
        return out


def _item(rule: Record, section: str, because: list[Why]) -> Data:
    """A plan item (a stability, pathway, osteoporosis or item rule that holds)."""
    return {"text": rule.text, "severity": rule.severity, "because": _because(because),
            "citations": list(rule.citations), "id": rule.id, "section": section, "priority": rule.priority,
            "patient_text": rule.patient_text, "strength": rule.strength}


def _joined(texts: list[str], sep: str = " ") -> str:
    return sep.join(dict.fromkeys(texts))


def _avoid(agent: str, fired: list[tuple[Record, list[Why]]]) -> Data:
    """One avoid entry per agent: every reason this patient has, in protocol order."""
    return {"agent": agent, "reason": _joined([r.reason for r, _ in fired], "; "),
            "because": _because(_dedupe([w for _, ws in fired for w in ws])),
            "citations": list(dict.fromkeys(c for r, _ in fired for c in r.citations))}


def _pitfall(fired: list[tuple[Record, list[Why]]]) -> Data:
    """One pitfall per code: the texts of every rule that fired for it, the most severe severity."""
    rank = {s: i for i, s in enumerate(v.SEVERITY_ORDER)}
    rules = [r for r, _ in fired]
    return {"text": _joined([r.text for r in rules]),
            "severity": min((r.severity for r in rules), key=rank.__getitem__),
            "because": _because(_dedupe([w for _, ws in fired for w in ws])),
            "citations": list(dict.fromkeys(c for r in rules for c in r.citations)),
            "code": rules[0].code,
            "patient_text": _joined([r.patient_text for r in rules if r.patient_text]) or None}


def _recorded(case: Case | Record, path: str) -> bool:
    obj: object = case
    for part in path.split("."):
        if part.endswith("[0]"):
            obj = getattr(obj, part[:-3])[0]
        else:
            obj = getattr(obj, part, None)
        if obj is None:
            return False
    return True


def evaluate_data(case: Case | Record, protocol: LoadedProtocol, today: date | None = None,
                  now: datetime | None = None) -> Data:
    """The management plan for `case` under `protocol`, as the plan file's data (dates as `date`/`datetime`).

    The case's `assessment_date` wins; without one, `today` (the caller's clock) is used, and only
    when neither is given does the engine read the system date. Whether the protocol is due for review
    is judged on the day the plan is made: `now`, else `today`, else the system date. `generated_at` is
    `now`, else the current UTC time to the second (the time the plan was made, not the assessment date).
    """
    today = today or date.today()
    derived = derive(case, protocol, today)
    ev = _Evaluator(derived, protocol, make_because("fractures[0].level", case.index.level,
                                                    "the index fracture"))
    stability, stability_why = ev.decide("stability", get_args(v.Stability))
    pathway, pathway_why = ev.decide("pathway", get_args(v.Pathway))
    osteo, osteo_why = ev.decide("osteoporosis", get_args(v.OsteoporosisStatus))
    ev.boundaries()

    items = [_item(stability, "stability", stability_why), _item(pathway, pathway.section, pathway_why),
             _item(osteo, "osteoporosis", osteo_why)]
    pitfalls: dict[str, list[tuple[Record, list[Why]]]] = {}
    avoid: dict[str, list[tuple[Record, list[Why]]]] = {}
    recommended: set[str] = set()
    prerequisites: list[str] = []
    follow: dict[str, Data] = {}
    for rule, because in ev.fired():
        if rule.kind == "item":
            items.append(_item(rule, rule.section, because))
        elif rule.kind == "pitfall":
            pitfalls.setdefault(rule.code, []).append((rule, because))
        elif rule.kind == "avoid":
            for agent in rule.agents:
                avoid.setdefault(agent, []).append((rule, because))
        elif rule.kind == "recommend":
            recommended.update(rule.agents)
        elif rule.kind == "prerequisite":
            prerequisites.append(rule.text)
        elif rule.kind == "follow_up" and rule.what not in follow:
            follow[rule.what] = {"due_days": rule.due_days,
                                 "due_date": due_date(derived.assessment_date, rule.due_days),
                                 "what": rule.what, "patient_text": rule.patient_text,
                                 "citations": list(rule.citations)}

    section_rank = {s: i for i, s in enumerate(v.SECTIONS)}
    severity_rank = {s: i for i, s in enumerate(v.SEVERITY_ORDER)}
    items.sort(key=lambda it: section_rank[it["section"]])
    treat = osteo.value == "treat"
    missing = [{"field": m.field, "impact": m.impact} for m in protocol.data.missing
               if not _recorded(case, m.field) and ev.explain(m.when)[0]]
    stamp = now or datetime.now(timezone.utc).replace(microsecond=0)  # when this plan was made
    return {
        "format": "vcf-plan",
        "format_version": 2,
        "case_id": case.case_id,
        "assessment_date": derived.assessment_date,
        "generated_at": stamp,
        "protocol": dict(protocol.ref(now.date() if now else today)),
        "stability": stability.value,
        "pathway": pathway.value,
        "headline": f"{pathway.headline} · {stability.value.capitalize()}",
        "scores": dict(derived.scores),
        "items": items,
        "osteoporosis": {
            "status": osteo.value,
            "recommended": [a for a in AGENT_ORDER if treat and a in recommended and a not in avoid],
            "prerequisites": list(dict.fromkeys(prerequisites)) if osteo.value != "not_applicable" else [],
        },
        "avoid": [_avoid(agent, avoid[agent]) for agent in AGENT_ORDER if agent in avoid],
        "pitfalls": sorted((_pitfall(fired) for fired in pitfalls.values()),
                           key=lambda x: severity_rank[x["severity"]]),
        "missing": list({m["field"]: m for m in missing}.values()),
        "follow_up": sorted(follow.values(), key=lambda f: f["due_days"]),
    }


def evaluate(case: Case | Record, protocol: LoadedProtocol, today: date | None = None,
             now: datetime | None = None) -> Plan:
    """`evaluate_data` as the `Plan` model (for reports, the wizard and everything but a headless JSON plan)."""
    from vcf_desktop.domain.plan import Plan  # noqa: PLC0415 - the headless JSON path never builds the model

    return Plan.model_validate(evaluate_data(case, protocol, today, now))
