#!/usr/bin/env bash
# Event latency with SUBS WebSocket subscribers while sipp places RATE calls/s.
#   bench/events/run.sh [SUBS] [RATE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
SUBS=${1:-100}; RATE=${2:-200}; SECONDS_=${3:-15}
cargo build --release --quiet --bin callplane --example event_latency
OUT=$(mktemp -d -t cpev.XXXXXX)
. bench/lib.sh
start_callplane
UAS=""
trap 'kill $CP $UAS 2>/dev/null || true' EXIT
whitelist_loopback
api POST extensions '{"number":"1001","password":"bench-caller-pw"}'
api POST extensions '{"number":"2001","ip_auth":["127.0.0.1"],"max_contacts":1}'
UAS_PORT=$(python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
(cd "$OUT" && sipp "$SIP" -sf "$OLDPWD/tests/scenarios/register_without_auth.xml" -s 2001 -m 1 -i 127.0.0.1 -p "$UAS_PORT" -nostdin >/dev/null)
CALLS=$((RATE * SECONDS_))
(cd "$OUT" && exec sipp "$SIP" -sf "$OLDPWD/tests/scenarios/uas_answer.xml" -m "$CALLS" -i 127.0.0.1 -p "$UAS_PORT" -nostdin >/dev/null 2>&1) &
UAS=$!
./target/release/examples/event_latency "$HTTP" "$TOKEN" "$SUBS" $((SECONDS_ + 3)) > "$OUT/latency.txt" &
LAT=$!
sleep 1
(cd "$OUT" && timeout 120 sipp "$SIP" -sf "$OLDPWD/tests/scenarios/uac_call.xml" -s 2001 -key caller 1001 -au 1001 -ap bench-caller-pw \
   -m "$CALLS" -r "$RATE" -i 127.0.0.1 -nostdin >/dev/null 2>&1) || echo "some calls failed"
wait $LAT
cat "$OUT/latency.txt"
echo "details in $OUT"
