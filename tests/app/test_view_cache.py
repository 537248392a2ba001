"""The view cache (components/ui/cached.py view): a replayed view shows what the first drawing showed.

Lecture mode, the other part of the key, is set by app.py's frame, which AppTest's switch_page skips; it is
tested in the browser (tests/browser/test_lecture.py).
"""

from __future__ import annotations

from tests.app.helpers import all_markdown, open_page


def test_a_replayed_view_shows_what_the_first_session_drew() -> None:
    first = open_page("explorer", {"condition": "dgs"})
    second = open_page("explorer", {"condition": "dgs"})  # a new session: the body comes from the cache
    assert not second.exception
    assert "## Deep gluteal syndrome\n" in all_markdown(second)
    assert all_markdown(second) == all_markdown(first)
    assert [m.value for m in second.metric] == [m.value for m in first.metric]


def test_each_view_is_drawn_for_its_own_arguments() -> None:
    dgs = all_markdown(open_page("explorer", {"condition": "dgs"}))
    ifi = all_markdown(open_page("explorer", {"condition": "ifi"}))
    assert dgs != ifi
    assert "quadratus femoris" in ifi.lower()
