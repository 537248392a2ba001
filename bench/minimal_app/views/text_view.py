"""Minimal page: text only."""

import streamlit as st

st.title("Text")
st.markdown("A minimal page with a paragraph of **Markdown** text and nothing else.")
