"""Flashcards: special tests (how to do them, when positive, how accurate) and anatomy terms, every back cited."""

import streamlit as st

from components.compare import Citations
from components.flashcards import DECKS, clamp_card, step_card
from components.ui import practice, render
from components.ui.kb import get_kb
from components.ui.links import read_view, show_notices, write_view

kb = get_kb()
read_view("flashcards", kb, {"deck": "flash_deck", "card": "flash_card"}, on_change=lambda _: st.session_state.update(flash_flipped=False))
if st.session_state.get("flash_deck") not in DECKS:
    st.session_state["flash_deck"] = "tests"
st.session_state.setdefault("flash_flipped", False)


def _move(size: int, step: int) -> None:
    st.session_state["flash_card"] = step_card(int(st.session_state.get("flash_card") or 0), size, step)
    st.session_state["flash_flipped"] = False


def _flip() -> None:
    st.session_state["flash_flipped"] = not st.session_state.get("flash_flipped", False)


def _new_deck() -> None:
    st.session_state["flash_card"] = 0
    st.session_state["flash_flipped"] = False


render.page_head("Flashcards")
deck = st.segmented_control("Deck", list(DECKS), format_func=DECKS.get, key="flash_deck", required=True, on_change=_new_deck)
cards = practice.deck_cards(deck or "tests")
raw = st.session_state.get("flash_card")
index = clamp_card(raw if isinstance(raw, int) else 0, len(cards))
if isinstance(raw, int) and raw != index:
    show_notices([f"'card': the {DECKS[deck or 'tests'].lower()} deck has {len(cards)} cards; showing card {index + 1}."])
st.session_state["flash_card"] = index
card = cards[index]
citations = Citations()

st.caption(f"Card {index + 1} of {len(cards)}")
practice.flashcard(kb, card, flipped=bool(st.session_state["flash_flipped"]), citations=citations, key="flash_card_box")
with st.container(horizontal=True, key="flash_nav"):
    st.button("Previous", icon=":material/chevron_left:", key="flash_prev", on_click=_move, args=(len(cards), -1))
    # The back's label is no longer than the front's: 'Show the front' pushed Next onto a second line on a phone.
    flip_label = "Flip back" if st.session_state["flash_flipped"] else "Flip the card"
    st.button(flip_label, icon=":material/flip:", key="flash_flip", type="primary", on_click=_flip)
    st.button("Next", icon=":material/chevron_right:", key="flash_next", on_click=_move, args=(len(cards), 1))
render.reference_list(kb, citations.order)
write_view("flashcards", {"deck": deck, "card": index})
