"""Special tests: how to perform each test, what counts as positive, and how accurate it is."""

import streamlit as st

from components.ui import render, views
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view

kb = get_kb()
read_view("tests", kb, {"conditions": "tests_conditions", "test": "tests_test"})
names = {cid: c.short_name for cid, c in kb.conditions.items()}
st.session_state.setdefault("tests_conditions", [])

render.page_head("Special tests")
chosen = st.pills("Target condition", list(names), format_func=names.get, selection_mode="multi", key="tests_conditions")
tests = [t for t in kb.tests.values() if not chosen or t.condition in chosen]
views.tests_table(tuple(chosen))

labels = {t.id: f"{t.name} → {kb.conditions[t.condition].short_name}" for t in tests}
if st.session_state.get("tests_test") not in labels:
    st.session_state["tests_test"] = next(iter(labels), None)
# The selector's label is the section's heading: one element fewer on every run than a heading above it.
tid = st.selectbox(":material/stethoscope: **One test in detail**", list(labels), format_func=labels.get, key="tests_test")
views.test_detail(tid)
write_view("tests", {"conditions": tuple(chosen), "test": tid})
