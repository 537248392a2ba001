"""Shared renderers: notices, statements with citations, reference lists, tables and charts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote

import streamlit as st

from components.charts import Chart
from components.compare import Citations, Comparison, cell_text
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import CourseNote, Reference, Statement
from components.safety import md_escape
from components.ui import cached
from components.ui.kb import get_kb

EDUCATION_NOTICE = "HipLens is for education, not diagnosis. It does not replace a clinician's assessment."
VERDICT_BADGES = {
    "supported": ":green-badge[:material/check: supported]",
    "partly_supported": ":orange-badge[:material/rule: partly supported]",
    "conflicts": ":red-badge[:material/compare_arrows: sources differ]",
    "not_found": ":gray-badge[:material/search_off: no source found]",
}
STRENGTH_BADGES = {
    "meta-analysis": "blue",
    "systematic-review": "blue",
    "guideline": "blue",
    "cohort": "green",
    "case-series": "orange",
    "case-report": "orange",
    "expert-review": "violet",
    "educational-page": "gray",
    "course-notes": "gray",
}


def safe_url(url: str) -> str:
    """A URL safe to put inside a Markdown link target (http(s) only; brackets and spaces encoded)."""
    if not url.lower().startswith(("http://", "https://")):
        return ""
    return quote(url, safe=":/?&=#%+,;~@!$*'").replace("(", "%28").replace(")", "%29")


def page_head(title: str, intro: str = "") -> None:
    """A page's title with the education-only notice beneath it, and its introduction if any, as one element."""
    st.markdown(f"# {title}\n\n:small[:gray[:material/school: {EDUCATION_NOTICE}]]" + (f"\n\n{intro}" if intro else ""))


def marker(ref: Reference, number: int) -> str:
    """A citation marker leading to the reference."""
    link = safe_url(ref.link or "")
    return f"[\\[{number}\\]]({link})" if link else f"\\[{number}\\]"


def cite(kb: KnowledgeBase, refs: Iterable[str], citations: Citations) -> str:
    """Markdown citation markers for references, numbered in the view."""
    return "".join(marker(kb.references[r], citations.number(r)) for r in refs)


def statement_markdown(kb: KnowledgeBase, st_: Statement, citations: Citations) -> str:
    """One statement as a Markdown bullet with its citations and caveat."""
    text = md_escape(st_.text)
    tag = ""
    if st_.basis == "estimate":
        tag = " :orange-badge[estimate]"
    elif st_.basis == "derived":
        tag = " :gray-badge[derived by us]"
    elif st_.basis == "course":
        tag = " :gray-badge[course notes]"
    note = f"  \n  :small[:material/info: {md_escape(st_.note)}]" if st_.note else ""
    return f"- {text} {cite(kb, st_.refs, citations)}{tag}{note}"


def statements_markdown(kb: KnowledgeBase, items: Sequence[Statement], citations: Citations, *, heading: str = "") -> str:
    """A list of statements with their citations as Markdown, under a Markdown heading if given."""
    head = f"{heading}\n\n" if heading else ""
    return head + "\n".join(statement_markdown(kb, s, citations) for s in items)


def statements(kb: KnowledgeBase, items: Sequence[Statement], citations: Citations, *, heading: str = "") -> None:
    """A list of statements with their citations (under a Markdown heading, if given: one element, not two)."""
    st.markdown(statements_markdown(kb, items, citations, heading=heading))


def reference_entry(ref: Reference, number: int | None = None) -> str:
    """One reference as Markdown: authors, year, title, journal, identifiers, strength."""
    head = f"{number}. " if number is not None else "- "
    year = f"({ref.year})" if ref.year else "(n.d.)"
    title = f"*{md_escape(ref.title)}*"
    # No author captured: the title leads, as reference styles do for works without an author.
    parts = [md_escape(ref.authors), year, title] if ref.authors else [title, year]
    if ref.journal:
        parts.append(md_escape(ref.journal))
    if not ref.authors:
        parts.append(":gray[(authors not captured)]")
    ids = []
    if ref.doi:
        ids.append(f"doi:[{md_escape(ref.doi)}]({safe_url('https://doi.org/' + ref.doi)})")
    if ref.pmid:
        ids.append(f"PMID [{ref.pmid}]({safe_url('https://pubmed.ncbi.nlm.nih.gov/' + ref.pmid + '/')})")
    if ref.url and not ref.doi:
        ids.append(f"[seen at]({safe_url(ref.url)})")
    colour = STRENGTH_BADGES.get(ref.design, "gray")
    return f"{head}{' '.join(parts)} {' · '.join(ids)} :{colour}-badge[{ref.design}]"


