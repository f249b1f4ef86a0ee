#!/usr/bin/env bash
# Soak: Callplane under a steady third of its measured capacity for DURATION seconds
# (default 3600): 2,000 phones re-registering with digest at REG_RATE/s (default 3,000)
# while calls with a 407 challenge come and go at CALL_RATE/s (default 300, held 10 s, so
# about 3,000 up), through one release build on loopback. Samples RSS, live calls and
# registrations every 10 s, then checks: RSS flat (the last tenth of the run within 10 % of
# the second tenth), no call left in /api/v1/calls once the load stops, no ERROR in the log,
# and at most 1 in 1,000 calls and REGISTERs failed (sipp's own counts). The load generators
# get the same 1 MiB socket buffers as the workplace harness gives sipp.
#
#   bench/soak/run.sh [DURATION] [REG_RATE] [CALL_RATE]
#
# Not part of the test command (it runs for an hour); results go to bench/soak/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-3600}
REG_RATE=${2:-3000}
CALL_RATE=${3:-300}
. bench/lib.sh
bench_setup cpsoak
# The answering phone registers once, for longer than the run (Callplane's max_expires is
# raised to allow it): sipp cannot refresh a registration while it answers calls.
UAS_EXPIRES=$((DURATION + 600))
printf '[sip]\nmax_expires = %d\n' "$UAS_EXPIRES" > "$OUT/soak.toml"
sed "s/Expires: 120/Expires: $UAS_EXPIRES/" tests/scenarios/register_without_auth.xml > "$OUT/register_uas.xml"
CALLPLANE_CONFIG="$OUT/soak.toml" start_callplane
REG="" UAS="" UAC=""
trap 'kill $CP $REG $UAS $UAC 2>/dev/null || true' EXIT
whitelist_loopback
python3 "$HARNESS/bench.py" gen-users --count 2000 --start 100000 --out "$OUT/users.csv" >/dev/null
python3 bench/register/provision.py "${HTTP%:*}" "${HTTP##*:}" "$TOKEN" "$OUT/users.csv"
api POST extensions '{"number":"1001","password":"bench-caller-pw"}'
api POST extensions '{"number":"2001","ip_auth":["127.0.0.1"],"max_contacts":1}'
UAS_PORT=$(free_port)
(cd "$OUT" && sipp "$SIP" -sf "$OUT/register_uas.xml" -s 2001 -m 1 -i 127.0.0.1 -p "$UAS_PORT" -nostdin >/dev/null)
CALLS=$((CALL_RATE * DURATION))
REGS=$((REG_RATE * DURATION))
# Each sipp ends on its own after its count; `timeout` bounds it in time as well.
(cd "$OUT" && exec timeout $((DURATION + 120)) sipp "$SIP" -sf "$OLDPWD/tests/scenarios/uas_answer.xml" -m "$CALLS" -i 127.0.0.1 -p "$UAS_PORT" -buff_size 1048576 -nostdin >uas.out 2>&1) &
UAS=$!
(cd "$OUT" && exec timeout $((DURATION + 120)) sipp "$SIP" -sf "$HARNESS/scenarios/reg_auth.xml" -inf "$OUT/users.csv" -key domain 127.0.0.1 -key expires 3600 \
   -m "$REGS" -r "$REG_RATE" -i 127.0.0.1 -buff_size 1048576 -nostdin -trace_stat -fd 60 >reg.out 2>&1) &
REG=$!
(cd "$OUT" && exec timeout $((DURATION + 120)) sipp "$SIP" -sf "$OLDPWD/bench/calls/uac_rtd.xml" -s 2001 -key caller 1001 -au 1001 -ap bench-caller-pw \
   -m "$CALLS" -r "$CALL_RATE" -l $((CALL_RATE * 12)) -i 127.0.0.1 -buff_size 1048576 -nostdin -trace_stat -fd 60 >uac.out 2>&1) &
UAC=$!
echo "t_s,rss_kb,calls,registrations" > "$OUT/samples.csv"
start=$(date +%s)
while kill -0 $UAC 2>/dev/null || kill -0 $REG 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  rss=$(awk '/VmRSS/{print $2}' /proc/$CP/status)
  read -r calls regs < <(curl -sf -H "Authorization: Bearer $TOKEN" "http://$HTTP/api/v1/status" \
    | python3 -c 'import json,sys;s=json.load(sys.stdin)["sip"];print(s["calls"], s["registrations"])' || echo "? ?")
  echo "$now,$rss,$calls,$regs" >> "$OUT/samples.csv"
  sleep 10
done
wait $UAC || echo "sipp UAC reported failed calls (see $OUT/uac.out)"
wait $REG || echo "sipp REGISTER reported failures (see $OUT/reg.out)"
# The answering sipp waits for as many calls as were placed; failed ones never reach it.
kill $UAS 2>/dev/null || true; wait $UAS 2>/dev/null || true
sleep 2
left=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://$HTTP/api/v1/calls" | python3 -c 'import json,sys;print(json.load(sys.stdin)["total"])')
errors=$(grep -c ' ERROR ' "$OUT/callplane.log" || true)
python3 - "$OUT/samples.csv" "$left" "$errors" "$OUT"/uac_rtd_*_.csv "$OUT"/reg_auth_*_.csv <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["rss_kb"].isdigit()]
left, errors = int(sys.argv[2]), int(sys.argv[3])
def outcome(path):
    # sipp's -trace_stat file: the last line holds the cumulative counts.
    lines = [l.strip().split(";") for l in open(path) if l.strip()]
    head, last = lines[0], lines[-1]
    return int(last[head.index("SuccessfulCall(C)")]), int(last[head.index("FailedCall(C)")])
(calls_ok, calls_failed), (regs_ok, regs_failed) = outcome(sys.argv[4]), outcome(sys.argv[5])
print(f"calls: {calls_ok:,} answered, {calls_failed:,} failed; REGISTER: {regs_ok:,} done, {regs_failed:,} failed")
few_failed = calls_failed <= calls_ok / 1000 and regs_failed <= regs_ok / 1000
n = len(rows)
tenth = max(1, n // 10)
early = [int(r["rss_kb"]) for r in rows[tenth:2 * tenth]] or [0]
late = [int(r["rss_kb"]) for r in rows[-tenth:]] or [0]
e, l = sum(early) / len(early), sum(late) / len(late)
peak = max(int(r["rss_kb"]) for r in rows) if rows else 0
flat = e > 0 and l <= e * 1.10
print(f"samples {n}; RSS second tenth {e/1024:.0f} MB, last tenth {l/1024:.0f} MB, peak {peak/1024:.0f} MB: {'flat' if flat else 'GROWING'}")
print(f"calls left in /api/v1/calls: {left}; ERROR lines in the log: {errors}")
sys.exit(0 if flat and left == 0 and errors == 0 and few_failed and calls_ok > 0 else 1)
PY
echo "results in $OUT"
