"""Charts: bilateral prevalence, sex, age, aggravating factors and pain location, side by side."""

import streamlit as st

from components.ui import render, views
from components.ui.kb import get_kb
from components.ui.lecture import lecture_on
from components.ui.links import read_view, write_view

kb = get_kb()
state = read_view("charts", kb, {"conditions": "charts_conditions"})
names = {cid: c.short_name for cid, c in kb.conditions.items()}
if not st.session_state.get("charts_conditions"):
    st.session_state["charts_conditions"] = list(state.values["conditions"] or names)

render.page_head("Charts")
with st.expander("Conditions", icon=":material/tune:", expanded=not lecture_on()):
    chosen = st.pills("Conditions", list(names), format_func=names.get, selection_mode="multi", key="charts_conditions")
    render.abbreviations(kb)
if not chosen:
    st.info("Choose at least one condition to chart.", icon=":material/info:")
    st.stop()
views.charts(tuple(chosen))
all_chosen = list(chosen) == list(names)
write_view("charts", {"conditions": () if all_chosen else tuple(chosen)})
