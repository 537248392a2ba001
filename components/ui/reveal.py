"""Step-by-step reveal: previous / next / show all, answering a presenter's clicker (Page Up / Page Down)."""

from __future__ import annotations

import streamlit as st

from components.ui.links import show_notices


def _set(key: str, value: int) -> None:
    st.session_state[key] = value


def reveal_step(key: str, total: int) -> int:
    """The reveal's step for `total` items (0 = all shown), a bad one dropped with a notice; draws no control."""
    step = st.session_state.get(key, 0)
    if not isinstance(step, int) or step < 0 or step > total:
        show_notices([f"'step' {step!r} is outside 1-{total}; everything is shown."])
        step = 0
    st.session_state[key] = step
    return step


def reveal_controls(key: str, total: int, *, noun: str = "row") -> int:
    """Controls for revealing `total` items one at a time; returns how many to show (0 = all, no reveal)."""
    step = reveal_step(key, total)
    if step == 0:
        # One button needs no row of its own (every element is a message on every script run).
        st.button(
            "Reveal step by step",
            icon=":material/slideshow:",
            key=f"{key}_start",
            on_click=_set,
            args=(key, 1),
            help="Show one row at a time (Page Down for next)",
        )
        return step
    with st.container(horizontal=True, key=f"{key}_controls", vertical_alignment="center"):
        st.button(
            "Previous",
            icon=":material/chevron_left:",
            key=f"{key}_prev",
            shortcut="PageUp",
            on_click=_set,
            args=(key, max(1, step - 1)),
            disabled=step <= 1,
        )
        st.button(
            "Next",
            icon=":material/chevron_right:",
            key=f"{key}_next",
            shortcut="PageDown",
            on_click=_set,
            args=(key, min(total, step + 1)),
            disabled=step >= total,
            type="primary",
        )
        st.button("Show all", icon=":material/unfold_more:", key=f"{key}_all", on_click=_set, args=(key, 0))
        st.markdown(f"**Step {step} of {total}** :gray[({noun}s revealed one at a time; Page Down / Page Up)]")
    return step