def reference_list(kb: KnowledgeBase, ids: Sequence[str], *, title: str = "References") -> None:
    """The numbered references of a view (drawn once per list of references, then replayed)."""
    if ids:
        _reference_list(tuple(ids), title)


@cached.view
def _reference_list(ids: tuple[str, ...], title: str) -> None:
    kb = get_kb()
    with st.expander(f"{title} ({len(ids)})", icon=":material/menu_book:", expanded=False):
        st.markdown("\n".join(reference_entry(kb.references[r], i) for i, r in enumerate(ids, start=1)))


def course_notes(kb: KnowledgeBase, notes: Sequence[CourseNote], citations: Citations) -> None:
    """The course notes' claims beside what the evidence says, under their heading, as one element."""
    if not notes:
        return
    parts = ["### :material/school: The course notes beside the evidence"]
    for note in notes:
        parts.append(
            # A list, not a blockquote: Streamlit draws quotes at 60% opacity, too faint for their links on a projector.
            f"**{md_escape(note.topic)}** {VERDICT_BADGES[note.verdict]}\n"
            f"- :material/school: **Course notes:** {md_escape(note.course_says)}\n"
            f"- :material/fact_check: **Evidence:** {md_escape(note.evidence_says)} {cite(kb, note.refs, citations)}"
        )
    st.markdown("\n\n".join(parts))


def comparison_markdown(kb: KnowledgeBase, comparison: Comparison, *, rows: int | None = None) -> str:
    """The comparison as a Markdown table (text in the page, readable in lecture mode)."""
    names = [md_escape(kb.conditions[c].name) for c in comparison.conditions]
    lines = ["| Feature | " + " | ".join(names) + " |", "|" + "---|" * (len(names) + 1)]
    shown = comparison.rows if rows is None else comparison.rows[:rows]
    for row in shown:
        label = md_escape(row.feature.label)
        label = f"**{label}** :material/star:" if row.highlighted else label
        cells = [_cell_markdown(kb, comparison, cell) for cell in row.cells]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell_markdown(kb: KnowledgeBase, comparison: Comparison, cell) -> str:  # type: ignore[no-untyped-def]
    if cell.not_reported:
        text = ":gray[not reported]"
    else:
        markers = "".join(marker(kb.references[r], comparison.number_of(r)) for r in cell.refs)
        text = f"{md_escape(cell.summary)} {markers}".strip()
        if cell.conflict:
            text += " :orange[:material/warning: sources differ]"
    if cell.course:
        course_ref = next(p.ref for p in cell.parts if p.basis == "course" and p.ref)
        text += f" · :violet[*{md_escape(cell.course)}*] {marker(kb.references[course_ref], comparison.number_of(course_ref))}"
    return text


def comparison_cards(kb: KnowledgeBase, comparison: Comparison, *, rows: int | None = None) -> None:
    """The comparison as one card per feature (reads well on a phone)."""
    shown = comparison.rows if rows is None else comparison.rows[:rows]
    for i, row in enumerate(shown):
        with st.container(border=True, key=f"compare_card_{i}"):
            star = " :material/star:" if row.highlighted else ""
            lines = [f"**{md_escape(row.feature.label)}**{star}"]
            for cid, cell in zip(comparison.conditions, row.cells, strict=True):
                lines.append(f"- **{md_escape(kb.conditions[cid].short_name)}**: {_cell_markdown(kb, comparison, cell)}")
            st.markdown("\n".join(lines))


def comparison_plain(kb: KnowledgeBase, comparison: Comparison) -> list[dict[str, str]]:
    """The comparison as plain rows (for data grids and tests)."""
    out = []
    for row in comparison.rows:
        rec = {"Feature": row.feature.label}
        for cid, cell in zip(comparison.conditions, row.cells, strict=True):
            rec[kb.conditions[cid].name] = cell_text(cell, comparison)
        out.append(rec)
    return out


def chart(item: Chart, key: str, note: str = "") -> None:
    """A plotly chart with its one-line text summary beneath it, and a note (trusted Markdown) under that in the same caption."""
    st.plotly_chart(item.figure, theme="streamlit", key=key, config={"displaylogo": False, "responsive": True}, width="stretch")
    extra = f"\n\n:material/info: {note}" if note else ""
    st.caption(f":material/description: {md_escape(item.summary)}{extra}")


def abbreviation_line(kb: KnowledgeBase) -> str:
    """The short names used on pills and axes, spelt out, on one line (Markdown)."""
    items = [f"**{md_escape(c.short_name)}** {md_escape(c.name)}" for c in kb.conditions.values() if c.short_name != c.name]
    return " · ".join(items)


def abbreviations(kb: KnowledgeBase) -> None:
    """A caption spelling out the short names used on pills and axes."""
    st.caption(abbreviation_line(kb))
