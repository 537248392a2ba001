"""What is worked out or drawn once per process and shared by every session.

- `chart(kind, ...)`: plotly figures, per view and mode (the builders are pure).
- `pure(func)`: results of pure functions of the knowledge base (comparisons, rankings, decks, quizzes).
- `view(func)`: the static part of a page, recorded once per view and mode and replayed to every later
  session; at most VIEW_CACHE_ENTRIES views are kept (least recently used go first), which bounds the
  memory a stream of different views (free-text searches, say) can take.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st

from components import charts
from components.charts import LECTURE, NORMAL, Chart
from components.compare import build_comparison
from components.ui.kb import data_folder, get_kb
from components.ui.style import lecture_on

BUILDERS: dict[str, Callable[..., Chart]] = {
    "feature_range": charts.feature_range_chart,
    "heatmap": charts.aggravating_heatmap,
    "pain_location": charts.pain_location_chart,
    "rom": charts.rom_chart,
    "differential": charts.differential_chart,
    "forest": charts.forest_chart,
    "fagan": lambda _kb, pre, lr, post, label, style: charts.fagan_chart(pre, lr, post, label=label, style=style),
}


def cache_key(*parts: Hashable) -> str:
    """One string that stands for a cached call's arguments (ids, numbers, flags, None and tuples of them).

    Streamlit's cache hashes each argument it is given, piece by piece, and inspects the function's
    signature once per positional argument: for a key of nested tuples that is most of a cache hit's
    cost. `repr` of these types is exact and deterministic (a float's repr round-trips), so the
    callers below pass this one string as the only hashed argument, by keyword, and the values
    themselves under an underscore name, which Streamlit does not hash.
    """
    return repr(parts)


@st.cache_resource(max_entries=2048, show_spinner=False)
def _build(*, key: str, _call: tuple[str, tuple[Hashable, ...], bool]) -> Chart:
    kind, args, lecture = _call
    return BUILDERS[kind](get_kb(), *args, style=LECTURE if lecture else NORMAL)


def chart(kind: str, *args: Any) -> Chart:
    """A chart of the current knowledge base in the current mode; lists become tuples for the cache key."""
    args = tuple(tuple(a) if isinstance(a, list) else a for a in args)
    lecture = lecture_on()
    return _build(key=cache_key(kind, data_folder(), args, lecture), _call=(kind, args, lecture))


VIEW_CACHE_ENTRIES = 256


@st.cache_resource(max_entries=VIEW_CACHE_ENTRIES, show_spinner=False)
def _view(*, key: str, _call: tuple[str, tuple[Hashable, ...]]) -> Any:
    name, args = _call
    return _VIEWS[name](*args)


_VIEWS: dict[str, Callable[..., Any]] = {}


def view(func: Callable[..., Any]) -> Callable[..., Any]:
    """Draw a static part of a page once per process for each view, and replay it for every session.

    Streamlit records the elements a cache-decorated function draws and, on a hit, sends the recorded
    messages again without running the function: no Markdown is rebuilt, no chart serialised, no table
    converted. The cache key is the function, its positional arguments (hashable: ids, tuples, flags),
    the content folder and lecture mode (which changes chart sizes and what links carry). Only static
    elements may be drawn inside (no widgets), and the function may read nothing from the session but
    lecture mode.
    """
    name = f"{func.__module__}.{func.__qualname__}"
    _VIEWS[name] = func

    @functools.wraps(func)
    def call(*args: Hashable) -> Any:
        return _view(key=cache_key(name, data_folder(), lecture_on(), args), _call=(name, args))

    return call


@functools.lru_cache(maxsize=1024)
def _pure(name: str, folder: str, args: tuple[Hashable, ...]) -> Any:
    # functools, not st.cache_resource: these results draw nothing, so nothing needs recording, and
    # Streamlit's cache would hash every argument and inspect the signature again on every call (about
    # a quarter of a millisecond each, several times per script run). An exception is not cached.
    return _PURE[name](get_kb(), *args)


_PURE: dict[str, Callable[..., Any]] = {}


def pure(func: Callable[..., Any]) -> Callable[..., Any]:
    """Compute a pure function of the knowledge base once per process for each argument tuple.

    `func(kb, *args)` must return a value no caller mutates (frozen dataclasses, tuples); the wrapper
    takes `*args` only (hashable) and supplies the current knowledge base.
    """
    name = f"{func.__module__}.{func.__qualname__}"
    _PURE[name] = func

    @functools.wraps(func)
    def call(*args: Hashable) -> Any:
        return _pure(name, data_folder(), tuple(args))

    return call


comparison = pure(build_comparison)
"""The comparison of some conditions over some features (tuples), built once per process: `comparison(conditions, features)`."""
