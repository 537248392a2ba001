"""The server's runtime fixes (components/ui/serving.py) keep Streamlit's behaviour: order, errors, messages.

Each test applies a fix, checks it against Streamlit's own method or the behaviour it must keep, and
puts Streamlit back as it was (AppTest in the same process uses the same classes). The browser tests
run the app through serve.py, which applies all of them, end to end.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import streamlit
from streamlit import config
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import app_session
from streamlit.runtime import runtime as runtime_module
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import Runtime
from streamlit.runtime.state import session_state_proxy
from streamlit.testing.v1 import AppTest

from components.ui import serving

WIDGET_MODULES = [importlib.import_module(f"streamlit.elements.widgets.{name}") for name in serving.WIDGET_MODULES]
PATCHED = [
    (AppSession, "_call_soon_on_event_loop"),
    (Runtime, "_enqueued_some_message"),
    (app_session, "_populate_theme_msg"),
    (runtime_module, "asyncio"),
    *((module, "get_session_state") for module in WIDGET_MODULES),
]


@pytest.fixture(autouse=True)
def restore_streamlit() -> Iterator[None]:
    saved = [(owner, name, owner.__dict__[name]) for owner, name in PATCHED]
    yield
    for owner, name, value in saved:
        setattr(owner, name, value)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop running in a thread of its own, as Streamlit's server loop runs beside script threads."""
    lp = asyncio.new_event_loop()
    thread = threading.Thread(target=lp.run_forever, daemon=True)
    thread.start()
    yield lp
    lp.call_soon_threadsafe(lp.stop)
    thread.join(timeout=5)
    lp.close()


