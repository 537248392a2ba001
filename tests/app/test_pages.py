"""AppTest: every page runs, widgets change what it shows, deep links restore views, bad links notice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.app.helpers import PAGE_FILES, all_markdown, link_notices, open_page, query_list


def table_markdown(at) -> str:  # type: ignore[no-untyped-def]
    """The comparison table's Markdown."""
    tables = [m.value for m in at.markdown if str(m.value).startswith("| Feature |")]
    assert tables, "no comparison table on the page"
    return str(tables[0])


def header_of(at) -> str:  # type: ignore[no-untyped-def]
    """The header line of the comparison table."""
    return table_markdown(at).splitlines()[0]


@pytest.mark.parametrize("page", list(PAGE_FILES))
def test_every_page_runs_without_exception(page: str) -> None:
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert "for education, not diagnosis" in all_markdown(at)
    assert not link_notices(at)


def test_compare_default_is_ifi_dgs_lumbar() -> None:
    at = open_page("compare")
    header = header_of(at)
    assert "Ischiofemoral impingement" in header and "Deep gluteal syndrome" in header and "Lumbar" in header
    assert query_list(at, "conditions") == ["ifi", "dgs", "lumbar_sciatica"]


def test_changing_conditions_changes_table_and_url() -> None:
    at = open_page("compare")
    at.pills(key="compare_conditions").set_value(["fai", "labral_tear"]).run()
    assert not at.exception
    header = header_of(at)
    assert "Femoroacetabular" in header and "labral" in header.lower() and "Ischiofemoral" not in header
    assert query_list(at, "conditions") == ["fai", "labral_tear"]


def test_changing_features_changes_rows_and_url() -> None:
    at = open_page("compare")
    at.multiselect(key="compare_features").set_value(["female_pct", "bilateral_pct"]).run()
    rows = table_markdown(at).splitlines()[2:]
    assert len(rows) == 2
    assert rows[0].startswith("| **Women") or rows[0].startswith("| Women")
    assert query_list(at, "features") == ["female_pct", "bilateral_pct"]


def test_one_condition_is_not_a_comparison() -> None:
    at = open_page("compare")
    at.pills(key="compare_conditions").set_value(["fai"]).run()
    assert not at.exception
    assert any("at least two conditions" in str(i.value) for i in at.info)


@pytest.mark.parametrize(
    ("page", "query", "check"),
    [
        ("explorer", {"condition": "dgs"}, lambda at: at.selectbox(key="explorer_condition").value == "dgs"),
        ("explorer", {"condition": "hip_oa"}, lambda at: any(str(m.value).startswith("## Hip osteoarthritis\n") for m in at.markdown)),
        (
            "compare",
            {"conditions": ["fai", "hip_oa"]},
            lambda at: "Hip osteoarthritis" in header_of(at) and "Ischiofemoral" not in header_of(at),
        ),
        ("compare", {"conditions": ["ifi", "dgs"], "features": ["female_pct"]}, lambda at: len(table_markdown(at).splitlines()) == 3),
        ("charts", {"conditions": ["ifi", "dgs"]}, lambda at: at.pills(key="charts_conditions").value == ["ifi", "dgs"]),
        ("sources", {"conditions": ["ifi"]}, lambda at: len(at.dataframe[0].value) > 5),
    ],
)
def test_deep_link_restores_view(page: str, query: dict[str, object], check) -> None:  # type: ignore[no-untyped-def]
    at = open_page(page, query)  # type: ignore[arg-type]
    assert not at.exception, [e.value for e in at.exception]
    assert not link_notices(at)
    assert check(at)
    for key, value in query.items():
        assert query_list(at, key) == (value if isinstance(value, list) else [value])


