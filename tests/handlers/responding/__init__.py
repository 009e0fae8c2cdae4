"""Tests of the responding capability."""
