"""Traceability: the trail of a plan commitment back to the input that shaped it."""
