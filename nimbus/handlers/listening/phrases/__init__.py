"""Action and stop phrases: the pure matcher and the bus-facing phrase handler."""
