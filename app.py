"""HipLens: the frame. Page config, navigation over every page, the shared sidebar, then the page."""

import streamlit as st

from components.ui.frame import render_frame

st.set_page_config(page_title="HipLens", page_icon="static/hiplens-icon.png", layout="wide")

pages = {
    "Learn": [
        st.Page("pages/home.py", title="Overview", icon=":material/home:", url_path="", default=True),
        st.Page("pages/condition_explorer.py", title="Condition explorer", icon=":material/search:", url_path="explorer"),
    ],
    "Compare": [
        st.Page("pages/comparison_table.py", title="Comparison", icon=":material/table_chart:", url_path="compare"),
        st.Page("pages/feature_charts.py", title="Charts", icon=":material/bar_chart:", url_path="charts"),
    ],
    "About": [
        st.Page("pages/reference_list.py", title="Sources and data", icon=":material/menu_book:", url_path="sources"),
    ],
}
pg = st.navigation(pages)
render_frame()
pg.run()