class CountingLoop:
    """Wraps a loop and counts call_soon_threadsafe: each call is one wake-up of the loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.wakeups = 0
        self.errors: list[BaseException] = []

    def call_soon_threadsafe(self, callback: Callable[..., Any], *args: Any) -> Any:
        self.wakeups += 1
        return self.loop.call_soon_threadsafe(callback, *args)

    def call_exception_handler(self, context: dict[str, Any]) -> None:
        self.errors.append(context["exception"])

    def is_closed(self) -> bool:
        return self.loop.is_closed()


class FakeSession:
    """The attributes of an AppSession that _call_soon_on_event_loop uses."""

    def __init__(self, loop: CountingLoop) -> None:
        self._event_loop = loop


def with_own_loop(test: Callable[[asyncio.AbstractEventLoop], None]) -> None:
    """Run a test body with a fresh event loop, in a thread of its own: in the full suite Playwright's sync
    API keeps a loop running in the main thread, and asyncio allows one running loop per thread."""

    def body() -> None:
        lp = asyncio.new_event_loop()
        try:
            test(lp)
        finally:
            lp.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(body).result(timeout=30)


def held(loop: asyncio.AbstractEventLoop) -> tuple[CountingLoop, FakeSession, threading.Event]:
    """A session on the loop, with the loop held busy until the returned gate is set: callbacks pile up
    behind one wake-up, as when a script draws quickly."""
    counting = CountingLoop(loop)
    gate = threading.Event()
    loop.call_soon_threadsafe(gate.wait, 5)
    return counting, FakeSession(counting), gate


def wait_for(loop: asyncio.AbstractEventLoop) -> None:
    """Return once every callback scheduled on the loop so far has run."""
    asyncio.run_coroutine_threadsafe(asyncio.sleep(0), loop).result(timeout=5)
    asyncio.run_coroutine_threadsafe(asyncio.sleep(0), loop).result(timeout=5)


def test_the_installed_streamlit_takes_every_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(serving.STOCK_ENV, raising=False)
    assert streamlit.__version__.startswith(serving.SUPPORTED), "requirements.txt pins the Streamlit the fixes were written for"
    assert serving.tune_streamlit() == dict.fromkeys(serving.FIXES, True)
    assert AppSession.__dict__["_call_soon_on_event_loop"].__module__ == serving.__name__
    assert Runtime.__dict__["_enqueued_some_message"].__module__ == serving.__name__
    assert app_session._populate_theme_msg.__module__ == serving.__name__
    assert isinstance(runtime_module.asyncio, serving._FlushAsyncio)
    assert all(m.get_session_state is not session_state_proxy.get_session_state for m in WIDGET_MODULES)


def test_another_streamlit_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(serving.STOCK_ENV, raising=False)
    monkeypatch.setattr(streamlit, "__version__", "1.68.0")
    before = [owner.__dict__[name] for owner, name in PATCHED]
    assert serving.tune_streamlit() == dict.fromkeys(serving.FIXES, False)
    assert [owner.__dict__[name] for owner, name in PATCHED] == before


def test_the_stock_switch_leaves_streamlit_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(serving.STOCK_ENV, "1")
    before = [owner.__dict__[name] for owner, name in PATCHED]
    assert serving.tune_streamlit() == dict.fromkeys(serving.FIXES, False)
    assert [owner.__dict__[name] for owner, name in PATCHED] == before


def test_the_stock_switch_can_name_the_fixes_to_leave_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(serving.STOCK_ENV, "fewer_flush_yields, memo_theme,unknown")
    applied = serving.tune_streamlit()
    assert {name for name, ok in applied.items() if not ok} == {"fewer_flush_yields", "memo_theme"}
    assert runtime_module.asyncio is asyncio
    assert AppSession.__dict__["_call_soon_on_event_loop"].__module__ == serving.__name__


def test_batched_callbacks_all_run_in_order_with_fewer_wakeups(loop: asyncio.AbstractEventLoop) -> None:
    assert serving.batch_wakeups()
    counting, session, gate = held(loop)
    ran: list[int] = []
    for i in range(200):
        AppSession._call_soon_on_event_loop(session, lambda i=i: ran.append(i))  # type: ignore[arg-type]
    gate.set()
    wait_for(loop)
    assert ran == list(range(200))
    assert 1 <= counting.wakeups < 200
    # Later callbacks, after the batch has drained, still run (a new wake-up is scheduled).
    AppSession._call_soon_on_event_loop(session, lambda: ran.append(200))  # type: ignore[arg-type]
    wait_for(loop)
    assert ran[-1] == 200


def test_a_failing_callback_is_reported_and_the_rest_still_run(loop: asyncio.AbstractEventLoop) -> None:
    assert serving.batch_wakeups()
    counting, session, gate = held(loop)
    ran: list[str] = []

    def boom() -> None:
        raise ValueError("boom")

    for callback in (lambda: ran.append("a"), boom, lambda: ran.append("b")):
        AppSession._call_soon_on_event_loop(session, callback)  # type: ignore[arg-type]
    gate.set()
    wait_for(loop)
    assert ran == ["a", "b"]
    assert [str(e) for e in counting.errors] == ["boom"]


def test_callbacks_after_the_loop_closed_are_dropped_not_kept() -> None:
    assert serving.batch_wakeups()
    closed = asyncio.new_event_loop()
    closed.close()
    session = FakeSession(CountingLoop(closed))
    for _ in range(3):
        AppSession._call_soon_on_event_loop(session, lambda: None)  # type: ignore[arg-type]  # no error, as in Streamlit
    assert not session._hiplens_callbacks  # nothing held for a loop that will never run it


def test_a_drain_runs_only_what_was_queued_when_its_turn_began(loop: asyncio.AbstractEventLoop) -> None:
    """A script that keeps queueing cannot hold the loop: what a callback queues runs in a later turn."""
    assert serving.batch_wakeups()
    order: list[str] = []

    def first() -> None:
        order.append("first")
        loop.call_soon(order.append, "another handle")  # another session's work, ready after this turn began
        AppSession._call_soon_on_event_loop(session, lambda: order.append("queued during the drain"))  # type: ignore[arg-type]

    _, session, gate = held(loop)
    AppSession._call_soon_on_event_loop(session, first)  # type: ignore[arg-type]
    gate.set()
    wait_for(loop)
    assert order == ["first", "another handle", "queued during the drain"]


def test_every_error_but_exit_is_reported_and_exit_still_runs_the_rest() -> None:
    assert serving.batch_wakeups()
    with_own_loop(exit_and_errors)


def exit_and_errors(lp: asyncio.AbstractEventLoop) -> None:
    counting = CountingLoop(lp)
    session = FakeSession(counting)
    ran: list[str] = []

    class Stop(BaseException):
        pass

    def stop() -> None:
        raise Stop("not an Exception")

    def leave() -> None:
        raise SystemExit(3)

    for callback in (stop, lambda: ran.append("a"), leave, lambda: ran.append("b")):
        AppSession._call_soon_on_event_loop(session, callback)  # type: ignore[arg-type]
    with pytest.raises(SystemExit):  # as it would leave asyncio's own handle
        lp.run_until_complete(asyncio.sleep(0))
    assert ran == ["a"]
    assert [type(e).__name__ for e in counting.errors] == ["Stop"]  # reported, and the next one ran
    lp.run_until_complete(asyncio.sleep(0))
    assert ran == ["a", "b"]  # not stranded behind the exit


class FakeAsyncObjs:
    """The two of Runtime's async objects that _enqueued_some_message uses; wake-ups of the loop counted."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.eventloop = loop
        self.need_send_data = asyncio.Event()
        self.wakeups = 0
        schedule = loop.call_soon_threadsafe

        def counted(callback: Callable[..., Any], *args: Any) -> Any:
            self.wakeups += 1
            return schedule(callback, *args)

        loop.call_soon_threadsafe = counted  # type: ignore[method-assign]


