"""Serve the frame probe the way HipLens is served (the project's serve.py: the same launcher and runtime).

bench/element_cost.py compares this probe with the minimal app in the same run; both go through serve.py, so the
comparison is of what the pages draw, not of two ways of starting Streamlit. `HIPLENS_STOCK_RUNTIME=1` leaves
Streamlit's runtime as it is, for both.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from serve import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], app=HERE / "app.py"))
