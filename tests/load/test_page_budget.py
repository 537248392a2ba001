"""Each page's script run stays within its budget of messages and widgets: the deterministic half of the CPU figures.

A warm script run's server CPU grows with what it sends: `python bench/element_cost.py` measures about
0.2 ms per element and 0.5 ms per widget on the machine of the README's load table
(bench/results/element_cost.json). CPU cannot be asserted in a test on a shared machine; what a run
sends can. BUDGET holds each page's counts as measured for the README's load table. A page that sends
more fails here: re-measure it (`python bench/load.py`), update the README, then raise its budget on
purpose. A page that sends less may lower its budget.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.common import Target, hiplens_targets
from bench.load import RunShape, start_plain, warm_run_shape

pytestmark = pytest.mark.slow

# page key: (ForwardMsgs per warm rerun, elements with a widget id among them)
BUDGET: dict[str, tuple[int, int]] = {
    "overview": (42, 2),
    "explorer": (31, 2),
    "compare": (27, 8),
    "charts": (28, 3),
    "differential": (45, 17),
    "tests": (30, 3),
    "cases": (21, 5),
    "quiz": (23, 10),
    "flashcards": (19, 5),
    "glossary": (23, 3),
    "sources": (24, 4),
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunShape]]:
    """One plain server (serve.py); each page opened like a browser, run, then rerun with the same values."""
    running = start_plain(tmp_path_factory.mktemp("budget-logs"))
    try:

        def measure() -> dict[str, RunShape]:
            return {t.key: asyncio.run(warm_run_shape(running.url, t)) for t in hiplens_targets()}

        # In a thread of its own: the browser tests' Playwright keeps an event loop in this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            yield pool.submit(measure).result()
    finally:
        running.stop()


def test_every_page_has_a_budget() -> None:
    assert sorted(t.key for t in hiplens_targets()) == sorted(BUDGET)


@pytest.mark.parametrize("target", hiplens_targets(), ids=lambda t: t.key)
def test_a_warm_run_stays_within_the_page_budget(shapes: dict[str, RunShape], target: Target) -> None:
    shape = shapes[target.key]
    messages, widgets = BUDGET[target.key]
    # The run is a whole script run (the frame's messages are there) and drew no exception.
    assert shape.kinds.get("new_session") == 1 and shape.kinds.get("navigation") == 1 and shape.kinds.get("script_finished") == 1
    assert "exception" not in shape.kinds, shape.kinds
    assert shape.messages <= messages, f"{target.key}: {shape.messages} messages per run (budget {messages}): {shape.kinds}"
    assert shape.widgets <= widgets, f"{target.key}: {shape.widgets} widgets per run (budget {widgets}): {shape.kinds}"


def test_counting_sees_every_element_and_widget_of_a_run() -> None:
    """run_shape_of on messages built by hand: deltas, widgets (an id) and plain elements are told apart."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from bench.load import run_shape_of

    text, box, block, done = ForwardMsg(), ForwardMsg(), ForwardMsg(), ForwardMsg()
    text.delta.new_element.markdown.body = "x"
    box.delta.new_element.checkbox.id = "$$ID-abc-lecture_mode"
    block.delta.add_block.vertical.SetInParent()
    done.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    shape = run_shape_of([text, box, block, done])
    assert (shape.messages, shape.deltas, shape.widgets) == (4, 3, 1)
    assert shape.kinds == {"add_block": 1, "checkbox": 1, "markdown": 1, "script_finished": 1}
