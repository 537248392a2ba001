"""HipLens: the frame. Page config, navigation over every page, the shared sidebar, then the page."""

import streamlit as st

from components.ui.frame import render_frame
from components.ui.nav import build_pages

st.set_page_config(page_title="HipLens", page_icon="/app/static/hiplens-icon.png", layout="wide")
# The page objects are built once per session (building them resolves every page's path on disk);
# they are not shared between sessions, since st.navigation marks the one each run may call.
if "_hiplens_pages" not in st.session_state:
    st.session_state["_hiplens_pages"] = build_pages()
pg = st.navigation(st.session_state["_hiplens_pages"], position="sidebar", expanded=True)
render_frame()
pg.run()
