#!/usr/bin/env python3
"""Configuration API benchmark: loads N extensions one request at a time (as a provisioning
script does) and reports create and list-page latency percentiles, then restarts the server
and reads how long the full snapshot build from the store took.

    bench/api/run.sh                      # SQLite and PostgreSQL, release build, N=10000
    bench/api/run.py --binary target/release/callplane --count 10000 [--database-url postgres://...]
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def start(binary, data_dir, database_url):
    cmd = [binary, "serve", "--http-listen", "127.0.0.1:0", "--sip-listen", "127.0.0.1:0", "--data-dir", data_dir, "--log-level", "warn,callplane=info"]
    if database_url:
        cmd += ["--database-url", database_url]
    env = dict(os.environ)
    env.pop("CALLPLANE_DATABASE_URL", None)
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    for line in proc.stderr:
        if "HTTP API listening" in line:
            addr = line.split("http_addr=")[1].split()[0]
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            host, port = addr.rsplit(":", 1)
            return proc, host, int(port)
    raise SystemExit("callplane exited before listening")


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))] * 1000.0


def request(conn, token, method, path, body=None):
    headers = {"Authorization": "Bearer " + token}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    resp = conn.getresponse()
    payload = resp.read()
    elapsed = time.perf_counter() - started
    return resp.status, payload, elapsed


def run(binary, count, database_url, label):
    data_dir = tempfile.mkdtemp(prefix="cpbench.")
    proc, host, port = start(binary, data_dir, database_url)
    token = open(os.path.join(data_dir, "admin.token")).read().strip()
    conn = http.client.HTTPConnection(host, port)
    conn.sock = None
    creates = []
    for i in range(count):
        status, payload, elapsed = request(conn, token, "POST", "/api/v1/extensions",
                                           {"number": str(100000 + i), "password": "bench-password-%d" % i})
        if status != 201:
            raise SystemExit("create %d failed: %d %s" % (i, status, payload[:200]))
        creates.append(elapsed)
    pages = []
    for _ in range(3):
        cursor = None
        while True:
            path = "/api/v1/extensions?limit=100" + ("&cursor=" + cursor if cursor else "")
            status, payload, elapsed = request(conn, token, "GET", path)
            pages.append(elapsed)
            cursor = json.loads(payload).get("next_cursor")
            if not cursor:
                break
    proc.terminate()
    proc.wait()
    proc, host, port = start(binary, data_dir, database_url)
    conn = http.client.HTTPConnection(host, port)
    _, payload, _ = request(conn, token, "GET", "/api/v1/status")
    status = json.loads(payload)
    proc.terminate()
    proc.wait()
    print("%-10s creates=%d  create p50=%.2f ms p99=%.2f ms  list(100/page) p50=%.2f ms p99=%.2f ms  "
          "snapshot build at %d extensions=%.1f ms" % (
              label, count, pct(creates, 50), pct(creates, 99), pct(pages, 50), pct(pages, 99),
              status["counts"]["extensions"], status["snapshot_build_ms"]))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/release/callplane")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    label = "postgres" if args.database_url else "sqlite"
    run(args.binary, args.count, args.database_url, label)


if __name__ == "__main__":
    main()
