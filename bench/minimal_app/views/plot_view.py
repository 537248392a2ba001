"""Minimal page: one plotly bar chart."""

import plotly.graph_objects as go
import streamlit as st

st.title("Chart")
fig = go.Figure(go.Bar(x=["a", "b", "c", "d", "e"], y=[3, 1, 4, 1, 5]))
st.plotly_chart(fig, key="minimal_chart")
