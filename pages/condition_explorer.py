"""Condition explorer: every section of one condition, its key figures and its look-alikes."""

import streamlit as st

from components.ui import condition, render
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view

kb = get_kb()
read_view("explorer", kb, {"condition": "explorer_condition"})
names = {cid: c.name for cid, c in kb.conditions.items()}
st.session_state.setdefault("explorer_condition", "ifi")

render.page_head("Condition explorer")
cid = st.selectbox("Condition", list(names), format_func=names.get, key="explorer_condition")
condition.explorer_body(cid)
write_view("explorer", {"condition": cid})
