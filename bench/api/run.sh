#!/usr/bin/env bash
# Runs the configuration API benchmark on SQLite and on a throw-away PostgreSQL,
# with a release build. Usage: bench/api/run.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-10000}
cargo build --release --quiet
python3 bench/api/run.py --count "$COUNT"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
. scripts/lib/postgres.sh
start_temp_postgres
python3 bench/api/run.py --count "$COUNT" --database-url "$PG_URL"
