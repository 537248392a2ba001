"""Renderers for the practice pages: cases, self-test questions, flashcards and the glossary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import streamlit as st

from components.compare import Citations
from components.diagnosis import Ranked, rank
from components.differential import movements, movements_markdown
from components.flashcards import Card, build_deck
from components.glossary import KIND_LABELS, find_terms_in
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import Case, GlossaryTerm
from components.links import page_url
from components.quiz import ExplanationLine, Question, generate_quiz
from components.safety import md_escape
from components.ui import cached, render
from components.ui.differential import reasons
from components.ui.lecture import lecture_on
from components.ui.links import link_values, page_link

deck_cards = cached.pure(build_deck)
"""The cards of a deck, built once per process: `deck_cards('tests')`."""

STAGES: tuple[str, ...] = ("history", "examination", "imaging")
STAGE_LABELS: Mapping[str, str] = {"history": "History", "examination": "Examination", "imaging": "Imaging"}
STAGE_ICONS: Mapping[str, str] = {
    "history": ":material/record_voice_over:",
    "examination": ":material/stethoscope:",
    "imaging": ":material/radiology:",
}
KIND_BADGES: Mapping[str, str] = {
    "anatomy": ":blue-badge[anatomy]",
    "clinical": ":violet-badge[clinical]",
    "test": ":green-badge[test]",
    "statistics": ":orange-badge[statistics]",
    "imaging": ":gray-badge[imaging]",
}


# --------------------------------------------------------------------------- shared


def lines_markdown(kb: KnowledgeBase, lines: Sequence[ExplanationLine], citations: Citations) -> str:
    """Explanation lines as Markdown bullets, each with its citation markers."""
    return "\n".join(f"- {md_escape(line.text)} {render.cite(kb, line.refs, citations)}".rstrip() for line in lines)


# --------------------------------------------------------------------------- self-test


def _sitting(kb: KnowledgeBase, seed: int) -> tuple[Question, ...]:
    return tuple(generate_quiz(kb, seed))


_sittings = cached.pure(_sitting)


def sitting(seed: int) -> tuple[Question, ...]:
    """The questions of a seed (generated once per process and content folder; questions are immutable)."""
    return _sittings(seed)


def commit(widget_key: str, store_key: str) -> None:
    """Keep a widget's value under a key of its own (the widget is then replaced by the locked answer)."""
    st.session_state[store_key] = st.session_state.get(widget_key)


def answer_key(key: str) -> str:
    """The session key where a question's committed answer is kept."""
    return f"{key}_answer"


def _locked_options(q: Question, chosen: str) -> str:
    lines = []
    for o in q.options:
        label = md_escape(o.label)
        if o.id == q.answer:
            mine = " (your answer)" if o.id == chosen else ""
            lines.append(f"- :green[:material/check_circle: **{label}**]{mine}")
        elif o.id == chosen:
            lines.append(f"- :red[:material/cancel: {label}] (your answer)")
        else:
            lines.append(f"- :gray[:material/radio_button_unchecked: {label}]")
    return "\n".join(lines)


def question(kb: KnowledgeBase, q: Question, number: int, key: str, citations: Citations) -> str | None:
    """One question: options until answered; then the locked answer, the verdict and the cited explanation."""
    labels = {o.id: o.label for o in q.options}
    store = answer_key(key)
    chosen = st.session_state.get(store)
    prompt = f"**{number}.** {md_escape(q.prompt)}"
    if chosen is None:
        # An open question is its radio alone (the numbered prompt is its label): one element, where a
        # bordered box would add a second to every question on every script run.
        st.radio(
            prompt,
            [o.id for o in q.options],
            format_func=lambda o: labels.get(o, o),
            index=None,
            key=key,
            on_change=commit,
            args=(key, store),
            help="Commit to an answer to see why; it cannot be changed afterwards.",
        )
        return None
    with st.container(border=True, key=f"{key}_box"):
        st.markdown(f"{prompt}\n\n{_locked_options(q, chosen)}")
        if q.is_correct(chosen):
            st.success(f"Correct: {md_escape(q.answer_label)}.", icon=":material/check_circle:")
        else:
            st.error(
                f"Not quite. You chose {md_escape(labels.get(chosen, str(chosen)))}; the answer is **{md_escape(q.answer_label)}**.",
                icon=":material/cancel:",
            )
        st.markdown(f"**Why.**\n\n{lines_markdown(kb, q.explanation, citations)}")
        if q.note:
            st.caption(f":material/info: {md_escape(q.note)}")
        if q.kind == "lr" and "likelihood_ratio" in kb.glossary:
            glossary_link("likelihood_ratio", "What is a likelihood ratio?")
        return str(chosen)


