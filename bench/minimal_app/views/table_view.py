"""Minimal page: one dataframe."""

import pandas as pd
import streamlit as st

st.title("Table")
st.dataframe(pd.DataFrame({"item": [f"row {i}" for i in range(20)], "value": range(20)}), hide_index=True, key="minimal_table")
