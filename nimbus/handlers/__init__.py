"""nimbus.handlers package."""
