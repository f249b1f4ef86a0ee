#!/usr/bin/env bash
# Setup latency (authenticated INVITE to 200 at the caller, p50/p99/max) and memory with
# many phones registered and many calls up at once: PHONES phones register with digest
# first (expires 3600, so they stay), then sipp UAC -> Callplane -> sipp UAS at RATE
# calls/s, each held 10 s (RATE 500 -> about 5,000 concurrent calls), CALLS calls in all.
#   bench/calls/latency.sh [RATE] [CALLS] [PHONES]
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-500}
CALLS=${2:-7500}
PHONES=${3:-10000}
. bench/lib.sh
bench_setup cplat
start_callplane
UAS=""
trap 'kill $CP $UAS 2>/dev/null || true' EXIT
whitelist_loopback
api POST extensions '{"number":"1001","password":"bench-caller-pw"}'
if [ "$PHONES" -gt 0 ]; then
  python3 "$HARNESS/bench.py" gen-users --count "$PHONES" --start 100000 --out "$OUT/users.csv" >/dev/null
  python3 bench/register/provision.py "${HTTP%:*}" "${HTTP##*:}" "$TOKEN" "$OUT/users.csv"
  (cd "$OUT" && timeout 120 sipp "$SIP" -sf "$HARNESS/scenarios/reg_auth.xml" -inf "$OUT/users.csv" -key domain 127.0.0.1 -key expires 3600 \
     -m "$PHONES" -r 2000 -i 127.0.0.1 -nostdin >reg.out 2>&1) || echo "sipp REGISTER reported failures (see $OUT/reg.out)"
fi
api POST extensions '{"number":"2001","ip_auth":["127.0.0.1"],"max_contacts":1}'
UAS_PORT=$(free_port)
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
  read -r calls regs < <(curl -sf -H "Authorization: Bearer $TOKEN" "http://$HTTP/api/v1/status" \
    | python3 -c 'import json,sys;s=json.load(sys.stdin)["sip"];print(s["calls"], s["registrations"])')
  echo "live calls=$calls rss_kb=$rss registrations=$regs" >> "$OUT/samples.txt"
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
samples = [dict(kv.split("=") for kv in l.split()[1:]) for l in open(out + "/samples.txt")]
most = max((int(s["calls"]) for s in samples), default=0)
regs = max((int(s["registrations"]) for s in samples), default=0)
print(f"calls measured={len(times)} setup p50={pct(50):.1f} ms p99={pct(99):.1f} ms max={times[-1] if times else 0:.1f} ms")
print(f"most live calls seen={most} registrations={regs} peak RSS={peak/1024:.0f} MB")
PY
echo "details in $OUT"
