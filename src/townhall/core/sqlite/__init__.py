"""The SQLite database backend Townhall runs on by default (see base.py)."""
