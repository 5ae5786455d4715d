"""Rule conditions: a tiny whitelisted boolean grammar over named facts, checked at protocol load.

Grammar: fact names, `true`, `and`, `or`, `not` and parentheses, nothing else (no calls,
attributes, comparisons or literals), parsed with `ast` in eval mode and never executed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property


ALWAYS = "true"
MAX_NESTING = 64  # operators inside operators; deeper is refused with a message, never a RecursionError
_SHOWN = 80


class ConditionError(ValueError):
    """A condition that is not in the grammar or names an unknown fact."""


Truth = Callable[[str], bool]
Decided = tuple[bool, list[tuple[str, bool]]]
Evaluator = Callable[[Truth], Decided]


@dataclass(frozen=True)
class Condition:
    """A parsed condition; `evaluate` returns its truth and the facts that made it so."""

    source: str
    tree: ast.expr
    run: Evaluator

    @cached_property
    def names(self) -> frozenset[str]:
        """The facts it names (computed once: the engine asks for every rule on every evaluation)."""
        return frozenset(n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name) and n.id != ALWAYS)

    @property
    def nesting(self) -> int:
        """How deeply its operators nest (the definitions it names not counted)."""
        return _nesting(self.tree)

    def evaluate(self, truth: Truth) -> Decided:
        """Truth of the condition and the (fact, value) pairs that decided it, in source order.

        `and` stops at its first false part, so a fact after it is not consulted for this patient."""
        return self.run(truth)


def _build(node: ast.expr) -> Evaluator:
    """Turn a checked tree into nested closures (no `eval`, no code objects)."""
    if isinstance(node, ast.Name):
        name = node.id
        if name == ALWAYS:
            return lambda truth: (True, [])

        def fact(truth: Truth) -> Decided:
            value = truth(name)
            return value, [(name, value)]
        return fact
    if isinstance(node, ast.UnaryOp):
        operand = _build(node.operand)

        def negate(truth: Truth) -> Decided:
            value, why = operand(truth)
            return not value, why
        return negate
    assert isinstance(node, ast.BoolOp)
    parts = [_build(v) for v in node.values]
    if isinstance(node.op, ast.And):
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
    """How deeply operators nest (iteratively: any depth is measured without recursion)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack += [(child, depth + 1) for child in ast.iter_child_nodes(node) if not isinstance(child, ast.expr_context)
                  and not isinstance(child, (ast.boolop, ast.unaryop))]
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
    return Condition(source=source.strip(), tree=tree, run=_build(tree))
