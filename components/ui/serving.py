"""Cheaper script runs in the server process: five narrow fixes to how Streamlit 1.67 hands messages over.

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
4. The event loop hands itself back (`await asyncio.sleep(0)`) after every single message it sends, so
   a run of 30 elements costs 30 loop turns and 30 wake-ups of the websocket's sender task.
   `fewer_flush_yields` hands it back once per 32 messages: the sender then writes them in one go,
   and no session holds the loop for longer than 32 messages take to queue.
5. Every radio, selectbox, number input, slider, text and date widget builds the whole filtered
   session state (each value deserialized and presented) only to ask whether its own key holds
   None: the cost of each widget grows with everything else in session state. `keyed_state_lookup`
   gives those widgets a view that works out the one key they ask for, the same way.

Each fix replaces one private method or module name of Streamlit 1.67 and keeps what it does (each
session's callbacks and messages in order, errors reported as asyncio reports them, events after the
loop closed dropped, the same theme message, the same widget values) at a lower cost. The
differences: callbacks that queue up while the loop is busy run together in its next turn rather
than one per turn, and the loop's other tasks get a turn after every 32 messages, not every one.
Each is applied only on Streamlit 1.67 and only where what it replaces exists as expected; anything
else leaves Streamlit as it is and logs
why. `HIPLENS_STOCK_RUNTIME=1` turns them all off, and a list of fix names turns off those
(benchmarks compare both).
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import streamlit
from streamlit import config
from streamlit.runtime import app_session
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import Runtime
from streamlit.runtime.state import session_state as _session_state
from streamlit.runtime.state.common import is_element_id, is_keyed_element_id

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


FLUSH_BATCH = 32
"""Messages the event loop sends before it hands itself back to other tasks (Streamlit: 1)."""


class _FlushAsyncio:
    """streamlit.runtime.runtime's `asyncio`: the same module, except that only every `every`-th `sleep(0)` suspends."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    def sleep(self, delay: float, result: Any = None) -> Any:
        if delay == 0:
            self.calls += 1
            if self.calls % self.every:
                return _no_wait(result)
        return asyncio.sleep(delay, result)


async def _no_wait(result: Any = None) -> Any:
    return result


def fewer_flush_yields(every: int = FLUSH_BATCH) -> bool:
    """Runtime._loop_coroutine: hand the loop back once per `every` messages sent, not after each one.

    The module's only `sleep(0)` is the loop's, after each message (checked in the source); its sleeps with
    a delay, and every other use of asyncio in streamlit.runtime.runtime, are untouched.
    """
    from streamlit.runtime import runtime as runtime_module

    try:
        loop_source = inspect.getsource(Runtime._loop_coroutine)
        module_source = inspect.getsource(runtime_module)
    except (AttributeError, OSError, TypeError):
        return False
    if runtime_module.__dict__.get("asyncio") is not asyncio:
        return False
    if loop_source.count("asyncio.sleep(0)") != 1 or module_source.count("asyncio.sleep(0)") != 1:
        return False  # the one sleep(0) in the module must be the loop's, after each message
    runtime_module.asyncio = _FlushAsyncio(every)  # type: ignore[attr-defined]
    return True


class KeyedStateView(Mapping[str, Any]):
    """SessionState.filtered_state as the widgets use it (`key in view and view[key] is None`), worked out per key.

    A key's entry is found the way filtered_state finds it (the same keys, in the same order, the same
    exceptions skipped, the last one found wins), but only the entries for that key are looked up.
    Iterating or counting builds the whole filtered state, as before. A view is made for one widget's
    check and dropped; it remembers its last answer for the `view[key]` that follows `key in view`.
    """

    def __init__(self, safe_state: Any) -> None:
        self._safe = safe_state
        self._last: tuple[str, tuple[bool, Any]] | None = None

    def _lookup(self, key: str) -> tuple[bool, Any]:
        # A widget asks `key in view` and then `view[key]` of the view it just got: look the key up once.
        if self._last is None or self._last[0] != key:
            self._last = (key, self._find(key))
        return self._last[1]

    def _find(self, key: str) -> tuple[bool, Any]:
        with self._safe._lock:
            state = self._safe._state
            id_to_key = state._key_id_mapper.id_key_mapping
            found, value = False, None
            for k in state._keys():
                if _session_state._is_internal_key(k):
                    continue
                if not is_element_id(k):
                    if k == key:
                        found, value = True, state[k]
                elif is_keyed_element_id(k):
                    try:
                        if id_to_key[k] == key:
                            found, value = True, state[k]
                    except KeyError:
                        pass
            return found, value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key)[0]

    def __getitem__(self, key: str) -> Any:
        found, value = self._lookup(key)
        if not found:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._safe.filtered_state)

    def __len__(self) -> int:
        return len(self._safe.filtered_state)