class FakeRuntime:
    def __init__(self, objs: FakeAsyncObjs) -> None:
        self.objs = objs

    def _get_async_objs(self) -> FakeAsyncObjs:
        return self.objs


def test_send_flag_is_set_directly_on_the_loop_and_scheduled_from_other_threads() -> None:
    assert serving.direct_send_flag()
    with_own_loop(send_flag)


def send_flag(lp: asyncio.AbstractEventLoop) -> None:
    objs = FakeAsyncObjs(lp)
    runtime = FakeRuntime(objs)

    async def on_the_loop() -> bool:
        Runtime._enqueued_some_message(runtime)  # type: ignore[arg-type]
        return objs.need_send_data.is_set()

    assert lp.run_until_complete(on_the_loop())
    assert objs.wakeups == 0  # no self-pipe write from the loop's own thread
    objs.need_send_data.clear()
    Runtime._enqueued_some_message(runtime)  # type: ignore[arg-type]  # from this thread, no loop running
    assert objs.wakeups == 1
    assert not objs.need_send_data.is_set()  # scheduled, not yet run
    lp.run_until_complete(asyncio.sleep(0))
    assert objs.need_send_data.is_set()


def test_a_theme_section_of_default_values_is_still_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    """theme.base = "light" alone sets no field, yet Streamlit sends the section (as present): so does the memo."""
    config.get_config_options()
    original = app_session._populate_theme_msg
    sections = config.get_options_for_section

    def only_base(section: str) -> dict[str, Any]:
        options = dict.fromkeys(sections(section), None)
        return {**options, "base": "light"} if section == "theme" else options

    monkeypatch.setattr(config, "get_options_for_section", only_base)
    expected = theme_message(original)
    assert expected.new_session.HasField("custom_theme")  # present ...
    assert not expected.new_session.custom_theme.ListFields()  # ... with no field set (light is the default value)
    assert serving.memo_theme()
    got = theme_message(app_session._populate_theme_msg)
    assert got.SerializeToString() == expected.SerializeToString()
    assert got.new_session.HasField("custom_theme")


def theme_message(populate: Callable[..., None]) -> ForwardMsg:
    """A new_session message's themes, filled the way AppSession fills them, section by section."""
    msg = ForwardMsg()
    theme = msg.new_session.custom_theme
    populate(theme)
    for name, sub in (("light", theme.light), ("dark", theme.dark), ("sidebar", theme.sidebar)):
        populate(sub, f"theme.{name}")
    populate(theme.light.sidebar, "theme.light.sidebar")
    populate(theme.dark.sidebar, "theme.dark.sidebar")
    return msg


def test_theme_memo_builds_the_same_message_once_per_section() -> None:
    config.get_config_options()  # parse .streamlit/config.toml, as the server does at start
    original = app_session._populate_theme_msg
    expected = theme_message(original)
    assert expected.new_session.custom_theme.light.primary_color  # the project's theme has a light section
    calls: list[str] = []

    def counting(msg: Any, section: str = "theme") -> None:
        calls.append(section)
        original(msg, section)

    app_session._populate_theme_msg = counting
    assert serving.memo_theme()
    memo = app_session._populate_theme_msg
    first, second = theme_message(memo), theme_message(memo)
    assert first == expected and second == expected
    assert len(calls) == 6  # each of the six sections built once, not once per run


