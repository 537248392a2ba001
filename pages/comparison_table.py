"""Comparison: any two to eight conditions side by side over any features, every cell cited."""

import streamlit as st

from components.links import page_url
from components.ui import cached, render, views
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

render.page_head("Compare conditions")
with st.expander("Conditions and features", icon=":material/tune:", expanded=not lecture_on()):
    chosen = st.pills("Conditions (two to eight)", list(names), format_func=names.get, selection_mode="multi", key="compare_conditions")
    render.abbreviations(kb)
    features = st.multiselect("Features shown (rows)", list(labels), format_func=labels.get, key="compare_features")

if len(chosen) < 2 or not features:
    st.info("Choose at least two conditions and one feature to compare.", icon=":material/info:")
    st.stop()

comparison = cached.comparison(tuple(chosen), tuple(features))
step = reveal_controls("compare_step", len(comparison.rows), noun="feature row")
layout = st.segmented_control("Layout", ["Table", "Cards"], default="Table", key="compare_layout", help="Cards read better on a phone")
all_features = list(features) == list(kb.features)
view = {"conditions": tuple(chosen), "features": () if all_features else tuple(features), "step": step}
views.compare_table(tuple(chosen), tuple(features), step, layout)
comparison_downloads(kb, comparison, page_url("compare", {**view, "step": 0}))
views.compare_details(tuple(chosen), tuple(features))
write_view("compare", view)
