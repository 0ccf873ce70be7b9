"""The embedded default's channel layer: in-process, built for a meeting's fan-out.

Channels' InMemoryChannelLayer scans every channel and group on each receive and send, deep
copies a message once per member and starts a task per member, so a 500-person meeting spends
its time on bookkeeping (measured: bench/fanout.py). It also drops a socket from its groups
when a message waits more than a minute, silently. This layer does neither: a group send puts
the same (read-only) message on each member's queue, and queues are unbounded up to a large
capacity, so a slow reader falls behind but loses nothing. Only one process uses it; several
app nodes use Redis (RedisPubSubChannelLayer).

A consumer may also attach a sink to its channel: a coroutine that writes a message straight to
its socket and returns True, or returns False for messages it must handle in its own task.
Sends then skip the queue and the consumer's task switch, which is most of the cost of a
broadcast to hundreds of sockets; a message still goes through the queue while anything is
waiting there or being handled (until the consumer calls `settled`), so each channel's order
is kept.

Sockets live on the server's event loop; a background thread (the SFU monitor) sends through
`async_to_sync`, on a loop of its own, so such a send is handed over to the sockets' loop.
"""

import asyncio
import contextlib
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer

# Messages waiting this long on a channel nobody reads are dropped with it (its consumer is gone).
ABANDONED_AFTER_SECONDS = 120
SWEEP_EVERY_SECONDS = 30

Sink = Callable[[dict[str, Any]], Awaitable[bool]]


class LocalChannelLayer(BaseChannelLayer):
    extensions = ["groups", "flush"]

    def __init__(self, capacity: int = 10_000, **kwargs: Any) -> None:
        super().__init__(capacity=capacity, **kwargs)
        self.queues: dict[str, asyncio.Queue[dict[str, Any]]] = {}
        self.last_read: dict[str, float] = {}
        self.groups: dict[str, set[str]] = {}
        self.sinks: dict[str, Sink] = {}
        self.in_flight: set[str] = set()
        self.next_sweep = time.monotonic() + SWEEP_EVERY_SECONDS
        # The loop the consumers run on: queues and sinks may only be touched from it.
        self.home: asyncio.AbstractEventLoop | None = None

    def _at_home(self) -> None:
        self.home = asyncio.get_running_loop()

    def _other_home(self) -> asyncio.AbstractEventLoop | None:
        """The consumers' loop, when this call runs on another (running) loop; else None."""
        home, here = self.home, asyncio.get_running_loop()
        return home if home is not None and home is not here and home.is_running() else None

    def _queue(self, channel: str) -> asyncio.Queue[dict[str, Any]]:
        queue = self.queues.get(channel)
        if queue is None:
            queue = self.queues[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
            self.last_read[channel] = time.monotonic()
        return queue

    def attach(self, channel: str, sink: Sink) -> None:
        self.sinks[channel] = sink

    def detach(self, channel: str) -> None:
        self.sinks.pop(channel, None)
        self.in_flight.discard(channel)

    def settled(self, channel: str) -> None:
        """The consumer has finished handling the message it last received from its queue."""
        self.in_flight.discard(channel)

    async def _deliver(self, channel: str, message: dict[str, Any]) -> None:
        sink = self.sinks.get(channel)
        queue = self.queues.get(channel)
        if sink is not None and channel not in self.in_flight and (queue is None or queue.empty()):
            try:
                if await sink(message):
                    return
            except Exception:
                self.detach(channel)
                return
        self._put(channel, message)

    def _put(self, channel: str, message: dict[str, Any]) -> None:
        try:
            self._queue(channel).put_nowait(message)
        except asyncio.QueueFull as exc:
            raise ChannelFull(channel) from exc

    def _sweep(self) -> None:
        now = time.monotonic()
        if now < self.next_sweep:
            return
        self.next_sweep = now + SWEEP_EVERY_SECONDS
        for channel, read_at in list(self.last_read.items()):
            queue = self.queues.get(channel)
            if queue is not None and not queue.empty() and now - read_at > ABANDONED_AFTER_SECONDS:
                del self.queues[channel], self.last_read[channel]
                for members in self.groups.values():
                    members.discard(channel)

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        if home := self._other_home():
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self.send(channel, message), home))
            return
        self._sweep()
        await self._deliver(channel, message)

    async def receive(self, channel: str) -> dict[str, Any]:
        self.require_valid_channel_name(channel)
        self._at_home()
        queue = self._queue(channel)
        try:
            message = await queue.get()
        finally:
            # An empty queue is dropped; the next send or receive makes a new one under the same name.
            if queue.empty() and self.queues.get(channel) is queue:
                del self.queues[channel], self.last_read[channel]
            else:
                self.last_read[channel] = time.monotonic()
        if channel in self.sinks:
            self.in_flight.add(channel)
        return message

    async def new_channel(self, prefix: str = "specific.") -> str:
        return f"{prefix}.local!{secrets.token_hex(8)}"

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        self._at_home()
        self.groups.setdefault(group, set()).add(channel)

    async def group_discard(self, group: str, channel: str) -> None:
        members = self.groups.get(group)
        if members is not None:
            members.discard(channel)
            if not members:
                del self.groups[group]

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        if home := self._other_home():
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self.group_send(group, message), home))
            return
        self._sweep()
        for channel in list(self.groups.get(group, ())):
            # As in every layer, a reader this far behind has gone; the event log still has it.
            with contextlib.suppress(ChannelFull):
                await self._deliver(channel, message)

    async def flush(self) -> None:
        self.queues.clear()
        self.last_read.clear()
        self.groups.clear()
        self.sinks.clear()
        self.in_flight.clear()

    async def close(self) -> None:
        pass
