#!/usr/bin/env bash
# Busy-lamp benchmark: 2,000 dialog subscriptions (10 watchers x 200 extensions) on a
# release Callplane (SQLite) while sipp calls the watched extensions at 50/s; prints the
# event-to-NOTIFY latency (p50/p99) and Callplane's CPU.
#
#   bench/office/run.sh [RATE] [CALLS]       e.g. bench/office/run.sh 50 1500
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-50}
CALLS=${2:-1500}
cargo build --release --quiet
OUT=$(mktemp -d -t cpblf.XXXXXX)
# shellcheck source=bench/lib.sh
. bench/lib.sh
start_callplane 127.0.0.1:0
trap 'kill $CP 2>/dev/null || true' EXIT
python3 bench/office/blf.py --http "$HTTP" --token "$TOKEN" --sip "$SIP" --pid "$CP" --rate "$RATE" --calls "$CALLS" | tee "$OUT/blf.txt"
echo "results in $OUT"
