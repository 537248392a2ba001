"""Sources and data: every reference with its design, filtered by condition; the open dataset."""

import streamlit as st

from components.knowledge.export import export_json, export_zip
from components.sources import reference_table, strength_counts
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view
from components.ui.render import education_notice

kb = get_kb()
read_view("sources", kb, {"conditions": "sources_conditions"})
names = {cid: c.name for cid, c in kb.conditions.items()}
st.session_state.setdefault("sources_conditions", [])

st.title("Sources and data")
education_notice()
st.markdown(
    "Every number in HipLens cites one of these references. *Design* is the kind of study, strongest first: "
    "meta-analyses and systematic reviews, then cohorts, case series and reports, expert reviews, and teaching "
    "pages. The course notes are listed too: they set the topics but are never counted as evidence."
)
chosen = st.multiselect("Used for", list(names), format_func=names.get, key="sources_conditions", placeholder="All conditions")
table = reference_table(kb, chosen)
counts = strength_counts(table)
cols = st.columns(min(len(counts), 5) or 1)
for col, (design, n) in zip(cols, list(counts.items())[:5], strict=False):
    col.metric(design.replace("-", " ").capitalize(), n, border=True)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "id": st.column_config.TextColumn("Id", pinned=True),
        "Link": st.column_config.LinkColumn("Link", display_text="open"),
        "Title": st.column_config.TextColumn("Title", width="large"),
    },
    key="sources_table",
)
st.caption(f"{len(table)} of {len(kb.references)} references.")

st.subheader(":material/dataset: The open dataset")
st.markdown("The whole knowledge base: conditions, features, findings, tests, cases and references, with the provenance of every number.")
c1, c2 = st.columns(2)
c1.download_button(
    "Download JSON",
    data=lambda: export_json(kb),
    file_name="hiplens-knowledge-base.json",
    mime="application/json",
    on_click="ignore",
    icon=":material/download:",
    key="sources_download_json",
)
c2.download_button(
    "Download CSV tables (zip)",
    data=lambda: export_zip(kb),
    file_name="hiplens-knowledge-base-csv.zip",
    mime="application/zip",
    on_click="ignore",
    icon=":material/download:",
    key="sources_download_csv",
)
write_view("sources", {"conditions": tuple(chosen)})
