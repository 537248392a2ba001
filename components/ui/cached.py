"""Charts built once per process for each view and shared by every session (the builders are pure)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st

from components import charts
from components.charts import LECTURE, NORMAL, Chart
from components.ui.kb import data_dir, get_kb
from components.ui.style import lecture_on

BUILDERS: dict[str, Callable[..., Chart]] = {
    "feature_range": charts.feature_range_chart,
    "heatmap": charts.aggravating_heatmap,
    "pain_location": charts.pain_location_chart,
    "rom": charts.rom_chart,
    "differential": charts.differential_chart,
    "forest": charts.forest_chart,
    "fagan": lambda _kb, pre, lr, post, label, style: charts.fagan_chart(pre, lr, post, label=label, style=style),
}


@st.cache_resource(max_entries=2048, show_spinner=False)
def _build(kind: str, folder: str, args: tuple[Hashable, ...], lecture: bool) -> Chart:
    kb = get_kb()
    return BUILDERS[kind](kb, *args, style=LECTURE if lecture else NORMAL)


def chart(kind: str, *args: Any) -> Chart:
    """A chart of the current knowledge base in the current mode; lists become tuples for the cache key."""
    key = tuple(tuple(a) if isinstance(a, list) else a for a in args)
    return _build(kind, str(data_dir()), key, lecture_on())
