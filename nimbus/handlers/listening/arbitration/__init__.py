"""Arbitration: one answer when several sites of one home hear the same command."""
