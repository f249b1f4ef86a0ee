#!/usr/bin/env bash
# Setup latency (authenticated INVITE to 200 at the caller, p50/p99) and memory with many
# calls up at once: sipp UAC -> Callplane -> sipp UAS at RATE calls/s, each held 10 s
# (RATE 500 -> about 5,000 concurrent calls), CALLS calls in all.
#   bench/calls/latency.sh [RATE] [CALLS]
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-500}
CALLS=${2:-7500}
cargo build --release --quiet
OUT=$(mktemp -d -t cplat.XXXXXX)
. bench/lib.sh
start_callplane
UAS=""
trap 'kill $CP $UAS 2>/dev/null || true' EXIT
whitelist_loopback
api POST extensions '{"number":"1001","password":"bench-caller-pw"}'
api POST extensions '{"number":"2001","ip_auth":["127.0.0.1"],"max_contacts":1}'
UAS_PORT=$(python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
(cd "$OUT" && sipp "$SIP" -sf "$OLDPWD/tests/scenarios/register_without_auth.xml" -s 2001 -m 1 -i 127.0.0.1 -p "$UAS_PORT" -nostdin >/dev/null)
(cd "$OUT" && exec sipp "$SIP" -sf "$OLDPWD/tests/scenarios/uas_answer.xml" -m "$CALLS" -i 127.0.0.1 -p "$UAS_PORT" -nostdin >/dev/null 2>&1) &
UAS=$!
peak=0
(cd "$OUT" && timeout 300 sipp "$SIP" -sf "$OLDPWD/bench/calls/uac_rtd.xml" -s 2001 -key caller 1001 -au 1001 -ap bench-caller-pw \
   -m "$CALLS" -r "$RATE" -l $((RATE * 12)) -i 127.0.0.1 -nostdin -trace_rtt -rtt_freq 1 -trace_stat -fd 1 >/dev/null 2>&1) &
UAC=$!
while kill -0 $UAC 2>/dev/null; do
  rss=$(awk '/VmRSS/{print $2}' /proc/$CP/status)
  if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
  calls=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://$HTTP/api/v1/status" | python3 -c 'import json,sys;print(json.load(sys.stdin)["sip"]["calls"])')
  echo "live calls=$calls rss_kb=$rss" >> "$OUT/samples.txt"
  sleep 1
done
wait $UAC || echo "sipp UAC reported failed calls (see $OUT)"
python3 - "$OUT" "$peak" <<'PY'
import glob, sys
out, peak = sys.argv[1], int(sys.argv[2])
times = []
for f in glob.glob(out + "/*_rtt.csv"):
    for line in open(f):
        parts = line.strip().split(";")
        # Date_ms;response_time_ms;rtd_no
        if len(parts) >= 2 and not parts[0].startswith("Date"):
            try:
                times.append(float(parts[1]))
            except ValueError:
                pass
times.sort()
pct = lambda p: times[min(len(times) - 1, int(p / 100 * (len(times) - 1)))] if times else float("nan")
most = max((int(l.split()[1].split("=")[1]) for l in open(out + "/samples.txt")), default=0)
print(f"calls measured={len(times)} setup p50={pct(50):.1f} ms p99={pct(99):.1f} ms max={times[-1] if times else 0:.1f} ms")
print(f"most live calls seen={most} peak RSS={peak/1024:.0f} MB")
PY
echo "details in $OUT"
