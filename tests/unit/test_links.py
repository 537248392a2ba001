"""Deep-link parsing and writing: valid ids kept, everything else dropped with a notice, never an exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from components.links import PAGES, page_url, read_page, to_query

VOCAB = {
    "conditions": ("ifi", "dgs", "lumbar_sciatica", "fai", "labral_tear", "hip_oa", "gluteal_tendinopathy", "hamstring_tendinopathy"),
    "features": ("female_pct", "age_years"),
    "findings": ("buttock_pain", "low_back_pain"),
    "tests": ("dgs_slr",),
    "settings": ("spine_clinic",),
    "cases": ("case_01",),
    "glossary": ("sciatic_nerve",),
}


def test_valid_link_round_trips() -> None:
    query = {"conditions": ["fai", "hip_oa"], "features": ["age_years"], "step": ["2"], "lecture": ["true"]}
    state = read_page("compare", query, VOCAB)
    assert not state.notices
    assert state.values["conditions"] == ("fai", "hip_oa")
    assert state.values["step"] == 2 and state.values["lecture"] is True
    assert to_query("compare", state.values) == query


def test_invalid_values_dropped_with_notices_rest_applies() -> None:
    state = read_page("compare", {"conditions": ["fai", "knee", "hip_oa", "fai", ""], "step": ["two"]}, VOCAB)
    assert state.values["conditions"] == ("fai", "hip_oa")
    assert state.values["step"] == 0
    text = " ".join(state.notices)
    assert "'knee'" in text and "repeated" in text and "empty" in text and "'two'" in text


def test_one_condition_is_not_a_comparison() -> None:
    state = read_page("compare", {"conditions": ["fai"]}, VOCAB)
    assert state.values["conditions"] == ("ifi", "dgs", "lumbar_sciatica")
    assert any("at least 2" in n for n in state.notices)


def test_repeated_single_value_takes_default() -> None:
    state = read_page("explorer", {"condition": ["dgs", "fai"]}, VOCAB)
    assert state.values["condition"] == "ifi"
    assert state.notices


def test_unknown_parameter_noticed() -> None:
    state = read_page("overview", {"utm_source": ["x"]}, VOCAB)
    assert state.notices and "utm_source" in state.notices[0]


def test_numbers_out_of_range() -> None:
    state = read_page("differential", {"age": ["300"], "step": ["-1"], "sex": ["other"]}, VOCAB)
    assert state.values["age"] is None and state.values["step"] == 0 and state.values["sex"] is None
    assert len(state.notices) == 3


def test_page_url_carries_lecture_and_encodes() -> None:
    assert (
        page_url("compare", {"conditions": ("fai", "hip_oa"), "lecture": True}) == "/compare?conditions=fai&conditions=hip_oa&lecture=true"
    )
    assert page_url("overview", {}) == "/"
    assert page_url("explorer", {"condition": "dgs"}, base="http://h:1/") == "http://h:1/explorer?condition=dgs"


def test_no_page_file_named_like_its_url_path() -> None:
    from components.ui.links import PAGE_FILES

    for key, spec in PAGES.items():
        stem = PAGE_FILES[key].rsplit("/", 1)[-1].removesuffix(".py")
        assert stem != spec.url_path, (key, stem)


@settings(max_examples=300, deadline=None)
@given(
    page=st.sampled_from(sorted(PAGES)),
    query=st.dictionaries(
        st.sampled_from(
            [
                "conditions",
                "condition",
                "features",
                "step",
                "lecture",
                "yes",
                "no",
                "sex",
                "age",
                "setting",
                "test",
                "case",
                "seed",
                "deck",
                "card",
                "term",
                "x",
            ]
        ),
        st.lists(st.text(max_size=300), max_size=6),
        max_size=8,
    ),
)
def test_any_query_never_raises_and_gives_valid_values(page: str, query: dict[str, list[str]]) -> None:
    state = read_page(page, query, VOCAB)
    for spec in PAGES[page].params:
        value = state.values[spec.name]
        if spec.kind == "ids" and value:
            assert all(v in VOCAB[spec.vocabulary or ""] for v in value)  # type: ignore[union-attr]
            assert len(value) <= spec.max_items  # type: ignore[arg-type]
        if spec.kind == "int" and value is not None:
            assert isinstance(value, int)
            assert spec.minimum is None or value >= spec.minimum
    to_query(page, state.values)
