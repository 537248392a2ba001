"""The knowledge base, loaded once per process, and its failure shown as one clear message."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.knowledge.loader import DATA_DIR, KnowledgeBase, KnowledgeError, load_knowledge

DATA_ENV = "HIPLENS_DATA_DIR"


def data_dir() -> Path:
    """The content folder: $HIPLENS_DATA_DIR or the project's data/."""
    return Path(data_folder())


def data_folder() -> str:
    """The content folder as a string (a cache key part; no Path built)."""
    return os.environ.get(DATA_ENV) or str(DATA_DIR)


@st.cache_resource(show_spinner=False)
def _load(folder: str) -> KnowledgeBase:
    return load_knowledge(Path(folder))


# Knowledge bases that loaded, by folder, in front of _load: a page asks for the knowledge base many
# times per script run, and each call through Streamlit's cache hashes its argument and inspects the
# signature again. _load stays underneath so that concurrent first sessions load a folder once; a
# failed load is not kept here, so it is retried (and reported) on the next run, as before.
_LOADED: dict[str, KnowledgeBase] = {}


def _is_script_health_check() -> bool:
    """Whether this run is Streamlit's /_stcore/script-health-check: a session that no browser is attached to."""
    ctx = get_script_run_ctx()
    return ctx is not None and Runtime.exists() and Runtime.instance().get_client(ctx.session_id) is None


def get_kb() -> KnowledgeBase:
    """The validated knowledge base; on failure, one message naming the file and problem, then stop."""
    folder = data_folder()
    kb = _LOADED.get(folder)
    if kb is not None:
        return kb
    try:
        kb = _LOADED[folder] = _load(folder)
        return kb
    except KnowledgeError as exc:
        if _is_script_health_check():
            raise  # an uncaught error is what makes the health check answer 503, so a proxy drops this replica
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
