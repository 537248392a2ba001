"""Glossary: every anatomical, clinical, test, statistical and imaging term the app uses, each with its source."""

import streamlit as st

from components.ui import render, views
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view

kb = get_kb()
read_view("glossary", kb, {"term": "glossary_term"})
terms = {tid: t.term for tid, t in kb.glossary.items()}

render.page_head("Glossary", f"{len(terms)} terms used across HipLens, in plain words, each with the source that supports it.")
left, right = st.columns([3, 2], gap="medium")
query = left.text_input("Search terms and definitions", key="glossary_search", placeholder="e.g. labrum, likelihood ratio, FADIR")
term = right.selectbox("Jump to a term", list(terms), format_func=terms.get, index=None, key="glossary_term", placeholder="Choose a term")

views.glossary(query or "", term)
write_view("glossary", {"term": term})
