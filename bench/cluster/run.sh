#!/usr/bin/env bash
# Scale-out benchmark: REGISTER/s and calls/s against
#   1. one node on SQLite (the default install), direct;
#   2. one node on PostgreSQL, direct (the shared store's cost);
#   3. one node on PostgreSQL behind the edge (deploy/kamailio/callplane-edge.cfg);
#   4. two nodes on PostgreSQL behind the edge.
# Same harness (../shared/bench: sipp, digest users), same machine, one after the other.
# PostgreSQL runs with its durable defaults (fsync, synchronous_commit on).
#
#   bench/cluster/run.sh [REG_RATES] [CALL_RATES] [DURATION]   e.g. bench/cluster/run.sh 1000,2500 100,250 8
#   CONFIGS="pg_edge_1 pg_edge_2" bench/cluster/run.sh …         only some of the four
#
# Needs: a release build, sipp, kamailio, PostgreSQL (Debian packages), the harness at
# $BENCH_HARNESS (default ../shared/bench). Loopback only; every step is bounded by the
# harness; only the processes started here are stopped, by PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
REG_RATES=${1:-1000,2500,5000}
CALL_RATES=${2:-100,250,500}
DURATION=${3:-8}
HARNESS=${BENCH_HARNESS:-$(cd .. && pwd)/shared/bench}
[ -f "$HARNESS/bench.py" ] || { echo "no harness at $HARNESS (set BENCH_HARNESS)" >&2; exit 1; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# shellcheck source=scripts/lib/postgres.sh
. scripts/lib/postgres.sh
cargo build --release --quiet
OUT=$(mktemp -d -t cpcluster.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_temp_postgres
}
PG_DURABLE=1 start_temp_postgres
trap cleanup EXIT
python3 "$HARNESS/bench.py" gen-users --count 2000 --start 100000 --out "$OUT/users.csv" >/dev/null
echo "9999;calleepw;[authentication username=9999 password=calleepw]" > "$OUT/callee.csv"

# cpu_s PID...: user+system CPU seconds so far of these processes and their threads.
cpu_s() {
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "scale=1; $t / $(getconf CLK_TCK)" | bc
}

# start_node NAME SIP_ADDR DB_URL: a release node; sets NODE_PID and NODE_HTTP.
start_node() {
  local args=(serve --data-dir "$OUT/$1" --http-listen "${2%:*}:0" --sip-listen "$2" --log-level warn,callplane=info)
  [ -n "$3" ] && args+=(--database-url "$3")
  ./target/release/callplane "${args[@]}" 2>"$OUT/$1.log" &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
  for _ in $(seq 1 100); do grep -q "HTTP API listening" "$OUT/$1.log" && break; sleep 0.1; done
  NODE_HTTP=$(grep -o 'http_addr=[0-9.:]*' "$OUT/$1.log" | head -1 | cut -d= -f2)
}

# start_edge NODE_SIP...: the shipped edge on 127.0.0.1:5060, pike opened up for the
# benchmark's single load source; sets EDGE_PID.
start_edge() {
  local dir="$OUT/edge" n
  mkdir -p "$dir"
  : > "$dir/nodes.list"
  for n in "$@"; do echo "1 sip:$n" >> "$dir/nodes.list"; done
  sed -e "s|/etc/kamailio/callplane-nodes.list|$dir/nodes.list|" \
      -e 's|"reqs_density_per_unit", 200|"reqs_density_per_unit", 1000000|' \
      deploy/kamailio/callplane-edge.cfg > "$dir/kamailio.cfg"
  kamailio -f "$dir/kamailio.cfg" -P "$dir/kamailio.pid" -Y "$dir" -DD -E 2>"$dir/kamailio.log" &
  EDGE_PID=$!
  PIDS+=("$EDGE_PID")
  sleep 1.5   # the edge probes the nodes before it uses them (1 s interval)
}

# run LABEL NODES EDGE(yes/no) STORE(sqlite/postgres)
run() {
  local label=$1 nodes=$2 edge=$3 store=$4 url="" pids=() first_http="" token
  if [ "$store" = postgres ]; then
    local port; port=$(echo "$PG_URL" | sed 's|.*:\([0-9]*\)/.*|\1|')
    _as_pg "$PGBIN/psql" -h "$PGDIR" -p "$port" -U postgres -q -c "CREATE DATABASE $label OWNER callplane"
    url="${PG_URL%/*}/$label"
  fi
  local sips=()
  if [ "$edge" = yes ]; then
    for i in $(seq 1 "$nodes"); do sips+=("127.0.0.1$i:5060"); done
  else
    sips=("127.0.0.1:5060")
  fi
  for i in "${!sips[@]}"; do
    start_node "$label-n$i" "${sips[$i]}" "$url"
    pids+=("$NODE_PID")
    if [ -z "$first_http" ]; then
      first_http=$NODE_HTTP
      token=$(cat "$OUT/$label-n$i/admin.token")
      python3 bench/register/provision.py "${first_http%:*}" "${first_http##*:}" "$token" "$OUT/users.csv"
      python3 bench/register/provision.py "${first_http%:*}" "${first_http##*:}" "$token" "$OUT/callee.csv"
      [ "$edge" = yes ] && curl -sf -X PATCH -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        "http://$first_http/api/v1/security/settings" -d '{"edges":["127.0.0.1"],"whitelist":["127.0.0.1"]}' >/dev/null
    fi
  done
  if [ "$edge" = yes ]; then start_edge "${sips[@]}"; pids+=("$EDGE_PID"); fi
  local before; before=$(cpu_s "${pids[@]}")
  local started=$SECONDS
  python3 "$HARNESS/bench.py" reg --host 127.0.0.1 --port 5060 --domain 127.0.0.1 --transport udp \
    --users "$OUT/users.csv" --rates "$REG_RATES" --duration "$DURATION" --server-pid "${pids[0]}" \
    --label "$label-reg" --stop-after-bad 1 --outdir "$OUT/results" | tee -a "$OUT/$label.txt"
  python3 "$HARNESS/bench.py" calls --host 127.0.0.1 --port 5060 --domain 127.0.0.1 --users "$OUT/users.csv" \
    --callee 9999 --callee-pass calleepw --uas-port 5080 --hold-ms 1000 --rates "$CALL_RATES" --duration "$DURATION" \
    --server-pid "${pids[0]}" --label "$label-calls" --stop-after-bad 1 --outdir "$OUT/results" | tee -a "$OUT/$label.txt"
  echo "$label: CPU of the nodes and the edge: $(echo "$(cpu_s "${pids[@]}") - $before" | bc) s over $((SECONDS - started)) s" | tee -a "$OUT/summary.txt"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}

CONFIGS=${CONFIGS:-sqlite_direct pg_direct pg_edge_1 pg_edge_2}
for c in $CONFIGS; do
  case $c in
    sqlite_direct) run sqlite_direct 1 no sqlite ;;
    pg_direct) run pg_direct 1 no postgres ;;
    pg_edge_1) run pg_edge_1 1 yes postgres ;;
    pg_edge_2) run pg_edge_2 2 yes postgres ;;
    *) echo "unknown configuration $c" >&2; exit 1 ;;
  esac
done
python3 "$HARNESS/bench.py" table "$OUT"/results/*.json
cat "$OUT/summary.txt"
echo "results in $OUT"
