"""Renderers of one condition: header, key figures, provoking movements, sections."""

from __future__ import annotations

import streamlit as st

from components.compare import Citations
from components.explorer import KEY_FEATURES, key_figure, provoking
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import SECTION_KEYS, SECTION_LABELS
from components.safety import md_escape
from components.ui import cached, practice, render
from components.ui.kb import get_kb
from components.ui.links import page_link

CATEGORY_BADGES = {
    "intra_articular": ":blue-badge[inside the joint]",
    "extra_articular": ":violet-badge[outside the joint]",
    "spinal": ":green-badge[from the spine]",
}


def header(kb: KnowledgeBase, cid: str, citations: Citations) -> None:
    """Name, aliases, category, summary and review date."""
    cond = kb.conditions[cid]
    aliases = ", ".join(md_escape(a) for a in cond.aliases)
    badges = f"{CATEGORY_BADGES[cond.category]} " + (f":gray[Also called: {aliases}]" if aliases else "")
    summary = f"{md_escape(cond.summary)} {render.cite(kb, cond.summary_refs, citations)}"
    reviewed = f":small[:gray[:material/event_available: Content last reviewed {cond.reviewed:%d %B %Y}]]"
    # The name is this Markdown's heading: one element, not two.
    st.markdown(f"## {md_escape(cond.name)}\n\n{badges}\n\n{summary}\n\n{reviewed}")


def key_figures(kb: KnowledgeBase, cid: str, citations: Citations) -> None:
    """The headline numbers as metrics in one row, then one line naming the sources of each."""
    figures = [key_figure(kb, cid, fid) for fid in KEY_FEATURES]
    with st.container(horizontal=True, key="explorer_metrics", gap="small"):
        for fig in figures:
            help_text = "; ".join(fig.detail) if fig.detail else "No source in HipLens reports this."
            st.metric(fig.label, fig.value, help=help_text, border=True, width="stretch")
    parts = []
    for fig in figures:
        if fig.refs:
            span = f"{fig.sources} source{'s' if fig.sources > 1 else ''}"
            warn = " :orange[:material/warning: sources differ]" if fig.conflict else ""
            parts.append(f"**{md_escape(fig.label)}**: {span} {render.cite(kb, fig.refs, citations)}{warn}")
        else:
            parts.append(f"**{md_escape(fig.label)}**: :gray[not reported]")
    lead = "Each figure spans what the sources report (a share, a mean or a range each). "
    st.markdown(":small[" + lead + " · ".join(parts) + "]")


def provocations(kb: KnowledgeBase, cid: str, citations: Citations, heading: str = "") -> None:
    """Movements and positions that provoke the condition (under a Markdown heading, if given)."""
    items = provoking(kb, cid)
    head = f"{heading}\n\n" if heading else ""
    if not items:
        st.markdown(f"{head}:gray[No provoking movement is reported as common in our sources.]")
        return
    lines = [head] if head else []
    for p in items:
        tag = " :orange-badge[estimate]" if p.estimate else ""
        text = p.text.replace(" (estimate)", "") if p.estimate else p.text  # the badge says it once
        lines.append(f"- **{md_escape(p.label)}**: {md_escape(text)} {render.cite(kb, p.refs, citations)}{tag}")
    st.markdown("\n".join(lines))


def confused_with(kb: KnowledgeBase, cid: str) -> None:
    """Conditions most often confused with this one, each leading to the side-by-side comparison."""
    cond = kb.conditions[cid]
    if not cond.confused_with:
        return
    for other in cond.confused_with:
        page_link(
            "compare",
            f"{cond.short_name} vs {kb.conditions[other].short_name}",
            {"conditions": (cid, other)},
            icon=":material/compare_arrows:",
        )


def sections(kb: KnowledgeBase, cid: str, citations: Citations) -> None:
    """All nine sections, each under its heading, as one Markdown element (one message, printable, easy to scroll)."""
    cond = kb.conditions[cid]
    parts = ["### :material/article: In detail"]
    for key in SECTION_KEYS:
        parts.append(f"#### {SECTION_LABELS[key].split(':')[0]}")
        parts.append("\n".join(render.statement_markdown(kb, s, citations) for s in getattr(cond.sections, key)))
    st.markdown("\n\n".join(parts))


@cached.view
def explorer_body(cid: str) -> None:
    """Everything the explorer shows of one condition below its picker (drawn once per view, then replayed)."""
    kb = get_kb()
    citations = Citations()
    header(kb, cid, citations)
    key_figures(kb, cid, citations)
    left, right = st.columns([3, 2], gap="large")
    with left:
        provocations(kb, cid, citations, heading="### :material/directions_run: What provokes it")
    with right:
        st.markdown("### :material/compare_arrows: Often confused with")
        confused_with(kb, cid)
    sections(kb, cid, citations)
    cond = kb.conditions[cid]
    practice.glossary_links(kb, [s.text for _, items in cond.sections for s in items])
    render.course_notes(kb, cond.course_notes, citations)
    render.reference_list(kb, citations.order)