class _KeyedSessionState:
    """A widget module's get_session_state(): the session state, with filtered_state as a KeyedStateView."""

    def __init__(self, safe_state: Any) -> None:
        self._safe = safe_state

    @property
    def filtered_state(self) -> KeyedStateView:
        return KeyedStateView(self._safe)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._safe, name)

    # Item access is looked up on the type, not through __getattr__: forward it too.
    def __getitem__(self, key: str) -> Any:
        return self._safe[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._safe[key] = value

    def __contains__(self, key: str) -> bool:
        return key in self._safe


WIDGET_MODULES = ("radio", "selectbox", "number_input", "slider", "text_widgets", "time_widgets")


def keyed_state_lookup() -> bool:
    """Each widget module's get_session_state: its filtered_state looks up one key instead of building them all."""
    import importlib

    from streamlit.runtime.state import session_state_proxy
    from streamlit.runtime.state.safe_session_state import SafeSessionState

    methods = ("_keys", "filtered_state", "__getitem__")
    if not all(hasattr(_session_state.SessionState, n) for n in methods) or not hasattr(_session_state, "_is_internal_key"):
        return False
    if "_lock" not in inspect.getsource(SafeSessionState.__init__):
        return False
    modules = [importlib.import_module(f"streamlit.elements.widgets.{name}") for name in WIDGET_MODULES]
    if any(m.__dict__.get("get_session_state") is not session_state_proxy.get_session_state for m in modules):
        return False
    original = session_state_proxy.get_session_state

    def get_session_state() -> _KeyedSessionState:
        return _KeyedSessionState(original())

    for module in modules:
        module.get_session_state = get_session_state  # type: ignore[attr-defined]
    return True


FIXES: dict[str, Callable[[], bool]] = {
    "batch_wakeups": batch_wakeups,
    "direct_send_flag": direct_send_flag,
    "memo_theme": memo_theme,
    "fewer_flush_yields": fewer_flush_yields,
    "keyed_state_lookup": keyed_state_lookup,
}


def tune_streamlit() -> dict[str, bool]:
    """Apply every fix that fits the installed Streamlit; returns which applied.

    HIPLENS_STOCK_RUNTIME=1 applies none; a comma-separated list of fix names (FIXES) leaves those out,
    to measure one fix against the rest.
    """
    if os.environ.get(STOCK_ENV) == "1":
        LOG.info("%s=1: Streamlit's runtime is left as it is", STOCK_ENV)
        return dict.fromkeys(FIXES, False)
    if not streamlit.__version__.startswith(SUPPORTED):
        LOG.warning("Streamlit %s is not %sx: its runtime is left as it is", streamlit.__version__, SUPPORTED)
        return dict.fromkeys(FIXES, False)
    named = {name.strip() for name in os.environ.get(STOCK_ENV, "").split(",") if name.strip()}
    off = named & set(FIXES)
    if named - off:
        LOG.warning("%s names no such fix: %s (the fixes: %s)", STOCK_ENV, ", ".join(sorted(named - off)), ", ".join(FIXES))
    if off:
        LOG.info("%s: %s left as Streamlit has them", STOCK_ENV, ", ".join(sorted(off)))
    applied = {name: False if name in off else fix() for name, fix in FIXES.items()}
    for name, ok in applied.items():
        if not ok and name not in off:
            LOG.warning("%s not applied: what it replaces in Streamlit is not as expected", name)
    return applied
