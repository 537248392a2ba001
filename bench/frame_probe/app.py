"""HipLens's frame around the minimal app's text page, with N extra elements of one kind (bench/element_cost.py).

The frame is app.py's: page config, the navigation over every HipLens page, the lecture-mode toggle and
the top bar. The page is bench/frame_probe/page.py. HIPLENS_PROBE=bare leaves the frame out (the
minimal app's own shape, with HipLens's navigation); HIPLENS_PROBE_KIND and HIPLENS_PROBE_COUNT add elements.
"""

import os
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from components.links import PAGES  # noqa: E402
from components.ui.frame import render_frame  # noqa: E402
from components.ui.links import PAGE_FILES  # noqa: E402
from components.ui.nav import registered  # noqa: E402

FRAME = os.environ.get("HIPLENS_PROBE", "frame") != "bare"

if FRAME:
    st.set_page_config(page_title="HipLens", page_icon="/app/static/hiplens-icon.png", layout="wide")
if "_probe_pages" not in st.session_state:
    probe = st.Page(Path(__file__).with_name("page.py"), title="Text", default=True)
    others = [
        st.Page(ROOT / PAGE_FILES[e.key], title=PAGES[e.key].title, icon=e.icon, url_path=PAGES[e.key].url_path) for e in registered()[1:]
    ]
    st.session_state["_probe_pages"] = [probe, *others]
pg = st.navigation(st.session_state["_probe_pages"], position="sidebar", expanded=True)
if FRAME:
    render_frame()
pg.run()
