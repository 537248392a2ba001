"""Streamlit renderers shared by pages: the only place besides pages/ and app.py that imports streamlit."""
