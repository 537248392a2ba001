"""HipLens library: pure modules at this level, Streamlit renderers in components.ui."""
