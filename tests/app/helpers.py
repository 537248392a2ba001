"""AppTest helpers: open a page of the app with query parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from streamlit.testing.v1 import AppTest

from components.ui.links import PAGE_FILES as ALL_PAGE_FILES
from components.ui.nav import registered
from tests.conftest import ROOT

PAGE_FILES = {e.key: ALL_PAGE_FILES[e.key] for e in registered()}


def open_page(page: str, query: Mapping[str, str | Sequence[str]] | None = None, timeout: float = 60) -> AppTest:
    """Run app.py, switch to a page with a query string, and return the finished AppTest."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = list(value) if isinstance(value, (list, tuple)) else value
    at.switch_page(PAGE_FILES[page])
    at.run()
    return at


def all_markdown(at: AppTest) -> str:
    """Every Markdown, caption and alert text of the page, joined."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def link_notices(at: AppTest) -> list[str]:
    """The link notices on the page (warnings saying part of a link could not be used)."""
    return [str(w.value) for w in at.warning if "could not be used" in str(w.value)]


def query_list(at: AppTest, key: str) -> list[str]:
    """A query parameter after the run, always as a list."""
    value = at.query_params.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
