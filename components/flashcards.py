"""Flashcard decks built from the knowledge base: special tests and anatomy terms (pure: no streamlit)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import DiagnosticTest

DECKS: Mapping[str, str] = {"tests": "Special tests", "anatomy": "Anatomy terms"}
TEST_CATEGORIES: tuple[str, ...] = ("clinical", "electrodiagnostic")
LR_BASIS_WORDS: Mapping[str, str] = {
    "published": "as published",
    "pooled_separately": "pooled separately in a meta-analysis",
    "computed": "computed from sensitivity and specificity",
}


@dataclass(frozen=True)
class CardLine:
    """One labelled line on the back of a card, with its references."""

    label: str
    text: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Card:
    """A flashcard: a front (title and subtitle) and a back of cited lines."""

    id: str
    front: str
    subtitle: str
    back: tuple[CardLine, ...]

    @property
    def refs(self) -> tuple[str, ...]:
        """Every reference on the back, in order of first use."""
        out: list[str] = []
        for line in self.back:
            out.extend(r for r in line.refs if r not in out)
        return tuple(out)


def _base_name(name: str) -> str:
    """A test's name without its bracketed detail, for grouping rows of the same test."""
    return re.sub(r"\s*\(.*?\)", "", name).strip().casefold()


def _pct(x: float) -> str:
    return f"{x * 100:.1f}".rstrip("0").rstrip(".") + "%"


def accuracy_text(test: DiagnosticTest) -> str:
    """Sensitivity, specificity and likelihood ratios of one study row, in words."""
    parts = []
    if test.sensitivity is not None:
        parts.append(f"sensitivity {_pct(test.sensitivity)}")
    if test.specificity is not None:
        parts.append(f"specificity {_pct(test.specificity)}")
    for label, mid, low, high in (
        ("LR+", test.lr_pos, test.lr_pos_low, test.lr_pos_high),
        ("LR-", test.lr_neg, test.lr_neg_low, test.lr_neg_high),
    ):
        if mid is not None:
            ci = f" (95% CI {low:g}-{high:g})" if low is not None and high is not None else ""
            parts.append(f"{label} {mid:g}{ci}")
    if (test.lr_pos is not None or test.lr_neg is not None) and test.lr_basis:
        parts.append(f"ratios {LR_BASIS_WORDS[test.lr_basis]}")
    if test.n:
        parts.append(f"n = {test.n}")
    parts.append(f"against {test.reference_standard}")
    return "; ".join(parts)


def test_cards(kb: KnowledgeBase, categories: Sequence[str] = TEST_CATEGORIES) -> tuple[Card, ...]:
    """One card per special test and target condition; several studies of it share the card's back."""
    groups: dict[tuple[str, str], list[DiagnosticTest]] = {}
    for test in kb.tests.values():
        if test.category in categories:
            groups.setdefault((_base_name(test.name), test.condition), []).append(test)
    order = list(kb.conditions)
    cards = []
    for (_, condition), rows in sorted(groups.items(), key=lambda kv: (order.index(kv[0][1]), kv[0][0])):
        first = min(rows, key=lambda t: len(t.name))
        procedure_refs = tuple(dict.fromkeys(r for t in rows for r in t.procedure_refs))
        back = [
            CardLine("How to perform", first.procedure, procedure_refs),
            CardLine("Positive when", first.positive_when, procedure_refs),
        ]
        for t in rows:
            back.append(CardLine("Accuracy", accuracy_text(t), (t.ref,)))
            if t.caveat:
                back.append(CardLine("Caveat", t.caveat, (t.ref,)))
        cards.append(
            Card(
                id=first.id,
                front=first.name,
                subtitle=f"Target: {kb.conditions[condition].name}",
                back=tuple(back),
            )
        )
    return tuple(cards)


def anatomy_cards(kb: KnowledgeBase) -> tuple[Card, ...]:
    """One card per anatomy term of the glossary, alphabetical."""
    terms = sorted((t for t in kb.glossary.values() if t.kind == "anatomy"), key=lambda t: t.term.casefold())
    cards = []
    for t in terms:
        related = ", ".join(kb.conditions[c].short_name for c in t.conditions if c in kb.conditions)
        subtitle = f"Matters in: {related}" if related else "Anatomy"
        cards.append(Card(id=t.id, front=t.term, subtitle=subtitle, back=(CardLine("Definition", t.definition, t.refs),)))
    return tuple(cards)


def build_deck(kb: KnowledgeBase, deck: str) -> tuple[Card, ...]:
    """The cards of a deck ('tests' or 'anatomy')."""
    if deck == "tests":
        return test_cards(kb)
    if deck == "anatomy":
        return anatomy_cards(kb)
    raise ValueError(f"unknown deck {deck!r}; expected one of {list(DECKS)}")


def clamp_card(index: int, size: int) -> int:
    """A valid card index for a deck of a given size (0 for an empty deck)."""
    if size <= 0:
        return 0
    return max(0, min(int(index), size - 1))


def step_card(index: int, size: int, step: int) -> int:
    """The next (step=1) or previous (step=-1) card, wrapping round the deck."""
    if size <= 0:
        return 0
    return (clamp_card(index, size) + step) % size
