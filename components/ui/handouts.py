"""Downloads of a comparison: CSV, a printable HTML handout and a PowerPoint deck, made on request."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

import streamlit as st

from components.charts import LECTURE, NORMAL, Chart, ChartStyle, aggravating_heatmap, feature_range_chart, pain_location_chart
from components.compare import Comparison, comparison_csv
from components.handout import HANDOUT_MIME, handout_filename, handout_html
from components.knowledge.loader import KnowledgeBase
from components.slides import PPTX_MIME, slides_pptx


def _origin() -> str:
    try:
        parts = urlsplit(st.context.url or "")
    except (AttributeError, ValueError):
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


@contextlib.contextmanager
def download_menu(key: str) -> Iterator[bool]:
    """A "Download" button that opens a menu of files; yields whether the menu is open.

    Draw the download buttons only while it is open: a closed menu is one element on each script run
    instead of a row of buttons (each a widget the server registers on every run), and opening it
    reruns the page with the buttons in it.
    """
    menu = st.popover(
        "Download",
        icon=":material/download:",
        key=key,
        on_change="rerun",
        help="A CSV table, a printable HTML handout or PowerPoint slides of this view; each file is made when you click it.",
    )
    with menu:
        yield bool(menu.open)


def handout_charts(kb: KnowledgeBase, conditions: Sequence[str], style: ChartStyle = NORMAL) -> list[Chart]:
    """The charts that go with a comparison handout."""
    return [
        feature_range_chart(kb, "bilateral_pct", conditions, style),
        feature_range_chart(kb, "female_pct", conditions, style),
        feature_range_chart(kb, "age_years", conditions, style),
        aggravating_heatmap(kb, conditions, style),
        pain_location_chart(kb, conditions, style),
    ]


def comparison_downloads(kb: KnowledgeBase, comparison: Comparison, view_url: str) -> None:
    """A download menu of three files (CSV, HTML handout, slides); each file is built only when it is asked for."""
    with download_menu("compare_downloads") as menu_open:
        if not menu_open:
            return
        today = dt.date.today()
        url = f"{_origin()}{view_url}"
        conditions = list(comparison.conditions)
        st.download_button(
            "Table (CSV)",
            data=lambda: comparison_csv(kb, comparison),
            file_name="hiplens-comparison.csv",
            mime="text/csv",
            on_click="ignore",
            width="stretch",
            icon=":material/download:",
            key="compare_download_csv",
        )
        st.download_button(
            "Handout (HTML, printable)",
            data=lambda: handout_html(kb, comparison, handout_charts(kb, conditions), view_url=url, generated=today),
            file_name=handout_filename(today),
            mime=HANDOUT_MIME,
            on_click="ignore",
            width="stretch",
            icon=":material/print:",
            key="compare_download_html",
        )
        st.download_button(
            "Slides (PowerPoint)",
            data=lambda: slides_pptx(kb, comparison, handout_charts(kb, conditions, LECTURE), view_url=url, generated=today),
            file_name=handout_filename(today, "pptx"),
            mime=PPTX_MIME,
            on_click="ignore",
            width="stretch",
            icon=":material/slideshow:",
            key="compare_download_pptx",
        )
