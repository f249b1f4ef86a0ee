#!/usr/bin/env python3
"""Event latency: SUBS WebSocket subscribers on /api/v1/events while sipp places calls at
RATE calls/s through Callplane; for every frame, latency = arrival time - the event's `time`
(stamped when Callplane published it; same host, same clock). Prints p50/p99/max.

    latency.py --http 127.0.0.1:8080 --token T --subs 100 --seconds 15
(the calls are started by run.sh)
"""
import argparse, asyncio, json, time
from datetime import datetime

import websockets


async def subscriber(url, latencies, stop):
    async with websockets.connect(url, max_queue=None) as ws:
        while not stop.is_set():
            try:
                frame = await asyncio.wait_for(ws.recv(), timeout=0.5)
            except asyncio.TimeoutError:
                continue
            now = time.time()
            event = json.loads(frame)
            sent = datetime.fromisoformat(event["time"].replace("Z", "+00:00")).timestamp()
            latencies.append((now - sent) * 1000.0)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--http", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--subs", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=15)
    args = ap.parse_args()
    url = f"ws://{args.http}/api/v1/events?types=call.*&access_token={args.token}"
    latencies, stop = [], asyncio.Event()
    tasks = [asyncio.create_task(subscriber(url, latencies, stop)) for _ in range(args.subs)]
    print("subscribed", flush=True)
    await asyncio.sleep(args.seconds)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p / 100 * (len(latencies) - 1)))] if latencies else float("nan")
    print(f"subscribers={args.subs} frames={len(latencies)} latency p50={pct(50):.2f} ms p99={pct(99):.2f} ms max={latencies[-1] if latencies else 0:.2f} ms")


asyncio.run(main())
