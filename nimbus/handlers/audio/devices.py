"""PortAudio devices for the microphone and the speaker: list, describe, pick by name or index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from nimbus.daemon.native_stderr import quiet_native_stderr

__all__ = [
    "AudioDeviceError",
    "DeviceInfo",
    "Direction",
    "describe_devices",
    "list_devices",
    "pick",
    "quiet_native_stderr",
]

Direction = Literal["input", "output"]


class AudioDeviceError(Exception):
    """No usable device. ``code`` is stable; ``message`` names the devices that exist."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceInfo:
    index: int
    name: str
    channels: int
    default_rate: int


def list_devices(pa: Any, direction: Direction, *, fallback_rate: int) -> list[DeviceInfo]:
    """Every device with channels in ``direction`` (``pa`` is a ``pyaudio.PyAudio``)."""
    key = "maxInputChannels" if direction == "input" else "maxOutputChannels"
    devices = []
    for index in range(pa.get_device_count()):
        info = pa.get_device_info_by_index(index)
        if int(info.get(key, 0)) > 0:
            devices.append(DeviceInfo(
                index=index, name=str(info.get("name", "")), channels=int(info[key]),
                default_rate=int(info.get("defaultSampleRate", fallback_rate)),
            ))
    return devices


def describe_devices(devices: list[DeviceInfo], direction: Direction) -> str:
    if not devices:
        return (f"no {direction} devices exist (no sound card, or no audio server is "
                "reachable)")
    return f"available {direction} devices: " + ", ".join(
        f"{d.index}: {d.name!r}" for d in devices)


def pick(pa: Any, wanted: str, direction: Direction, *, fallback_rate: int) -> DeviceInfo:
    """The device ``audio.<direction>_device`` names: "" = the default, digits = an index,
    anything else = a case-insensitive part of its name. :class:`AudioDeviceError` if none."""
    devices = list_devices(pa, direction, fallback_rate=fallback_rate)
    if not wanted:
        default_info = (pa.get_default_input_device_info if direction == "input"
                        else pa.get_default_output_device_info)
        try:
            default = int(default_info()["index"])
        except (OSError, KeyError):
            default = -1
        for device in devices:
            if device.index == default:
                return device
        if devices:
            return devices[0]
        raise AudioDeviceError("audio_device_not_found", describe_devices(devices, direction))
    by_index = wanted.strip().isdigit()
    for device in devices:
        if (by_index and device.index == int(wanted)) or (
                not by_index and wanted.casefold() in device.name.casefold()):
            return device
    raise AudioDeviceError(
        "audio_device_not_found",
        f"audio.{direction}_device = {wanted!r} matches no {direction} device; "
        f"{describe_devices(devices, direction)}",
    )
