"""Cheaper script runs in the server process: three narrow fixes to how Streamlit 1.67 hands messages over.

Measured on HipLens's pages (bench/load.py, py-spy --gil), a warm script run spends much of its server CPU
not in the page but in Streamlit's plumbing around each element:

1. Every element a script draws wakes the event loop separately: the script thread calls
   `loop.call_soon_threadsafe` once per message, which writes to the loop's self-pipe, and the two
   threads hand the GIL back and forth once per element. `batch_wakeups` queues a session's
   callbacks and wakes the loop once per batch; the loop runs them in the same order, in one go.
2. For each message it takes from a session, the event loop then schedules the "send data" flag
   through `call_soon_threadsafe` as well, from its own thread: another self-pipe write per message.
   `direct_send_flag` sets the flag directly when already on the loop's thread.
3. Every run (not just a session's first) rebuilds the `new_session` message's theme from the
   configuration, section by section (about 6% of a HipLens run's CPU with its light and dark
   themes). `memo_theme` builds each theme section once per configuration.

Each fix replaces one private method of Streamlit 1.67 with the same behaviour at a lower cost, so
each is applied only on Streamlit 1.67 and only where the method it replaces exists; anything else
leaves Streamlit as it is and logs why. `HIPLENS_STOCK_RUNTIME=1` turns them all off (benchmarks
compare both).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
from collections.abc import Callable
from typing import Any

import streamlit
from streamlit import config
from streamlit.runtime import app_session
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import Runtime

LOG = logging.getLogger("hiplens.serving")
STOCK_ENV = "HIPLENS_STOCK_RUNTIME"
SUPPORTED = "1.67."


def batch_wakeups() -> bool:
    """AppSession._call_soon_on_event_loop: one loop wake-up per batch of a session's callbacks, order kept."""
    if not callable(getattr(AppSession, "_call_soon_on_event_loop", None)):
        return False

    def drain(session: Any) -> None:
        session._hiplens_wake_pending = False
        queue: collections.deque[Callable[[], None]] = session._hiplens_callbacks
        while queue:
            callback = queue.popleft()
            try:
                callback()
            except Exception as exc:  # as asyncio does for a callback: report it, go on with the next
                session._event_loop.call_exception_handler({"message": "Exception in a session callback", "exception": exc})

    def call_soon(self: Any, callback: Callable[[], None]) -> None:
        queue = self.__dict__.get("_hiplens_callbacks")
        if queue is None:
            queue = self._hiplens_callbacks = collections.deque()
            self._hiplens_wake_pending = False
        queue.append(callback)
        if self._hiplens_wake_pending:
            return  # a drain is scheduled and has not started: it will run this callback too
        self._hiplens_wake_pending = True
        try:
            self._event_loop.call_soon_threadsafe(drain, self)
        except RuntimeError:
            # As Streamlit does: events that arrive after the loop closed are dropped.
            if not self._event_loop.is_closed():
                raise

    AppSession._call_soon_on_event_loop = call_soon  # type: ignore[method-assign]
    return True


def direct_send_flag() -> bool:
    """Runtime._enqueued_some_message: set the 'send data' event directly when called on the loop's own thread."""
    if not callable(getattr(Runtime, "_enqueued_some_message", None)) or not callable(getattr(Runtime, "_get_async_objs", None)):
        return False

    def enqueued(self: Any) -> None:
        objs = self._get_async_objs()
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is objs.eventloop:
            objs.need_send_data.set()
        else:
            objs.eventloop.call_soon_threadsafe(objs.need_send_data.set)

    Runtime._enqueued_some_message = enqueued  # type: ignore[method-assign]
    return True


def memo_theme() -> bool:
    """app_session._populate_theme_msg: each theme section's message built once per configuration, then merged."""
    original = getattr(app_session, "_populate_theme_msg", None)
    if not callable(original) or not hasattr(config, "get_options_for_section"):
        return False
    built: dict[tuple[int, str], Any] = {}

    def populate(msg: Any, section: str = "theme") -> None:
        # The configuration object is replaced when Streamlit parses its files again, so its identity is
        # part of the key; `msg` is always a fresh, empty sub-message of a new new_session message.
        key = (id(config._config_options), section)
        if key not in built:
            fresh = type(msg)()
            original(fresh, section)
            if len(built) > 64:
                built.clear()
            built[key] = fresh if fresh.ListFields() else None
        cached = built[key]
        if cached is not None:  # an empty section leaves its sub-message unset, as Streamlit's own code does
            msg.MergeFrom(cached)

    app_session._populate_theme_msg = populate
    return True


FIXES: dict[str, Callable[[], bool]] = {
    "batch_wakeups": batch_wakeups,
    "direct_send_flag": direct_send_flag,
    "memo_theme": memo_theme,
}


def tune_streamlit() -> dict[str, bool]:
    """Apply every fix that fits the installed Streamlit (unless HIPLENS_STOCK_RUNTIME=1); returns which applied."""
    if os.environ.get(STOCK_ENV) == "1":
        LOG.info("%s=1: Streamlit's runtime is left as it is", STOCK_ENV)
        return dict.fromkeys(FIXES, False)
    if not streamlit.__version__.startswith(SUPPORTED):
        LOG.warning("Streamlit %s is not %sx: its runtime is left as it is", streamlit.__version__, SUPPORTED)
        return dict.fromkeys(FIXES, False)
    applied = {name: fix() for name, fix in FIXES.items()}
    for name, ok in applied.items():
        if not ok:
            LOG.warning("%s not applied: the Streamlit method it replaces was not found", name)
    return applied
