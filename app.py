"""HipLens: the frame. Page config, navigation over every page, the shared sidebar, then the page."""

import streamlit as st

from components.ui.frame import render_frame
from components.ui.nav import build_pages

st.set_page_config(page_title="HipLens", page_icon="static/hiplens-icon.png", layout="wide")
pg = st.navigation(build_pages(), position="sidebar", expanded=True)
render_frame()
pg.run()
