"""The minimal app's text page (bench/minimal_app/views/text_view.py), then HIPLENS_PROBE_COUNT elements of HIPLENS_PROBE_KIND."""

import os

import streamlit as st

st.title("Text")
st.markdown("A minimal page with a paragraph of **Markdown** text and nothing else.")

kind = os.environ.get("HIPLENS_PROBE_KIND", "")
count = int(os.environ.get("HIPLENS_PROBE_COUNT", "0"))
for i in range(count):
    if kind == "markdown":
        st.markdown(f"Paragraph {i} with **bold** text.")
    elif kind == "container":
        with st.container(border=True):
            st.markdown(f"Paragraph {i} in a bordered container.")
    elif kind == "page_link":
        pages = st.session_state["_probe_pages"]
        st.page_link(pages[1 + i % (len(pages) - 1)], label=f"Link {i}")
    elif kind == "selectbox":
        st.selectbox(f"Choice {i}", ["a", "b", "c"], key=f"probe_select_{i}")
    elif kind == "metric":
        st.metric(f"Figure {i}", f"{i}%")
