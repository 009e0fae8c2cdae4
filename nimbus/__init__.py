"""Nimbus: a local, offline-first voice assistant daemon."""

__version__ = "0.1.0"
