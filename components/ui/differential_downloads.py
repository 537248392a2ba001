"""Downloads of a differential: CSV, a printable HTML handout and a PowerPoint deck, made on request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import streamlit as st

from components.diagnosis import Ranked, TestSuggestion
from components.differential_handout import CSV_MIME, differential_csv, differential_filename, differential_html, differential_pptx
from components.handout import HANDOUT_MIME
from components.knowledge.loader import KnowledgeBase
from components.slides import PPTX_MIME
from components.ui.handouts import _origin, download_menu


def differential_downloads(
    kb: KnowledgeBase,
    ranked: Sequence[Ranked],
    findings: Mapping[str, bool],
    *,
    sex: str | None,
    age: float | None,
    setting: str | None,
    suggestions: Sequence[TestSuggestion],
    view_url: str,
) -> None:
    """A download menu of three files; each file is built only when it is asked for."""
    with download_menu("differential_downloads") as menu_open:
        if not menu_open:
            return
        today = dt.date.today()
        url = f"{_origin()}{view_url}"
        ranked, findings, suggestions = list(ranked), dict(findings), list(suggestions)  # this run's values, for the callables
        st.download_button(
            "Differential (CSV)",
            data=lambda: differential_csv(kb, ranked, findings, sex=sex, age=age, setting=setting),
            file_name=differential_filename(today, "csv"),
            mime=CSV_MIME,
            on_click="ignore",
            width="stretch",
            icon=":material/download:",
            key="differential_download_csv",
        )
        st.download_button(
            "Handout (HTML, printable)",
            data=lambda: differential_html(
                kb, ranked, findings, sex=sex, age=age, setting=setting, suggestions=suggestions, view_url=url, generated=today
            ),
            file_name=differential_filename(today),
            mime=HANDOUT_MIME,
            on_click="ignore",
            width="stretch",
            icon=":material/print:",
            key="differential_download_html",
        )
        st.download_button(
            "Slides (PowerPoint)",
            data=lambda: differential_pptx(
                kb, ranked, findings, sex=sex, age=age, setting=setting, suggestions=suggestions, view_url=url, generated=today
            ),
            file_name=differential_filename(today, "pptx"),
            mime=PPTX_MIME,
            on_click="ignore",
            width="stretch",
            icon=":material/slideshow:",
            key="differential_download_pptx",
        )
