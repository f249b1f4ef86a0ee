#!/usr/bin/env bash
# Overload step: Callplane offered its capacity, then 1.5x its capacity, with a 407
# challenge on every INVITE (the workplace harness's caller scenario, plus a branch that
# ACKs a 503 the way a phone does, so a refused call ends instead of retransmitting).
# For each step it prints: offered calls/s, goodput (answered calls/s, from Callplane's
# `callplane_calls_total{disposition="answered"}`), calls refused with 503 + Retry-After
# (`callplane_sip_overload_shed_total`), sipp's failed calls, server CPU and peak RSS.
#
#   bench/calls/overload.sh CAPACITY [DURATION]     e.g. bench/calls/overload.sh 3000 20
set -euo pipefail
cd "$(dirname "$0")/../.."
CAPACITY=${1:?capacity in calls/s (the clean rate of bench/calls/run.sh)}
DURATION=${2:-20}
. bench/lib.sh
bench_setup cpover
start_callplane
UAS=""
trap 'kill $CP $UAS 2>/dev/null || true' EXIT
python3 "$HARNESS/bench.py" gen-users --count 2000 --start 100000 --out "$OUT/users.csv" >/dev/null
python3 bench/register/provision.py "${HTTP%:*}" "${HTTP##*:}" "$TOKEN" "$OUT/users.csv"
api POST extensions '{"number":"2001","ip_auth":["127.0.0.1"],"max_contacts":1}'
UAS_PORT=$(free_port)
(cd "$OUT" && sipp "$SIP" -sf "$OLDPWD/tests/scenarios/register_without_auth.xml" -s 2001 -m 1 -i 127.0.0.1 -p "$UAS_PORT" -nostdin >/dev/null)
# The harness's caller, with a 503 accepted (and ACKed) after either INVITE.
# The 503 must carry Retry-After (check_it fails the call otherwise).
python3 - "$HARNESS/scenarios/uac.xml" "$OUT/uac_503.xml" <<'PY'
import sys
src = open(sys.argv[1]).read()
refused = '''  <recv response="503" optional="true" next="refused">
    <action>
      <ereg regexp="([0-9]+)" search_in="hdr" header="CSeq:" assign_to="dummy2,refusedcseq"/>
      <ereg regexp="[0-9]+" search_in="hdr" header="Retry-After:" check_it="true" assign_to="retryafter"/>
    </action>
  </recv>
  <recv response="200" rrs="true" rtd="1"'''
src = src.replace('  <recv response="200" rrs="true" rtd="1"', refused)
ack = """  <label id="refused"/>
  <send>
    <![CDATA[

      ACK sip:[callee]@[domain] SIP/2.0
      [last_Via:]
      Max-Forwards: 70
      From: <sip:[field0]@[domain]>;tag=[pid]SIPpTag09[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: [$refusedcseq] ACK
      Content-Length: 0

    ]]>
  </send>
  <nop><action><exec int_cmd="stop_call"/></action></nop>

  <ResponseTimeRepartition"""
src = src.replace('  <ResponseTimeRepartition', ack)
open(sys.argv[2], "w").write(src)
PY
metric() {
  curl -sf -H "Authorization: Bearer $TOKEN" "http://$HTTP/metrics" | awk -v m="$1" '$1 == m {print $2}' | head -1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$CP/stat"; }
HZ=$(getconf CLK_TCK)
echo "| offered/s | goodput/s | goodput / capacity | refused 503/s | sipp failed (refused included) | server CPU % | peak RSS MB | most calls / server tx / client tx |"
echo "|---|---|---|---|---|---|---|---|"
for RATE in "$CAPACITY" $((CAPACITY * 3 / 2)); do
  N=$((RATE * DURATION))
  (cd "$OUT" && exec timeout $((DURATION + 60)) sipp "$SIP" -sf "$OLDPWD/tests/scenarios/uas_answer.xml" -m "$N" -i 127.0.0.1 -p "$UAS_PORT" \
     -nostdin -recv_timeout 20000 >"uas_$RATE.out" 2>&1) &
  UAS=$!
  answered0=$(metric 'callplane_calls_total{disposition="answered"}'); answered0=${answered0:-0}
  shed0=$(metric callplane_sip_overload_shed_total); shed0=${shed0:-0}
  ticks0=$(cpu_ticks); t0=$(date +%s.%N)
  (cd "$OUT" && exec timeout $((DURATION + 40)) sipp "$SIP" -sf "$OUT/uac_503.xml" -inf "$OUT/users.csv" -key domain 127.0.0.1 -key callee 2001 \
     -r "$RATE" -m "$N" -l $((RATE * 4)) -i 127.0.0.1 -nostdin -recv_timeout 10000 -trace_stat -stf "stat_$RATE.csv" -fd 1 >"uac_$RATE.out" 2>&1) &
  UAC=$!
  peak=0 tick=0
  : > "$OUT/status_$RATE.txt"
  while kill -0 $UAC 2>/dev/null; do
    rss=$(awk '/VmRSS/{print $2}' "/proc/$CP/status"); [ "$rss" -gt "$peak" ] && peak=$rss
    # Every 2 s: what the node holds (calls, server and client transactions).
    if [ $((tick % 4)) -eq 0 ]; then
      curl -sf -H "Authorization: Bearer $TOKEN" "http://$HTTP/api/v1/status" \
        | python3 -c 'import json,sys;s=json.load(sys.stdin)["sip"];print(s["calls"], s["transactions"], s["client_transactions"])' >> "$OUT/status_$RATE.txt" || true
    fi
    tick=$((tick + 1))
    sleep 0.5
  done
  wait $UAC || true
  t1=$(date +%s.%N); ticks1=$(cpu_ticks)
  kill $UAS 2>/dev/null || true; wait $UAS 2>/dev/null || true; UAS=""
  answered1=$(metric 'callplane_calls_total{disposition="answered"}'); shed1=$(metric callplane_sip_overload_shed_total); shed1=${shed1:-0}
  failed=$(tail -1 "$OUT/stat_$RATE.csv" | python3 -c 'import sys,csv
line = sys.stdin.read().strip().split(";")
head = open(sys.argv[1]).readline().strip().split(";")
print(line[head.index("FailedCall(C)")])' "$OUT/stat_$RATE.csv")
  python3 - "$RATE" "$CAPACITY" "$DURATION" "$answered0" "$answered1" "$shed0" "$shed1" "$failed" "$ticks0" "$ticks1" "$HZ" "$t0" "$t1" "$peak" "$OUT/status_$RATE.txt" <<'PY'
import sys
rate, cap, dur = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
a0, a1, s0, s1, failed = (float(x) for x in sys.argv[4:9])
k0, k1, hz, t0, t1, peak = int(sys.argv[9]), int(sys.argv[10]), int(sys.argv[11]), float(sys.argv[12]), float(sys.argv[13]), int(sys.argv[14])
good = (a1 - a0) / dur
cpu = (k1 - k0) / hz / (t1 - t0) * 100
held = [tuple(int(x) for x in l.split()) for l in open(sys.argv[15]) if len(l.split()) == 3]
most = [max((h[i] for h in held), default=0) for i in range(3)]
print(f"| {rate:,} | {good:,.0f} | {good / cap:.2f} | {(s1 - s0) / dur:,.0f} | {failed:.0f} | {cpu:.0f} | {peak / 1024:.0f} | {most[0]:,} / {most[1]:,} / {most[2]:,} |")
PY
  sleep 12   # the held calls of this step end and their transactions expire before the next
done
echo "details in $OUT"
