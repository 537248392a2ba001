"""Benchmark commands: page-ready times in a real browser and a websocket load test (see README)."""
