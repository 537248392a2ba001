"""Differential builder: findings in, a ranked differential out, with reasons and what to test next."""

import streamlit as st

from components.compare import Citations
from components.diagnosis import DiagnosisInputError, default_pretest
from components.differential import CaseInput, case_line
from components.links import page_url
from components.safety import md_escape
from components.ui import differential as ui
from components.ui import render
from components.ui.differential_downloads import differential_downloads
from components.ui.kb import get_kb
from components.ui.links import read_view, show_notices, write_view
from components.ui.reveal import reveal_controls, reveal_step

kb = get_kb()
keys = {"sex": "differential_sex", "age": "differential_age", "setting": "differential_setting", "step": "differential_step"}
read_view("differential", kb, keys, on_change=lambda values: ui.seed_from_link(kb, values))
show_notices(st.session_state.pop("differential_contradictions", []))
presets = {p.id: p for p in kb.settings.presets}

render.page_head("Differential builder")
case_open, setting, sex, age, yes, no = ui.case_panel(kb)
case = CaseInput(tuple(yes), tuple(no))
if case.ordered():
    step = reveal_step("differential_step", len(case.ordered()))
else:
    if st.session_state.get("differential_step"):
        show_notices(["'step' needs findings to reveal; it was ignored."])
    step = st.session_state["differential_step"] = 0
findings = case.findings(step)
if not case_open:
    # The inputs are folded (a linked case, a projector): right under "The case", one line says what the
    # ranking rests on, and no more than the reveal has shown.
    label = presets[setting].label if setting else None
    st.markdown(case_line(kb, findings, sex, age, hidden=len(case.ordered()) - len(findings), setting=label))
if case.ordered():
    reveal_controls("differential_step", len(case.ordered()), noun="finding")
if step:
    fid, present = case.ordered()[step - 1]
    st.markdown(f"**Just added:** {md_escape(kb.findings[fid].label)} ({'present' if present else 'absent'})")
pretest = default_pretest(kb, setting)
adjust = st.toggle(
    "Adjust pre-test probabilities",
    key="differential_adjust",
    help="Off: the setting's shares (or equal ones). On: a slider per condition; turning it off again restores the defaults.",
)
if adjust:
    with st.container(border=True, key="differential_pretest"):
        if setting:
            st.caption(presets[setting].description)
        for cid, cond in kb.conditions.items():
            share = next((p for p in presets[setting].pretest if p.condition == cid), None) if setting else None
            basis = f" ({share.basis})" if share else ""
            pretest[cid] = (
                st.slider(
                    f"{cond.short_name}{basis}", 0.0, 100.0, round(pretest[cid] * 100, 1), 0.5, key=f"differential_pre_{setting}_{cid}"
                )
                / 100
            )

try:
    ranked, suggested = ui.ranking(tuple(findings.items()), tuple(pretest.items()), sex, age)
except DiagnosisInputError as exc:
    st.error(md_escape(str(exc)), icon=":material/error:")
    st.stop()
order = ui.results(tuple(findings.items()), tuple(pretest.items()), sex, age)
view = {"yes": case.yes, "no": case.no, "sex": sex, "age": age, "setting": setting, "step": step}
differential_downloads(
    kb, ranked, findings, sex=sex, age=age, setting=setting, suggestions=suggested, view_url=page_url("differential", {**view, "step": 0})
)
citations = Citations(list(order))
show = st.toggle(
    ":material/show_chart: Fagan nomogram: what one test result does to a probability",
    key="differential_nomogram",
    help="Pick a test and its result; the line runs from the condition's current probability through the test's likelihood ratio.",
)
if show:
    ui.nomogram(kb, ranked, citations)
render.reference_list(kb, citations.order)
write_view("differential", view)
