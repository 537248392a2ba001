"""Shared fixtures: the project root on sys.path, the loaded knowledge base, a copy of data/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from components.knowledge import load_knowledge  # noqa: E402
from components.knowledge.loader import KnowledgeBase  # noqa: E402


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The real knowledge base, loaded once."""
    return load_knowledge(ROOT / "data")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ in a temporary folder."""
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest)
    return dest
