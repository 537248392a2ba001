"""Sources and data: every reference with its design, filtered by condition; the open dataset."""

import streamlit as st

from components.knowledge.export import export_json, export_zip
from components.ui import render, views
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view

kb = get_kb()
read_view("sources", kb, {"conditions": "sources_conditions"})
names = {cid: c.name for cid, c in kb.conditions.items()}
st.session_state.setdefault("sources_conditions", [])

render.page_head(
    "Sources and data",
    "Every number in HipLens cites one of these references. *Design* is the kind of study, strongest first: "
    "meta-analyses and systematic reviews, then cohorts, case series and reports, expert reviews, and teaching "
    "pages. The course notes are listed too: they set the topics but are never counted as evidence.",
)
chosen = st.multiselect("Used for", list(names), format_func=names.get, key="sources_conditions", placeholder="All conditions")
views.sources(tuple(chosen))
downloads = st.container(horizontal=True, key="sources_downloads")
downloads.download_button(
    "Download JSON",
    data=lambda: export_json(kb),
    file_name="hiplens-knowledge-base.json",
    mime="application/json",
    on_click="ignore",
    icon=":material/download:",
    key="sources_download_json",
)
downloads.download_button(
    "Download CSV tables (zip)",
    data=lambda: export_zip(kb),
    file_name="hiplens-knowledge-base-csv.zip",
    mime="application/zip",
    on_click="ignore",
    icon=":material/download:",
    key="sources_download_csv",
)
write_view("sources", {"conditions": tuple(chosen)})
