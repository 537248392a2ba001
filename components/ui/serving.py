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

Each fix replaces one private method of Streamlit 1.67 and keeps what it does (each session's
callbacks in order, errors reported as asyncio reports them, events after the loop closed dropped,
the same theme message) at a lower cost. The one difference: callbacks that queue up while the loop
is busy run together in its next turn rather than one per turn. Each is applied only on Streamlit
1.67 and only where the method it replaces exists; anything else leaves Streamlit as it is and logs
why. `HIPLENS_STOCK_RUNTIME=1` turns them all off (benchmarks
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

    def schedule(session: Any) -> None:
        session._hiplens_wake_pending = True
        try:
            session._event_loop.call_soon_threadsafe(drain, session)
        except RuntimeError:
            if not session._event_loop.is_closed():
                raise
            # As Streamlit does: events that arrive after the loop closed are dropped (and nothing is kept).
            session._hiplens_callbacks.clear()
            session._hiplens_wake_pending = False
            LOG.debug("Dropped session callbacks: the event loop is closed")

    def drain(session: Any) -> None:
        # Only the callbacks queued when this turn began, as asyncio runs only the handles ready at the
        # start of a turn: a script that keeps drawing cannot hold the loop away from other sessions.
        # A callback queued after the flag below is cleared schedules its own drain.
        session._hiplens_wake_pending = False
        queue: collections.deque[Callable[[], None]] = session._hiplens_callbacks
        loop = session._event_loop
        for _ in range(len(queue)):
            callback = queue.popleft()
            try:
                callback()
            except (SystemExit, KeyboardInterrupt):
                if queue and not session._hiplens_wake_pending:
                    schedule(session)  # the rest still run, as their own handles would have
                raise
            except BaseException as exc:  # as asyncio does for a handle: report it, go on with the next
                loop.call_exception_handler({"message": "Exception in a session callback", "exception": exc, "callback": callback})

    def call_soon(self: Any, callback: Callable[[], None]) -> None:
        queue = self.__dict__.get("_hiplens_callbacks")
        if queue is None:  # the first call for this session; setdefault keeps one queue if two threads race here
            queue = self.__dict__.setdefault("_hiplens_callbacks", collections.deque())
        queue.append(callback)
        if self.__dict__.get("_hiplens_wake_pending"):
            return  # a drain is scheduled and has not started: it will run this callback too
        schedule(self)

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
    built: dict[tuple[int, str], tuple[bool, Any]] = {}

    def populate(msg: Any, section: str = "theme") -> None:
        # Keyed on the configuration object, which Streamlit replaces when it parses its files again;
        # a server's configuration is fixed once it has started (an option changed in place with
        # config.set_option at run time would not be seen). `msg` is always a fresh, empty
        # sub-message of a new new_session message.
        key = (id(config._config_options), section)
        if key not in built:
            # Streamlit leaves a section's sub-message unset when none of its options is set, and
            # marks it present otherwise, even when every value it sets is a default (base = "light").
            present = any(value is not None for value in config.get_options_for_section(section).values())
            fresh = type(msg)()
            original(fresh, section)
            if len(built) > 64:
                built.clear()
            built[key] = (present, fresh)
        present, cached = built[key]
        if present:
            msg.SetInParent()
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
