"""The intent stage: everyday commands (time, timers, notes, home control) done without a model."""
