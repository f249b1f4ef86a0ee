#!/usr/bin/env python3
"""Busy-lamp benchmark: WATCHERS x WATCHED dialog subscriptions (RFC 4235) on one Callplane,
while sipp places calls to the watched extensions; measures how long after each call event
(`call.created` -> early, `call.answered` -> confirmed) the NOTIFYs reach the subscribers,
and the server's CPU.

    blf.py --http 127.0.0.1:8080 --token T --sip 127.0.0.1:5060 --pid PID
           [--watchers 10] [--watched 200] [--rate 50] [--calls 1500]

Loopback only. Everything is bounded: each wait has a timeout, sipp has -m and -timeout,
and only the sipp this script starts is stopped (by PID). Python stdlib only.
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "..", "..", "tests", "scenarios")


def api(base, token, method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None


def header(msg, name):
    m = re.search(r"^" + name + r":\s*(.*?)\r$", msg, re.M | re.I)
    return m.group(1) if m else ""


def ok_for(msg):
    """A 200 OK for request `msg` (its Via, From, To, Call-ID, CSeq)."""
    lines = ["SIP/2.0 200 OK"]
    for name in ("Via", "From", "To", "Call-ID", "CSeq"):
        for v in re.findall(r"^" + name + r":\s*(.*?)\r$", msg, re.M | re.I):
            lines.append(f"{name}: {v}")
    return ("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n").encode()


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--http", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--sip", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--watchers", type=int, default=10)
    p.add_argument("--watched", type=int, default=200)
    p.add_argument("--rate", type=int, default=50)
    p.add_argument("--calls", type=int, default=1500)
    a = p.parse_args()
    base, token = "http://" + a.http, a.token
    host, port = a.sip.split(":")
    target = (host, int(port))

    # Provisioning: watched phones 2000.., watchers 3000.., the caller 1001, all trusted by
    # address; the load generators are exempt from the rate limit.
    api(base, token, "PATCH", "/api/v1/security/settings", {"whitelist": ["127.0.0.1"]})
    numbers = [str(2000 + i) for i in range(a.watched)]
    watchers = [str(3000 + i) for i in range(a.watchers)]
    for n in numbers + watchers + ["1001"]:
        status, _ = api(base, token, "POST", "/api/v1/extensions", {"number": n, "ip_auth": ["127.0.0.1"]})
        if status not in (201, 409):
            sys.exit(f"extension {n}: HTTP {status}")

    # The phones: one socket registers every watched number and answers its calls.
    phones = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    phones.bind(("127.0.0.1", 0))
    pport = phones.getsockname()[1]
    # Sent in rounds, each unanswered one again (UDP: retransmission is the client's job).
    registered = set()
    for attempt in range(5):
        for i, n in enumerate(numbers):
            if n in registered:
                continue
            phones.sendto((f"REGISTER sip:{host} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{pport};branch=z9hG4bKr{i}a{attempt};rport\r\n"
                           f"From: <sip:{n}@{host}>;tag=r{i}\r\nTo: <sip:{n}@{host}>\r\nCall-ID: reg-{n}\r\nCSeq: {attempt + 1} REGISTER\r\n"
                           f"Contact: <sip:{n}@127.0.0.1:{pport}>\r\nExpires: 3600\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode(), target)
        phones.settimeout(1)
        try:
            while len(registered) < len(numbers):
                data = phones.recv(65535).decode(errors="replace")
                if data.startswith("SIP/2.0 200") and "REGISTER" in header(data, "CSeq"):
                    registered.add(header(data, "Call-ID").removeprefix("reg-"))
        except socket.timeout:
            pass
        if len(registered) == len(numbers):
            break
    if len(registered) < len(numbers):
        sys.exit(f"only {len(registered)} of {len(numbers)} phones registered")
    sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"
    stop = threading.Event()

    def answer():
        phones.settimeout(0.5)
        while not stop.is_set():
            try:
                data, peer = phones.recvfrom(65535)
            except socket.timeout:
                continue
            msg = data.decode(errors="replace")
            if msg.startswith("INVITE"):
                ok = ok_for(msg).decode()
                to = header(msg, "To")
                tagged = ok.replace("To: " + to, "To: " + to + ";tag=ph" + str(abs(hash(header(msg, "Call-ID"))) % 10**8))
                phones.sendto(tagged.replace("SIP/2.0 200 OK", "SIP/2.0 180 Ringing").encode(), peer)
                body = tagged.replace("Content-Length: 0\r\n\r\n", f"Contact: <sip:p@127.0.0.1:{pport}>\r\nContent-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}")
                phones.sendto(body.encode(), peer)
            elif msg.startswith(("BYE", "CANCEL", "OPTIONS", "UPDATE", "INFO")):
                phones.sendto(ok_for(msg), peer)

    # The watchers: one socket holds every subscription and answers every NOTIFY, noting
    # when each arrives.
    lamps = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    lamps.bind(("127.0.0.1", 0))
    lport = lamps.getsockname()[1]
    notes = []  # (arrival, resource, {call_id: state})

    def listen():
        lamps.settimeout(0.5)
        while not stop.is_set():
            try:
                data, peer = lamps.recvfrom(65535)
            except socket.timeout:
                continue
            now = time.time()
            msg = data.decode(errors="replace")
            if msg.startswith("NOTIFY"):
                lamps.sendto(ok_for(msg), peer)
                m = re.search(r'entity="sip:([0-9]+)@', msg)
                dialogs = dict(re.findall(r'<dialog id="([^"]+)"[^>]*>\s*<state>([a-z]+)</state>', msg))
                if m:
                    notes.append((now, m.group(1), dialogs))
            elif msg.startswith("SIP/2.0 200") and "SUBSCRIBE" in header(msg, "CSeq"):
                notes.append((now, "subscribed", {header(msg, "Call-ID"): "active"}))

    threads = [threading.Thread(target=answer, daemon=True), threading.Thread(target=listen, daemon=True)]
    for t in threads:
        t.start()
    answered = set()
    for attempt in range(5):
        k = 0
        for w in watchers:
            for n in numbers:
                k += 1
                if f"blf-{w}-{n}" in answered:
                    continue
                lamps.sendto((f"SUBSCRIBE sip:{n}@{host} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{lport};branch=z9hG4bKs{k}a{attempt};rport\r\n"
                              f"From: <sip:{w}@{host}>;tag=s{k}\r\nTo: <sip:{n}@{host}>\r\nCall-ID: blf-{w}-{n}\r\nCSeq: {attempt + 1} SUBSCRIBE\r\n"
                              f"Contact: <sip:{w}@127.0.0.1:{lport}>\r\nEvent: dialog\r\nAccept: application/dialog-info+xml\r\n"
                              f"Expires: 3600\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode(), target)
                if k % 100 == 0:
                    time.sleep(0.02)  # pacing the setup burst, not synchronisation
        time.sleep(2)
        answered = {cid for (_, r, d) in notes if r == "subscribed" for cid in d}
        if len(answered) >= a.watchers * a.watched:
            break
    subscribed = len({cid for (_, r, d) in notes if r == "subscribed" for cid in d})
    status, listed = api(base, token, "GET", "/api/v1/subscriptions")
    print(f"subscriptions: {subscribed} answered 200, {listed['total'] if listed else '?'} listed", flush=True)

    # Calls: 1001 dials the watched numbers in turn at RATE/s, 1 s each.
    tmp = tempfile.mkdtemp(prefix="blf")
    with open(os.path.join(SCENARIOS, "load_uac.xml")) as f:
        scenario = f.read().replace("sip:[service]@", "sip:[field1]@")
    with open(os.path.join(tmp, "uac.xml"), "w") as f:
        f.write(scenario)
    with open(os.path.join(tmp, "calls.csv"), "w") as f:
        f.write("SEQUENTIAL\n" + "".join(f"1001;{numbers[i % len(numbers)]}\n" for i in range(a.calls)))
    notes.clear()
    cpu0, t0 = cpu_s(a.pid), time.time()
    sipp = subprocess.Popen(["sipp", a.sip, "-sf", os.path.join(tmp, "uac.xml"), "-inf", os.path.join(tmp, "calls.csv"),
                             "-s", "x", "-r", str(a.rate), "-m", str(a.calls), "-i", "127.0.0.1", "-nostdin", "-timeout", "120s",
                             "-recv_timeout", "20000", "-default_behaviors", "all,-abortunexp", "-trace_stat", "-stf", os.path.join(tmp, "stat.csv")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sipp.wait(timeout=a.calls / a.rate + 60)
    except subprocess.TimeoutExpired:
        sipp.kill()
        sipp.wait()
    elapsed, cpu = time.time() - t0, cpu_s(a.pid) - cpu0
    time.sleep(2)  # the last NOTIFYs of the last calls
    stop.set()
    with open(os.path.join(tmp, "stat.csv")) as f:
        rows = [r.split(";") for r in f.read().splitlines()]
    col = lambda name: rows[-1][rows[0].index(name)] if len(rows) > 1 and name in rows[0] else "?"

    # Pair each call event with the NOTIFYs that told it.
    events, since = [], 0
    while True:
        status, page = api(base, token, "GET", f"/api/v1/events/log?since_seq={since}&limit=1000&types=call.created,call.answered")
        if not page or not page["events"]:
            break
        events += page["events"]
        if page["next_since_seq"] == since:
            break
        since = page["next_since_seq"]
    first = {}
    for arrival, resource, dialogs in notes:
        for call_id, state in dialogs.items():
            first.setdefault((resource, call_id, state), []).append(arrival)
    latencies = []
    for e in events:
        when = datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp()
        resource = e["data"]["dialed"]
        state = "early" if e["type"] == "call.created" else "confirmed"
        for arrival in first.get((resource, e["data"]["call_id"], state), []):
            latencies.append((arrival - when) * 1000)
    latencies.sort()
    q = lambda f: latencies[min(len(latencies) - 1, int(len(latencies) * f))] if latencies else float("nan")
    print(f"calls: {col('SuccessfulCall(C)')} ok, {col('FailedCall(C)')} failed at {a.rate}/s over {elapsed:.1f} s", flush=True)
    print(f"NOTIFYs received: {len(notes)}; matched to call events: {len(latencies)}", flush=True)
    print(f"event to NOTIFY: p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms, max {latencies[-1] if latencies else float('nan'):.1f} ms", flush=True)
    print(f"Callplane CPU: {100 * cpu / elapsed:.0f} % of one core ({cpu:.1f} s over {elapsed:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
