"""The map of conditions: grouped by where the pain is, with the structures involved."""

from __future__ import annotations

import streamlit as st

from components.charts import REGION_LABELS
from components.compare import Citations
from components.knowledge.loader import KnowledgeBase
from components.overview import MAP_GROUPS, group_conditions
from components.safety import md_escape
from components.ui import cached, render
from components.ui.kb import get_kb
from components.ui.links import page_link

CATEGORY_LABELS = {"intra_articular": "inside the joint", "extra_articular": "outside the joint", "spinal": "from the spine"}


def condition_map(kb: KnowledgeBase) -> None:
    """The eight conditions in columns by main pain region: what each involves, then a link to each one's page."""
    groups = group_conditions(kb)
    cols = st.columns(len(MAP_GROUPS), gap="medium")
    for col, (gid, label, icon) in zip(cols, MAP_GROUPS, strict=True):
        with col:
            parts = [f"#### :material/{icon}: {label}"]
            for cid in groups.get(gid, ()):
                cond = kb.conditions[cid]
                regions = ", ".join(REGION_LABELS[r].lower() for r in cond.pain_regions)
                parts.append(
                    f"**{md_escape(cond.name)}**  \n:gray[{CATEGORY_LABELS[cond.category]}]  \n"
                    f":material/pin_drop: {md_escape(regions)}  \n:material/hub: {md_escape(', '.join(cond.structures[:4]))}"
                )
            st.markdown("\n\n".join(parts))
            for cid in groups.get(gid, ()):
                page_link("explorer", f"Open {kb.conditions[cid].short_name}", {"condition": cid}, icon=":material/arrow_forward:")


@cached.view
def overview_body() -> None:
    """The overview below its title: drawn once per process (and mode), replayed for every session."""
    kb = get_kb()
    ov = kb.overview
    citations = Citations()

    render.page_head(
        "The hip and buttock, taught from the evidence",
        "Deep buttock pain has look-alikes: **ischiofemoral impingement**, **deep gluteal syndrome** and "
        "**lumbar disc sciatica** lead the list. Every number here cites its source; where sources disagree, all are shown.",
    )
    with st.container(horizontal=True, key="overview_start"):
        page_link("compare", "Compare IFI, DGS and sciatica", icon=":material/table_chart:")
        page_link("differential", "Build a differential", icon=":material/psychology:")
        page_link("cases", "Work through a case", icon=":material/assignment_ind:")
        page_link("charts", "See the charts", icon=":material/bar_chart:")
    left, right = st.columns([1, 1], gap="large")
    with left:
        # Three headed lists in one Markdown element (each element is a message on every script run).
        st.markdown(
            "\n\n".join(
                render.statements_markdown(kb, items, citations, heading=heading)
                for items, heading in (
                    (ov.mobility, "### :material/360: Mobility"),
                    (ov.lower_limb, "### :material/directions_walk: The lower limb"),
                    (ov.trunk, "### :material/accessibility_new: The trunk"),
                )
            )
        )
    with right:
        render.chart(cached.chart("rom"), key="overview_rom")

    render.statements(kb, ov.common_conditions, citations, heading="### :material/map: Map of the conditions")
    condition_map(kb)

    render.course_notes(kb, ov.course_notes, citations)
    render.reference_list(kb, citations.order)
    st.caption(f"Content reviewed {ov.reviewed:%d %B %Y}.")
