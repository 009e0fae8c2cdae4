"""Which LLM size fits this machine: RAM for the weights, cores for a talking pace. Pure.

A GGUF's weights are read once per generated token, so on a CPU the decoding rate falls with
the file's size, and with fewer cores to read it; the weights (plus the KV cache and the rest
of the daemon: Whisper, Piper, MiniLM, about 1.2 GiB at peak) must also fit in RAM. The sizes
are Q4_K_M files, the usual trade-off for llama.cpp on a CPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["SIZES", "ModelFit", "model_fit"]

GIB: Final = 1 << 30
SIZES: Final = (
    ("135M", 0.1, "SmolLM2-135M-Instruct (shipped)"),
    ("0.5B", 0.4, "Qwen2.5-0.5B-Instruct"),
    ("1.5B", 1.0, "Qwen2.5-1.5B-Instruct"),
    ("3B", 2.0, "Llama-3.2-3B-Instruct"),
    ("7B", 4.7, "Qwen2.5-7B-Instruct"),
    ("14B", 9.0, "Qwen2.5-14B-Instruct"),
    ("32B", 20.0, "Qwen2.5-32B-Instruct"),
    ("70B", 43.0, "Llama-3.3-70B-Instruct"),
)
"""(parameters, Q4_K_M file size in GiB, an example instruct model of that size)."""
_DAEMON_GIB: Final = 1.5
"""The rest of the daemon plus a 2048-token KV cache, left beside the weights."""
_RAM_SHARE: Final = 0.7
"""Of the machine's RAM the daemon may take (the rest is the system's and the page cache's)."""
_GIB_PER_CORE: Final = 0.5
"""Weights a core decodes at a talking pace (~10 tokens/s), measured order of magnitude."""


@dataclass(frozen=True, slots=True)
class ModelFit:
    """The largest size that fits in RAM, the largest that speaks at a talking pace, and a
    verdict on the configured model's file (when it is local)."""

    fits: str
    """Largest size whose weights fit in RAM beside the daemon ("" = none)."""
    talks: str
    """Largest size that should decode at a talking pace on these cores."""
    example: str
    configured_gib: float | None
    ok: bool
    detail: str


def model_fit(ram_bytes: int, cores: int, model_bytes: int | None = None) -> ModelFit:
    """Advice for ``llm.model`` on a machine with ``ram_bytes`` of RAM and ``cores`` cores."""
    budget = ram_bytes / GIB * _RAM_SHARE - _DAEMON_GIB
    fitting = [size for size in SIZES if size[1] <= budget]
    talking = [size for size in fitting if size[1] <= max(cores, 1) * _GIB_PER_CORE]
    fits = fitting[-1][0] if fitting else ""
    best = talking[-1] if talking else SIZES[0]
    ram = f"{ram_bytes / GIB:.0f} GiB RAM, {cores} core{'s' if cores != 1 else ''}"
    detail = (f"{ram}: up to {fits or 'no'} Q4 fits in memory; for spoken answers at a talking "
              f"pace choose up to {best[0]} (e.g. {best[2]} Q4_K_M, ~{best[1]:g} GiB)")
    ok = bool(fitting)
    configured = None if model_bytes is None else model_bytes / GIB
    if configured is not None:
        if configured > budget:
            ok = False
            detail += f"; the configured model ({configured:.1f} GiB) does NOT fit"
        elif configured > best[1] * 1.25:
            detail += f"; the configured model ({configured:.1f} GiB) fits but will speak slowly"
        else:
            detail += f"; the configured model ({configured:.2f} GiB) fits"
    return ModelFit(fits=fits, talks=best[0], example=best[2], configured_gib=configured,
                    ok=ok, detail=detail)
