"""Start HipLens: `python serve.py [streamlit options]` is `streamlit run app.py` with one fix.

While a `pages/` folder exists, Streamlit 1.67 emulates its legacy multipage mode until app.py has
run once in the process, so a deep link that is a fresh server's first request shows a "Page not
found" dialog before app.py's st.navigation resolves it. app.py always calls st.navigation, so this
launcher tells Streamlit up front, imports pandas and plotly before the first session, and makes each
script run cheaper for the server (components/ui/serving.py); everything else is Streamlit's own
command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent / "app.py"


def main(argv: list[str], app: Path = APP) -> int:
    """Run `streamlit run APP ARGS` in this process with legacy pages/ emulation off and the runtime tuned."""
    from components.ui.serving import tune_streamlit

    PagesManager.uses_pages_directory = False
    tune_streamlit()
    # Import the heavy libraries once, before any session: two first sessions importing pandas at the
    # same moment can otherwise see a half-initialised module inside plotly.
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    sys.argv = ["streamlit", "run", str(app), *argv]
    try:
        cli.main(prog_name="streamlit")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
