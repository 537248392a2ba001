"""Flashcard decks: one card per special test (every study on its back) and per anatomy term, all cited."""

from __future__ import annotations

import pytest

from components import flashcards
from components.knowledge.loader import KnowledgeBase


def test_tests_deck_has_one_card_per_test_and_target(kb: KnowledgeBase) -> None:
    cards = flashcards.build_deck(kb, "tests")
    special = [t for t in kb.tests.values() if t.category in flashcards.TEST_CATEGORIES]
    expected = {(flashcards._base_name(t.name), t.condition) for t in special}
    assert len(cards) == len(expected)
    assert len({c.id for c in cards}) == len(cards)
    fronts = {(c.front, c.subtitle) for c in cards}
    assert ("Long-stride walking test", "Target: Ischiofemoral impingement") in fronts
    assert not any(t.category == "imaging" and t.id in {c.id for c in cards} for t in kb.tests.values())


def test_test_card_back_has_procedure_positive_accuracy_and_sources(kb: KnowledgeBase) -> None:
    card = next(c for c in flashcards.test_cards(kb) if c.id == "dgs_seated_piriformis_stretch")
    labels = [line.label for line in card.back]
    assert labels[:3] == ["How to perform", "Positive when", "Accuracy"]
    accuracy = next(line for line in card.back if line.label == "Accuracy")
    assert "sensitivity 52%" in accuracy.text and "specificity 90%" in accuracy.text and "LR+ 5.22" in accuracy.text
    assert accuracy.refs == ("martin_2014_sn_tests",)
    assert all(line.refs for line in card.back)
    assert all(r in kb.references for r in card.refs)


def test_several_studies_of_one_test_share_a_card(kb: KnowledgeBase) -> None:
    slr = [c for c in flashcards.test_cards(kb) if c.front.startswith("Straight leg raise")]
    targets = sorted(c.subtitle for c in slr)
    assert targets == ["Target: Deep gluteal syndrome", "Target: Lumbar disc herniation with radiculopathy (sciatica)"]
    sciatica = next(c for c in slr if "sciatica" in c.subtitle)
    studies = [line for line in sciatica.back if line.label == "Accuracy"]
    assert {line.refs[0] for line in studies} == {"cochrane_nd_physical_exam_ldh", "rwanda_nd_slr_slump_pilot"}
    assert any("sensitivity 92%" in line.text for line in studies) and any("sensitivity 87.5%" in line.text for line in studies)


def test_accuracy_text_shows_confidence_intervals_and_lr_basis(kb: KnowledgeBase) -> None:
    text = flashcards.accuracy_text(kb.tests["hipoa_squat_posterior_pain"])
    assert "LR+ 6.1 (95% CI 1.3-29)" in text and "as published" in text
    pooled = flashcards.accuracy_text(kb.tests["labral_faddir_mra"])
    assert "pooled separately" in pooled and "against MR arthrography" in pooled.replace("arthrography", "arthrography")


def test_anatomy_deck_is_the_glossary_anatomy_terms(kb: KnowledgeBase) -> None:
    cards = flashcards.build_deck(kb, "anatomy")
    anatomy = [t for t in kb.glossary.values() if t.kind == "anatomy"]
    assert len(cards) == len(anatomy) >= 20
    assert [c.front for c in cards] == sorted((t.term for t in anatomy), key=str.casefold)
    qf = next(c for c in cards if c.id == "quadratus_femoris")
    assert qf.back[0].label == "Definition" and qf.back[0].text == kb.glossary["quadratus_femoris"].definition
    assert qf.refs == kb.glossary["quadratus_femoris"].refs
    assert "IFI" in qf.subtitle


def test_unknown_deck_is_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="unknown deck"):
        flashcards.build_deck(kb, "drugs")


@pytest.mark.parametrize(
    ("index", "size", "expected"),
    [(0, 5, 0), (4, 5, 4), (7, 5, 4), (-3, 5, 0), (3, 0, 0)],
)
def test_clamp_card(index: int, size: int, expected: int) -> None:
    assert flashcards.clamp_card(index, size) == expected


@pytest.mark.parametrize(
    ("index", "step", "expected"),
    [(0, 1, 1), (4, 1, 0), (0, -1, 4), (2, -1, 1), (9, 1, 0)],
)
def test_step_card_wraps_round(index: int, step: int, expected: int) -> None:
    assert flashcards.step_card(index, 5, step) == expected
