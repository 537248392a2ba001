"""The glossary: every term the app needs, each cited; terms found in text; search, grouping, ordering."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from components import glossary
from components.knowledge import check
from components.knowledge.loader import KnowledgeBase

REQUIRED = (
    "quadratus_femoris",
    "ischial_tuberosity",
    "lesser_trochanter",
    "ischiofemoral_space",
    "quadratus_femoris_space",
    "sciatic_nerve",
    "piriformis",
    "obturator_internus",
    "gemelli",
    "deep_gluteal_space",
    "acetabular_labrum",
    "acetabulum",
    "cam_morphology",
    "pincer_morphology",
    "greater_trochanter",
    "gluteus_medius",
    "gluteus_minimus",
    "iliopsoas",
    "hamstring_origin",
    "radiculopathy",
    "sciatica",
    "disc_herniation",
    "fadir",
    "straight_leg_raise",
    "slump_test",
    "sensitivity",
    "specificity",
    "likelihood_ratio",
    "pretest_probability",
    "posttest_probability",
    "kellgren_lawrence_grade",
    "mri",
    "mr_arthrography",
    "conservative_care",
    "tendinopathy",
    "bursitis",
    "impingement",
    "bilateral",
    "cauda_equina_syndrome",
)


def test_glossary_has_every_required_term(kb: KnowledgeBase) -> None:
    assert len(kb.glossary) >= 40
    missing = [t for t in REQUIRED if t not in kb.glossary]
    assert not missing, missing


def test_every_term_cites_existing_references(kb: KnowledgeBase) -> None:
    for term in kb.glossary.values():
        assert term.refs, term.id
        unknown = [r for r in term.refs if r not in kb.references]
        assert not unknown, (term.id, unknown)
        assert all(c in kb.conditions for c in term.conditions), term.id


def test_definitions_are_short_and_names_unambiguous(kb: KnowledgeBase) -> None:
    owner: dict[str, str] = {}
    for term in kb.glossary.values():
        assert 20 <= len(term.definition) <= 420, (term.id, len(term.definition))
        for name in glossary.names_of(term):
            key = name.casefold()
            assert key not in owner or owner[key] == term.id, f"'{name}' names both {owner.get(key)} and {term.id}"
            owner[key] = term.id


def test_data_folder_checks_clean() -> None:
    assert check() == []


def test_glossary_with_unknown_reference_is_reported(data_copy: Path) -> None:
    path = data_copy / "glossary.yaml"
    terms = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms[0]["refs"] = ["no_such_reference_2099"]
    path.write_text(yaml.safe_dump(terms, sort_keys=False), encoding="utf-8")
    problems = [str(p) for p in check(data_copy)]
    assert any("glossary.yaml" in p and "no_such_reference_2099" in p for p in problems), problems


def test_new_references_file_is_loaded(kb: KnowledgeBase) -> None:
    for ref in ("nottingham_nd_sensitivity_specificity", "rutgers_nd_statistical_terms", "brainandspine_nd_ces"):
        assert ref in kb.references and kb.references[ref].url


# --------------------------------------------------------------------------- finding terms in text


def test_find_terms_in_order_of_first_mention(kb: KnowledgeBase) -> None:
    text = "The quadratus femoris is squeezed between the ischial tuberosity and the lesser trochanter."
    assert glossary.find_terms(kb.glossary, text) == ["quadratus_femoris", "ischial_tuberosity", "lesser_trochanter"]


def test_longer_names_win(kb: KnowledgeBase) -> None:
    found = glossary.find_terms(kb.glossary, "A tear of the acetabular labrum; the quadratus femoris space narrows.")
    assert found == ["acetabular_labrum", "quadratus_femoris_space"]


def test_whole_words_and_acronyms(kb: KnowledgeBase) -> None:
    assert glossary.find_terms(kb.glossary, "That seems fair and the oath holds.") == []
    assert glossary.find_terms(kb.glossary, "A positive FAIR test; hip OA.") == ["fair_test", "osteoarthritis"]
    assert glossary.find_terms(kb.glossary, "labrums and piriformisx") == []


def test_hyphens_spaces_and_aliases(kb: KnowledgeBase) -> None:
    assert glossary.find_terms(kb.glossary, "a straight-leg raise at 30 degrees") == ["straight_leg_raise"]
    assert glossary.find_terms(kb.glossary, "the well leg raise and the SLR") == ["crossed_straight_leg_raise", "straight_leg_raise"]
    assert glossary.find_terms(kb.glossary, "Greater Trochanteric Pain Syndrome") == ["greater_trochanteric_pain_syndrome"]


def test_find_terms_excludes_and_handles_empty(kb: KnowledgeBase) -> None:
    assert glossary.find_terms(kb.glossary, "") == []
    assert glossary.find_terms(kb.glossary, "sciatic nerve and piriformis", exclude=["piriformis"]) == ["sciatic_nerve"]
    texts = ["The sciatic nerve.", "Piriformis and the sciatic nerve."]
    assert glossary.find_terms_in(kb.glossary, texts) == ["sciatic_nerve", "piriformis"]


def test_condition_text_leads_to_many_terms(kb: KnowledgeBase) -> None:
    texts = [s.text for _, items in kb.conditions["ifi"].sections for s in items]
    found = glossary.find_terms_in(kb.glossary, texts)
    assert {"quadratus_femoris", "ischial_tuberosity", "lesser_trochanter", "ischiofemoral_space", "mri"} <= set(found)


# --------------------------------------------------------------------------- search, groups, order


@pytest.mark.parametrize(
    ("query", "first"),
    [("labrum", "acetabular_labrum"), ("LR+", "likelihood_ratio"), ("straight leg", "straight_leg_raise"), ("IFS", "ischiofemoral_space")],
)
def test_search_by_name_or_alias(kb: KnowledgeBase, query: str, first: str) -> None:
    assert glossary.search(kb.glossary, query)[0].id == first


def test_search_definitions_and_empty_query(kb: KnowledgeBase) -> None:
    hits = glossary.search(kb.glossary, "fibrocartilage")
    assert [t.id for t in hits] == ["acetabular_labrum"]
    assert len(glossary.search(kb.glossary, "  ")) == len(kb.glossary)
    assert glossary.search(kb.glossary, "zzzz-no-such-term") == []


def test_groups_follow_kind_order_and_alphabet(kb: KnowledgeBase) -> None:
    groups = glossary.group_by_kind(list(kb.glossary.values()))
    assert list(groups) == [k for k in glossary.KIND_LABELS if k in groups]
    assert sum(len(v) for v in groups.values()) == len(kb.glossary)
    for terms in groups.values():
        names = [t.term.casefold() for t in terms]
        assert names == sorted(names)


def test_with_first_splits_the_looked_up_term(kb: KnowledgeBase) -> None:
    terms = list(kb.glossary.values())
    chosen, rest = glossary.with_first(terms, "fadir")
    assert chosen is not None and chosen.id == "fadir" and len(rest) == len(terms) - 1
    none, everything = glossary.with_first(terms, None)
    assert none is None and len(everything) == len(terms)
