"""Connections to services outside the suite."""
