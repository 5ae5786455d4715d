"""Loading the protocol data: the shipped file loads and is hashed; broken copies refuse with a clear message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from vcf_desktop.engine import ProtocolError, load_protocol
from vcf_desktop.resources import resource_path

SHIPPED = resource_path("protocol/vcf-protocol.toml")
TEXT = SHIPPED.read_text(encoding="utf-8")

FIRST_RULE_CITATIONS = 'citations = ["CLS-8", "CLS-3", "CLS-4", "PAIN-8"]'
GENANT_1 = '''[thresholds.genant_grade_1]
value = 20.0
op = ">="
unit = "%"
rule = "Genant grade 1: height loss 20–25 %"
citations = ["CLS-1"]
'''


def mutate(old: str, new: str) -> str:
    assert TEXT.count(old) == 1, f"mutation anchor not unique: {old!r}"
    return TEXT.replace(old, new)


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "protocol.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def refuses(tmp_path: Path, text: str | bytes, *fragments: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    assert str(path) in message
    return message


# -------------------------------------------------------------------------------------------- shipped file
def test_shipped_protocol_loads_with_its_sha256() -> None:
    p = load_protocol()
    assert p.sha256 == hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    assert p.path == SHIPPED
    assert p.id == "vcf-protocol" and p.version
    assert p.data.protocol.title and p.data.protocol.intended_use


def test_shipped_protocol_loaded_from_an_explicit_path_has_the_same_hash(tmp_path: Path) -> None:
    copy = write(tmp_path, SHIPPED.read_bytes())
    assert load_protocol(copy).sha256 == load_protocol().sha256


def test_one_byte_changes_the_hash(tmp_path: Path) -> None:
    changed = write(tmp_path, SHIPPED.read_bytes() + b"\n")
    assert load_protocol(changed).sha256 != load_protocol().sha256


def test_references_are_the_evidence_ids() -> None:
    refs = load_protocol().references
    assert {"ACR-2", "OP-7", "CLS-5", "RF-3", "VA-11", "FAIL-1", "PAIN-4", "FU-2"} <= set(refs)
    assert all(r.verification in ("V", "S", "M") and r.title for r in refs.values())


def test_every_citation_in_the_shipped_protocol_is_a_reference() -> None:
    p = load_protocol()
    refs = set(p.references)
    cited = {c for r in p.data.rules for c in r.citations}
    cited |= {c for _, t in p.thresholds for c in t.citations}
    assert cited <= refs


def test_missing_file_refuses(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="cannot read protocol"):
        load_protocol(tmp_path / "nope.toml")


# ------------------------------------------------------------------------------------------ broken copies
def test_rule_without_citations(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(FIRST_RULE_CITATIONS, "citations = []"), "rules.0", "citations")


def test_rule_with_no_citations_key(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(FIRST_RULE_CITATIONS, ""), "rules.0", "citations", "required")


def test_citation_to_unknown_id(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(FIRST_RULE_CITATIONS, 'citations = ["CLS-2", "NOPE-9"]'),
            "stability.unstable", "'NOPE-9'", "not in [references]")


def test_threshold_citation_to_unknown_id(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(GENANT_1, GENANT_1.replace('["CLS-1"]', '["CLS-99"]')),
            "thresholds.genant_grade_1", "CLS-99")


def test_threshold_of_the_wrong_type(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(GENANT_1, GENANT_1.replace("value = 20.0", 'value = "20"')),
            "thresholds.genant_grade_1.value")


def test_threshold_with_an_unknown_operator(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(GENANT_1, GENANT_1.replace('op = ">="', 'op = "=>"')), "thresholds.genant_grade_1.op")


def test_missing_threshold(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(GENANT_1, ""), "thresholds.genant_grade_1", "required")


def test_unknown_threshold_key(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(GENANT_1, GENANT_1 + GENANT_1.replace("genant_grade_1", "genant_grade_9")),
            "thresholds.genant_grade_9")


def test_unknown_key_in_a_rule(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(FIRST_RULE_CITATIONS, FIRST_RULE_CITATIONS + '\nprioriy = 3'), "rules.0", "prioriy")


STABILITY_WHEN = 'id = "stability.unstable"\nwhen = "unstable_findings"'
ITEM_WHEN = 'id = "red_flags.neuro_exam"\nwhen = "neuro_unexamined"'
OUTSIDE_GRAMMAR = [
    ("neuro_deficit + plc_injured", "BinOp"),
    ("len(neuro_deficit)", "Call"),
    ("case.neuro", "Attribute"),
    ("pain_nrs > 5", "Compare"),
    ("neuro_deficit == plc_injured", "Compare"),
    ("True", "Constant"),
    ("neuro_deficit if plc_injured else true", "IfExp"),
    ("[neuro_deficit]", "List"),
    ("lambda: true", "Lambda"),
    ("__import__('os')", "Call"),
]


def _set_when(anchor: str, rule_id: str, condition: str) -> str:
    return mutate(anchor, f'id = "{rule_id}"\nwhen = "{condition}"')


@pytest.mark.parametrize(("condition", "node"), OUTSIDE_GRAMMAR)
def test_condition_outside_the_grammar_refuses(tmp_path: Path, condition: str, node: str) -> None:
    refuses(tmp_path, _set_when(STABILITY_WHEN, "stability.unstable", condition), node, repr(condition)[1:-1])


@pytest.mark.parametrize(("condition", "node"), OUTSIDE_GRAMMAR)
def test_condition_outside_the_grammar_in_an_item_names_the_rule(tmp_path: Path, condition: str, node: str) -> None:
    refuses(tmp_path, _set_when(ITEM_WHEN, "red_flags.neuro_exam", condition), "rule red_flags.neuro_exam", node)


@pytest.mark.parametrize(("condition", "node"), OUTSIDE_GRAMMAR[:3])
def test_condition_outside_the_grammar_in_a_decision_rule_names_the_rule(tmp_path: Path, condition: str,
                                                                          node: str) -> None:
    refuses(tmp_path, _set_when(STABILITY_WHEN, "stability.unstable", condition), "rule stability.unstable", node)


def test_condition_with_syntax_error(tmp_path: Path) -> None:
    refuses(tmp_path, _set_when(ITEM_WHEN, "red_flags.neuro_exam", "neuro_unexamined and"),
            "rule red_flags.neuro_exam", "not valid")


def test_unknown_fact_name(tmp_path: Path) -> None:
    refuses(tmp_path, _set_when(ITEM_WHEN, "red_flags.neuro_exam", "no_such_fact or neuro_unexamined"),
            "rule red_flags.neuro_exam", "unknown fact 'no_such_fact'")


def test_unknown_fact_in_a_decision_rule_refuses(tmp_path: Path) -> None:
    refuses(tmp_path, _set_when(STABILITY_WHEN, "stability.unstable", "no_such_fact or neuro_deficit"),
            "unknown fact 'no_such_fact'")


def test_unknown_fact_in_a_decision_rule_names_the_rule(tmp_path: Path) -> None:
    refuses(tmp_path, _set_when(STABILITY_WHEN, "stability.unstable", "no_such_fact or neuro_deficit"),
            "rule stability.unstable", "unknown fact 'no_such_fact'")


DEFINITION = 'when = "malignancy_suspected or infection_suspected"'


def test_unknown_fact_in_a_definition_refuses(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(DEFINITION, 'when = "malignancy_suspected or infektion"'), "'infektion'")


def test_unknown_fact_in_a_definition_names_it(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(DEFINITION, 'when = "malignancy_suspected or infektion"'), "definition red_flag",
            "'infektion'")


def test_definition_used_before_it_is_defined(tmp_path: Path) -> None:
    old = 'name = "red_flag"\nwhen = "malignancy_suspected or infection_suspected"'
    refuses(tmp_path, mutate(old, 'name = "red_flag"\nwhen = "malignancy_suspected or very_high_risk"'),
            "definition red_flag", "very_high_risk")


def test_unknown_fact_in_a_missing_entry(tmp_path: Path) -> None:
    refuses(tmp_path, mutate('when = "onset_unknown and', 'when = "onset_unknwn and'),
            "missing injury.onset_date", "onset_unknwn")


def test_duplicate_rule_id(tmp_path: Path) -> None:
    refuses(tmp_path, mutate('id = "stability.potentially_unstable"', 'id = "stability.unstable"'),
            "rule stability.unstable: id used twice")


@pytest.mark.parametrize(("anchor", "kind"), [
    ('id = "stability.indeterminate_trauma"\nwhen = "true"', "stability"),
    ('id = "pathway.conservative"\nwhen = "true"', "pathway"),
    ('id = "osteoporosis.treat"\nwhen = "true"', "osteoporosis"),
])
def test_no_fallback(tmp_path: Path, anchor: str, kind: str) -> None:
    refuses(tmp_path, mutate(anchor, anchor.replace('"true"', '"pain_free"')), f"the last {kind} rule", "fallback")


def test_decision_rule_depending_on_a_later_decision(tmp_path: Path) -> None:
    refuses(tmp_path, mutate(STABILITY_WHEN, 'id = "stability.unstable"\nwhen = "pathway_conservative"'),
            "rule stability.unstable", "pathway_conservative", "later")


def test_decision_rule_depending_on_a_later_decision_through_a_definition(tmp_path: Path) -> None:
    # conservative_care is a definition naming pathway_conservative
    refuses(tmp_path, mutate(STABILITY_WHEN, 'id = "stability.unstable"\nwhen = "conservative_care"'),
            "rule stability.unstable", "pathway_conservative")


def test_decision_rule_depending_on_its_own_decision(tmp_path: Path) -> None:
    old = 'id = "pathway.emergency"\nwhen = "neuro_deficit"'
    refuses(tmp_path, mutate(old, 'id = "pathway.emergency"\nwhen = "neuro_deficit or pathway_conservative"'),
            "rule pathway.emergency", "pathway_conservative")


def test_item_rules_may_depend_on_decisions() -> None:
    rules = {r.id: r for r in load_protocol().data.rules}
    assert "pathway_augmentation_referral" in rules["pitfall.augmentation_evidence"].when


def test_invalid_toml(tmp_path: Path) -> None:
    refuses(tmp_path, TEXT + "\n[[[broken\n", "not valid UTF-8 TOML")


def test_not_utf8(tmp_path: Path) -> None:
    refuses(tmp_path, TEXT.encode("utf-8") + b"\n# \xff\xfe\n", "not valid UTF-8 TOML")


def test_latin1_file(tmp_path: Path) -> None:
    refuses(tmp_path, TEXT.encode("latin-1", errors="replace"), "not valid UTF-8 TOML")


def test_every_problem_is_named_at_once(tmp_path: Path) -> None:
    text = mutate(FIRST_RULE_CITATIONS, 'citations = ["NOPE-1"]').replace(
        'id = "stability.potentially_unstable"', 'id = "stability.stable_healed"')
    refuses(tmp_path, text, "'NOPE-1'", "stability.stable_healed: id used twice")


def test_empty_file(tmp_path: Path) -> None:
    refuses(tmp_path, "", "protocol", "thresholds", "rules")


# ------------------------------------------------------------------------------ how this protocol works
def _flat(text: str) -> str:
    return " ".join(text.split())


def test_document_shows_every_rule_threshold_reference_and_missing_entry_in_words() -> None:
    from vcf_desktop.report.common import field_label
    from vcf_desktop.report.protocol_doc import render_protocol_html, render_protocol_text

    p = load_protocol()
    text = _flat(render_protocol_text(p))
    assert p.sha256 in text and p.version in text and p.data.protocol.review_date.isoformat() in text
    for rule in p.data.rules:
        shown = getattr(rule, "text", None) or getattr(rule, "reason", None) or getattr(rule, "what", None)
        assert shown is None or _flat(shown) in text, rule.id
    for _, th in p.thresholds:
        assert _flat(th.rule) in text
    for rid in p.references:
        assert f"{rid}:" in text
    for d in p.data.definitions:
        assert _flat(d.description) in text
    for m in p.data.missing:
        assert _flat(field_label(m.field, None)) in text and _flat(m.impact) in text
    html = render_protocol_html(p)
    assert html.count('<a name="s') == html.count('<a href="#s') > 10  # contents link to every heading


def test_document_has_no_internal_names_and_states_thresholds_with_units() -> None:
    import re

    from vcf_desktop.engine.facts import FACTS
    from vcf_desktop.report.protocol_doc import render_protocol_text

    p = load_protocol()
    text = re.sub(r"https?://\S+", "", render_protocol_text(p))
    names = [r.id for r in p.data.rules] + [n for n, _ in p.thresholds] + [d.name for d in p.data.definitions]
    names = [n for n in names + list(FACTS) if "_" in n or "." in n]  # plain words (healed) are not names
    assert [n for n in names if re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", text)] == []
    assert "counts at or above 20 %" in text and "counts below 35 mL/min" in text
