#!/usr/bin/env bash
# Call-setup benchmark: sipp UAC -> server -> sipp UAS (INVITE with a 407 challenge, 180,
# 200, ACK, 1 s hold, BYE), stepping the call rate, against Callplane (B2BUA) and then
# Kamailio 5.6 (stateful proxy, the workplace baseline), same driver, same machine.
# Prints both series, CPU per call side by side and the ratio of the highest rates with
# no retransmission and under 1 % failures (bench/ratios.py).
#
#   bench/calls/run.sh [RATES] [DURATION]      e.g. bench/calls/run.sh 100,250,500,1000 10
set -euo pipefail
cd "$(dirname "$0")/../.."
RATES=${1:-100,250,500,1000,1500}
DURATION=${2:-10}
HARNESS=${BENCH_HARNESS:-$(cd .. && pwd)/shared/bench}
[ -f "$HARNESS/bench.py" ] || { echo "no harness at $HARNESS (set BENCH_HARNESS)" >&2; exit 1; }
cargo build --release --quiet
OUT=$(mktemp -d -t cpcalls.XXXXXX)
python3 "$HARNESS/bench.py" gen-users --count 2000 --start 100000 --out "$OUT/users.csv" >/dev/null
# The callee 9999 is provisioned in Callplane separately (the harness adds it to Kamailio itself).
echo "9999;calleepw;[authentication username=9999 password=calleepw]" > "$OUT/callee.csv"

DATA="$OUT/data"
./target/release/callplane serve --data-dir "$DATA" --http-listen 127.0.0.1:0 --sip-listen 127.0.0.1:5060 \
  --log-level warn,callplane=info 2>"$OUT/callplane.log" &
CP=$!
trap 'kill $CP 2>/dev/null || true; python3 "$HARNESS/bench.py" kam-stop >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 100); do grep -q "HTTP API listening" "$OUT/callplane.log" 2>/dev/null && break; sleep 0.1; done
# The log level above hides the listening line; read the address from the status instead.
HTTP=$(grep -o 'http_addr=[0-9.:]*' "$OUT/callplane.log" | head -1 | cut -d= -f2 || true)
if [ -z "$HTTP" ]; then echo "cannot find the HTTP address" >&2; exit 1; fi
python3 bench/register/provision.py "${HTTP%:*}" "${HTTP##*:}" "$(cat "$DATA/admin.token")" "$OUT/users.csv"
python3 bench/register/provision.py "${HTTP%:*}" "${HTTP##*:}" "$(cat "$DATA/admin.token")" "$OUT/callee.csv"
python3 "$HARNESS/bench.py" calls --host 127.0.0.1 --port 5060 --domain 127.0.0.1 --users "$OUT/users.csv" \
  --callee 9999 --callee-pass calleepw --uas-port 5080 --hold-ms 1000 --rates "$RATES" --duration "$DURATION" \
  --server-pid "$CP" --label callplane --stop-after-bad 1 --outdir "$OUT/results" | tee "$OUT/callplane.txt"
echo "RSS of Callplane after the run: $(grep VmHWM /proc/$CP/status)"
kill $CP; wait $CP 2>/dev/null || true

python3 "$HARNESS/bench.py" kam-start --users "$OUT/users.csv" --children 4 | tee "$OUT/kam-start.txt"
KPID=$(cut -d" " -f1 /tmp/kambench/kamailio.pid)
python3 "$HARNESS/bench.py" calls --host 127.0.0.1 --port 5060 --domain 127.0.0.1 --users "$OUT/users.csv" \
  --callee 9999 --callee-pass calleepw --uas-port 5080 --hold-ms 1000 --rates "$RATES" --duration "$DURATION" \
  --server-pid "$KPID" --label kamailio --stop-after-bad 1 --outdir "$OUT/results" | tee "$OUT/kamailio.txt"
python3 "$HARNESS/bench.py" kam-stop
python3 "$HARNESS/bench.py" table "$OUT"/results/*.json
# CPU per request side by side, and the ratio of the highest clean rates.
python3 bench/ratios.py "$OUT"/results/*_callplane.json "$OUT"/results/*_kamailio.json --max-fail-pct 1
echo "results in $OUT"
