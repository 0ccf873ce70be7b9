"""The floor the meeting server is compared against: a bare `websockets` broadcast server.

Every text frame one client sends is re-broadcast, as is, to every connected client (the sender
included) with `websockets.broadcast`. No auth, no storage, no JSON. Run as its own process:
`python raw_broadcast.py PORT`; it prints "ready" once it listens.
"""

import asyncio
import sys

from websockets.asyncio.server import ServerConnection, broadcast, serve

CLIENTS: set[ServerConnection] = set()


async def handler(ws: ServerConnection) -> None:
    CLIENTS.add(ws)
    try:
        async for frame in ws:
            if isinstance(frame, str):
                broadcast(CLIENTS, frame)
    finally:
        CLIENTS.discard(ws)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, max_size=2**20, backlog=1024) as server:
        print("ready", flush=True)
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
