"""nimbus.daemon package."""
