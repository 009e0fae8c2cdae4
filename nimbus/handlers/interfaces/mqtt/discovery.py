"""Home Assistant MQTT discovery: one device per site (state, transcript, answer, stop, ask, say).

No YAML on the Home Assistant side: the bridge publishes these retained configs on connect. The
device is named as people read it (``daemon.name``: "Nimbus" for the daemon's own site,
"Nimbus Kitchen" for the site ``kitchen``) and placed in its site's area.
"""

from __future__ import annotations

import json

from nimbus import __version__
from nimbus.handlers.interfaces.mqtt.topics import Message, availability_topic

__all__ = ["device_name", "discovery_messages", "removal_messages"]


def _object_ids() -> tuple[tuple[str, str], ...]:
    return (("sensor", "state"), ("sensor", "transcript"), ("sensor", "answer"),
            ("button", "stop"), ("text", "ask"), ("text", "say"))


def _node(site: str) -> str:
    return f"nimbus_{site.replace('.', '_').replace('-', '_')}"


def device_name(name: str, site: str, main_site: str = "") -> str:
    """``Nimbus`` for the daemon's own site, else ``Nimbus Living Room`` for ``living-room``."""
    if site == main_site:
        return name
    words = [w[:1].upper() + w[1:] for w in site.replace("-", " ").replace("_", " ").split()]
    return " ".join([name, *words])


def discovery_messages(prefix: str, discovery_prefix: str, site: str, area: str = "", *,
                       name: str = "Nimbus", main_site: str = "") -> list[Message]:
    """Retained ``<discovery_prefix>/<component>/<node>/<object>/config`` messages for a site.

    ``area`` (a satellite's room) becomes the device's ``suggested_area`` in Home Assistant;
    ``name`` is the assistant's (``daemon.name``) and ``main_site`` the daemon's own site.
    """
    node = _node(site)
    base = f"{prefix}/{site}"
    device = {
        "identifiers": [node],
        "name": device_name(name, site, main_site),
        "manufacturer": "Nimbus",
        "model": "Local voice assistant",
        "sw_version": __version__,
    }
    if area:
        device["suggested_area"] = area
    common = {
        "availability_topic": availability_topic(prefix),
        "payload_available": "online",
        "payload_not_available": "offline",
        "device": device,
        "origin": {"name": "nimbus", "sw_version": __version__},
    }
    configs: dict[tuple[str, str], dict[str, object]] = {
        ("sensor", "state"): {
            "name": "State",
            "state_topic": f"{base}/state",
            "icon": "mdi:account-voice",
            "device_class": "enum",
            "options": ["idle", "listening", "thinking", "speaking"],
        },
        ("sensor", "transcript"): {
            "name": "Last transcript",
            "state_topic": f"{base}/transcript",
            "value_template": "{{ value_json.text[:255] }}",
            "json_attributes_topic": f"{base}/transcript",
            "icon": "mdi:text-recognition",
        },
        ("sensor", "answer"): {
            "name": "Last answer",
            "state_topic": f"{base}/answer",
            "value_template": "{{ value_json.text[:255] }}",
            "json_attributes_topic": f"{base}/answer",
            "icon": "mdi:message-reply-text",
        },
        ("button", "stop"): {
            "name": "Stop",
            "command_topic": f"{base}/cmd/stop",
            "payload_press": '{"reason":"home assistant"}',
            "icon": "mdi:stop-circle",
        },
        ("text", "ask"): {
            "name": "Ask",
            "command_topic": f"{base}/cmd/ask",
            "mode": "text",
            "min": 1,
            "max": 255,
            "icon": "mdi:chat-question",
        },
        ("text", "say"): {
            "name": "Say",
            "command_topic": f"{base}/cmd/say",
            "mode": "text",
            "min": 1,
            "max": 255,
            "icon": "mdi:bullhorn",
        },
    }
    out: list[Message] = []
    for (component, object_id), config in configs.items():
        payload = {**config, **common, "unique_id": f"{node}_{object_id}",
                   "object_id": f"{node}_{object_id}"}
        out.append(Message(f"{discovery_prefix}/{component}/{node}/{object_id}/config",
                           json.dumps(payload, separators=(",", ":")), 1, True))
    return out


def removal_messages(discovery_prefix: str, site: str) -> list[Message]:
    """Empty retained configs: Home Assistant removes the entities."""
    node = _node(site)
    return [Message(f"{discovery_prefix}/{component}/{node}/{object_id}/config", "", 1, True)
            for component, object_id in _object_ids()]
