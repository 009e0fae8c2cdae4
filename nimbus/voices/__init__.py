"""nimbus.voices package."""
