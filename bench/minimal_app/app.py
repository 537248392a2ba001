"""The minimal three-page Streamlit app that HipLens's benchmarks compare against (the same run, the same server options)."""

import streamlit as st

pg = st.navigation(
    [
        st.Page("views/plot_view.py", title="Chart", url_path="chart", default=True),
        st.Page("views/table_view.py", title="Table", url_path="table"),
        st.Page("views/text_view.py", title="Text", url_path="text"),
    ]
)
pg.run()
