"""The map of conditions: grouped by where the pain is, with the structures involved."""

from __future__ import annotations

import streamlit as st

from components.charts import REGION_LABELS
from components.knowledge.loader import KnowledgeBase
from components.overview import MAP_GROUPS, group_conditions
from components.safety import md_escape
from components.ui.links import page_link

CATEGORY_LABELS = {"intra_articular": "inside the joint", "extra_articular": "outside the joint", "spinal": "from the spine"}


def condition_map(kb: KnowledgeBase) -> None:
    """Cards of the eight conditions in columns by main pain region, each leading to its page."""
    groups = group_conditions(kb)
    cols = st.columns(len(MAP_GROUPS), gap="medium")
    for col, (gid, label, icon) in zip(cols, MAP_GROUPS, strict=True):
        with col:
            st.markdown(f"#### :material/{icon}: {label}")
            for cid in groups.get(gid, ()):
                cond = kb.conditions[cid]
                with st.container(border=True, key=f"overview_map_{cid}"):
                    st.markdown(f"**{md_escape(cond.name)}**  \n:gray[{CATEGORY_LABELS[cond.category]}]")
                    regions = ", ".join(REGION_LABELS[r].lower() for r in cond.pain_regions)
                    st.markdown(f":material/pin_drop: {md_escape(regions)}  \n:material/hub: {md_escape(', '.join(cond.structures[:4]))}")
                    page_link("explorer", f"Open {cond.short_name}", {"condition": cid}, icon=":material/arrow_forward:")
