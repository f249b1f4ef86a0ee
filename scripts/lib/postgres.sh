# Starts a throw-away PostgreSQL cluster on a free loopback port and removes it on exit.
# Source this file, then call `start_temp_postgres`; it sets PG_URL to a database owned
# by a role that may create more databases (each test makes its own).
# Needs PGBIN (the server's bin directory); as root it runs the server as `postgres`.

start_temp_postgres() {
  : "${PGBIN:?PGBIN must name the PostgreSQL bin directory}"
  PGDIR=$(mktemp -d -t cppg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGDIR"
  trap 'stop_temp_postgres' EXIT
  _as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$PGDIR/initdb.log"
  local started="" port=""
  for _ in 1 2 3 4 5; do
    port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    # Tests trade durability for speed; PG_DURABLE=1 (benchmarks) keeps the defaults.
    local speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-0}" = 1 ] && speed=""
    if _as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -t 30 -o "-p $port -k $PGDIR \
        -c listen_addresses=127.0.0.1 $speed -c max_connections=300" start >/dev/null; then
      started=yes; break
    fi
  done
  if [ -z "$started" ]; then
    echo "PostgreSQL did not start:" >&2; cat "$PGDIR/log" >&2; return 1
  fi
  local pass
  pass=$(python3 -c 'import secrets;print(secrets.token_hex(12))')
  _as_pg "$PGBIN/psql" -h "$PGDIR" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE callplane LOGIN CREATEDB PASSWORD '$pass'" -c "CREATE DATABASE callplane OWNER callplane"
  PG_URL="postgres://callplane:$pass@127.0.0.1:$port/callplane"
  echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

stop_temp_postgres() {
  [ -n "${PGDIR:-}" ] || return 0
  _as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}

_as_pg() {
  if [ "$(id -u)" -eq 0 ]; then (cd "$PGDIR" && runuser -u postgres -- "$@"); else (cd "$PGDIR" && "$@"); fi
}
