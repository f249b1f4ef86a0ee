#!/usr/bin/env python3
"""Follow Callplane's call events and pop calls in a CRM.

Connects to the event WebSocket (`/api/v1/events`), prints one line per call event (a CRM
would open the caller's record on `RINGING`), and remembers the `seq` of the last event it
handled in a state file. After a disconnect, or on the next start, it resumes with
`since_seq`: no event is missed and none is handled twice.

    crm_listener.py --url http://pbx:8080 --token "$TOKEN" --state crm.seq [--extension 201]

Output, one line per event:  <seq> RINGING <call_id> <caller> -> <callee>
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from callplane_client.models import (
    CloudEventCallAnsweredEvent,
    CloudEventCallCreatedEvent,
    CloudEventCallEndedEvent,
    CloudEventCallForwardedEvent,
    CloudEventCallRingingEvent,
)
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import connect


def pop_line(event: dict[str, Any]) -> str | None:
    """The CRM line for one event, from the generated (typed) event models."""
    kind = event.get("type")
    if kind == "call.created":
        created = CloudEventCallCreatedEvent.from_dict(event)
        return f"{created.seq} CREATED {created.data.call_id} {created.data.caller} -> {created.data.dialed}"
    if kind == "call.ringing":
        ringing = CloudEventCallRingingEvent.from_dict(event)
        return f"{ringing.seq} RINGING {ringing.data.call_id} {ringing.data.caller} -> {ringing.data.callee}"
    if kind == "call.answered":
        answered = CloudEventCallAnsweredEvent.from_dict(event)
        return f"{answered.seq} ANSWERED {answered.data.call_id} {answered.data.caller} -> {answered.data.callee}"
    if kind == "call.forwarded":
        forwarded = CloudEventCallForwardedEvent.from_dict(event)
        return f"{forwarded.seq} FORWARDED {forwarded.data.call_id} {forwarded.data.to_dict()}"
    if kind == "call.ended":
        ended = CloudEventCallEndedEvent.from_dict(event)
        d = ended.data
        return f"{ended.seq} ENDED {d.call_id} {d.caller} -> {d.dialed} {d.code} {d.cause} {d.duration_s}s"
    return None


class Cursor:
    """The last handled `seq`, kept in a file so a restart resumes where it stopped."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.seq: int | None = None
        if path is not None and path.exists():
            text = path.read_text().strip()
            self.seq = int(text) if text else None

    def advance(self, seq: int) -> None:
        self.seq = seq
        if self.path is not None:
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(f"{seq}\n")
            temporary.replace(self.path)


def events_url(base: str, cursor: Cursor, types: str, extension: str | None) -> str:
    parts = urlsplit(base)
    scheme = "wss" if parts.scheme == "https" else "ws"
    query: dict[str, str] = {"types": types}
    if extension:
        query["extension"] = extension
    if cursor.seq is not None:
        query["since_seq"] = str(cursor.seq)
    return urlunsplit((scheme, parts.netloc, "/api/v1/events", urlencode(query), ""))


def follow(args: argparse.Namespace) -> int:
    cursor = Cursor(args.state)
    handled = 0
    backoff = 1.0
    while True:
        url = events_url(args.url, cursor, args.types, args.extension)
        try:
            # close_timeout: leaving with frames still queued, the client reads no further and
            # would otherwise wait its default 10 s for the end of the connection.
            headers = {"Authorization": f"Bearer {args.token}"}
            with connect(url, additional_headers=headers, open_timeout=10, close_timeout=1) as ws:
                backoff = 1.0
                for frame in ws:
                    event: dict[str, Any] = json.loads(frame)
                    seq = int(event["seq"])
                    if cursor.seq is not None and seq <= cursor.seq:
                        continue  # already handled (at-least-once delivery across reconnects)
                    line = pop_line(event)
                    if line is not None:
                        print(line, flush=True)
                    cursor.advance(seq)
                    handled += 1
                    if args.max_events and handled >= args.max_events:
                        return 0
                # Callplane closed the stream cleanly (stopping, or this client fell behind).
                reason = f"{ws.close_code} {ws.close_reason}".strip()
                print(f"stream closed by Callplane ({reason}); resuming after seq {cursor.seq}", file=sys.stderr)
        except InvalidStatus as refused:
            status = refused.response.status_code
            print(f"error: Callplane refused the event stream: HTTP {status}", file=sys.stderr)
            if status in (401, 403):
                return 1
        except (ConnectionClosed, InvalidHandshake, OSError, TimeoutError) as lost:
            print(f"disconnected ({lost}); resuming after seq {cursor.seq} in {backoff:.0f}s", file=sys.stderr)
        time.sleep(backoff)
        backoff = min(backoff * 2, 30.0)


def main() -> int:
    parser = argparse.ArgumentParser(description="Follow Callplane's call events and pop calls in a CRM.")
    parser.add_argument("--url", default=os.environ.get("CALLPLANE_URL", "http://127.0.0.1:8080"))
    parser.add_argument(
        "--token", default=os.environ.get("CALLPLANE_TOKEN"), help="JWT with scope events (or CALLPLANE_TOKEN)"
    )
    parser.add_argument("--state", type=Path, help="file keeping the last handled seq (resume point)")
    parser.add_argument("--types", default="call.*", help="event type filter (default: call.*)")
    parser.add_argument("--extension", help="only calls involving this extension")
    parser.add_argument("--max-events", type=int, default=0, help="stop after this many events (0: never)")
    args = parser.parse_args()
    if not args.token:
        parser.error("a token is needed: --token or CALLPLANE_TOKEN")
    try:
        return follow(args)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
