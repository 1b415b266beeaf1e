#!/usr/bin/env bash
# Opspor bench, end to end: Aarhus-scale data, queries per request, wrk against gunicorn,
# bytes a phone downloads, then bench/RESULTS.md. All traffic goes to 127.0.0.1; every step
# runs under `timeout`. About 4–5 minutes on 2 cores
# (BENCH_DURATION=20 s per measured wrk run), plus about 2.5 for step 3c and 1.5 for 3f.
#
#   bash bench/run.sh                 # or: make -C bench
#   BENCH_DURATION=10 BENCH_POSTGRES=0 bash bench/run.sh   # quicker
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
OUT=bench/out
DURATION=${BENCH_DURATION:-20}
POSTGRES=${BENCH_POSTGRES:-1}
ESC_DURATION=${BENCH_ESC_DURATION:-100}
PGPORT=${BENCH_PGPORT:-55439}
SQLITE_URL="sqlite:///$PWD/$OUT/aarhus.db"
unset DATABASE_URL

step() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }

mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.log "$OUT"/cookies.txt
START=$(date +%s)
# What is measured: the commit, how many app files differ from it (the working tree), and
# the 1-minute load average before the bench starts anything (is the machine idle?).
printf '{"commit": "%s", "app_files_changed": %s, "loadavg_start": %s}\n' \
  "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$(git status --porcelain -- webapp templates static migrations 2>/dev/null | wc -l)" \
  "$(cut -d' ' -f1 /proc/loadavg)" >"$OUT/source.json"

step "1. Generate the Aarhus-scale database (SQLite)"
timeout 240 $PY -m bench.generate --database-url "$SQLITE_URL"
# wrk runs on its own copy of the freshly generated database.
rm -f "$OUT"/aarhus-*.db*
$PY -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
  "$OUT/aarhus.db" "$OUT/aarhus-load.db"

step "2. Queries per Mine borgere request (SQLite)"
timeout 120 $PY -m bench.querycount --database-url "$SQLITE_URL"
timeout 120 $PY -m bench.breakdown --database-url "$SQLITE_URL"

step "3. wrk against gunicorn (SQLite)"
timeout $((8 * DURATION + 150)) $PY -m bench.load --database-url "sqlite:///$PWD/$OUT/aarhus-load.db" \
  --duration "$DURATION"

step "3b. TOBS live score and Overblik: statements per request, wrk (SQLite)"
timeout $((4 * DURATION + 180)) $PY -m bench.features --database-url "sqlite:///$PWD/$OUT/aarhus-load.db" \
  --duration "$DURATION"

step "3c. Kontakt sygeplejerske: delivery time while 50 nurses poll, idle client cost (SQLite)"
# Its own copy: the step puts nurses on the duty roster and sends escalations.
$PY -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
  "$OUT/aarhus.db" "$OUT/aarhus-esc.db"
timeout $((ESC_DURATION + 200)) $PY -m bench.escalation \
  --database-url "sqlite:///$PWD/$OUT/aarhus-esc.db" --duration "$ESC_DURATION"

step "3d. Konferenceliste PDF: ours vs WeasyPrint alone (6 and 40 citizens)"
timeout 500 $PY -m bench.pdf --database-url "sqlite:///$PWD/$OUT/aarhus-load.db"

step "3e. Working without coverage: the phone's copy and shell, the queue on reconnect (SQLite)"
# Its own copy: the step makes a kontaktteam 40 citizens and stores the queued items.
$PY -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
  "$OUT/aarhus.db" "$OUT/aarhus-offline.db"
timeout 420 $PY -m bench.offline --database-url "sqlite:///$PWD/$OUT/aarhus-offline.db"

step "3f. Administration: CSV import dry runs, planned moves coming into force, reorganisation (SQLite)"
# One transaction, rolled back at the end: aarhus.db is left as it was.
timeout 300 $PY -m bench.admin --database-url "$SQLITE_URL"

step "4. Bytes a phone downloads (Playwright, Chromium, Pixel 7)"
timeout 120 $PY -m bench.pagebytes --database-url "$SQLITE_URL"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ "$POSTGRES" = 1 ] && [ -n "$PGBIN" ] && [ "$(id -u)" = 0 ]; then
  step "5. The same on a throwaway PostgreSQL cluster (127.0.0.1:$PGPORT)"
  PGDATA=$(mktemp -d /tmp/opspor-bench-pg.XXXXXX)
  chown postgres "$PGDATA"
  pg_stop() {
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA"
  }
  trap pg_stop EXIT
  trap 'exit 130' INT TERM
  timeout 60 runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  # synchronous_commit=off: like SQLite's WAL + synchronous=NORMAL, no fsync per commit.
  timeout 60 runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w \
    -o "-h 127.0.0.1 -p $PGPORT -k $PGDATA -c synchronous_commit=off" start >/dev/null
  export BENCH_PG_PID=$(head -n 1 "$PGDATA/postmaster.pid")  # bench.load: CPU outside the bench
  timeout 30 runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres \
    opspor_bench
  PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/opspor_bench"
  timeout 300 $PY -m bench.generate --database-url "$PG_URL"
  timeout 120 $PY -m bench.querycount --database-url "$PG_URL"
  timeout 120 $PY -m bench.breakdown --database-url "$PG_URL"
  timeout $((4 * DURATION + 120)) $PY -m bench.load --database-url "$PG_URL" \
    --duration "$DURATION" --skip-offline
  timeout 300 $PY -m bench.admin --database-url "$PG_URL"
  pg_stop
  trap - EXIT
else
  step "5. PostgreSQL skipped (BENCH_POSTGRES=$POSTGRES, binaries: ${PGBIN:-none}, uid $(id -u))"
fi

step "6. Report"
$PY -m bench.report
$PY -m bench.admin --results  # section 4f, from bench/out/admin-*.json
echo "bench finished in $(( $(date +%s) - START )) s"
