"""The pages of the app, in navigation order, and the sidebar navigation that keeps lecture mode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from components.links import PAGES
from components.ui.links import PAGE_FILES, page_link

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class NavEntry:
    """One page in the navigation."""

    key: str
    icon: str


NAV: Mapping[str, tuple[NavEntry, ...]] = {
    "Learn": (NavEntry("overview", ":material/home:"), NavEntry("explorer", ":material/search:")),
    "Compare": (NavEntry("compare", ":material/table_chart:"), NavEntry("charts", ":material/bar_chart:")),
    "Reason": (NavEntry("differential", ":material/psychology:"), NavEntry("tests", ":material/stethoscope:")),
    "Practice": (
        NavEntry("cases", ":material/assignment_ind:"),
        NavEntry("quiz", ":material/quiz:"),
        NavEntry("flashcards", ":material/style:"),
        NavEntry("glossary", ":material/dictionary:"),
    ),
    "About": (NavEntry("sources", ":material/menu_book:"),),
}


def registered() -> list[NavEntry]:
    """Every page that has a file, in order."""
    return [e for entries in NAV.values() for e in entries if (ROOT / PAGE_FILES[e.key]).exists()]


def build_pages() -> list[st.Page]:
    """The st.Page objects for st.navigation, in NAV's order (the overview is the default page at /).

    Streamlit draws this menu in the sidebar from the navigation message it sends anyway, so it costs
    no element per run; lecture mode lives in session state and is written back into each page's URL.
    The list is flat: Streamlit 1.67 draws sections as headers inside the <ul>, which breaks list
    semantics for screen readers (axe: list, listitem).
    """
    present = {e.key for e in registered()}
    sections: dict[str, list[st.Page]] = {}
    for section, entries in NAV.items():
        pages = [
            st.Page(
                PAGE_FILES[e.key],
                title=PAGES[e.key].title,
                icon=e.icon,
                url_path=PAGES[e.key].url_path,
                default=e.key == "overview",
            )
            for e in entries
            if e.key in present
        ]
        if pages:
            sections[section] = pages
    return [page for pages in sections.values() for page in pages]


def page_menu() -> None:
    """Grouped links to every page, for lecture mode's Pages menu (the sidebar is hidden there)."""
    present = {e.key for e in registered()}
    for section, entries in NAV.items():
        shown = [e for e in entries if e.key in present]
        if not shown:
            continue
        st.caption(section.upper())
        for e in shown:
            page_link(e.key, PAGES[e.key].title, icon=e.icon)
