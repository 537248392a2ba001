"""The knowledge base, loaded once per process, and its failure shown as one clear message."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from components.knowledge.loader import DATA_DIR, KnowledgeBase, KnowledgeError, load_knowledge

DATA_ENV = "HIPLENS_DATA_DIR"


def data_dir() -> Path:
    """The content folder: $HIPLENS_DATA_DIR or the project's data/."""
    return Path(os.environ.get(DATA_ENV) or DATA_DIR)


@st.cache_resource(show_spinner=False)
def _load(folder: str) -> KnowledgeBase:
    return load_knowledge(Path(folder))


def get_kb() -> KnowledgeBase:
    """The validated knowledge base; on failure, one message naming the file and problem, then stop."""
    try:
        return _load(str(data_dir()))
    except KnowledgeError as exc:
        first = exc.errors[0] if exc.errors else None
        st.error(
            "HipLens could not load its knowledge base, so this page cannot be shown.",
            icon=":material/error:",
        )
        if first is not None:
            st.code(str(first), language=None, wrap_lines=True)
        if len(exc.errors) > 1:
            st.caption(f"{len(exc.errors) - 1} more problem(s). Run `python -m components.knowledge check` for the full list.")
        st.stop()
        raise  # unreachable: st.stop() ends the run
