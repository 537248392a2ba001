"""Lecture mode: the one place with raw HTML (a static style sheet), the exit control and the share link."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.ui.links import LECTURE_KEY

# Static CSS, never built from data, files or the URL. It makes the app readable from the back of a
# lecture hall at 1280x720: 24 px body text (Streamlit sizes most things in rem), larger headings,
# table cells of at least 24 px, no sidebar or Streamlit chrome, a high-contrast light palette.
LECTURE_CSS = """
<style>
html {
  font-size: 24px !important;
}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {
  background: #ffffff !important;
  color: #000000 !important;
}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stMainMenu"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] {
  padding-top: 1.2rem !important;
  max-width: 100% !important;
  padding-left: 2rem !important;
  padding-right: 2rem !important;
}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
  font-size: 24px !important;
  line-height: 1.4 !important;
  color: #000000 !important;
}
[data-testid="stMarkdownContainer"] td, [data-testid="stMarkdownContainer"] th {
  font-size: 24px !important;
  color: #000000 !important;
  border: 2px solid #333333 !important;
  padding: 0.4rem 0.6rem !important;
}
[data-testid="stMarkdownContainer"] th {
  background: #E8EEF5 !important;
}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  font-size: 22px !important;
  color: #1f2937 !important;
}
[data-testid="stWidgetLabel"] p {
  font-size: 22px !important;
}
[data-testid="stMetricValue"] p, [data-testid="stMetricValue"] div {
  font-size: 48px !important;
  line-height: 1.15 !important;
  color: #000000 !important;
}
h1 {
  font-size: 56px !important;
  color: #000000 !important;
}
h2 {
  font-size: 44px !important;
  color: #000000 !important;
}
h3 {
  font-size: 36px !important;
  color: #000000 !important;
}
h4 {
  font-size: 30px !important;
  color: #000000 !important;
}
a {
  color: #0033AA !important;
  text-decoration: underline !important;
}
[data-testid="stMetricValue"] {
  font-size: 56px !important;
}
</style>
"""


_RUN = threading.local()  # per script-run thread: the top bar container of the current run


def lecture_on() -> bool:
    """Whether lecture mode is on for this session."""
    return bool(st.session_state.get(LECTURE_KEY, False))


def _leave() -> None:
    st.session_state[LECTURE_KEY] = False


def top_bar() -> DeltaGenerator:
    """The bar above every page: in lecture mode the style sheet, the way out and the pages; later the share link."""
    bar = st.container(horizontal=True, key="top_bar", vertical_alignment="center", horizontal_alignment="right")
    if lecture_on():
        st.html(LECTURE_CSS)
        with bar:
            st.button("Leave lecture mode", icon=":material/close_fullscreen:", on_click=_leave, key="lecture_leave", type="primary")
            with st.popover("Pages", icon=":material/menu:"):
                from components.ui.nav import page_menu

                page_menu()
    _RUN.bar = bar
    return bar


def current_bar() -> DeltaGenerator | None:
    """The top bar of this script run, if the frame made one."""
    return getattr(_RUN, "bar", None)


def share_box(relative_url: str) -> None:
    """A 'link to this view' control with a copyable absolute URL."""
    origin = ""
    try:
        parts = urlsplit(st.context.url or "")
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
    except (AttributeError, ValueError):
        origin = ""
    with st.popover(
        "Link to this view", icon=":material/link:", help="Copy it: the link reopens exactly this view, lecture mode and step included."
    ):
        st.code(f"{origin}{relative_url}", language=None, wrap_lines=True)
