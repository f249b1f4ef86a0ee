#!/usr/bin/env bash
# Trunk registration load: N trunks (default 500) register to one sipp registrar that grants
# 60 s; over DURATION seconds (default 150) report Callplane's CPU and how far each refresh
# strays from the 48 s schedule (80 % of 60 s).
#   bench/trunks/run.sh [N] [DURATION]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-500}
DURATION=${2:-150}
cargo build --release --quiet
OUT=$(mktemp -d -t cptrunks.XXXXXX)
PORT=$(python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
(cd "$OUT" && exec sipp -sf "$OLDPWD/bench/trunks/registrar.xml" -i 127.0.0.1 -p "$PORT" -nostdin -trace_msg -message_file "$OUT/registrar.log" >/dev/null 2>&1) &
SIPP=$!
./target/release/callplane serve --data-dir "$OUT/data" --http-listen 127.0.0.1:0 --sip-listen 127.0.0.1:0 --log-level warn,callplane=info 2>"$OUT/callplane.log" &
CP=$!
trap 'kill $CP $SIPP 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "HTTP API listening" "$OUT/callplane.log" && break; sleep 0.1; done
HTTP=$(grep -o 'http_addr=[0-9.:]*' "$OUT/callplane.log" | head -1 | cut -d= -f2)
TOKEN=$(cat "$OUT/data/admin.token")
python3 - "$HTTP" "$TOKEN" "$N" "$PORT" <<'PY'
import http.client, json, sys
host, port = sys.argv[1].rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port))
for i in range(int(sys.argv[3])):
    body = json.dumps({"name": f"t{i}", "host": "127.0.0.1", "port": int(sys.argv[4]), "register": True,
                       "username": f"u{i}", "password": "pw", "expires_s": 60,
                       "quirks": {"register_same_call_id": False}})
    conn.request("POST", "/api/v1/trunks", body=body, headers={"Authorization": "Bearer " + sys.argv[2], "Content-Type": "application/json"})
    r = conn.getresponse(); r.read()
    assert r.status == 201, r.status
PY
ticks() { awk '{print $14+$15}' /proc/$CP/stat; }
t0=$(ticks); start=$(date +%s.%N)
sleep "$DURATION"
t1=$(ticks); end=$(date +%s.%N)
python3 - "$OUT/registrar.log" "$t0" "$t1" "$start" "$end" "$(getconf CLK_TCK)" "$N" <<'PY'
import re, sys, collections, datetime
log, t0, t1, start, end, hz, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
cpu = (t1 - t0) / hz / (end - start) * 100
seen = collections.defaultdict(list)
stamp, received = None, False
for line in open(log, errors="replace"):
    m = re.match(r"-+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)", line)
    if m:
        stamp = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        received = False
        continue
    if "message received" in line:
        received = True
    m = re.match(r"From: <sip:(u\d+)@", line.strip())
    if m and stamp is not None and received:
        seen[m.group(1)].append(stamp)
        stamp = None
jitter = sorted(abs((b - a) - 48.0) for times in seen.values() for a, b in zip(times, times[1:]))
pct = lambda p: jitter[min(len(jitter) - 1, int(p / 100 * (len(jitter) - 1)))] if jitter else float("nan")
print(f"trunks={n} registered={len(seen)} refreshes={len(jitter)} callplane CPU={cpu:.2f}% of one core")
print(f"refresh jitter vs 48 s: p50={pct(50)*1000:.1f} ms p99={pct(99)*1000:.1f} ms max={(jitter[-1] if jitter else 0)*1000:.1f} ms")
PY
echo "details in $OUT"
