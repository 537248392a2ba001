"""The minimal three-page Streamlit app that HipLens's benchmarks compare against (the same run, the same server options).

The text page is the default (served at /, like HipLens's overview); the chart and table pages have url paths
that differ from their file names, like HipLens's pages.
"""

import streamlit as st

pg = st.navigation(
    [
        st.Page("views/text_view.py", title="Text", default=True),
        st.Page("views/plot_view.py", title="Chart", url_path="chart"),
        st.Page("views/table_view.py", title="Table", url_path="table"),
    ]
)
pg.run()
