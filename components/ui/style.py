"""Chart sizes for the current mode (normal or lecture)."""

from __future__ import annotations

import streamlit as st

from components.charts import LECTURE, NORMAL, ChartStyle
from components.ui.links import LECTURE_KEY


def lecture_on() -> bool:
    """Whether lecture mode is on for this session."""
    return bool(st.session_state.get(LECTURE_KEY, False))


def chart_style() -> ChartStyle:
    """Chart sizes for the current mode."""
    return LECTURE if lecture_on() else NORMAL
