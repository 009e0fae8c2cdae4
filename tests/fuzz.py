"""Shared pieces of the property-based fuzz tests: mutation strategies and the memory bound.

Every parser that reads bytes from outside must, for any input, return a valid value or raise its
own typed error: never another exception, never a hang, never memory out of proportion to the
input. Inputs are random bytes and *mutations of valid messages* (bytes flipped, cut, repeated,
spliced), which reach much deeper into a parser than random noise.
"""

from __future__ import annotations

import contextlib
import os
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

T = TypeVar("T")

__all__ = ["FUZZ", "bounded_memory", "fuzz", "mutated", "typed", "well_formed"]

_EXAMPLES = int(os.environ.get("NIMBUS_FUZZ_EXAMPLES", "0") or 0)
"""Set by `python -m benchmarks faults --fuzz N`: N randomized cases instead of the suite's."""


def fuzz(examples: int = 1000) -> settings:
    """The suite's settings: ``examples`` reproducible cases (a thousand per parser, several
    thousand per parser family); the faults benchmark asks for more, randomized."""
    return settings(max_examples=_EXAMPLES or examples, deadline=None,
                    derandomize=not _EXAMPLES, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


FUZZ = fuzz()


@st.composite
def _mutation(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("flip", "cut", "insert", "repeat", "splice", "digit")))
        at = draw(st.integers(0, max(0, len(data))))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 16)):]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "repeat" and data:
            data[at:at] = data[max(0, at - 8):at] * draw(st.integers(1, 64))
        elif op == "splice":
            data[at:] = draw(st.sampled_from((b"", b"\n", b"}", b'"', b"\x00", b"\xff",
                                              b'{"type": "audio-chunk"}', b"9" * 20)))
        elif op == "digit":  # make a number huge, negative or fractional
            data[at:at] = draw(st.sampled_from((b"-", b"99999999999", b".5", b"e308", b"0")))
    return bytes(data)


def mutated(seeds: Sequence[bytes]) -> st.SearchStrategy[bytes]:
    """Valid seeds, mutations of them, and plain random bytes."""
    return st.one_of(
        st.sampled_from(list(seeds)),
        st.sampled_from(list(seeds)).flatmap(_mutation),
        st.binary(max_size=512),
    )


@contextlib.contextmanager
def bounded_memory(limit_bytes: int) -> Iterator[None]:
    """Fail if the block's peak Python allocation exceeds ``limit_bytes``."""
    tracemalloc.start()
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= limit_bytes, f"peak allocation {peak} bytes is over {limit_bytes}"


def typed(parse: Callable[[], T], error: type[Exception] | tuple[type[Exception], ...]
          ) -> T | Exception:
    """The parser's value, or its typed error (returned, checked by the caller); any other
    exception propagates and fails the property."""
    try:
        return parse()
    except error as exc:
        return exc


def well_formed(exc: Any) -> bool:
    """A typed error says which (a stable ``code``) and why (a ``message``)."""
    return bool(getattr(exc, "code", "")) and bool(getattr(exc, "message", ""))
