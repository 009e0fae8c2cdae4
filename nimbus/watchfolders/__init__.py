"""nimbus.watchfolders package."""
