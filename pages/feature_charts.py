"""Charts: bilateral prevalence, sex, age, aggravating factors and pain location, side by side."""

import streamlit as st

from components.ui import cached, render
from components.ui.kb import get_kb
from components.ui.lecture import lecture_on
from components.ui.links import read_view, write_view

kb = get_kb()
state = read_view("charts", kb, {"conditions": "charts_conditions"})
names = {cid: c.short_name for cid, c in kb.conditions.items()}
if not st.session_state.get("charts_conditions"):
    st.session_state["charts_conditions"] = list(state.values["conditions"] or names)

st.title("Charts")
render.education_notice()
with st.expander("Conditions", icon=":material/tune:", expanded=not lecture_on()):
    chosen = st.pills("Conditions", list(names), format_func=names.get, selection_mode="multi", key="charts_conditions")
    render.abbreviations(kb)
if not chosen:
    st.info("Choose at least one condition to chart.", icon=":material/info:")
    st.stop()
st.caption("Each dot is one source; bars show the range it reports. Hover for the value, range and source.")

render.chart(cached.chart("feature_range", "bilateral_pct", chosen), key="charts_bilateral")
left, right = st.columns(2, gap="large")
with left:
    render.chart(cached.chart("feature_range", "female_pct", chosen), key="charts_female")
with right:
    render.chart(cached.chart("feature_range", "age_years", chosen), key="charts_age")
render.chart(cached.chart("heatmap", chosen), key="charts_heatmap")
render.chart(cached.chart("pain_location", chosen), key="charts_pain")
all_chosen = list(chosen) == list(names)
write_view("charts", {"conditions": () if all_chosen else tuple(chosen)})
