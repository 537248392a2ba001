"""Renderers of the differential builder: inputs, red flags, reasons, suggestions, nomogram."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from components.charts import pct_label, tied_leaders
from components.compare import Citations
from components.diagnosis import (
    DiagnosisInputError,
    Ranked,
    TestSuggestion,
    next_best_tests,
    post_test_probability,
    rank,
    red_flags_present,
    test_lr,
)
from components.differential import finding_choices, finding_test_names, resolve
from components.knowledge.loader import KnowledgeBase
from components.safety import md_escape
from components.ui import cached, render
from components.ui.kb import get_kb
from components.ui.lecture import lecture_on

FINDINGS_HELP = (
    "Enter what the history, examination and imaging showed. A finding not entered counts as unknown, not absent: "
    "enter what was looked for and not found under Findings absent."
)
INDEPENDENCE_NOTE = (
    "How this is worked out: Bayes' theorem with each finding treated as independent of the others once the "
    "condition is known (naive Bayes), and the patient assumed to have one of these eight conditions. Real findings "
    "are often correlated, so treat the numbers as a teaching estimate. Frequencies marked *estimate* are judgements "
    "from the sources' wording, not measurements. A finding not entered counts as unknown, not absent."
)


def seed_from_link(kb: KnowledgeBase, values: Mapping[str, object]) -> None:
    """Put a linked case (yes/no finding ids, in the link's order) into the two findings widgets."""
    case = resolve(list(values.get("yes") or ()), list(values.get("no") or ()))  # type: ignore[call-overload]
    st.session_state["differential_yes"] = list(case.yes)
    st.session_state["differential_no"] = list(case.no)
    st.session_state["differential_contradictions"] = list(case.notices)
    # A linked case opens folded, its line saying what it holds; an empty builder opens ready for input.
    st.session_state[CASE_KEY] = not (case.yes or case.no) and not lecture_on()
    st.session_state[_CASE_LECTURE] = lecture_on()


NO_SETTING = ""
CASE_KEY = "differential_case"
_CASE_LECTURE = "_differential_case_lecture"


def case_panel(kb: KnowledgeBase) -> tuple[bool, str | None, str | None, int | None, list[str], list[str]]:
    """The case's inputs in a panel that draws them only while it is open; returns (open, setting, sex, age, yes, no).

    Folded, the five inputs are not drawn at all (the page shows the case in one line instead): each is a
    widget the server builds, registers and sends on every script run, most of a run's cost. Their values
    stay in session state while folded, and the panel opens with them (persist_state="session": with "page",
    a visit to another page dropped them, and a link applied later opened empty); a link applied from
    outside replaces them (seed_from_link). A linked
    case and a projector start folded, an empty builder open; entering lecture mode folds it, leaving
    lecture mode opens it.
    """
    lecture = lecture_on()
    if st.session_state.get(_CASE_LECTURE) != lecture:
        if _CASE_LECTURE in st.session_state:
            st.session_state[CASE_KEY] = not lecture
        st.session_state[_CASE_LECTURE] = lecture
    st.session_state.setdefault(CASE_KEY, not lecture)
    with st.expander("The case", icon=":material/person:", key=CASE_KEY, on_change="rerun") as panel:
        if panel.open:
            setting, sex, age = patient_inputs(kb)
            yes, no = finding_inputs()
            return True, setting, sex, age, yes, no
    state = st.session_state
    age = state.get("differential_age")
    return (
        False,
        state.get("differential_setting") or None,
        state.get("differential_sex"),
        int(age) if age is not None else None,
        list(state.get("differential_yes") or []),
        list(state.get("differential_no") or []),
    )


def patient_inputs(kb: KnowledgeBase) -> tuple[str | None, str | None, int | None]:
    """Setting preset, sex and age; returns (setting id or None, sex or None, age or None)."""
    presets = {p.id: p for p in kb.settings.presets}
    if st.session_state.get("differential_setting") is None:
        st.session_state["differential_setting"] = NO_SETTING
    row = st.container(horizontal=True, key="differential_patient", gap="medium")
    setting = row.selectbox(
        "Setting",
        [NO_SETTING, *presets],
        key="differential_setting",
        format_func=lambda s: presets[s].label if s in presets else "No setting: equal pre-test probabilities",
        persist_state="session",
    )
    sex = row.segmented_control("Sex", ["female", "male"], key="differential_sex", persist_state="session")
    age = row.number_input(
        "Age (years)", min_value=10, max_value=100, value=None, step=1, key="differential_age", width=160, persist_state="session"
    )
    return (setting or None), sex, (int(age) if age is not None else None)


def finding_inputs() -> tuple[list[str], list[str]]:
    """Findings present and absent, each in the order entered; a finding cannot be both. Returns (yes, no).

    One list each, offered history first, then examination, then imaging (red flags last in their
    group): full-width fields keep long findings readable, and two inputs cost the server far less on
    every run than one pair per group.
    """
    offered, labels = choices()
    present = _findings("Findings present", "differential_yes", offered, labels, "Add what the history, examination or imaging showed")
    absent_hint = "Add what was looked for and not found (anything not entered counts as unknown)"
    absent = _findings("Findings absent", "differential_no", offered, labels, absent_hint)
    return present, absent


choices = cached.pure(finding_choices)
"""The offered findings and their labels, worked out once per process."""


def _findings(label: str, key: str, offered: Sequence[str], labels: Mapping[str, str], placeholder: str) -> list[str]:
    """One findings list; what the other list holds is not offered (a finding is present or absent, not both)."""
    other = st.session_state.get("differential_no" if key == "differential_yes" else "differential_yes", [])
    return st.multiselect(
        label,
        [o for o in offered if o not in other],
        format_func=labels.get,
        key=key,
        placeholder=placeholder,
        help=FINDINGS_HELP,
        persist_state="session",
    )


def red_flag_panel(kb: KnowledgeBase, flags: Sequence[str], citations: Citations) -> None:
    """The 'do not miss' panel: what each red flag asks to rule out, with sources."""
    if not flags:
        return
    with st.container(border=True, key="differential_red_flags"):
        st.error("**Do not miss.** None of the eight conditions explains these findings: rule out first", icon=":material/emergency:")
        lines = []
        for fid in flags:
            finding = kb.findings[fid]
            for item in finding.rule_out:
                lines.append(
                    f"- **{md_escape(item.name)}** (because of: {md_escape(finding.label)}) {render.cite(kb, item.refs, citations)}"
                )
        st.markdown("\n".join(lines))


def _label(kb: KnowledgeBase, key: str, sex: str | None = None, age: int | None = None) -> str:
    if key == "sex":
        return sex.capitalize() if sex else "Sex"
    if key == "age":
        return f"Age {age} years" if age is not None else "Age"
    return kb.findings[key].label


def reasons(
    kb: KnowledgeBase,
    ranked: Sequence[Ranked],
    findings: Mapping[str, bool],
    citations: Citations,
    *,
    top: int = 4,
    sex: str | None = None,
    age: int | None = None,
) -> None:
    """For each leading condition, the findings for and against it with their weights and sources (one expander)."""
    if not ranked:
        return
    lead = ranked[0]
    leaders = tied_leaders(ranked)
    if len(leaders) > 1:
        names = " and ".join(md_escape(kb.conditions[r.condition].short_name) for r in leaders)
        label = f"{names}: tied at {pct_label(lead.probability)}, and why"
    else:
        name = md_escape(kb.conditions[lead.condition].name)
        label = f"{name}: {pct_label(lead.probability)} (pre-test {pct_label(lead.pretest)}), and why"
    sections = []
    for r in ranked[:top]:
        cond = kb.conditions[r.condition]
        blocks = [f"#### {md_escape(cond.name)}: {pct_label(r.probability)} :gray[(pre-test {pct_label(r.pretest)})]"]
        for title, items in (("For", r.supporting), ("Against", r.opposing)):
            if not items:
                blocks.append(f"**{title}:** :gray[none of the findings entered]")
                continue
            lines = [f"**{title}:**"]
            for item in items[:8]:
                state = "" if item.finding in ("sex", "age") else (" present" if findings.get(item.finding) else " absent")
                refs: tuple[str, ...] = ()
                note = ""
                if item.finding in kb.findings:
                    row = next(x for x in kb.findings[item.finding].frequency if x.condition == r.condition)
                    refs = row.refs
                    note = " :orange-badge[estimate]" if row.basis == "estimate" else ""
                else:
                    feature = "female_pct" if item.finding == "sex" else "age_years"
                    rows = kb.values_for(r.condition, feature)
                    refs = tuple(dict.fromkeys(x.ref for x in rows if x.ref and x.basis in ("reported", "derived")))
                    note = " :orange-badge[estimate: spread of ages]" if item.finding == "age" else ""
                what = md_escape(_label(kb, item.finding, sex, age))
                lines.append(f"- {what}{state}: ×{item.weight:.2f} {render.cite(kb, refs, citations)}{note}")
            blocks.append("\n".join(lines))
        sections.append("\n\n".join(blocks))
    with st.expander(label, icon=":material/balance:", expanded=True):
        st.markdown("\n\n".join(sections))


def suggestions(kb: KnowledgeBase, items: Sequence[TestSuggestion], *, heading: bool = False) -> None:
    """What to check next, by expected information gain (under a 'Test next' heading, if asked: one element)."""
    head = (
        "### :material/science: Test next\n\n:small[:gray[Ordered by expected information gain: how much, on average, the "
        "result would sharpen the differential. It is measured in bits: 1 bit settles as much as a fair coin toss.]]\n\n"
        if heading
        else ""
    )
    if not items:
        st.markdown(head + ":gray[Every examination and imaging finding is already entered.]")
        return
    lines = [head] if head else []
    for s in items:
        finding = kb.findings[s.finding]
        tests = ", ".join(md_escape(name) for name in finding_test_names(kb, s.finding))
        via = f" (tests: {tests})" if tests else ""
        lines.append(
            f"- **{md_escape(finding.label)}**{via}: {s.information_gain:.2f} bits expected. "
            f"If present → {md_escape(kb.conditions[s.if_present].short_name)} {s.top_if_present * 100:.0f}%; "
            f"if absent → {md_escape(kb.conditions[s.if_absent].short_name)} {s.top_if_absent * 100:.0f}%"
        )
    st.markdown("\n".join(lines))


def nomogram(kb: KnowledgeBase, ranked: Sequence[Ranked], citations: Citations) -> None:
    """A Fagan nomogram for one test and result, starting from the condition's current probability."""
    tests = sorted(kb.tests.values(), key=lambda t: (t.condition, t.name))
    names = {t.id: f"{t.name} → {kb.conditions[t.condition].short_name}" for t in tests}
    c1, c2 = st.columns([3, 1])
    tid = c1.selectbox("Test", list(names), format_func=names.get, key="differential_nomogram_test")
    result = c2.segmented_control("Result", ["positive", "negative"], key="differential_nomogram_result", default="positive")
    test = kb.tests[tid]
    current = next(r.probability for r in ranked if r.condition == test.condition)
    citations.order[:] = nomogram_chart(tid, result or "positive", round(current, 6), tuple(citations.order))


@cached.view
def nomogram_chart(tid: str, result: str, current: float, cited: tuple[str, ...]) -> list[str]:
    """The nomogram of one test result from a current probability, and its source; returns the references cited so far."""
    kb = get_kb()
    citations = Citations(list(cited))
    test = kb.tests[tid]
    try:
        lr = test_lr(test, positive=result == "positive")
        post = post_test_probability(current, lr)
    except DiagnosisInputError as exc:
        st.warning(md_escape(str(exc)), icon=":material/warning:")
        return citations.order
    render.chart(cached.chart("fagan", current, lr, post, f"{test.name}: {result} result"), key="differential_nomogram_chart")
    ref = kb.references[test.ref]
    caveat = f" :orange[{md_escape(test.caveat)}]" if test.caveat else ""
    st.markdown(
        f":small[Starts from the current probability of {md_escape(kb.conditions[test.condition].name)} "
        f"({pct_label(current)}). Source: {md_escape(ref.short)} {render.cite(kb, [test.ref], citations)}.{caveat}]"
    )
    return citations.order


def _ranking(
    kb: KnowledgeBase, findings: tuple[tuple[str, bool], ...], pretest: tuple[tuple[str, float], ...], sex: str | None, age: int | None
) -> tuple[tuple[Ranked, ...], tuple[TestSuggestion, ...]]:
    found, pre = dict(findings), dict(pretest)
    ranked = rank(found, pretest=pre, sex=sex, age=age, kb=kb)
    return tuple(ranked), tuple(next_best_tests(found, pretest=pre, sex=sex, age=age, kb=kb))


ranking = cached.pure(_ranking)
"""The ranked differential and the tests to do next, for findings, pre-test probabilities, sex and age (pure, so once per process)."""


@cached.view
def results(
    findings: tuple[tuple[str, bool], ...], pretest: tuple[tuple[str, float], ...], sex: str | None, age: int | None
) -> tuple[str, ...]:
    """Red flags, the ranked chart, why this order and what to test next; returns the references cited, in order."""
    kb = get_kb()
    citations = Citations()
    ranked, suggested = ranking(findings, pretest, sex, age)
    found = dict(findings)
    red_flag_panel(kb, red_flags_present(kb, found), citations)
    render.chart(cached.chart("differential", ranked), key="differential_chart", note=INDEPENDENCE_NOTE)
    # One under the other, not in columns: a pair of columns is three more blocks on every script run,
    # and phones stack them anyway.
    if found or sex or age:
        # With nothing entered, every condition's reasons would read "none of the findings entered".
        reasons(kb, ranked, found, citations, sex=sex, age=age)
    suggestions(kb, suggested, heading=True)
    return tuple(citations.order)