def score_line(correct: int, answered: int, total: int) -> None:
    """The running score of the sitting."""
    if answered == 0:
        st.metric("Score", f"0 / {total}", help="Answer a question to start scoring.", border=True)
        return
    st.metric(
        "Score",
        f"{correct} / {total}",
        delta=f"{answered} of {total} answered",
        delta_color="off",
        delta_arrow="off",
        border=True,
    )


# --------------------------------------------------------------------------- cases


def stage_narrative(kb: KnowledgeBase, case: Case, stage: str, *, current: bool) -> None:
    """One stage of a case: its narrative and the findings it discloses."""
    data = getattr(case, stage)
    with st.container(border=True, key=f"cases_stage_{stage}"):
        title = f"{STAGE_ICONS[stage]} {STAGE_LABELS[stage]}"
        items = [f":green[:material/add_circle:] {md_escape(kb.findings[f].label)}" for f in data.present]
        items += [f":gray[:material/do_not_disturb_on:] {md_escape(kb.findings[f].label)} (absent)" for f in data.absent]
        entered = "No finding from this stage enters the differential."
        if items:
            entered = "Findings entered into the differential: " + " · ".join(items)
        # One Markdown element: title, narrative and the findings line (small, like a caption).
        st.markdown(f"**{title}**" + (" :blue-badge[new]" if current else "") + f"\n\n{md_escape(data.narrative)}\n\n:small[{entered}]")


def findings_until(case: Case, step: int) -> dict[str, bool]:
    """Findings disclosed by the stages up to and including `step` (0 history, 1 examination, 2 imaging)."""
    out: dict[str, bool] = {}
    for stage in STAGES[: min(step, len(STAGES) - 1) + 1]:
        data = getattr(case, stage)
        out.update({f: True for f in data.present})
        out.update({f: False for f in data.absent})
    return out


def differential(kb: KnowledgeBase, ranked: Sequence[Ranked], previous: Sequence[Ranked] | None, key: str) -> None:
    """The ranked differential as a chart, and a table of how each probability moved since the last step."""
    render.chart(cached.chart("differential", tuple(ranked)), key=f"{key}_chart")
    moved = movements(kb, ranked, previous)
    if lecture_on():
        # Text, not the canvas grid: the lecture CSS sets it in projector-sized type.
        st.markdown(movements_markdown(moved))
        return
    rows = [{"Condition": m.label, "Now (%)": m.now, "Before (%)": m.before, "Change (points)": m.change} for m in moved]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        key=f"{key}_table",
        column_config={
            "Condition": st.column_config.TextColumn(pinned=True),
            "Now (%)": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.1f%%"),
            "Before (%)": st.column_config.NumberColumn(format="%.1f%%", help="Before this step's findings (pre-test at the first step)"),
            "Change (points)": st.column_config.NumberColumn(format="%+.1f"),
        },
    )


def step_evidence(kb: KnowledgeBase, case: Case, step: int) -> None:
    """After a committed pick: the differential with the findings so far, how it moved, and why, with sources."""
    citations = Citations()
    findings = findings_until(case, step)
    ranked = rank(findings, sex=case.sex, age=case.age, kb=kb)
    previous = rank(findings_until(case, step - 1), sex=case.sex, age=case.age, kb=kb) if step else None
    st.subheader(":material/bar_chart: The differential after this step")
    st.caption("Bayes' theorem over the eight conditions, starting equal, with the case's age and sex. Bands are estimates.")
    differential(kb, ranked, previous, key=f"cases_diff_{step}")
    render.abbreviations(kb)
    st.subheader(":material/balance: Why this order")
    reasons(kb, ranked, findings, citations, top=3, sex=case.sex, age=case.age)
    render.reference_list(kb, citations.order)


def picks_summary(kb: KnowledgeBase, picks: Sequence[str | None], answer: str) -> None:
    """The student's leading diagnosis at each step, marked right or wrong."""
    lines = []
    for stage, pick in zip(STAGES, picks, strict=False):
        if pick is None:
            lines.append(f"- **After the {stage}:** :gray[no pick recorded]")
        elif pick == answer:
            lines.append(f"- **After the {stage}:** {md_escape(kb.conditions[pick].name)} :green-badge[:material/check: right]")
        else:
            lines.append(f"- **After the {stage}:** {md_escape(kb.conditions[pick].name)} :red-badge[:material/close: not this one]")
    st.markdown("\n".join(lines))


