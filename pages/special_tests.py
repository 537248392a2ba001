"""Special tests: how to perform each test, what counts as positive, and how accurate it is."""

import streamlit as st

from components.compare import Citations
from components.safety import md_escape
from components.tests_library import fmt_lr, pct, same_test, table_rows
from components.ui import cached, render
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view

kb = get_kb()
read_view("tests", kb, {"conditions": "tests_conditions", "test": "tests_test"})
names = {cid: c.short_name for cid, c in kb.conditions.items()}
st.session_state.setdefault("tests_conditions", [])

st.title("Special tests")
render.education_notice()
chosen = st.pills("Target condition", list(names), format_func=names.get, selection_mode="multi", key="tests_conditions")
render.abbreviations(kb)
tests = [t for t in kb.tests.values() if not chosen or t.condition in chosen]
st.dataframe(
    table_rows(kb, tests),
    hide_index=True,
    width="stretch",
    column_config={"id": None, "Test": st.column_config.TextColumn(pinned=True)},
    key="tests_table",
)
st.caption(f"{len(tests)} of {len(kb.tests)} test rows. LR: likelihood ratio. A blank n is unknown, not zero.")

render.chart(cached.chart("forest", tuple(tests)), key="tests_forest")

st.subheader(":material/stethoscope: One test in detail")
labels = {t.id: f"{t.name} → {kb.conditions[t.condition].short_name}" for t in tests}
if st.session_state.get("tests_test") not in labels:
    st.session_state["tests_test"] = next(iter(labels), None)
tid = st.selectbox("Test", list(labels), format_func=labels.get, key="tests_test")
citations = Citations()
if tid:
    test = kb.tests[tid]
    with st.container(border=True, key="tests_detail"):
        st.markdown(f"### {md_escape(test.name)}")
        st.markdown(f"**How to perform:** {md_escape(test.procedure)} {render.cite(kb, test.procedure_refs, citations)}")
        st.markdown(f"**Positive when:** {md_escape(test.positive_when)}")
        m = st.columns(4)
        m[0].metric("Sensitivity", pct(test.sensitivity))
        m[1].metric("Specificity", pct(test.specificity))
        m[2].metric("LR+", fmt_lr(test, positive=True).split(" ")[0])
        m[3].metric("LR−", fmt_lr(test, positive=False).split(" ")[0])
        ref = kb.references[test.ref]
        st.markdown(
            f"n = {test.n if test.n else 'not reported'} · reference standard: {md_escape(test.reference_standard)} · "
            f"source: {md_escape(ref.short)} {render.cite(kb, [test.ref], citations)} :gray-badge[{ref.design}]"
        )
        if test.caveat:
            st.warning(md_escape(test.caveat), icon=":material/warning:")
    family = same_test(kb, test)
    if len(family) > 1:
        st.markdown("**The same test (or tests of the same finding) in other studies and conditions**")
        st.dataframe(table_rows(kb, family), hide_index=True, width="stretch", column_config={"id": None}, key="tests_family")
render.reference_list(kb, citations.order)
write_view("tests", {"conditions": tuple(chosen), "test": tid})
