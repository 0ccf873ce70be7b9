"""LocalChannelLayer: the embedded default's channel layer (see layers.py for why it exists)."""

import asyncio
import collections

import pytest
from asgiref.sync import async_to_sync
from channels.exceptions import ChannelFull

from aapoon.realtime import layers
from aapoon.realtime.layers import LocalChannelLayer
from aapoon.realtime.meeting_consumer import MeetingConsumer


async def test_group_send_reaches_every_member_once_in_order():
    layer = LocalChannelLayer()
    channels = [await layer.new_channel() for _ in range(300)]
    for channel in channels:
        await layer.group_add("meeting.m", channel)
    for n in range(3):
        await layer.group_send("meeting.m", {"type": "meeting.event", "n": n})
    for channel in channels:
        assert [(await layer.receive(channel))["n"] for _ in range(3)] == [0, 1, 2]
    await layer.group_discard("meeting.m", channels[0])
    await layer.group_send("meeting.m", {"type": "meeting.event", "n": 3})
    assert channels[0] not in layer.queues
    assert (await layer.receive(channels[1]))["n"] == 3


async def test_a_slow_reader_falls_behind_without_losing_anything():
    layer = LocalChannelLayer()
    channel = await layer.new_channel()
    await layer.group_add("g", channel)
    for n in range(5000):  # Channels' in-memory layer drops everything past 100
        await layer.group_send("g", {"type": "x", "n": n})
    assert [(await layer.receive(channel))["n"] for _ in range(5000)] == list(range(5000))


async def test_a_full_queue_refuses_direct_sends():
    layer = LocalChannelLayer(capacity=2)
    await layer.send("c", {"type": "x"})
    await layer.send("c", {"type": "x"})
    with pytest.raises(ChannelFull):
        await layer.send("c", {"type": "x"})


async def test_a_sink_takes_messages_inline_but_never_ahead_of_queued_ones():
    layer = LocalChannelLayer()
    channel = await layer.new_channel()
    inline: list[int] = []

    async def sink(message):
        if message.get("stateful"):
            return False
        inline.append(message["n"])
        return True

    layer.attach(channel, sink)
    await layer.send(channel, {"type": "meeting.event", "n": 1})
    assert inline == [1] and channel not in layer.queues
    await layer.send(channel, {"type": "meeting.event", "n": 2, "stateful": True})
    await layer.send(channel, {"type": "meeting.event", "n": 3})  # behind the queued one
    assert inline == [1]
    assert (await layer.receive(channel))["n"] == 2
    await layer.send(channel, {"type": "meeting.event", "n": 4})  # 2 is still being handled
    assert inline == [1]
    assert (await layer.receive(channel))["n"] == 3
    assert (await layer.receive(channel))["n"] == 4
    layer.settled(channel)
    await layer.send(channel, {"type": "meeting.event", "n": 5})
    assert inline == [1, 5]


async def test_a_broken_sink_is_detached():
    layer = LocalChannelLayer()

    async def broken(message):
        raise ConnectionResetError

    layer.attach("c", broken)
    await layer.send("c", {"type": "meeting.event"})
    assert "c" not in layer.sinks


async def test_messages_nobody_reads_are_dropped_after_a_while(monkeypatch):
    layer = LocalChannelLayer()
    await layer.group_add("g", "gone")
    await layer.send("gone", {"type": "x"})
    now = asyncio.get_running_loop().time()
    monkeypatch.setattr(layers.time, "monotonic", lambda: now + layers.ABANDONED_AFTER_SECONDS + 60)
    await layer.send("other", {"type": "x"})
    assert "gone" not in layer.queues and "gone" not in layer.groups["g"]


async def test_a_socket_that_stops_reading_holds_up_no_one():
    """A client whose buffer is full makes uvicorn's send wait; the sender must not wait with it."""
    consumer = MeetingConsumer()
    consumer.outbox = collections.deque()
    written: list[str] = []
    can_write = asyncio.Event()

    async def base_send(message):
        await can_write.wait()
        written.append(message["text"])

    consumer.base_send = base_send
    layer = LocalChannelLayer()
    layer.attach("slow", consumer._forward_inline)
    await layer.group_add("meeting.m", "slow")
    for n in range(3):
        await layer.group_send(
            "meeting.m", {"type": "meeting.event", "event": "chat.message", "text": str(n)}
        )
    assert written == []  # nothing sent yet, and group_send returned anyway
    can_write.set()
    await consumer.writer
    assert written == ["0", "1", "2"]


async def test_a_send_from_another_thread_is_delivered_on_the_consumers_loop():
    # The SFU monitor is a thread: it sends through async_to_sync, on a loop of its own.
    layer = LocalChannelLayer()
    home = asyncio.get_running_loop()
    channel = await layer.new_channel()
    await layer.group_add("meeting.m", channel)
    ran_on: list[asyncio.AbstractEventLoop] = []

    async def sink(message):
        ran_on.append(asyncio.get_running_loop())
        return True

    layer.attach(channel, sink)
    waiting = asyncio.create_task(layer.receive("direct"))  # a consumer's receive, on this loop
    await asyncio.sleep(0)

    def from_a_thread() -> None:
        async_to_sync(layer.group_send)("meeting.m", {"type": "x", "n": 1})
        async_to_sync(layer.send)("direct", {"type": "x", "n": 2})

    await asyncio.to_thread(from_a_thread)
    assert ran_on == [home]
    assert (await waiting)["n"] == 2
