"""In-process publish/subscribe with bounded queues and a control lane that overtakes data.

Back-pressure policy, per subscription:

* control events (:data:`~nimbus.daemon.events.CONTROL_EVENTS`: stop, shutdown) go to a separate
  lane that the subscriber always reads first; they are never dropped - a publisher waits if
  that lane is full;
* audio events (live PCM) on a lossy subscription (the default) drop the *oldest* queued audio
  event when the queue is full and count the drop, so a stalled consumer can neither block the
  microphone nor grow memory;
* every other event waits for room (nothing but audio is ever dropped).

A subscription ends when its ``async with`` block exits or :meth:`Subscription.close` is called;
a publisher waiting on a subscription that closes is released at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterable
from types import TracebackType
from typing import Final, Self

from nimbus.daemon.events import CONTROL_EVENTS, AudioEvent, Event

__all__ = ["Bus", "Subscription", "SubscriptionClosed"]

log = logging.getLogger(__name__)

DEFAULT_MAXSIZE: Final = 256
CONTROL_MAXSIZE: Final = 64


class SubscriptionClosed(Exception):
    """Raised by :meth:`Subscription.get` once the subscription is closed and drained."""


class Subscription(AsyncIterator[Event]):
    """One subscriber's view of the bus: an async iterator over matching events."""

    def __init__(
        self,
        bus: Bus,
        types: tuple[type[Event], ...],
        *,
        sites: frozenset[str] | None,
        maxsize: int,
        lossy_audio: bool,
        name: str,
    ) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be >= 1")
        self.name = name
        self.types = types
        self.sites = sites
        self.maxsize = maxsize
        self.lossy_audio = lossy_audio
        self.dropped = 0
        """Audio events dropped because this subscriber fell behind."""
        self._bus = bus
        # Both lanes are bounded: data by `maxsize` (audio drops oldest, the rest waits),
        # control by CONTROL_MAXSIZE (publisher waits; control is never dropped).
        self._control: deque[Event] = deque()
        self._data: deque[Event] = deque()
        self._changed = asyncio.Condition()
        self._closed = False

    def wants(self, event: Event) -> bool:
        if self.sites is not None and event.site not in self.sites:
            return False
        return isinstance(event, self.types)

    @property
    def closed(self) -> bool:
        return self._closed

    def qsize(self) -> int:
        return len(self._control) + len(self._data)

    async def _put(self, event: Event) -> None:
        async with self._changed:
            if isinstance(event, CONTROL_EVENTS):
                await self._changed.wait_for(
                    lambda: self._closed or len(self._control) < CONTROL_MAXSIZE
                )
                if self._closed:
                    return
                self._control.append(event)
            elif self.lossy_audio and isinstance(event, AudioEvent):
                if len(self._data) >= self.maxsize and not self._drop_oldest_audio():
                    await self._changed.wait_for(
                        lambda: self._closed or len(self._data) < self.maxsize
                    )
                if self._closed:
                    return
                self._data.append(event)
            else:
                await self._changed.wait_for(lambda: self._closed or len(self._data) < self.maxsize)
                if self._closed:
                    return
                self._data.append(event)
            self._changed.notify_all()

    def _drop_oldest_audio(self) -> bool:
        for i, queued in enumerate(self._data):
            if isinstance(queued, AudioEvent):
                del self._data[i]
                self.dropped += 1
                if self.dropped == 1 or self.dropped % 100 == 0:
                    log.warning(
                        "subscriber %s is behind: dropped %d audio events", self.name, self.dropped
                    )
                return True
        return False

    async def get(self) -> Event:
        """Next event: control lane first, then data in publish order."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._closed or self._control or self._data)
            if self._control:
                event = self._control.popleft()
            elif self._data:
                event = self._data.popleft()
            else:
                raise SubscriptionClosed(self.name)
            self._changed.notify_all()
            return event

    def get_nowait(self) -> Event | None:
        """Next event if one is queued, else None (for polling between model steps)."""
        if self._control:
            return self._control.popleft()
        if self._data:
            return self._data.popleft()
        return None

    def discard_data(self, predicate: type[Event] | tuple[type[Event], ...] = Event) -> int:
        """Drop queued data-lane events of the given types (e.g. flush audio after a stop)."""
        kept = [e for e in self._data if not isinstance(e, predicate)]
        removed = len(self._data) - len(kept)
        self._data = deque(kept)
        return removed

    async def close(self) -> None:
        """Unsubscribe; waiting publishers are released, queued events are discarded."""
        if self._closed:
            return
        self._closed = True
        self._bus._remove(self)
        async with self._changed:
            self._control.clear()
            self._data.clear()
            self._changed.notify_all()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Event:
        try:
            return await self.get()
        except SubscriptionClosed:
            raise StopAsyncIteration from None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class Bus:
    """The event bus. One per daemon; passed to every handler's constructor."""

    def __init__(self) -> None:
        self._subscriptions: list[Subscription] = []
        self.published = 0

    def subscribe(
        self,
        *types: type[Event],
        sites: Iterable[str] | None = None,
        maxsize: int = DEFAULT_MAXSIZE,
        lossy_audio: bool = True,
        name: str = "",
    ) -> Subscription:
        """Subscribe to events of the given classes (Event for all), optionally for some sites.

        Use as ``async with bus.subscribe(Transcript) as sub: async for event in sub: ...``.
        """
        subscription = Subscription(
            self,
            types or (Event,),
            sites=frozenset(sites) if sites is not None else None,
            maxsize=maxsize,
            lossy_audio=lossy_audio,
            name=name or ",".join(t.__name__ for t in types or (Event,)),
        )
        self._subscriptions.append(subscription)
        return subscription

    @property
    def subscriptions(self) -> tuple[Subscription, ...]:
        return tuple(self._subscriptions)

    def _remove(self, subscription: Subscription) -> None:
        with contextlib.suppress(ValueError):
            self._subscriptions.remove(subscription)

    async def publish(self, event: Event) -> None:
        """Deliver to every matching subscriber (see the module docstring for back-pressure)."""
        self.published += 1
        for subscription in tuple(self._subscriptions):
            if not subscription.closed and subscription.wants(event):
                await subscription._put(event)
