"""Condition explorer: every section of one condition, its key figures and its look-alikes."""

import streamlit as st

from components.compare import Citations
from components.ui import condition, practice, render
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view

kb = get_kb()
read_view("explorer", kb, {"condition": "explorer_condition"})
names = {cid: c.name for cid, c in kb.conditions.items()}
st.session_state.setdefault("explorer_condition", "ifi")

st.title("Condition explorer")
render.education_notice()
cid = st.selectbox("Condition", list(names), format_func=names.get, key="explorer_condition")
citations = Citations()

condition.header(kb, cid, citations)
condition.key_figures(kb, cid, citations)
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(":material/directions_run: What provokes it")
    condition.provocations(kb, cid, citations)
with right:
    st.subheader(":material/compare_arrows: Often confused with")
    condition.confused_with(kb, cid)

st.subheader(":material/article: In detail")
condition.sections(kb, cid, citations)
practice.glossary_links(kb, [s.text for _, items in kb.conditions[cid].sections for s in items], key="explorer_terms")
cond = kb.conditions[cid]
if cond.course_notes:
    st.subheader(":material/school: The course notes beside the evidence")
    render.course_notes(kb, cond.course_notes, citations)
render.reference_list(kb, citations.order)
write_view("explorer", {"condition": cid})
