"""AppTest of the differential builder and the special-tests library."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.helpers import PAGE_FILES, all_markdown, link_notices, open_page, query_list

CASE = {
    "yes": ["buttock_pain", "worse_sitting", "positive_fair_or_piriformis_test"],
    "no": ["low_back_pain"],
    "sex": "female",
    "age": "45",
    "setting": "primary_care_buttock_leg",
}


def open_case(at: AppTest) -> AppTest:
    """Open the differential's folded case panel, as a click on "The case" does."""
    at.session_state["differential_case"] = True
    return at.run()


def case_lines(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**The case:**")]


def test_deep_link_restores_the_case() -> None:
    at = open_page("differential", CASE)
    assert not at.exception, [e.value for e in at.exception]
    assert not link_notices(at)
    open_case(at)
    assert at.multiselect(key="differential_yes").value == ["buttock_pain", "worse_sitting", "positive_fair_or_piriformis_test"]
    assert at.multiselect(key="differential_no").value == ["low_back_pain"]
    assert at.segmented_control(key="differential_sex").value == "female"
    assert at.number_input(key="differential_age").value == 45
    assert at.selectbox(key="differential_setting").value == "primary_care_buttock_leg"
    for key, value in CASE.items():
        assert query_list(at, key) == (value if isinstance(value, list) else [value])
    assert "independent" in all_markdown(at)


def test_findings_keep_the_links_order_and_one_state_each() -> None:
    """Imaging before history stays in that order (the reveal follows it); a finding present is not offered as absent."""
    at = open_case(open_page("differential", {"yes": ["disc_herniation_on_mri", "buttock_pain"], "no": ["low_back_pain"]}))
    assert not at.exception
    assert at.multiselect(key="differential_yes").value == ["disc_herniation_on_mri", "buttock_pain"]
    assert query_list(at, "yes") == ["disc_herniation_on_mri", "buttock_pain"]
    absent_offered = at.multiselect(key="differential_no").options
    present_offered = at.multiselect(key="differential_yes").options
    assert "Buttock pain" not in absent_offered and "Low back pain" in absent_offered
    assert "Low back pain" not in present_offered and "Buttock pain" in present_offered
    history, imaging = present_offered.index("Groin pain"), present_offered.index("Quadratus femoris oedema on MRI")
    assert history < present_offered.index("Positive straight leg raise") < imaging


def test_adding_a_finding_changes_the_ranking_and_the_url() -> None:
    at = open_case(open_page("differential", {"yes": ["buttock_pain"]}))
    before = next(e.label for e in at.expander if "%" in e.label)
    at.multiselect(key="differential_yes").set_value(["buttock_pain", "disc_herniation_on_mri"]).run()
    assert not at.exception
    after = next(e.label for e in at.expander if "%" in e.label)
    assert before != after
    assert after.startswith("Lumbar")
    assert "disc_herniation_on_mri" in query_list(at, "yes")


def test_a_linked_case_opens_folded_and_keeps_its_values_folded_and_open() -> None:
    """A link's case is one line until "The case" is opened; values entered survive folding, and the ranking uses them."""
    at = open_page("differential", CASE)
    assert not at.multiselect and not at.number_input and not at.segmented_control, "folded: no inputs drawn"
    (line,) = case_lines(at)
    assert "female, 45 years" in line and "Primary care" in line and "Worse with sitting" in line and "Low back pain" in line
    open_case(at)
    assert not case_lines(at), "open: the inputs say it"
    at.multiselect(key="differential_yes").set_value(["buttock_pain", "disc_herniation_on_mri"]).run()
    at.number_input(key="differential_age").set_value(60).run()
    ranked = next(e.label for e in at.expander if "%" in e.label)
    at.session_state["differential_case"] = False
    at.run()
    assert not at.exception and not at.multiselect
    (line,) = case_lines(at)
    assert "60 years" in line and "disc herniation on MRI" in line and "Worse with sitting" not in line
    assert next(e.label for e in at.expander if "%" in e.label) == ranked, "folded, the ranking still rests on the case"
    assert query_list(at, "age") == ["60"] and query_list(at, "yes") == ["buttock_pain", "disc_herniation_on_mri"]
    open_case(at)
    assert at.multiselect(key="differential_yes").value == ["buttock_pain", "disc_herniation_on_mri"]
    assert at.number_input(key="differential_age").value == 60
    assert at.segmented_control(key="differential_sex").value == "female"


def come_back(at: AppTest, query: dict[str, str | list[str]]) -> AppTest:
    """Visit the explorer, then come back to the differential at a URL with this query (a link, or Back)."""
    at.switch_page(PAGE_FILES["explorer"]).run()
    at.query_params.clear()
    at.query_params.update(query)
    return at.switch_page(PAGE_FILES["differential"]).run()


def test_reasons_appear_once_anything_is_entered() -> None:
    empty = open_page("differential")
    assert not empty.exception
    assert not [e.label for e in empty.expander if "and why" in e.label], "nothing entered: no panel of 'none of the findings'"
    assert "counts as unknown, not absent" in all_markdown(empty), "the rule is said under the chart"
    sex_only = open_page("differential", {"sex": "female"})
    assert [e.label for e in sex_only.expander if "and why" in e.label]


def test_a_case_opened_once_survives_a_visit_elsewhere_and_a_new_link_replaces_it() -> None:
    at = open_case(open_page("differential", CASE))
    at.number_input(key="differential_age").set_value(50).run()
    come_back(at, {**CASE, "age": "50"})  # Back to the same view: nothing to apply, the values are kept
    assert not at.exception
    open_case(at)  # (it is open already: it was open when the student left)
    assert at.multiselect(key="differential_yes").value == CASE["yes"]
    assert at.number_input(key="differential_age").value == 50
    come_back(at, {"yes": ["disc_herniation_on_mri"], "sex": "male"})  # another case's link replaces it
    (line,) = case_lines(at)
    assert line.startswith("**The case:** male ·") and "disc herniation on MRI" in line and "Buttock pain" not in line
    open_case(at)
    assert at.multiselect(key="differential_yes").value == ["disc_herniation_on_mri"]
    assert at.multiselect(key="differential_no").value == []
    assert at.segmented_control(key="differential_sex").value == "male"
    assert at.number_input(key="differential_age").value is None


def test_an_empty_builder_opens_ready_for_input_and_lecture_mode_folds_it() -> None:
    at = open_page("differential", {})
    assert at.multiselect(key="differential_yes").value == [] and not case_lines(at)
    at.session_state["lecture_mode"] = True  # what the sidebar's switch sets (AppTest's switch_page skips the frame)
    at.run()
    assert not at.exception and not at.multiselect, "entering lecture mode folds the inputs"
    assert case_lines(at) == ["**The case:** sex and age not given · **present:** none entered · **absent:** none entered"]
    at.session_state["lecture_mode"] = False
    at.run()
    assert at.multiselect(key="differential_yes").value == [], "leaving it opens them again"


def test_red_flag_shows_do_not_miss_panel_above_the_ranking() -> None:
    at = open_page("differential", {"yes": ["buttock_pain", "red_flag_saddle_anaesthesia_bladder"]})
    assert not at.exception
    assert any("Do not miss" in str(e.value) for e in at.error)
    assert "auda equina" in all_markdown(at)


def test_contradictory_and_bad_link_values_give_notices() -> None:
    at = open_page(
        "differential", {"yes": ["buttock_pain", "nonsense"], "no": ["buttock_pain"], "sex": "x", "age": "300", "setting": "mars"}
    )
    assert not at.exception
    notices = " ".join(link_notices(at)).replace("\\", "")
    for word in ("nonsense", "both present and absent", "'sex'", "'age'", "'setting'"):
        assert word in notices, (word, notices)
    open_case(at)
    assert at.multiselect(key="differential_yes").value == []
    assert at.segmented_control(key="differential_sex").value is None


def test_nomogram_uses_the_current_probability() -> None:
    at = open_page("differential", {"yes": ["buttock_pain"]})
    assert all(s.key != "differential_nomogram_test" for s in at.selectbox), "the nomogram waits for its switch"
    at.toggle(key="differential_nomogram").set_value(True).run()
    at.selectbox(key="differential_nomogram_test").set_value("dgs_active_piriformis").run()
    assert not at.exception
    assert "Starts from the current probability of Deep gluteal syndrome" in all_markdown(at)


def test_tests_page_filters_and_details() -> None:
    at = open_page("tests", {"conditions": ["dgs"], "test": "dgs_slr"})
    assert not at.exception
    assert not link_notices(at)
    table = at.dataframe[0].value
    assert set(table["Target"]) == {"DGS"}
    assert at.selectbox(key="tests_test").value == "dgs_slr"
    # the same test studied for lumbar disc herniation is shown beside it
    family = at.dataframe[1].value
    assert "Lumbar sciatica" in set(family["Target"]) and "DGS" in set(family["Target"])
    at.pills(key="tests_conditions").set_value(["hip_oa"]).run()
    assert set(at.dataframe[0].value["Target"]) == {"Hip OA"}
    assert query_list(at, "conditions") == ["hip_oa"]


def test_tests_page_bad_test_id() -> None:
    at = open_page("tests", {"test": "<b>bold</b>"})
    assert not at.exception
    assert link_notices(at)
