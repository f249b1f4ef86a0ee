#!/usr/bin/env bash
# Cost of a dropped packet from a banned source vs an answered OPTIONS: sipp floods
# Callplane with OPTIONS at RATE/s for SECONDS from 127.0.0.3 (banned through the API) and
# then from 127.0.0.1 (whitelisted, answered); Callplane's CPU time (utime+stime from
# /proc) per packet gives what one core can take of each.
#   bench/security/run.sh [RATE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-10000}; SECONDS_=${2:-10}
cargo build --release --quiet --bin callplane
OUT=$(mktemp -d -t cpsec.XXXXXX)
. bench/lib.sh
start_callplane 0.0.0.0:0
trap 'kill $CP 2>/dev/null || true' EXIT
PORT=${SIP##*:}
whitelist_loopback
api POST security/bans '{"ip":"127.0.0.3","duration_s":3600}'
ticks() { awk '{print $14 + $15}' "/proc/$CP/stat"; }
HZ=$(getconf CLK_TCK)
CALLS=$((RATE * SECONDS_))
flood() { # $1 = source address
  local before after
  before=$(ticks)
  (cd "$OUT" && timeout $((SECONDS_ * 4 + 30)) sipp "127.0.0.1:$PORT" -sf "$OLDPWD/tests/scenarios/options_flood.xml" -i "$1" -p 0 \
     -r "$RATE" -m "$CALLS" -l $((RATE)) -nostdin >/dev/null 2>&1) || true
  after=$(ticks)
  python3 -c "
cpu=($after-$before)/$HZ; n=$CALLS
print(f'$2: {n} packets at $RATE/s, Callplane CPU {cpu:.2f} s, {cpu/n*1e6:.2f} us/packet, one core: {n/cpu if cpu else float(\"inf\"):,.0f} packets/s')"
}
flood 127.0.0.3 "banned source (dropped unread)"
flood 127.0.0.1 "OPTIONS answered"
curl -sf -H "Authorization: Bearer $TOKEN" "http://$HTTP/api/v1/security/counters"; echo
