"""Loaded by every Python that CI's test run starts (via PYTHONPATH).

In the base interpreter (not a venv) it removes site-packages from sys.path, so that a test
which accidentally runs the base interpreter fails here exactly as it would on a fresh machine,
whatever the CI machine's base Python happens to have installed. In a venv it does nothing.
"""
import sys

if sys.prefix == sys.base_prefix:
    sys.path[:] = [entry for entry in sys.path if "site-packages" not in entry and "dist-packages" not in entry]
