"""Charts: bilateral prevalence, sex, age, aggravating factors and pain location, side by side."""

import streamlit as st

from components.charts import aggravating_heatmap, feature_range_chart, pain_location_chart
from components.ui import render
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view
from components.ui.style import chart_style

kb = get_kb()
state = read_view("charts", kb, {"conditions": "charts_conditions"})
names = {cid: c.short_name for cid, c in kb.conditions.items()}
if not st.session_state.get("charts_conditions"):
    st.session_state["charts_conditions"] = list(state.values["conditions"] or names)

st.title("Charts")
render.education_notice()
chosen = st.pills("Conditions", list(names), format_func=names.get, selection_mode="multi", key="charts_conditions")
render.abbreviations(kb)
if not chosen:
    st.info("Choose at least one condition to chart.", icon=":material/info:")
    st.stop()
style = chart_style()
st.caption("Each dot is one source; bars show the range it reports. Hover for the value, range and source.")

render.chart(feature_range_chart(kb, "bilateral_pct", chosen, style), key="charts_bilateral")
left, right = st.columns(2, gap="large")
with left:
    render.chart(feature_range_chart(kb, "female_pct", chosen, style), key="charts_female")
with right:
    render.chart(feature_range_chart(kb, "age_years", chosen, style), key="charts_age")
render.chart(aggravating_heatmap(kb, chosen, style), key="charts_heatmap")
render.chart(pain_location_chart(kb, chosen, style), key="charts_pain")
all_chosen = list(chosen) == list(names)
write_view("charts", {"conditions": () if all_chosen else tuple(chosen)})
