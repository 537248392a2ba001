"""Overview: the hip, its mobility, why it matters, and a map of the eight conditions."""

import streamlit as st

from components.compare import Citations
from components.ui import cached, render
from components.ui.kb import get_kb
from components.ui.links import page_link, read_view, write_view
from components.ui.overview import condition_map

kb = get_kb()
read_view("overview", kb)
citations = Citations()
ov = kb.overview

st.title("The hip and buttock, taught from the evidence")
render.education_notice()
st.markdown(
    "Deep buttock pain has look-alikes: **ischiofemoral impingement**, **deep gluteal syndrome** and "
    "**lumbar disc sciatica** lead the list. Every number here cites its source; where sources disagree, all are shown."
)
with st.container(horizontal=True, key="overview_start"):
    page_link("compare", "Compare IFI, DGS and sciatica", icon=":material/table_chart:")
    page_link("differential", "Build a differential", icon=":material/psychology:")
    page_link("cases", "Work through a case", icon=":material/assignment_ind:")
    page_link("charts", "See the charts", icon=":material/bar_chart:")
left, right = st.columns([1, 1], gap="large")
with left:
    st.subheader(":material/360: Mobility")
    render.statements(kb, ov.mobility, citations)
    st.subheader(":material/directions_walk: The lower limb")
    render.statements(kb, ov.lower_limb, citations)
    st.subheader(":material/accessibility_new: The trunk")
    render.statements(kb, ov.trunk, citations)
with right:
    render.chart(cached.chart("rom"), key="overview_rom")

st.subheader(":material/map: Map of the conditions")
render.statements(kb, ov.common_conditions, citations)
condition_map(kb)

if ov.course_notes:
    st.subheader(":material/school: The course notes beside the evidence")
    render.course_notes(kb, ov.course_notes, citations)
render.reference_list(kb, citations.order)
st.caption(f"Content reviewed {ov.reviewed:%d %B %Y}.")
write_view("overview", {})
