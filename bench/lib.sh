# Shared by the bench scripts. `bench_setup NAME` finds the workplace harness (HARNESS,
# overridable with BENCH_HARNESS), builds the release binary and makes a scratch
# directory OUT; `free_port` prints a free UDP port on 127.0.0.1.
bench_setup() {
  HARNESS=${BENCH_HARNESS:-$(cd .. && pwd)/shared/bench}
  [ -f "$HARNESS/bench.py" ] || { echo "no harness at $HARNESS (set BENCH_HARNESS)" >&2; exit 1; }
  cargo build --release --quiet
  OUT=$(mktemp -d -t "$1.XXXXXX")
}
free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# Shared by the bench scripts: starts a release Callplane on free loopback ports in $OUT
# (SIP on $1, default 127.0.0.1:0) and sets CP (its PID), HTTP, SIP, TOKEN; `api METHOD
# PATH JSON` calls the API; `whitelist_loopback` exempts the load generators on 127.0.0.1
# from the per-source rate limit.
start_callplane() {
  ./target/release/callplane serve --data-dir "$OUT/data" --http-listen 127.0.0.1:0 --sip-listen "${1:-127.0.0.1:0}" \
    --log-level warn,callplane=info 2>"$OUT/callplane.log" &
  CP=$!
  for _ in $(seq 1 100); do grep -q "HTTP API listening" "$OUT/callplane.log" && break; sleep 0.1; done
  HTTP=$(grep -o 'http_addr=[0-9.:]*' "$OUT/callplane.log" | head -1 | cut -d= -f2)
  SIP=$(grep -o 'SIP listening on UDP and TCP addr=[0-9.:]*' "$OUT/callplane.log" | head -1 | sed 's/.*addr=//')
  TOKEN=$(cat "$OUT/data/admin.token")
}
api() { curl -sf -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "http://$HTTP/api/v1/$2" -d "$3" >/dev/null; }
whitelist_loopback() { api PATCH security/settings '{"whitelist":["127.0.0.1"]}'; }
