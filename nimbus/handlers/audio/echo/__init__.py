"""Acoustic echo cancellation: the local speaker's exact PCM, cancelled from the microphone."""

from nimbus.handlers.audio.echo.canceller import EchoCanceller, EchoEngine, EchoStats
from nimbus.handlers.audio.echo.delay import DelayEstimator
from nimbus.handlers.audio.echo.far_end import Reference

__all__ = ["DelayEstimator", "EchoCanceller", "EchoEngine", "EchoStats", "Reference"]
