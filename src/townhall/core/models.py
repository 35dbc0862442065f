"""Shared model helpers (the core app has no tables of its own)."""
