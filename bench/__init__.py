"""Townhall's benchmarks: `make bench` (`python -m bench`) prints one table.

Traffic goes to 127.0.0.1 only. See bench/__main__.py for what is measured and how.
"""
