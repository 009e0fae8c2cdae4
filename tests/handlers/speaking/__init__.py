"""Tests of the speaking capability."""
