"""Rule conditions: a tiny whitelisted boolean grammar over named facts, checked at protocol load.

Grammar: fact names, `true`, `and`, `or`, `not` and parentheses, nothing else (no calls,
attributes, comparisons or literals), parsed with `ast` in eval mode and never executed.

A checked condition is kept as plain data, its *form*: a fact name, `["not", form]`, or
`["and" | "or", form, form, ...]`. The compiled protocol artefact carries the forms of the shipped
protocol's conditions, so that loading it parses nothing (`condition_from_form`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Union

ALWAYS = "true"
MAX_NESTING = 64  # operators inside operators; deeper is refused with a message, never a RecursionError
_SHOWN = 80


class ConditionError(ValueError):
    """A condition that is not in the grammar or names an unknown fact."""


Truth = Callable[[str], bool]
Decided = tuple[bool, list[tuple[str, bool]]]
Evaluator = Callable[[Truth], Decided]
Form = Union[str, list]  # a fact name, or [operator, operand, ...] (see the module docstring)


@dataclass(frozen=True)
class Condition:
    """A parsed condition; `evaluate` returns its truth and the facts that made it so."""

    source: str
    form: Form
    run: Evaluator

    @cached_property
    def names(self) -> frozenset[str]:
        """The facts it names (computed once: the engine asks for every rule on every evaluation)."""
        found, stack = set(), [self.form]
        while stack:
            form = stack.pop()
            if isinstance(form, str):
                found.add(form)
            else:
                stack += form[1:]
        return frozenset(found - {ALWAYS})

    @property
    def nesting(self) -> int:
        """How deeply its operators nest (the definitions it names not counted)."""
        deepest, stack = 0, [(self.form, 1)]
        while stack:
            form, depth = stack.pop()
            deepest = max(deepest, depth)
            if not isinstance(form, str):
                stack += [(part, depth + 1) for part in form[1:]]
        return deepest

    def evaluate(self, truth: Truth) -> Decided:
        """Truth of the condition and the (fact, value) pairs that decided it, in source order.

        `and` stops at its first false part, so a fact after it is not consulted for this patient."""
        return self.run(truth)


def _form(node: ast.expr) -> Form:
    """The form of a checked tree."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.UnaryOp):
        return ["not", _form(node.operand)]
    assert isinstance(node, ast.BoolOp)
    return ["and" if isinstance(node.op, ast.And) else "or", *(_form(v) for v in node.values)]


def _build(form: Form) -> Evaluator:
    """Turn a form into nested closures (no `eval`, no code objects)."""
    if isinstance(form, str):
        name = form
        if name == ALWAYS:
            return lambda truth: (True, [])

        def fact(truth: Truth) -> Decided:
            value = truth(name)
            return value, [(name, value)]
        return fact
    if form[0] == "not":
        operand = _build(form[1])

        def negate(truth: Truth) -> Decided:
            value, why = operand(truth)
            return not value, why
        return negate
    parts = [_build(v) for v in form[1:]]
    if form[0] == "and":
        def conjunction(truth: Truth) -> Decided:
            """Stops at the first false part (later parts are not consulted); else every part decided."""
            results = []
            for part in parts:
                value, why = part(truth)
                if not value:
                    return False, why
                results += why
            return True, results
        return conjunction

    def disjunction(truth: Truth) -> Decided:
        """Every part is consulted, so that all the reasons that hold are reported."""
        results = [part(truth) for part in parts]
        value = any(r[0] for r in results)
        return value, [w for r in results if r[0] == value for w in r[1]]
    return disjunction


def _quoted(source: str) -> str:
    """The condition as shown in messages: shortened, so a huge condition gives a short message."""
    text = " ".join(source.split())
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…")


def _nesting(tree: ast.AST) -> int:
    """How deeply operators nest (iteratively: any depth is measured without recursion). Only `and`, `or` and
    `not` are followed: anything else is outside the grammar, and `_check` refuses it without descending."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, ast.BoolOp):
            stack += [(child, depth + 1) for child in node.values]
        elif isinstance(node, ast.UnaryOp):
            stack.append((node.operand, depth + 1))
    return deepest


def _check(node: ast.AST, known: Collection[str], source: str) -> None:
    if isinstance(node, ast.Name):
        if node.id != ALWAYS and node.id not in known:
            raise ConditionError(f"unknown fact {node.id!r} in condition {_quoted(source)}")
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, known, source)
        return
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, known, source)
        return
    raise ConditionError(
        f"{type(node).__name__} is not allowed in condition {_quoted(source)}: use fact names, true, and, or, not")


def compile_condition(source: str, known: Collection[str]) -> Condition:
    """Parse `source`, rejecting anything outside the grammar or any name not in `known`."""
    too_deep = ConditionError(f"condition {_quoted(source)} nests more than {MAX_NESTING} levels deep")
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ConditionError(f"condition {_quoted(source)} is not valid: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise too_deep from None
    if _nesting(tree) > MAX_NESTING:
        raise too_deep
    _check(tree, known, source)
    return condition_from_form(source, _form(tree))


def condition_from_form(source: str, form: Form) -> Condition:
    """The condition for a form that `compile_condition` made (as the compiled protocol artefact holds them)."""
    return Condition(source=source.strip(), form=form, run=_build(form))
