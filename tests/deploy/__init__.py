"""Tests of the deployment: HAProxy config, Kubernetes manifests, a live cluster."""
