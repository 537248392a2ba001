"""The frame every page shares: sidebar, lecture-mode switch and the education notice."""

from __future__ import annotations

import streamlit as st

from components.links import LECTURE, parse_param
from components.ui.lecture import top_bar
from components.ui.links import LECTURE_KEY
from components.ui.render import EDUCATION_NOTICE

_SEEN = "_lecture_param_seen"


def sync_lecture_from_url() -> None:
    """Apply lecture=... from the URL when it changed from outside (a link, Back), before the toggle exists."""
    raws = list(st.query_params.get_all("lecture"))
    if raws != st.session_state.get(_SEEN):
        st.session_state[_SEEN] = raws
        if raws:
            value, _ = parse_param(LECTURE, raws, {})
            if isinstance(value, bool):
                st.session_state[LECTURE_KEY] = value
    st.session_state.setdefault(LECTURE_KEY, False)


def render_frame() -> None:
    """Sidebar with the app's name, the lecture-mode toggle and the education notice."""
    sync_lecture_from_url()
    with st.sidebar:
        st.toggle("Lecture mode", key=LECTURE_KEY, help="Large type for projectors; kept in every link.")
        st.caption(
            f":material/accessibility_new: **HipLens**: hip and buttock pain, every number cited.\n\n:material/school: {EDUCATION_NOTICE}"
        )
    top_bar()
