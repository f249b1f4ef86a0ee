#!/usr/bin/env bash
# REGISTER + digest benchmark: Callplane, then Kamailio 5.6 (the workplace baseline
# harness in ../shared/bench), one after the other on the same machine, same sipp driver,
# same 10,000 users. Prints both series, CPU per REGISTER side by side and the ratio of the
# highest clean rates (bench/ratios.py).
#
#   bench/register/run.sh [RATES] [DURATION] [udp|tcp]   e.g. bench/register/run.sh 1000,2500,5000,7500,10000 10
#
# tcp: 4 persistent connections (4 sipp clients, a quarter of the rate and users each).
#
# Needs: a release build, sipp, kamailio (Debian packages sip-tester, kamailio,
# kamailio-sqlite-modules), and the harness at $BENCH_HARNESS (default ../shared/bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
RATES=${1:-1000,2500,5000,7500,10000}
DURATION=${2:-10}
TRANSPORT=${3:-udp}
case "$TRANSPORT" in
  udp) TRANSPORT_ARGS=(--transport udp) ;;
  tcp) TRANSPORT_ARGS=(--transport tcp --procs 4) ;;
  *) echo "transport: udp or tcp" >&2; exit 1 ;;
esac
HARNESS=${BENCH_HARNESS:-$(cd .. && pwd)/shared/bench}
[ -f "$HARNESS/bench.py" ] || { echo "no harness at $HARNESS (set BENCH_HARNESS)" >&2; exit 1; }
cargo build --release --quiet
OUT=$(mktemp -d -t cpbench.XXXXXX)
python3 "$HARNESS/bench.py" gen-users --count 10000 --start 100000 --out "$OUT/users.csv" >/dev/null

# --- Callplane ---------------------------------------------------------------------------
DATA="$OUT/data"
./target/release/callplane serve --data-dir "$DATA" --http-listen 127.0.0.1:0 --sip-listen 127.0.0.1:5060 \
  --log-level warn,callplane=info 2>"$OUT/callplane.log" &
CP=$!
DROPS=""
trap 'kill $CP $DROPS 2>/dev/null || true; python3 "$HARNESS/bench.py" kam-stop >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 100); do grep -q "HTTP API listening" "$OUT/callplane.log" && break; sleep 0.1; done
HTTP=$(grep -o 'http_addr=[0-9.:]*' "$OUT/callplane.log" | head -1 | cut -d= -f2)
python3 bench/register/provision.py "${HTTP%:*}" "${HTTP##*:}" "$(cat "$DATA/admin.token")" "$OUT/users.csv"
python3 bench/udp_drops.py watch 5060 "$OUT/drops-callplane.json" & DROPS=$!
python3 "$HARNESS/bench.py" reg --host 127.0.0.1 --port 5060 --domain 127.0.0.1 "${TRANSPORT_ARGS[@]}" \
  --users "$OUT/users.csv" --rates "$RATES" --duration "$DURATION" --server-pid "$CP" \
  --label callplane --stop-after-bad 1 --outdir "$OUT/results" | tee "$OUT/callplane.txt"
kill $DROPS; wait $DROPS || true
kill $CP; wait $CP 2>/dev/null || true

# --- Kamailio ----------------------------------------------------------------------------
python3 "$HARNESS/bench.py" kam-start --users "$OUT/users.csv" --children 4 | tee "$OUT/kam-start.txt"
KPID=$(cut -d" " -f1 /tmp/kambench/kamailio.pid)
python3 bench/udp_drops.py watch 5060 "$OUT/drops-kamailio.json" & DROPS=$!
python3 "$HARNESS/bench.py" reg --host 127.0.0.1 --port 5060 --domain 127.0.0.1 "${TRANSPORT_ARGS[@]}" \
  --users "$OUT/users.csv" --rates "$RATES" --duration "$DURATION" --server-pid "$KPID" \
  --label kamailio --stop-after-bad 1 --outdir "$OUT/results" | tee "$OUT/kamailio.txt"
kill $DROPS; wait $DROPS || true
python3 "$HARNESS/bench.py" kam-stop

python3 "$HARNESS/bench.py" table "$OUT"/results/*.json
# CPU per request side by side, and the ratio of the highest clean rates.
python3 bench/ratios.py "$OUT"/results/*_callplane.json "$OUT"/results/*_kamailio.json
# A retransmission means a datagram was dropped somewhere: say on whose socket.
for who in callplane kamailio; do
  python3 - "$who" "$OUT/drops-$who.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
print(f"UDP datagrams dropped during the {sys.argv[1]} series: {d['server_socket_drops']} at the server socket, "
      f"{d['other_socket_drops']} at the load generators' sockets")
PY
done
echo "results in $OUT"
