"""Teaching cases: a published patient disclosed step by step; commit to a diagnosis, then see the evidence move."""

import streamlit as st

from components.diagnosis import rank
from components.safety import md_escape
from components.ui import practice, render
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view

kb = get_kb()
read_view("cases", kb, {"case": "cases_case", "step": "cases_step"})
cases = {cid: c.title for cid, c in kb.cases.items()}
names = {cid: c.name for cid, c in kb.conditions.items()}
if st.session_state.get("cases_case") not in cases:
    st.session_state["cases_case"] = next(iter(cases))
if not isinstance(st.session_state.get("cases_step"), int):
    st.session_state["cases_step"] = 0


def _go(step: int) -> None:
    st.session_state["cases_step"] = step


def _restart(case_id: str) -> None:
    for i in range(3):
        st.session_state.pop(f"cases_picked_{case_id}_{i}", None)
    _go(0)


render.page_head(
    "Teaching cases",
    "Each case is one published patient. It unfolds in steps: **history**, **examination**, **imaging**, then the "
    "answer. At each step, commit to your leading diagnosis before the evidence-based ranking is shown.",
)
cid = st.selectbox("Case", list(cases), format_func=cases.get, key="cases_case", on_change=_go, args=(0,))
case = kb.cases[cid]
step = min(max(int(st.session_state["cases_step"]), 0), 3)
facts = [f"{case.age} years" if case.age else None, case.sex]
st.caption(" · ".join(f for f in facts if f) or "Age and sex not given")

stages = practice.STAGES[: min(step, 2) + 1]
for i, stage in enumerate(stages):
    practice.stage_narrative(kb, case, stage, current=i == step)
practice.glossary_links(kb, [getattr(case, s).narrative for s in stages])

pick_keys = [f"cases_picked_{cid}_{i}" for i in range(3)]
if step < 3:
    stage = practice.STAGES[step]
    st.subheader(f":material/how_to_reg: Your leading diagnosis after the {stage}")
    chosen = st.session_state.get(pick_keys[step])
    if chosen is None:
        widget = f"cases_pick_{cid}_{step}"
        st.pills(
            "Leading diagnosis",
            list(names),
            format_func=names.get,
            key=widget,
            label_visibility="collapsed",
            on_change=practice.commit,
            args=(widget, pick_keys[step]),
        )
        st.info("Pick one condition to see how this step's findings move the differential.", icon=":material/touch_app:")
    else:
        st.markdown(f":material/lock: You committed to **{md_escape(names[chosen])}**.")
        practice.step_evidence(kb, case, step)
    labels = ("Next: examination", "Next: imaging", "Show the answer")
    with st.container(horizontal=True, key="cases_nav"):
        st.button("Back", icon=":material/chevron_left:", key="cases_back", on_click=_go, args=(step - 1,), disabled=step == 0)
        st.button(
            labels[step],
            icon=":material/chevron_right:",
            type="primary",
            key="cases_next",
            on_click=_go,
            args=(step + 1,),
            disabled=chosen is None,
        )
else:
    ranked = rank(case.findings, sex=case.sex, age=case.age, kb=kb)
    practice.case_answer(kb, case, [st.session_state.get(k) for k in pick_keys], ranked)
    with st.expander("The differential with every finding of the case", icon=":material/bar_chart:"):
        practice.differential(kb, ranked, None, key="cases_diff_final")
    st.button("Start this case again", icon=":material/restart_alt:", key="cases_restart", on_click=_restart, args=(cid,))
write_view("cases", {"case": cid, "step": step})
