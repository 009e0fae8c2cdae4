"""Tests of the listening capability."""
