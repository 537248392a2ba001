"""Comparison: any two to eight conditions side by side over any features, every cell cited."""

import streamlit as st

from components.compare import build_comparison, detail_rows
from components.links import page_url
from components.ui import render
from components.ui.handouts import comparison_downloads
from components.ui.kb import get_kb
from components.ui.lecture import lecture_on
from components.ui.links import read_view, write_view
from components.ui.reveal import reveal_controls

kb = get_kb()
state = read_view("compare", kb, {"conditions": "compare_conditions", "features": "compare_features", "step": "compare_step"})
names = {cid: c.short_name for cid, c in kb.conditions.items()}
labels = {fid: f.label for fid, f in kb.features.items()}
st.session_state.setdefault("compare_conditions", list(state.values["conditions"]))
if not st.session_state.get("compare_features"):
    st.session_state["compare_features"] = list(kb.features)

st.title("Compare conditions")
render.education_notice()
with st.expander("Conditions and features", icon=":material/tune:", expanded=not lecture_on()):
    chosen = st.pills("Conditions (two to eight)", list(names), format_func=names.get, selection_mode="multi", key="compare_conditions")
    render.abbreviations(kb)
    features = st.multiselect("Features shown (rows)", list(labels), format_func=labels.get, key="compare_features")

if len(chosen) < 2 or not features:
    st.info("Choose at least two conditions and one feature to compare.", icon=":material/info:")
    st.stop()

comparison = build_comparison(kb, chosen, features)
step = reveal_controls("compare_step", len(comparison.rows), noun="feature row")
layout = st.segmented_control("Layout", ["Table", "Cards"], default="Table", key="compare_layout", help="Cards read better on a phone")
if layout == "Cards":
    render.comparison_cards(kb, comparison, rows=step or None)
else:
    st.markdown(render.comparison_markdown(kb, comparison, rows=step or None))
st.caption(
    ":material/star: marks the features that best tell these conditions apart. "
    ":orange[:material/warning: sources differ] marks cells where sources disagree: every value is kept. "
    "Bands such as *common* are estimates from the sources' wording."
)
all_features = list(features) == list(kb.features)
view = {"conditions": tuple(chosen), "features": () if all_features else tuple(features), "step": step}
comparison_downloads(kb, comparison, page_url("compare", {**view, "step": 0}))
with st.expander("Every value with its source", icon=":material/fact_check:"):
    st.dataframe(detail_rows(kb, comparison), hide_index=True, width="stretch", key="compare_details")
render.reference_list(kb, comparison.citations)
write_view("compare", view)
