"""The comparison's static parts, drawn once per view and replayed for every session that shows it."""

from __future__ import annotations

import streamlit as st

from components.compare import detail_rows
from components.ui import cached, render
from components.ui.kb import get_kb

CAPTION = (
    ":material/star: marks the features that best tell these conditions apart. "
    ":orange[:material/warning: sources differ] marks cells where sources disagree: every value is kept. "
    "Bands such as *common* are estimates from the sources' wording."
)


@cached.view
def table(conditions: tuple[str, ...], features: tuple[str, ...], step: int, layout: str | None) -> None:
    """The comparison as a table (or cards), the first `step` rows of it when revealing, and its key."""
    kb = get_kb()
    comparison = cached.comparison(conditions, features)
    if layout == "Cards":
        render.comparison_cards(kb, comparison, rows=step or None)
    else:
        st.markdown(render.comparison_markdown(kb, comparison, rows=step or None))
    st.caption(CAPTION)


@cached.view
def details(conditions: tuple[str, ...], features: tuple[str, ...]) -> None:
    """Every value with its source, then the numbered references."""
    kb = get_kb()
    comparison = cached.comparison(conditions, features)
    with st.expander("Every value with its source", icon=":material/fact_check:"):
        st.dataframe(detail_rows(kb, comparison), hide_index=True, width="stretch", key="compare_details")
    render.reference_list(kb, comparison.citations)
