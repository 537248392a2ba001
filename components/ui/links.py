"""Streamlit side of deep links: read the URL into widgets, write the view back, link between pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from components.knowledge.loader import KnowledgeBase
from components.links import PAGES, LinkState, flat_query, page_url, read_page, to_query
from components.safety import md_escape

PAGE_FILES: Mapping[str, str] = {
    "overview": "pages/home.py",
    "explorer": "pages/condition_explorer.py",
    "compare": "pages/comparison_table.py",
    "charts": "pages/feature_charts.py",
    "differential": "pages/differential_builder.py",
    "tests": "pages/special_tests.py",
    "cases": "pages/practice_cases.py",
    "quiz": "pages/self_test.py",
    "flashcards": "pages/flashcard_deck.py",
    "glossary": "pages/glossary_terms.py",
    "sources": "pages/reference_list.py",
}
LECTURE_KEY = "lecture_mode"


def vocabulary(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """The ids each link parameter may take."""
    vocab = {
        "conditions": tuple(kb.conditions),
        "features": tuple(kb.features),
        "findings": tuple(kb.findings),
        "tests": tuple(kb.tests),
        "cases": tuple(kb.cases),
        "glossary": tuple(kb.glossary),
    }
    settings = getattr(kb.settings, "presets", None)
    vocab["settings"] = tuple(p.id for p in settings) if settings else ()
    return vocab


def _current_query() -> dict[str, list[str]]:
    return {key: list(st.query_params.get_all(key)) for key in st.query_params}


def _signature(query: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((k, tuple(v)) for k, v in query.items()))


def read_view(
    page: str,
    kb: KnowledgeBase,
    widget_keys: Mapping[str, str] | None = None,
    *,
    on_change: Callable[[Mapping[str, object]], None] | None = None,
) -> LinkState:
    """Read the page's view from the URL; when the URL changed from outside, seed the widgets from it.

    on_change, if given, is called with the parsed values when the URL changed (to seed widgets a
    single key cannot, such as one parameter split over several widgets).
    """
    query = _current_query()
    state = read_page(page, query, vocabulary(kb))
    marker = f"_links_applied_{page}"
    if st.session_state.get(marker) != _signature(query):
        for param, key in (widget_keys or {}).items():
            value = state.values.get(param)
            st.session_state[key] = list(value) if isinstance(value, tuple) else value
        if on_change is not None:
            on_change(state.values)
        show_notices(state.notices)
    return state


def show_notices(notices: Sequence[str]) -> None:
    """One visible notice listing what a link carried that could not be used."""
    if not notices:
        return
    lines = "\n".join(f"- {md_escape(n)}" for n in notices[:8])
    more = f"\n- … and {len(notices) - 8} more" if len(notices) > 8 else ""
    st.warning(f"Some of this link could not be used; the rest applies.\n\n{lines}{more}", icon=":material/link_off:")


def write_view(page: str, values: Mapping[str, object]) -> str:
    """Write the page's view (and lecture mode) to the URL; return the relative link to it."""
    full = {**values, "lecture": bool(st.session_state.get(LECTURE_KEY, False))}
    query = to_query(page, full)
    if _signature(_current_query()) != _signature(query):
        st.query_params.from_dict(flat_query(query))
    st.session_state[f"_links_applied_{page}"] = _signature(query)
    st.session_state["_lecture_param_seen"] = list(query.get("lecture", []))
    url = page_url(page, full)
    from components.ui.lecture import current_bar, share_box

    bar = current_bar()
    if bar is not None:
        with bar:
            share_box(url)
    return url


def link_values(page: str, values: Mapping[str, object] | None = None) -> dict[str, object]:
    """Values of a cross-page link with the shared parameters (lecture mode) added."""
    out = dict(values or {})
    if st.session_state.get(LECTURE_KEY):
        out["lecture"] = True
    return out


def page_link(page: str, label: str, values: Mapping[str, object] | None = None, *, icon: str | None = None) -> None:
    """A link to another page's view; lecture mode travels with it."""
    query = flat_query(to_query(page, link_values(page, values)))
    st.page_link(PAGE_FILES[page], label=label, icon=icon, query_params=query or None, width="content")


def page_title(page: str) -> str:
    """The title of a page."""
    return PAGES[page].title