def case_answer(kb: KnowledgeBase, case: Case, picks: Sequence[str | None], ranked: Sequence[Ranked]) -> None:
    """The last step of a case: the diagnosis, what gave it away, the student's picks, the evidence's verdict and the source."""
    cond = kb.conditions[case.final_diagnosis]
    st.success(f"Final diagnosis: **{md_escape(cond.name)}**", icon=":material/task_alt:")
    place = next((i for i, r in enumerate(ranked, start=1) if r.condition == cond.id), None)
    if place is not None:
        prob = ranked[place - 1].probability * 100
        st.caption(
            f":material/bar_chart: With every finding of the case, the evidence-based differential ranks it {place} of "
            f"{len(ranked)} ({prob:.0f}%)."
            + ("" if place == 1 else " It did not come first: look at which findings pointed elsewhere, and at which rest on estimates.")
        )
    st.subheader(":material/lightbulb: What gave it away")
    st.markdown(md_escape(case.giveaway))
    st.subheader(":material/checklist: Your leading diagnosis at each step")
    picks_summary(kb, picks, case.final_diagnosis)
    st.subheader(":material/menu_book: Source of the case")
    st.markdown("\n".join(render.reference_entry(kb.references[r], i) for i, r in enumerate(case.references, start=1)))
    st.caption(f":material/location_on: Where in the source: {md_escape(case.source_locator)}")
    page_link("explorer", f"Read about {cond.name}", {"condition": cond.id}, icon=":material/search:")


# --------------------------------------------------------------------------- flashcards


def flashcard(kb: KnowledgeBase, card: Card, *, flipped: bool, citations: Citations, key: str) -> None:
    """A card: the front always, the cited back once flipped."""
    with st.container(border=True, key=key):
        front = f"### {md_escape(card.front)}\n\n:small[:gray[{md_escape(card.subtitle)}]]"
        if not flipped:
            st.markdown(f"{front}\n\n:gray[:material/psychology: Recall the answer, then flip the card.]")
            return
        st.markdown(front)
        st.divider()
        st.markdown(
            "\n\n".join(
                f"**{md_escape(line.label)}.** {md_escape(line.text)} {render.cite(kb, line.refs, citations)}" for line in card.back
            )
        )


# --------------------------------------------------------------------------- glossary


def glossary_item(kb: KnowledgeBase, term: GlossaryTerm, citations: Citations, *, badge: bool = False) -> str:
    """One glossary term as Markdown: name, aliases, (kind,) definition and citations."""
    aliases = f" :gray[(also: {md_escape(', '.join(term.aliases))})]" if term.aliases else ""
    related = ", ".join(kb.conditions[c].short_name for c in term.conditions if c in kb.conditions)
    where = f"  \n  :small[:gray[Matters in: {md_escape(related)}]]" if related else ""
    kind = f" {KIND_BADGES.get(term.kind, '')}" if badge else ""
    return f"- **{md_escape(term.term)}**{aliases}{kind}  \n  {md_escape(term.definition)} {render.cite(kb, term.refs, citations)}{where}"


def glossary_highlight(kb: KnowledgeBase, term: GlossaryTerm, citations: Citations) -> None:
    """The looked-up term, shown first in a bordered box."""
    with st.container(border=True, key="glossary_highlight"):
        st.markdown(":material/bookmark: **Looked up**\n\n" + glossary_item(kb, term, citations, badge=True))


def glossary_groups(kb: KnowledgeBase, groups: Mapping[str, Sequence[GlossaryTerm]], citations: Citations) -> None:
    """Terms grouped by kind, each group under its heading."""
    for kind, terms in groups.items():
        st.markdown(f"### {KIND_LABELS[kind]} ({len(terms)})\n\n" + "\n".join(glossary_item(kb, t, citations) for t in terms))


def glossary_link(term_id: str, label: str | None = None, *, kb: KnowledgeBase | None = None) -> None:
    """A link that opens the glossary at one term (lecture mode travels with it)."""
    text = label or (kb.glossary[term_id].term if kb is not None and term_id in kb.glossary else term_id.replace("_", " "))
    page_link("glossary", text, {"term": term_id}, icon=":material/dictionary:")


def _terms_in_texts(kb: KnowledgeBase, texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(find_terms_in(kb.glossary, texts))


_terms_in = cached.pure(_terms_in_texts)


def glossary_links(kb: KnowledgeBase, texts: Iterable[str], *, limit: int = 12) -> list[str]:
    """One line of glossary links for the terms named in some texts; returns their ids (nothing shown when none).

    Markdown links open in a new tab in Streamlit, which suits a look-up: the page being read stays put.
    """
    found = list(_terms_in(tuple(texts)))[:limit]
    if not found:
        return []
    links = []
    for tid in found:
        url = page_url("glossary", link_values("glossary", {"term": tid}))
        links.append(f"[{md_escape(kb.glossary[tid].term)}]({url})")
    st.markdown(f":material/dictionary: Terms on this page, explained in the glossary (each opens in a new tab): {' · '.join(links)}")
    return found
