"""Load (short CI version of bench/load.py): 30 real Streamlit sessions through HAProxy and 2 replicas.

Each session is driven over Streamlit's websocket protocol like a browser (page, static files,
health and host-config, websocket, first run, three selectbox changes). No timing is asserted:
speed is measured by `python bench/load.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bench.load import Assets, Scenario, fetch_index_assets
from bench.load import run_load as _run_load
from deploy.cluster import Cluster

SESSIONS = 30
CHANGES = 3

pytestmark = pytest.mark.slow


def run_load(*args: Any, **kwargs: Any) -> Any:
    """bench.load.run_load in a thread of its own: the browser tests' Playwright keeps an event loop in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_run_load, *args, **kwargs).result()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """HipLens behind HAProxy with two replicas, as `python deploy/cluster.py --replicas 2` serves it."""
    with Cluster(replicas=2, log_dir=tmp_path_factory.mktemp("cluster-logs")) as running:
        yield running


def test_thirty_sessions_through_the_proxy_all_complete(cluster: Cluster) -> None:
    assets = Assets(index=fetch_index_assets(cluster.url))
    assert any(path.endswith(".js") for path in assets.index) and any(path.endswith(".css") for path in assets.index)
    scenario = Scenario(changes=CHANGES, think=1.0)
    summary, results = run_load(cluster.url, sessions=SESSIONS, ramp=10.0, scenario=scenario, assets=assets, session_timeout=240.0)
    logs = {name: Path(path) for name, path in cluster.logs.items()}

    failures = [r.error for r in results if r.error]
    assert summary["errors"] == 0, (summary["error_kinds"], logs)
    assert summary["disconnects"] == 0, (summary["disconnect_kinds"], logs)
    assert summary["completed_sessions"] == SESSIONS and not failures, failures
    assert len(results) == SESSIONS and all(r.ok for r in results)
    # Every session: its first run and each selectbox change finished, and the URL followed each change.
    assert summary["runs"] == SESSIONS * (1 + CHANGES)
    for r in results:
        assert len(r.runs) == 1 + CHANGES
        assert len(r.queries) == 1 + CHANGES and len(set(r.queries)) == 1 + CHANGES, r.queries
        assert r.queries[0] == "condition=ifi"


def test_sessions_spread_over_both_replicas_and_stay_on_theirs(cluster: Cluster) -> None:
    summary, results = run_load(cluster.url, sessions=12, ramp=3.0, scenario=Scenario(changes=1, think=0.5), session_timeout=240.0)
    assert summary["errors"] == 0 and summary["disconnects"] == 0, (summary["error_kinds"], summary["disconnect_kinds"])
    assert set(summary["sessions_per_replica"]) == {"r0", "r1"}, summary["sessions_per_replica"]
    # HAProxy's sticky cookie names the replica that served the page, so the websocket goes there too.
    assert all(r.replica in {"r0", "r1"} and r.sticky == r.replica for r in results), [(r.replica, r.sticky) for r in results]
