#!/usr/bin/env bash
# Media relay benchmark: N concurrent calls through Callplane with the relay (a local
# rtpengine it starts), RTP both ways (sipp streams an A-law tone, the callee echoes),
# then the same calls with direct media for the setup-time comparison.
#
#   bench/media/run.sh [CALLS] [HOLD_MS] [RATE]   e.g. bench/media/run.sh 200,500 14000 100
set -euo pipefail
cd "$(dirname "$0")/../.."
CALLS=${1:-200,500}
HOLD_MS=${2:-9000}
RATE=${3:-0}
cargo build --release --quiet
OUT=$(mktemp -d -t cpmedia.XXXXXX)
DATA="$OUT/data"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
./target/release/callplane serve --data-dir "$DATA" --http-listen 127.0.0.1:18080 --sip-listen 127.0.0.1:15060 \
  --rtpengine local --media-address 127.0.0.1 --log-level warn 2>"$OUT/callplane.log" &
CP=$!
trap 'kill $CP 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/health >/dev/null 2>&1 && break; sleep 0.1; done
python3 bench/media/drive.py --api http://127.0.0.1:18080 --token "$(cat "$DATA/admin.token")" --sip 127.0.0.1:15060 \
  --cp-pid "$CP" --calls "$CALLS" --hold-ms "$HOLD_MS" --rate "$RATE" --out "$OUT" | tee "$OUT/results.txt"
echo "RSS of Callplane after the run: $(grep VmHWM /proc/$CP/status)"
echo "results in $OUT"