def test_the_loop_yields_once_per_batch_of_messages_and_sleeps_as_before() -> None:
    assert serving.fewer_flush_yields(every=4)
    shim = runtime_module.asyncio
    assert shim.Event is asyncio.Event and shim.wait is asyncio.wait  # the rest of asyncio is untouched

    def body(lp: asyncio.AbstractEventLoop) -> None:
        turns = 0

        async def other_task() -> None:
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        async def flush(messages: int) -> tuple[int, float]:
            task = asyncio.ensure_future(other_task())
            await asyncio.sleep(0)  # let it start
            start = turns
            for _ in range(messages):
                await shim.sleep(0)  # what Runtime._loop_coroutine does after each message
            seen = turns - start
            before = lp.time()
            assert await shim.sleep(0.02, "kept") == "kept"  # a delay still sleeps, and returns its result
            task.cancel()
            return seen, lp.time() - before

        seen, slept = lp.run_until_complete(flush(12))
        assert seen == 3  # 12 messages, a turn for other tasks after every 4th (Streamlit: 12)
        assert slept >= 0.015

    with_own_loop(body)


def test_the_loop_fix_applies_only_to_the_loop_it_was_written_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Runtime, "_loop_coroutine", lambda self: None)  # a loop without its sleep(0)
    assert not serving.fewer_flush_yields()
    assert runtime_module.asyncio is asyncio


def keyed_state_script() -> None:
    import streamlit as st

    st.session_state.setdefault("plain", 1)
    st.session_state.setdefault("preset_none", None)
    if "picked" not in st.session_state:
        st.session_state["picked"] = None  # set before its widget: the widget must start empty
    st.radio("Radio", ["a", "b"], key="r", index=None)
    st.selectbox("Select", ["x", "y"], key="picked")
    st.selectbox("Keyless", ["x", "y"])
    st.number_input("Number", key="n", value=None)
    st.number_input("Number with a value", key="n2", value=3)
    st.text_input("Text", key="t")
    st.slider("Slider", 0, 10, 4, key="sl")


def test_the_keyed_view_agrees_with_filtered_state_on_every_key() -> None:
    at = AppTest.from_function(keyed_state_script).run()
    at.radio(key="r").set_value("b").run()
    safe = at.session_state._state
    full = safe.filtered_state
    view = serving.KeyedStateView(safe)
    internal = [k for k in safe._state._keys() if k not in full]
    assert internal  # keyless widgets and internal keys are in session state, and not in filtered_state
    for key in [*full, *internal, "missing", ""]:
        assert (key in view) == (key in full), key
        if key in full:
            assert view[key] == full[key], key
        else:
            with pytest.raises(KeyError):
                view[key]
    assert dict(view) == full and len(view) == len(full)


def test_widgets_read_a_none_from_session_state_the_same_way_with_the_fix() -> None:
    """What the check decides is the default a widget sends (AppTest's .value reads session state, not this)."""

    def sent() -> list[Any]:
        at = AppTest.from_function(keyed_state_script).run()
        protos = [at.selectbox(key="picked").proto, at.radio(key="r").proto, at.number_input(key="n").proto]
        protos += [at.number_input(key="n2").proto, at.selectbox[1].proto]
        return [p.default if p.HasField("default") else None for p in protos]

    stock = sent()
    assert stock == [None, None, None, 3, 0]  # set to None before its widget: no default; the others keep theirs
    assert serving.keyed_state_lookup()
    assert sent() == stock


def test_the_widget_modules_state_still_answers_everything_else() -> None:
    at = AppTest.from_function(keyed_state_script).run()
    assert serving.keyed_state_lookup()
    from streamlit.elements.widgets import selectbox

    wrapped = serving._KeyedSessionState(at.session_state._state)
    assert "plain" in wrapped and wrapped["plain"] == 1 and "missing" not in wrapped
    wrapped["plain"] = 2
    assert at.session_state._state["plain"] == 2
    assert wrapped.is_new_state_value("plain")  # any other method reaches the session state itself
    assert selectbox.get_session_state.__module__ == serving.__name__


def test_the_stock_switch_warns_of_a_fix_it_does_not_know(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv(serving.STOCK_ENV, "fewer_flush_yield")
    with caplog.at_level("WARNING", logger=serving.LOG.name):
        applied = serving.tune_streamlit()
    assert all(applied.values())
    assert "names no such fix: fewer_flush_yield" in caplog.text
