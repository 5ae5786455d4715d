"""The rule-condition grammar on its own: whitelisting, evaluation and the facts that decided it."""

from __future__ import annotations

import pytest

from vcf_desktop.engine.expressions import ConditionError, compile_condition

KNOWN = {"a", "b", "c", "d"}


def run(source: str, **truth: bool) -> tuple[bool, list[tuple[str, bool]]]:
    calls: list[str] = []

    def lookup(name: str) -> bool:
        calls.append(name)
        return truth[name]

    return compile_condition(source, KNOWN).evaluate(lookup)


@pytest.mark.parametrize("source", [
    "a", "true", "not a", "a and b", "a or b", "(a or b) and not c", "not (a and b) or c and d", "  a  ",
    "a and true", "not not a",
])
def test_grammar_accepts(source: str) -> None:
    assert compile_condition(source, KNOWN).source == source.strip()


@pytest.mark.parametrize(("source", "message"), [
    ("a + b", "BinOp"), ("a - b", "BinOp"), ("f(a)", "Call"), ("a.b", "Attribute"), ("a < b", "Compare"),
    ("a == b", "Compare"), ("a is b", "Compare"), ("a in b", "Compare"), ("True", "Constant"), ("1", "Constant"),
    ("'a'", "Constant"), ("None", "Constant"), ("a[0]", "Subscript"), ("[a]", "List"), ("(a, b)", "Tuple"),
    ("{a}", "Set"), ("lambda: a", "Lambda"), ("a if b else c", "IfExp"), ("-a", "UnaryOp"), ("~a", "UnaryOp"),
    ("(x := a)", "NamedExpr"), ("[x for x in a]", "ListComp"), ("f'{a}'", "JoinedStr"),
])
def test_grammar_rejects_everything_else(source: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        compile_condition(source, KNOWN)


@pytest.mark.parametrize("source", ["", "   ", "a and", "a b", "import os", "a; b", "a = b", "(a"])
def test_grammar_rejects_invalid_syntax(source: str) -> None:
    with pytest.raises(ConditionError, match="not valid"):
        compile_condition(source, KNOWN)


@pytest.mark.parametrize("source", ["x", "a and x", "not (b or x)", "TRUE", "True_"])
def test_unknown_names_are_rejected_and_named(source: str) -> None:
    with pytest.raises(ConditionError, match="unknown fact"):
        compile_condition(source, KNOWN)


def test_names_excludes_true() -> None:
    assert compile_condition("a and (true or not b)", KNOWN).names == {"a", "b"}


@pytest.mark.parametrize(("source", "truth", "value"), [
    ("a", {"a": True}, True), ("a", {"a": False}, False), ("true", {}, True),
    ("not a", {"a": True}, False), ("a and b", {"a": True, "b": False}, False),
    ("a or b", {"a": False, "b": True}, True), ("a or b", {"a": False, "b": False}, False),
    ("(a or b) and not c", {"a": False, "b": True, "c": False}, True),
    ("(a or b) and not c", {"a": True, "b": True, "c": True}, False),
    ("a and b or c", {"a": False, "b": True, "c": True}, True),   # precedence: (a and b) or c
    ("a or b and c", {"a": False, "b": True, "c": False}, False),
])
def test_evaluation(source: str, truth: dict[str, bool], value: bool) -> None:
    assert run(source, **truth)[0] is value


@pytest.mark.parametrize(("source", "truth", "deciding"), [
    ("a", {"a": True}, [("a", True)]),
    ("true", {}, []),
    ("a and b", {"a": True, "b": True}, [("a", True), ("b", True)]),          # all parts decide a true 'and'
    ("a and b", {"a": True, "b": False}, [("b", False)]),                      # the false part decides
    ("a and b", {"a": False, "b": False}, [("a", False)]),                    # 'and' stops at its first false part
    ("a or b", {"a": False, "b": True}, [("b", True)]),                        # the true part decides
    ("a or b", {"a": True, "b": True}, [("a", True), ("b", True)]),
    ("a or b", {"a": False, "b": False}, [("a", False), ("b", False)]),        # all parts decide a false 'or'
    ("not a", {"a": False}, [("a", False)]),
    ("(a or b) and not c", {"a": True, "b": False, "c": False}, [("a", True), ("c", False)]),
    ("(a or b) and not c", {"a": True, "b": False, "c": True}, [("c", True)]),
])
def test_deciding_facts_in_source_order(source: str, truth: dict[str, bool], deciding: list) -> None:
    assert run(source, **truth)[1] == deciding


def test_and_does_not_consult_facts_after_a_false_part() -> None:
    consulted: list[str] = []

    def lookup(name: str) -> bool:
        consulted.append(name)
        return name == "b"

    assert compile_condition("a and b and c", KNOWN).evaluate(lookup)[0] is False
    assert consulted == ["a"]


def test_source_is_never_executed() -> None:
    with pytest.raises(ConditionError):
        compile_condition("__import__('os').system('false')", KNOWN | {"__import__"})
