"""Glossary: every anatomical, clinical, test, statistical and imaging term the app uses, each with its source."""

import streamlit as st

from components.compare import Citations
from components.glossary import group_by_kind, search, with_first
from components.ui import practice, render
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view

kb = get_kb()
read_view("glossary", kb, {"term": "glossary_term"})
terms = {tid: t.term for tid, t in kb.glossary.items()}

st.title("Glossary")
render.education_notice()
st.markdown(f"{len(terms)} terms used across HipLens, in plain words, each with the source that supports it.")
left, right = st.columns([3, 2], gap="medium")
query = left.text_input("Search terms and definitions", key="glossary_search", placeholder="e.g. labrum, likelihood ratio, FADIR")
term = right.selectbox("Jump to a term", list(terms), format_func=terms.get, index=None, key="glossary_term", placeholder="Choose a term")

citations = Citations()
found = search(kb.glossary, query)
chosen, rest = with_first(list(kb.glossary.values()) if term else found, term)
if chosen is not None:
    practice.glossary_highlight(kb, chosen, citations)
    rest = [t for t in found if t.id != chosen.id]
if query and not found:
    st.info("No term matches this search.", icon=":material/search_off:")
elif query:
    st.caption(f"{len(found)} of {len(terms)} terms match.")
practice.glossary_groups(kb, group_by_kind(rest), citations)
render.reference_list(kb, citations.order)
write_view("glossary", {"term": term})
