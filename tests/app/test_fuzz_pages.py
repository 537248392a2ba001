"""Property: any query string on any page gives no exception, only notices and defaults (AppTest)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from tests.app.fuzz_support import page, query
from tests.app.helpers import PAGE_FILES, open_page

EXAMPLES = int(os.environ.get("HIPLENS_FUZZ_EXAMPLES", "250"))


def check_page(name: str, params: dict[str, list[str]]) -> None:
    """Open a page with a query string; no exception may reach the user."""
    if name not in PAGE_FILES:
        return
    at = open_page(name, {k: v for k, v in params.items() if v}, timeout=90)
    assert not at.exception, (name, params, [e.value for e in at.exception])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("CI")))
@given(name=page, params=query)
def test_generated_links_never_raise(name: str, params: dict[str, list[str]]) -> None:
    check_page(name, params)
