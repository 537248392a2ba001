"""Static parts of pages, drawn once per process for each view and replayed for every session (see cached.view)."""

from __future__ import annotations

import streamlit as st

from components.compare import Citations, detail_rows
from components.glossary import group_by_kind, search, with_first
from components.safety import md_escape
from components.sources import reference_table, strength_counts, strength_summary
from components.tests_library import MARKDOWN_KEY, fmt_lr, markdown_table, pct, same_test, table_rows
from components.ui import cached, practice, render
from components.ui.kb import get_kb
from components.ui.lecture import lecture_on


@cached.view
def charts(conditions: tuple[str, ...]) -> None:
    """The charts page's five charts of the chosen conditions, each with its text summary."""
    st.caption("Each dot is one source; bars show the range it reports. Hover for the value, range and source.")
    render.chart(cached.chart("feature_range", "bilateral_pct", conditions), key="charts_bilateral")
    left, right = st.columns(2, gap="large")
    with left:
        render.chart(cached.chart("feature_range", "female_pct", conditions), key="charts_female")
    with right:
        render.chart(cached.chart("feature_range", "age_years", conditions), key="charts_age")
    render.chart(cached.chart("heatmap", conditions), key="charts_heatmap")
    render.chart(cached.chart("pain_location", conditions), key="charts_pain")


@cached.view
def glossary(query: str, term: str | None) -> None:
    """The glossary below its search: the chosen term first, then every matching term by kind, then references."""
    kb = get_kb()
    citations = Citations()
    found = search(kb.glossary, query)
    chosen, rest = with_first(list(kb.glossary.values()) if term else found, term)
    if chosen is not None:
        practice.glossary_highlight(kb, chosen, citations)
        rest = [t for t in found if t.id != chosen.id]
    if query and not found:
        st.info("No term matches this search.", icon=":material/search_off:")
    elif query:
        st.caption(f"{len(found)} of {len(kb.glossary)} terms match.")
    practice.glossary_groups(kb, group_by_kind(rest), citations)
    render.reference_list(kb, citations.order)


@cached.view
def tests_table(conditions: tuple[str, ...]) -> None:
    """Every test row for the chosen target conditions (all when none), and the forest plot of them."""
    kb = get_kb()
    chosen = conditions
    tests = [t for t in kb.tests.values() if not chosen or t.condition in chosen]
    if lecture_on():
        # Text, not the canvas grid: the lecture CSS sets it in projector-sized type.
        st.markdown(markdown_table(kb, tests))
        st.caption(
            f"{len(tests)} of {len(kb.tests)} test rows. LR: likelihood ratio. {MARKDOWN_KEY} "
            f"Reference standard and caveats: the test in detail, below.\n\n{render.abbreviation_line(kb)}"
        )
    else:
        st.dataframe(
            table_rows(kb, tests),
            hide_index=True,
            width="stretch",
            column_config={"id": None, "Test": st.column_config.TextColumn(pinned=True)},
            key="tests_table",
        )
        # The abbreviations in the table's own caption, like a table's footnote: one element, not two.
        st.caption(
            f"{len(tests)} of {len(kb.tests)} test rows. LR: likelihood ratio. An n shown as None was not reported (it is not zero).\n\n"
            + render.abbreviation_line(kb)
        )

    render.chart(cached.chart("forest", tuple(tests)), key="tests_forest")


