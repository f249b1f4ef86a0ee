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
