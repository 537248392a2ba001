"""Serving HipLens to a lecture hall: several Streamlit replicas behind HAProxy (see deploy/README.md)."""