@cached.view
def test_detail(tid: str | None) -> None:
    """One test in detail: how to perform it, when it is positive, its accuracy and source; the same test elsewhere."""
    kb = get_kb()
    citations = Citations()
    if tid:
        test = kb.tests[tid]
        with st.container(border=True, key="tests_detail"):
            ref = kb.references[test.ref]
            # The test, how to do it and where its accuracy comes from in one element; the four numbers under it.
            st.markdown(
                f"### {md_escape(test.name)}\n\n"
                f"**How to perform:** {md_escape(test.procedure)} {render.cite(kb, test.procedure_refs, citations)}\n\n"
                f"**Positive when:** {md_escape(test.positive_when)}\n\n"
                f"**Accuracy:** n = {test.n if test.n else 'not reported'} · reference standard: {md_escape(test.reference_standard)} · "
                f"source: {md_escape(ref.short)} {render.cite(kb, [test.ref], citations)} :gray-badge[{ref.design}]"
            )
            # One horizontal container, not four columns: one block message instead of five.
            with st.container(horizontal=True, key="tests_metrics", gap="small"):
                st.metric("Sensitivity", pct(test.sensitivity), width="stretch")
                st.metric("Specificity", pct(test.specificity), width="stretch")
                st.metric("LR+", fmt_lr(test, positive=True).split(" ")[0], width="stretch")
                st.metric("LR−", fmt_lr(test, positive=False).split(" ")[0], width="stretch")
            if test.caveat:
                st.warning(md_escape(test.caveat), icon=":material/warning:")
        family = same_test(kb, test)
        if len(family) > 1:
            st.markdown("**The same test (or tests of the same finding) in other studies and conditions**")
            if lecture_on():
                st.markdown(markdown_table(kb, family))
            else:
                st.dataframe(table_rows(kb, family), hide_index=True, width="stretch", column_config={"id": None}, key="tests_family")
    render.reference_list(kb, citations.order)


LECTURE_LIST_MAX = 50  # the references of any one condition (at most 44 today) fit in the lecture-mode list


@cached.view
def sources(conditions: tuple[str, ...]) -> None:
    """How many references of each design, the reference table for the chosen conditions, and the dataset's heading."""
    kb = get_kb()
    table = reference_table(kb, list(conditions))
    # Every design and its count in one line (one element, where a metric per design left some out).
    st.markdown(strength_summary(strength_counts(table)))
    lecture = lecture_on()
    if lecture and len(table) <= LECTURE_LIST_MAX:
        # Text in projector-sized type (the canvas grid ignores the lecture CSS), strongest design first.
        st.markdown("\n".join(render.reference_entry(kb.references[rid]) for rid in table["id"]))
    else:
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "id": None,  # an internal id: the short citation leads, pinned
                "Citation": st.column_config.TextColumn("Citation", pinned=True),
                "Link": st.column_config.LinkColumn("Link", display_text="open"),
                "Title": st.column_config.TextColumn("Title", width="large"),
            },
            key="sources_table",
        )
    hint = (
        f" Choose conditions above to list at most {LECTURE_LIST_MAX} in projector-sized type."
        if lecture and len(table) > LECTURE_LIST_MAX
        else ""
    )
    st.caption(f"{len(table)} of {len(kb.references)} references.{hint}")

    st.markdown(
        "### :material/dataset: The open dataset\n\n"
        "The whole knowledge base: conditions, features, findings, tests, cases and references, with the provenance of every number."
    )


COMPARE_CAPTION = (
    ":material/star: marks the features that best tell these conditions apart. "
    ":orange[:material/warning: sources differ] marks cells where sources disagree: every value is kept. "
    "Bands such as *common* are estimates from the sources' wording."
)


@cached.view
def compare_table(conditions: tuple[str, ...], features: tuple[str, ...], step: int, layout: str | None) -> None:
    """The comparison as a table (or cards), the first `step` rows of it when revealing, and its key."""
    kb = get_kb()
    comparison = cached.comparison(conditions, features)
    if layout == "Cards":
        render.comparison_cards(kb, comparison, rows=step or None)
    else:
        st.markdown(render.comparison_markdown(kb, comparison, rows=step or None))
    st.caption(COMPARE_CAPTION)


@cached.view
def compare_details(conditions: tuple[str, ...], features: tuple[str, ...]) -> None:
    """Every value with its source, then the numbered references."""
    kb = get_kb()
    comparison = cached.comparison(conditions, features)
    with st.expander("Every value with its source", icon=":material/fact_check:"):
        st.dataframe(detail_rows(kb, comparison), hide_index=True, width="stretch", key="compare_details")
    render.reference_list(kb, comparison.citations)
