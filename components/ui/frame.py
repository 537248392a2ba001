"""The frame every page shares: the lecture-mode switch in the sidebar and the top bar."""

from __future__ import annotations

import streamlit as st

from components.links import LECTURE, parse_param
from components.ui.lecture import top_bar
from components.ui.links import LECTURE_KEY

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
    """The lecture-mode toggle under the sidebar's page list, and the top bar.

    The education notice is under every page's title (render.page_head), so the sidebar does not repeat
    it: each element is a websocket message and an event-loop wake-up on every script run.
    """
    sync_lecture_from_url()
    st.sidebar.toggle("Lecture mode", key=LECTURE_KEY, help="Large type for projectors; kept in every link.")
    top_bar()
