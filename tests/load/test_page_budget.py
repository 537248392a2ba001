"""Each page's warm script run stays within its budget of elements and widgets.

A warm script run's server CPU grows with what it draws: `python bench/element_cost.py` measured about
0.16-0.30 ms per element and 0.32 ms per widget (bench/results/element_cost.json), and the README's load
table gives each page's CPU per run. CPU cannot be asserted in a test on a shared machine; what a run
draws can, exactly. BUDGET holds each page's counts at the time of that load table. A page that draws
more fails here: its CPU figure in the README is then out of date. Re-measure (`python bench/load.py`),
update the README, and raise the budget on purpose; a page that draws less may lower it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.common import Target, hiplens_targets
from bench.load import RunShape, SessionError, start_plain, warm_run_shape

pytestmark = pytest.mark.slow

# page key: (elements per warm rerun, elements with a widget id among them)
BUDGET: dict[str, tuple[int, int]] = {
    "overview": (36, 2),
    "explorer": (25, 2),
    "compare": (18, 5),
    "charts": (22, 3),
    "differential": (18, 5),
    "tests": (21, 3),
    "cases": (15, 5),
    "quiz": (11, 4),
    "flashcards": (13, 5),
    "glossary": (17, 3),
    "sources": (13, 4),
    "differential_open": (18, 9),
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunShape | str]]:
    """One plain server (serve.py); each page opened like a browser, run, then rerun with the same values (or its error)."""
    running = start_plain(tmp_path_factory.mktemp("budget-logs"))
    try:

        def measure() -> dict[str, RunShape | str]:
            out: dict[str, RunShape | str] = {}
            for target in hiplens_targets():
                try:
                    out[target.key] = asyncio.run(warm_run_shape(running.url, target))
                except SessionError as exc:
                    out[target.key] = f"{type(exc).__name__}: {exc}"
            return out

        # In a thread of its own: the browser tests' Playwright keeps an event loop in this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            yield pool.submit(measure).result()
    finally:
        running.stop()


def test_every_page_has_a_budget() -> None:
    assert sorted(t.key for t in hiplens_targets()) == sorted(BUDGET)


@pytest.mark.parametrize("target", hiplens_targets(), ids=lambda t: t.key)
def test_a_warm_run_stays_within_the_page_budget(shapes: dict[str, RunShape | str], target: Target) -> None:
    shape = shapes[target.key]
    assert isinstance(shape, RunShape), shape  # the page ran twice without an exception
    elements, widgets = BUDGET[target.key]
    # A whole script run: the frame's messages and its lecture-mode toggle (a widget) are there.
    assert shape.kinds.get("new_session") == 1 and shape.kinds.get("navigation") == 1 and shape.kinds.get("script_finished") == 1
    assert shape.kinds.get("checkbox", 0) >= 1 and shape.widgets >= 1, shape.kinds
    assert shape.elements <= elements, f"{target.key}: {shape.elements} elements per run (budget {elements}): {shape.kinds}"
    assert shape.widgets <= widgets, f"{target.key}: {shape.widgets} widgets per run (budget {widgets}): {shape.kinds}"


def test_counting_sees_every_element_and_widget_of_a_run() -> None:
    """run_shape_of on messages built by hand: elements (deltas and cached references), widgets and the rest."""
    from streamlit.elements.lib.utils import GENERATED_ELEMENT_ID_PREFIX
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from bench.load import run_shape_of

    text, box, keyless, block, cached, done = (ForwardMsg() for _ in range(6))
    text.delta.new_element.markdown.body = "x"
    box.delta.new_element.checkbox.id = f"{GENERATED_ELEMENT_ID_PREFIX}-abc-lecture_mode"
    keyless.delta.new_element.plotly_chart.spec = "{}"
    block.delta.add_block.vertical.SetInParent()
    cached.ref_hash = "0123abcd"
    done.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    shape = run_shape_of([text, box, keyless, block, cached, done])
    assert (shape.messages, shape.elements, shape.widgets) == (6, 5, 1)
    assert shape.kinds == {"add_block": 1, "checkbox": 1, "markdown": 1, "plotly_chart": 1, "ref_hash": 1, "script_finished": 1}