@pytest.mark.parametrize(
    ("page", "query", "default_check"),
    [
        ("explorer", {"condition": "knee"}, lambda at: at.selectbox(key="explorer_condition").value == "ifi"),
        ("explorer", {"condition": ["dgs", "fai"]}, lambda at: at.selectbox(key="explorer_condition").value == "ifi"),
        ("explorer", {"condition": ""}, lambda at: at.selectbox(key="explorer_condition").value == "ifi"),
        ("compare", {"conditions": ["fai", "<script>alert(1)</script>"]}, lambda at: "Ischiofemoral" in header_of(at)),
        ("compare", {"conditions": ["fai", "fai"]}, lambda at: "Ischiofemoral" in header_of(at)),
        ("compare", {"conditions": ["fai", "hip_oa", "zzz"]}, lambda at: "Hip osteoarthritis" in header_of(at)),
        ("compare", {"features": ["nope"]}, lambda at: len(table_markdown(at).splitlines()) > 10),
        ("compare", {"step": "-3"}, lambda at: "Ischiofemoral" in header_of(at)),
        ("charts", {"conditions": ["x" * 5000]}, lambda at: len(at.pills(key="charts_conditions").value) == 8),
        ("sources", {"bogus": "1"}, lambda at: len(at.dataframe[0].value) > 100),
        ("overview", {"lecture": "maybe"}, lambda at: True),
    ],
)
def test_bad_link_gives_notice_and_default(page: str, query: dict[str, object], default_check) -> None:  # type: ignore[no-untyped-def]
    at = open_page(page, query)  # type: ignore[arg-type]
    assert not at.exception, [e.value for e in at.exception]
    warnings = link_notices(at)
    assert warnings, [str(w.value) for w in at.warning]
    assert default_check(at)


def test_notice_escapes_markdown_from_the_url() -> None:
    at = open_page("compare", {"conditions": ["fai", "[x](javascript:alert(1))", ":red[boom]"]})
    text = str(at.warning[0].value)
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in text
    assert "\\:red\\[boom\\]" in text


def test_broken_knowledge_base_shows_one_clear_message(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "features.yaml").write_text("- id: [broken\n", encoding="utf-8")
    os.environ["HIPLENS_DATA_DIR"] = str(data_copy)
    try:
        at = open_page("compare")
    finally:
        del os.environ["HIPLENS_DATA_DIR"]
    assert not at.exception
    assert at.error and "could not load its knowledge base" in str(at.error[0].value)
    codes = [c.value for c in at.code]
    assert any("features.yaml" in c and "malformed YAML" in c for c in codes), codes


def test_a_failed_load_is_retried_once_the_file_is_fixed(data_copy: Path) -> None:
    """The knowledge base is kept per folder once it loads (components/ui/kb.py); a failure is not kept."""
    features = data_copy / "features.yaml"
    good = features.read_text(encoding="utf-8")
    features.write_text("- id: [broken\n", encoding="utf-8")
    os.environ["HIPLENS_DATA_DIR"] = str(data_copy)
    try:
        broken = open_page("compare")
        features.write_text(good, encoding="utf-8")
        fixed = open_page("compare")
    finally:
        del os.environ["HIPLENS_DATA_DIR"]
    assert broken.error and "could not load its knowledge base" in str(broken.error[0].value)
    assert not fixed.error and not fixed.exception
    assert any("Ischiofemoral impingement" in str(m.value) for m in fixed.markdown)


def test_cards_layout_shows_one_card_per_feature() -> None:
    at = open_page("compare", {"features": ["female_pct", "age_years", "bilateral_pct"]})
    at.segmented_control(key="compare_layout").set_value("Cards").run()
    assert not at.exception
    cards = [m.value for m in at.markdown if str(m.value).startswith("**") and "- **IFI**" in str(m.value)]
    assert len(cards) == 3
    assert "not reported" in cards[2]  # DGS bilateral


def test_step_link_reveals_rows_and_out_of_range_step_notices() -> None:
    at = open_page("compare", {"step": "2"})
    assert len(table_markdown(at).splitlines()) == 4
    at = open_page("compare", {"step": "99"})
    assert link_notices(at)
    assert len(table_markdown(at).splitlines()) > 10


def test_explorer_says_estimate_once_per_provocation() -> None:
    """A provoking movement that is an estimate carries the badge, not the word twice ('typical (estimate) [11] estimate')."""
    at = open_page("explorer", {"condition": "ifi"})
    lines = [line for line in all_markdown(at).splitlines() if line.startswith("- **Worse with")]
    assert lines and any(":orange-badge[estimate]" in line for line in lines)
    assert all(line.count("estimate") <= 1 for line in lines), lines


def test_download_menus_draw_their_buttons_only_when_open() -> None:
    """A closed Download menu is one element per run; opened, it holds the page's three files."""
    for key, view, labels in (
        ("compare", {}, ["Table (CSV)", "Handout (HTML, printable)", "Slides (PowerPoint)"]),
        ("differential", {"yes": ["buttock_pain"]}, ["Differential (CSV)", "Handout (HTML, printable)", "Slides (PowerPoint)"]),
    ):
        at = open_page(key, view)
        assert not at.exception
        assert not at.get("download_button"), key
        at.session_state[f"{key}_downloads"] = True  # what opening the menu does
        at.run()
        assert not at.exception
        assert [b.label for b in at.get("download_button")] == labels, key
